//! Schedules (TRIP-060/070) and map data (TRIP-080); share links are in `sharing.rs`.
//!
//! Versions: every save of a day (generation, edit, restore) appends a version of that day;
//! the newest is current and the newest three are kept. Restoring a version appends a copy
//! of it as the new current version, so history only moves forward.
//!
//! Edits: the server rebuilds legs (travel-time port) and times (waiting for opening when
//! early) for the new order, then runs the plan validator. Broken hard rules come back as a
//! 409 `SCHEDULE_RULES_VIOLATED` whose `extra` holds the day as it would be, with warnings
//! on the affected stops; nothing is saved unless the client repeats the request with
//! `force=true`, which saves the day with those warnings on it.

use std::collections::HashSet;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tripgen_platform::AuthUser;
use tripgen_platform::cache::Freshness;
use tripgen_platform::clock::from_millis;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use uuid::Uuid;

use crate::app::generation::{DAY_REGENERATIONS_MAX, Regenerations};
use crate::app::input;
use crate::app::views;
use crate::app::{SCHEDULE_TTL, TripService, key_schedule, trip_not_found};
use crate::domain::model::{TransportMode, TripRecord};
use crate::domain::route;
use crate::domain::schedule::{self, DayPlan, DraftStop, Mode, Reason, Stop, StopKind};
use crate::dto::*;
use crate::ports::DayCheck;

/// The current version of one day, as cached.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDay {
    pub version: i64,
    pub plan: DayPlan,
}

fn day_not_found() -> ApiError {
    ApiError::not_found("DAY_NOT_FOUND", "The schedule has no such day.")
}

pub(crate) fn parse_day(day: Option<&str>) -> ApiResult<Option<usize>> {
    match day.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => {
            let mut v = Validator::new();
            let n = input::day_number(&mut v, "day", d);
            v.finish()?;
            Ok(n)
        }
    }
}

impl TripService {
    /// Current plans of every day (cached).
    pub(crate) async fn current_days(&self, trip_id: Uuid) -> ApiResult<Vec<StoredDay>> {
        self.cache
            .get_or_load(
                &key_schedule(trip_id),
                SCHEDULE_TTL,
                Freshness::Strict,
                || async {
                    let rows = self.repo.current_days(trip_id).await?;
                    Ok::<_, ApiError>(
                        rows.into_iter()
                            .map(|(_, version, plan)| StoredDay { version, plan })
                            .collect(),
                    )
                },
            )
            .await
    }

    pub(crate) async fn schedule_view(
        &self,
        r: &TripRecord,
        days: Vec<StoredDay>,
        day: Option<usize>,
    ) -> ApiResult<ScheduleView> {
        // Not cached with the plans: a regeneration completing changes it.
        let regenerations = self.regenerations(r.id).await?;
        self.render_schedule(r, days, day, &regenerations)
    }

    pub(crate) fn render_schedule(
        &self,
        r: &TripRecord,
        days: Vec<StoredDay>,
        day: Option<usize>,
        regenerations: &Regenerations,
    ) -> ApiResult<ScheduleView> {
        let days: Vec<StoredDay> = match day {
            None => days,
            Some(n) => vec![
                days.into_iter()
                    .find(|d| d.plan.day_index + 1 == n)
                    .ok_or_else(day_not_found)?,
            ],
        };
        let days = days
            .into_iter()
            .map(|d| {
                let left = regenerations.left(d.plan.day_index + 1);
                views::day_view(d.plan, d.version, left, &r.destinations)
            })
            .collect();
        let detail = views::detail(r, self.now());
        Ok(ScheduleView {
            trip_id: r.id,
            schedule: detail.schedule,
            regeneration_limit: DAY_REGENERATIONS_MAX,
            days,
        })
    }

    /// `GET /{id}/schedules[?day=]`
    pub async fn schedules(
        &self,
        who: &AuthUser,
        id: Uuid,
        day: Option<&str>,
    ) -> ApiResult<ScheduleView> {
        let day = parse_day(day)?;
        let r = self.owned(who, id).await?;
        let days = self.current_days(id).await?;
        self.schedule_view(&r, days, day).await
    }

    /// `GET /{id}/route[?day=]`: GeoJSON.
    pub async fn route(
        &self,
        who: &AuthUser,
        id: Uuid,
        day: Option<&str>,
    ) -> ApiResult<serde_json::Value> {
        let day = parse_day(day)?;
        let r = self.owned(who, id).await?;
        self.route_of(&r, day).await
    }

    pub(crate) async fn route_of(
        &self,
        r: &TripRecord,
        day: Option<usize>,
    ) -> ApiResult<serde_json::Value> {
        let id = r.id;
        let days = self.current_days(id).await?;
        let plans: Vec<DayPlan> = match day {
            None => days.into_iter().map(|d| d.plan).collect(),
            Some(n) => vec![
                days.into_iter()
                    .find(|d| d.plan.day_index + 1 == n)
                    .ok_or_else(day_not_found)?
                    .plan,
            ],
        };
        let shapes = self
            .leg_shapes(&plans, crate::app::leg_paths::step_free(r))
            .await;
        Ok(route::feature_collection(&plans, &shapes))
    }

