//! The planner writes its reasons and warnings in English; the trip context renders them in
//! Korean from their code and params (`tripgen_trip::domain::texts`). Every code the
//! planner can produce must have a Korean rendering, or a Korean reader sees English: the
//! exhaustive matches below stop compiling when the planner gains a code, so it is added
//! here — and then this test fails until the trip context can say it in Korean.

use tripgen_planner::itinerary::{ReasonCode, WarningCode};
use tripgen_trip::domain::schedule::params;
use tripgen_trip::domain::texts::{planner_warning_ko, reason_ko};

fn code_of(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("a code serialises as a string")
}

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Every param a planner text may use, with a plausible value.
fn all_params() -> tripgen_trip::domain::schedule::TextParams {
    params(&[
        ("name", "Residenz"),
        ("category", "museum"),
        ("interest", "culture"),
        ("places", "3"),
        ("wanted", "5"),
        ("rests", "1"),
        ("min", "30"),
        ("hours", "4"),
        ("start", "12:00"),
        ("end", "14:00"),
        ("why", "NOT_IN_LIST"),
        ("textKo", "빅투알리엔 시장: 장소 목록에 없습니다"),
        ("from", "Munich"),
        ("to", "Porto"),
        ("mode", "flight"),
        ("minutes", "377"),
    ])
}

#[test]
fn every_planner_reason_has_korean() {
    use ReasonCode::*;
    let all = [
        MustVisit,
        MatchesInterest,
        MoreOfCategory,
        IndoorOnWetDay,
        StepFreeAccess,
        HighlyRated,
        OnTheWay,
        Lunch,
        Dinner,
        Rest,
        Journey,
    ];
    for code in all {
        // Exhaustive: a new reason code must be listed above.
        match code {
            MustVisit | MatchesInterest | MoreOfCategory | IndoorOnWetDay | StepFreeAccess
            | HighlyRated | OnTheWay | Lunch | Dinner | Rest | Journey => {}
        }
        let code = code_of(code);
        let ko = reason_ko(&code, &all_params());
        assert!(ko.as_deref().is_some_and(hangul), "{code}: {ko:?}");
    }
}

#[test]
fn every_planner_warning_has_korean() {
    use WarningCode::*;
    let all = [
        MustVisitNotPlanned,
        FewerPlacesThanPlanned,
        RestShortfall,
        NoLunch,
        NoDinner,
        NoIndoorAlternative,
        NotStepFree,
        CategoryUnavailable,
        HoursUnknown,
        RequestNotHonoured,
    ];
    for code in all {
        // Exhaustive: a new warning code must be listed above.
        match code {
            MustVisitNotPlanned
            | FewerPlacesThanPlanned
            | RestShortfall
            | NoLunch
            | NoDinner
            | NoIndoorAlternative
            | NotStepFree
            | CategoryUnavailable
            | HoursUnknown
            | RequestNotHonoured => {}
        }
        let code = code_of(code);
        let ko = planner_warning_ko(&code, &all_params());
        assert!(ko.as_deref().is_some_and(hangul), "{code}: {ko:?}");
    }
}
