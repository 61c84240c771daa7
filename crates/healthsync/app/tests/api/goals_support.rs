//! Helpers shared by the goal tests: Korean local instants, fresh tokens, recommendations
//! and goals over HTTP.

use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Identity, TestApp, problem};

pub const RECS: &str = "/api/v1/intelligence/recommendations";
pub const GOALS: &str = "/api/v1/goals";
pub const CURRENT: &str = "/api/v1/goals/current";

/// An instant given in Korean local time (UTC+9, no DST).
pub fn kst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap_or_default()
        - Duration::hours(9)
}

/// A fresh access token for `sub` (tokens live 30 minutes on the test clock).
pub async fn token(app: &TestApp, sub: &str) -> String {
    let answer = app.sign_in(Identity::new(sub)).await;
    answer["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub async fn json_ok(resp: reqwest::Response, want: StatusCode) -> Value {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!(status, want, "{body}");
    body
}

pub async fn recommend(app: &TestApp, t: &str) -> Value {
    json_ok(app.post(RECS, json!({}), Some(t)).await, StatusCode::OK).await
}

pub fn ids(rec: &Value) -> Vec<String> {
    rec["missions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["missionId"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn set_goal(app: &TestApp, t: &str, rec: &Value, missions: &[String]) -> Value {
    let body = json!({ "recommendationId": rec["recommendationId"], "missionIds": missions });
    json_ok(app.post(GOALS, body, Some(t)).await, StatusCode::CREATED).await
}

pub fn completion(mission: &str) -> String {
    format!("/api/v1/goals/current/missions/{mission}/completion")
}

pub async fn code_of(resp: reqwest::Response) -> (StatusCode, Value) {
    let (s, b) = problem(resp).await;
    (s, b["code"].clone())
}
