//! Application service of the trip context: trips, members, destinations, list and
//! dashboard (TRIP-020..040, 090, 110). Schedules, routes and sharing are in
//! `schedules.rs`.
//!
//! Ownership: every use case loads the trip through [`TripService::owned`], which answers
//! 404 `TRIP_NOT_FOUND` for a trip of someone else exactly as for one that does not exist.
//!
//! Caching (PRODUCT.md §5, cache-aside, invalidated on every write):
//! `trip:detail:{id}` the trip record, `trip:schedule:{id}` the current day plans,
//! `trip:summary:{user}` the dashboard sources. Time-dependent fields are derived at read
//! time; the summary entry also stops being used at the next status change of any of the
//! user's trips.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::cache::{Cache, CacheOptions, Freshness};
use tripgen_platform::error::{ApiError, ApiResult, FieldError, Validator};
use tripgen_platform::{AuthUser, Platform};
use uuid::Uuid;

use crate::domain::calendar::{self, TripStatus};
use crate::domain::model::{Destination, GenerationState, MemberInput, TripRecord, WireEnum};
use crate::domain::rules;
use crate::dto::*;
use crate::input::{self, DestinationDraft};
use crate::ports::{CityMatch, Ports};
use crate::repo::{CursorKey, ListFilter, NewTrip, Sort, TripDates, TripRepo, TripRow};
use crate::views::{self, CardSource};

pub(crate) const DETAIL_TTL: Duration = Duration::from_secs(300);
pub(crate) const SCHEDULE_TTL: Duration = Duration::from_secs(600);
pub(crate) const SUMMARY_TTL: Duration = Duration::from_secs(60);
/// A deleted trip can be restored for this long.
pub const RESTORE_DAYS: i64 = 30;
pub const PAGE_SIZE_DEFAULT: i64 = 20;
pub const PAGE_SIZE_MAX: i64 = 50;
pub const DELETE_MANY_MAX: usize = 50;
const SEARCH_MAX: usize = 50;

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
struct SummarySource {
    computed_at: i64,
    /// Next instant a trip of the user changes status; the entry is not used from then on.
    valid_until: Option<i64>,
    counts: (i64, i64, i64),
    planning: Vec<CardSource>,
    ongoing: Vec<CardSource>,
    completed: Vec<CardSource>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    s: String,
    k: serde_json::Value,
    i: Uuid,
}

