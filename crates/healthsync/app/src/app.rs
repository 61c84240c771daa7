//! Composes a `healthsync` process from the configured target: which contexts serve
//! in-process, the adapters between them (in-process in `all`, `/internal/v1` over HTTP
//! when split), the event workers, the gateway's forwarding and rate limits, and the
//! layers every target shares (the platform's middleware).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use axum::routing::any;
use axum::{Extension, Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tripgen_platform::gateway::{proxy, rate_limit};
use tripgen_platform::http::{REQUEST_ID, TrustForwardedFor};
use tripgen_platform::jobs::{JobHandler, JobQueue, WorkerOptions, WorkerPool};
use tripgen_platform::{Platform, SharedClock};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::adapters;
use crate::adapters::events::{EraseUser, HttpEraser};
use crate::config::{HealthSyncConfig, Target};
pub use crate::contexts::Contexts;
use crate::openapi::ApiDoc;
use crate::topology::{ServeOptions, Upstreams};

pub struct App {
    pub router: Router,
    pub platform: Arc<Platform>,
    pub config: HealthSyncConfig,
    pub contexts: Contexts,
    /// Event consumers and the daily nudge's scheduler (every target but the gateway,
    /// `user` and `goal`).
    pub workers: Option<WorkerPool>,
}

/// Targets whose code exists in this binary. Another is refused with a clear message.
pub const BUILT_TARGETS: &[Target] = &[
    Target::All,
    Target::Gateway,
    Target::User,
    Target::Health,
    Target::Goal,
    Target::Intelligence,
    Target::Batch,
];

/// [`build_with`] for target `all` or any target that needs no other (the embedded default).
pub async fn build(config: HealthSyncConfig, clock: SharedClock) -> anyhow::Result<App> {
    build_with(config, clock, ServeOptions::default()).await
}

/// Connects storage, migrates, imports the bundled sample on the embedded default's first
/// start, and builds the router of the configured target; a split target reaches the
/// others at `options.upstreams`.
pub async fn build_with(
    mut config: HealthSyncConfig,
    clock: SharedClock,
    options: ServeOptions,
) -> anyhow::Result<App> {
    let upstreams = options.upstreams;
    let target = config.target;
    if !BUILT_TARGETS.contains(&target) {
        anyhow::bail!(
            "the `{}` target is not built into this version of healthsync yet; available targets: {}",
            target.as_str(),
            BUILT_TARGETS
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    upstreams.check(target)?;
    let dev_issuer = if options.dev_issuer {
        Some(dev_issuer(&mut config, clock.clone())?)
    } else {
        None
    };
    if config.auth.oidc.client_id.trim().is_empty() && matches!(target, Target::All | Target::User)
    {
        tracing::warn!(
            "auth.oidc.client_id is empty: sign-in will fail until HEALTHSYNC_AUTH__OIDC__CLIENT_ID is set"
        );
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!("cannot create data dir {}: {e}", config.data_dir.display())
    })?;
    let platform = Arc::new(Platform::build(config.platform_config(), clock.clone()).await?);
    let embedded = matches!(platform.db, tripgen_platform::Db::Sqlite(_));
    if embedded || config.database.migrate_on_start {
        crate::store::migrate(&platform.db).await?;
    }
    if config.health.import_sample && matches!(target, Target::All | Target::Health) {
        crate::sample::import_if_empty(&platform.db).await?;
    }
    let analytics = start_analytics(&platform, &config)?;
    let contexts = crate::contexts::build(&platform, &config, &upstreams, analytics.as_ref())?;
    // The edge targets serve the web app on the API's port.
    let web = matches!(target, Target::All | Target::Gateway).then(|| {
        let web = crate::web::WebApp::new(config.gateway.web_dir.clone(), options.dev_issuer);
        tracing::info!(web_app = %web.describe(), "web app");
        web
    });
    let mut router = router(platform.clone(), &contexts, target, &upstreams, web)?;
    if let Some(dev) = &dev_issuer {
        tracing::warn!(
            issuer = %dev.issuer,
            "DEVELOPMENT SIGN-IN IS ON: anyone can sign in as any e-mail at /dev-oidc; never in production"
        );
        platform.notices.add(
            "devIssuer",
            &format!(
                "development sign-in is on ({}): not for production",
                dev.issuer
            ),
        );
        router = dev.router().merge(router);
    }
    let workers = start_workers(
        &platform,
        &contexts,
        &config,
        &upstreams,
        analytics.as_ref(),
    )?;
    platform.started.mark();
    Ok(App {
        router,
        platform,
        config,
        contexts,
        workers,
    })
}

/// The analytics stream of this process (`[analytics]`; none when `off`, and none in the
/// gateway, which consumes no events).
fn start_analytics(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
) -> anyhow::Result<Option<crate::analytics::AnalyticsStream>> {
    use crate::analytics::{AnalyticsBackend, AnalyticsSink, AnalyticsStream, UserKeys};
    if config.target == Target::Gateway || config.analytics.backend == AnalyticsBackend::Off {
        return Ok(None);
    }
    let sink: Arc<dyn AnalyticsSink> = match config.analytics.backend {
        AnalyticsBackend::Eventhub => Arc::new(crate::analytics::eventhub::EventHubProducer::new(
            &config.analytics.eventhub,
        )?),
        _ => Arc::new(crate::analytics::file_log::FileLog::new(
            config.data_dir.join("events"),
            config.analytics.retention_days,
            platform.clock.clone(),
        )),
    };
    let secrets = tripgen_platform::secrets::Secrets::resolve(&platform.config, &platform.db)?;
    Ok(Some(AnalyticsStream::start(
        sink,
        UserKeys::derive(&secrets.jwt_secret),
        platform.clock.clone(),
    )))
}

/// `--dev-issuer`: the built-in provider at this process's own address, made the OIDC
/// issuer. Only where sign-in runs, and only on the embedded default (spec §6).
fn dev_issuer(
    config: &mut HealthSyncConfig,
    clock: SharedClock,
) -> anyhow::Result<Arc<healthsync_user::oidc::dev_issuer::DevIssuer>> {
    anyhow::ensure!(
        matches!(config.target, Target::All | Target::User),
        "--dev-issuer needs the target that signs users in (all or user)"
    );
    anyhow::ensure!(
        config
            .database
            .url
            .as_deref()
            .is_none_or(|u| u.starts_with("sqlite:")),
        "--dev-issuer is for the embedded default (SQLite) only: a deployment on PostgreSQL signs in with a real issuer"
    );
    let mut addr = config.listen_addr();
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    anyhow::ensure!(
        addr.port() != 0,
        "--dev-issuer needs a fixed --listen port (its issuer URL names it)"
    );
    let dev = healthsync_user::oidc::dev_issuer::DevIssuer::new(&format!("http://{addr}"), clock)?;
    config.auth.oidc.issuer = dev.issuer.clone();
    if config.auth.oidc.client_id.trim().is_empty() {
        config.auth.oidc.client_id = "healthsync-dev".into();
    }
    Ok(dev)
}

/// The event consumers of the contexts this target runs (`user-deleted` where the health
/// context runs, the intelligence context's notices where it runs) and the daily nudge
/// (`all` and `batch`: this replica enqueues the day's job at `batch.cron`; whichever
/// worker claims it runs it under the lease). None in the gateway, `user` and `goal`.
fn start_workers(
    platform: &Arc<Platform>,
    contexts: &Contexts,
    config: &HealthSyncConfig,
    upstreams: &Upstreams,
    analytics: Option<&crate::analytics::AnalyticsStream>,
) -> anyhow::Result<Option<WorkerPool>> {
    let target = config.target;
    if target == Target::Gateway {
        return Ok(None);
    }
    let queue = JobQueue::new(platform.db.clone(), platform.clock.clone());
    let mut handlers: Vec<Arc<dyn JobHandler>> = Vec::new();
    if let Some(health) = &contexts.health {
        let others: Vec<Arc<dyn EraseUser>> = if target == Target::All {
            let goals: Arc<dyn EraseUser> = match &contexts.goals {
                Some(goals) => goals.clone(),
                None => anyhow::bail!("target `all` runs the goal context"),
            };
            vec![
                goals,
                Arc::new(healthsync_intelligence::repo::IntelligenceRepo::new(
                    platform.db.clone(),
                )),
            ]
        } else {
            let mut v: Vec<Arc<dyn EraseUser>> = Vec::new();
            for context in ["goal", "intelligence"] {
                v.push(Arc::new(HttpEraser {
                    context,
                    client: crate::contexts::client(platform, upstreams, context)?,
                }));
            }
            v
        };
        handlers.push(Arc::new(adapters::events::UserDeleted {
            health: health.service.repo.clone(),
            files: health.files.clone(),
            others,
            clock: platform.clock.clone(),
        }));
    }
    if let Some(intelligence) = &contexts.intelligence {
        let repo = intelligence.recommender.repo.clone();
        handlers.push(Arc::new(
            healthsync_intelligence::consumers::MissionCompleted {
                repo: repo.clone(),
                clock: platform.clock.clone(),
            },
        ));
        for (event, notification) in [
            ("user-registered", "welcome"),
            ("health-synced", "checkup_synced"),
        ] {
            handlers.push(Arc::new(
                healthsync_intelligence::consumers::NoticeOnEvent {
                    repo: repo.clone(),
                    clock: platform.clock.clone(),
                    event,
                    notification,
                },
            ));
        }
        // Kinds no context consumes go to the analytics stream from here.
        if let Some(stream) = analytics {
            for kind in crate::analytics::events::RECORD_ONLY {
                handlers.push(Arc::new(crate::analytics::events::RecordOnly {
                    kind,
                    stream: stream.clone(),
                }));
            }
        }
    }
    if let Some(batch) = contexts
        .batch
        .as_ref()
        .filter(|_| matches!(target, Target::All | Target::Batch))
    {
        handlers.push(Arc::new(
            healthsync_intelligence::batch::schedule::DailyNudgeJob {
                runner: batch.runner.clone(),
            },
        ));
        if let Some(at) = healthsync_intelligence::batch::schedule::daily_time(&config.batch.cron) {
            healthsync_intelligence::batch::schedule::spawn_scheduler(
                queue.clone(),
                platform.clock.clone(),
                batch.runner.time_zone,
                at,
            );
        }
    }
    if handlers.is_empty() {
        return Ok(None);
    }
    if let Some(stream) = analytics {
        handlers = crate::analytics::events::tap(handlers, stream);
    }
    Ok(Some(WorkerPool::start(
        queue,
        handlers,
        WorkerOptions {
            concurrency: 2,
            ..WorkerOptions::default()
        }
        .alone_on(&platform.config),
    )))
}

fn api(contexts: &Contexts) -> OpenApiRouter {
    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi());
    if let Some(users) = &contexts.users {
        api = api
            .nest(
                "/api/v1/auth",
                healthsync_user::http::auth_router(users.clone()),
            )
            .nest(
                "/api/v1/users",
                healthsync_user::http::users_router(users.clone()),
            );
    }
    if let Some(health) = &contexts.health {
        api = api.nest(
            "/api/v1/health",
            healthsync_health::http::router(health.clone()),
        );
    }
    if let Some(goals) = &contexts.goals {
        api = api.nest("/api/v1", healthsync_goal::http::router(goals.clone()));
    }
    if let Some(intelligence) = &contexts.intelligence {
        let mut r = healthsync_intelligence::http::router(intelligence.clone());
        if let Some(batch) = &contexts.batch {
            r = r.merge(healthsync_intelligence::batch_http::router(batch.clone()));
        }
        api = api.nest("/api/v1/intelligence", r);
    }
    api
}

/// `/internal/v1` of the contexts a split target runs (never in `all` or the gateway).
fn internal(contexts: &Contexts, target: Target) -> Router {
    let mut r = Router::new();
    if matches!(target, Target::All | Target::Gateway) {
        return r;
    }
    if let Some(users) = &contexts.users {
        r = r.merge(healthsync_user::internal::router(users.clone()));
    }
    if let Some(health) = &contexts.health {
        let repo = health.service.repo.clone();
        r = r
            .merge(healthsync_health::internal::router(repo.clone()))
            .merge(crate::internal::health_router(repo));
    }
    if let Some(goals) = &contexts.goals {
        r = r.merge(healthsync_goal::internal::router(goals.clone()));
    }
    if let Some(intelligence) = &contexts.intelligence {
        r = r.merge(crate::internal::intelligence_router(
            intelligence.recommender.clone(),
        ));
    }
    r
}

/// The gateway's routes: each context's public prefix forwarded to its target.
fn forwarding(upstreams: &Upstreams) -> anyhow::Result<Router> {
    let mut r = Router::new();
    let contexts: [(&'static str, &[&str], &Option<String>); 4] = [
        ("user", &["/api/v1/auth", "/api/v1/users"], &upstreams.user),
        ("health", &["/api/v1/health"], &upstreams.health),
        ("goal", &["/api/v1/goals"], &upstreams.goal),
        (
            "intelligence",
            &["/api/v1/intelligence"],
            &upstreams.intelligence,
        ),
    ];
    for (context, prefixes, url) in contexts {
        let url = url
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("no URL for the {context} target"))?;
        let up = proxy::Upstream::new(context, url);
        for prefix in prefixes {
            r = r
                .route(prefix, any(proxy::forward).with_state(up.clone()))
                .route(
                    &format!("{prefix}/{{*rest}}"),
                    any(proxy::forward).with_state(up.clone()),
                );
        }
    }
    Ok(r)
}

fn router(
    platform: Arc<Platform>,
    contexts: &Contexts,
    target: Target,
    upstreams: &Upstreams,
    web: Option<crate::web::WebApp>,
) -> anyhow::Result<Router> {
    let cfg = &platform.config;
    let (api_routes, mut openapi) = api(contexts).split_for_parts();
    tripgen_platform::openapi::complete_errors(&mut openapi);
    let routes = match target {
        Target::Gateway => forwarding(upstreams)?,
        _ => api_routes.merge(internal(contexts, target)),
    };
    let app = routes
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .merge(tripgen_platform::health::router(platform.clone()));
    let mut app = match web {
        Some(web) => app.fallback(move |req| web.clone().serve(req)),
        None => app.fallback(|| async {
            tripgen_platform::ApiError::not_found("NOT_FOUND", "There is nothing at this address.")
        }),
    };
    // The edge (the gateway, or `all` serving everything) rate-limits: 100 requests/min per
    // user, a per-IP budget before sign-in (spec §10).
    if matches!(target, Target::All | Target::Gateway) && cfg.rate_limit.enabled {
        let limiter = Arc::new(rate_limit::Limiter::new(
            &cfg.rate_limit,
            platform.redis.clone(),
            platform.auth.clone(),
        ));
        app = app.layer(middleware::from_fn_with_state(limiter, rate_limit::limit));
    }
    let request_id = HeaderName::from_static(REQUEST_ID);
    Ok(app
        .layer(DefaultBodyLimit::max(cfg.http.body_limit_bytes))
        .layer(middleware::from_fn(
            tripgen_platform::http::problem_for_bare_errors,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(cfg.http.request_timeout_secs),
        ))
        .layer(middleware::from_fn(tripgen_platform::http::record_metrics))
        .layer(Extension(platform.auth.clone()))
        .layer(Extension(TrustForwardedFor(
            cfg.security.trust_forwarded_for,
        )))
        .layer(CatchPanicLayer::custom(
            tripgen_platform::http::panic_response,
        ))
        .layer(middleware::from_fn(
            tripgen_platform::http::security_headers,
        ))
        .layer(tripgen_platform::http::hsts_layer(
            cfg.security.hsts_max_age_secs,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                // Only method and path: query strings may carry personal data.
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid)))
}
