//! HTTP routes of change detection and notices (TRIP-062) under `/api/v1/trips/{id}`.
//! Mounted by [`crate::http::router`].

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiResult, Problem};
use tripgen_platform::i18n::Lang;
use uuid::Uuid;

use crate::app::notices::{Notice, NoticeList};
use crate::app::{TripService, trip_not_found};
use crate::domain::changes::ChangeReport;

type Svc = State<Arc<TripService>>;

/// How often a notice stream looks for new notices.
const NOTICE_POLL: Duration = Duration::from_secs(1);

fn id(s: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(s).map_err(|_| trip_not_found())
}

/// Check the schedule for changes (TRIP-062): weather that turned (rain/snow, a shift of
/// 10 °C or more, severe-weather warnings, bad air) against the forecast the days were
/// planned with, and stops closed, removed or of unknown hours at their planned time.
/// Answers the reasons, the affected days and stops, a suggestion (`regenerateDay`,
/// `replacePlace`, `keep`) and an open alternative near each closed stop. Runs at most
/// once a day per trip: later calls that day return the stored result (`cached: true`)
/// unless the schedule changed.
#[utoipa::path(post, path = "/{id}/schedules/check", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path),
        ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) messages"),
        ("lang" = Option<String>, Query, description = "`ko` or `en`: overrides `Accept-Language`")),
    responses((status = 200, body = ChangeReport),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND"),
        (status = 409, body = Problem, description = "NO_SCHEDULE"),
        (status = 503, body = Problem, description = "UPSTREAM_UNAVAILABLE (place catalogue)")))]
pub(crate) async fn check(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    Lang(lang): Lang,
) -> ApiResult<Json<ChangeReport>> {
    Ok(Json(s.check_schedule(&who, id(&tid)?, lang).await?))
}

/// The trip's notices, newest first (the day-before check puts one here).
#[utoipa::path(get, path = "/{id}/notices", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path),
        ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts"),
        ("lang" = Option<String>, Query, description = "`ko` or `en`: overrides `Accept-Language`")),
    responses((status = 200, body = NoticeList), (status = 404, body = Problem)))]
pub(crate) async fn notices(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    Lang(lang): Lang,
) -> ApiResult<Json<NoticeList>> {
    Ok(Json(s.notices(&who, id(&tid)?, lang).await?))
}

/// Marks a notice read.
#[utoipa::path(post, path = "/{id}/notices/{nid}/read", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("nid" = String, Path)),
    responses((status = 200, body = Notice),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND, NOTICE_NOT_FOUND")))]
pub(crate) async fn read_notice(
    State(s): Svc,
    who: AuthUser,
    Path((tid, nid)): Path<(String, String)>,
    Lang(lang): Lang,
) -> ApiResult<Json<Notice>> {
    Ok(Json(s.mark_notice_read(&who, id(&tid)?, &nid, lang).await?))
}

/// New notices as server-sent events (`event: notice`, `data`: the notice, `id`: its
/// creation instant in ms). Without `Last-Event-ID` the stream starts with every stored
/// notice; reconnecting with it sends only newer ones. The stream stays open.
#[utoipa::path(get, path = "/{id}/notices/events", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path),
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this event")),
    responses((status = 200, content_type = "text/event-stream", body = Notice,
            description = "One `notice` event per new notice"),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND")))]
pub(crate) async fn notice_events(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    headers: HeaderMap,
    Lang(lang): Lang,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let trip = id(&tid)?;
    s.owned(&who, trip).await?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let start = (s, trip, after, std::collections::VecDeque::<Notice>::new());
    let stream =
        futures::stream::unfold(start, move |(s, trip, mut after, mut pending)| async move {
            loop {
                if let Some(n) = pending.pop_front() {
                    after = n.created_at.timestamp_millis();
                    let ev = Event::default()
                        .id(after.to_string())
                        .event("notice")
                        .json_data(&n)
                        .unwrap_or_else(|_| Event::default().comment("unserialisable notice"));
                    return Some((Ok(ev), (s, trip, after, pending)));
                }
                match s.notices_after(trip, after, lang).await {
                    Ok(list) if !list.is_empty() => pending.extend(list),
                    Ok(_) => tokio::time::sleep(NOTICE_POLL).await,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read notices");
                        tokio::time::sleep(NOTICE_POLL * 4).await;
                    }
                }
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
