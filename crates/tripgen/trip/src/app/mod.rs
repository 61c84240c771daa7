//! Application layer of the trip context: the use cases, one file per area, all on
//! [`TripService`] — `trips` (settings, members, delete/restore), `destinations`,
//! `listing` (list and dashboard), `schedules` (days, edits, versions, route), `sharing`,
//! `generation`, `changes`, `notices`, `export` — over the store (`crate::store`), the pure
//! rules (`crate::domain`) and the ports to other contexts (`crate::ports`).
//!
//! Ownership: every use case loads the trip through [`TripService::owned`], which answers
//! 404 `TRIP_NOT_FOUND` for a trip of someone else exactly as for one that does not exist.
//!
//! Caching (PRODUCT.md §5, cache-aside, invalidated on every write):
//! `trip:detail:{id}` the trip record, `trip:schedule:{id}` the current day plans,
//! `trip:summary:{user}` the dashboard sources, `trip:schedule-body:{id}:{lang}` the whole
//! schedule read as stored bytes (`schedule_body`). Time-dependent fields are derived at read
//! time; the summary entry also stops being used at the next status change of any of the
//! user's trips.

pub mod changes;
mod destinations;
pub mod export;
pub(crate) mod export_map;
pub mod generation;
pub(crate) mod input;
mod leg_paths;
mod listing;
pub(crate) mod localize;
pub mod notices;
pub mod schedule_body;
pub mod schedules;
mod sharing;
pub mod travel_points;
mod trips;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::cache::{Cache, CacheOptions, Freshness};
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::i18n::Language;
use tripgen_platform::{AuthUser, Platform};
use uuid::Uuid;

use self::views::CardSource;
use crate::domain::model::{Destination, GenerationState, MemberInput, TripRecord, WireEnum};
use crate::dto::*;
use crate::ports::Ports;
use crate::store::TripRepo;

pub(crate) const DETAIL_TTL: Duration = Duration::from_secs(300);
pub(crate) const SCHEDULE_TTL: Duration = Duration::from_secs(600);
pub(crate) const SUMMARY_TTL: Duration = Duration::from_secs(60);
/// A deleted trip can be restored for this long.
pub const RESTORE_DAYS: i64 = 30;
pub const PAGE_SIZE_DEFAULT: i64 = 20;
pub const PAGE_SIZE_MAX: i64 = 50;
pub const DELETE_MANY_MAX: usize = 50;
pub(crate) const SEARCH_MAX: usize = 50;

pub fn trip_not_found() -> ApiError {
    ApiError::not_found("TRIP_NOT_FOUND", "There is no such trip.")
}

pub struct TripService {
    pub platform: Arc<Platform>,
    pub(crate) repo: TripRepo,
    pub(crate) ports: Ports,
    pub(crate) cache: Cache,
}

pub(crate) fn key_detail(id: Uuid) -> String {
    format!("trip:detail:{id}")
}
pub(crate) fn key_schedule(id: Uuid) -> String {
    format!("trip:schedule:{id}")
}
pub(crate) fn key_summary(owner: Uuid) -> String {
    format!("trip:summary:{owner}")
}

/// The dashboard as cached: its sources and until when they hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SummarySource {
    computed_at: i64,
    /// Next instant a trip of the user changes status; the entry is not used from then on.
    valid_until: Option<i64>,
    counts: (i64, i64, i64),
    planning: Vec<CardSource>,
    ongoing: Vec<CardSource>,
    completed: Vec<CardSource>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Cursor {
    s: String,
    k: serde_json::Value,
    i: Uuid,
}

/// Facts of the group that change a generated plan (not names or genders).
pub(crate) fn plan_inputs(members: &[MemberInput]) -> Vec<(String, u8, Vec<&'static str>)> {
    let mut v: Vec<_> = members
        .iter()
        .map(|m| {
            (
                m.health_status.as_str().to_string(),
                m.age,
                m.preferences.iter().map(|p| p.as_str()).collect(),
            )
        })
        .collect();
    v.sort();
    v
}

pub(crate) fn record_members(r: &TripRecord) -> Vec<MemberInput> {
    r.members
        .iter()
        .map(|m| MemberInput {
            id: Some(m.id),
            name: m.name.clone(),
            age: m.age,
            gender: m.gender,
            health_status: m.health_status,
            preferences: m.preferences.clone(),
        })
        .collect()
}

