//! Serving a built app: bind, serve with client addresses, shut down gracefully on
//! SIGTERM/Ctrl-C.

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::App;
use crate::config::HealthSyncConfig;

pub struct RunningServer {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningServer {
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        self.task.await?
    }
}

/// Binds `addr` and serves in a background task (tests use port 0).
pub async fn start(app: App, addr: SocketAddr) -> anyhow::Result<RunningServer> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    start_on(app, listener).await
}

/// Serves on a bound listener (split targets in tests know each other's address first).
pub async fn start_on(app: App, listener: TcpListener) -> anyhow::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = watch::channel(false);
    let platform = app.platform.clone();
    let mut app = app;
    let workers = app.workers.take();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })
        .await?;
        if let Some(w) = workers {
            w.stop(std::time::Duration::from_secs(10)).await;
        }
        platform.db.close().await;
        Ok(())
    });
    Ok(RunningServer { addr, stop, task })
}

/// `healthsync serve`: builds the target and serves until a signal.
pub async fn serve(
    config: HealthSyncConfig,
    options: crate::topology::ServeOptions,
) -> anyhow::Result<()> {
    let addr = config.listen_addr();
    let target = config.target;
    let app = crate::app::build_with(
        config,
        std::sync::Arc::new(tripgen_platform::SystemClock),
        options,
    )
    .await?;
    let backend = app.platform.db.backend();
    let server = start(app, addr).await?;
    tracing::info!(addr = %server.addr, target = target.as_str(), database = backend, "healthsync is ready");
    shutdown_signal().await;
    tracing::info!("shutdown requested; finishing in-flight requests");
    server.shutdown().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
