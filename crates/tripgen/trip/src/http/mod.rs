//! HTTP API of the trip context (`/api/v1/trips`). Every route under `/{id}` answers 404
//! `TRIP_NOT_FOUND` for a trip that is not the caller's; `/shared/{token}/…` are the only
//! routes without a bearer token, and they only read.

pub mod ai;
mod changes;
mod export;
mod generation;

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tripgen_platform::AuthUser;
use tripgen_platform::conditional;
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::{ApiJson, optional_json_body};
use tripgen_platform::i18n::Lang;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::app::localize;
use crate::app::{TripService, trip_not_found};
use crate::dto::*;

type Svc = State<Arc<TripService>>;

/// Routes relative to `/api/v1/trips`.
pub fn router(svc: Arc<TripService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(list_trips, create_trip))
        .routes(routes!(summary))
        .routes(routes!(delete_trips))
        .routes(routes!(get_trip, update_trip, delete_trip))
        .routes(routes!(restore_trip))
        .routes(routes!(basic_info))
        .routes(routes!(cover_svg))
        .routes(routes!(list_members, add_member))
        .routes(routes!(get_member, update_member, delete_member))
        .routes(routes!(destinations_batch))
        .routes(routes!(list_destinations, add_destination))
        .routes(routes!(
            get_destination,
            update_destination,
            delete_destination
        ))
        .routes(routes!(get_schedules))
        .routes(routes!(edit_day))
        .routes(routes!(day_versions))
        .routes(routes!(restore_version))
        .routes(routes!(get_route))
        .routes(routes!(crate::http::generation::generate))
        .routes(routes!(crate::http::generation::regenerate))
        .routes(routes!(crate::http::generation::regenerate_day))
        .routes(routes!(
            crate::http::generation::status,
            crate::http::generation::cancel
        ))
        .routes(routes!(crate::http::generation::events))
        .routes(routes!(crate::http::changes::check))
        .routes(routes!(crate::http::changes::notices))
        .routes(routes!(crate::http::changes::read_notice))
        .routes(routes!(crate::http::changes::notice_events))
        .routes(routes!(current_share, share, unshare))
        .routes(routes!(shared_trip))
        .routes(routes!(shared_schedules))
        .routes(routes!(shared_route))
        .merge(crate::http::export::routes())
        .with_state(svc)
}

/// Path ids that are not UUIDs name no trip.
fn id(s: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(s).map_err(|_| trip_not_found())
}

fn sub_id(s: &str, code: &'static str, what: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(s)
        .map_err(|_| ApiError::not_found(code, format!("This trip has no such {what}.")))
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

fn geojson(v: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/geo+json")],
        serde_json::to_vec(&v).unwrap_or_default(),
    )
        .into_response()
}

/// Trips of the caller (TRIP-110): `status`, `q` (trip or city name), `sort`
/// (`newest`|`oldest`|`startDate`|`name`), `cursor` or `page`, `size` ≤ 50, `deleted=true`
/// for the trash.
#[utoipa::path(get, path = "", tag = "trips", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = TripPage), (status = 422, body = Problem)))]
async fn list_trips(
    State(s): Svc,
    who: AuthUser,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<TripPage>> {
    Ok(Json(s.list(&who, q).await?))
}

/// Start a trip: a name is enough; transport and members may follow (TRIP-030).
#[utoipa::path(post, path = "", tag = "trips", security(("bearer" = [])), request_body = CreateTripRequest,
    responses((status = 201, body = TripDetail), (status = 422, body = Problem)))]
async fn create_trip(
    State(s): Svc,
    who: AuthUser,
    ApiJson(req): ApiJson<CreateTripRequest>,
) -> ApiResult<(StatusCode, Json<TripDetail>)> {
    Ok((StatusCode::CREATED, Json(s.create(&who, req).await?)))
}

/// Dashboard (TRIP-020): ongoing, planning and completed trips, three newest each.
#[utoipa::path(get, path = "/summary", tag = "trips", security(("bearer" = [])),
    responses((status = 200, body = Summary)))]
