//! The AI context's public schedule API (PRODUCT.md §3, `/api/v1/ai`): generation
//! requests addressed by request id instead of under the trip. A generation request is
//! the trip's state change plus a queued job, so these are the trip context's own
//! operations ([`crate::app::generation`]); the process that runs the AI context (`all`, `ai`)
//! mounts this router next to the recommendation routes. Ownership is checked through
//! the job's trip: someone else's request id is 404 `GENERATION_NOT_FOUND`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::ApiJson;
use tripgen_platform::i18n::Lang;
use tripgen_platform::jobs::{JobStatus, KIND_SCHEDULE_GENERATION};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::app::generation::{GenerateRequest, GenerationAccepted, generation_not_found};
use crate::app::{TripService, trip_not_found};
use crate::domain::changes::ChangeReport;
use crate::dto::ScheduleView;

type Svc = State<Arc<TripService>>;

/// `POST /api/v1/ai/schedules/generate` and `…/regenerate`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AiGenerateRequest {
    pub trip_id: String,
    /// `regenerate` only: the 1-based day to regenerate alone (else the whole trip).
    #[serde(default)]
    pub day: Option<usize>,
    /// `HH:MM`, minutes in steps of 10; default `09:00`.
    #[serde(default)]
    pub start_time: Option<String>,
    /// At most 500 characters.
    #[serde(default)]
    pub special_requests: Option<String>,
}

/// `GET /api/v1/ai/schedules/{rid}`: the request and, once completed, the schedule.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AiScheduleResult {
    pub request_id: Uuid,
    pub trip_id: Uuid,
    pub status: JobStatus,
    /// The trip's current schedule when the request completed.
    pub schedule: Option<ScheduleView>,
}

/// `POST /api/v1/ai/trips/{tid}/weather-impact`: the weather part of the change check.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeatherImpact {
    pub trip_id: Uuid,
    pub checked_at: chrono::DateTime<chrono::Utc>,
    /// Days a current forecast covers.
    pub days_with_forecast: usize,
    /// Days whose weather changed, with reasons and suggestion (stops closed for other
    /// reasons are left out; `POST /trips/{id}/schedules/check` has everything).
    pub days: Vec<crate::domain::changes::AffectedDay>,
}

pub fn router(svc: Arc<TripService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(generate))
        .routes(routes!(regenerate))
        .routes(routes!(status))
        .routes(routes!(result, cancel))
        .routes(routes!(weather_impact))
        .with_state(svc)
}

fn trip_id(s: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(s.trim()).map_err(|_| trip_not_found())
}

fn key(headers: &HeaderMap) -> Option<&str> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok())
}

impl TripService {
    /// The trip of the caller's generation request `rid`.
    pub async fn generation_trip(&self, who: &AuthUser, rid: &str) -> ApiResult<Uuid> {
        let id = Uuid::parse_str(rid).map_err(|_| generation_not_found())?;
        let job = self
            .jobs()
            .get(id)
            .await?
            .ok_or_else(generation_not_found)?;
        let trip = job
            .subject
            .as_deref()
            .and_then(|s| Uuid::parse_str(s).ok())
            .filter(|_| job.kind == KIND_SCHEDULE_GENERATION)
            .ok_or_else(generation_not_found)?;
        match self.owned(who, trip).await {
            Ok(_) => Ok(trip),
            Err(e) if e.status == StatusCode::NOT_FOUND => Err(generation_not_found()),
            Err(e) => Err(e),
        }
    }
}

fn body(req: AiGenerateRequest) -> GenerateRequest {
    GenerateRequest {
        start_time: req.start_time,
        special_requests: req.special_requests,
    }
}

/// Generate a trip's schedule (same rules and answers as
/// `POST /api/v1/trips/{id}/schedules/generate`).
#[utoipa::path(post, path = "/schedules/generate", operation_id = "ai_generate", tag = "ai", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe request key")),
    request_body = AiGenerateRequest,
    responses((status = 202, body = GenerationAccepted),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND"),
        (status = 409, body = Problem, description = "TRIP_INCOMPLETE"),
        (status = 422, body = Problem)))]
async fn generate(
    State(s): Svc,
    who: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<AiGenerateRequest>,
) -> ApiResult<(StatusCode, Json<GenerationAccepted>)> {
    let trip = trip_id(&req.trip_id)?;
    let out = s.generate(&who, trip, body(req), key(&headers)).await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Regenerate the whole trip, or one `day` (only that day changes; at most 5 times per
/// day → 429 `REGENERATION_LIMIT`; one generation at a time → 409 `GENERATION_RUNNING`).
#[utoipa::path(post, path = "/schedules/regenerate", operation_id = "ai_regenerate", tag = "ai", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = AiGenerateRequest,
    responses((status = 202, body = GenerationAccepted), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem, description = "REGENERATION_LIMIT")))]
