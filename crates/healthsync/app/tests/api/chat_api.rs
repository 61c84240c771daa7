//! HS-AI-030 over HTTP: the rules' chat — FAQ answers with follow-ups, the fixed red-flag
//! referral (119, 109), a doctor referral on symptoms, profanity refused, sessions that
//! close after 24 h idle, listing, paging, deletion, the per-user rate limit.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, Identity, TestApp, problem};
use crate::on_both_backends;

on_both_backends!(chat_answers_referrals_sessions_and_limits);

const MSG: &str = "/api/v1/intelligence/chat/messages";

async fn send(app: &TestApp, t: &str, body: Value) -> (StatusCode, Value) {
    problem(app.post(MSG, body, Some(t)).await).await
}

async fn chat_answers_referrals_sessions_and_limits(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let t = app.active_user("chatter", "female", "1991-06-06").await;
    let (s, a) = send(
        &app,
        &t,
        json!({ "message": "  혈압은 어느 정도가 정상인가요?  " }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(
        (a["responseType"].clone(), a["generatedBy"].clone()),
        (json!("answer"), json!("rules"))
    );
    assert!(
        a["reply"]
            .as_str()
            .is_some_and(|r| r.contains("120") && r.chars().count() <= 300)
    );
    let qs = a["suggestedQuestions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(qs.len(), 3);
    assert!(
        qs.iter()
            .all(|q| q.as_str().is_some_and(|q| q.chars().count() <= 60))
    );
    let session = a["sessionId"].as_str().unwrap_or_default().to_string();
    // Same session; a red flag gets the fixed referral.
    let (s, r) = send(
        &app,
        &t,
        json!({ "sessionId": session, "message": "갑자기 가슴 통증이 심해요" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["sessionId"], session.as_str());
    assert_eq!(r["responseType"], "referral");
    let reply = r["reply"].as_str().unwrap_or_default();
    assert!(reply.contains("119") && reply.contains("109"), "{reply}");
    // Symptoms add a doctor referral; English on request.
    let en = app
        .http
        .post(app.url(&format!("{MSG}?lang=en")))
        .bearer_auth(&t)
        .json(&json!({ "message": "I feel dizzy, what about my blood sugar?" }))
        .send()
        .await
        .expect("request");
    let (s, e) = problem(en).await;
    assert_eq!(
        (s, e["responseType"].clone()),
        (StatusCode::OK, json!("referral"))
    );
    assert!(e["reply"].as_str().is_some_and(|r| r.contains("doctor")));
    // Bad input.
    let (s, b) = send(&app, &t, json!({ "message": "   " })).await;
    assert_eq!(
        (s, b["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("message"))
    );
    let (s, _) = send(&app, &t, json!({ "message": "가".repeat(1001) })).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, b) = send(&app, &t, json!({ "message": "씨발 이게 뭐야" })).await;
    assert_eq!(
        (s, b["code"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("INAPPROPRIATE_MESSAGE")
        )
    );
    let (s, b) = send(
        &app,
        &t,
        json!({ "sessionId": uuid::Uuid::now_v7().to_string(), "message": "물" }),
    )
    .await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::NOT_FOUND, json!("CHAT_SESSION_NOT_FOUND"))
    );
    // Someone else's session is unknown to them.
    let other = app.active_user("chat-other", "male", "1980-01-01").await;
    let (s, _) = send(
        &app,
        &other,
        json!({ "sessionId": session, "message": "물" }),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Messages, oldest first, paged.
    let page = app
        .get(
            &format!("/api/v1/intelligence/chat/sessions/{session}/messages?limit=3"),
            Some(&t),
        )
        .await;
    let (s, p) = problem(page).await;
    assert_eq!(s, StatusCode::OK);
    let items = p["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 3);
    assert_eq!(
        (items[0]["role"].clone(), items[0]["content"].clone()),
        (json!("user"), json!("혈압은 어느 정도가 정상인가요?"))
    );
    assert_eq!(items[1]["role"], "assistant");
    let cursor = p["nextCursor"].as_str().unwrap_or_default().to_string();
    let (_, p2) = problem(
        app.get(
            &format!(
                "/api/v1/intelligence/chat/sessions/{session}/messages?limit=3&cursor={cursor}"
            ),
            Some(&t),
        )
        .await,
    )
    .await;
    assert_eq!(p2["items"].as_array().map(Vec::len), Some(1));
    // The session closes after 24 h idle.
    app.clock.advance(Duration::hours(25));
    let t = app.sign_in(Identity::new("chatter")).await["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (s, _) = send(
        &app,
        &t,
        json!({ "sessionId": session, "message": "물은 얼마나?" }),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = problem(
        app.get("/api/v1/intelligence/chat/sessions", Some(&t))
            .await,
    )
    .await;
    let sessions = list["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(sessions.len(), 2, "{list}");
    let closed = sessions
        .iter()
        .find(|x| x["sessionId"] == session.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (closed["open"].clone(), closed["messageCount"].clone()),
        (json!(false), json!(4))
    );
    assert_eq!(
        app.delete(
            &format!("/api/v1/intelligence/chat/sessions/{session}"),
            Some(&t)
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(
            &format!("/api/v1/intelligence/chat/sessions/{session}"),
            Some(&t)
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    // 20 messages per 10 minutes (the 25 h old ones no longer count).
    let mut limited = None;
    for i in 0..21 {
        let (s, b) = send(&app, &t, json!({ "message": format!("걷기 {i}") })).await;
        if s != StatusCode::OK {
            limited = Some((i, s, b["code"].clone()));
            break;
        }
    }
    assert_eq!(
        limited,
        Some((20, StatusCode::TOO_MANY_REQUESTS, json!("AI_RATE_LIMITED")))
    );
    app.stop().await;
}