async fn summary(State(s): Svc, who: AuthUser) -> ApiResult<Json<Summary>> {
    Ok(Json(s.summary(&who).await?))
}

/// Delete several trips (soft delete, restorable for 30 days). Ids that are not the
/// caller's live trips are listed in `notFound`.
#[utoipa::path(post, path = "/delete", tag = "trips", security(("bearer" = [])), request_body = DeleteTripsRequest,
    responses((status = 200, body = DeleteTripsResponse), (status = 422, body = Problem)))]
async fn delete_trips(
    State(s): Svc,
    who: AuthUser,
    ApiJson(req): ApiJson<DeleteTripsRequest>,
) -> ApiResult<Json<DeleteTripsResponse>> {
    Ok(Json(s.delete_many(&who, req).await?))
}

/// The trip. Answers carry a weak `ETag` and `Cache-Control: private, no-cache`; a request
/// with `If-None-Match` naming the current one gets 304 without a body.
#[utoipa::path(get, path = "/{id}", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TripDetail), (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
              (status = 404, body = Problem, description = "TRIP_NOT_FOUND")))]
async fn get_trip(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    conditional::json_response(
        &headers,
        &s.detail(&who, id(&tid)?).await?,
        conditional::PRIVATE_NO_CACHE,
    )
}

/// Change name, transport or start date (the destination chain moves with it).
#[utoipa::path(put, path = "/{id}", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = UpdateTripRequest,
    responses((status = 200, body = TripDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_trip(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    ApiJson(req): ApiJson<UpdateTripRequest>,
) -> ApiResult<Json<TripDetail>> {
    Ok(Json(s.update(&who, id(&tid)?, req).await?))
}

/// Soft delete (restorable for 30 days with `POST /{id}/restore`).
#[utoipa::path(delete, path = "/{id}", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_trip(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
) -> ApiResult<StatusCode> {
    s.delete(&who, id(&tid)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/{id}/restore", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TripDetail), (status = 404, body = Problem)))]
async fn restore_trip(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
) -> ApiResult<Json<TripDetail>> {
    Ok(Json(s.restore(&who, id(&tid)?).await?))
}

/// Basic settings (TRIP-030): name 1–16, transport, 1–10 members.
#[utoipa::path(put, path = "/{id}/basic-info", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = BasicInfoRequest,
    responses((status = 200, body = TripDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn basic_info(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    ApiJson(req): ApiJson<BasicInfoRequest>,
) -> ApiResult<Json<TripDetail>> {
    Ok(Json(s.basic_info(&who, id(&tid)?, req).await?))
}

/// The generated cover (deterministic from the trip name).
#[utoipa::path(get, path = "/{id}/cover.svg", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = Problem)))]
async fn cover_svg(State(s): Svc, who: AuthUser, Path(tid): Path<String>) -> ApiResult<Response> {
    let svg = s.cover_svg(&who, id(&tid)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}

#[utoipa::path(get, path = "/{id}/members", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Vec<MemberView>), (status = 404, body = Problem)))]
async fn list_members(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
) -> ApiResult<Json<Vec<MemberView>>> {
    Ok(Json(s.members(&who, id(&tid)?).await?))
}

/// Add a member (at most 10).
#[utoipa::path(post, path = "/{id}/members", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = MemberRequest,
    responses((status = 201, body = MemberView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_member(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    ApiJson(req): ApiJson<MemberRequest>,
) -> ApiResult<(StatusCode, Json<MemberView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.add_member(&who, id(&tid)?, req).await?),
    ))
}

#[utoipa::path(get, path = "/{id}/members/{mid}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("mid" = String, Path)),
    responses((status = 200, body = MemberView), (status = 404, body = Problem)))]
async fn get_member(
    State(s): Svc,
    who: AuthUser,
    Path((tid, mid)): Path<(String, String)>,
) -> ApiResult<Json<MemberView>> {
    let tid = id(&tid)?;
    Ok(Json(
        s.member(&who, tid, sub_id(&mid, "MEMBER_NOT_FOUND", "member")?)
            .await?,
    ))
}

#[utoipa::path(put, path = "/{id}/members/{mid}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("mid" = String, Path)), request_body = MemberRequest,
    responses((status = 200, body = MemberView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_member(
    State(s): Svc,
    who: AuthUser,
    Path((tid, mid)): Path<(String, String)>,
    ApiJson(req): ApiJson<MemberRequest>,
) -> ApiResult<Json<MemberView>> {
    let tid = id(&tid)?;
    let mid = sub_id(&mid, "MEMBER_NOT_FOUND", "member")?;
    Ok(Json(s.update_member(&who, tid, mid, req).await?))
}

/// Remove a member (not the last one).
#[utoipa::path(delete, path = "/{id}/members/{mid}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("mid" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn delete_member(
    State(s): Svc,
    who: AuthUser,
    Path((tid, mid)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let tid = id(&tid)?;
    let mid = sub_id(&mid, "MEMBER_NOT_FOUND", "member")?;
    s.delete_member(&who, tid, mid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Destinations (TRIP-040): start date and 1–10 cities in one call; dates are chained.
#[utoipa::path(put, path = "/{id}/destinations/batch", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = DestinationsBatchRequest,
    responses((status = 200, body = TripDetail), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "STEP_INCOMPLETE: basic settings first; `extra.missing` lists them"),
              (status = 422, body = Problem, description = "Invalid fields; `UNKNOWN_CITY` with `extra.suggestions`")))]
async fn destinations_batch(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    ApiJson(req): ApiJson<DestinationsBatchRequest>,
) -> ApiResult<Json<TripDetail>> {
    Ok(Json(s.destinations_batch(&who, id(&tid)?, req).await?))
}

#[utoipa::path(get, path = "/{id}/destinations", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Vec<DestinationView>), (status = 404, body = Problem)))]
async fn list_destinations(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
) -> ApiResult<Json<Vec<DestinationView>>> {
    Ok(Json(s.destinations(&who, id(&tid)?).await?))
}

/// Insert a destination at `position` (default: the end); later dates move.
#[utoipa::path(post, path = "/{id}/destinations", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = DestinationRequest,
    responses((status = 201, body = DestinationView), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "STEP_INCOMPLETE: basic settings first; `extra.missing` lists them"),
              (status = 422, body = Problem)))]
async fn add_destination(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    ApiJson(req): ApiJson<DestinationRequest>,
) -> ApiResult<(StatusCode, Json<DestinationView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.add_destination(&who, id(&tid)?, req).await?),
    ))
}

