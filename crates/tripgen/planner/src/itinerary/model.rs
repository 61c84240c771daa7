//! Input and output types of the itinerary layer. Times are minutes since local midnight of
//! the day; the caller converts to civil time. All types serialise with camelCase names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::category::{Category, Interest};

/// Minutes since local midnight.
pub type Minutes = u32;

/// The workspace's one point type (WGS 84 degrees).
pub use platform_geo::LatLon;

/// A civil date (for weekday logic and display).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// 0 = Monday … 6 = Sunday (Sakamoto's method, proleptic Gregorian).
    pub fn weekday(self) -> u8 {
        const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let m = self.month.clamp(1, 12) as usize;
        let y = i64::from(self.year) - i64::from(m < 3);
        let d = i64::from(self.day);
        let sunday0 = (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + T[m - 1] + d)
            .rem_euclid(7);
        ((sunday0 + 6) % 7) as u8
    }
}

/// One open interval `[open, close]` in minutes since midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OpenInterval {
    pub open: Minutes,
    pub close: Minutes,
}

/// Wheelchair / step-free access as known from the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Access {
    StepFree,
    Limited,
    NotStepFree,
    #[default]
    Unknown,
}

/// A place the planner may use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub position: LatLon,
    pub category: Category,
    /// Open intervals per trip day (same index as [`TripRequest::days`]), evaluated by the
    /// caller from the OSM opening hours. `None` (or a missing entry) = unknown: the planner
    /// never schedules a visit with unknown hours; a caller that wants to allow such places
    /// passes assumed intervals or sets `always_open`. `Some(vec![])` = closed that day.
    #[serde(default)]
    pub hours: Vec<Option<Vec<OpenInterval>>>,
    /// Parks, viewpoints, benches …: open at any time of the day. Also set by a caller for
    /// a place whose hours are unknown that the user asked for; a stop at a place with
    /// unknown hours then carries [`WarningCode::HoursUnknown`].
    #[serde(default)]
    pub always_open: bool,
    /// `hours` are the caller's assumption (a major museum or palace whose hours OSM does
    /// not publish, planned within usual daytime hours), not the place's own: a stop there
    /// carries [`WarningCode::HoursUnknown`] like any other visit without known hours.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hours_assumed: bool,
    /// The raw OSM `opening_hours` value `hours` was evaluated from, if any: the validator
    /// reads it itself (see `hours_check`), so that a misreading is caught.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    /// Typical visit duration in minutes.
    pub visit_minutes: Minutes,
    /// Attractiveness, typically 0–100 (popularity, rating, curation).
    pub score: f64,
    /// Indoor place; `None` = category default.
    #[serde(default)]
    pub indoor: Option<bool>,
    #[serde(default)]
    pub access: Access,
}

impl Candidate {
    pub fn is_indoor(&self) -> bool {
        self.indoor.unwrap_or(self.category.indoor_by_default())
    }
}

/// Where a day starts or ends (hotel or arrival point), and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Anchor {
    pub name: String,
    pub position: LatLon,
    pub time: Minutes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DayKind {
    /// Check-in day: starts at the arrival point/time.
    Arrival,
    #[default]
    Full,
    /// Check-out day: ends at the departure time.
    Departure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sky {
    Clear,
    // Provider words that mean the same for a plan read as these five.
    #[serde(alias = "fog", alias = "partlyCloudy")]
    Cloudy,
    #[serde(alias = "drizzle", alias = "sleet")]
    Rain,
    Snow,
    #[serde(alias = "thunderstorm")]
    Storm,
}

impl Sky {
    /// The wire name (`clear`, `cloudy`, `rain`, `snow`, `storm`).
    pub fn as_str(self) -> &'static str {
        match self {
            Sky::Clear => "clear",
            Sky::Cloudy => "cloudy",
            Sky::Rain => "rain",
            Sky::Snow => "snow",
            Sky::Storm => "storm",
        }
    }

    /// Rain, snow or a storm.
    pub fn is_wet(self) -> bool {
        matches!(self, Sky::Rain | Sky::Snow | Sky::Storm)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AirQuality {
    Good,
    Moderate,
    Poor,
    Hazardous,
}

impl AirQuality {
    /// The wire name (`good`, `moderate`, `poor`, `hazardous`).
    pub fn as_str(self) -> &'static str {
        match self {
            AirQuality::Good => "good",
            AirQuality::Moderate => "moderate",
            AirQuality::Poor => "poor",
            AirQuality::Hazardous => "hazardous",
        }
    }

    /// Poor or hazardous.
    pub fn is_bad(self) -> bool {
        matches!(self, AirQuality::Poor | AirQuality::Hazardous)
    }
}

/// Forecast for one day; absent = weather-neutral.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Weather {
    pub sky: Sky,
    #[serde(default)]
    pub max_temp_c: Option<f64>,
    #[serde(default)]
    pub min_temp_c: Option<f64>,
    #[serde(default)]
    pub air: Option<AirQuality>,
}