async fn regenerate(
    State(s): Svc,
    who: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<AiGenerateRequest>,
) -> ApiResult<(StatusCode, Json<GenerationAccepted>)> {
    let trip = trip_id(&req.trip_id)?;
    let out = match req.day {
        Some(0) => {
            return Err(ApiError::not_found(
                "DAY_NOT_FOUND",
                "The schedule has no such day.",
            ));
        }
        Some(day) => {
            s.regenerate_day(&who, trip, day, body(req), key(&headers))
                .await?
        }
        None => s.generate(&who, trip, body(req), key(&headers)).await?,
    };
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Status of a generation request (progress, step, seconds left).
#[utoipa::path(get, path = "/schedules/{rid}/status", operation_id = "ai_status", tag = "ai", security(("bearer" = [])),
    params(("rid" = String, Path)),
    responses((status = 200, body = JobStatus),
        (status = 404, body = Problem, description = "GENERATION_NOT_FOUND")))]
async fn status(
    State(s): Svc,
    who: AuthUser,
    Path(rid): Path<String>,
) -> ApiResult<Json<JobStatus>> {
    let trip = s.generation_trip(&who, &rid).await?;
    Ok(Json(s.generation_status(&who, trip, &rid).await?))
}

/// The request and, once it completed, the trip's schedule.
#[utoipa::path(get, path = "/schedules/{rid}", tag = "ai", security(("bearer" = [])),
    params(("rid" = String, Path)),
    responses((status = 200, body = AiScheduleResult),
        (status = 404, body = Problem, description = "GENERATION_NOT_FOUND")))]
async fn result(
    State(s): Svc,
    who: AuthUser,
    Path(rid): Path<String>,
    Lang(lang): Lang,
) -> ApiResult<Json<AiScheduleResult>> {
    let trip = s.generation_trip(&who, &rid).await?;
    let status = s.generation_status(&who, trip, &rid).await?;
    let schedule = if status.status == "completed" {
        Some(crate::app::localize::schedule(
            s.schedules(&who, trip, None).await?,
            lang,
        ))
    } else {
        None
    };
    Ok(Json(AiScheduleResult {
        request_id: status.request_id,
        trip_id: trip,
        status,
        schedule,
    }))
}

/// Cancel a generation request (409 `GENERATION_FINISHED` once it finished).
#[utoipa::path(delete, path = "/schedules/{rid}", operation_id = "ai_cancel", tag = "ai", security(("bearer" = [])),
    params(("rid" = String, Path)),
    responses((status = 200, body = JobStatus),
        (status = 404, body = Problem, description = "GENERATION_NOT_FOUND"),
        (status = 409, body = Problem, description = "GENERATION_FINISHED")))]
async fn cancel(
    State(s): Svc,
    who: AuthUser,
    Path(rid): Path<String>,
) -> ApiResult<Json<JobStatus>> {
    let trip = s.generation_trip(&who, &rid).await?;
    Ok(Json(s.cancel_generation(&who, trip, &rid).await?))
}

/// Weather impact on the trip's upcoming days: the weather findings of today's change
/// check (rain/snow appearing, shifts of 10 °C or more, warnings, bad air).
#[utoipa::path(post, path = "/trips/{tid}/weather-impact", tag = "ai", security(("bearer" = [])),
    params(("tid" = String, Path)),
    responses((status = 200, body = WeatherImpact),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND"),
        (status = 409, body = Problem, description = "NO_SCHEDULE")))]
async fn weather_impact(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    Lang(lang): Lang,
) -> ApiResult<Json<WeatherImpact>> {
    let report: ChangeReport = s.check_schedule(&who, trip_id(&tid)?, lang).await?;
    let days = report
        .days
        .into_iter()
        .filter_map(|mut d| {
            d.reasons.retain(|r| r.stop_index.is_none());
            d.stops.clear();
            if d.reasons.is_empty() {
                return None;
            }
            // Weather changes either call for a new plan of the day (outdoor stops) or not.
            if d.suggestion != crate::domain::changes::Suggestion::RegenerateDay {
                d.suggestion = crate::domain::changes::Suggestion::Keep;
            }
            Some(d)
        })
        .collect();
    Ok(Json(WeatherImpact {
        trip_id: report.trip_id,
        checked_at: report.checked_at,
        days_with_forecast: report.days_with_forecast,
        days,
    }))
}
