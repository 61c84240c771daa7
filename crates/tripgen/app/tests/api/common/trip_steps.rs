//! The steps most tests take to get a planned trip: create it, set its destinations,
//! generate its schedule and wait for the job — one copy instead of one per test file.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use super::TestApp;

impl TestApp {
    /// `POST /api/v1/trips` (must answer 201); the new trip's id.
    pub async fn create_trip(&self, tok: &str, body: Value) -> String {
        let r = self.post("/api/v1/trips", body, Some(tok)).await;
        let status = r.status();
        let v: Value = r.json().await.expect("trip JSON");
        assert_eq!(status, StatusCode::CREATED, "{v}");
        v["id"].as_str().expect("trip id").to_string()
    }

    /// `PUT /api/v1/trips/{id}/destinations/batch` (must answer 200).
    pub async fn set_destinations(&self, tok: &str, id: &str, body: Value) {
        let r = self
            .put(
                &format!("/api/v1/trips/{id}/destinations/batch"),
                body,
                Some(tok),
            )
            .await;
        let status = r.status();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            r.text().await.unwrap_or_default()
        );
    }

    /// Starts a generation (`POST …/schedules/generate`, must answer 202) and returns
    /// the request id.
    pub async fn start_generation(&self, tok: &str, id: &str, body: Value) -> String {
        let r = self
            .post(
                &format!("/api/v1/trips/{id}/schedules/generate"),
                body,
                Some(tok),
            )
            .await;
        let status = r.status();
        let v: Value = r.json().await.expect("generation JSON");
        assert_eq!(status, StatusCode::ACCEPTED, "{v}");
        v["requestId"].as_str().expect("request id").to_string()
    }

    /// Polls a generation request until it ends (completed, failed or cancelled) and
    /// returns its last status.
    pub async fn wait_generation(&self, tok: &str, id: &str, rid: &str) -> Value {
        self.wait_job(tok, &format!("/api/v1/trips/{id}/schedules/generate/{rid}"))
            .await
    }

    /// Polls a job status path (trip or AI API) until the job ends; fails the test after
    /// three minutes.
    pub async fn wait_job(&self, tok: &str, status_path: &str) -> Value {
        let t0 = Instant::now();
        loop {
            let r = self.get(status_path, Some(tok)).await;
            assert_eq!(r.status(), StatusCode::OK, "{status_path}");
            let v: Value = r.json().await.expect("status JSON");
            if matches!(
                v["status"].as_str(),
                Some("completed" | "failed" | "cancelled")
            ) {
                return v;
            }
            assert!(t0.elapsed() < Duration::from_secs(180), "not finished: {v}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Generates the trip's schedule and waits until the job completed.
    pub async fn generate(&self, tok: &str, id: &str, body: Value) {
        let rid = self.start_generation(tok, id, body).await;
        let done = self.wait_generation(tok, id, &rid).await;
        assert_eq!(done["status"], "completed", "{done}");
    }
}
