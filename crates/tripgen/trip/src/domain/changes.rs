//! Change detection (TRIP-062), the pure part: what changed between the weather a day
//! was planned with and the current forecast, whether each stop is still open at its
//! planned time, and what to suggest. The service (`crate::app::changes`) gathers the facts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use tripgen_platform::i18n::Language;

use super::model::LatLon;
use super::schedule::{
    AirQuality, DayPlan, DayWeather, OpenInterval, Sky, Stop, TextParams, hhmm, params,
};
use super::texts;

/// A temperature shift (daily max or min) this large is worth a notice (°C).
pub const TEMPERATURE_SHIFT_C: f64 = 10.0;

/// What to do about a change, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Suggestion {
    Keep,
    ReplacePlace,
    RegenerateDay,
}

/// One reason. Codes: `WEATHER_RAIN`, `WEATHER_SNOW`, `TEMPERATURE_SHIFT`,
/// `WEATHER_WARNING`, `BAD_AIR`, `PLACE_CLOSED`, `PLACE_REMOVED`, `HOURS_UNKNOWN`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangeReason {
    pub code: String,
    pub message: String,
    /// 1-based day.
    pub day: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_id: Option<String>,
    /// What `message` is made of, to render it in the reader's language (absent in
    /// checks stored before).
    #[serde(default, skip_serializing_if = "TextParams::is_empty")]
    pub params: TextParams,
}

impl ChangeReason {
    /// A reason with its English message rendered from `code` and `params`.
    fn new(code: &str, params: TextParams, day: usize) -> ChangeReason {
        ChangeReason {
            code: code.into(),
            message: texts::change_reason(code, &params, Language::En).unwrap_or_default(),
            day,
            stop_index: None,
            place_id: None,
            params,
        }
    }
}

/// A journey on a day whose weather changed: the traveller should allow for it
/// (`JOURNEY_WEATHER`, params `name`, `mode`, `depart`).
pub fn journey_reason(day: usize, stop_index: usize, s: &Stop) -> Option<ChangeReason> {
    let j = s.journey.as_ref()?;
    let params = super::schedule::params(&[
        ("name", &s.name),
        ("mode", j.mode.as_str()),
        ("depart", &super::schedule::hhmm(j.depart)),
    ]);
    Some(ChangeReason {
        stop_index: Some(stop_index),
        place_id: Some(s.place_id.clone()),
        ..ChangeReason::new("JOURNEY_WEATHER", params, day)
    })
}

/// An open place of the same kind near a closed stop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NearbyAlternative {
    pub place_id: String,
    pub name: String,
    pub category: String,
    pub metres: u32,
    /// Opening hours on that date (`HH:MM–HH:MM`).
    pub open: Vec<String>,
}

/// A stop that can no longer be visited as planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AffectedStop {
    pub stop_index: usize,
    pub place_id: String,
    pub name: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    /// `PLACE_CLOSED`, `PLACE_REMOVED` or `HOURS_UNKNOWN`.
    pub code: String,
    pub suggestion: Suggestion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<NearbyAlternative>,
}

/// One day with changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AffectedDay {
    /// 1-based.
    pub day: usize,
    pub date: NaiveDate,
    #[serde(default)]
    pub city: Option<String>,
    pub reasons: Vec<ChangeReason>,
    pub stops: Vec<AffectedStop>,
    pub suggestion: Suggestion,
    /// The weather the day was planned with, and the current forecast.
    #[serde(default)]
    pub planned_weather: Option<DayWeather>,
    #[serde(default)]
    pub current_weather: Option<DayWeather>,
}

/// Answer of `POST /{id}/schedules/check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangeReport {
    pub trip_id: Uuid,
    pub checked_at: DateTime<Utc>,
    /// `true` when this is the stored result of today's earlier check.
    pub cached: bool,
    /// Anything worth telling (at least one reason).
    pub changed: bool,
    /// The strongest suggestion of all days.
    pub suggestion: Suggestion,
    /// Every reason, day by day.
    pub reasons: Vec<ChangeReason>,
    /// Days with changes only.
    pub days: Vec<AffectedDay>,
    /// Upcoming days looked at (past days are not checked).
    pub days_checked: usize,
    /// Days for which a current forecast was available.
    pub days_with_forecast: usize,
}

/// How a stop stands in the catalogue at its planned time.
#[derive(Debug, Clone, PartialEq)]
pub enum StopState {
    Open,
    /// Not in the catalogue any more.
    Removed,
    /// Hours not known for that date (open-air places without hours are `Open`).
    Unknown,
    /// Closed for (part of) the visit; the day's hours.
    Closed(Vec<OpenInterval>),
}

