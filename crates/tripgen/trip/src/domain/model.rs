//! The trip aggregate as the domain sees it: a trip, its members and its chained
//! destinations. Serialisable, because the detail view is cached as this record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// How the group moves between places (TRIP-030).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TransportMode {
    Public,
    Car,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
    Other,
}

/// `excellent` all activities, `good` normal, `caution` nothing strenuous, `limited`
/// rest-centred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Excellent,
    Good,
    Caution,
    Limited,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Preference {
    Sightseeing,
    Shopping,
    Culture,
    Nature,
    Sports,
    Rest,
}

/// Lower-case wire names and parsing shared by the enums above.
pub trait WireEnum: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s.trim())
    }
    fn expected() -> String {
        Self::ALL
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl WireEnum for TransportMode {
    const ALL: &'static [Self] = &[TransportMode::Public, TransportMode::Car];
    fn as_str(self) -> &'static str {
        match self {
            TransportMode::Public => "public",
            TransportMode::Car => "car",
        }
    }
}

impl WireEnum for Gender {
    const ALL: &'static [Self] = &[Gender::Male, Gender::Female, Gender::Other];
    fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
        }
    }
}

impl WireEnum for Health {
    const ALL: &'static [Self] = &[
        Health::Excellent,
        Health::Good,
        Health::Caution,
        Health::Limited,
    ];
    fn as_str(self) -> &'static str {
        match self {
            Health::Excellent => "excellent",
            Health::Good => "good",
            Health::Caution => "caution",
            Health::Limited => "limited",
        }
    }
}

impl WireEnum for Preference {
    const ALL: &'static [Self] = &[
        Preference::Sightseeing,
        Preference::Shopping,
        Preference::Culture,
        Preference::Nature,
        Preference::Sports,
        Preference::Rest,
    ];
    fn as_str(self) -> &'static str {
        match self {
            Preference::Sightseeing => "sightseeing",
            Preference::Shopping => "shopping",
            Preference::Culture => "culture",
            Preference::Nature => "nature",
            Preference::Sports => "sports",
            Preference::Rest => "rest",
        }
    }
}

/// The workspace's one point type (WGS 84 degrees).
pub use platform_geo::LatLon;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    pub age: u8,
    pub gender: Gender,
    pub health_status: Health,
    pub preferences: Vec<Preference>,
}

/// A member as validated from a request, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberInput {
    pub id: Option<Uuid>,
    pub name: String,
    pub age: u8,
    pub gender: Gender,
    pub health_status: Health,
    pub preferences: Vec<Preference>,
}

/// A destination resolved through the gazetteer, with its place in the date chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub id: Uuid,
    /// The city name as the user typed it.
    pub destination_name: String,
    /// The gazetteer's name of the city.
    pub city_name: String,
    pub position: LatLon,
    /// IANA time zone of the city.
    pub time_zone: String,
    pub country: Option<String>,
    pub nights: u32,
    /// Hotel name as typed, if any.
    pub accommodation: Option<String>,
    /// Where the days start and end: the hotel when the catalogue knows it, else the
    /// city centre.
    pub lodging: LatLon,
    pub lodging_resolved: bool,
    /// `HH:MM`
    pub check_in_time: String,
    /// `HH:MM`
    pub check_out_time: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// What an arrival or departure point was resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PointKind {
    /// An airport of the shipped airport list (by name or IATA/ICAO code).
    Airport,
    /// A place of the catalogue (OSM) near the city.
    Place,
    /// A town or city of the gazetteer near the destination.
    City,
}

/// Where the trip begins (`arrival`, on its first day) or ends (`departure`, on its last
/// day): the point the traveller named, resolved (issue 18, docs/journeys.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TravelPoint {
    /// `HH:MM`, local time at the point: landing / arriving there (arrival), the train or
    /// plane leaving (departure).
    pub time: String,
    /// The name as typed.
    pub place: String,
    /// What it resolved to (`Munich International Airport (MUC)`).
    pub name: String,
    pub kind: PointKind,
    pub position: LatLon,
    /// IANA zone of the point.
    pub time_zone: String,
}

/// State of the schedule relative to the trip's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScheduleState {
    /// Never generated.
    None,
    /// Generated for the current settings.
    Ready,
    /// Generated, but destinations, dates, transport or health changed since.
    Outdated,
}

impl ScheduleState {
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleState::None => "none",
            ScheduleState::Ready => "ready",
            ScheduleState::Outdated => "outdated",
        }
    }
    pub fn parse(s: &str) -> ScheduleState {
        match s {
            "ready" => ScheduleState::Ready,
            "outdated" => ScheduleState::Outdated,
            _ => ScheduleState::None,
        }
    }
}

/// Generation job state as the AI context reports it to the trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GenerationState {
    Idle,
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

impl GenerationState {
    pub fn as_str(self) -> &'static str {
        match self {
            GenerationState::Idle => "idle",
            GenerationState::Queued => "queued",
            GenerationState::Running => "running",
            GenerationState::Completed => "completed",
            GenerationState::Failed => "failed",
            GenerationState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> GenerationState {
        match s {
            "queued" => GenerationState::Queued,
            "running" => GenerationState::Running,
            "completed" => GenerationState::Completed,
            "failed" => GenerationState::Failed,
            "cancelled" => GenerationState::Cancelled,
            _ => GenerationState::Idle,
        }
    }
    pub fn in_progress(self) -> bool {
        matches!(self, GenerationState::Queued | GenerationState::Running)
    }
}

/// Everything the detail view of a trip is rendered from (cached as one JSON document).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TripRecord {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub transport_mode: Option<TransportMode>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Epoch ms of local midnight of the start date in the first city's zone.
    pub starts_at: Option<i64>,
    /// Epoch ms of local midnight after the end date in the last city's zone.
    pub ends_at: Option<i64>,
    pub schedule_state: ScheduleState,
    pub schedule_days: u32,
    pub generation_state: GenerationState,
    pub generation_request_id: Option<String>,
    pub generated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    pub members: Vec<Member>,
    pub destinations: Vec<Destination>,
    /// Until when (epoch ms) a share link opens the trip (`i64::MAX`: no expiry); `None`
    /// when no link is live. Kept as a time, not a flag, so a cached record stops counting
    /// a link the moment it expires.
    #[serde(default)]
    pub share_until: Option<i64>,
    /// Where and when the trip begins, if the traveller said.
    #[serde(default)]
    pub arrival: Option<TravelPoint>,
    /// Where and when the trip ends, if the traveller said.
    #[serde(default)]
    pub departure: Option<TravelPoint>,
}

impl TripRecord {
    /// Whether a share link opens the trip at `now_ms` (an expired, unrevoked link does not).
    pub fn is_shared(&self, now_ms: i64) -> bool {
        self.share_until.is_some_and(|until| until > now_ms)
    }
}
