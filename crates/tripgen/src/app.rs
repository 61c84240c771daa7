//! Composes a process from the configured target: which contexts serve in-process,
//! which are proxied, and the layers every target shares.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::{Extension, Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tripgen_platform::config::Target;
use tripgen_platform::http::{REQUEST_ID, TrustForwardedFor};
use tripgen_platform::{Config, Platform, SharedClock};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::gateway::{proxy, rate_limit, web};
use crate::openapi::ApiDoc;

pub struct App {
    pub router: Router,
    pub platform: Arc<Platform>,
}

/// Contexts whose code exists in this binary. A target naming another is refused.
pub const BUILT_CONTEXTS: &[Target] = &[Target::User];

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
    let platform = Arc::new(Platform::build(config, clock).await?);
    let embedded = matches!(platform.db, tripgen_platform::Db::Sqlite(_));
    if embedded || platform.config.database.migrate_on_start {
        migrate(&platform).await?;
    }
    let router = router(platform.clone())?;
    platform.started.mark();
    Ok(App { router, platform })
}

/// Every context's migrations, in dependency order.
pub async fn migrate(platform: &Platform) -> anyhow::Result<()> {
    platform.migrate().await?;
    platform.db.migrate(&mut tripgen_user::migrations()).await?;
    Ok(())
}

/// All context APIs under `/api/v1`, with their OpenAPI description.
fn api(platform: &Arc<Platform>) -> anyhow::Result<OpenApiRouter> {
    let users = Arc::new(tripgen_user::UserService::new(platform.clone())?);
    Ok(OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1/users", tripgen_user::http::router(users)))
}

fn router(platform: Arc<Platform>) -> anyhow::Result<Router> {
    let cfg = &platform.config;
    let target = cfg.target;
    let (api_routes, openapi) = api(&platform)?.split_for_parts();

    let mut app = match target {
        Target::All | Target::User => api_routes,
        Target::Gateway => {
            // Split mode: the same public paths, forwarded to the context's own target.
            let mut r = Router::new();
            if let Some(url) = &cfg.gateway.user_url {
                let up = proxy::Upstream::new("user", url);
                r = r
                    .route("/api/v1/users", any(proxy::forward).with_state(up.clone()))
                    .route("/api/v1/users/{*rest}", any(proxy::forward).with_state(up));
            }
            r
        }
        _ => Router::new(),
    };

    app = app
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .route("/metrics", get(metrics))
        .merge(tripgen_platform::health::router(platform.clone()));

    let is_edge = matches!(target, Target::All | Target::Gateway);
    if is_edge {
        let webapp = web::WebApp::new(cfg.gateway.web_dir.clone());
        app = app.fallback(move |req| webapp.clone().serve(req));
        if cfg.rate_limit.enabled {
            let limiter = Arc::new(rate_limit::Limiter::new(
                &cfg.rate_limit,
                platform.redis.clone(),
                platform.auth.clone(),
            ));
            app = app.layer(middleware::from_fn_with_state(limiter, rate_limit::limit));
        }
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

async fn metrics() -> impl IntoResponse {
    match tripgen_platform::telemetry::metrics_handle() {
        Some(h) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            h.render(),
        )
            .into_response(),
        None => {
            tripgen_platform::ApiError::unavailable("Metrics are not available.").into_response()
        }
    }
}