/// Whether two destination lists would give the same plan.
pub(crate) fn same_stays(a: &[Destination], b: &[Destination]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.city_name == y.city_name
                && x.nights == y.nights
                && x.lodging == y.lodging
                && x.check_in_time == y.check_in_time
                && x.check_out_time == y.check_out_time
                && x.start_date == y.start_date
        })
}

pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl TripService {
    pub fn new(platform: Arc<Platform>, ports: Ports) -> Self {
        TripService {
            repo: TripRepo::new(platform.db.clone()),
            cache: Cache::new(platform.redis.clone(), CacheOptions::default()),
            ports,
            platform,
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.platform.clock.now()
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    // --- loading and ownership ------------------------------------------------------------

    pub(crate) async fn fetch_record(&self, id: Uuid) -> ApiResult<Option<TripRecord>> {
        let Some(row) = self.repo.trip(id).await? else {
            return Ok(None);
        };
        let members = self
            .repo
            .members(id)
            .await?
            .into_iter()
            .filter_map(|m| m.into_member())
            .collect();
        let destinations = self
            .repo
            .destinations(id)
            .await?
            .into_iter()
            .filter_map(|d| d.into_destination())
            .collect();
        let mut src = views::card_source(&row, destinations);
        src.record.members = members;
        Ok(Some(src.record))
    }

    /// The trip record (cached), whoever owns it, deleted or not. For other contexts
    /// (e.g. the generation job) that have checked access themselves.
    pub async fn record(&self, id: Uuid) -> ApiResult<Option<TripRecord>> {
        let key = key_detail(id);
        if let Some(r) = self.cache.get::<TripRecord>(&key, Freshness::Strict).await {
            return Ok(Some(r));
        }
        let r = self.fetch_record(id).await?;
        if let Some(r) = &r {
            self.cache.put(&key, r, DETAIL_TTL, Freshness::Strict).await;
        }
        Ok(r)
    }

    /// The caller's live trip, or 404 `TRIP_NOT_FOUND` (also for other users' trips).
    pub async fn owned(&self, who: &AuthUser, id: Uuid) -> ApiResult<TripRecord> {
        self.owned_by(who.user_id, id).await
    }

    pub async fn owned_by(&self, user_id: Uuid, id: Uuid) -> ApiResult<TripRecord> {
        match self.record(id).await? {
            Some(r) if r.owner_id == user_id && r.deleted_at.is_none() => Ok(r),
            _ => Err(trip_not_found()),
        }
    }

    /// After a write to the trip row, members or destinations.
    /// The stored schedule body renders the trip too, so it goes with the record.
    pub(crate) async fn invalidate(&self, id: Uuid, owner: Uuid) {
        let mut keys = vec![key_detail(id), key_summary(owner)];
        keys.extend(Language::ALL.map(|l| schedule_body::key_schedule_body(id, l)));
        self.cache.invalidate_many(&keys).await;
    }

    /// After a write to the schedule or the trip's existence.
    pub(crate) async fn invalidate_all(&self, id: Uuid, owner: Uuid) {
        let mut keys = vec![key_detail(id), key_schedule(id), key_summary(owner)];
        keys.extend(Language::ALL.map(|l| schedule_body::key_schedule_body(id, l)));
        self.cache.invalidate_many(&keys).await;
    }

    pub(crate) async fn fresh_detail(&self, id: Uuid, owner: Uuid) -> ApiResult<TripDetail> {
        let r = self.owned_by(owner, id).await?;
        Ok(views::detail(&r, self.now()))
    }

    // --- other contexts ------------------------------------------------------------------

    /// Records the state of the trip's generation job (AI context).
    pub async fn set_generation_state(
        &self,
        trip_id: Uuid,
        state: GenerationState,
        request_id: Option<&str>,
    ) -> ApiResult<()> {
        let r = self.record(trip_id).await?.ok_or_else(trip_not_found)?;
        if !self
            .repo
            .set_generation(trip_id, state.as_str(), request_id, self.now_ms())
            .await?
        {
            return Err(trip_not_found());
        }
        self.invalidate(trip_id, r.owner_id).await;
        Ok(())
    }

    /// Whether the trip is ready to be generated: the wizard is past the destinations.
    pub fn generation_blockers(r: &TripRecord) -> Vec<crate::domain::steps::MissingItem> {
        let s = views::step_state(r);
        s.missing
            .into_iter()
            .filter(|m| m.step != crate::domain::steps::Step::Generation)
            .collect()
    }
}
