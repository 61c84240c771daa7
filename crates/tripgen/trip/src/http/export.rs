//! HTTP of the schedule export (TRIP-100): the owner's route and the share link's route.
//! The answer is the file itself, named by `Content-Disposition` (RFC 6266, UTF-8 name
//! with an ASCII fallback).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tripgen_export::Exported;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiResult, Problem};
use tripgen_platform::http::ApiJson;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::export::ExportBody;
use crate::app::{TripService, trip_not_found};

type Svc = State<Arc<TripService>>;

/// Routes relative to `/api/v1/trips` (merged into [`crate::http::router`]).
pub fn routes() -> OpenApiRouter<Arc<TripService>> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(shared_export))
}

fn accept_language(h: &HeaderMap) -> Option<&str> {
    h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())
}

fn file(out: Exported) -> Response {
    let disposition = HeaderValue::from_str(&out.content_disposition())
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(out.content_type),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        out.bytes,
    )
        .into_response()
}

/// Export the schedule as a file (TRIP-100): `pdf`, `png` (a ZIP for several days), `ics`
/// or `gpx`, for `days` (empty = all), with or without the route map. The file name is
/// `<trip>_YYYYMMDD.<ext>` (`<trip>_Day<N>_YYYYMMDD.png` for one picture), in
/// `Content-Disposition`.
#[utoipa::path(post, path = "/{id}/schedules/export", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` labels when `language` is absent")),
    request_body = ExportBody,
    responses(
        (status = 200, description = "The file, named in `Content-Disposition`", content(
            ("application/pdf"), ("image/png"), ("application/zip"),
            ("text/calendar"), ("application/gpx+xml"))),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND"),
        (status = 409, body = Problem, description = "NO_SCHEDULE: nothing generated yet"),
        (status = 422, body = Problem, description = "`format`, `days[i]` (`DAY_NOT_FOUND`), `language`")))]
pub(crate) async fn export(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ExportBody>,
) -> ApiResult<Response> {
    let id = uuid::Uuid::parse_str(&tid).map_err(|_| trip_not_found())?;
    let out = s.export(&who, id, body, accept_language(&headers)).await?;
    Ok(file(out))
}

/// The same export through a read-only share link, without a sign-in.
#[utoipa::path(post, path = "/shared/{token}/schedules/export", tag = "trips",
    params(("token" = String, Path), ("Accept-Language" = Option<String>, Header)),
    request_body = ExportBody,
    responses(
        (status = 200, description = "The file, named in `Content-Disposition`", content(
            ("application/pdf"), ("image/png"), ("application/zip"),
            ("text/calendar"), ("application/gpx+xml"))),
        (status = 404, body = Problem, description = "SHARE_NOT_FOUND"),
        (status = 409, body = Problem, description = "NO_SCHEDULE"),
        (status = 410, body = Problem, description = "SHARE_EXPIRED"),
        (status = 422, body = Problem)))]
pub(crate) async fn shared_export(
    State(s): Svc,
    Path(token): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ExportBody>,
) -> ApiResult<Response> {
    let out = s
        .shared_export(&token, body, accept_language(&headers))
        .await?;
    Ok(file(out))
}
