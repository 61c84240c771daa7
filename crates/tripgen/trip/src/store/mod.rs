//! Storage of the trip context, one file per area (`trips`, `listing`, `schedules`,
//! `sharing`, `generation`) on one [`TripRepo`]. One SQL text per query runs on SQLite and
//! PostgreSQL (see `tripgen_platform::db`); the HTTP tests drive both.

use chrono::NaiveDate;
use sqlx::types::Json;
use tripgen_platform::db::{ContextMigrations, Db};
use uuid::Uuid;

use crate::domain::calendar::TripStatus;
use crate::domain::model::{Destination, LatLon, Member, MemberInput, TravelPoint, WireEnum};
use crate::domain::schedule::DayPlan;

pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "trip",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}

/// Versions of a day kept (the newest three).
pub const VERSIONS_KEPT: i64 = 3;

/// `start_key` of trips without a start date (sorts them last).
pub const NO_START_KEY: i64 = 99_999_999;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TripRow {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub name_key: String,
    pub transport_mode: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub start_key: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub schedule_state: String,
    pub generation_state: String,
    pub generation_request_id: Option<String>,
    pub generated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    pub member_count: i64,
    pub destination_count: i64,
    pub schedule_days: i64,
    /// Until when (epoch ms) the trip's live share link opens: `i64::MAX` for a link
    /// without expiry, `None` without an unrevoked link.
    pub share_until: Option<i64>,
    /// JSON of the arrival / departure [`TravelPoint`], when given.
    pub arrival: Option<String>,
    pub departure: Option<String>,
}

impl TripRow {
    /// The arrival and departure points (a stored value that no longer reads is logged and
    /// dropped: the trip still opens, planned without it).
    pub fn travel_points(&self) -> (Option<TravelPoint>, Option<TravelPoint>) {
        let read = |json: &Option<String>, which: &str| {
            let text = json.as_deref()?;
            serde_json::from_str(text)
                .map_err(|e| tracing::error!(trip = %self.id, which, error = %e, "unreadable travel point"))
                .ok()
        };
        (
            read(&self.arrival, "arrival"),
            read(&self.departure, "departure"),
        )
    }
}

/// A travel point as stored (JSON text).
pub fn point_text(p: Option<&TravelPoint>) -> Option<String> {
    p.and_then(|p| serde_json::to_string(p).ok())
}

/// Arrival and departure written with the destinations (the batch call sets all three).
#[derive(Debug, Clone, Copy)]
pub struct TravelPoints<'a> {
    pub arrival: Option<&'a TravelPoint>,
    pub departure: Option<&'a TravelPoint>,
}

pub(crate) const TRIP_COLUMNS: &str = "t.id, t.owner_id, t.name, t.name_key, t.transport_mode, t.start_date, \
     t.end_date, t.start_key, t.starts_at, t.ends_at, t.schedule_state, t.generation_state, \
     t.generation_request_id, t.generated_at, t.created_at, t.updated_at, t.deleted_at, \
     (SELECT COUNT(*) FROM trip_members m WHERE m.trip_id = t.id) AS member_count, \
     (SELECT COUNT(*) FROM trip_destinations d WHERE d.trip_id = t.id) AS destination_count, \
     (SELECT COUNT(DISTINCT s.day_index) FROM trip_schedule_days s WHERE s.trip_id = t.id) AS schedule_days, \
     (SELECT MAX(COALESCE(sh.expires_at, 9223372036854775807)) FROM trip_shares sh \
      WHERE sh.trip_id = t.id AND sh.revoked_at IS NULL) AS share_until, \
     t.arrival, t.departure";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: Uuid,
    pub trip_id: Uuid,
    pub position: i64,
    pub name: String,
    pub age: i64,
    pub gender: String,
    pub health: String,
    pub preferences: String,
}