#[utoipa::path(get, path = "/{id}/destinations/{did}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("did" = String, Path)),
    responses((status = 200, body = DestinationView), (status = 404, body = Problem)))]
async fn get_destination(
    State(s): Svc,
    who: AuthUser,
    Path((tid, did)): Path<(String, String)>,
) -> ApiResult<Json<DestinationView>> {
    let tid = id(&tid)?;
    let did = sub_id(&did, "DESTINATION_NOT_FOUND", "destination")?;
    Ok(Json(s.destination(&who, tid, did).await?))
}

/// Replace one destination; later dates move with its nights.
#[utoipa::path(put, path = "/{id}/destinations/{did}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("did" = String, Path)), request_body = DestinationRequest,
    responses((status = 200, body = DestinationView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_destination(
    State(s): Svc,
    who: AuthUser,
    Path((tid, did)): Path<(String, String)>,
    ApiJson(req): ApiJson<DestinationRequest>,
) -> ApiResult<Json<DestinationView>> {
    let tid = id(&tid)?;
    let did = sub_id(&did, "DESTINATION_NOT_FOUND", "destination")?;
    Ok(Json(s.update_destination(&who, tid, did, req).await?))
}

/// Remove a destination (not the last one); later dates move up.
#[utoipa::path(delete, path = "/{id}/destinations/{did}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("did" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn delete_destination(
    State(s): Svc,
    who: AuthUser,
    Path((tid, did)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let tid = id(&tid)?;
    let did = sub_id(&did, "DESTINATION_NOT_FOUND", "destination")?;
    s.delete_destination(&who, tid, did).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The schedule: every day's current plan, or one day with `?day=n` (1-based). Each day
/// carries `regenerationsLeft` (out of `regenerationLimit`, TRIP-070). The whole schedule
/// is stored rendered and gzip-compressed per version and language (sent as it is); every
/// answer carries a weak `ETag` and `Cache-Control: private, no-cache`, and a request with
/// `If-None-Match` naming the current one gets 304 without a body.
#[utoipa::path(get, path = "/{id}/schedules", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), DayQuery, ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")),
    responses((status = 200, body = ScheduleView), (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
              (status = 404, body = Problem)))]
async fn get_schedules(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    Query(q): Query<DayQuery>,
    Lang(lang): Lang,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let tid = id(&tid)?;
    if q.day.as_deref().is_none_or(|d| d.trim().is_empty()) {
        return Ok(s.schedule_body(&who, tid, lang).await?.respond(&headers));
    }
    let view = s.schedules(&who, tid, q.day.as_deref()).await?;
    conditional::json_response(
        &headers,
        &localize::schedule(view, lang),
        conditional::PRIVATE_NO_CACHE,
    )
}

/// Edit a day (TRIP-060): new order of place ids; ids left out are removed, catalogue ids
/// are inserted. Times and legs are recomputed. Broken hard rules → 409
/// `SCHEDULE_RULES_VIOLATED` (the proposed day in `extra.day`), saved only with
/// `force=true`.
#[utoipa::path(put, path = "/{id}/schedules/days/{day}", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("day" = usize, Path), ForceQuery, ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")), request_body = EditDayRequest,
    responses((status = 200, body = DayView), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "SCHEDULE_RULES_VIOLATED, `extra` = RejectedEdit"),
              (status = 422, body = Problem)))]
