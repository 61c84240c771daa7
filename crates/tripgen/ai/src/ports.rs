//! What the AI context needs from the others, as ports it owns. The composition root
//! (`tripgen::adapters::ai_*`) backs them with the trip and location services in-process,
//! or over HTTP in split mode.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tripgen_planner::itinerary::{
    Access, AirQuality, Category, DayPlan, Health, Interest, JourneyLinks, LatLon, OpenInterval,
    Sky, Transport, TravelModel,
};
use uuid::Uuid;

/// A traveller, as far as planning is concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberFacts {
    pub age: u8,
    pub health: Health,
    pub interests: Vec<Interest>,
}

/// One city stay of the trip.
#[derive(Debug, Clone, PartialEq)]
pub struct Stay {
    pub destination_id: Uuid,
    pub city: String,
    pub time_zone: String,
    pub centre: LatLon,
    /// Where the days start and end (the hotel, else the city centre).
    pub lodging: LatLon,
    pub lodging_name: String,
    pub start_date: NaiveDate,
    /// Check-out date.
    pub end_date: NaiveDate,
    /// Minutes since midnight.
    pub check_in: u32,
    pub check_out: u32,
}

/// Where the trip begins or ends (an airport, a station …): the first day starts with the
/// way from it, the last day ends with the way to it.
#[derive(Debug, Clone, PartialEq)]
pub struct TravelPoint {
    pub name: String,
    pub position: LatLon,
    /// Local time of the arrival there / of the departure from there (minutes since midnight).
    pub time: u32,
    /// IANA zone of the point (empty: the zone of the city it serves).
    pub time_zone: String,
}

/// The trip as the generation job reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct TripFacts {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub transport: Transport,
    pub members: Vec<MemberFacts>,
    pub stays: Vec<Stay>,
    /// The trip's arrival point and time, if the traveller gave them.
    pub arrival: Option<TravelPoint>,
    /// The trip's departure point and time, if the traveller gave them.
    pub departure: Option<TravelPoint>,
    /// The generation request the trip is waiting for.
    pub generation_request_id: Option<String>,
    /// Items that block a generation (empty when complete).
    pub missing: Vec<String>,
    /// What the imported OSM data knows between each stay and the next (`links[i]`:
    /// `stays[i]` → `stays[i + 1]`: stations, a ferry route), filled by the generation from
    /// the place port; empty or short = nothing known (the model's defaults).
    pub links: Vec<JourneyLinks>,
}

/// Weather of one day, as the planner and the schedule view need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayForecast {
    pub date: NaiveDate,
    pub sky: Sky,
    pub min_temp_c: Option<f64>,
    pub max_temp_c: Option<f64>,
    pub air: Option<AirQuality>,
    /// Severe-weather warnings in force (short texts).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// A generated day, with what the trip stores beside the planner's plan.
#[derive(Debug, Clone)]
pub struct GeneratedDay {
    /// The planner's plan; `day_index` is the trip's 0-based day.
    pub plan: DayPlan,
    pub date: NaiveDate,
    pub city: String,
    pub destination_id: Uuid,
    pub weather: Option<DayForecast>,
    /// Findings of the independent validator, as `(code, message)` (normally none).
    pub validator_warnings: Vec<(String, String)>,
}

/// The trip context.
#[async_trait]
pub trait TripPort: Send + Sync + 'static {
    async fn facts(&self, trip_id: Uuid) -> anyhow::Result<Option<TripFacts>>;
    /// Marks request `rid` running; `false` when it was cancelled or superseded.
    async fn started(&self, trip_id: Uuid, rid: &str) -> anyhow::Result<bool>;
    /// Place ids of every stored day (index = 0-based day).
    async fn places_by_day(&self, trip_id: Uuid) -> anyhow::Result<Vec<Vec<String>>>;
    /// Saves the result of `rid` as new versions; `false` (nothing written) when `rid` is
    /// no longer in progress: saved by an earlier attempt, or cancelled.
    async fn save(
        &self,
        trip_id: Uuid,
        rid: &str,
        days: Vec<GeneratedDay>,
        whole_trip: bool,
    ) -> anyhow::Result<bool>;
    /// Request `rid` failed for good.
    async fn failed(&self, trip_id: Uuid, rid: &str) -> anyhow::Result<()>;

    /// Live trips with a schedule whose first day begins in `(from_ms, to_ms]` (local
    /// midnight of the start date, epoch ms).
    async fn starting_between(&self, from_ms: i64, to_ms: i64) -> anyhow::Result<Vec<Starting>>;

    /// A fresh change check of the trip's schedule (TRIP-062); `None` when the trip has
    /// no schedule (or is gone).
    async fn check_changes(&self, trip_id: Uuid) -> anyhow::Result<Option<ChangeCheck>>;

    /// Puts a notice on the trip, once per `notice.key`: its title and message in every
    /// language we speak (the trip renders them from kind, params and report), `None`
    /// when it was there already.
    async fn notify(
        &self,
        trip_id: Uuid,
        notice: &TripNotice,
    ) -> anyhow::Result<Option<Vec<NoticeText>>>;
}

