//! Request and response bodies of the trip API (camelCase, PRODUCT.md §5 names).
//! Request fields are optional so that every missing or invalid field is reported at once,
//! with its JSON path (`members[2].age`, `destinations[0].nights`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::calendar::{OngoingProgress, TripStatus};
use crate::domain::cover::Cover;
use crate::domain::model::{
    Gender, GenerationState, Health, PointKind, Preference, ScheduleState, TransportMode,
};
use crate::domain::schedule::{DayPlan, Violation};
use crate::domain::steps::StepState;

// --- requests ---------------------------------------------------------------------------

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct MemberRequest {
    /// Keep this member's id (basic-info); omitted = a new member.
    pub id: Option<Uuid>,
    /// 2–20 characters.
    pub name: Option<String>,
    /// 1–120.
    pub age: Option<i64>,
    /// `male`, `female` or `other`.
    pub gender: Option<String>,
    /// `excellent`, `good`, `caution` or `limited`.
    pub health_status: Option<String>,
    /// Subset of `sightseeing`, `shopping`, `culture`, `nature`, `sports`, `rest`.
    pub preferences: Option<Vec<String>>,
}

/// `POST /trips`: a name is enough to start; transport and members may come later
/// (`PUT /{id}/basic-info`).
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct CreateTripRequest {
    /// 1–16 characters.
    pub trip_name: Option<String>,
    /// `public` or `car`.
    pub transport_mode: Option<String>,
    /// 1–10 members, when given.
    pub members: Option<Vec<MemberRequest>>,
}

/// `PUT /trips/{id}`: fields present are changed, absent ones kept. A new `startDate`
/// moves the whole destination chain.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTripRequest {
    pub trip_name: Option<String>,
    pub transport_mode: Option<String>,
    /// `YYYY-MM-DD`
    pub start_date: Option<String>,
    /// Where and when the trip begins; `null` removes it, absent keeps it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<TravelPointRequest>, nullable)]
    pub arrival: Option<Option<TravelPointRequest>>,
    /// Where and when the trip ends; `null` removes it, absent keeps it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<TravelPointRequest>, nullable)]
    pub departure: Option<Option<TravelPointRequest>>,
}

/// A field that is present (`Some`), possibly `null` (`Some(None)`); absent is `None`
/// through `#[serde(default)]`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The trip's arrival or departure (issue 18): a local time and a point the traveller
/// names (an airport by name or IATA code, a place of the catalogue, a nearby town). The
/// arrival is on the trip's first day near the first city, the departure on its last day
/// near the last city.
#[derive(Debug, Deserialize, ToSchema, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TravelPointRequest {
    /// `HH:MM`, local time at the point: landing or arriving there (arrival), the plane or
    /// train leaving (departure).
    pub time: Option<String>,
    /// ≤ 60 characters: `MUC`, `Munich Airport`, `Flughafen München`, `Porto airport`.
    pub place: Option<String>,
}

/// `PUT /trips/{id}/basic-info` (TRIP-030): name, transport and all members.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct BasicInfoRequest {
    pub trip_name: Option<String>,
    pub transport_mode: Option<String>,
    pub members: Option<Vec<MemberRequest>>,
}

#[derive(Debug, Deserialize, ToSchema, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRequest {
    /// City, ≤ 20 characters, resolved through the gazetteer.
    pub destination_name: Option<String>,
    /// 1–30.
    pub nights: Option<i64>,
    /// Hotel name, ≤ 20 characters, optional.
    pub accommodation: Option<String>,
    /// `HH:MM`, default `15:00`.
    pub check_in_time: Option<String>,
    /// `HH:MM`, default `11:00`.
    pub check_out_time: Option<String>,
    /// `POST /destinations` only: 0-based place in the chain (default: at the end).
    pub position: Option<i64>,
}

/// `PUT /trips/{id}/destinations/batch` (TRIP-040).
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct DestinationsBatchRequest {
    /// Arrival in the first city, `YYYY-MM-DD`.
    pub start_date: Option<String>,
    /// 1–10 destinations in travel order.
    pub destinations: Option<Vec<DestinationRequest>>,
    /// Where and when the trip begins (optional; absent or `null` = none).
    pub arrival: Option<TravelPointRequest>,
    /// Where and when the trip ends (optional; absent or `null` = none).
    pub departure: Option<TravelPointRequest>,
}

/// `POST /trips/delete`.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct DeleteTripsRequest {
    /// 1–50 trip ids.
    pub ids: Option<Vec<Uuid>>,
}

/// `PUT /trips/{id}/schedules/days/{day}`: the day's new order.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct EditDayRequest {
    /// Place ids in visiting order: ids of the day's stops (reordered), minus removed ones,
    /// plus catalogue place ids to insert.
    pub place_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `planning`, `ongoing` or `completed`.
    pub status: Option<String>,
    /// Search in trip and city names.
    pub q: Option<String>,
    /// `newest` (default), `oldest`, `startDate`, `name`.
    pub sort: Option<String>,
    /// Opaque cursor from `nextCursor` (stable under inserts).
    pub cursor: Option<String>,
    /// 1-based page (offset paging), instead of `cursor`.
    pub page: Option<String>,
    /// 1–50, default 20.
    pub size: Option<String>,
    /// `true`: the trash (deleted trips still restorable).
    pub deleted: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// 1-based day of the trip.
    pub day: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ForceQuery {
    /// `true` saves an edit that breaks hard rules (its warnings are kept on the stops).
    pub force: Option<String>,
}

