//! Composes a process from the configured target: which contexts serve in-process,
//! which are proxied, and the layers every target shares.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::any;
use axum::{Extension, Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tripgen_platform::http::{REQUEST_ID, TrustForwardedFor};
use tripgen_platform::{Platform, SharedClock};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::adapters;
use crate::config::{Config, Target};
use crate::gateway::{compression, proxy, rate_limit, tiles, web};
use crate::openapi::ApiDoc;

pub struct App {
    pub router: Router,
    /// TripGen's configuration (each context's section); the platform holds its own part.
    pub config: Arc<Config>,
    pub platform: Arc<Platform>,
    /// The services this process runs in-process (for workers, CLI commands and tests).
    pub contexts: Contexts,
    /// Job workers (targets `all` and `ai`); stopped with the server.
    pub workers: Option<tripgen_platform::jobs::WorkerPool>,
}

/// The context services of one process.
#[derive(Clone, Default)]
pub struct Contexts {
    pub users: Option<Arc<tripgen_user::UserService>>,
    pub locations: Option<Arc<tripgen_location::LocationService>>,
    pub trips: Option<Arc<tripgen_trip::TripService>>,
    /// The AI context (targets `all`, `ai`; the gateway builds it for the API description).
    pub ai: Option<adapters::ai_workers::AiContext>,
}

/// Contexts whose code exists in this binary. A target naming another is refused.
pub const BUILT_CONTEXTS: &[Target] = &[Target::User, Target::Trip, Target::Ai, Target::Location];

/// Connects storage, applies migrations where this process owns them, and builds the
/// router of the configured target.
pub async fn build(config: Config, clock: SharedClock) -> anyhow::Result<App> {
    let target = config.target;
    if !matches!(target, Target::All | Target::Gateway) && !BUILT_CONTEXTS.contains(&target) {
        anyhow::bail!(
            "the `{}` context is not built into this version of tripgen yet; available targets: all, gateway, {}",
            target.as_str(),
            BUILT_CONTEXTS
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if target == Target::Gateway && config.gateway.user_url.is_none() {
        anyhow::bail!(
            "invalid configuration `gateway.user_url`: required for --target gateway (TRIPGEN_GATEWAY__USER_URL)"
        );
    }
    if target == Target::Trip && config.gateway.location_url.is_none() {
        anyhow::bail!(
            "invalid configuration `gateway.location_url`: the trip target calls the location target there (TRIPGEN_GATEWAY__LOCATION_URL)"
        );
    }
    if target == Target::Ai && config.gateway.location_url.is_none() {
        anyhow::bail!(
            "invalid configuration `gateway.location_url`: the ai target calls the location target there (TRIPGEN_GATEWAY__LOCATION_URL)"
        );
    }
    let config = Arc::new(config);
    let platform = Arc::new(Platform::build(config.platform(), clock).await?);
    let embedded = matches!(platform.db, tripgen_platform::Db::Sqlite(_));
    if embedded || platform.config.database.migrate_on_start {
        migrate(&platform).await?;
    }
    // Weather for generation and change detection: the configured provider (Open-Meteo by
    // default; with `none`, or when it fails, plans say "forecast unavailable").
    let weather = Arc::new(
        tripgen_location::providers::WeatherProviders::from_platform(
            &platform,
            &config.location.weather,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    let contexts = contexts(&platform, &config, weather)?;
    if let (Some(locations), Target::All | Target::Location) = (&contexts.locations, target) {
        // The street graphs stored by earlier imports (a seed loads its own).
        if locations
            .seed_if_empty(&config.location.seed_dirs)
            .await?
            .is_none()
        {
            locations.load_roads().await?;
        }
        // Base map tiles of the seed extracts, built in the background when missing.
        locations.build_missing_basemaps(&config.location.seed_dirs);
    }
    let router = router(platform.clone(), &config, &contexts)?;
    let workers = match (&contexts.ai, target) {
        (Some(ai), Target::All | Target::Ai) => {
            Some(adapters::ai_workers::start(&platform, &config.ai, ai))
        }
        _ => None,
    };
    platform.started.mark();
    Ok(App {
        router,
        config,
        platform,
        contexts,
        workers,
    })
}

/// Every context's migrations, in dependency order.
pub async fn migrate(platform: &Platform) -> anyhow::Result<()> {
    platform.migrate().await?;
    platform.db.migrate(&mut tripgen_user::migrations()).await?;
    platform
        .db
        .migrate(&mut tripgen_location::migrations())
        .await?;
    platform.db.migrate(&mut tripgen_trip::migrations()).await?;
    Ok(())
}

/// Which services this target runs. The gateway builds them too, but only for their
/// OpenAPI description: it forwards the requests.
fn contexts(
    platform: &Arc<Platform>,
    config: &Config,
    weather: Arc<tripgen_location::providers::WeatherProviders>,
) -> anyhow::Result<Contexts> {
    let forecasts: Arc<dyn tripgen_trip::ports::Forecasts> =
        Arc::new(adapters::trip_weather::TripForecasts {
            providers: weather.clone(),
        });
    // Export maps draw the base map from the tile sets of this data dir (none: no base).
    let base_maps: Arc<dyn tripgen_trip::ports::BaseMaps> =
        Arc::new(adapters::trip_basemap::TileBaseMaps {
            tiles: Arc::new(tripgen_location::basemap::TileSets::new(
                tripgen_location::basemap::tiles_dir(&config.data_dir),
            )),
        });
    let target = config.target;
    let runs = |t: Target| matches!(target, Target::All | Target::Gateway) || target == t;
    let users = if runs(Target::User) {
        Some(Arc::new(tripgen_user::UserService::new(
            platform.clone(),
            config.auth.clone(),
        )?))
    } else {
        None
    };
    let locations = if runs(Target::Location) {
        Some(Arc::new(tripgen_location::LocationService::new(
            platform.clone(),
            &config.location.travel,
        )))
    } else {
        None
    };
    let trips = if runs(Target::Trip) {
        let ports = match (&locations, &config.gateway.location_url) {
            (Some(loc), _) => {
                let local = Arc::new(adapters::trip_location_local::LocalLocation {
                    service: loc.clone(),
                });
                tripgen_trip::Ports::new(local.clone(), local.clone(), local)
                    .with_forecasts(forecasts.clone())
                    .with_base_maps(base_maps.clone())
            }
            (None, Some(url)) => {
                let remote = Arc::new(adapters::trip_location_http::HttpLocation::new(url)?);
                tripgen_trip::Ports::new(remote.clone(), remote.clone(), remote)
                    .with_forecasts(forecasts.clone())
                    .with_base_maps(base_maps.clone())
            }
            (None, None) => anyhow::bail!(
                "invalid configuration `gateway.location_url`: needed by the trip context"
            ),
        };
        Some(Arc::new(tripgen_trip::TripService::new(
            platform.clone(),
            ports,
        )))
    } else {
        None
    };
    let ai = if runs(Target::Ai) {
        let location_url = config.gateway.location_url.as_deref();
        // The trip context's service for the AI API and the jobs: this process's own, or
        // (target `ai`) one over the shared database with the location target over HTTP.
        let ai_trips = match (&trips, location_url) {
            (Some(t), _) => t.clone(),
            (None, Some(url)) => {
                let remote = Arc::new(adapters::trip_location_http::HttpLocation::new(url)?);
                Arc::new(tripgen_trip::TripService::new(
                    platform.clone(),
                    tripgen_trip::Ports::new(remote.clone(), remote.clone(), remote)
                        .with_forecasts(forecasts.clone()),
                ))
            }
            (None, None) => anyhow::bail!(
                "invalid configuration `gateway.location_url`: needed by the ai context"
            ),
        };
        let places: Arc<dyn tripgen_ai::ports::PlacePort> = match (&locations, location_url) {
            (Some(l), _) => {
                Arc::new(adapters::ai_location_local::LocalPlaces { service: l.clone() })
            }
            (None, Some(url)) => {
                // The street graphs from the shared catalogue database, routed here.
                let roads = Arc::new(tripgen_location::roads::SharedRoads::new(
                    tripgen_location::PlaceStore::new(platform.db.clone()),
                    config.location.travel.transit,
                ));
                Arc::new(adapters::ai_location_http::HttpPlaces::new(url, roads)?)
            }
            (None, None) => anyhow::bail!(
                "invalid configuration `gateway.location_url`: needed by the ai context"
            ),
        };
        let ai_weather: Arc<dyn tripgen_ai::ports::WeatherPort> =
            Arc::new(adapters::ai_weather::ProviderWeather {
                providers: weather,
                budget: std::time::Duration::from_millis(config.location.weather.timeout_ms),
            });
        Some(adapters::ai_workers::context(
            platform, &config.ai, ai_trips, places, ai_weather,
        )?)
    } else {
        None
    };
    Ok(Contexts {
        users,
        locations,
        trips,
        ai,
    })
}

/// All context APIs this process knows, under `/api/v1`, with their OpenAPI description.
fn api(contexts: &Contexts) -> OpenApiRouter {
    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi());
    if let Some(users) = &contexts.users {
        api = api.nest("/api/v1/users", tripgen_user::http::router(users.clone()));
    }
    if let Some(locations) = &contexts.locations {
        api = api.nest(
            "/api/v1/locations",
            tripgen_location::http::router(locations.clone()),
        );
    }
    if let Some(trips) = &contexts.trips {
        api = api.nest("/api/v1/trips", tripgen_trip::http::router(trips.clone()));
    }
    if let Some(ai) = &contexts.ai {
        api = api
            .nest(
                "/api/v1/ai",
                tripgen_trip::http::ai::router(ai.trips.clone()),
            )
            .merge(tripgen_ai::http::router(ai.recommender.clone()));
    }
    api
}

fn router(platform: Arc<Platform>, config: &Config, contexts: &Contexts) -> anyhow::Result<Router> {
    let cfg = config;
    let target = cfg.target;
    let (api_routes, mut openapi) = api(contexts).split_for_parts();
    tripgen_platform::openapi::complete_errors(&mut openapi);

    let mut app = match target {
        Target::All | Target::User | Target::Trip | Target::Ai | Target::Location => api_routes,
        Target::Gateway => {
            // Split mode: the same public paths, forwarded to the context's own target.
            let mut r = Router::new();
            if let Some(url) = &cfg.gateway.user_url {
                let up = proxy::Upstream::new("user", url);
                r = r
                    .route("/api/v1/users", any(proxy::forward).with_state(up.clone()))
                    .route("/api/v1/users/{*rest}", any(proxy::forward).with_state(up));
            }
            if let Some(url) = &cfg.gateway.location_url {
                let up = proxy::Upstream::new("location", url);
                r = r
                    .route(
                        "/api/v1/locations",
                        any(proxy::forward).with_state(up.clone()),
                    )
                    .route(
                        "/api/v1/locations/{*rest}",
                        any(proxy::forward).with_state(up),
                    );
            }
            if let Some(url) = &cfg.gateway.ai_url {
                let up = proxy::Upstream::new("ai", url);
                r = r
                    .route("/api/v1/ai", any(proxy::forward).with_state(up.clone()))
                    .route(
                        "/api/v1/ai/{*rest}",
                        any(proxy::forward).with_state(up.clone()),
                    )
                    // The place page's recommendation section is the AI context's.
                    .route(
                        "/api/v1/locations/places/{pid}/recommendations",
                        any(proxy::forward).with_state(up),
                    );
            }
            if let Some(url) = &cfg.gateway.trip_url {
                let up = proxy::Upstream::new("trip", url);
                r = r
                    .route("/api/v1/trips", any(proxy::forward).with_state(up.clone()))
                    .route("/api/v1/trips/{*rest}", any(proxy::forward).with_state(up));
            }
            r
        }
    };

    app = app
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .merge(tripgen_platform::health::router(platform.clone()));

    let is_edge = matches!(target, Target::All | Target::Gateway);
    if is_edge {
        let webapp = web::WebApp::new(cfg.gateway.web_dir.clone(), cfg.gateway.tile_url.clone());
        tracing::info!(web = %webapp.describe(), "web app");
        app = app.fallback(move |req| webapp.clone().serve(req));
        if cfg.rate_limit.enabled {
            let limiter = Arc::new(rate_limit::Limiter::new(
                &cfg.rate_limit,
                platform.redis.clone(),
                platform.auth.clone(),
            ));
            app = app.layer(middleware::from_fn_with_state(limiter, rate_limit::limit));
        }
        // Added after the rate limit: one map view fetches dozens of tiles.
        let tile_sets = tripgen_location::basemap::TileSets::new(
            tripgen_location::basemap::tiles_dir(&cfg.data_dir),
        );
        app = app.merge(tiles::router(Arc::new(tile_sets)));
    } else {
        app = app.fallback(|| async {
            tripgen_platform::ApiError::not_found("NOT_FOUND", "There is nothing at this address.")
        });
    }

    let request_id = HeaderName::from_static(REQUEST_ID);
    let app = app
        .layer(DefaultBodyLimit::max(cfg.http.body_limit_bytes))
        .layer(middleware::from_fn(tripgen_platform::http::problem_for_bare_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(cfg.http.request_timeout_secs),
        ))
        .layer(middleware::from_fn(tripgen_platform::http::record_metrics))
        .layer(Extension(platform.auth.clone()))
        .layer(Extension(TrustForwardedFor(cfg.security.trust_forwarded_for)))
        .layer(CatchPanicLayer::custom(tripgen_platform::http::panic_response))
        .layer(middleware::from_fn(tripgen_platform::http::security_headers))
        .layer(tripgen_platform::http::hsts_layer(
            cfg.security.hsts_max_age_secs,
        ))
        .layer(compression::layer())
        .layer(cors(&cfg.http.cors_origins))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            // Only method and path: query strings may carry personal data.
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    Ok(app)
}

fn cors(origins: &[String]) -> CorsLayer {
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([HeaderName::from_static(REQUEST_ID), header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}