/// A trip about to start.
#[derive(Debug, Clone, PartialEq)]
pub struct Starting {
    pub trip_id: Uuid,
    pub owner_id: Uuid,
    pub start_date: NaiveDate,
}

/// What a change check found, as the notification job needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeCheck {
    pub changed: bool,
    /// `keep`, `replacePlace` or `regenerateDay`.
    pub suggestion: String,
    /// The whole report (stored with the notice).
    pub report: serde_json::Value,
}

/// A notice to put on a trip.
#[derive(Debug, Clone, PartialEq)]
pub struct TripNotice {
    /// Idempotency key (one notice per key, across replicas and retries).
    pub key: String,
    /// `d-1`.
    pub kind: String,
    /// What the texts are made of (`trip`: the trip's name); the trip renders them in
    /// the reader's language.
    pub params: std::collections::BTreeMap<String, String>,
    pub report: Option<serde_json::Value>,
}

/// A notice's title and message in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeText {
    pub lang: tripgen_platform::i18n::Language,
    pub title: String,
    pub message: String,
}

/// Whom to e-mail about a user's trip.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
}

/// The user context's contact details.
#[async_trait]
pub trait Recipients: Send + Sync + 'static {
    async fn recipient(&self, user_id: Uuid) -> anyhow::Result<Option<Recipient>>;
}

/// A catalogue place with its opening hours on the dates asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceFacts {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub category: Category,
    pub kind: String,
    pub position: LatLon,
    pub visit_minutes: u32,
    /// `Some(true)` indoor, `Some(false)` outdoor, `None` mixed.
    pub indoor: Option<bool>,
    pub access: Access,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
    /// Per requested date: `None` unknown, `Some([])` closed.
    pub hours: Vec<Option<Vec<OpenInterval>>>,
    /// The raw OSM `opening_hours` value (for the plan validator's own reading).
    pub opening_hours: Option<String>,
    /// How much travellers come for it, 0–100 (the catalogue's place significance).
    pub significance: u8,
    /// `cuisine=*` values (`vegetarian`, `vegan` … count for diets); empty when unknown.
    pub cuisine: Vec<String>,
}

/// The place catalogue (location context).
#[async_trait]
pub trait PlacePort: Send + Sync + 'static {
    /// Places within `radius_m` of `centre` in `city`, with hours on `dates`.
    async fn candidates(
        &self,
        city: &str,
        centre: LatLon,
        radius_m: f64,
        limit: usize,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<PlaceFacts>>;

    /// One place with its hours on `dates` (evaluated in `city`'s zone); `None` when the
    /// catalogue does not have it.
    async fn place(
        &self,
        city: &str,
        id: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Option<PlaceFacts>>;

    /// Places anywhere in `city` whose names may be `name` as a traveller wrote it (the
    /// catalogue's text search, with the city's best-known places for a name in another
    /// script), best-known first, with hours on `dates`; the caller picks the match.
    async fn named(
        &self,
        city: &str,
        name: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<PlaceFacts>>;

    /// The travel-time model the plans use.
    fn travel_model(&self) -> Arc<dyn TravelModel + Send + Sync>;

    /// The train stations nearest `from` and `to` and a ferry route joining them, from the
    /// imported OSM data (journeys between cities, docs/journeys.md).
    async fn journey_links(&self, from: LatLon, to: LatLon) -> anyhow::Result<JourneyLinks>;
}

/// Forecasts (location context's weather providers). `Ok(None)` for a date = no
/// forecast (too far ahead, or no provider): the plan is weather-neutral that day.
#[async_trait]
pub trait WeatherPort: Send + Sync + 'static {
    async fn forecast(
        &self,
        position: LatLon,
        time_zone: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<Option<DayForecast>>>;
}

/// The embedded default: no weather provider.
pub struct NoWeather;

#[async_trait]
impl WeatherPort for NoWeather {
    async fn forecast(
        &self,
        _position: LatLon,
        _time_zone: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<Option<DayForecast>>> {
        Ok(vec![None; dates.len()])
    }
}

/// The ports the AI context runs with.
#[derive(Clone)]
pub struct AiPorts {
    pub trips: Arc<dyn TripPort>,
    pub places: Arc<dyn PlacePort>,
    pub weather: Arc<dyn WeatherPort>,
    /// Turns special requests into constraints and writes texts; `None` = deterministic.
    pub language: Option<Arc<dyn crate::llm::LanguageModel>>,
    /// E-mail for notices: the owner's address and the mail port (`None`: notices are
    /// stored on the trip only).
    pub mail: Option<(Arc<dyn Recipients>, Arc<dyn tripgen_platform::mail::Mailer>)>,
}
