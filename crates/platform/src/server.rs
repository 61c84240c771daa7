//! Serving a product's router: bind, serve with client addresses, and shut down gracefully
//! on SIGTERM/Ctrl-C — stop accepting, let in-flight requests finish within the grace
//! period (`http.shutdown_grace_secs`), let the job workers finish or hand over their jobs,
//! close the database. Both products' binaries serve through here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::Platform;
use crate::jobs::WorkerPool;

pub struct RunningServer {
    pub addr: SocketAddr,
    /// The internal metrics listener's address (`http.metrics_listen`), when configured.
    pub metrics_addr: Option<SocketAddr>,
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

/// Binds `addr` (tests use port 0), with an error that names the address.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))
}

/// Serves `router` on a bound listener in a background task.
pub async fn start_on(
    router: Router,
    listener: TcpListener,
    platform: Arc<Platform>,
    workers: Option<WorkerPool>,
) -> anyhow::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = watch::channel(false);
    let grace = Duration::from_secs(platform.config.http.shutdown_grace_secs);
    let metrics_addr = match platform.config.http.metrics_addr() {
        Some(a) => Some(serve_metrics(bind(a).await?, stopped.clone())?),
        None => None,
    };
    let task = tokio::spawn(async move {
        let mut grace_rx = stopped.clone();
        let serve = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
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
    Ok(RunningServer {
        addr,
        metrics_addr,
        stop,
        task,
    })
}

/// The internal listener: `/metrics` only, nothing of the product. Operators expose it to
/// their Prometheus (a separate container port), never through the gateway or the ingress.
fn serve_metrics(
    listener: TcpListener,
    mut stopped: watch::Receiver<bool>,
) -> anyhow::Result<SocketAddr> {
    let addr = listener.local_addr()?;
    let router = Router::new().route(
        "/metrics",
        axum::routing::get(crate::telemetry::render_metrics),
    );
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "metrics listener stopped");
        }
    });
    tracing::info!(%addr, "metrics listener");
    Ok(addr)
}

/// Logs that `product` is ready, serves until SIGTERM or Ctrl-C, then shuts down.
pub async fn run_until_signal(
    server: RunningServer,
    product: &str,
    target: &str,
    backend: &str,
) -> anyhow::Result<()> {
    tracing::info!(addr = %server.addr, target, database = backend, "{product} is ready");
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
