//! Starts the AI context's job workers (targets `all` and `ai`) with its ports backed by
//! the trip and location contexts: in-process when this process runs them, else the
//! trip context's storage (the database the queue lives in) and the location target
//! over HTTP.

use std::sync::Arc;

use tripgen_ai::ports::{AiPorts, NoWeather, WeatherPort};
use tripgen_platform::Platform;
use tripgen_platform::config::Target;
use tripgen_platform::jobs::{JobQueue, WorkerOptions, WorkerPool};

use crate::app::Contexts;

/// The worker pool of this process, or `None` when its target runs no workers.
/// `weather`: the forecast adapter; `None` = no provider (plans are weather-neutral and
/// say so). To wire: the location context's Open-Meteo/OpenWeatherMap providers per
/// `location.weather`.
pub fn start(
    platform: &Arc<Platform>,
    contexts: &Contexts,
    weather: Option<Arc<dyn WeatherPort>>,
) -> anyhow::Result<Option<WorkerPool>> {
    if !matches!(platform.config.target, Target::All | Target::Ai) {
        return Ok(None);
    }
    let trips = match &contexts.trips {
        Some(t) => t.clone(),
        None => {
            // The `ai` target: the trip context's storage, with its location ports over
            // HTTP (only used for edits, which this target never serves).
            let url = platform.config.gateway.location_url.as_deref().ok_or_else(|| {
                anyhow::anyhow!(
                    "invalid configuration `gateway.location_url`: the ai target calls the location target there (TRIPGEN_GATEWAY__LOCATION_URL)"
                )
            })?;
            let remote = Arc::new(super::trip_location_http::HttpLocation::new(url)?);
            Arc::new(tripgen_trip::TripService::new(
                platform.clone(),
                tripgen_trip::Ports::new(remote.clone(), remote.clone(), remote),
            ))
        }
    };
    let places: Arc<dyn tripgen_ai::ports::PlacePort> = match &contexts.locations {
        Some(l) => Arc::new(super::ai_location_local::LocalPlaces { service: l.clone() }),
        None => {
            let url = platform
                .config
                .gateway
                .location_url
                .as_deref()
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "invalid configuration `gateway.location_url`: needed by the ai target"
                    )
                })?;
            Arc::new(super::ai_location_http::HttpPlaces::new(url)?)
        }
    };
    // The optional language model for special requests (none by default: the
    // deterministic ko/en parser does the job).
    let language = tripgen_ai::llm::language_model_from_config(&platform.config.ai)?;
    if let Some(m) = &language {
        tracing::info!(
            provider = m.name(),
            "language model configured for special requests"
        );
    }
    let ports = AiPorts {
        trips: Arc::new(super::ai_trip_local::LocalTrips { service: trips }),
        places,
        weather: weather.unwrap_or_else(|| Arc::new(NoWeather)),
        language,
    };
    let queue = JobQueue::new(platform.db.clone(), platform.clock.clone());
    let handlers = tripgen_ai::handlers(ports, tripgen_ai::Tuning::default());
    Ok(Some(WorkerPool::start(
        queue,
        handlers,
        WorkerOptions::default(),
    )))
}
