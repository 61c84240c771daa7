//! Serving a built app through the platform's server (bind, serve with client addresses,
//! graceful shutdown on SIGTERM/Ctrl-C within the grace period).

use std::net::SocketAddr;

use tokio::net::TcpListener;

pub use tripgen_platform::server::RunningServer;

use crate::app::App;
use crate::config::HealthSyncConfig;

/// Binds `addr` and serves in a background task (tests use port 0).
pub async fn start(app: App, addr: SocketAddr) -> anyhow::Result<RunningServer> {
    let listener = tripgen_platform::server::bind(addr).await?;
    start_on(app, listener).await
}

/// Serves on a bound listener (split targets in tests know each other's address first).
pub async fn start_on(app: App, listener: TcpListener) -> anyhow::Result<RunningServer> {
    let mut app = app;
    let workers = app.workers.take();
    tripgen_platform::server::start_on(app.router, listener, app.platform, workers).await
}

/// `jobs.backend = servicebus`: every job queue of this process delivers through the broker,
/// and `/health/ready` reports it (`checks.bus`). Once per process, before the app is built.
pub fn install_job_bus(config: &HealthSyncConfig) -> anyhow::Result<()> {
    if config.jobs.backend == tripgen_platform::jobs::JobsBackend::Servicebus {
        tripgen_platform::jobs::bus::install(&config.jobs.servicebus)?;
    }
    Ok(())
}

/// `healthsync serve`: builds the target and serves until a signal.
pub async fn serve(
    config: HealthSyncConfig,
    options: crate::topology::ServeOptions,
) -> anyhow::Result<()> {
    let addr = config.listen_addr();
    let target = config.target;
    let _data_dir =
        tripgen_platform::data_dir_lock::DataDirLock::for_serving(&config.platform_config())?;
    install_job_bus(&config)?;
    let app = crate::app::build_with(
        config,
        std::sync::Arc::new(tripgen_platform::SystemClock),
        options,
    )
    .await?;
    let backend = app.platform.db.backend();
    let server = start(app, addr).await?;
    tripgen_platform::server::run_until_signal(server, "healthsync", target.as_str(), backend).await
}
