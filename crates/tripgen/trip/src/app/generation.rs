//! Generation requests (TRIP-050, TRIP-070): the trip context validates and enqueues an
//! `ai-schedule-generation` job through the platform queue in the same transaction as the
//! trip's state change, and answers status, events and cancellation from the job row, so
//! any replica can answer. The AI context runs the job and saves through the guarded
//! methods at the end of this file. This crate never depends on the AI crate.

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::Timelike;
use serde::{Deserialize, Serialize};
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use tripgen_platform::jobs::payload::{GenerationScope, ScheduleGeneration};
use tripgen_platform::jobs::{JobQueue, JobStatus, KIND_SCHEDULE_GENERATION, NewJob};
use tripgen_platform::text;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::views;
use crate::app::{TripService, trip_not_found};
use crate::domain::model::{ScheduleState, TripRecord};
use crate::domain::schedule::DayPlan;
use crate::domain::steps::{MissingItem, Step};
use crate::store::GenerationStart;

pub const SPECIAL_REQUESTS_MAX: usize = 500;
/// Regenerations of one day (TRIP-070).
pub const DAY_REGENERATIONS_MAX: i64 = 5;
const IDEMPOTENCY_KEY_MAX: usize = 200;

/// Completed regenerations per day (1-based) of one trip; days never regenerated are absent.
#[derive(Debug, Default)]
pub(crate) struct Regenerations(HashMap<usize, i64>);

impl Regenerations {
    /// Regenerations the day has left (never below zero).
    pub(crate) fn left(&self, day: usize) -> i64 {
        (DAY_REGENERATIONS_MAX - self.0.get(&day).copied().unwrap_or(0)).max(0)
    }