impl MemberRow {
    pub fn into_member(self) -> Option<Member> {
        use crate::domain::model::{Gender, Health, Preference};
        Some(Member {
            id: self.id,
            name: self.name,
            age: u8::try_from(self.age).ok()?,
            gender: Gender::parse(&self.gender)?,
            health_status: Health::parse(&self.health)?,
            preferences: self
                .preferences
                .split(',')
                .filter(|p| !p.is_empty())
                .filter_map(Preference::parse)
                .collect(),
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DestinationRow {
    pub id: Uuid,
    pub trip_id: Uuid,
    pub position: i64,
    pub destination_name: String,
    pub city_name: String,
    pub lat: f64,
    pub lon: f64,
    pub time_zone: String,
    pub country: Option<String>,
    pub nights: i64,
    pub accommodation: Option<String>,
    pub lodging_lat: f64,
    pub lodging_lon: f64,
    pub lodging_resolved: bool,
    pub check_in_time: String,
    pub check_out_time: String,
    pub start_date: String,
    pub end_date: String,
}

pub(crate) const DESTINATION_COLUMNS: &str = "id, trip_id, position, destination_name, city_name, lat, lon, \
     time_zone, country, nights, accommodation, lodging_lat, lodging_lon, lodging_resolved, \
     check_in_time, check_out_time, start_date, end_date";

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl DestinationRow {
    pub fn into_destination(self) -> Option<Destination> {
        Some(Destination {
            id: self.id,
            destination_name: self.destination_name,
            city_name: self.city_name,
            position: LatLon {
                lat: self.lat,
                lon: self.lon,
            },
            time_zone: self.time_zone,
            country: self.country,
            nights: u32::try_from(self.nights).ok()?,
            accommodation: self.accommodation,
            lodging: LatLon {
                lat: self.lodging_lat,
                lon: self.lodging_lon,
            },
            lodging_resolved: self.lodging_resolved,
            check_in_time: self.check_in_time,
            check_out_time: self.check_out_time,
            start_date: parse_date(&self.start_date)?,
            end_date: parse_date(&self.end_date)?,
        })
    }
}

/// The chain-derived columns of a trip, written with its destinations.
#[derive(Debug, Clone, Copy)]
pub struct TripDates {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
}

impl TripDates {
    pub fn start_key(&self) -> i64 {
        self.start_date
            .map(|d| (d - NaiveDate::default()).num_days())
            .unwrap_or(NO_START_KEY)
    }
}

pub struct NewTrip<'a> {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: &'a str,
    pub transport_mode: Option<&'a str>,
    pub now: i64,
}

/// Sort orders of the list (TRIP-110).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Newest,
    Oldest,
    StartDate,
    Name,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "newest" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            "startDate" => Some(Sort::StartDate),
            "name" => Some(Sort::Name),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::StartDate => "startDate",
            Sort::Name => "name",
        }
    }
}