/// One day of the trip in one city.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaySpec {
    pub date: Date,
    pub start: Anchor,
    pub end: Anchor,
    #[serde(default)]
    pub kind: DayKind,
    #[serde(default)]
    pub weather: Option<Weather>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Health {
    Limited,
    Caution,
    Good,
    Excellent,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub health: Health,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupProfile {
    pub members: Vec<Member>,
}

impl GroupProfile {
    /// The most restricted member decides (an empty group counts as `good`).
    pub fn worst_health(&self) -> Health {
        self.members
            .iter()
            .map(|m| m.health)
            .min()
            .unwrap_or(Health::Good)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Transport {
    #[default]
    Public,
    Car,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Pace {
    Slow,
    #[default]
    Normal,
    Fast,
}

/// Structured constraints from the user (or the AI pipeline).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Constraints {
    #[serde(default)]
    pub must_visit: Vec<String>,
    #[serde(default)]
    pub avoid_places: Vec<String>,
    #[serde(default)]
    pub avoid_categories: Vec<Category>,
    #[serde(default)]
    pub more_of: Vec<Category>,
    #[serde(default)]
    pub less_of: Vec<Category>,
    #[serde(default)]
    pub pace: Pace,
}

/// Search limits. Deterministic for a given seed and iteration limit; the time limit is a
/// safety net (if it triggers, results depend on machine speed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanOptions {
    pub seed: u64,
    pub max_iterations: u64,
    pub time_limit_ms: u64,
    /// Sightseeing candidates kept per city after prefiltering (0 = automatic).
    #[serde(default)]
    pub max_candidates: usize,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            seed: 1,
            max_iterations: 800,
            time_limit_ms: 200,
            max_candidates: 0,
        }
    }
}

/// Everything needed to plan the days of one city.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TripRequest {
    pub days: Vec<DaySpec>,
    pub candidates: Vec<Candidate>,
    pub group: GroupProfile,
    #[serde(default)]
    pub transport: Transport,
    #[serde(default)]
    pub interests: Vec<Interest>,
    #[serde(default)]
    pub constraints: Constraints,
    #[serde(default)]
    pub options: PlanOptions,
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    Walk,
    Transit,
    Car,
    Taxi,
}

impl Mode {
    /// The wire name (`walk`, `transit`, `car`, `taxi`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Walk => "walk",
            Mode::Transit => "transit",
            Mode::Car => "car",
            Mode::Taxi => "taxi",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum StopKind {
    Visit,
    Lunch,
    Dinner,
    Rest,
    /// A journey between cities (or from the arrival point, to the departure point): the
    /// stop's `journey` says how and when.
    Journey,
}

/// The values a text is made of (place name, category key, counts …), so that a reader
/// can render the text in another language from the code and these. Empty in plans from
/// before they were kept.
pub type TextParams = BTreeMap<String, String>;

/// Stable reason codes so that a UI can translate; `text` is the English rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: TextParams,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Parking {
    pub place_id: String,
    pub name: String,
    pub metres_to_stop: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alternative {
    pub place_id: String,
    pub name: String,
    pub category: Category,
    pub metres_from_stop: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    pub place_id: String,
    pub name: String,
    pub kind: StopKind,
    pub category: Category,
    pub position: LatLon,
    pub arrival: Minutes,
    pub start: Minutes,
    pub end: Minutes,
    pub indoor: bool,
    pub reason: Reason,
    /// Accessibility remark for groups that need step-free access.
    #[serde(default)]
    pub accessibility_note: Option<String>,
    /// The access the note is about (set with the note; renders it in other languages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    /// Indoor fallback for an outdoor stop on a wet day.
    #[serde(default)]
    pub indoor_alternative: Option<Alternative>,
    /// Suggested parking for stops reached by car.
    #[serde(default)]
    pub parking: Option<Parking>,
    /// The journey of a stop of kind `journey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journey: Option<super::journey::Journey>,
}

/// Travel between consecutive points (start → stop 1 → … → end).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    pub mode: Mode,
    pub depart: Minutes,
    pub minutes: Minutes,
    pub metres: u32,
    // Energy for walking legs (kcal), `None` for other modes.
    #[serde(default)]
    pub kcal: Option<u32>,
    /// The leg's way along the streets as `[lon, lat]` pairs (GeoJSON order), simplified
    /// to a few metres; stored with the plan so maps and exports draw what was timed.
    /// Absent where only the straight line is known (no street graph there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<Vec<f64>>>))]
    pub path: Option<Vec<[f64; 2]>>,
    /// Public transport on an imported timetable (GTFS): the lines ridden, as the feed
    /// names them (`U3`; `U3, 19` with a change). Absent where no timetable covers the
    /// leg (the headway model timed it) and for other modes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The vehicles of that journey: line, stops and times from the timetable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rides: Vec<LegRide>,
}

