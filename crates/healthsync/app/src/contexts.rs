//! Which contexts a target runs and the adapters between them: in-process in `all` (and in
//! the gateway, which builds every context only for its OpenAPI description and forwards
//! the requests), `/internal/v1` over HTTP to the other targets when split.

use std::sync::Arc;

use chrono_tz::Tz;
use healthsync_goal::ports::Recommendations;
use healthsync_goal::repo::GoalRepo;
use healthsync_goal::service::GoalService;
use healthsync_health::files::CheckupFiles;
use healthsync_health::http::HealthApi;
use healthsync_health::repo::HealthRepo;
use healthsync_health::service::HealthService;
use healthsync_intelligence::batch::ports::BatchSource;
use healthsync_intelligence::batch::run::BatchRunner;
use healthsync_intelligence::batch_http::BatchAdmin;
use healthsync_intelligence::http::IntelligenceApi;
use healthsync_intelligence::ports::SubjectFacts;
use healthsync_intelligence::recommendations::Recommender;
use healthsync_intelligence::repo::IntelligenceRepo;
use healthsync_user::UserService;
use healthsync_user::oidc::OidcClient;
use healthsync_user::service::{ProfileChanged, UserSettings};
use tripgen_platform::Platform;
use tripgen_platform::internal::InternalClient;
use tripgen_platform::jobs::JobQueue;
use tripgen_platform::sessions::{SessionPolicy, SessionStore};

use crate::adapters;
use crate::config::{HealthSyncConfig, Target};
use crate::topology::Upstreams;

#[derive(Clone, Default)]
pub struct Contexts {
    pub users: Option<Arc<UserService>>,
    pub health: Option<Arc<HealthApi>>,
    pub goals: Option<Arc<GoalService>>,
    pub intelligence: Option<Arc<IntelligenceApi>>,
    /// The daily nudge's runner and admin API (`all`, `intelligence` for the admin API,
    /// `batch` for the runs).
    pub batch: Option<Arc<BatchAdmin>>,
}

/// How this process reaches the other contexts.
pub struct Wiring<'a> {
    platform: &'a Arc<Platform>,
    upstreams: &'a Upstreams,
    /// The analytics stream's record of model calls, when the stream is on.
    ai_calls: Option<Arc<dyn healthsync_intelligence::ports::AiCallLog>>,
    /// Every context in this process (`all`, or the gateway's description-only build).
    pub local: bool,
}

impl Wiring<'_> {
    pub fn client(&self, service: &'static str) -> anyhow::Result<InternalClient> {
        client(self.platform, self.upstreams, service)
    }
}

/// A client of `service`'s `/internal/v1`, at its `--<service>-url`.
pub fn client(
    platform: &Platform,
    upstreams: &Upstreams,
    service: &'static str,
) -> anyhow::Result<InternalClient> {
    let url = match service {
        "user" => &upstreams.user,
        "health" => &upstreams.health,
        "goal" => &upstreams.goal,
        _ => &upstreams.intelligence,
    };
    match url {
        Some(u) => InternalClient::new(service, u, platform.auth.clone()),
        None => anyhow::bail!("no URL for the {service} target (--{service}-url)"),
    }
}

fn time_zone(config: &HealthSyncConfig) -> anyhow::Result<Tz> {
    config
        .app
        .time_zone
        .parse()
        .map_err(|_| anyhow::anyhow!("invalid configuration `app.time_zone`"))
}

pub fn build(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
    upstreams: &Upstreams,
    analytics: Option<&crate::analytics::AnalyticsStream>,
) -> anyhow::Result<Contexts> {
    let target = config.target;
    let wiring = Wiring {
        platform,
        upstreams,
        ai_calls: analytics
            .map(|a| Arc::new(a.clone()) as Arc<dyn healthsync_intelligence::ports::AiCallLog>),
        local: matches!(target, Target::All | Target::Gateway),
    };
    let runs = |t: Target| wiring.local || target == t;
    let users = if runs(Target::User) {
        Some(users(platform, config, &wiring)?)
    } else {
        None
    };
    let health = if runs(Target::Health) {
        Some(health(platform, config, &wiring, &users)?)
    } else {
        None
    };
    let tz = time_zone(config)?;
    let batch = if runs(Target::Intelligence) || target == Target::Batch {
        Some(batch(platform, config, &wiring, tz, &users)?)
    } else {
        None
    };
    let intelligence = match &batch {
        Some(batch) if runs(Target::Intelligence) => {
            Some(intelligence(platform, config, &wiring, tz, &users, batch)?)
        }
        _ => None,
    };
    let recommender = intelligence.as_ref().map(|i| i.recommender.clone());
    let goals = if runs(Target::Goal) {
        let recommendations: Arc<dyn Recommendations> = match &recommender {
            Some(recommender) if wiring.local => {
                Arc::new(adapters::intelligence::LocalRecommendations {
                    recommender: recommender.clone(),
                })
            }
            _ => Arc::new(adapters::intelligence_http::HttpRecommendations {
                intelligence: wiring.client("intelligence")?,
            }),
        };
        Some(Arc::new(GoalService {
            repo: GoalRepo::new(platform.db.clone()),
            recommendations,
            clock: platform.clock.clone(),
            time_zone: tz,
            history_cache: healthsync_goal::history_cache::HistoryCache {
                cache: tripgen_platform::cache::Cache::new(
                    platform.redis.clone(),
                    tripgen_platform::cache::CacheOptions::default(),
                ),
            },
        }))
    } else {
        None
    };
    Ok(Contexts {
        users,
        health,
        goals,
        intelligence,
        batch,
    })
}