fn bad_air(air: Option<AirQuality>) -> bool {
    air.is_some_and(AirQuality::is_bad)
}

fn temp(t: Option<f64>) -> String {
    t.map(|t| format!("{t:.0}")).unwrap_or_else(|| "?".into())
}

/// Weather reasons of 1-based `day` between the planned weather (`None`: the plan was
/// weather-neutral) and the current forecast.
pub fn weather_reasons(
    day: usize,
    planned: Option<&DayWeather>,
    now: &DayWeather,
) -> Vec<ChangeReason> {
    let mut out = Vec::new();
    let mut push = |code: &str, p: TextParams| out.push(ChangeReason::new(code, p, day));
    if now.sky.is_wet() && !planned.is_some_and(|p| p.sky.is_wet()) {
        let (code, what) = match now.sky {
            Sky::Snow => ("WEATHER_SNOW", "snow"),
            Sky::Storm => ("WEATHER_RAIN", "storm"),
            _ => ("WEATHER_RAIN", "rain"),
        };
        push(
            code,
            params(&[
                ("what", what),
                ("planned", planned.map_or("", |p| p.sky.as_str())),
            ]),
        );
    }
    if let Some(p) = planned {
        let shift = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (b - a).abs(),
            _ => 0.0,
        };
        let by = shift(p.max_temp_c, now.max_temp_c).max(shift(p.min_temp_c, now.min_temp_c));
        if by >= TEMPERATURE_SHIFT_C {
            push(
                "TEMPERATURE_SHIFT",
                params(&[
                    ("by", &format!("{by:.0}")),
                    ("nowMin", &temp(now.min_temp_c)),
                    ("nowMax", &temp(now.max_temp_c)),
                    ("plannedMin", &temp(p.min_temp_c)),
                    ("plannedMax", &temp(p.max_temp_c)),
                ]),
            );
        }
    }
    let new_warnings: Vec<&str> = now
        .warnings
        .iter()
        .filter(|w| !planned.is_some_and(|p| p.warnings.contains(w)))
        .map(String::as_str)
        .collect();
    if !new_warnings.is_empty() {
        push(
            "WEATHER_WARNING",
            params(&[("warnings", &new_warnings.join("; "))]),
        );
    }
    if bad_air(now.air) && !planned.is_some_and(|p| bad_air(p.air)) {
        push(
            "BAD_AIR",
            params(&[("air", now.air.map_or("poor", AirQuality::as_str))]),
        );
    }
    out
}

/// Places that are open whenever one can be there when the data has no hours (the
/// planner schedules them without hours, so unknown hours are no news for them).
pub fn open_air(category: &str, indoor: bool) -> bool {
    matches!(category, "park" | "viewpoint" | "nature" | "bench")
        || (matches!(category, "historic" | "attraction") && !indoor)
}

/// The state of `stop` given the catalogue's answer: `None` = not in the catalogue;
/// `Some((category, indoor, hours))` with the hours of the day (`None` unknown).
pub fn stop_state(
    stop: &Stop,
    catalogue: Option<(&str, bool, Option<&[OpenInterval]>)>,
) -> StopState {
    let Some((category, indoor, hours)) = catalogue else {
        return StopState::Removed;
    };
    match hours {
        None if open_air(category, indoor) => StopState::Open,
        None => StopState::Unknown,
        Some(iv) => {
            if iv
                .iter()
                .any(|i| i.open <= stop.start && stop.end <= i.close)
            {
                StopState::Open
            } else {
                StopState::Closed(iv.to_vec())
            }
        }
    }
}

pub fn intervals_text(iv: &[OpenInterval]) -> Vec<String> {
    iv.iter()
        .map(|i| format!("{}–{}", hhmm(i.open), hhmm(i.close)))
        .collect()
}

/// The reason for a stop that cannot be visited as planned (`None` when it can).
pub fn stop_reason(
    day: usize,
    index: usize,
    stop: &Stop,
    state: &StopState,
) -> Option<ChangeReason> {
    let name = stop.name.as_str();
    let (start, end) = (hhmm(stop.start), hhmm(stop.end));
    let (code, p) = match state {
        StopState::Open => return None,
        StopState::Removed => ("PLACE_REMOVED", params(&[("name", name)])),
        // Unknown hours of a generated stop are not a change: the planner chose it knowing
        // (open-air, asked for, or a documented visiting window, with its own note). A stop
        // the user added is reported, since nothing checked its hours.
        StopState::Unknown if stop.reason.code != "ADDED_BY_USER" => return None,
        StopState::Unknown => ("HOURS_UNKNOWN", params(&[("name", name)])),
        StopState::Closed(iv) => (
            "PLACE_CLOSED",
            params(&[
                ("name", name),
                ("start", &start),
                ("end", &end),
                ("hours", &intervals_text(iv).join(", ")),
            ]),
        ),
    };
    Some(ChangeReason {
        stop_index: Some(index),
        place_id: Some(stop.place_id.clone()),
        ..ChangeReason::new(code, p, day)
    })
}

