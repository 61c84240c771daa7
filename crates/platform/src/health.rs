//! Liveness, readiness (database and, when configured, Redis) and start-up probes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use crate::Platform;

/// Set once the process has migrated and is about to serve.
#[derive(Debug, Default)]
pub struct Started(AtomicBool);

impl Started {
    pub fn mark(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What a product wants every readiness answer to state (e.g. HealthSync's development
/// issuer being on), as `notices` in `/health/ready`.
#[derive(Debug, Default)]
pub struct Notices(std::sync::Mutex<Vec<(String, String)>>);

impl Notices {
    pub fn add(&self, key: &str, text: &str) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.push((key.to_string(), text.to_string()));
    }

    fn json(&self) -> Option<serde_json::Value> {
        let list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (!list.is_empty()).then(|| {
            serde_json::Value::Object(
                list.iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect(),
            )
        })
    }
}

pub fn router(platform: Arc<Platform>) -> Router {
    Router::new()
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/health/startup", get(startup))
        .with_state(platform)
}

async fn live() -> impl IntoResponse {
    Json(json!({ "status": "up" }))
}

async fn startup(State(p): State<Arc<Platform>>) -> impl IntoResponse {
    if p.started.is_set() {
        (StatusCode::OK, Json(json!({ "status": "up" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "starting" })),
        )
    }
}

async fn ready(State(p): State<Arc<Platform>>) -> impl IntoResponse {
    let db = match tokio::time::timeout(std::time::Duration::from_secs(2), p.db.ping()).await {
        Ok(Ok(())) => "up",
        _ => "down",
    };
    let redis = match &p.redis {
        None => "not-configured",
        Some(conn) => {
            let mut c = conn.clone();
            let cmd = redis::cmd("PING");
            let ping = cmd.query_async::<String>(&mut c);
            match tokio::time::timeout(std::time::Duration::from_secs(2), ping).await {
                Ok(Ok(_)) => "up",
                _ => "down",
            }
        }
    };
    let ok = db == "up" && redis != "down" && p.started.is_set();
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut body = json!({
        "status": if ok { "up" } else { "down" },
        "checks": { "database": { "status": db, "backend": p.db.backend() }, "redis": { "status": redis } }
    });
    if let Some(notices) = p.notices.json() {
        body["notices"] = notices;
    }
    (status, Json(body))
}