/// One vehicle of a public-transport leg, from the timetable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LegRide {
    /// Line name in the feed (`route_short_name`).
    pub line: String,
    /// Stop boarded at and stop left at (the feed's stop names).
    pub from: String,
    pub to: String,
    /// Departure from `from` and arrival at `to`, minutes after midnight.
    pub departs: Minutes,
    pub arrives: Minutes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WarningCode {
    MustVisitNotPlanned,
    FewerPlacesThanPlanned,
    RestShortfall,
    NoLunch,
    NoDinner,
    NoIndoorAlternative,
    NotStepFree,
    CategoryUnavailable,
    /// A stop at a place whose opening hours are unknown that day (open-air by nature, or
    /// asked for by the user): "opening hours unknown — check before you go".
    HoursUnknown,
    /// A special request the plan could not honour, with why (params `text`, `textKo`).
    RequestNotHonoured,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    #[serde(default)]
    pub place_id: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: TextParams,
}

impl Warning {
    pub fn new(code: WarningCode, message: String, place_id: Option<String>) -> Warning {
        Warning {
            code,
            message,
            place_id,
            params: TextParams::new(),
        }
    }

    /// Adds a text parameter.
    pub fn with(mut self, key: &str, value: impl ToString) -> Warning {
        self.params.insert(key.into(), value.to_string());
        self
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayPlan {
    pub day_index: usize,
    pub date: Date,
    pub start: Anchor,
    pub end: Anchor,
    pub stops: Vec<Stop>,
    /// `stops.len() + 1` legs: start → first stop, …, last stop → end.
    pub legs: Vec<Leg>,
    /// Time of arrival at the end anchor.
    pub return_time: Minutes,
    pub walking_metres: u32,
    pub walking_kcal: u32,
    #[serde(default)]
    pub weather_notes: Vec<String>,
    /// A stable code per weather note (`RAIN`, `SNOW`, `STORM`, `HOT`, `COLD`, `POOR_AIR`,
    /// `HAZARDOUS_AIR`, `WEATHER_UNAVAILABLE`), same order as `weather_notes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weather_note_codes: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TripPlan {
    pub days: Vec<DayPlan>,
    /// Trip-level warnings (e.g. a must-visit place that fits no day).
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_of_known_dates() {
        // 2024-01-01 was a Monday, 2000-02-29 a Tuesday, 2026-12-25 a Friday.
        assert_eq!(
            Date {
                year: 2024,
                month: 1,
                day: 1
            }
            .weekday(),
            0
        );
        assert_eq!(
            Date {
                year: 2000,
                month: 2,
                day: 29
            }
            .weekday(),
            1
        );
        assert_eq!(
            Date {
                year: 2026,
                month: 12,
                day: 25
            }
            .weekday(),
            4
        );
    }

    #[test]
    fn camel_case_fields() {
        let leg = Leg {
            mode: Mode::Walk,
            depart: 600,
            minutes: 5,
            metres: 400,
            kcal: Some(20),
            path: None,
            line: None,
            rides: Vec::new(),
        };
        let s = serde_json::to_string(&leg).unwrap();
        assert!(s.contains("\"mode\":\"walk\""));
        let w = Warning::new(WarningCode::NoLunch, String::new(), None);
        assert!(serde_json::to_string(&w).unwrap().contains("\"placeId\""));
        assert!(serde_json::to_string(&w).unwrap().contains("NO_LUNCH"));
    }
}
