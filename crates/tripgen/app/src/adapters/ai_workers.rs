//! The AI context of a process (targets `all` and `ai`): its ports backed by the trip and
//! location contexts — in-process when this process runs them, else the trip context's
//! storage (the database the queue lives in) and the location target over HTTP — the
//! recommender, and the job workers (generation and notification jobs).

use std::sync::Arc;

use tripgen_ai::ports::{AiPorts, WeatherPort};
use tripgen_ai::recommend::Recommender;
use tripgen_platform::Platform;
use tripgen_platform::cache::{Cache, CacheOptions};
use tripgen_platform::jobs::{JobQueue, WorkerOptions, WorkerPool};

/// What a process running the AI context holds.
#[derive(Clone)]
pub struct AiContext {
    pub ports: AiPorts,
    /// The trip context's service the AI API (`/api/v1/ai/schedules/…`) answers with:
    /// the in-process one, or (target `ai`) one over the shared database.
    pub trips: Arc<tripgen_trip::TripService>,
    pub recommender: Arc<Recommender>,
}

/// Builds the AI context over `trips` (the trip context's service) and `places`.
pub fn context(
    platform: &Arc<Platform>,
    config: &tripgen_ai::config::AiConfig,
    trips: Arc<tripgen_trip::TripService>,
    places: Arc<dyn tripgen_ai::ports::PlacePort>,
    weather: Arc<dyn WeatherPort>,
) -> anyhow::Result<AiContext> {
    // The optional language model for special requests and recommendation texts (none by
    // default: the deterministic ko/en parser and the rule texts do the job).
    let language = tripgen_ai::llm::language_model_from_config(config)?;
    if let Some(m) = &language {
        tracing::info!(
            provider = m.name(),
            "language model configured for special requests and recommendation texts"
        );
    }
    let recipients: Arc<dyn tripgen_ai::ports::Recipients> =
        Arc::new(super::ai_users::UserRecipients {
            repo: tripgen_user::repo::UserRepo::new(platform.db.clone()),
        });
    let ports = AiPorts {
        trips: Arc::new(super::ai_trip_local::LocalTrips {
            service: trips.clone(),
        }),
        places,
        weather,
        language,
        mail: Some((recipients, platform.mailer.clone())),
    };
    let recommender = Arc::new(Recommender::new(
        ports.clone(),
        Cache::new(platform.redis.clone(), CacheOptions::default()),
        platform.clock.clone(),
    ));
    Ok(AiContext {
        ports,
        trips,
        recommender,
    })
}

/// Starts the worker pool of the AI context and the chain of notification scans.
/// `settings` gives `ai.worker_concurrency` and `ai.planner_time_limit_ms`.
pub fn start(
    platform: &Arc<Platform>,
    settings: &tripgen_ai::config::AiConfig,
    ai: &AiContext,
) -> WorkerPool {
    let concurrency = settings.worker_concurrency;
    let queue = JobQueue::new(platform.db.clone(), platform.clock.clone());
    let tuning = tripgen_ai::Tuning {
        options: tripgen_planner::itinerary::PlanOptions {
            time_limit_ms: settings.planner_time_limit_ms,
            ..Default::default()
        },
    };
    let mut handlers = tripgen_ai::handlers(ai.ports.clone(), tuning);
    handlers.push(tripgen_ai::notify::handler(ai.ports.clone(), queue.clone()));
    let scans = queue.clone();
    tokio::spawn(async move {
        // One chain of scans per database, whatever the number of replicas (the scan of a
        // slot has a unique key).
        if let Err(e) = tripgen_ai::notify::schedule_scan(&scans, true).await {
            tracing::error!(error = %e, "cannot schedule the notification scan");
        }
    });
    let options = WorkerOptions {
        concurrency,
        ..WorkerOptions::default()
    }
    .alone_on(&platform.config);
    WorkerPool::start(queue, handlers, options)
}