async fn edit_day(
    State(s): Svc,
    who: AuthUser,
    Path((tid, d)): Path<(String, String)>,
    Query(q): Query<ForceQuery>,
    Lang(lang): Lang,
    ApiJson(req): ApiJson<EditDayRequest>,
) -> ApiResult<Json<DayView>> {
    let tid = id(&tid)?;
    let force = match q.force.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::field(
                "force",
                "INVALID_VALUE",
                "force is true or false.",
            ));
        }
    };
    match s.edit_day(&who, tid, day(&d)?, req, force).await {
        Ok(view) => Ok(Json(localize::day(view, lang))),
        Err(e) => Err(localize::error(e, lang)),
    }
}

/// The kept versions of a day (the last three), newest first.
#[utoipa::path(get, path = "/{id}/schedules/days/{day}/versions", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("day" = usize, Path), ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")),
    responses((status = 200, body = VersionsView), (status = 404, body = Problem)))]
async fn day_versions(
    State(s): Svc,
    who: AuthUser,
    Path((tid, d)): Path<(String, String)>,
    Lang(lang): Lang,
) -> ApiResult<Json<VersionsView>> {
    let tid = id(&tid)?;
    let view = s.versions(&who, tid, day(&d)?).await?;
    Ok(Json(localize::versions(view, lang)))
}

/// Make a kept version current again (stored as a new version).
#[utoipa::path(post, path = "/{id}/schedules/days/{day}/versions/{v}/restore", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), ("day" = usize, Path), ("v" = i64, Path), ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")),
    responses((status = 200, body = DayView), (status = 404, body = Problem)))]
async fn restore_version(
    State(s): Svc,
    who: AuthUser,
    Path((tid, d, v)): Path<(String, String, String)>,
    Lang(lang): Lang,
) -> ApiResult<Json<DayView>> {
    let tid = id(&tid)?;
    let d = day(&d)?;
    let v = v
        .parse::<i64>()
        .map_err(|_| ApiError::not_found("VERSION_NOT_FOUND", "This day has no such version."))?;
    let view = s.restore_version(&who, tid, d, v).await?;
    Ok(Json(localize::day(view, lang)))
}