// --- responses --------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    pub id: Uuid,
    pub name: String,
    pub age: u8,
    pub gender: Gender,
    pub health_status: Health,
    pub preferences: Vec<Preference>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CityView {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub time_zone: String,
    pub country: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct LodgingView {
    pub lat: f64,
    pub lon: f64,
    /// `true`: the hotel was found; `false`: the city centre stands in.
    pub resolved: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DestinationView {
    pub id: Uuid,
    /// 0-based place in the chain.
    pub position: usize,
    pub destination_name: String,
    pub city: CityView,
    pub nights: u32,
    pub accommodation: Option<String>,
    pub lodging: LodgingView,
    pub check_in_time: String,
    pub check_out_time: String,
    /// Arrival (check-in) date.
    pub start_date: NaiveDate,
    /// Departure (check-out) date = next destination's start date.
    pub end_date: NaiveDate,
}

/// A trip's arrival or departure point as resolved.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TravelPointView {
    /// `HH:MM`, local time at the point.
    pub time: String,
    /// The name as typed.
    pub place: String,
    /// What it resolved to: `Munich International Airport (MUC)`.
    pub name: String,
    pub kind: PointKind,
    pub lat: f64,
    pub lon: f64,
    pub time_zone: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct GenerationView {
    pub state: GenerationState,
    pub request_id: Option<String>,
    pub generated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleInfo {
    pub state: ScheduleState,
    /// Days with a plan.
    pub days: u32,
    pub generation: GenerationView,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TripDetail {
    pub id: Uuid,
    pub trip_name: String,
    pub transport_mode: Option<TransportMode>,
    pub members: Vec<MemberView>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub total_nights: u32,
    /// Calendar days, arrival to departure inclusive (≤ 60).
    pub total_days: u32,
    pub destinations: Vec<DestinationView>,
    pub status: TripStatus,
    /// Wizard state: current step and what is missing (TRIP-090).
    pub step: StepState,
    /// Set while `ongoing`.
    pub progress: Option<OngoingProgress>,
    pub cover: Cover,
    pub cover_url: String,
    pub schedule: ScheduleInfo,
    /// A read-only share link is active.
    pub shared: bool,
    /// Where and when the trip begins (the first day opens with the way from there).
    pub arrival: Option<TravelPointView>,
    /// Where and when the trip ends (the last day closes with the way there).
    pub departure: Option<TravelPointView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A trip as others see it through a share link: no member details.
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct SharedTripView {
    pub id: Uuid,
    pub trip_name: String,
    pub transport_mode: Option<TransportMode>,
    pub member_count: usize,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub total_days: u32,
    pub destinations: Vec<DestinationView>,
    pub status: TripStatus,
    pub progress: Option<OngoingProgress>,
    pub cover: Cover,
    pub schedule: ScheduleInfo,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct CardProgress {
    /// ongoing: % of the trip elapsed; planning: (step − 1) × 25; completed: 100.
    pub percent: u8,
    /// `D+3`, `Step 2 of 4`, `Completed`.
    pub label: String,
}

/// A dashboard / list card (TRIP-020).
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct TripCard {
    pub id: Uuid,
    pub trip_name: String,
    pub cover: Cover,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub status: TripStatus,
    /// ongoing `D+n`, planning the current step's name, completed `Completed`.
    pub badge: String,
    pub progress: CardProgress,
    /// Planning trips: the current wizard step (1–4).
    pub step: Option<u8>,
    pub cities: Vec<String>,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Trash listing only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TripPage {
    pub items: Vec<TripCard>,
    /// Trips matching the filter.
    pub total: i64,
    /// Set for offset paging.
    pub page: Option<i64>,
    pub size: i64,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SummarySection {
    pub count: i64,
    /// The three newest.
    pub items: Vec<TripCard>,
}

/// `GET /trips/summary` (TRIP-020).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub ongoing: SummarySection,
    pub planning: SummarySection,
    pub completed: SummarySection,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteTripsResponse {
    pub deleted: Vec<Uuid>,
    /// Ids that are not the caller's live trips (unknown, someone else's, already deleted).
    pub not_found: Vec<Uuid>,
}

/// One day of a schedule (the planner's day plan plus where and when).
#[derive(Debug, Serialize, Deserialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DayView {
    /// 1-based day of the trip.
    pub day: usize,
    pub version: i64,
    /// `mon` … `sun`.
    pub weekday: String,
    pub time_zone: Option<String>,
    /// How many more times this day may be regenerated (TRIP-070: `regenerationLimit`
    /// per day, counted from completed day regenerations; 0 = the next one is refused
    /// with 429 `REGENERATION_LIMIT`).
    pub regenerations_left: i64,
    #[serde(flatten)]
    pub plan: DayPlan,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    pub trip_id: Uuid,
    pub schedule: ScheduleInfo,
    /// Regenerations allowed per day (each day's `regenerationsLeft` counts down from it).
    pub regeneration_limit: i64,
    pub days: Vec<DayView>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    pub version: i64,
    /// `generated`, `edited` or `restored`.
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub current: bool,
    pub stop_count: usize,
    pub plan: DayPlan,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionsView {
    pub day: usize,
    /// The kept versions (at most three), newest first.
    pub versions: Vec<VersionView>,
}

/// Body of the 409 `SCHEDULE_RULES_VIOLATED` problem's `extra`: the edit as it would be.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RejectedEdit {
    pub day: DayView,
    pub violations: Vec<Violation>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareResponse {
    /// The link's secret: it stays valid until the owner revokes or rotates it, or it expires.
    pub token: String,
    /// Read-only API path of the shared trip.
    pub path: String,
    pub created_at: DateTime<Utc>,
    /// When the link stops working (410 `SHARE_EXPIRED`); null = until revoked or rotated.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The optional body of `POST /{id}/share`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ShareRequest {
    /// When the link stops working: after now and at most 366 days ahead (RFC 3339);
    /// absent or null = until revoked or rotated.
    pub expires_at: Option<DateTime<Utc>>,
}
