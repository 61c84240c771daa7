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

on_both_backends!(
    generation_end_to_end,
    bad_requests_write_nothing,
    cancel_keeps_the_previous_schedule,
    killed_worker_is_replaced_and_completes_once,
);

async fn generation_end_to_end(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let app = Running::boot(&store, ManualClock::new(Utc::now()), true).await;
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let tok = app.user("genuser1").await;
    let trip = app.trip(&tok, family()).await;
    let path = format!("/api/v1/trips/{trip}/schedules/generate");
    let t0 = Instant::now();
    let body = json!({ "startTime": "09:30", "specialRequests": "Deutsches Museum 꼭 가고 싶어요. 쇼핑은 빼고, 천천히." });
    let r = app
        .send(
            reqwest::Method::POST,
            &path,
            Some(body.clone()),
            &tok,
            &[("Idempotency-Key", "gen-1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let a: Value = r.json().await.unwrap();
    let rid = accepted_id(&a);
    assert_eq!(a["existing"], false);
    // Same key: the same request, not a second job.
    let r = app
        .send(
            reqwest::Method::POST,
            &path,
            Some(body),
            &tok,
            &[("Idempotency-Key", "gen-1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let b: Value = r.json().await.unwrap();
    assert_eq!(accepted_id(&b), rid);
    assert_eq!(b["existing"], true);

    let done = app.wait(&tok, &trip, &rid).await;
    eprintln!(
        "{backend:?}: generation 202 → completed in {:?}",
        t0.elapsed()
    );
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["progress"], 100);
    assert_eq!(done["result"]["saved"], true, "{done}");
    assert_eq!(done["result"]["days"], 5);
    assert_eq!(done["result"]["weather"], "unavailable");
    // Every wish is listed with what became of it (honoured, or explained).
    let understood = done["result"]["understood"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let wish = |kind: &str, target: &str| {
        understood
            .iter()
            .find(|w| w["kind"] == kind && w["target"] == target)
            .cloned()
    };
    let shopping = wish("category", "shopping").expect("shopping understood");
    assert_eq!(shopping["effect"], "avoid");
    assert_eq!(shopping["status"], "honoured", "{shopping}");
    assert_eq!(
        wish("pace", "slow").expect("pace understood")["status"],
        "honoured"
    );
    let museum = wish("place", "Deutsches Museum").expect("the museum understood");
    assert_eq!(museum["effect"], "include");
    assert!(
        museum["noteKo"].as_str().is_some_and(|n| !n.is_empty()),
        "{museum}"
    );
    for w in &understood {
        assert!(
            w["status"] == "honoured" || w["status"] == "explained",
            "{w}"
        );
    }

    // The schedule: every day, real places, weather-neutral notice, the must-visit.
    let s: Value = app
        .get(&format!("/api/v1/trips/{trip}/schedules"), &tok)
        .await
        .json()
        .await
        .unwrap();
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 5, "{s}");
    let mut seen = std::collections::HashSet::new();
    let mut all_ids = Vec::new();
    for d in days {
        let plan = if d["plan"].is_object() { &d["plan"] } else { d };
        let stops = plan["stops"].as_array().unwrap();
        for st in stops {
            let id = st["placeId"].as_str().unwrap().to_string();
            if st["kind"] == "journey" {
                // Day 3 goes from Munich to Porto (docs/journeys.md).
                assert!(id.starts_with("journey:"), "{id}");
                continue;
            }
            assert!(id.starts_with("osm:"), "{id}");
            assert!(seen.insert(id.clone()), "no place twice: {id}");
            all_ids.push(id);
            assert_ne!(st["category"], "shopping", "shopping was avoided");
        }
        assert!(
            plan["weatherNotes"]
                .to_string()
                .contains("Forecast unavailable"),
            "{plan}"
        );
    }
    assert!(seen.len() >= 10, "a real plan: {} stops", seen.len());
    let munich_days: usize = days[..2]
        .iter()
        .map(|d| {
            let plan = if d["plan"].is_object() { &d["plan"] } else { d };
            plan["stops"].as_array().unwrap().len()
        })
        .sum();
    assert!(munich_days > 0);
    // Legs inside the street graph carry their path along the streets, stored with the
    // day; the map draws exactly that path (issue 17).
    let plan0 = if days[0]["plan"].is_object() {
        &days[0]["plan"]
    } else {
        &days[0]
    };
    let legs = plan0["legs"].as_array().unwrap();
    let routed: Vec<(usize, &Value)> = legs
        .iter()
        .enumerate()
        .filter(|(_, l)| l["path"].as_array().is_some_and(|p| p.len() > 2))
        .collect();
    assert!(!routed.is_empty(), "street paths stored: {plan0}");
    let map: Value = app
        .get(&format!("/api/v1/trips/{trip}/route?day=1"), &tok)
        .await
        .json()
        .await
        .unwrap();
    let leg_lines: Vec<&Value> = map["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "leg")
        .collect();
    for (i, leg) in &routed {
        let (start, end) = (&leg["path"][0], leg["path"].as_array().unwrap().last());
        assert_eq!(leg_lines[*i]["geometry"]["coordinates"][0], *start);
        assert_eq!(
            leg_lines[*i]["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .last(),
            end
        );
        assert_eq!(
            leg_lines[*i]["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .len(),
            leg["path"].as_array().unwrap().len(),
            "the map draws the stored path"
        );
    }
    let detail: Value = app
        .get(&format!("/api/v1/trips/{trip}"), &tok)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["schedule"]["generation"]["state"], "completed",
        "{}",
        detail["schedule"]
    );

    // SSE: the whole story, numbered, ending with the final state.
    let r = app.get(&format!("{path}/{rid}/events"), &tok).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let events = sse_events(&r.text().await.unwrap());
    assert!(events.len() >= 6, "{events:?}");
    assert!(events.windows(2).all(|w| w[0].0 < w[1].0), "ids increase");
    let steps: Vec<String> = events
        .iter()
        .filter_map(|(_, v)| v["step"].as_str().map(str::to_string))
        .collect();
    for s in ["analyse", "weather", "places", "optimise", "save"] {
        assert!(steps.iter().any(|x| x == s), "step {s} in {steps:?}");
    }
    assert_eq!(events.last().unwrap().1["status"], "completed");
    assert!(events.iter().any(|(_, v)| v["etaSeconds"].is_number()));
    // Resume after the third event: only the later ones.
    let third = events[2].0.to_string();
    let r = app
        .send(
            reqwest::Method::GET,
            &format!("{path}/{rid}/events"),
            None,
            &tok,
            &[("Last-Event-ID", &third)],
        )
        .await;
    let resumed = sse_events(&r.text().await.unwrap());
    assert_eq!(resumed.len(), events.len() - 3);
    assert_eq!(resumed[0].0, events[3].0);

    // Cancel of a finished request: 409; unknown request: 404.
    let r = app
        .send(
            reqwest::Method::DELETE,
            &format!("{path}/{rid}"),
            None,
            &tok,
            &[],
        )
        .await;
    problem(r, StatusCode::CONFLICT, "GENERATION_FINISHED").await;
    let r = app
        .get(&format!("{path}/{}", uuid::Uuid::now_v7()), &tok)
        .await;
    problem(r, StatusCode::NOT_FOUND, "GENERATION_NOT_FOUND").await;
    let r = app.get(&format!("{path}/not-a-uuid"), &tok).await;
    problem(r, StatusCode::NOT_FOUND, "GENERATION_NOT_FOUND").await;
    // Another user sees nothing.
    let other = app.user("genuser2").await;
    let r = app.get(&format!("{path}/{rid}"), &other).await;
    problem(r, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;

    // Regenerate day 2: only that day changes, other days' places are not reused.
    let before: Vec<Value> = days.to_vec();
    let regen = format!("/api/v1/trips/{trip}/schedules/days/2/regenerate");
    let r = app
        .post(&regen, json!({ "startTime": "10:00" }), &tok)
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid2 = accepted_id(&r.json().await.unwrap());
    let done = app.wait(&tok, &trip, &rid2).await;
    assert_eq!(done["status"], "completed", "{done}");
    let s: Value = app
        .get(&format!("/api/v1/trips/{trip}/schedules"), &tok)
        .await
        .json()
        .await
        .unwrap();
    let after = s["days"].as_array().unwrap();
    let plan = |d: &Value| {
        if d["plan"].is_object() {
            d["plan"].clone()
        } else {
            d.clone()
        }
    };
    for i in [0usize, 2, 3, 4] {
        assert_eq!(
            plan(&after[i])["stops"],
            plan(&before[i])["stops"],
            "day {} unchanged",
            i + 1
        );
    }
    let day2 = plan(&after[1]);
    let others: std::collections::HashSet<String> = [0usize, 2, 3, 4]
        .iter()
        .flat_map(|i| {
            plan(&after[*i])["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["placeId"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for st in day2["stops"].as_array().unwrap() {
        assert!(!others.contains(st["placeId"].as_str().unwrap()), "{st}");
    }
    assert_eq!(day2["start"]["time"], 600, "new start time 10:00");
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/2/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["versions"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["versions"][0]["source"], "regenerated");

    // At most 5 regenerations of a day: four more, then 429.
    for _ in 0..4 {
        let r = app.post(&regen, json!({}), &tok).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        let id = accepted_id(&r.json().await.unwrap());
        assert_eq!(app.wait(&tok, &trip, &id).await["status"], "completed");
    }
    let r = app.post(&regen, json!({}), &tok).await;
    let p = problem(r, StatusCode::TOO_MANY_REQUESTS, "REGENERATION_LIMIT").await;
    assert_eq!(p["extra"]["limit"], 5);
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/2/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["versions"].as_array().unwrap().len(),
        3,
        "last three kept"
    );
    // Another day still may.
    let r = app
        .post(
            &format!("/api/v1/trips/{trip}/schedules/days/3/regenerate"),
            json!({}),
            &tok,
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let id = accepted_id(&r.json().await.unwrap());
    app.wait(&tok, &trip, &id).await;

    // Metrics of the queue.
    let m = app.metrics().await;
    assert!(m.contains("tripgen_job_run_seconds"), "run-time histogram");
    assert!(m.contains("tripgen_job_wait_seconds"), "wait histogram");
    app.stop().await;
}

async fn bad_requests_write_nothing(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let app = Running::boot(&store, ManualClock::new(Utc::now()), true).await;
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let tok = app.user("genbad1").await;
    // Incomplete: no transport, no members, no destinations.
    let r = app
        .post("/api/v1/trips", json!({ "tripName": "Half" }), &tok)
        .await;
    let half = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/trips/{half}/schedules/generate"),
            json!({}),
            &tok,
        )
        .await;
    let p = problem(r, StatusCode::CONFLICT, "TRIP_INCOMPLETE").await;
    let missing = p["extra"]["missing"].to_string();
    for f in ["transportMode", "members", "startDate", "destinations"] {
        assert!(missing.contains(f), "{f} in {missing}");
    }
    let trip = app.trip(&tok, family()).await;
    let path = format!("/api/v1/trips/{trip}/schedules/generate");
    let r = app.post(&path, json!({ "startTime": "09:05" }), &tok).await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert_eq!(
        field_codes(&p),
        vec![("startTime".into(), "NOT_ON_STEP".into())]
    );
    let r = app.post(&path, json!({ "startTime": "24:00" }), &tok).await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert_eq!(field_codes(&p)[0].1, "INVALID_FORMAT");
    let r = app
        .post(&path, json!({ "specialRequests": "가".repeat(501) }), &tok)
        .await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert_eq!(
        field_codes(&p),
        vec![("specialRequests".into(), "TOO_LONG".into())]
    );
    let r = app
        .post(&path, json!({ "specialRequests": "가".repeat(500) }), &tok)
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED, "500 characters are fine");
    let rid = accepted_id(&r.json().await.unwrap());
    app.wait(&tok, &trip, &rid).await;
    // Nothing was written by the refused requests: one job, one version per day.
    let queue = JobQueue::new(app.platform.db.clone(), Arc::new(app.clock.clone()));
    assert_eq!(
        queue
            .queued_counts()
            .await
            .unwrap()
            .iter()
            // (the notification scan is always queued for its next slot)
            .filter(|(kind, _)| kind == KIND_SCHEDULE_GENERATION)
            .map(|(_, n)| n)
            .sum::<i64>(),
        0
    );
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/1/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["versions"].as_array().unwrap().len(), 1);
    // Day regeneration of a day the trip does not have.
    let r = app
        .post(
            &format!("/api/v1/trips/{trip}/schedules/days/9/regenerate"),
            json!({}),
            &tok,
        )
        .await;
    problem(r, StatusCode::NOT_FOUND, "DAY_NOT_FOUND").await;
    app.stop().await;
}

async fn cancel_keeps_the_previous_schedule(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let app = Running::boot(&store, ManualClock::new(Utc::now()), true).await;
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let tok = app.user("gencancel").await;
    let trip = app.trip(&tok, family()).await;
    let path = format!("/api/v1/trips/{trip}/schedules/generate");
    let r = app.post(&path, json!({}), &tok).await;
    let rid = accepted_id(&r.json().await.unwrap());
    assert_eq!(app.wait(&tok, &trip, &rid).await["status"], "completed");
    let before: Value = app
        .get(&format!("/api/v1/trips/{trip}/schedules"), &tok)
        .await
        .json()
        .await
        .unwrap();
    // A second app instance on the same store without workers takes the requests, so the
    // job stays queued until cancelled; the first app's workers are stopped.
    app.stop().await;
    let app = Running::boot(&store, ManualClock::new(Utc::now()), false).await;
    let r = app.post(&path, json!({ "startTime": "11:00" }), &tok).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid = accepted_id(&r.json().await.unwrap());
    // While it is in progress, another generate returns the same request.
    let r = app.post(&path, json!({}), &tok).await;
    let again: Value = r.json().await.unwrap();
    assert_eq!(accepted_id(&again), rid);
    assert_eq!(again["existing"], true);
    let r = app
        .send(
            reqwest::Method::DELETE,
            &format!("{path}/{rid}"),
            None,
            &tok,
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "cancelled");
    let r = app
        .send(
            reqwest::Method::DELETE,
            &format!("{path}/{rid}"),
            None,
            &tok,
            &[],
        )
        .await;
    problem(r, StatusCode::CONFLICT, "GENERATION_FINISHED").await;
    // A worker that starts now finds nothing to do, and the schedule is unchanged.
    app.stop().await;
    let app = Running::boot(&store, ManualClock::new(Utc::now()), true).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let after: Value = app
        .get(&format!("/api/v1/trips/{trip}/schedules"), &tok)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["days"], before["days"]);
    let detail: Value = app
        .get(&format!("/api/v1/trips/{trip}"), &tok)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["schedule"]["generation"]["state"], "cancelled",
        "{}",
        detail["schedule"]
    );
    // The SSE stream of a cancelled request ends with `cancelled`.
    let r = app.get(&format!("{path}/{rid}/events"), &tok).await;
    let events = sse_events(&r.text().await.unwrap());
    assert_eq!(events.last().unwrap().1["status"], "cancelled");
    app.stop().await;
}

async fn killed_worker_is_replaced_and_completes_once(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let clock = ManualClock::new(Utc::now());
    let app = Running::boot(&store, clock.clone(), false).await;
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let tok = app.user("genkill1").await;
    let trip = app.trip(&tok, family()).await;
    let path = format!("/api/v1/trips/{trip}/schedules/generate");
    let r = app.post(&path, json!({}), &tok).await;
    let rid = accepted_id(&r.json().await.unwrap());
    // A worker claims the job and dies without a word (its lease stays in the table).
    let queue = JobQueue::new(app.platform.db.clone(), Arc::new(clock.clone()));
    let claimed = queue
        .claim(
            KIND_SCHEDULE_GENERATION,
            "worker-that-dies",
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert!(matches!(claimed, Some(Claim::Job(_))));
    app.stop().await;
    // A new process starts. On the embedded database `serve` holds the data dir locked,
    // so the new server knows no other process can be running the job: it resumes it at
    // once (issue 21), the clock standing still. PostgreSQL may be shared by other
    // processes: the job waits out its lease there.
    let serving = (backend == Backend::Sqlite).then(|| {
        tripgen_platform::data_dir_lock::DataDirLock::acquire(&store.config().platform().data_dir)
            .expect("data dir lock")
    });
    let app = Running::boot(&store, clock.clone(), true).await;
    let queue = JobQueue::new(app.platform.db.clone(), Arc::new(clock.clone()));
    if serving.is_none() {
        // It cannot take the job while the lease holds …
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let v: Value = app
            .get(&format!("{path}/{rid}"), &tok)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["status"], "running");
        assert_eq!(v["attempts"], 1);
        // … and finishes it once the lease has expired.
        clock.advance(chrono::Duration::seconds(31));
    }
    let done = app.wait(&tok, &trip, &rid).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["attempts"], 2);
    // The dead worker wakes up: its writes are refused, the trip sees one result.
    assert!(
        !queue
            .complete(
                uuid::Uuid::parse_str(&rid).unwrap(),
                "worker-that-dies",
                None,
                "late"
            )
            .await
            .unwrap()
    );
    let trips = app.contexts.trips.clone().unwrap();
    let late = trips
        .save_generation(
            uuid::Uuid::parse_str(&trip).unwrap(),
            &rid,
            trips
                .current_plans(uuid::Uuid::parse_str(&trip).unwrap())
                .await
                .unwrap(),
            true,
        )
        .await
        .unwrap();
    assert!(!late, "a second completion writes nothing");
    drop(serving);
    let v: Value = app
        .get(
            &format!("/api/v1/trips/{trip}/schedules/days/1/versions"),
            &tok,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["versions"].as_array().unwrap().len(),
        1,
        "saved exactly once"
    );
    app.stop().await;
}
