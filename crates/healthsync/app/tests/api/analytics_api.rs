//! The analytics stream in the embedded default (spec §8.2, §9): events written by the
//! real app over HTTP reach `data-dir/events/analytics-YYYY-MM-DD.jsonl` as
//! `{type, at, userKey, fields}` — the user as an HMAC, no health values, no free text.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::goals_support::*;
use crate::on_both_backends;

on_both_backends!(events_reach_the_analytics_log_without_personal_data);

/// Production's producer (`analytics.backend = "eventhub"`): the app's events arrive at a
/// local AMQP 1.0 broker (RabbitMQ's AMQP 1.0 plugin, TRIPGEN_TEST_AMQP_URL) as JSON-array
/// messages, read back here by an independent AMQP receiver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_reach_the_event_hub_producer() {
    use fe2o3_amqp::types::messaging::Body;
    use fe2o3_amqp::types::primitives::Value as AmqpValue;
    use fe2o3_amqp::{Connection, Receiver, Session};

    let Ok(url) = std::env::var("TRIPGEN_TEST_AMQP_URL") else {
        assert!(
            std::env::var("TRIPGEN_TEST_REQUIRE_AMQP").as_deref() != Ok("1"),
            "TRIPGEN_TEST_REQUIRE_AMQP=1 but TRIPGEN_TEST_AMQP_URL is not set"
        );
        eprintln!(
            "SKIPPED (AMQP): set TRIPGEN_TEST_AMQP_URL (scripts/test-services.sh starts RabbitMQ) to test the Event Hubs analytics producer"
        );
        return;
    };
    let address = format!("/queue/hs-analytics-{}", uuid::Uuid::now_v7().simple());
    // The receiver attaches first (and declares the queue on RabbitMQ).
    let mut conn = Connection::open("hs-analytics-test", url.as_str())
        .await
        .expect("AMQP connection");
    let mut session = Session::begin(&mut conn).await.expect("session");
    let mut receiver = Receiver::attach(&mut session, "analytics-test", address.as_str())
        .await
        .expect("receiver");

    let addr = address.clone();
    let Some(app) = TestApp::start_with(Backend::Sqlite, move |c| {
        c.analytics.backend = healthsync::analytics::AnalyticsBackend::Eventhub;
        c.analytics.eventhub.url = Some(url);
        c.analytics.eventhub.address = addr;
    })
    .await
    else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app
        .active_user("analytics-hub", "female", "1990-01-02")
        .await;
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    set_goal(&app, &t, &rec, &missions[..1]).await;

    let mut seen: Vec<Value> = Vec::new();
    while !["user-registered", "goal-set"]
        .iter()
        .all(|k| seen.iter().any(|e| e["type"] == *k))
    {
        let delivery =
            tokio::time::timeout(Duration::from_secs(30), receiver.recv::<Body<AmqpValue>>())
                .await
                .expect("a message within 30 s")
                .expect("a delivery");
        receiver.accept(&delivery).await.expect("accepted");
        let body = delivery.body();
        let bytes: Vec<u8> = body
            .try_as_data()
            .map(|d| d.flat_map(|b| b.to_vec()).collect())
            .unwrap_or_default();
        let batch: Vec<Value> = serde_json::from_slice(&bytes).expect("a JSON array body");
        assert!(!batch.is_empty());
        seen.extend(batch);
    }
    let goal = seen
        .iter()
        .find(|e| e["type"] == "goal-set")
        .cloned()
        .unwrap_or_default();
    assert_eq!(goal["fields"]["missionIds"], json!(&missions[..1]));
    assert_eq!(goal["userKey"].as_str().map(str::len), Some(64));
    assert!(!app.config.data_dir.join("events").exists(), "no file log");
    app.stop().await;
    let _ = receiver.close().await;
    let _ = session.end().await;
    let _ = conn.close().await;
}

fn lines(dir: &std::path::Path) -> Vec<Value> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        assert!(
            name.starts_with("analytics-") && name.ends_with(".jsonl"),
            "{name}"
        );
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        out.extend(text.lines().filter_map(|l| serde_json::from_str(l).ok()));
    }
    out
}

async fn events_reach_the_analytics_log_without_personal_data(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app.active_user("analytics", "male", "1985-04-10").await;
    let sync = app
        .post("/api/v1/health/checkups/sync", json!({}), Some(&t))
        .await;
    assert_eq!(sync.status(), StatusCode::OK);
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    set_goal(&app, &t, &rec, &missions[..2]).await;
    let done = app
        .put(&completion(&missions[0]), json!({}), Some(&t))
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let reset = app
        .post(
            "/api/v1/goals/current/reset",
            json!({ "reason": "other", "comment": "my private reason" }),
            Some(&t),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let me: Value = app
        .get("/api/v1/users/me", Some(&t))
        .await
        .json()
        .await
        .unwrap_or_default();
    let user_id = me["id"].as_str().unwrap_or_default().to_string();
    assert!(!user_id.is_empty(), "{me}");

    let dir = app.config.data_dir.join("events");
    let want: BTreeSet<&str> = [
        "user-registered",
        "health-synced",
        "goal-set",
        "mission-completed",
        "mission-reset",
    ]
    .into();
    let mut seen = Vec::new();
    // Events are consumed by the job workers, then batched: wait for them (no timing claim).
    for _ in 0..150 {
        seen = lines(&dir);
        let types: BTreeSet<&str> = seen.iter().filter_map(|e| e["type"].as_str()).collect();
        if want.is_subset(&types) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let types: BTreeSet<&str> = seen.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(want.is_subset(&types), "{seen:?}");
    let keys: BTreeSet<&str> = seen.iter().filter_map(|e| e["userKey"].as_str()).collect();
    assert_eq!(keys.len(), 1, "one user, one stable key: {seen:?}");
    let key = keys.iter().next().copied().unwrap_or_default();
    assert_eq!(key.len(), 64);
    let text = serde_json::to_string(&seen).unwrap_or_default();
    for secret in [
        user_id.as_str(),
        "riskLevel",
        "my private reason",
        "analytics@",
    ] {
        assert!(!text.contains(secret), "`{secret}` leaked: {text}");
    }
    let completed = seen
        .iter()
        .find(|e| e["type"] == "mission-completed")
        .cloned()
        .unwrap_or_default();
    assert_eq!(completed["fields"]["missionId"], json!(missions[0]));
    assert_eq!(completed["fields"]["streak"], 1);
    assert!(
        completed["at"]
            .as_str()
            .is_some_and(|a| a.starts_with("2027-03-01"))
    );
    let synced = seen
        .iter()
        .find(|e| e["type"] == "health-synced")
        .cloned()
        .unwrap_or_default();
    assert!(synced["fields"]["latestYear"].is_number(), "{synced}");
    app.stop().await;
}
