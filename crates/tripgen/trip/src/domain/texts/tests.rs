//! Texts in both languages: every code renders, Korean is Hangul, params fill in.

use super::*;

use crate::domain::schedule::params;

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

#[test]
fn planner_reasons_render_in_korean_and_need_their_params() {
    let p = params(&[
        ("name", "Louvre"),
        ("category", "museum"),
        ("interest", "culture"),
    ]);
    assert_eq!(
        reason_ko("MATCHES_INTEREST", &p).unwrap(),
        "Louvre: 관심사(문화)에 맞는 박물관입니다."
    );
    assert_eq!(
        reason_ko("INDOOR_ON_WET_DAY", &p).unwrap(),
        "Louvre: 실내 박물관이라서 비나 눈이 오는 날에 알맞습니다."
    );
    let cafe = params(&[("name", "Café A"), ("category", "cafe")]);
    assert!(
        reason_ko("INDOOR_ON_WET_DAY", &cafe)
            .unwrap()
            .contains("카페라서")
    );
    for code in [
        "MUST_VISIT",
        "MORE_OF_CATEGORY",
        "STEP_FREE_ACCESS",
        "HIGHLY_RATED",
        "ON_THE_WAY",
        "LUNCH",
        "DINNER",
        "REST",
        "ADDED_BY_USER",
    ] {
        assert!(hangul(&reason_ko(code, &p).unwrap()), "{code}");
    }
    // An old plan without params keeps its text.
    assert_eq!(reason_ko("MATCHES_INTEREST", &TextParams::new()), None);
    assert_eq!(reason_ko("SOMETHING_NEW", &p), None);
}

#[test]
fn edit_rules_in_both_languages() {
    let p = params(&[
        ("name", "Museum"),
        ("start", "10:00"),
        ("end", "12:00"),
        ("hours", ""),
    ]);
    assert_eq!(
        edit_rule("CLOSED_AT_THAT_TIME", &p, Language::En).unwrap(),
        "Museum is not open for the whole visit 10:00–12:00 (closed all day)."
    );
    assert_eq!(
        edit_rule("CLOSED_AT_THAT_TIME", &p, Language::Ko).unwrap(),
        "Museum: 방문 시간 10:00–12:00 내내 열려 있지 않습니다(하루 종일 휴무)."
    );
    let leg = params(&[
        ("to", "Hotel"),
        ("minutes", "70"),
        ("mode", "car"),
        ("limit", "60"),
    ]);
    assert_eq!(
        edit_rule("LEG_TOO_LONG", &leg, Language::En).unwrap(),
        "Getting to Hotel takes 70 min by car; the limit is 60 min."
    );
    assert_eq!(
        edit_rule("LEG_TOO_LONG", &leg, Language::Ko).unwrap(),
        "Hotel까지 가는 데 자동차 70분이 걸립니다. 한도는 60분입니다."
    );
}

#[test]
fn change_reasons_in_both_languages() {
    let p = params(&[("what", "rain"), ("planned", "clear")]);
    assert_eq!(
        change_reason("WEATHER_RAIN", &p, Language::En).unwrap(),
        "Rain is now forecast; the day was planned for clear."
    );
    assert_eq!(
        change_reason("WEATHER_RAIN", &p, Language::Ko).unwrap(),
        "이제 비 예보가 있습니다. 이 날은 ‘맑음’ 날씨로 계획되었습니다."
    );
    let t = params(&[
        ("by", "12"),
        ("nowMin", "?"),
        ("nowMax", "31"),
        ("plannedMin", "10"),
        ("plannedMax", "19"),
    ]);
    assert_eq!(
        change_reason("TEMPERATURE_SHIFT", &t, Language::En).unwrap(),
        "Temperatures changed by 12 °C: now ?–31 °C, planned with 10 °C–19 °C."
    );
    assert!(hangul(
        &change_reason("TEMPERATURE_SHIFT", &t, Language::Ko).unwrap()
    ));
}

#[test]
fn weather_and_access_notes_cover_every_code() {
    for c in [
        "RAIN",
        "SNOW",
        "STORM",
        "HOT",
        "COLD",
        "POOR_AIR",
        "HAZARDOUS_AIR",
        "WEATHER_UNAVAILABLE",
    ] {
        assert!(weather_note_ko(c).is_some_and(hangul), "{c}");
    }
    for a in ["stepFree", "limited", "notStepFree", "unknown"] {
        assert!(access_note_ko(a).is_some_and(hangul), "{a}");
    }
}
