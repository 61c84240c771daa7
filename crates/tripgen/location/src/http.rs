//! HTTP API of the location context (`/api/v1/locations`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::ApiJson;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::*;
use crate::nearby::NearbyPage;
use crate::service::LocationService;

type Svc = State<Arc<LocationService>>;

pub fn router(svc: Arc<LocationService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(nearby))
        .routes(routes!(keyword))
        .routes(routes!(place))
        .routes(routes!(business_hours))
        .routes(routes!(geocode))
        .routes(routes!(route))
        .routes(routes!(resolve_city))
        .routes(routes!(catalogue_cities))
        .routes(routes!(place_day))
        .routes(routes!(places_around))
        .routes(routes!(places_named))
        .with_state(svc)
}

/// Places reachable from an origin within 10/30/60 minutes by walking, transit or car
/// (LOC-010), with travel minutes and metres.
#[utoipa::path(post, path = "/search/nearby", tag = "locations", request_body = NearbyBody,
    responses((status = 200, body = Object, description = "`{items: [{place, travel: {minutes, metres}, rating, reviewCount}], nextCursor, total}`"),
              (status = 422, body = Problem)))]
async fn nearby(State(s): Svc, ApiJson(body): ApiJson<NearbyBody>) -> ApiResult<Json<NearbyPage>> {
    Ok(Json(s.nearby(body).await?))
}

/// Places whose name contains `q` (any language), optionally near a point.
#[utoipa::path(get, path = "/search/keyword", tag = "locations", params(KeywordParams),
    responses((status = 200, body = KeywordPage), (status = 422, body = Problem)))]
async fn keyword(State(s): Svc, Query(p): Query<KeywordParams>) -> ApiResult<Json<KeywordPage>> {
    Ok(Json(s.keyword(p).await?))
}

/// Place details with opening hours now, today and this week (LOC-030).
#[utoipa::path(get, path = "/places/{pid}", tag = "locations", params(("pid" = String, Path, description = "e.g. `osm:node:123`")),
    responses((status = 200, body = PlaceDetail), (status = 404, body = Problem, description = "PLACE_NOT_FOUND")))]
async fn place(State(s): Svc, Path(pid): Path<String>) -> ApiResult<Json<PlaceDetail>> {
    Ok(Json(s.place(&pid).await?))
}

#[utoipa::path(get, path = "/places/{pid}/business-hours", tag = "locations",
    params(("pid" = String, Path), HoursParams),
    responses((status = 200, body = Hours), (status = 404, body = Problem)))]
async fn business_hours(
    State(s): Svc,
    Path(pid): Path<String>,
    Query(p): Query<HoursParams>,
) -> ApiResult<Json<Hours>> {
    Ok(Json(s.business_hours(&pid, p.date.as_deref()).await?))
}

/// Cities, then places, by name in Korean, English or the local language. Cities come from
/// the catalogue and from the world gazetteer shipped with TripGen (GeoNames cities of
/// ≥ 15,000 inhabitants, © GeoNames, CC BY 4.0); `hasPlaces: false` marks a city whose
/// places are not imported yet (`importHint` says how).
#[utoipa::path(get, path = "/geocode", tag = "locations", params(GeocodeParams),
    responses((status = 200, body = Vec<GeocodeHit>), (status = 422, body = Problem)))]
async fn geocode(
    State(s): Svc,
    Query(p): Query<GeocodeParams>,
) -> ApiResult<Json<Vec<GeocodeHit>>> {
    let limit = p.limit.unwrap_or(10);
    if !(1..=20).contains(&limit) {
        return Err(ApiError::field("limit", "OUT_OF_RANGE", "limit is 1–20."));
    }
    Ok(Json(s.geocode(p.q.as_deref().unwrap_or(""), limit).await?))
}

/// Travel time and distance between two points or places.
#[utoipa::path(get, path = "/routes", tag = "locations", params(RouteParams),
    responses((status = 200, body = Route), (status = 422, body = Problem)))]