fn users(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
    wiring: &Wiring,
) -> anyhow::Result<Arc<UserService>> {
    let relink: Arc<dyn ProfileChanged> = if wiring.local {
        Arc::new(adapters::profiles::HealthRelink {
            repo: HealthRepo::new(platform.db.clone()),
        })
    } else {
        Arc::new(adapters::profiles_http::HttpRelink {
            health: wiring.client("health")?,
        })
    };
    Ok(Arc::new(UserService {
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
            time_zone: time_zone(config)?,
        },
        profile_changed: Some(relink),
    }))
}

fn health(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
    wiring: &Wiring,
    users: &Option<Arc<UserService>>,
) -> anyhow::Result<Arc<HealthApi>> {
    let profiles: Arc<dyn healthsync_health::ports::Profiles> = match users {
        Some(users) => Arc::new(adapters::profiles::LocalProfiles {
            users: users.clone(),
        }),
        None => Arc::new(adapters::profiles_http::HttpProfiles {
            user: wiring.client("user")?,
        }),
    };
    Ok(Arc::new(HealthApi {
        service: HealthService::new(platform.db.clone(), config.health.link_dataset.clone()),
        files: Arc::new(CheckupFiles {
            db: platform.db.clone(),
            objects: platform.objects.clone(),
        }),
        profiles,
        clock: platform.clock.clone(),
    }))
}

fn intelligence(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
    wiring: &Wiring,
    tz: Tz,
    users: &Option<Arc<UserService>>,
    batch: &BatchAdmin,
) -> anyhow::Result<Arc<IntelligenceApi>> {
    let repo = IntelligenceRepo::new(platform.db.clone());
    let facts: Arc<dyn SubjectFacts> = match users {
        Some(users) if wiring.local => Arc::new(adapters::intelligence::LocalFacts {
            users: users.clone(),
            health: HealthRepo::new(platform.db.clone()),
        }),
        _ => Arc::new(adapters::intelligence_http::HttpFacts {
            user: wiring.client("user")?,
            health: wiring.client("health")?,
        }),
    };
    Ok(Arc::new(IntelligenceApi {
        recommender: Arc::new(Recommender {
            repo: repo.clone(),
            facts: facts.clone(),
            clock: platform.clock.clone(),
            time_zone: tz,
        }),
        diagnoser: Arc::new(healthsync_intelligence::diagnose::Diagnoser {
            repo: repo.clone(),
            facts,
            clock: platform.clock.clone(),
            time_zone: tz,
            model: config.ai.model()?,
            deadline: config.ai.deadline(),
            ai_calls: wiring.ai_calls.clone(),
        }),
        chat: Arc::new(healthsync_intelligence::chat::Chat {
            repo: repo.clone(),
            cipher: platform.cipher.clone(),
            clock: platform.clock.clone(),
        }),
        // The home screen's encouragement reads the same windows as the batch.
        encourager: Arc::new(healthsync_intelligence::encouragement::Encourager {
            source: batch.runner.source.clone(),
            clock: platform.clock.clone(),
            time_zone: tz,
        }),
        notifications: Arc::new(healthsync_intelligence::notifications::Notifications {
            repo,
            clock: platform.clock.clone(),
        }),
    }))
}

/// The daily nudge reads goals and recipients in bulk: from the stores in-process, from
/// the goal and user targets when split.
fn batch(
    platform: &Arc<Platform>,
    config: &HealthSyncConfig,
    wiring: &Wiring,
    tz: Tz,
    users: &Option<Arc<UserService>>,
) -> anyhow::Result<Arc<BatchAdmin>> {
    let source: Arc<dyn BatchSource> = match users {
        Some(users) if wiring.local => Arc::new(adapters::batch::LocalBatchSource {
            goals: GoalRepo::new(platform.db.clone()),
            users: users.repo.clone(),
        }),
        _ => Arc::new(adapters::batch_http::HttpBatchSource {
            goal: wiring.client("goal")?,
            user: wiring.client("user")?,
        }),
    };
    let runner = Arc::new(BatchRunner {
        repo: IntelligenceRepo::new(platform.db.clone()),
        source,
        clock: platform.clock.clone(),
        time_zone: tz,
        same_day_after: healthsync_intelligence::batch::schedule::time_of_day(
            &config.batch.same_day_after,
        )
        .ok_or_else(|| anyhow::anyhow!("invalid configuration `batch.same_day_after`"))?,
        owner: format!("healthsync-{}", uuid::Uuid::now_v7()),
    });
    Ok(Arc::new(BatchAdmin {
        runner,
        queue: JobQueue::new(platform.db.clone(), platform.clock.clone()),
    }))
}
