//! Composes a `healthsync` process from the configured target: which contexts serve
//! in-process, the adapters between them (in-process in `all`, `/internal/v1` over HTTP
//! when split), the event workers, the gateway's forwarding and rate limits, and the
//! layers every target shares (the platform's middleware).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::{Extension, Router, middleware};
use chrono_tz::Tz;
use healthsync_goal::service::GoalService;
use healthsync_health::files::CheckupFiles;
use healthsync_health::http::HealthApi;
use healthsync_health::repo::HealthRepo;
use healthsync_health::service::HealthService;
use healthsync_intelligence::http::IntelligenceApi;
use healthsync_intelligence::recommendations::Recommender;
use healthsync_user::UserService;
use healthsync_user::oidc::OidcClient;
use healthsync_user::service::UserSettings;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tripgen_platform::gateway::{proxy, rate_limit};
use tripgen_platform::http::{REQUEST_ID, TrustForwardedFor};
use tripgen_platform::internal::InternalClient;
use tripgen_platform::jobs::{JobHandler, JobQueue, WorkerOptions, WorkerPool};
use tripgen_platform::sessions::{SessionPolicy, SessionStore};
use tripgen_platform::{Platform, SharedClock};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::adapters;
use crate::config::{HealthSyncConfig, Target};
use crate::openapi::ApiDoc;
use crate::topology::{ServeOptions, Upstreams};

pub struct App {
    pub router: Router,
    pub platform: Arc<Platform>,
    pub config: HealthSyncConfig,
    pub contexts: Contexts,
    /// Event consumers (targets `all` and `health`; `intelligence` later).
    pub workers: Option<WorkerPool>,
}

#[derive(Clone, Default)]
pub struct Contexts {
    pub users: Option<Arc<UserService>>,
    pub health: Option<Arc<HealthApi>>,
    /// Goal and intelligence run in-process in target `all` (their split targets later).
    pub goals: Option<Arc<GoalService>>,
    pub intelligence: Option<Arc<IntelligenceApi>>,
    /// The daily nudge's runner and admin API (target `all`).
    pub batch: Option<Arc<healthsync_intelligence::batch_http::BatchAdmin>>,
}

/// Targets whose code exists in this binary. Another is refused with a clear message.
pub const BUILT_TARGETS: &[Target] = &[Target::All, Target::Gateway, Target::User, Target::Health];

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
    let contexts = contexts(&platform, &config, &upstreams)?;
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
    // The health context consumes `user-deleted` wherever it runs.
    let workers = match (target, &contexts.health) {
        (Target::All | Target::Health, Some(health)) => {
            Some(start_workers(&platform, health, &contexts, &config))
        }
        _ => None,
    };
    platform.started.mark();
    Ok(App {
        router,
        platform,
        config,
        contexts,
        workers,
    })
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

