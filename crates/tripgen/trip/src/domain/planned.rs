//! From the planner's vocabulary to the trip's stored day: the planner's [`itinerary::DayPlan`]
//! shares its anchors, legs, modes and stop kinds with [`DayPlan`]; what the trip adds is the
//! civil date, the city and destination of the day, the forecast it was planned with, and
//! codes of its own (edit rules, `ADDED_BY_USER`), which is why stops keep codes as strings.
//! Also the trip's group (health, transport) in the planner's terms.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use tripgen_planner::itinerary;

use super::model::{Health, TransportMode};
use super::schedule::{Alternative, DayPlan, DayWeather, PlanWarning, Reason, Stop};

/// A member's health as the planner's group rules know it.
pub fn planner_health(h: Health) -> itinerary::Health {
    match h {
        Health::Excellent => itinerary::Health::Excellent,
        Health::Good => itinerary::Health::Good,
        Health::Caution => itinerary::Health::Caution,
        Health::Limited => itinerary::Health::Limited,
    }
}

/// The trip's transport as the planner knows it.
pub fn planner_transport(t: TransportMode) -> itinerary::Transport {
    match t {
        TransportMode::Public => itinerary::Transport::Public,
        TransportMode::Car => itinerary::Transport::Car,
    }
}

/// The wire name of a planner enum (its serde name: `MATCHES_INTEREST`, `stepFree` …).
fn wire(v: &impl Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// What the trip stores beside a planned day.
#[derive(Debug, Clone)]
pub struct DayContext {
    pub date: NaiveDate,
    pub city: String,
    pub destination_id: Uuid,
    pub weather: Option<DayWeather>,
    /// Findings of the independent validator, as `(code, message)` (normally none).
    pub validator_warnings: Vec<(String, String)>,
}

fn warning(w: itinerary::Warning) -> PlanWarning {
    PlanWarning {
        code: wire(&w.code),
        message: w.message,
        place_id: w.place_id,
        params: w.params,
    }
}

fn stop(s: itinerary::Stop) -> Stop {
    Stop {
        place_id: s.place_id,
        name: s.name,
        kind: s.kind,
        category: s.category.key(),
        position: s.position,
        arrival: s.arrival,
        start: s.start,
        end: s.end,
        indoor: s.indoor,
        reason: Reason {
            code: wire(&s.reason.code),
            text: s.reason.text,
            params: s.reason.params,
        },
        accessibility_note: s.accessibility_note,
        access: s.access.map(|a| wire(&a)),
        indoor_alternative: s.indoor_alternative.map(|a| Alternative {
            place_id: a.place_id,
            name: a.name,
            category: a.category.key(),
            metres_from_stop: a.metres_from_stop,
        }),
        parking: s.parking,
        warnings: Vec::new(),
        journey: s.journey,
    }
}

/// The stored day of a planned day.
pub fn stored_day(plan: itinerary::DayPlan, cx: DayContext) -> DayPlan {
    let mut warnings: Vec<PlanWarning> = plan.warnings.into_iter().map(warning).collect();
    warnings.extend(
        cx.validator_warnings
            .into_iter()
            .map(|(code, message)| PlanWarning {
                code,
                message,
                place_id: None,
                params: Default::default(),
            }),
    );
    DayPlan {
        day_index: plan.day_index,
        date: cx.date,
        city: Some(cx.city),
        destination_id: Some(cx.destination_id),
        start: plan.start,
        end: plan.end,
        stops: plan.stops.into_iter().map(stop).collect(),
        legs: plan.legs,
        return_time: plan.return_time,
        walking_metres: plan.walking_metres,
        walking_kcal: plan.walking_kcal,
        weather: cx.weather,
        weather_notes: plan.weather_notes,
        weather_note_codes: plan.weather_note_codes,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use itinerary::{Anchor, Category, LatLon, Leg, Mode, ReasonCode, StopKind, WarningCode};

    fn planned() -> itinerary::DayPlan {
        let at = LatLon::new(48.14, 11.57);
        let anchor = |time| Anchor {
            name: "Hotel".into(),
            position: at,
            time,
        };
        itinerary::DayPlan {
            day_index: 1,
            date: itinerary::Date {
                year: 2027,
                month: 6,
                day: 6,
            },
            start: anchor(540),
            end: anchor(1200),
            stops: vec![itinerary::Stop {
                place_id: "osm:node:1".into(),
                name: "Museum".into(),
                kind: StopKind::Visit,
                category: Category::Museum,
                position: at,
                arrival: 560,
                start: 600,
                end: 690,
                indoor: true,
                reason: itinerary::Reason {
                    code: ReasonCode::MatchesInterest,
                    text: "Matches the group's interests.".into(),
                    params: [("category".to_string(), "museum".to_string())].into(),
                },
                accessibility_note: None,
                access: Some(itinerary::Access::StepFree),
                indoor_alternative: None,
                parking: None,
                journey: None,
            }],
            legs: vec![
                Leg {
                    mode: Mode::Walk,
                    depart: 540,
                    minutes: 20,
                    metres: 400,
                    kcal: Some(22),
                    path: None,
                    line: None,
                    rides: Vec::new(),
                },
                Leg {
                    mode: Mode::Transit,
                    depart: 690,
                    minutes: 15,
                    metres: 3000,
                    kcal: None,
                    path: None,
                    line: None,
                    rides: Vec::new(),
                },
            ],
            return_time: 705,
            walking_metres: 400,
            walking_kcal: 22,
            weather_notes: vec![],
            weather_note_codes: vec![],
            warnings: vec![itinerary::Warning::new(
                WarningCode::NoLunch,
                "No lunch.".into(),
                None,
            )],
        }
    }

    #[test]
    fn a_planned_day_is_stored_with_its_wire_names() {
        let date = NaiveDate::from_ymd_opt(2027, 6, 6).unwrap();
        let day = stored_day(
            planned(),
            DayContext {
                date,
                city: "Munich".into(),
                destination_id: Uuid::nil(),
                weather: None,
                validator_warnings: vec![("OPENING_HOURS".into(), "Closed.".into())],
            },
        );
        assert_eq!(day.date, date);
        assert_eq!(day.city.as_deref(), Some("Munich"));
        let s = &day.stops[0];
        assert_eq!(
            (
                s.category.as_str(),
                s.reason.code.as_str(),
                s.access.as_deref()
            ),
            ("museum", "MATCHES_INTEREST", Some("stepFree"))
        );
        assert_eq!(day.legs[1].mode, Mode::Transit);
        let codes: Vec<&str> = day.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes, ["NO_LUNCH", "OPENING_HOURS"]);
    }
}
