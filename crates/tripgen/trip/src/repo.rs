//! Storage of the trip context. One SQL text per query runs on SQLite and PostgreSQL
//! (see `tripgen_platform::db`); the HTTP tests drive both.

use chrono::NaiveDate;
use sqlx::types::Json;
use tripgen_platform::db::{ContextMigrations, Db, WritePool};
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::calendar::TripStatus;
use crate::domain::model::{Destination, LatLon, Member, MemberInput, WireEnum};
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
    pub share_count: i64,
}

const TRIP_COLUMNS: &str = "t.id, t.owner_id, t.name, t.name_key, t.transport_mode, t.start_date, \
     t.end_date, t.start_key, t.starts_at, t.ends_at, t.schedule_state, t.generation_state, \
     t.generation_request_id, t.generated_at, t.created_at, t.updated_at, t.deleted_at, \
     (SELECT COUNT(*) FROM trip_members m WHERE m.trip_id = t.id) AS member_count, \
     (SELECT COUNT(*) FROM trip_destinations d WHERE d.trip_id = t.id) AS destination_count, \
     (SELECT COUNT(DISTINCT s.day_index) FROM trip_schedule_days s WHERE s.trip_id = t.id) AS schedule_days, \
     (SELECT COUNT(*) FROM trip_shares sh WHERE sh.trip_id = t.id AND sh.revoked_at IS NULL) AS share_count";

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

const DESTINATION_COLUMNS: &str = "id, trip_id, position, destination_name, city_name, lat, lon, \
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

