//! Serving a built app: bind, serve with client addresses, and shut down gracefully on
//! SIGTERM/Ctrl-C (stop accepting, let in-flight requests finish within the grace period).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::App;

pub struct RunningServer {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningServer {
    /// Asks the server to stop and waits for in-flight requests.
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
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = watch::channel(false);
    let grace = Duration::from_secs(app.platform.config.http.shutdown_grace_secs);
    let platform = app.platform.clone();
    let mut app = app;
    let workers = app.workers.take();
    let task = tokio::spawn(async move {
        let mut grace_rx = stopped.clone();
        let serve = axum::serve(
            listener,
            app.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|s| *s).await;
        });
        tokio::select! {
            r = serve => r?,
            _ = async {
                let _ = grace_rx.wait_for(|s| *s).await;
                tokio::time::sleep(grace).await;
            } => tracing::warn!("grace period over; closing remaining connections"),
        }
        // Workers stop claiming and finish their jobs within the grace period; a job still
        // running after it is taken over by another worker when its lease expires.
        if let Some(w) = workers {
            w.stop(grace).await;
        }
        platform.db.close().await;
        Ok(())
    });
    Ok(RunningServer { addr, stop, task })
}

/// Serves until SIGTERM or Ctrl-C, then shuts down gracefully.
pub async fn run_until_signal(app: App, addr: SocketAddr) -> anyhow::Result<()> {
    let target = app.config.target;
    let backend = app.platform.db.backend();
    let server = start(app, addr).await?;
    tracing::info!(addr = %server.addr, target = target.as_str(), database = backend, "tripgen is ready");
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