async fn route(State(s): Svc, Query(p): Query<RouteParams>) -> ApiResult<Json<Route>> {
    Ok(Json(
        s.route(
            p.from.as_deref().unwrap_or(""),
            p.to.as_deref().unwrap_or(""),
            p.mode.as_deref(),
            p.step_free.as_deref(),
        )
        .await?,
    ))
}

/// The cities the place catalogue holds, with place counts and the last import that
/// brought places there; an empty list means nothing has been imported yet.
#[utoipa::path(get, path = "/cities", tag = "locations",
    responses((status = 200, body = Vec<crate::catalogue::CatalogueCity>)))]
async fn catalogue_cities(State(s): Svc) -> ApiResult<Json<Vec<crate::catalogue::CatalogueCity>>> {
    Ok(Json(s.catalogue_cities().await?))
}

/// Resolve a city name exactly (any language); suggestions when unknown.
#[utoipa::path(get, path = "/cities/resolve", tag = "locations", params(ResolveParams),
    responses((status = 200, body = CityResolution)))]
async fn resolve_city(
    State(s): Svc,
    Query(p): Query<ResolveParams>,
) -> ApiResult<Json<CityResolution>> {
    use crate::service::CityLookup;
    Ok(Json(
        match s.resolve_city(p.name.as_deref().unwrap_or("")).await? {
            CityLookup::Found(c) => CityResolution {
                city: Some(ResolvedCity {
                    import_hint: (c.place_count == 0)
                        .then(|| crate::dto::import_hint(c.name_en.as_deref().unwrap_or(&c.name))),
                    id: c.id,
                    name: c.name,
                    name_en: c.name_en,
                    name_ko: c.name_ko,
                    lat: c.centre.lat(),
                    lon: c.centre.lon(),
                    time_zone: c.time_zone,
                    country: c.country,
                    place_count: c.place_count,
                    has_places: c.place_count > 0,
                    geonames_id: c.geonames_id,
                }),
                suggestions: Vec::new(),
            },
            CityLookup::NotFound { suggestions } => CityResolution {
                city: None,
                suggestions,
            },
        },
    ))
}

/// A place and its opening intervals on one local date (for planners).
#[utoipa::path(get, path = "/places/{pid}/day/{date}", tag = "locations",
    params(("pid" = String, Path), ("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = PlaceDay), (status = 404, body = Problem)))]
async fn place_day(
    State(s): Svc,
    Path((pid, date)): Path<(String, String)>,
) -> ApiResult<Json<PlaceDay>> {
    let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map_err(|_| ApiError::field("date", "INVALID_FORMAT", "Use a date like 2026-11-21."))?;
    let p = s.place_on(&pid, day).await?.ok_or_else(|| {
        ApiError::not_found(
            "PLACE_NOT_FOUND",
            format!("There is no place `{pid}` in the catalogue."),
        )
    })?;
    Ok(Json(PlaceDay {
        id: p.place.id.as_str().to_string(),
        name: p.place.names.local.clone(),
        category: p.place.category.as_str().to_string(),
        lat: p.place.position.lat(),
        lon: p.place.position.lon(),
        visit_minutes: p.place.visit_minutes,
        exposure: serde_json::to_value(p.place.exposure)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        date: day.to_string(),
        open: p.open.map(|v| v.into_iter().map(|(a, b)| [a, b]).collect()),
    }))
}

/// `GET /places/around` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AroundParams {
    lat: f64,
    lon: f64,
    /// Metres, 1–20000 (default 4000).
    radius: Option<f64>,
    /// 1–2000 (default 500).
    limit: Option<i64>,
    /// Comma-separated local dates `YYYY-MM-DD` (at most 31) to evaluate hours on.
    dates: Option<String>,
}

fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Catalogue places around a point with their opening intervals on given dates (for
/// planners: the AI target's candidates in split mode). Lodging and laundries are left
/// out.
#[utoipa::path(get, path = "/places/around", tag = "locations", params(AroundParams),
    responses((status = 200, body = AroundPage), (status = 422, body = Problem)))]