/// Facts of the group that change a generated plan (not names or genders).
fn plan_inputs(members: &[MemberInput]) -> Vec<(String, u8, Vec<&'static str>)> {
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

fn record_members(r: &TripRecord) -> Vec<MemberInput> {
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
fn same_stays(a: &[Destination], b: &[Destination]) -> bool {
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

fn escape_like(s: &str) -> String {
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

    async fn fetch_record(&self, id: Uuid) -> ApiResult<Option<TripRecord>> {
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
    pub(crate) async fn invalidate(&self, id: Uuid, owner: Uuid) {
        self.cache
            .invalidate_many(&[key_detail(id), key_summary(owner)])
            .await;
    }

    /// After a write to the schedule or the trip's existence.
    pub(crate) async fn invalidate_all(&self, id: Uuid, owner: Uuid) {
        self.cache
            .invalidate_many(&[key_detail(id), key_schedule(id), key_summary(owner)])
            .await;
    }

    async fn fresh_detail(&self, id: Uuid, owner: Uuid) -> ApiResult<TripDetail> {
        let r = self.owned_by(owner, id).await?;
        Ok(views::detail(&r, self.now()))
    }

    // --- trips ---------------------------------------------------------------------------

    pub async fn detail(&self, who: &AuthUser, id: Uuid) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        Ok(views::detail(&r, self.now()))
    }

    pub async fn create(&self, who: &AuthUser, req: CreateTripRequest) -> ApiResult<TripDetail> {
        let mut v = Validator::new();
        let name = input::trip_name(&mut v, &req.trip_name);
        let transport = match &req.transport_mode {
            Some(_) => input::transport(&mut v, &req.transport_mode).map(Some),
            None => Some(None),
        };
        let members = match &req.members {
            Some(_) => input::members(&mut v, &req.members),
            None => Some(Vec::new()),
        };
        v.finish()?;
        let (Some(name), Some(transport), Some(mut members)) = (name, transport, members) else {
            return Err(ApiError::internal());
        };
        for m in &mut members {
            m.id = None;
        }
        let id = Uuid::now_v7();
        self.repo
            .insert_trip(
                NewTrip {
                    id,
                    owner_id: who.user_id,
                    name: &name,
                    transport_mode: transport.map(|t| t.as_str()),
                    now: self.now_ms(),
                },
                &members,
            )
            .await?;
        self.invalidate(id, who.user_id).await;
        self.fresh_detail(id, who.user_id).await
    }

    pub async fn update(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: UpdateTripRequest,
    ) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        let mut v = Validator::new();
        let name = match &req.trip_name {
            Some(_) => input::trip_name(&mut v, &req.trip_name),
            None => Some(r.name.clone()),
        };
        let transport = match &req.transport_mode {
            Some(_) => input::transport(&mut v, &req.transport_mode).map(Some),
            None => Some(r.transport_mode),
        };
        let start = match &req.start_date {
            Some(_) => input::date(&mut v, "startDate", &req.start_date).map(Some),
            None => Some(None),
        };
        v.finish()?;
        let (Some(name), Some(transport), Some(start)) = (name, transport, start) else {
            return Err(ApiError::internal());
        };
        if let Some(start) = start
            && Some(start) != r.start_date
        {
            self.store_destinations(&r, start, r.destinations.clone(), "startDate")
                .await?;
        }
        let now = self.now_ms();
        self.repo
            .update_basics(
                id,
                &name,
                transport.map(|t| t.as_str()),
                now,
                transport != r.transport_mode,
            )
            .await?;
        self.invalidate(id, r.owner_id).await;
        self.fresh_detail(id, r.owner_id).await
    }

    /// TRIP-030: name, transport and the whole member list at once.
    pub async fn basic_info(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: BasicInfoRequest,
    ) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        let mut v = Validator::new();
        let name = input::trip_name(&mut v, &req.trip_name);
        let transport = input::transport(&mut v, &req.transport_mode);
        let members = input::members(&mut v, &req.members);
        v.finish()?;
        let (Some(name), Some(transport), Some(mut members)) = (name, transport, members) else {
            return Err(ApiError::internal());
        };
        // Ids of this trip's members are kept; anything else becomes a new member.
        let mut seen = Vec::new();
        for m in &mut members {
            m.id =
                m.id.filter(|id| r.members.iter().any(|x| x.id == *id) && !seen.contains(id));
            if let Some(id) = m.id {
                seen.push(id);
            }
        }
        let outdated = Some(transport) != r.transport_mode
            || plan_inputs(&members) != plan_inputs(&record_members(&r));
        let now = self.now_ms();
        self.repo
            .update_basics(id, &name, Some(transport.as_str()), now, outdated)
            .await?;
        self.repo
            .replace_members(id, &members, now, outdated)
            .await?;
        self.invalidate(id, r.owner_id).await;
        self.fresh_detail(id, r.owner_id).await
    }

    /// Soft delete: restorable for 30 days, then purged.
    pub async fn delete(&self, who: &AuthUser, id: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        let now = self.now_ms();
        self.repo.soft_delete(r.owner_id, &[id], now).await?;
        self.purge(who.user_id, now).await;
        self.invalidate_all(id, r.owner_id).await;
        Ok(())
    }

    async fn purge(&self, owner: Uuid, now: i64) {
        let before = now - RESTORE_DAYS * 86_400_000;
        if let Err(e) = self.repo.purge(owner, before).await {
            tracing::warn!(error = %e, "purging expired deleted trips failed");
        }
    }

    pub async fn delete_many(
        &self,
        who: &AuthUser,
        req: DeleteTripsRequest,
    ) -> ApiResult<DeleteTripsResponse> {
        let ids = match req.ids {
            None => {
                return Err(ApiError::field(
                    "ids",
                    "REQUIRED",
                    "Choose the trips to delete.",
                ));
            }
            Some(ids) if ids.is_empty() => {
                return Err(ApiError::field(
                    "ids",
                    "TOO_FEW",
                    "Choose the trips to delete.",
                ));
            }
            Some(ids) if ids.len() > DELETE_MANY_MAX => {
                return Err(ApiError::field(
                    "ids",
                    "TOO_MANY",
                    format!("Delete at most {DELETE_MANY_MAX} trips at once."),
                ));
            }
            Some(ids) => {
                let mut unique = Vec::with_capacity(ids.len());
                for id in ids {
                    if !unique.contains(&id) {
                        unique.push(id);
                    }
                }
                unique
            }
        };
        let now = self.now_ms();
        let deleted = self.repo.soft_delete(who.user_id, &ids, now).await?;
        self.purge(who.user_id, now).await;
        for id in &deleted {
            self.invalidate_all(*id, who.user_id).await;
        }
        let not_found = ids.into_iter().filter(|i| !deleted.contains(i)).collect();
        Ok(DeleteTripsResponse { deleted, not_found })
    }

    pub async fn restore(&self, who: &AuthUser, id: Uuid) -> ApiResult<TripDetail> {
        let now = self.now_ms();
        let since = now - RESTORE_DAYS * 86_400_000;
        if !self.repo.restore(who.user_id, id, since, now).await? {
            return Err(ApiError::not_found(
                "TRIP_NOT_FOUND",
                "There is no deleted trip of yours to restore here (trips can be restored for 30 days).",
            ));
        }
        self.invalidate_all(id, who.user_id).await;
        self.fresh_detail(id, who.user_id).await
    }

    // --- members -------------------------------------------------------------------------

    pub async fn members(&self, who: &AuthUser, id: Uuid) -> ApiResult<Vec<MemberView>> {
        let r = self.owned(who, id).await?;
        Ok(r.members.iter().map(views::member_view).collect())
    }

    pub async fn member(&self, who: &AuthUser, id: Uuid, mid: Uuid) -> ApiResult<MemberView> {
        let r = self.owned(who, id).await?;
        r.members
            .iter()
            .find(|m| m.id == mid)
            .map(views::member_view)
            .ok_or_else(member_not_found)
    }

    pub async fn add_member(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: MemberRequest,
    ) -> ApiResult<MemberView> {
        let r = self.owned(who, id).await?;
        let mut v = Validator::new();
        let m = input::member(&mut v, "", &req);
        v.finish()?;
        let m = m.ok_or_else(ApiError::internal)?;
        let mid = Uuid::now_v7();
        let added = self
            .repo
            .add_member(id, mid, &m, rules::MEMBERS_MAX as i64, self.now_ms(), true)
            .await?;
        if !added {
            return Err(ApiError::field(
                "members",
                "TOO_MANY",
                format!("A trip has at most {} members.", rules::MEMBERS_MAX),
            ));
        }
        self.invalidate(id, r.owner_id).await;
        self.member(who, id, mid).await
    }

    pub async fn update_member(
        &self,
        who: &AuthUser,
        id: Uuid,
        mid: Uuid,
        req: MemberRequest,
    ) -> ApiResult<MemberView> {
        let r = self.owned(who, id).await?;
        let old = r
            .members
            .iter()
            .find(|m| m.id == mid)
            .ok_or_else(member_not_found)?;
        let mut v = Validator::new();
        let m = input::member(&mut v, "", &req);
        v.finish()?;
        let m = m.ok_or_else(ApiError::internal)?;
        let outdated = old.health_status != m.health_status
            || old.age != m.age
            || old.preferences != m.preferences;
        if !self
            .repo
            .update_member(id, mid, &m, self.now_ms(), outdated)
            .await?
        {
            return Err(member_not_found());
        }
        self.invalidate(id, r.owner_id).await;
        self.member(who, id, mid).await
    }

    pub async fn delete_member(&self, who: &AuthUser, id: Uuid, mid: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        match self
            .repo
            .delete_member(id, mid, self.now_ms(), true)
            .await?
        {
            None => Err(member_not_found()),
            Some(false) => Err(ApiError::field(
                "members",
                "TOO_FEW",
                "A trip keeps at least one member; add another before removing this one.",
            )),
            Some(true) => {
                self.invalidate(id, r.owner_id).await;
                Ok(())
            }
        }
    }

    // --- destinations --------------------------------------------------------------------

    /// Resolves drafts through the gazetteer; unknown cities become field errors with
    /// suggestions (collected into `suggestions` by field).
    async fn resolve(
        &self,
        drafts: &[(String, DestinationDraft)],
        v: &mut Validator,
        suggestions: &mut serde_json::Map<String, serde_json::Value>,
    ) -> ApiResult<Vec<Option<Destination>>> {
        let lookups = futures::future::join_all(drafts.iter().map(|(_, d)| async move {
            let city = self
                .ports
                .gazetteer
                .resolve_city(&d.destination_name)
                .await?;
            let hotel = match (&city, &d.accommodation) {
                (CityMatch::Found(c), Some(h)) => self.ports.gazetteer.resolve_hotel(c, h).await?,
                _ => None,
            };
            anyhow::Ok((city, hotel))
        }))
        .await;
        let mut out = Vec::with_capacity(drafts.len());
        for ((prefix, d), lookup) in drafts.iter().zip(lookups) {
            let field = if prefix.is_empty() {
                "destinationName".to_string()
            } else {
                format!("{prefix}.destinationName")
            };
            let (city, hotel) = lookup.map_err(|e| {
                tracing::warn!(error = %format!("{e:#}"), "gazetteer unavailable");
                ApiError::unavailable("The city directory is not reachable right now; try again.")
            })?;
            match city {
                CityMatch::NotFound { suggestions: s } => {
                    let msg = if s.is_empty() {
                        format!("We do not know the city `{}`.", d.destination_name)
                    } else {
                        format!(
                            "We do not know the city `{}`. Did you mean: {}?",
                            d.destination_name,
                            s.join(", ")
                        )
                    };
                    v.add(field.clone(), "UNKNOWN_CITY", msg);
                    suggestions.insert(field, serde_json::json!(s));
                    out.push(None);
                }
                CityMatch::Found(c) => {
                    if calendar::parse_tz(&c.time_zone).is_none() {
                        tracing::error!(zone = %c.time_zone, city = %c.name, "gazetteer returned an unknown time zone");
                        return Err(ApiError::internal());
                    }
                    let (lodging, resolved) = match hotel {
                        Some(p) => (p, true),
                        None => (c.position, false),
                    };
                    out.push(Some(Destination {
                        id: Uuid::now_v7(),
                        destination_name: d.destination_name.clone(),
                        city_name: c.name,
                        position: c.position,
                        time_zone: c.time_zone,
                        country: c.country,
                        nights: d.nights,
                        accommodation: d.accommodation.clone(),
                        lodging,
                        lodging_resolved: resolved,
                        check_in_time: d.check_in_time.clone(),
                        check_out_time: d.check_out_time.clone(),
                        start_date: NaiveDate::default(),
                        end_date: NaiveDate::default(),
                    }));
                }
            }
        }
        Ok(out)
    }

    fn finish_with_suggestions(
        v: Validator,
        suggestions: serde_json::Map<String, serde_json::Value>,
    ) -> ApiResult<()> {
        v.finish().map_err(|e| {
            if suggestions.is_empty() {
                e
            } else {
                e.with_extra(serde_json::json!({ "suggestions": suggestions }))
            }
        })
    }

    /// Chains `destinations` from `start`, checks the 60-day limit and stores them with the
    /// trip's dates. `field` names the input blamed for a too-long trip.
    pub(crate) async fn store_destinations(
        &self,
        r: &TripRecord,
        start: NaiveDate,
        mut destinations: Vec<Destination>,
        field: &str,
    ) -> ApiResult<()> {
        let nights: Vec<u32> = destinations.iter().map(|d| d.nights).collect();
        let total: i64 = nights.iter().map(|n| i64::from(*n)).sum();
        if let Err((code, msg)) = rules::check_trip_days(total) {
            return Err(ApiError::field(field, code, msg));
        }
        for (d, (s, e)) in destinations.iter_mut().zip(calendar::chain(start, &nights)) {
            d.start_date = s;
            d.end_date = e;
        }
        let window = calendar::window(&views::stays(&destinations));
        let dates = TripDates {
            start_date: Some(start),
            end_date: destinations.last().map(|d| d.end_date),
            starts_at: window.map(|w| w.0.timestamp_millis()),
            ends_at: window.map(|w| w.1.timestamp_millis()),
        };
        let outdated = !same_stays(&r.destinations, &destinations);
        self.repo
            .replace_destinations(r.id, &destinations, dates, self.now_ms(), outdated)
            .await?;
        self.invalidate(r.id, r.owner_id).await;
        Ok(())
    }

    /// TRIP-090: forward only when the earlier steps are complete.
    fn require_basic_settings(r: &TripRecord) -> ApiResult<()> {
        let s = views::step_state(r);
        if s.current == crate::domain::steps::Step::BasicSettings {
            return Err(ApiError::conflict(
                "STEP_INCOMPLETE",
                "Complete the basic settings (transport and members) before the destinations.",
            )
            .with_extra(serde_json::json!({ "missing": s.missing })));
        }
        Ok(())
    }

    /// TRIP-040: the whole list in one call; dates are chained by the server.
    pub async fn destinations_batch(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: DestinationsBatchRequest,
    ) -> ApiResult<TripDetail> {
        let r = self.owned(who, id).await?;
        Self::require_basic_settings(&r)?;
        let mut v = Validator::new();
        let start = input::date(&mut v, "startDate", &req.start_date);
        let mut drafts = Vec::new();
        match &req.destinations {
            None => v.add("destinations", "REQUIRED", "Add at least one destination."),
            Some(list) if list.is_empty() => {
                v.add("destinations", "TOO_FEW", "Add at least one destination.")
            }
            Some(list) if list.len() > rules::DESTINATIONS_MAX => v.add(
                "destinations",
                "TOO_MANY",
                format!(
                    "A trip has at most {} destinations.",
                    rules::DESTINATIONS_MAX
                ),
            ),
            Some(list) => {
                for (i, d) in list.iter().enumerate() {
                    let prefix = format!("destinations[{i}]");
                    if let Some(draft) = input::destination(&mut v, &prefix, d) {
                        drafts.push((prefix, draft));
                    }
                }
                if drafts.len() == list.len() {
                    let total: i64 = drafts.iter().map(|(_, d)| i64::from(d.nights)).sum();
                    if let Err((c, m)) = rules::check_trip_days(total) {
                        v.add("destinations", c, m);
                    }
                }
            }
        }
        let mut suggestions = serde_json::Map::new();
        let resolved = self.resolve(&drafts, &mut v, &mut suggestions).await?;
        Self::finish_with_suggestions(v, suggestions)?;
        let destinations: Vec<Destination> = resolved.into_iter().flatten().collect();
        let start = start.ok_or_else(ApiError::internal)?;
        self.store_destinations(&r, start, destinations, "destinations")
            .await?;
        self.fresh_detail(id, r.owner_id).await
    }

    pub async fn destinations(&self, who: &AuthUser, id: Uuid) -> ApiResult<Vec<DestinationView>> {
        let r = self.owned(who, id).await?;
        Ok(r.destinations
            .iter()
            .enumerate()
            .map(|(i, d)| views::destination_view(i, d))
            .collect())
    }

    pub async fn destination(
        &self,
        who: &AuthUser,
        id: Uuid,
        did: Uuid,
    ) -> ApiResult<DestinationView> {
        let r = self.owned(who, id).await?;
        r.destinations
            .iter()
            .enumerate()
            .find(|(_, d)| d.id == did)
            .map(|(i, d)| views::destination_view(i, d))
            .ok_or_else(destination_not_found)
    }

    async fn resolve_one(&self, req: &DestinationRequest) -> ApiResult<Destination> {
        let mut v = Validator::new();
        let draft = input::destination(&mut v, "", req);
        let drafts: Vec<_> = draft.into_iter().map(|d| (String::new(), d)).collect();
        let mut suggestions = serde_json::Map::new();
        let resolved = self.resolve(&drafts, &mut v, &mut suggestions).await?;
        Self::finish_with_suggestions(v, suggestions)?;
        resolved
            .into_iter()
            .flatten()
            .next()
            .ok_or_else(ApiError::internal)
    }

    /// Adds a destination at `position` (default: the end); the chain moves after it.
    pub async fn add_destination(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: DestinationRequest,
    ) -> ApiResult<DestinationView> {
        let r = self.owned(who, id).await?;
        Self::require_basic_settings(&r)?;
        let Some(start) = r.start_date else {
            return Err(ApiError::field(
                "startDate",
                "REQUIRED",
                "Set the trip's start date first (PUT /destinations/batch or PUT /trips/{id}).",
            ));
        };
        if r.destinations.len() >= rules::DESTINATIONS_MAX {
            return Err(ApiError::field(
                "destinations",
                "TOO_MANY",
                format!(
                    "A trip has at most {} destinations.",
                    rules::DESTINATIONS_MAX
                ),
            ));
        }
        let at = match req.position {
            None => r.destinations.len(),
            Some(p) if p >= 0 && (p as usize) <= r.destinations.len() => p as usize,
            Some(_) => {
                return Err(ApiError::field(
                    "position",
                    "OUT_OF_RANGE",
                    format!("Position is between 0 and {}.", r.destinations.len()),
                ));
            }
        };
        let d = self.resolve_one(&req).await?;
        let did = d.id;
        let mut list = r.destinations.clone();
        list.insert(at, d);
        self.store_destinations(&r, start, list, "nights").await?;
        self.destination(who, id, did).await
    }

    /// Replaces one destination's fields; the chain after it moves with its nights.
    pub async fn update_destination(
        &self,
        who: &AuthUser,
        id: Uuid,
        did: Uuid,
        req: DestinationRequest,
    ) -> ApiResult<DestinationView> {
        let r = self.owned(who, id).await?;
        let at = r
            .destinations
            .iter()
            .position(|d| d.id == did)
            .ok_or_else(destination_not_found)?;
        let start = r.start_date.ok_or_else(ApiError::internal)?;
        let mut d = self.resolve_one(&req).await?;
        d.id = did;
        let mut list = r.destinations.clone();
        list[at] = d;
        self.store_destinations(&r, start, list, "nights").await?;
        self.destination(who, id, did).await
    }

    pub async fn delete_destination(&self, who: &AuthUser, id: Uuid, did: Uuid) -> ApiResult<()> {
        let r = self.owned(who, id).await?;
        let at = r
            .destinations
            .iter()
            .position(|d| d.id == did)
            .ok_or_else(destination_not_found)?;
        if r.destinations.len() == 1 {
            return Err(ApiError::field(
                "destinations",
                "TOO_FEW",
                "A trip keeps at least one destination; add another before removing this one.",
            ));
        }
        let start = r.start_date.ok_or_else(ApiError::internal)?;
        let mut list = r.destinations.clone();
        list.remove(at);
        self.store_destinations(&r, start, list, "destinations")
            .await
    }

    // --- list and dashboard --------------------------------------------------------------

    async fn card_sources(&self, rows: &[TripRow]) -> ApiResult<Vec<CardSource>> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut by_trip = views::destinations_by_trip(self.repo.destinations_of(&ids).await?);
        Ok(rows
            .iter()
            .map(|row| views::card_source(row, by_trip.remove(&row.id).unwrap_or_default()))
            .collect())
    }

    /// TRIP-110: filter, search, sort and page (cursor or page number).
    pub async fn list(&self, who: &AuthUser, q: ListQuery) -> ApiResult<TripPage> {
        let mut v = Validator::new();
        let now = self.now_ms();
        let status = match q.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => TripStatus::parse(s).map(Some).unwrap_or_else(|| {
                v.add(
                    "status",
                    "INVALID_VALUE",
                    "Status is planning, ongoing or completed.",
                );
                None
            }),
        };
        let sort = match q.sort.as_deref().map(str::trim) {
            None | Some("") => Sort::Newest,
            Some(s) => Sort::parse(s).unwrap_or_else(|| {
                v.add(
                    "sort",
                    "INVALID_VALUE",
                    "Sort by newest, oldest, startDate or name.",
                );
                Sort::Newest
            }),
        };
        let size = match q.size.as_deref().map(str::trim) {
            None | Some("") => PAGE_SIZE_DEFAULT,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=PAGE_SIZE_MAX).contains(&n) => n,
                Ok(n) if n > PAGE_SIZE_MAX => {
                    v.add(
                        "size",
                        "TOO_LARGE",
                        format!("A page has at most {PAGE_SIZE_MAX} trips."),
                    );
                    PAGE_SIZE_DEFAULT
                }
                _ => {
                    v.add("size", "INVALID_VALUE", "Size is a number from 1 to 50.");
                    PAGE_SIZE_DEFAULT
                }
            },
        };
        let page = match q.page.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    v.add("page", "INVALID_VALUE", "Pages are numbered from 1.");
                    None
                }
            },
        };
        let pattern = match q.q.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if s.chars().count() > SEARCH_MAX => {
                v.add(
                    "q",
                    "TOO_LONG",
                    format!("Search for at most {SEARCH_MAX} characters."),
                );
                None
            }
            Some(s) => Some(format!("%{}%", escape_like(&s.to_lowercase()))),
        };
        let after = match q.cursor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => match decode_cursor(c, sort) {
                Ok(a) => Some(a),
                Err(e) => {
                    v.add("cursor", e.code.as_str(), e.message);
                    None
                }
            },
        };
        if after.is_some() && page.is_some() {
            v.add("page", "CONFLICT", "Use either cursor or page, not both.");
        }
        let deleted_since =
            matches!(q.deleted.as_deref(), Some("true")).then_some(now - RESTORE_DAYS * 86_400_000);
        v.finish()?;
        let mut filter = ListFilter {
            owner: who.user_id,
            now,
            status,
            pattern,
            deleted_since,
            sort,
            after,
            limit: size + 1,
            offset: page.map(|p| (p - 1) * size).unwrap_or(0),
        };
        let mut rows = self.repo.list(&filter).await?;
        let more = rows.len() as i64 > size;
        rows.truncate(size as usize);
        let next_cursor = if more {
            rows.last().map(|r| encode_cursor(sort, r))
        } else {
            None
        };
        filter.after = None;
        let total = self.repo.count(&filter).await?;
        let now = self.now();
        let items = self
            .card_sources(&rows)
            .await?
            .iter()
            .map(|s| views::card(s, now))
            .collect();
        Ok(TripPage {
            items,
            total,
            page,
            size,
            next_cursor,
        })
    }

    async fn load_summary(&self, owner: Uuid, now: i64) -> ApiResult<SummarySource> {
        let counts = self.repo.status_counts(owner, now).await?;
        let mut sections = Vec::new();
        for status in [
            TripStatus::Planning,
            TripStatus::Ongoing,
            TripStatus::Completed,
        ] {
            let rows = self
                .repo
                .list(&ListFilter {
                    owner,
                    now,
                    status: Some(status),
                    pattern: None,
                    deleted_since: None,
                    sort: Sort::Newest,
                    after: None,
                    limit: 3,
                    offset: 0,
                })
                .await?;
            sections.push(self.card_sources(&rows).await?);
        }
        let valid_until = self.repo.next_status_change(owner, now).await?;
        let completed = sections.pop().unwrap_or_default();
        let ongoing = sections.pop().unwrap_or_default();
        let planning = sections.pop().unwrap_or_default();
        Ok(SummarySource {
            computed_at: now,
            valid_until,
            counts,
            planning,
            ongoing,
            completed,
        })
    }

    /// TRIP-020: ongoing, planning, completed — three newest each, with counts.
    pub async fn summary(&self, who: &AuthUser) -> ApiResult<Summary> {
        let now_at = self.now();
        let now = now_at.timestamp_millis();
        let key = key_summary(who.user_id);
        let cached = self
            .cache
            .get::<SummarySource>(&key, Freshness::Strict)
            .await
            .filter(|s| s.computed_at <= now && s.valid_until.is_none_or(|u| now < u));
        let src = match cached {
            Some(s) => s,
            None => {
                let s = self.load_summary(who.user_id, now).await?;
                self.cache
                    .put(&key, &s, SUMMARY_TTL, Freshness::Strict)
                    .await;
                s
            }
        };
        let section = |count: i64, list: &[CardSource]| SummarySection {
            count,
            items: list.iter().map(|c| views::card(c, now_at)).collect(),
        };
        Ok(Summary {
            planning: section(src.counts.0, &src.planning),
            ongoing: section(src.counts.1, &src.ongoing),
            completed: section(src.counts.2, &src.completed),
        })
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

fn member_not_found() -> ApiError {
    ApiError::not_found("MEMBER_NOT_FOUND", "This trip has no such member.")
}

fn destination_not_found() -> ApiError {
    ApiError::not_found(
        "DESTINATION_NOT_FOUND",
        "This trip has no such destination.",
    )
}

fn encode_cursor(sort: Sort, r: &TripRow) -> String {
    let k = match sort {
        Sort::Newest | Sort::Oldest => serde_json::json!(r.created_at),
        Sort::StartDate => serde_json::json!(r.start_key),
        Sort::Name => serde_json::json!(r.name_key),
    };
    let c = Cursor {
        s: sort.as_str().into(),
        k,
        i: r.id,
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&c).unwrap_or_default())
}

fn decode_cursor(s: &str, sort: Sort) -> Result<(CursorKey, Uuid), FieldError> {
    let bad = || FieldError::new("cursor", "INVALID_VALUE", "This cursor is not valid.");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    let c: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if c.s != sort.as_str() {
        return Err(FieldError::new(
            "cursor",
            "SORT_MISMATCH",
            "This cursor belongs to another sort order; start again without it.",
        ));
    }
    let key = match (&c.k, sort) {
        (serde_json::Value::Number(n), Sort::Newest | Sort::Oldest | Sort::StartDate) => {
            CursorKey::Num(n.as_i64().ok_or_else(bad)?)
        }
        (serde_json::Value::String(t), Sort::Name) => CursorKey::Text(t.clone()),
        _ => return Err(bad()),
    };
    Ok((key, c.i))
}