fn order_by(sort: Sort) -> &'static str {
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

    // --- trips --------------------------------------------------------------------------

    pub async fn insert_trip(
        &self,
        t: NewTrip<'_>,
        members: &[MemberInput],
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO trips (id, owner_id, name, name_key, transport_mode, start_key, \
             schedule_state, generation_state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'none', 'idle', $7, $7)";
        let key = t.name.to_lowercase();
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(SQL)
                .bind(t.id)
                .bind(t.owner_id)
                .bind(t.name)
                .bind(&key)
                .bind(t.transport_mode)
                .bind(NO_START_KEY)
                .bind(t.now)
                .execute(&mut *tx)
                .await?;
            for (i, m) in members.iter().enumerate() {
                sqlx::query(INSERT_MEMBER)
                    .bind(m.id.unwrap_or_else(Uuid::now_v7))
                    .bind(t.id)
                    .bind(i as i64)
                    .bind(&m.name)
                    .bind(i64::from(m.age))
                    .bind(m.gender.as_str())
                    .bind(m.health_status.as_str())
                    .bind(preferences_text(m))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    pub async fn trip(&self, id: Uuid) -> Result<Option<TripRow>, sqlx::Error> {
        let sql = format!("SELECT {TRIP_COLUMNS} FROM trips t WHERE t.id = $1");
        with_db!(&self.db, |pool| sqlx::query_as::<_, TripRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    pub async fn members(&self, trip_id: Uuid) -> Result<Vec<MemberRow>, sqlx::Error> {
        const SQL: &str = "SELECT id, trip_id, position, name, age, gender, health, preferences \
             FROM trip_members WHERE trip_id = $1 ORDER BY position, id";
        with_db!(&self.db, |pool| sqlx::query_as::<_, MemberRow>(SQL)
            .bind(trip_id)
            .fetch_all(pool)
            .await)
    }

    pub async fn destinations(&self, trip_id: Uuid) -> Result<Vec<DestinationRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {DESTINATION_COLUMNS} FROM trip_destinations WHERE trip_id = $1 ORDER BY position"
        );
        with_db!(&self.db, |pool| sqlx::query_as::<_, DestinationRow>(&sql)
            .bind(trip_id)
            .fetch_all(pool)
            .await)
    }

    /// Destinations of several trips (list and dashboard cards), in chain order.
    pub async fn destinations_of(&self, ids: &[Uuid]) -> Result<Vec<DestinationRow>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        with_db!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "SELECT {DESTINATION_COLUMNS} FROM trip_destinations WHERE trip_id IN ("
            ));
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY trip_id, position");
            qb.build_query_as::<DestinationRow>().fetch_all(pool).await
        })
    }

    /// Name and transport; `outdated` marks a ready schedule as outdated.
    pub async fn update_basics(
        &self,
        id: Uuid,
        name: &str,
        transport: Option<&str>,
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE trips SET name = $2, name_key = $3, transport_mode = $4, updated_at = $5, \
             schedule_state = CASE WHEN $6 AND schedule_state = 'ready' THEN 'outdated' ELSE schedule_state END \
             WHERE id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(name)
            .bind(name.to_lowercase())
            .bind(transport)
            .bind(now)
            .bind(outdated)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// Replaces the whole member list (basic-info).
    pub async fn replace_members(
        &self,
        trip_id: Uuid,
        members: &[MemberInput],
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TOUCH)
                .bind(trip_id)
                .bind(now)
                .bind(outdated)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM trip_members WHERE trip_id = $1")
                .bind(trip_id)
                .execute(&mut *tx)
                .await?;
            for (i, m) in members.iter().enumerate() {
                sqlx::query(INSERT_MEMBER)
                    .bind(m.id.unwrap_or_else(Uuid::now_v7))
                    .bind(trip_id)
                    .bind(i as i64)
                    .bind(&m.name)
                    .bind(i64::from(m.age))
                    .bind(m.gender.as_str())
                    .bind(m.health_status.as_str())
                    .bind(preferences_text(m))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Appends a member unless the trip already has `max`; `false` when full.
    pub async fn add_member(
        &self,
        trip_id: Uuid,
        id: Uuid,
        m: &MemberInput,
        max: i64,
        now: i64,
        outdated: bool,
    ) -> Result<bool, sqlx::Error> {
        const NEXT: &str =
            "SELECT COUNT(*), COALESCE(MAX(position), -1) FROM trip_members WHERE trip_id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            // Touch first: it locks the trip row, so concurrent adds cannot both pass the count.
            sqlx::query(TOUCH)
                .bind(trip_id)
                .bind(now)
                .bind(outdated)
                .execute(&mut *tx)
                .await?;
            let (count, last): (i64, i64) = sqlx::query_as(NEXT)
                .bind(trip_id)
                .fetch_one(&mut *tx)
                .await?;
            if count >= max {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(INSERT_MEMBER)
                .bind(id)
                .bind(trip_id)
                .bind(last + 1)
                .bind(&m.name)
                .bind(i64::from(m.age))
                .bind(m.gender.as_str())
                .bind(m.health_status.as_str())
                .bind(preferences_text(m))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn update_member(
        &self,
        trip_id: Uuid,
        id: Uuid,
        m: &MemberInput,
        now: i64,
        outdated: bool,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trip_members SET name = $3, age = $4, gender = $5, health = $6, \
             preferences = $7 WHERE trip_id = $1 AND id = $2";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TOUCH)
                .bind(trip_id)
                .bind(now)
                .bind(outdated)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query(SQL)
                .bind(trip_id)
                .bind(id)
                .bind(&m.name)
                .bind(i64::from(m.age))
                .bind(m.gender.as_str())
                .bind(m.health_status.as_str())
                .bind(preferences_text(m))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Deletes a member unless it is the last one. `None` = no such member.
    pub async fn delete_member(
        &self,
        trip_id: Uuid,
        id: Uuid,
        now: i64,
        outdated: bool,
    ) -> Result<Option<bool>, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TOUCH)
                .bind(trip_id)
                .bind(now)
                .bind(outdated)
                .execute(&mut *tx)
                .await?;
            let (count, exists): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), SUM(CASE WHEN id = $2 THEN 1 ELSE 0 END) FROM trip_members WHERE trip_id = $1",
            )
            .bind(trip_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map(|(c, e): (i64, Option<i64>)| (c, e.unwrap_or(0)))?;
            if exists == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
            if count <= 1 {
                tx.rollback().await?;
                return Ok(Some(false));
            }
            sqlx::query("DELETE FROM trip_members WHERE trip_id = $1 AND id = $2")
                .bind(trip_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(true))
        })
    }

    /// Replaces the destination list and the trip's dates in one transaction.
    pub async fn replace_destinations(
        &self,
        trip_id: Uuid,
        destinations: &[Destination],
        dates: TripDates,
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        const TRIP: &str = "UPDATE trips SET start_date = $2, end_date = $3, start_key = $4, \
             starts_at = $5, ends_at = $6, updated_at = $7, \
             schedule_state = CASE WHEN $8 AND schedule_state = 'ready' THEN 'outdated' ELSE schedule_state END \
             WHERE id = $1";
        const INSERT: &str = "INSERT INTO trip_destinations (id, trip_id, position, destination_name, \
             city_name, search_key, lat, lon, time_zone, country, nights, accommodation, lodging_lat, \
             lodging_lon, lodging_resolved, check_in_time, check_out_time, start_date, end_date) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TRIP)
                .bind(trip_id)
                .bind(dates.start_date.map(date_text))
                .bind(dates.end_date.map(date_text))
                .bind(dates.start_key())
                .bind(dates.starts_at)
                .bind(dates.ends_at)
                .bind(now)
                .bind(outdated)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM trip_destinations WHERE trip_id = $1")
                .bind(trip_id)
                .execute(&mut *tx)
                .await?;
            for (i, d) in destinations.iter().enumerate() {
                sqlx::query(INSERT)
                    .bind(d.id)
                    .bind(trip_id)
                    .bind(i as i64)
                    .bind(&d.destination_name)
                    .bind(&d.city_name)
                    .bind(format!("{} {}", d.destination_name, d.city_name).to_lowercase())
                    .bind(d.position.lat)
                    .bind(d.position.lon)
                    .bind(&d.time_zone)
                    .bind(&d.country)
                    .bind(i64::from(d.nights))
                    .bind(&d.accommodation)
                    .bind(d.lodging.lat)
                    .bind(d.lodging.lon)
                    .bind(d.lodging_resolved)
                    .bind(&d.check_in_time)
                    .bind(&d.check_out_time)
                    .bind(date_text(d.start_date))
                    .bind(date_text(d.end_date))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Soft-deletes the caller's trips among `ids`; returns the ones deleted.
    pub async fn soft_delete(
        &self,
        owner: Uuid,
        ids: &[Uuid],
        now: i64,
    ) -> Result<Vec<Uuid>, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET deleted_at = $3, updated_at = $3 \
             WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL";
        let mut done = Vec::new();
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            for id in ids {
                let n = sqlx::query(SQL)
                    .bind(*id)
                    .bind(owner)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 1 {
                    done.push(*id);
                }
            }
            tx.commit().await
        })?;
        Ok(done)
    }

    /// Restores a trip deleted at or after `since`; `false` when there is none.
    pub async fn restore(
        &self,
        owner: Uuid,
        id: Uuid,
        since: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET deleted_at = NULL, updated_at = $4 \
             WHERE id = $1 AND owner_id = $2 AND deleted_at IS NOT NULL AND deleted_at >= $3";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(owner)
            .bind(since)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    /// Removes for good the caller's trips deleted before `before` (past the restore window).
    pub async fn purge(&self, owner: Uuid, before: i64) -> Result<u64, sqlx::Error> {
        const SQL: &str =
            "DELETE FROM trips WHERE owner_id = $1 AND deleted_at IS NOT NULL AND deleted_at < $2";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(owner)
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }

    // --- list and dashboard -------------------------------------------------------------

    pub async fn list(&self, f: &ListFilter) -> Result<Vec<TripRow>, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!("SELECT {TRIP_COLUMNS}"));
            push_filter!(qb, f);
            push_after!(qb, f);
            qb.push(order_by(f.sort));
            qb.push(" LIMIT ").push_bind(f.limit);
            if f.offset > 0 {
                qb.push(" OFFSET ").push_bind(f.offset);
            }
            qb.build_query_as::<TripRow>().fetch_all(pool).await
        })
    }

    pub async fn count(&self, f: &ListFilter) -> Result<i64, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::new("SELECT COUNT(*)");
            push_filter!(qb, f);
            let (n,): (i64,) = qb.build_query_as().fetch_one(pool).await?;
            Ok(n)
        })
    }

    /// `(planning, ongoing, completed)` counts of the owner's live trips at `now`.
    pub async fn status_counts(
        &self,
        owner: Uuid,
        now: i64,
    ) -> Result<(i64, i64, i64), sqlx::Error> {
        const SQL: &str = "SELECT \
               COALESCE(SUM(CASE WHEN starts_at IS NULL OR starts_at > $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN starts_at <= $2 AND ends_at > $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN ends_at <= $2 THEN 1 ELSE 0 END), 0) \
             FROM trips WHERE owner_id = $1 AND deleted_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (i64, i64, i64)>(SQL)
            .bind(owner)
            .bind(now)
            .fetch_one(pool)
            .await)
    }

    /// The next instant after `now` at which one of the owner's trips changes status.
    pub async fn next_status_change(
        &self,
        owner: Uuid,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        const SQL: &str = "SELECT MIN(CASE WHEN starts_at > $2 THEN starts_at ELSE ends_at END) \
             FROM trips WHERE owner_id = $1 AND deleted_at IS NULL AND ends_at > $2";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (Option<i64>,)>(SQL)
            .bind(owner)
            .bind(now)
            .fetch_one(pool)
            .await
            .map(|(v,)| v))
    }

    // --- schedules ----------------------------------------------------------------------

    /// The current (newest) version of every day, in day order.
    pub async fn current_days(
        &self,
        trip_id: Uuid,
    ) -> Result<Vec<(i64, i64, DayPlan)>, sqlx::Error> {
        const SQL: &str = "SELECT s.day_index, s.version, s.plan FROM trip_schedule_days s \
             WHERE s.trip_id = $1 AND s.version = (SELECT MAX(v.version) FROM trip_schedule_days v \
               WHERE v.trip_id = s.trip_id AND v.day_index = s.day_index) \
             ORDER BY s.day_index";
        let rows: Vec<(i64, i64, Json<DayPlan>)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(trip_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(d, v, p)| (d, v, p.0)).collect())
    }

    /// Kept versions of one day, newest first.
    pub async fn day_versions(
        &self,
        trip_id: Uuid,
        day_index: i64,
    ) -> Result<Vec<VersionRow>, sqlx::Error> {
        const SQL: &str = "SELECT version, source, created_at, plan FROM trip_schedule_days \
             WHERE trip_id = $1 AND day_index = $2 ORDER BY version DESC";
        with_db!(&self.db, |pool| sqlx::query_as::<_, VersionRow>(SQL)
            .bind(trip_id)
            .bind(day_index)
            .fetch_all(pool)
            .await)
    }

    /// Stores `plan` as the next version of its day and keeps only the newest three.
    /// Returns the new version.
    pub async fn push_day_version(
        &self,
        trip_id: Uuid,
        plan: &DayPlan,
        source: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let day = plan.day_index as i64;
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            // Touch first: the trip row lock orders concurrent edits of the trip.
            sqlx::query("UPDATE trips SET updated_at = $2 WHERE id = $1")
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let v = push_version!(tx, trip_id, day, plan, source, now);
            tx.commit().await?;
            Ok(v)
        })
    }

    /// Saves every day as a new version at once (a generation), drops days past the new
    /// end, and marks the schedule ready and the generation completed.
    pub async fn save_all_days(
        &self,
        trip_id: Uuid,
        days: &[DayPlan],
        source: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        const TRIP: &str = "UPDATE trips SET schedule_state = 'ready', generation_state = 'completed', \
             generated_at = $2, updated_at = $2 WHERE id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TRIP)
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM trip_schedule_days WHERE trip_id = $1 AND day_index >= $2")
                .bind(trip_id)
                .bind(days.len() as i64)
                .execute(&mut *tx)
                .await?;
            for d in days {
                push_version!(tx, trip_id, d.day_index as i64, d, source, now);
            }
            tx.commit().await
        })
    }

    pub async fn set_generation(
        &self,
        trip_id: Uuid,
        state: &str,
        request_id: Option<&str>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET generation_state = $2, generation_request_id = $3, updated_at = $4 \
             WHERE id = $1 AND deleted_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(trip_id)
            .bind(state)
            .bind(request_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    // --- sharing ------------------------------------------------------------------------

    /// Revokes earlier links of the trip and stores a new one.
    pub async fn create_share(
        &self,
        trip_id: Uuid,
        token_hash: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(REVOKE_SHARES)
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO trip_shares (token_hash, trip_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(token_hash)
            .bind(trip_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    pub async fn revoke_shares(&self, trip_id: Uuid, now: i64) -> Result<u64, sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query(REVOKE_SHARES)
            .bind(trip_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }

    /// The trip a live share token opens.
    pub async fn shared_trip(&self, token_hash: &str) -> Result<Option<Uuid>, sqlx::Error> {
        const SQL: &str =
            "SELECT trip_id FROM trip_shares WHERE token_hash = $1 AND revoked_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (Uuid,)>(SQL)
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map(|r| r.map(|(id,)| id)))
    }
}

const TOUCH: &str = "UPDATE trips SET updated_at = $2, \
     schedule_state = CASE WHEN $3 AND schedule_state = 'ready' THEN 'outdated' ELSE schedule_state END \
     WHERE id = $1";

const INSERT_MEMBER: &str = "INSERT INTO trip_members (id, trip_id, position, name, age, gender, \
     health, preferences) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

const REVOKE_SHARES: &str =
    "UPDATE trip_shares SET revoked_at = $2 WHERE trip_id = $1 AND revoked_at IS NULL";

fn preferences_text(m: &MemberInput) -> String {
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

const CLAIM_GENERATION: &str = "UPDATE trips SET generation_state = 'queued', generation_request_id = $2, \
     updated_at = $3 WHERE id = $1 AND deleted_at IS NULL AND generation_state NOT IN ('queued', 'running')";

/// Only the generation `$2` that is still in progress may write its result: a cancelled,
/// superseded or already completed request finds no row (idempotent completion).
const FINISH_GENERATION: &str = "UPDATE trips SET schedule_state = 'ready', generation_state = 'completed', \
     generated_at = $3, updated_at = $3 WHERE id = $1 AND generation_request_id = $2 \
     AND generation_state IN ('queued', 'running') AND deleted_at IS NULL";

// --- generation (AI context) -------------------------------------------------------------
impl TripRepo {
    /// Enqueues `job` and marks the trip's generation queued in one transaction, unless
    /// the idempotency key was used already or a generation is in progress.
    pub async fn start_generation(
        &self,
        trip_id: Uuid,
        job: &tripgen_platform::jobs::NewJob,
        now: i64,
    ) -> Result<Option<GenerationStart>, sqlx::Error> {
        use tripgen_platform::jobs::JobConnection;
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            if let Some(key) = &job.dedupe_key
                && let Some(id) = tx.job_by_dedupe_key(key).await?
            {
                return Ok(Some(GenerationStart::Existing(id)));
            }
            let claimed = sqlx::query(CLAIM_GENERATION)
                .bind(trip_id)
                .bind(job.id.to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if !claimed {
                let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                    "SELECT generation_request_id, deleted_at FROM trips WHERE id = $1",
                )
                .bind(trip_id)
                .fetch_optional(&mut *tx)
                .await?;
                return Ok(match row {
                    Some((Some(rid), None)) => {
                        Uuid::parse_str(&rid).ok().map(GenerationStart::Existing)
                    }
                    _ => None,
                });
            }
            if !tx.insert_job(job, now).await? {
                // The same key won a race: the trip update is rolled back with this tx.
                let key = job.dedupe_key.as_deref().unwrap_or_default();
                let existing = tx.job_by_dedupe_key(key).await?;
                return Ok(existing.map(GenerationStart::Existing));
            }
            tx.commit().await?;
            Ok(Some(GenerationStart::Created(job.id)))
        })
    }

    /// Cancels request `rid`: the trip's generation becomes `cancelled` (so a late result
    /// is refused) and the job is cancelled, in one transaction. Returns the job's state
    /// after the call and whether this call cancelled it (`None`: no such job).
    pub async fn cancel_generation(
        &self,
        trip_id: Uuid,
        rid: Uuid,
        now: i64,
    ) -> Result<Option<(tripgen_platform::jobs::JobState, bool)>, sqlx::Error> {
        use tripgen_platform::jobs::JobConnection;
        const TRIP: &str = "UPDATE trips SET generation_state = 'cancelled', updated_at = $3 \
             WHERE id = $1 AND generation_request_id = $2 AND generation_state IN ('queued', 'running')";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let state = tx
                .cancel_job(rid, "Cancelled; the previous schedule is unchanged.", now)
                .await?;
            if matches!(state, Some((_, true))) {
                sqlx::query(TRIP)
                    .bind(trip_id)
                    .bind(rid.to_string())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(state)
        })
    }

    /// Moves request `rid` from queued to running; `false` when it is no longer the
    /// trip's generation in progress (cancelled or superseded).
    pub async fn generation_running(
        &self,
        trip_id: Uuid,
        rid: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET generation_state = 'running', updated_at = $3 \
             WHERE id = $1 AND generation_request_id = $2 AND generation_state IN ('queued', 'running') \
             AND deleted_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(trip_id)
            .bind(rid)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    /// Ends request `rid` as `failed` (dead-lettered); no-op when it is not in progress.
    pub async fn generation_failed(
        &self,
        trip_id: Uuid,
        rid: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET generation_state = 'failed', updated_at = $3 \
             WHERE id = $1 AND generation_request_id = $2 AND generation_state IN ('queued', 'running')";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(trip_id)
            .bind(rid)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    /// Saves the result of request `rid` (every day for a trip generation, or the
    /// regenerated days) as new versions, if `rid` is still in progress; `false` otherwise
    /// (already saved by an earlier attempt, or cancelled): nothing is written then.
    pub async fn save_generation_result(
        &self,
        trip_id: Uuid,
        rid: &str,
        days: &[DayPlan],
        whole_trip: bool,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let source = if whole_trip {
            "generated"
        } else {
            "regenerated"
        };
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(FINISH_GENERATION)
                .bind(trip_id)
                .bind(rid)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            if whole_trip {
                sqlx::query(
                    "DELETE FROM trip_schedule_days WHERE trip_id = $1 AND day_index >= $2",
                )
                .bind(trip_id)
                .bind(days.len() as i64)
                .execute(&mut *tx)
                .await?;
            }
            for d in days {
                push_version!(tx, trip_id, d.day_index as i64, d, source, now);
            }
            tx.commit().await?;
            Ok(true)
        })
    }
}