/// Which contexts this target runs. The gateway builds them too, but only for their
/// OpenAPI description: it forwards the requests.
fn contexts(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
    upstreams: &Upstreams,
) -> anyhow::Result<Contexts> {
    let target = config.target;
    let runs = |t: Target| matches!(target, Target::All | Target::Gateway) || target == t;
    let internal = |service: &'static str, url: &Option<String>| match url {
        Some(u) => InternalClient::new(service, u, platform.auth.clone()),
        None => anyhow::bail!("no URL for the {service} target"),
    };
    let health_repo = HealthRepo::new(platform.db.clone());
    let users = if runs(Target::User) {
        let tz: Tz = config
            .app
            .time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("invalid configuration `app.time_zone`"))?;
        let relink: Option<Arc<dyn healthsync_user::service::ProfileChanged>> = match target {
            Target::User => Some(Arc::new(adapters::profiles_http::HttpRelink {
                health: internal("health", &upstreams.health)?,
            })),
            _ => Some(Arc::new(adapters::profiles::HealthRelink {
                repo: health_repo.clone(),
            })),
        };
        Some(Arc::new(UserService {
            repo: healthsync_user::repo::UserRepo::new(platform.db.clone()),
            sessions: SessionStore::new(
                platform.db.clone(),
                SessionPolicy {
                    refresh_ttl: chrono::Duration::days(i64::from(config.auth.refresh_token_days)),
                    session_max: chrono::Duration::days(i64::from(config.auth.session_max_days)),
                },
            ),
            auth: platform.auth.clone(),
            cipher: platform.cipher.clone(),
            clock: platform.clock.clone(),
            oidc: OidcClient::new(config.auth.oidc.clone(), platform.clock.clone())?,
            settings: UserSettings {
                admin_emails: config.auth.admin_emails.clone(),
                time_zone: tz,
            },
            profile_changed: relink,
        }))
    } else {
        None
    };
    let health = if runs(Target::Health) {
        let profiles: Arc<dyn healthsync_health::ports::Profiles> = match &users {
            Some(users) => Arc::new(adapters::profiles::LocalProfiles {
                users: users.clone(),
            }),
            None => Arc::new(adapters::profiles_http::HttpProfiles {
                user: internal("user", &upstreams.user)?,
            }),
        };
        Some(Arc::new(HealthApi {
            service: HealthService::new(platform.db.clone(), config.health.link_dataset.clone()),
            files: Arc::new(CheckupFiles {
                db: platform.db.clone(),
                objects: platform.objects.clone(),
            }),
            profiles,
            clock: platform.clock.clone(),
        }))
    } else {
        None
    };
    let (goals, intelligence, batch) = match (&users, target) {
        (Some(users), Target::All) => {
            let tz: Tz = config
                .app
                .time_zone
                .parse()
                .map_err(|_| anyhow::anyhow!("invalid configuration `app.time_zone`"))?;
            let facts: Arc<dyn healthsync_intelligence::ports::SubjectFacts> =
                Arc::new(adapters::intelligence::LocalFacts {
                    users: users.clone(),
                    health: health_repo.clone(),
                });
            let repo = healthsync_intelligence::repo::IntelligenceRepo::new(platform.db.clone());
            let recommender = Arc::new(Recommender {
                repo: repo.clone(),
                facts: facts.clone(),
                clock: platform.clock.clone(),
                time_zone: tz,
            });
            let source: Arc<dyn healthsync_intelligence::batch::ports::BatchSource> =
                Arc::new(adapters::batch::LocalBatchSource {
                    goals: healthsync_goal::repo::GoalRepo::new(platform.db.clone()),
                    users: users.repo.clone(),
                });
            let encourager = Arc::new(healthsync_intelligence::encouragement::Encourager {
                source: source.clone(),
                clock: platform.clock.clone(),
                time_zone: tz,
            });
            let runner = Arc::new(healthsync_intelligence::batch::run::BatchRunner {
                repo: repo.clone(),
                source,
                clock: platform.clock.clone(),
                time_zone: tz,
                same_day_after: healthsync_intelligence::batch::schedule::time_of_day(
                    &config.batch.same_day_after,
                )
                .ok_or_else(|| anyhow::anyhow!("invalid configuration `batch.same_day_after`"))?,
                owner: format!("healthsync-{}", uuid::Uuid::now_v7()),
            });
            let batch = Arc::new(healthsync_intelligence::batch_http::BatchAdmin {
                runner,
                queue: JobQueue::new(platform.db.clone(), platform.clock.clone()),
            });
            let diagnoser = Arc::new(healthsync_intelligence::diagnose::Diagnoser {
                repo,
                facts,
                clock: platform.clock.clone(),
                time_zone: tz,
                model: config.ai.model()?,
                deadline: config.ai.deadline(),
            });
            let goals = Arc::new(GoalService {
                repo: healthsync_goal::repo::GoalRepo::new(platform.db.clone()),
                recommendations: Arc::new(adapters::intelligence::LocalRecommendations {
                    recommender: recommender.clone(),
                }),
                clock: platform.clock.clone(),
                time_zone: tz,
            });
            (
                Some(goals),
                Some(Arc::new(IntelligenceApi {
                    recommender,
                    diagnoser,
                    chat: Arc::new(healthsync_intelligence::chat::Chat {
                        repo: healthsync_intelligence::repo::IntelligenceRepo::new(
                            platform.db.clone(),
                        ),
                        cipher: platform.cipher.clone(),
                        clock: platform.clock.clone(),
                    }),
                    encourager,
                    notifications: Arc::new(
                        healthsync_intelligence::notifications::Notifications {
                            repo: healthsync_intelligence::repo::IntelligenceRepo::new(
                                platform.db.clone(),
                            ),
                            clock: platform.clock.clone(),
                        },
                    ),
                })),
                Some(batch),
            )
        }
        _ => (None, None, None),
    };
    Ok(Contexts {
        users,
        health,
        goals,
        intelligence,
        batch,
    })
}

fn start_workers(
    platform: &Arc<Platform>,
    health: &Arc<HealthApi>,
    contexts: &Contexts,
    config: &HealthSyncConfig,
) -> WorkerPool {
    let queue = JobQueue::new(platform.db.clone(), platform.clock.clone());
    let mut handlers: Vec<Arc<dyn JobHandler>> = vec![Arc::new(adapters::events::UserDeleted {
        health: health.service.repo.clone(),
        files: health.files.clone(),
        goals: contexts.goals.as_ref().map(|g| g.repo.clone()),
        intelligence: contexts
            .intelligence
            .as_ref()
            .map(|i| i.recommender.repo.clone()),
        clock: platform.clock.clone(),
    })];
    // The daily nudge: this replica enqueues the day's job at `batch.cron`; whichever
    // worker claims it runs it under the lease.
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
    }
    if let Some(batch) = &contexts.batch {
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
    WorkerPool::start(
        queue,
        handlers,
        WorkerOptions {
            concurrency: 2,
            ..WorkerOptions::default()
        }
        .alone_on(&platform.config),
    )
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
    if !matches!(target, Target::User | Target::Health) {
        return r;
    }
    if let Some(users) = &contexts.users {
        r = r.merge(healthsync_user::internal::router(users.clone()));
    }
    if let Some(health) = &contexts.health {
        r = r.merge(healthsync_health::internal::router(
            health.service.repo.clone(),
        ));
    }
    r
}

/// The gateway's routes: each context's public prefix forwarded to its target.
fn forwarding(upstreams: &Upstreams) -> anyhow::Result<Router> {
    let mut r = Router::new();
    let contexts: [(&'static str, &[&str], &Option<String>); 2] = [
        ("user", &["/api/v1/auth", "/api/v1/users"], &upstreams.user),
        ("health", &["/api/v1/health"], &upstreams.health),
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
        .route("/metrics", get(metrics))
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
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                // Only method and path: query strings may carry personal data.
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid)))
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