async fn places_around(
    State(s): Svc,
    Query(p): Query<AroundParams>,
) -> ApiResult<Json<AroundPage>> {
    let centre = crate::GeoPoint::new(p.lat, p.lon).map_err(crate::service::validation)?;
    let radius = p.radius.unwrap_or(4_000.0);
    if !(1.0..=20_000.0).contains(&radius) {
        return Err(ApiError::field(
            "radius",
            "OUT_OF_RANGE",
            "Use 1–20000 metres.",
        ));
    }
    let limit = p.limit.unwrap_or(500);
    if !(1..=2_000).contains(&limit) {
        return Err(ApiError::field("limit", "OUT_OF_RANGE", "Use 1–2000."));
    }
    let dates = plan_dates(p.dates.as_deref())?;
    let found = s.places_around(centre, radius, limit, &dates).await?;
    Ok(Json(AroundPage {
        items: found.into_iter().map(around_place).collect(),
    }))
}

/// `GET /places/named` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct NamedParams {
    /// The city, by any of its names (as a trip's destination).
    city: String,
    /// The place as a traveller wrote it (1–100 characters, any script).
    name: String,
    /// 1–300 (default 100).
    limit: Option<usize>,
    /// Comma-separated local dates `YYYY-MM-DD` (at most 31) to evaluate hours on.
    dates: Option<String>,
}

/// Places anywhere in a city whose names may be the one a traveller wrote (for planners:
/// a named wish far from the hotel, in split mode): text hits on the name's distinctive
/// words, and for a name in another script the city's best-known places, so the caller's
/// fuzzy, cross-script matching can choose. Empty when the city is unknown.
#[utoipa::path(get, path = "/places/named", tag = "locations", params(NamedParams),
    responses((status = 200, body = AroundPage), (status = 422, body = Problem)))]
async fn places_named(State(s): Svc, Query(p): Query<NamedParams>) -> ApiResult<Json<AroundPage>> {
    let name = p.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::field(
            "name",
            "OUT_OF_RANGE",
            "Give a name of 1–100 characters.",
        ));
    }
    if p.city.trim().is_empty() {
        return Err(ApiError::field("city", "REQUIRED", "Give the city."));
    }
    let limit = p.limit.unwrap_or(100);
    if !(1..=300).contains(&limit) {
        return Err(ApiError::field("limit", "OUT_OF_RANGE", "Use 1–300."));
    }
    let dates = plan_dates(p.dates.as_deref())?;
    let found = s.places_named(&p.city, name, limit, &dates).await?;
    Ok(Json(AroundPage {
        items: found.into_iter().map(around_place).collect(),
    }))
}

/// Comma-separated local dates (at most 31).
fn plan_dates(text: Option<&str>) -> ApiResult<Vec<chrono::NaiveDate>> {
    let mut dates = Vec::new();
    for d in text
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            ApiError::field(
                "dates",
                "INVALID_FORMAT",
                "Use dates like 2026-11-21, comma-separated.",
            )
        })?;
        dates.push(d);
    }
    if dates.len() > 31 {
        return Err(ApiError::field(
            "dates",
            "TOO_MANY",
            "Ask for at most 31 dates.",
        ));
    }
    Ok(dates)
}

/// A place with its hours as planners read it over HTTP.
fn around_place(a: crate::service::PlaceAround) -> AroundPlace {
    AroundPlace {
        id: a.place.id.as_str().to_string(),
        names: AroundNames {
            local: a.place.names.local.clone(),
            en: a.place.names.en.clone(),
            ko: a.place.names.ko.clone(),
            other: a.place.other_names.values().cloned().collect(),
        },
        category: a.place.category.as_str().to_string(),
        kind: a.place.kind.clone(),
        position: AroundPosition {
            lat: a.place.position.lat(),
            lon: a.place.position.lon(),
        },
        visit_minutes: a.place.visit_minutes,
        exposure: wire(&a.place.exposure),
        wheelchair: wire(&a.place.wheelchair),
        rating: a.rating,
        review_count: a.review_count,
        opening_hours: a.place.opening_hours.raw().map(str::to_string),
        significance: a.place.significance.score,
        cuisine: a.place.cuisine.clone(),
        hours: a
            .hours
            .into_iter()
            .map(|h| h.map(|v| v.into_iter().map(|(o, c)| [o, c]).collect()))
            .collect(),
    }
}