    /// The counts in day order (`2:1,4:3`), to tell whether a stored rendering still holds.
    pub(crate) fn fingerprint(&self) -> String {
        let mut days: Vec<_> = self.0.iter().collect();
        days.sort();
        days.iter()
            .map(|(d, n)| format!("{d}:{n}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}
/// Attempts of a generation job before it is dead-lettered.
const GENERATION_ATTEMPTS: u32 = 3;

/// `POST /{id}/schedules/generate` (also `…/regenerate` and `…/days/{day}/regenerate`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerateRequest {
    /// Daily start time `HH:MM`, minutes in steps of 10; default `09:00`.
    pub start_time: Option<String>,
    /// Free text, at most 500 characters (must-visit places, things to avoid, pace …).
    pub special_requests: Option<String>,
}

/// 202 answer: the request to follow.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerationAccepted {
    pub request_id: Uuid,
    pub trip_id: Uuid,
    /// `queued`, or the state of the earlier request when this one was a repeat.
    pub status: String,
    /// `true` when an earlier request was returned (same `Idempotency-Key`, or one was
    /// already in progress) instead of a new one.
    pub existing: bool,
    /// Status URL.
    pub status_url: String,
    /// Server-sent events URL.
    pub events_url: String,
}

pub fn generation_not_found() -> ApiError {
    ApiError::not_found(
        "GENERATION_NOT_FOUND",
        "This trip has no such generation request.",
    )
}

/// Validated request fields.
struct Validated {
    start_time: String,
    special_requests: String,
}

fn validate(req: &GenerateRequest) -> ApiResult<Validated> {
    let mut v = Validator::new();
    let start_time = match req.start_time.as_deref().map(str::trim) {
        None | Some("") => "09:00".to_string(),
        Some(t) => match chrono::NaiveTime::parse_from_str(t, "%H:%M") {
            Ok(time) if time.minute() % 10 == 0 => time.format("%H:%M").to_string(),
            Ok(_) => {
                v.add(
                    "startTime",
                    "NOT_ON_STEP",
                    "Choose minutes in steps of 10 (09:00, 09:10, …).",
                );
                String::new()
            }
            Err(_) => {
                v.add(
                    "startTime",
                    "INVALID_FORMAT",
                    "Use a 24-hour time like 09:00 (hour 0–23, minutes in steps of 10).",
                );
                String::new()
            }
        },
    };
    let special_requests = match text::clean_text(req.special_requests.as_deref().unwrap_or("")) {
        Ok(s) => s,
        Err(p) => {
            v.add("specialRequests", p.code(), p.message());
            String::new()
        }
    };
    if special_requests.chars().count() > SPECIAL_REQUESTS_MAX {
        v.add(
            "specialRequests",
            "TOO_LONG",
            format!("Write at most {SPECIAL_REQUESTS_MAX} characters."),
        );
    }
    v.finish()?;
    Ok(Validated {
        start_time,
        special_requests,
    })
}

fn idempotency_key(key: Option<&str>) -> ApiResult<Option<String>> {
    match key.map(str::trim) {
        None | Some("") => Ok(None),
        Some(k) if k.len() <= IDEMPOTENCY_KEY_MAX && k.chars().all(|c| c.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        Some(_) => Err(ApiError::bad_request(
            "INVALID_IDEMPOTENCY_KEY",
            "The Idempotency-Key header must be 1–200 visible ASCII characters.",
        )),
    }
}

fn incomplete(r: &TripRecord) -> ApiResult<()> {
    let mut missing = TripService::generation_blockers(r);
    // The wizard lists the current step's items; a generation needs every step's.
    let mut add = |field: &str, message: &str| {
        if !missing.iter().any(|m| m.field == field) {
            missing.push(MissingItem {
                step: Step::Destinations,
                field: field.into(),
                code: "REQUIRED".into(),
                message: message.into(),
            });
        }
    };
    if r.start_date.is_none() {
        add("startDate", "Choose the start date.");
    }
    if r.destinations.is_empty() {
        add("destinations", "Add at least one destination.");
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(ApiError::conflict(
        "TRIP_INCOMPLETE",
        "The trip is not ready to be generated: complete the items listed in `extra.missing`.",
    )
    .with_extra(serde_json::json!({ "missing": missing })))
}

/// A seed from the request id: every request gets its own plan, repeats of one request
/// (retries) the same plan.
fn seed_of(id: Uuid) -> u64 {
    let b = id.as_bytes();
    let mut s = [0u8; 8];
    s.copy_from_slice(&b[8..16]);
    u64::from_le_bytes(s) | 1
}

impl TripService {
    pub fn jobs(&self) -> JobQueue {
        JobQueue::new(self.platform.db.clone(), self.platform.clock.clone())
    }

    /// Completed regenerations of each day of a trip (TRIP-070), in one query.
    pub(crate) async fn regenerations(&self, id: Uuid) -> ApiResult<Regenerations> {
        let rows = self
            .jobs()
            .completed_counts_by_topic(KIND_SCHEDULE_GENERATION, &id.to_string())
            .await?;
        Ok(Regenerations(
            rows.into_iter()
                .filter_map(|(topic, n)| {
                    let day = topic.strip_prefix("day:")?.parse::<usize>().ok()?;
                    Some((day, n))
                })
                .collect(),
        ))
    }

    /// TRIP-050 / TRIP-070 (whole trip): 202 with the request to follow.
    pub async fn generate(
        &self,
        who: &AuthUser,
        id: Uuid,
        req: GenerateRequest,
        key: Option<&str>,
    ) -> ApiResult<GenerationAccepted> {
        let input = validate(&req)?;
        let key = idempotency_key(key)?;
        let r = self.owned(who, id).await?;
        incomplete(&r)?;
        self.enqueue_generation(&r, input, GenerationScope::Trip, key)
            .await
    }

    /// TRIP-070 (one day): only that day changes; at most 5 per day; one at a time.
    pub async fn regenerate_day(
        &self,
        who: &AuthUser,
        id: Uuid,
        day: usize,
        req: GenerateRequest,
        key: Option<&str>,
    ) -> ApiResult<GenerationAccepted> {
        let input = validate(&req)?;
        let key = idempotency_key(key)?;
        let r = self.owned(who, id).await?;
        incomplete(&r)?;
        if r.schedule_state == ScheduleState::None {
            return Err(ApiError::conflict(
                "NO_SCHEDULE",
                "Generate the schedule before regenerating one of its days.",
            ));
        }
        let days = views::total_nights(&r.destinations) as usize + 1;
        if day == 0 || day > days {
            return Err(ApiError::not_found(
                "DAY_NOT_FOUND",
                "The schedule has no such day.",
            ));
        }
        if r.generation_state.in_progress() {
            return Err(ApiError::conflict(
                "GENERATION_RUNNING",
                "A generation of this trip is in progress; wait for it to finish.",
            )
            .with_extra(serde_json::json!({ "requestId": r.generation_request_id })));
        }
        if self.regenerations(id).await?.left(day) == 0 {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "REGENERATION_LIMIT",
                format!(
                    "Day {day} was regenerated {DAY_REGENERATIONS_MAX} times, the most allowed."
                ),
            )
            .with_extra(serde_json::json!({ "day": day, "limit": DAY_REGENERATIONS_MAX })));
        }
        let replayable = key.is_some();
        let accepted = self
            .enqueue_generation(&r, input, GenerationScope::Day { day: day as u32 }, key)
            .await?;
        if accepted.existing && !replayable {
            // Another request slipped in between the check and the enqueue.
            return Err(ApiError::conflict(
                "GENERATION_RUNNING",
                "A generation of this trip is in progress; wait for it to finish.",
            )
            .with_extra(serde_json::json!({ "requestId": accepted.request_id })));
        }
        Ok(accepted)
    }

    async fn enqueue_generation(
        &self,
        r: &TripRecord,
        input: Validated,
        scope: GenerationScope,
        key: Option<String>,
    ) -> ApiResult<GenerationAccepted> {
        let now = self.now_ms();
        let topic = match &scope {
            GenerationScope::Trip => "trip".to_string(),
            GenerationScope::Day { day } => format!("day:{day}"),
        };
        let mut job = NewJob::new(KIND_SCHEDULE_GENERATION, serde_json::Value::Null, now);
        let payload = ScheduleGeneration {
            trip_id: r.id,
            owner_id: r.owner_id,
            start_time: input.start_time,
            special_requests: input.special_requests,
            scope,
            seed: seed_of(job.id),
        };
        job.payload = serde_json::to_value(&payload).map_err(|_| ApiError::internal())?;
        job.subject = Some(r.id.to_string());
        job.topic = Some(topic);
        job.max_attempts = GENERATION_ATTEMPTS;
        job.dedupe_key = key.map(|k| format!("generation:{}:{}:{k}", r.owner_id, r.id));
        let started = self.repo.start_generation(r.id, &job, now).await?;
        let (rid, existing) = match started {
            Some(GenerationStart::Created(id)) => (id, false),
            Some(GenerationStart::Existing(id)) => (id, true),
            None => return Err(trip_not_found()),
        };
        if !existing {
            self.invalidate(r.id, r.owner_id).await;
            tripgen_platform::jobs::wake_workers();
        }
        let status = match self.jobs().get(rid).await? {
            Some(j) => j.state.wire().to_string(),
            None => "queued".into(),
        };
        let base = format!("/api/v1/trips/{}/schedules/generate/{rid}", r.id);
        Ok(GenerationAccepted {
            request_id: rid,
            trip_id: r.id,
            status,
            existing,
            events_url: format!("{base}/events"),
            status_url: base,
        })
    }

    /// The caller's generation request `rid` of trip `id`.
    pub async fn generation_job(
        &self,
        who: &AuthUser,
        id: Uuid,
        rid: &str,
    ) -> ApiResult<tripgen_platform::jobs::Job> {
        self.owned(who, id).await?;
        let rid = Uuid::parse_str(rid).map_err(|_| generation_not_found())?;
        match self.jobs().get(rid).await? {
            Some(j)
                if j.kind == KIND_SCHEDULE_GENERATION
                    && j.subject.as_deref() == Some(id.to_string().as_str()) =>
            {
                Ok(j)
            }
            _ => Err(generation_not_found()),
        }
    }

    /// `GET …/generate/{rid}`
    pub async fn generation_status(
        &self,
        who: &AuthUser,
        id: Uuid,
        rid: &str,
    ) -> ApiResult<JobStatus> {
        Ok(self.generation_job(who, id, rid).await?.status())
    }

    /// `DELETE …/generate/{rid}`: stops the request; the previous schedule stays.
    pub async fn cancel_generation(
        &self,
        who: &AuthUser,
        id: Uuid,
        rid: &str,
    ) -> ApiResult<JobStatus> {
        let job = self.generation_job(who, id, rid).await?;
        let r = self.owned(who, id).await?;
        let state = self
            .repo
            .cancel_generation(id, job.id, self.now_ms())
            .await?;
        match state {
            Some((_, true)) => {}
            Some((s, false)) => {
                return Err(ApiError::conflict(
                    "GENERATION_FINISHED",
                    format!(
                        "This request has already finished ({}); there is nothing to cancel.",
                        s.wire()
                    ),
                ));
            }
            None => return Err(generation_not_found()),
        }
        self.invalidate(id, r.owner_id).await;
        let job = self
            .jobs()
            .get(job.id)
            .await?
            .ok_or_else(generation_not_found)?;
        Ok(job.status())
    }

    // --- for the AI context (the job's side) -------------------------------------------

    /// The job starts: `false` when request `rid` was cancelled or superseded meanwhile.
    pub async fn generation_started(&self, trip_id: Uuid, rid: &str) -> ApiResult<bool> {
        let ok = self
            .repo
            .generation_running(trip_id, rid, self.now_ms())
            .await?;
        if ok && let Some(r) = self.record(trip_id).await? {
            self.invalidate(trip_id, r.owner_id).await;
        }
        Ok(ok)
    }

    /// The job failed for good.
    pub async fn generation_failed(&self, trip_id: Uuid, rid: &str) -> ApiResult<()> {
        if self
            .repo
            .generation_failed(trip_id, rid, self.now_ms())
            .await?
            && let Some(r) = self.record(trip_id).await?
        {
            self.invalidate(trip_id, r.owner_id).await;
        }
        Ok(())
    }

    /// Saves the result of request `rid` (all days, or the regenerated day) as new
    /// versions. Idempotent: `Ok(false)` when `rid` is no longer in progress (an earlier
    /// attempt saved it, or it was cancelled) and nothing was written.
    pub async fn save_generation(
        &self,
        trip_id: Uuid,
        rid: &str,
        mut days: Vec<DayPlan>,
        whole_trip: bool,
    ) -> ApiResult<bool> {
        let r = self.record(trip_id).await?.ok_or_else(trip_not_found)?;
        if r.deleted_at.is_some() {
            return Err(trip_not_found());
        }
        let expected = views::total_nights(&r.destinations) as usize + 1;
        let fits = if whole_trip {
            days.len() == expected && days.iter().enumerate().all(|(i, d)| d.day_index == i)
        } else {
            days.iter().all(|d| d.day_index < expected)
        };
        if r.destinations.is_empty() || !fits {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "SCHEDULE_MISMATCH",
                format!(
                    "A schedule has one plan per trip day in order (this trip has {expected} days)."
                ),
            ));
        }
        // Paths of the legs as timed, stored with the days (maps and exports draw them).
        self.attach_leg_paths(&mut days, super::leg_paths::step_free(&r))
            .await;
        let saved = self
            .repo
            .save_generation_result(trip_id, rid, &days, whole_trip, self.now_ms())
            .await?;
        self.invalidate_all(trip_id, r.owner_id).await;
        Ok(saved)
    }

    /// Current day plans (for a day regeneration).
    pub async fn current_plans(&self, trip_id: Uuid) -> ApiResult<Vec<DayPlan>> {
        Ok(self
            .current_days(trip_id)
            .await?
            .into_iter()
            .map(|d| d.plan)
            .collect())
    }
}
