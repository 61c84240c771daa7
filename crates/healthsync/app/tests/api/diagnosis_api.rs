//! HS-AI-010 over HTTP: the rules' 3-line diagnosis (cached 2 h, refresh 5 a day), and the
//! AI providers behind one port against local servers speaking the Anthropic Messages and
//! OpenAI chat-completions protocols: a good answer is used (`generatedBy: ai`), an unsafe
//! one or no consent gives the rules.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    rules_diagnosis_cache_and_refresh_limit,
    anthropic_then_rules_on_unsafe_answer,
    openai_compatible_then_rules_when_down,
);

const DIAG: &str = "/api/v1/intelligence/diagnosis";

async fn ok(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn assert_three_lines(d: &Value) {
    let lines = d["lines"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 3, "{d}");
    for l in lines {
        let n = l.as_str().map(|s| s.chars().count()).unwrap_or(0);
        assert!((10..=120).contains(&n), "{l}");
    }
    let n = d["occupationConsiderations"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!((1..=3).contains(&n), "{d}");
    assert!(d["disclaimer"].as_str().is_some_and(|s| !s.is_empty()));
}

async fn rules_diagnosis_cache_and_refresh_limit(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let t = app.active_user("diag-rules", "male", "1984-03-03").await;
    let (s, b) = problem(app.get(DIAG, Some(&t)).await).await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::NOT_FOUND, json!("CHECKUP_NOT_FOUND"))
    );
    app.post("/api/v1/health/checkups/sync", json!({}), Some(&t))
        .await;
    let latest = ok(app.get("/api/v1/health/checkups/latest", Some(&t)).await).await;
    let d = ok(app.get(DIAG, Some(&t)).await).await;
    assert_three_lines(&d);
    assert_eq!(d["generatedBy"], "rules");
    assert_eq!(d["healthScore"], latest["healthScore"]);
    assert_eq!(d["riskLevel"], latest["riskLevel"]);
    assert_eq!(d["checkupId"], latest["checkupId"]);
    let flagged: Vec<(String, String)> = latest["groups"]
        .as_object()
        .map(|g| {
            g.iter()
                .filter(|(_, s)| *s == "warning" || *s == "danger")
                .map(|(k, s)| (k.clone(), s.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let factors: Vec<(String, String)> = d["riskFactors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["group"].as_str().unwrap_or_default().into(),
                        f["status"].as_str().unwrap_or_default().into(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(factors, flagged);
    let score = latest["healthScore"].as_i64().unwrap_or(0);
    assert!(
        d["lines"][0]
            .as_str()
            .is_some_and(|l| l.contains(&format!("{score}점"))),
        "{d}"
    );
    // The `health-synced` consumer tells the user (HS-AI-060 `checkup_synced`).
    let year = latest["referenceYear"].as_i64().unwrap_or(0).to_string();
    let mut synced = Value::Null;
    for _ in 0..100 {
        let list = ok(app
            .get("/api/v1/intelligence/notifications", Some(&t))
            .await)
        .await;
        if let Some(n) = list["items"]
            .as_array()
            .and_then(|a| a.iter().find(|n| n["kind"] == "checkup_synced"))
        {
            synced = n.clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        synced["body"].as_str().is_some_and(|b| b.contains(&year)),
        "{synced}"
    );
    // English on request.
    let en = ok(app.get(&format!("{DIAG}?lang=en"), Some(&t)).await).await;
    assert!(
        en["lines"][0]
            .as_str()
            .is_some_and(|l| l.starts_with(&format!("Health score {score}"))),
        "{en}"
    );
    // Kept for 2 hours; refresh bypasses it, 5 times a day.
    app.clock.advance(chrono::Duration::minutes(1));
    let again = ok(app.get(DIAG, Some(&t)).await).await;
    assert_eq!(again["generatedAt"], d["generatedAt"]);
    for _ in 0..5 {
        app.clock.advance(chrono::Duration::seconds(1));
        let r = ok(app.get(&format!("{DIAG}?refresh=true"), Some(&t)).await).await;
        assert_ne!(r["generatedAt"], d["generatedAt"]);
    }
    let (s, b) = problem(app.get(&format!("{DIAG}?refresh=true"), Some(&t)).await).await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::TOO_MANY_REQUESTS, json!("AI_RATE_LIMITED"))
    );
    app.stop().await;
}

/// A local server speaking the Anthropic Messages API: answers with the queued tool
/// input, records the headers and bodies it got.
#[derive(Clone, Default)]
struct FakeAnthropic {
    answers: Arc<Mutex<Vec<Value>>>,
    calls: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
}

async fn messages(
    State(f): State<FakeAnthropic>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let input = f
        .answers
        .lock()
        .map(|mut a| {
            if a.is_empty() {
                Value::Null
            } else {
                a.remove(0)
            }
        })
        .unwrap_or(Value::Null);
    let tool = body["tool_choice"]["name"].clone();
    if let Ok(mut c) = f.calls.lock() {
        c.push((headers, body));
    }
    Json(json!({
        "id": "msg_test", "type": "message", "role": "assistant", "model": "claude-test",
        "stop_reason": "tool_use",
        "content": [ { "type": "tool_use", "id": "toolu_1", "name": tool, "input": input } ],
        "usage": { "input_tokens": 10, "output_tokens": 10 }
    }))
}

async fn anthropic_then_rules_on_unsafe_answer(backend: Backend) {
    let fake = FakeAnthropic::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let router = Router::new()
        .route("/v1/messages", post(messages))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let Some(app) = TestApp::start_with(backend, |c| {
        c.ai.provider = healthsync_intelligence::ai::Provider::Anthropic;
        c.ai.base_url = Some(base.clone());
        c.ai.model = Some("claude-test".into());
        c.ai.api_key = Some("test-key".into());
    })
    .await
    else {
        return;
    };
    // Without AI consent the rules answer and nothing is sent.
    let t = app.active_user("diag-ai", "female", "1987-07-07").await;
    app.post("/api/v1/health/checkups/sync", json!({}), Some(&t))
        .await;
    let d = ok(app.get(DIAG, Some(&t)).await).await;
    assert_eq!(d["generatedBy"], "rules");
    assert_eq!(fake.calls.lock().map(|c| c.len()).unwrap_or(99), 0);
    let settings = json!({ "language": "ko", "notificationsEnabled": true, "aiConsent": true });
    assert_eq!(
        app.put("/api/v1/users/me/settings", settings, Some(&t))
            .await
            .status(),
        StatusCode::OK
    );
    let good = json!({
        "lines": [
            "건강 점수는 양호한 편이지만 몇 가지 항목은 주의가 필요해요.",
            "혈압이 주의 범위에 있어 꾸준한 걷기와 싱겁게 먹기가 도움이 돼요.",
            "오래 앉아 일하는 만큼 한 시간마다 일어나 몸을 풀어 주세요."
        ],
        "occupationConsiderations": ["한 시간마다 스트레칭하기"]
    });
    fake.answers.lock().expect("lock").push(good.clone());
    let ai = ok(app.get(DIAG, Some(&t)).await).await;
    assert_eq!(ai["generatedBy"], "ai", "{ai}");
    assert_eq!(ai["lines"], good["lines"]);
    assert_eq!(
        ai["healthScore"], d["healthScore"],
        "the score stays the rules'"
    );
    {
        let calls = fake.calls.lock().expect("lock");
        let (headers, body) = &calls[0];
        assert_eq!(headers["x-api-key"], "test-key");
        assert_eq!(headers["anthropic-version"], "2023-06-01");
        assert_eq!(
            body["tool_choice"],
            json!({ "type": "tool", "name": "diagnosis" })
        );
        assert_eq!(body["model"], "claude-test");
        let sent = body.to_string();
        assert!(
            !sent.contains("diag-ai") && !sent.contains("김하나"),
            "no ids or names go to the model"
        );
    }
    // A disease assertion is refused: the rules answer.
    let unsafe_answer = json!({
        "lines": ["당신은 고혈압입니다. 바로 치료가 필요합니다.", "혈압 수치가 높게 나왔어요. 관리가 필요해요.", "업무 중 자주 일어나 스트레칭을 해 주세요."],
        "occupationConsiderations": ["스트레칭"]
    });
    fake.answers.lock().expect("lock").push(unsafe_answer);
    let fallback = ok(app.get(&format!("{DIAG}?refresh=true"), Some(&t)).await).await;
    assert_eq!(fallback["generatedBy"], "rules");
    assert_eq!(fake.calls.lock().map(|c| c.len()).unwrap_or(0), 2);
    assert_three_lines(&fallback);
    app.stop().await;
}

/// A local server speaking OpenAI chat completions: the structured answer as the message
/// content; 503 once `down` is set.
#[derive(Clone, Default)]
struct FakeOpenAi {
    answer: Arc<Mutex<Value>>,
    down: Arc<Mutex<bool>>,
    calls: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
}

async fn completions(
    State(f): State<FakeOpenAi>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Ok(mut c) = f.calls.lock() {
        c.push((headers, body));
    }
    if f.down.lock().map(|d| *d).unwrap_or(false) {
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "overloaded").into_response();
    }
    let content = f.answer.lock().map(|a| a.to_string()).unwrap_or_default();
    Json(json!({
        "id": "chatcmpl-test", "object": "chat.completion", "model": "gpt-test",
        "choices": [ { "index": 0, "finish_reason": "stop",
                       "message": { "role": "assistant", "content": content } } ]
    }))
    .into_response()
}

async fn openai_compatible_then_rules_when_down(backend: Backend) {
    let fake = FakeOpenAi::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}/v1", listener.local_addr().expect("addr"));
    let router = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let Some(app) = TestApp::start_with(backend, |c| {
        c.ai.provider = healthsync_intelligence::ai::Provider::Openai;
        c.ai.base_url = Some(base.clone());
        c.ai.model = Some("gpt-test".into());
        c.ai.api_key = Some("sk-test".into());
        c.ai.retries = 0;
    })
    .await
    else {
        return;
    };
    let t = app.active_user("diag-openai", "male", "1982-02-02").await;
    app.post("/api/v1/health/checkups/sync", json!({}), Some(&t))
        .await;
    let settings = json!({ "language": "en", "notificationsEnabled": true, "aiConsent": true });
    assert_eq!(
        app.put("/api/v1/users/me/settings", settings, Some(&t))
            .await
            .status(),
        StatusCode::OK
    );
    if let Ok(mut a) = fake.answer.lock() {
        *a = json!({
            "lines": [
                "Your health score is fair, with a few items to watch.",
                "Blood pressure sits in the warning band; walking and less salt help.",
                "Long hours at a desk call for a short stretch every hour."
            ],
            "occupationConsiderations": ["Stand up every hour"]
        });
    }
    let d = ok(app.get(&format!("{DIAG}?lang=en"), Some(&t)).await).await;
    assert_eq!(d["generatedBy"], "ai", "{d}");
    {
        let calls = fake.calls.lock().expect("lock");
        let (headers, body) = &calls[0];
        assert_eq!(headers["authorization"], "Bearer sk-test");
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert_eq!(body["response_format"]["json_schema"]["name"], "diagnosis");
    }
    // The provider fails: the rules answer, never a 5xx.
    if let Ok(mut d) = fake.down.lock() {
        *d = true;
    }
    let r = ok(app
        .get(&format!("{DIAG}?lang=en&refresh=true"), Some(&t))
        .await)
    .await;
    assert_eq!(r["generatedBy"], "rules");
    assert_three_lines(&r);
    app.stop().await;
}
