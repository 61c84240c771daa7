//! Serving a built app through the platform's server (bind, serve with client addresses,
//! graceful shutdown on SIGTERM/Ctrl-C within the grace period).

use std::net::SocketAddr;

pub use tripgen_platform::server::RunningServer;

use crate::app::App;

/// Binds `addr` and serves in a background task (tests use port 0).
pub async fn start(app: App, addr: SocketAddr) -> anyhow::Result<RunningServer> {
    let listener = tripgen_platform::server::bind(addr).await?;
    let mut app = app;
    let workers = app.workers.take();
    tripgen_platform::server::start_on(app.router, listener, app.platform, workers).await
}

/// Serves until SIGTERM or Ctrl-C, then shuts down gracefully.
pub async fn run_until_signal(app: App, addr: SocketAddr) -> anyhow::Result<()> {
    let target = app.config.target;
    let backend = app.platform.db.backend();
    let server = start(app, addr).await?;
    tripgen_platform::server::run_until_signal(server, "tripgen", target.as_str(), backend).await
}