/// The day's suggestion: weather changes with outdoor stops, or more than half of the
/// stops unusable → regenerate the day; some stops closed or removed → replace them;
/// unknown hours or weather that does not touch the plan → keep.
pub fn day_suggestion(day: &DayPlan, reasons: &[ChangeReason]) -> Suggestion {
    let weather = reasons.iter().any(|r| r.stop_index.is_none());
    let outdoor = day.stops.iter().any(|s| !s.indoor);
    let broken = reasons
        .iter()
        .filter(|r| matches!(r.code.as_str(), "PLACE_CLOSED" | "PLACE_REMOVED"))
        .count();
    if (weather && outdoor) || (broken > 0 && broken * 2 > day.stops.len()) {
        Suggestion::RegenerateDay
    } else if broken > 0 {
        Suggestion::ReplacePlace
    } else {
        Suggestion::Keep
    }
}

/// Great-circle distance in metres.
pub fn metres(a: LatLon, b: LatLon) -> u32 {
    platform_geo::haversine_m(a, b).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(sky: &str, min: f64, max: f64) -> DayWeather {
        DayWeather {
            sky: serde_json::from_value(serde_json::Value::String(sky.into())).unwrap(),
            min_temp_c: Some(min),
            max_temp_c: Some(max),
            air: Some(AirQuality::Good),
            warnings: vec![],
        }
    }

    fn codes(r: &[ChangeReason]) -> Vec<&str> {
        r.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn rain_appearing_is_reported_once() {
        assert_eq!(
            codes(&weather_reasons(
                1,
                Some(&w("clear", 12.0, 24.0)),
                &w("rain", 12.0, 22.0)
            )),
            ["WEATHER_RAIN"]
        );
        assert!(
            weather_reasons(1, Some(&w("rain", 12.0, 24.0)), &w("rain", 12.0, 22.0)).is_empty()
        );
        assert_eq!(
            codes(&weather_reasons(2, None, &w("snow", -3.0, 1.0))),
            ["WEATHER_SNOW"]
        );
    }

    #[test]
    fn english_messages_are_rendered_from_the_params() {
        let r = weather_reasons(1, None, &w("storm", 12.0, 22.0));
        assert_eq!(
            r[0].message,
            "Thunderstorms is now forecast; the day was planned for unknown weather."
        );
        let mut ko = r[0].clone();
        ko.message = texts::change_reason(&ko.code, &ko.params, Language::Ko).unwrap();
        assert_eq!(
            ko.message,
            "이제 뇌우 예보가 있습니다. 이 날은 날씨 정보 없이 계획되었습니다."
        );
    }

    #[test]
    fn temperature_shift_of_ten_degrees() {
        assert!(
            weather_reasons(1, Some(&w("clear", 12.0, 24.0)), &w("clear", 10.0, 15.0)).is_empty()
        );
        assert_eq!(
            codes(&weather_reasons(
                1,
                Some(&w("clear", 12.0, 24.0)),
                &w("clear", 4.0, 14.0)
            )),
            ["TEMPERATURE_SHIFT"]
        );
    }

    #[test]
    fn new_warnings_and_bad_air() {
        let mut now = w("cloudy", 10.0, 20.0);
        now.warnings = vec!["Wind gusts".into()];
        now.air = Some(AirQuality::Poor);
        let mut planned = w("cloudy", 10.0, 20.0);
        assert_eq!(
            codes(&weather_reasons(1, Some(&planned), &now)),
            ["WEATHER_WARNING", "BAD_AIR"]
        );
        planned.warnings = vec!["Wind gusts".into()];
        planned.air = Some(AirQuality::Hazardous);
        assert!(weather_reasons(1, Some(&planned), &now).is_empty());
    }

    #[test]
    fn open_air_places_without_hours_are_open() {
        assert!(open_air("park", false));
        assert!(open_air("historic", false));
        assert!(!open_air("historic", true));
        assert!(!open_air("museum", false));
    }

    #[test]
    fn metres_between_points() {
        let a = LatLon {
            lat: 48.137,
            lon: 11.575,
        };
        let b = LatLon {
            lat: 48.146,
            lon: 11.575,
        };
        assert!((990..=1010).contains(&metres(a, b)), "{}", metres(a, b));
    }
}
