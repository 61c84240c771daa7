//! HTTP routes of the AI context's recommendations (AI-020), with their full paths: the
//! AI API's `POST /api/v1/ai/places/{pid}/recommendations` and the place page's
//! `GET /api/v1/locations/places/{pid}/recommendations?tripId=` (PRODUCT.md §4 lists it
//! under the location API; the gateway routes that one path to the ai target).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::ApiJson;
use tripgen_platform::i18n::{Lang, Language};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::recommend::{RecommendError, Recommendation, Recommender};

type Svc = State<Arc<Recommender>>;

/// `POST /api/v1/ai/places/{pid}/recommendations`
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationRequest {
    /// The trip whose group the recommendation is for.
    pub trip_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    /// The trip whose group the recommendation is for.
    pub trip_id: Option<String>,
}

pub fn router(recommender: Arc<Recommender>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(ai_recommendation))
        .routes(routes!(place_recommendation))
        .with_state(recommender)
}

fn trip_not_found() -> ApiError {
    ApiError::not_found("TRIP_NOT_FOUND", "There is no such trip.")
}

fn trip_id(s: Option<&str>) -> ApiResult<Uuid> {
    match s.map(str::trim) {
        None | Some("") => Err(ApiError::field(
            "tripId",
            "REQUIRED",
            "Name the trip the recommendation is for.",
        )),
        Some(t) => Uuid::parse_str(t).map_err(|_| trip_not_found()),
    }
}

async fn run(
    s: &Recommender,
    who: &AuthUser,
    trip: Uuid,
    pid: &str,
    lang: Language,
) -> ApiResult<Recommendation> {
    s.recommend(who.user_id, trip, pid, lang)
        .await
        .map_err(|e| match e {
            RecommendError::TripNotFound => trip_not_found(),
            RecommendError::PlaceNotFound => ApiError::not_found(
                "PLACE_NOT_FOUND",
                format!("There is no place `{pid}` in the catalogue."),
            ),
            RecommendError::Unavailable(e) => {
                tracing::warn!(error = %e, "recommendation: a context is unavailable");
                ApiError::unavailable("The place catalogue is unavailable; try again shortly.")
            }
        })
}

/// Recommendation for a place in the context of a trip (AI-020): why it fits the group
/// (interests, ages, health, transport), the best time from its opening hours on the days
/// of the stay, the expected duration for this group, accessibility, weather preparation
/// and a nearby open place of the same kind. Rule-based over the catalogue; a configured
/// language model only rephrases `summary`. Cached 24 h per place, group profile and
/// language (texts in the request's language: `?lang=`, else `Accept-Language`).
#[utoipa::path(post, path = "/api/v1/ai/places/{pid}/recommendations", tag = "ai", security(("bearer" = [])),
    params(("pid" = String, Path, description = "e.g. `osm:node:123`"), ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")),
    request_body = RecommendationRequest,
    responses((status = 200, body = Recommendation),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND, PLACE_NOT_FOUND"),
        (status = 422, body = Problem, description = "tripId missing"),
        (status = 503, body = Problem, description = "UPSTREAM_UNAVAILABLE")))]
async fn ai_recommendation(
    State(s): Svc,
    who: AuthUser,
    Path(pid): Path<String>,
    Lang(lang): Lang,
    ApiJson(req): ApiJson<RecommendationRequest>,
) -> ApiResult<Json<Recommendation>> {
    let trip = trip_id(Some(&req.trip_id))?;
    Ok(Json(run(&s, &who, trip, &pid, lang).await?))
}

/// The place page's recommendation section (same answer as
/// `POST /api/v1/ai/places/{pid}/recommendations`).
#[utoipa::path(get, path = "/api/v1/locations/places/{pid}/recommendations", tag = "locations", security(("bearer" = [])),
    params(("pid" = String, Path, description = "e.g. `osm:node:123`"), RecommendationQuery, ("Accept-Language" = Option<String>, Header, description = "`ko` or `en` (default) texts; `?lang=` overrides")),
    responses((status = 200, body = Recommendation),
        (status = 404, body = Problem, description = "TRIP_NOT_FOUND, PLACE_NOT_FOUND"),
        (status = 422, body = Problem, description = "tripId missing"),
        (status = 503, body = Problem, description = "UPSTREAM_UNAVAILABLE")))]
async fn place_recommendation(
    State(s): Svc,
    who: AuthUser,
    Path(pid): Path<String>,
    Query(q): Query<RecommendationQuery>,
    Lang(lang): Lang,
) -> ApiResult<Json<Recommendation>> {
    let trip = trip_id(q.trip_id.as_deref())?;
    Ok(Json(run(&s, &who, trip, &pid, lang).await?))
}