    async fn current_day(&self, id: Uuid, day: usize) -> ApiResult<(StoredDay, Vec<StoredDay>)> {
        let days = self.current_days(id).await?;
        let (this, others): (Vec<StoredDay>, Vec<StoredDay>) =
            days.into_iter().partition(|d| d.plan.day_index + 1 == day);
        let this = this.into_iter().next().ok_or_else(day_not_found)?;
        Ok((this, others))
    }

    /// `PUT /{id}/schedules/days/{day}`: new order, removals, insertions.
    pub async fn edit_day(
        &self,
        who: &AuthUser,
        id: Uuid,
        day: usize,
        req: EditDayRequest,
        force: bool,
    ) -> ApiResult<DayView> {
        let r = self.owned(who, id).await?;
        let Some(place_ids) = req.place_ids else {
            return Err(ApiError::field(
                "placeIds",
                "REQUIRED",
                "Send the day's place ids in visiting order.",
            ));
        };
        let (current, others) = self.current_day(id, day).await?;
        let plan = current.plan;
        let date = plan.date;
        // Existing stops keep their kind, reason and visit length; new ids come from the
        // catalogue. Opening hours of that date are looked up for every stop.
        // A journey is no catalogue place: it keeps what it was (and its times).
        let current_stops = &plan.stops;
        let lookups = futures::future::join_all(place_ids.iter().map(|pid| async move {
            if current_stops
                .iter()
                .any(|s| &s.place_id == pid && s.journey.is_some())
            {
                return Ok(None);
            }
            self.ports.places.place(pid, date).await
        }))
        .await;
        let dropped: Vec<&Stop> = plan
            .stops
            .iter()
            .filter(|s| s.journey.is_some() && !place_ids.contains(&s.place_id))
            .collect();
        if let Some(j) = dropped.first() {
            return Err(ApiError::field(
                "placeIds",
                "JOURNEY_FIXED",
                format!(
                    "The journey `{}` stays on the day: keep its id in the list.",
                    j.place_id
                ),
            ));
        }
        let mut v = Validator::new();
        let mut drafts = Vec::with_capacity(place_ids.len());
        for (i, (pid, found)) in place_ids.iter().zip(lookups).enumerate() {
            let found = found.map_err(|e| {
                tracing::warn!(error = %format!("{e:#}"), "place catalogue unavailable");
                ApiError::unavailable("The place catalogue is not reachable right now; try again.")
            })?;
            let existing = plan.stops.iter().find(|s| &s.place_id == pid);
            match (existing, found) {
                (Some(s), found) => drafts.push(DraftStop {
                    minutes: s.minutes(),
                    stop: s.clone(),
                    hours: found.and_then(|p| p.hours),
                }),
                (None, Some(p)) => drafts.push(DraftStop {
                    minutes: p.visit_minutes,
                    hours: p.hours,
                    stop: Stop {
                        place_id: p.id,
                        name: p.name,
                        kind: StopKind::Visit,
                        category: p.category,
                        position: p.position,
                        arrival: 0,
                        start: 0,
                        end: 0,
                        indoor: p.indoor,
                        reason: Reason {
                            code: "ADDED_BY_USER".into(),
                            text: "Added by you.".into(),
                            params: Default::default(),
                        },
                        accessibility_note: None,
                        access: None,
                        indoor_alternative: None,
                        parking: None,
                        warnings: Vec::new(),
                        journey: None,
                    },
                }),
                (None, None) => v.add(
                    format!("placeIds[{i}]"),
                    "PLACE_NOT_FOUND",
                    format!("There is no place `{pid}` in the catalogue."),
                ),
            }
        }
        v.finish()?;
        let transport = r.transport_mode.unwrap_or(TransportMode::Public);
        let health: Vec<_> = r.members.iter().map(|m| m.health_status).collect();
        let policy = schedule::LegPolicy::for_group(&health, transport);
        let legs = self.legs(&plan, &drafts, &policy).await?;
        let mut edited = schedule::recompute(&plan, drafts, &legs);
        self.attach_leg_paths(std::slice::from_mut(&mut edited), policy.step_free())
            .await;
        let elsewhere: HashSet<String> = others
            .iter()
            .flat_map(|d| d.plan.stops.iter().map(|s| s.place_id.clone()))
            .collect();
        let violations = self
            .ports
            .validator
            .validate_day(&DayCheck {
                trip_id: id,
                transport,
                day: &edited,
                elsewhere: &elsewhere,
            })
            .await
            .map_err(|e| {
                tracing::warn!(error = %format!("{e:#}"), "plan validator unavailable");
                ApiError::unavailable("The schedule cannot be checked right now; try again.")
            })?;
        schedule::attach(&mut edited, &violations);
        let left = self.regenerations(id).await?.left(day);
        if !violations.is_empty() && !force {
            let proposed = views::day_view(edited, current.version, left, &r.destinations);
            let extra = serde_json::to_value(RejectedEdit {
                day: proposed,
                violations,
            })
            .unwrap_or_default();
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "SCHEDULE_RULES_VIOLATED",
                "This order breaks hard rules (see the warnings on the stops); nothing was saved. \
                 Send it again with force=true to keep it anyway.",
            )
            .with_extra(extra));
        }
        let version = self
            .repo
            .push_day_version(id, &edited, "edited", self.now_ms())
            .await?;
        self.invalidate_all(id, r.owner_id).await;
        Ok(views::day_view(edited, version, left, &r.destinations))
    }

    /// Legs start → stops → end, chosen by the group's leg policy (pace, taxi or transit).
    async fn legs(
        &self,
        plan: &DayPlan,
        stops: &[DraftStop],
        policy: &schedule::LegPolicy,
    ) -> ApiResult<Vec<(Mode, schedule::LegEstimate)>> {
        let order: Vec<&Stop> = stops.iter().map(|s| &s.stop).collect();
        let points = schedule::leg_points(plan.start.position, &order, plan.end.position);
        let motor = policy.motor();
        let travel = &self.ports.travel_times;
        let step_free = policy.step_free();
        let estimates = futures::future::join_all(points.iter().map(|&(a, b)| async move {
            let walk = travel.estimate(a, b, Mode::Walk, step_free).await?;
            let drive = travel.estimate(a, b, motor, step_free).await?;
            anyhow::Ok((walk, drive))
        }))
        .await;
        let mut out = Vec::with_capacity(estimates.len());
        for (i, e) in estimates.into_iter().enumerate() {
            let (walk, drive) = e.map_err(|e| {
                tracing::warn!(error = %format!("{e:#}"), "travel times unavailable");
                ApiError::unavailable("Travel times are not available right now; try again.")
            })?;
            let leg = policy.choose(walk, drive).ok_or_else(|| {
                let field = if i < stops.len() {
                    format!("placeIds[{i}]")
                } else {
                    "placeIds".into()
                };
                ApiError::field(&field, "NO_ROUTE", "No way to get there was found.")
            })?;
            out.push(leg);
        }
        Ok(out)
    }

    /// `GET /{id}/schedules/days/{day}/versions`
    pub async fn versions(&self, who: &AuthUser, id: Uuid, day: usize) -> ApiResult<VersionsView> {
        self.owned(who, id).await?;
        let rows = self.repo.day_versions(id, day as i64 - 1).await?;
        if rows.is_empty() {
            return Err(day_not_found());
        }
        let newest = rows.first().map(|r| r.version);
        Ok(VersionsView {
            day,
            versions: rows
                .into_iter()
                .map(|r| VersionView {
                    version: r.version,
                    current: Some(r.version) == newest,
                    source: r.source,
                    created_at: from_millis(r.created_at),
                    stop_count: r.plan.0.stops.len(),
                    plan: r.plan.0,
                })
                .collect(),
        })
    }

    /// `POST /{id}/schedules/days/{day}/versions/{v}/restore`
    pub async fn restore_version(
        &self,
        who: &AuthUser,
        id: Uuid,
        day: usize,
        version: i64,
    ) -> ApiResult<DayView> {
        let r = self.owned(who, id).await?;
        let rows = self.repo.day_versions(id, day as i64 - 1).await?;
        if rows.is_empty() {
            return Err(day_not_found());
        }
        let plan = rows
            .into_iter()
            .find(|row| row.version == version)
            .map(|row| row.plan.0)
            .ok_or_else(|| {
                ApiError::not_found(
                    "VERSION_NOT_FOUND",
                    "This day has no such version (the last three are kept).",
                )
            })?;
        let v = self
            .repo
            .push_day_version(id, &plan, "restored", self.now_ms())
            .await?;
        self.invalidate_all(id, r.owner_id).await;
        let left = self.regenerations(id).await?.left(day);
        Ok(views::day_view(plan, v, left, &r.destinations))
    }

    /// Saves a generated schedule: every day becomes a new version at once, days past the
    /// trip's end are dropped, the schedule is `ready` and the generation `completed`.
    /// Called by the generation job (AI context); `days` must be the trip's days in order.
    pub async fn save_generated_schedule(
        &self,
        trip_id: Uuid,
        days: Vec<DayPlan>,
    ) -> ApiResult<()> {
        let r = self.record(trip_id).await?.ok_or_else(trip_not_found)?;
        if r.deleted_at.is_some() {
            return Err(trip_not_found());
        }
        let expected = views::total_nights(&r.destinations) as usize + 1;
        let in_order = days.iter().enumerate().all(|(i, d)| d.day_index == i);
        if r.destinations.is_empty() || days.len() != expected || !in_order {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "SCHEDULE_MISMATCH",
                format!(
                    "A schedule has one plan per trip day in order (this trip has {expected} days)."
                ),
            ));
        }
        self.repo
            .save_all_days(trip_id, &days, "generated", self.now_ms())
            .await?;
        self.invalidate_all(trip_id, r.owner_id).await;
        Ok(())
    }

    /// `GET /{id}/cover.svg`
    pub async fn cover_svg(&self, who: &AuthUser, id: Uuid) -> ApiResult<String> {
        let r = self.owned(who, id).await?;
        Ok(crate::domain::cover::svg(&crate::domain::cover::cover(
            &r.name,
        )))
    }
}
