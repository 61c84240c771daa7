//! The generation pipeline over HTTP on real OSM data (Munich, Porto): generate (202,
//! idempotency, validation, incomplete trips), status, SSE with Last-Event-ID, cancel,
//! day regeneration (exclusions, limit), and a worker lost mid-job (lease expiry
//! takeover, completion once). Every test runs on SQLite and PostgreSQL.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen::server::RunningServer;
use tripgen_platform::Platform;
use tripgen_platform::clock::ManualClock;
use tripgen_platform::jobs::{JobQueue, KIND_SCHEDULE_GENERATION, WorkerPool, queue::Claim};

mod end_to_end;
mod requests;
mod workers;

/// A running app whose workers the test controls.
struct Running {
    base: String,
    http: reqwest::Client,
    clock: ManualClock,
    platform: Arc<Platform>,
    contexts: tripgen::app::Contexts,
    workers: Option<WorkerPool>,
    server: Option<RunningServer>,
}

impl Running {
    async fn boot(store: &Store, clock: ManualClock, workers: bool) -> Running {
        let config = store.config();
        tripgen_platform::telemetry::init_logging(&config.log);
        let _ = tripgen_platform::telemetry::metrics_handle();
        let mut app = tripgen::app::build(config, Arc::new(clock.clone()))
            .await
            .expect("app builds");
        let mut pool = app.workers.take();
        if !workers && let Some(p) = pool.take() {
            p.kill().await;
        }
        let platform = app.platform.clone();
        let contexts = app.contexts.clone();
        let server = tripgen::server::start(app, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("server starts");
        Running {
            base: format!("http://{}", server.addr),
            http: reqwest::Client::new(),
            clock,
            platform,
            contexts,
            workers: pool,
            server: Some(server),
        }
    }

    async fn stop(mut self) {
        if let Some(w) = self.workers.take() {
            w.stop(Duration::from_secs(20)).await;
        }
        if let Some(s) = self.server.take() {
            s.shutdown().await.expect("clean shutdown");
        }
    }

    fn url(&self, p: &str) -> String {
        format!("{}{p}", self.base)
    }

    /// The Prometheus text of the internal metrics listener.
    async fn metrics(&self) -> String {
        let addr = self.server.as_ref().and_then(|s| s.metrics_addr);
        let url = format!("http://{}/metrics", addr.expect("metrics listener"));
        let resp = self.http.get(url).send().await.expect("metrics");
        resp.text().await.expect("metrics text")
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        tok: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut r = self.http.request(method, self.url(path)).bearer_auth(tok);
        if let Some(b) = body {
            r = r.json(&b);
        }
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r.send().await.expect("request")
    }

    async fn post(&self, path: &str, body: Value, tok: &str) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, Some(body), tok, &[])
            .await
    }

    async fn get(&self, path: &str, tok: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, path, None, tok, &[]).await
    }

    async fn user(&self, username: &str) -> String {
        let r = self
            .http
            .post(self.url("/api/v1/users/register"))
            .json(&registration(username))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let r = self
            .http
            .post(self.url("/api/v1/users/login"))
            .json(&json!({ "username": username, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        v["accessToken"].as_str().unwrap().to_string()
    }

    async fn import(&self, rel: &[&str]) {
        let files: Vec<_> = rel.iter().map(|r| osm_data(r)).collect();
        self.contexts
            .locations
            .as_ref()
            .unwrap()
            .import(&files, &tripgen_platform::progress::Progress::hidden())
            .await
            .expect("import");
    }

    /// A complete trip: Munich 2 nights (hotel), Porto 2 nights; 5 days.
    async fn trip(&self, tok: &str, members: Value) -> String {
        let r = self
            .post(
                "/api/v1/trips",
                json!({ "tripName": "뮌헨과 포르투", "transportMode": "public", "members": members }),
                tok,
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let id = r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = self
            .send(
                reqwest::Method::PUT,
                &format!("/api/v1/trips/{id}/destinations/batch"),
                Some(json!({ "startDate": "2027-06-01", "destinations": [
                    { "destinationName": "뮌헨", "nights": 2, "accommodation": "Bayerischer Hof" },
                    { "destinationName": "Porto", "nights": 2 }
                ]})),
                tok,
                &[],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
        id
    }

    /// Polls the status until it is final.
    async fn wait(&self, tok: &str, trip: &str, rid: &str) -> Value {
        let started = Instant::now();
        loop {
            let r = self
                .get(
                    &format!("/api/v1/trips/{trip}/schedules/generate/{rid}"),
                    tok,
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            let v: Value = r.json().await.unwrap();
            if matches!(
                v["status"].as_str(),
                Some("completed" | "failed" | "cancelled")
            ) {
                return v;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "generation did not finish: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn family() -> Value {
    json!([
        { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture", "sightseeing"] },
        { "name": "Grandpa", "age": 74, "gender": "male", "healthStatus": "caution", "preferences": ["rest"] }
    ])
}

fn accepted_id(v: &Value) -> String {
    v["requestId"].as_str().unwrap().to_string()
}

/// Parses an SSE body into `(id, data)` pairs.
fn sse_events(body: &str) -> Vec<(i64, Value)> {
    let mut out = Vec::new();
    for block in body.split("\n\n") {
        let mut id = None;
        let mut data = String::new();
        for line in block.lines() {
            if let Some(v) = line.strip_prefix("id:") {
                id = v.trim().parse().ok();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push_str(v.trim_start());
            }
        }
        if let (Some(id), Ok(v)) = (id, serde_json::from_str(&data)) {
            out.push((id, v));
        }
    }
    out
}