/// Map data (TRIP-080) as GeoJSON: numbered stops, anchors, legs with mode, colour per day.
#[utoipa::path(get, path = "/{id}/route", tag = "trips", security(("bearer" = [])),
    params(("id" = String, Path), DayQuery),
    responses((status = 200, content_type = "application/geo+json", body = Object), (status = 404, body = Problem)))]
async fn get_route(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    Query(q): Query<DayQuery>,
) -> ApiResult<Response> {
    Ok(geojson(s.route(&who, id(&tid)?, q.day.as_deref()).await?))
}

/// The trip's current read-only share link, as it was made (opening the Share panel shows it
/// without changing it); 404 `SHARE_NOT_FOUND` when the trip has no live link.
#[utoipa::path(get, path = "/{id}/share", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = ShareResponse), (status = 404, body = Problem, description = "TRIP_NOT_FOUND or SHARE_NOT_FOUND")))]
async fn current_share(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
) -> ApiResult<Json<ShareResponse>> {
    Ok(Json(s.current_share(&who, id(&tid)?).await?))
}

/// Create a read-only share link, rotating: earlier links of the trip stop working. The
/// optional body sets when the link expires.
#[utoipa::path(post, path = "/{id}/share", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    request_body(content = Option<ShareRequest>, description = "optional"),
    responses((status = 201, body = ShareResponse), (status = 404, body = Problem),
              (status = 422, body = Problem, description = "OUT_OF_RANGE (expiresAt)")))]
async fn share(
    State(s): Svc,
    who: AuthUser,
    Path(tid): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ShareResponse>)> {
    let tid = id(&tid)?;
    let req: ShareRequest = optional_json_body(&body)?;
    Ok((StatusCode::CREATED, Json(s.share(&who, tid, req).await?)))
}

/// Revoke the trip's share links.
#[utoipa::path(delete, path = "/{id}/share", tag = "trips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn unshare(State(s): Svc, who: AuthUser, Path(tid): Path<String>) -> ApiResult<StatusCode> {
    s.unshare(&who, id(&tid)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A shared trip, read-only, without a sign-in.
#[utoipa::path(get, path = "/shared/{token}", tag = "trips", params(("token" = String, Path)),
    responses((status = 200, body = SharedTripView), (status = 404, body = Problem, description = "SHARE_NOT_FOUND"),
              (status = 410, body = Problem, description = "SHARE_EXPIRED")))]
async fn shared_trip(State(s): Svc, Path(token): Path<String>) -> ApiResult<Json<SharedTripView>> {
    Ok(Json(s.shared_detail(&token).await?))
}

#[utoipa::path(get, path = "/shared/{token}/schedules", tag = "trips", params(("token" = String, Path), DayQuery, ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")),
    responses((status = 200, body = ScheduleView), (status = 404, body = Problem),
              (status = 410, body = Problem, description = "SHARE_EXPIRED")))]
async fn shared_schedules(
    State(s): Svc,
    Path(token): Path<String>,
    Query(q): Query<DayQuery>,
    Lang(lang): Lang,
) -> ApiResult<Json<ScheduleView>> {
    let view = s.shared_schedules(&token, q.day.as_deref()).await?;
    Ok(Json(localize::schedule(view, lang)))
}

#[utoipa::path(get, path = "/shared/{token}/route", tag = "trips", params(("token" = String, Path), DayQuery),
    responses((status = 200, content_type = "application/geo+json", body = Object), (status = 404, body = Problem),
              (status = 410, body = Problem, description = "SHARE_EXPIRED")))]
async fn shared_route(
    State(s): Svc,
    Path(token): Path<String>,
    Query(q): Query<DayQuery>,
) -> ApiResult<Response> {
    Ok(geojson(s.shared_route(&token, q.day.as_deref()).await?))
}