/// Keyset position: the sort key and id of the last row seen.
#[derive(Debug, Clone, PartialEq)]
pub enum CursorKey {
    Num(i64),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct ListFilter {
    pub owner: Uuid,
    pub now: i64,
    pub status: Option<TripStatus>,
    /// `%…%` LIKE pattern, lower-cased and escaped.
    pub pattern: Option<String>,
    /// List soft-deleted trips (still restorable: deleted at or after this instant).
    pub deleted_since: Option<i64>,
    pub sort: Sort,
    pub after: Option<(CursorKey, Uuid)>,
    pub limit: i64,
    pub offset: i64,
}

macro_rules! push_filter {
    ($qb:ident, $f:expr) => {{
        let f: &ListFilter = $f;
        $qb.push(" FROM trips t WHERE t.owner_id = ").push_bind(f.owner);
        match f.deleted_since {
            Some(since) => {
                $qb.push(" AND t.deleted_at IS NOT NULL AND t.deleted_at >= ")
                    .push_bind(since);
            }
            None => {
                $qb.push(" AND t.deleted_at IS NULL");
            }
        }
        match f.status {
            Some(TripStatus::Planning) => {
                $qb.push(" AND (t.starts_at IS NULL OR t.starts_at > ")
                    .push_bind(f.now)
                    .push(")");
            }
            Some(TripStatus::Ongoing) => {
                $qb.push(" AND t.starts_at <= ")
                    .push_bind(f.now)
                    .push(" AND t.ends_at > ")
                    .push_bind(f.now);
            }
            Some(TripStatus::Completed) => {
                $qb.push(" AND t.ends_at <= ").push_bind(f.now);
            }
            None => {}
        }
        if let Some(p) = &f.pattern {
            $qb.push(" AND (t.name_key LIKE ")
                .push_bind(p.clone())
                .push(" ESCAPE '\\' OR EXISTS (SELECT 1 FROM trip_destinations d WHERE d.trip_id = t.id AND d.search_key LIKE ")
                .push_bind(p.clone())
                .push(" ESCAPE '\\'))");
        }
    }};
}

macro_rules! push_after {
    ($qb:ident, $f:expr) => {{
        let f: &ListFilter = $f;
        if let Some((key, id)) = &f.after {
            let (col, op) = match f.sort {
                Sort::Newest => ("t.created_at", "<"),
                Sort::Oldest => ("t.created_at", ">"),
                Sort::StartDate => ("t.start_key", ">"),
                Sort::Name => ("t.name_key", ">"),
            };
            $qb.push(format!(" AND ({col} {op} "));
            match key {
                CursorKey::Num(n) => $qb.push_bind(*n),
                CursorKey::Text(s) => $qb.push_bind(s.clone()),
            };
            $qb.push(format!(" OR ({col} = "));
            match key {
                CursorKey::Num(n) => $qb.push_bind(*n),
                CursorKey::Text(s) => $qb.push_bind(s.clone()),
            };
            $qb.push(format!(" AND t.id {op} "))
                .push_bind(*id)
                .push("))");
        }
    }};
}

/// Inside a transaction `$tx`: stores `$plan` as the next version of its day, drops
/// versions beyond the newest three, evaluates to the new version.
macro_rules! push_version {
    ($tx:ident, $trip_id:expr, $day:expr, $plan:expr, $source:expr, $now:expr) => {{
        let (last,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) FROM trip_schedule_days WHERE trip_id = $1 AND day_index = $2",
        )
        .bind($trip_id)
        .bind($day)
        .fetch_one(&mut *$tx)
        .await?;
        let version = last + 1;
        sqlx::query(
            "INSERT INTO trip_schedule_days (trip_id, day_index, version, plan, source, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($trip_id)
        .bind($day)
        .bind(version)
        .bind(Json($plan))
        .bind($source)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        sqlx::query(
            "DELETE FROM trip_schedule_days WHERE trip_id = $1 AND day_index = $2 AND version <= $3",
        )
        .bind($trip_id)
        .bind($day)
        .bind(version - VERSIONS_KEPT)
        .execute(&mut *$tx)
        .await?;
        version
    }};
}

pub(crate) fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Newest => " ORDER BY t.created_at DESC, t.id DESC",
        Sort::Oldest => " ORDER BY t.created_at ASC, t.id ASC",
        Sort::StartDate => " ORDER BY t.start_key ASC, t.id ASC",
        Sort::Name => " ORDER BY t.name_key ASC, t.id ASC",
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub source: String,
    pub created_at: i64,
    pub plan: Json<DayPlan>,
}

#[derive(Clone)]
pub struct TripRepo {
    db: Db,
}

impl TripRepo {
    pub fn new(db: Db) -> Self {
        TripRepo { db }
    }
}

pub(crate) const TOUCH: &str = "UPDATE trips SET updated_at = $2, \
     schedule_state = CASE WHEN $3 AND schedule_state = 'ready' THEN 'outdated' ELSE schedule_state END \
     WHERE id = $1";

pub(crate) const INSERT_MEMBER: &str = "INSERT INTO trip_members (id, trip_id, position, name, age, gender, \
     health, preferences) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub(crate) const REVOKE_SHARES: &str =
    "UPDATE trip_shares SET revoked_at = $2 WHERE trip_id = $1 AND revoked_at IS NULL";

pub(crate) fn preferences_text(m: &MemberInput) -> String {
    m.preferences
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Outcome of starting a generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenerationStart {
    Created(Uuid),
    /// The idempotency key, or the generation already running for the trip, names this
    /// request.
    Existing(Uuid),
}

pub(crate) const CLAIM_GENERATION: &str = "UPDATE trips SET generation_state = 'queued', generation_request_id = $2, \
     updated_at = $3 WHERE id = $1 AND deleted_at IS NULL AND generation_state NOT IN ('queued', 'running')";

/// Only the generation `$2` that is still in progress may write its result: a cancelled,
/// superseded or already completed request finds no row (idempotent completion).
pub(crate) const FINISH_GENERATION: &str = "UPDATE trips SET schedule_state = 'ready', generation_state = 'completed', \
     generated_at = $3, updated_at = $3 WHERE id = $1 AND generation_request_id = $2 \
     AND generation_state IN ('queued', 'running') AND deleted_at IS NULL";

// After the macros above, which the area files use.
mod generation;
mod listing;
mod schedules;
mod sharing;
mod trips;
