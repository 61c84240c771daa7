//! Routes of generation requests (TRIP-050, TRIP-070) under `/api/v1/trips/{id}/schedules`.
//! Mounted by [`crate::http::router`].

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::ApiJson;
use tripgen_platform::jobs::{JobQueue, JobStatus};
use uuid::Uuid;

use crate::app::generation::{GenerateRequest, GenerationAccepted};
use crate::app::{TripService, trip_not_found};

type Svc = State<Arc<TripService>>;

/// How often an event stream looks for new events of its job.
const EVENT_POLL: Duration = Duration::from_millis(250);

fn id(s: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(s).map_err(|_| trip_not_found())
}

fn day(s: &str) -> ApiResult<usize> {
    match s.parse::<usize>() {
        Ok(d) if d >= 1 => Ok(d),
        _ => Err(ApiError::not_found(
            "DAY_NOT_FOUND",
            "The schedule has no such day.",
        )),
    }
}

fn key(headers: &HeaderMap) -> Option<&str> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok())
}

/// Generate the schedule (TRIP-050): checks the trip is complete (409 `TRIP_INCOMPLETE`
/// with the missing items), enqueues the job with the trip's state change and answers 202
/// with the request id. The same `Idempotency-Key`, or a generation already in progress,
/// returns that request (`existing: true`) instead of a second job.
#[utoipa::path(post, path = "/{id}/schedules/generate", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe request key")),
    request_body = GenerateRequest,
    responses((status = 202, body = GenerationAccepted),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND"),
        (status = 409, body = Problem, description = "TRIP_INCOMPLETE"),
        (status = 422, body = Problem, description = "startTime not on a 10-minute step, specialRequests too long")))]
pub(crate) async fn generate(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<GenerateRequest>,
) -> ApiResult<(StatusCode, Json<GenerationAccepted>)> {
    let out = s.generate(&who, id(&tid)?, req, key(&headers)).await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Regenerate the whole trip (TRIP-070) with a new start time and requests; the result
/// is a new version of every day. Same rules and answers as `generate`.
#[utoipa::path(post, path = "/{id}/schedules/regenerate", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = GenerateRequest,
    responses((status = 202, body = GenerationAccepted), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn regenerate(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<GenerateRequest>,
) -> ApiResult<(StatusCode, Json<GenerationAccepted>)> {
    let out = s.generate(&who, id(&tid)?, req, key(&headers)).await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Regenerate one day (TRIP-070): only that day changes and the other days' places are
/// not reused; at most 5 times per day (429 `REGENERATION_LIMIT`; the schedule's days say
/// how many are left in `regenerationsLeft`); one generation at a time per trip
/// (409 `GENERATION_RUNNING`).
#[utoipa::path(post, path = "/{id}/schedules/days/{day}/regenerate", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("day" = usize, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = GenerateRequest,
    responses((status = 202, body = GenerationAccepted), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "NO_SCHEDULE, GENERATION_RUNNING, TRIP_INCOMPLETE"),
        (status = 422, body = Problem), (status = 429, body = Problem, description = "REGENERATION_LIMIT")))]
pub(crate) async fn regenerate_day(
    State(s): Svc,
    who: AuthUser,
    Path((tid, d)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<GenerateRequest>,
) -> ApiResult<(StatusCode, Json<GenerationAccepted>)> {
    let tid = id(&tid)?;
    let out = s
        .regenerate_day(&who, tid, day(&d)?, req, key(&headers))
        .await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Status of a generation request: state, progress 0–100, step, message and an estimate
/// of the seconds left. Answered from the database by any replica. A completed
/// generation's `result` is a `GenerationResult`: days planned and, in `understood`, every
/// wish of the special requests with whether it was honoured or why not.
#[utoipa::path(get, path = "/{id}/schedules/generate/{rid}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("rid" = String, Path)),
    responses((status = 200, body = JobStatus),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND, GENERATION_NOT_FOUND")))]
pub(crate) async fn status(
    State(s): Svc,
    who: AuthUser,
    Path((tid, rid)): Path<(String, String)>,
) -> ApiResult<Json<JobStatus>> {
    Ok(Json(s.generation_status(&who, id(&tid)?, &rid).await?))
}

/// Cancel a generation request. The previous schedule stays as it was; a request that
/// has finished cannot be cancelled (409 `GENERATION_FINISHED`).
#[utoipa::path(delete, path = "/{id}/schedules/generate/{rid}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("rid" = String, Path)),
    responses((status = 200, body = JobStatus),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND, GENERATION_NOT_FOUND"),
        (status = 409, body = Problem, description = "GENERATION_FINISHED")))]
pub(crate) async fn cancel(
    State(s): Svc,
    who: AuthUser,
    Path((tid, rid)): Path<(String, String)>,
) -> ApiResult<Json<JobStatus>> {
    Ok(Json(s.cancel_generation(&who, id(&tid)?, &rid).await?))
}

/// Live progress as server-sent events (`event: status`, `data`: the status JSON, `id`:
/// the event number). Reconnecting with `Last-Event-ID` replays what was missed; the
/// stream ends after the final state.
#[utoipa::path(get, path = "/{id}/schedules/generate/{rid}/events", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("rid" = String, Path),
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this event")),
    responses((status = 200, content_type = "text/event-stream", body = JobStatus,
            description = "One `status` event per change"),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND, GENERATION_NOT_FOUND")))]
pub(crate) async fn events(
    State(s): Svc,
    who: AuthUser,
    Path((tid, rid)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let job = s.generation_job(&who, id(&tid)?, &rid).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    Ok(Sse::new(event_stream(s.jobs(), job.id, after)).keep_alive(KeepAlive::default()))
}

struct Follow {
    queue: JobQueue,
    id: Uuid,
    after: i64,
    pending: VecDeque<(i64, String)>,
    done: bool,
}

fn is_final(data: &str) -> bool {
    serde_json::from_str::<JobStatus>(data)
        .map(|s| matches!(s.status.as_str(), "completed" | "failed" | "cancelled"))
        .unwrap_or(false)
}

/// Polls the job's events (the database is the one place every replica sees).
fn event_stream(
    queue: JobQueue,
    id: Uuid,
    after: i64,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let start = Follow {
        queue,
        id,
        after,
        pending: VecDeque::new(),
        done: false,
    };
    futures::stream::unfold(start, |mut f| async move {
        loop {
            if let Some((seq, data)) = f.pending.pop_front() {
                f.after = seq;
                if is_final(&data) {
                    f.done = true;
                    f.pending.clear();
                }
                let ev = Event::default()
                    .id(seq.to_string())
                    .event("status")
                    .data(data);
                return Some((Ok(ev), f));
            }
            if f.done {
                return None;
            }
            match f.queue.events_after(f.id, f.after, 100).await {
                Ok(evs) if !evs.is_empty() => f.pending.extend(evs),
                Ok(_) => {
                    // Resumed after the last event of a finished job: nothing more comes.
                    if let Ok(Some(job)) = f.queue.get(f.id).await
                        && job.state.is_finished()
                        && job.event_seq <= f.after
                    {
                        return None;
                    }
                    tokio::time::sleep(EVENT_POLL).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read job events");
                    tokio::time::sleep(EVENT_POLL * 4).await;
                }
            }
        }
    })
}
