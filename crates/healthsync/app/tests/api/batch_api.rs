//! HS-BATCH-010…030 over HTTP: an admin starts the daily nudge for a date; a worker runs
//! it under the lease; lagging users with notifications on get exactly one nudge per day
//! (a rerun only fills gaps); the run report; admin only; a held lease refuses a second
//! runner.

use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_platform::with_db;

use crate::common::{Backend, Identity, TestApp, problem};
use crate::on_both_backends;

on_both_backends!(daily_nudge_once_per_user_and_day);

const RUNS: &str = "/api/v1/intelligence/batch/runs";

fn kst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap_or_default()
        - Duration::hours(9)
}

async fn token(app: &TestApp, sub: &str) -> String {
    let answer = app.sign_in(Identity::new(sub)).await;
    answer["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn body(resp: reqwest::Response, want: StatusCode) -> Value {
    let s = resp.status();
    let b: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!(s, want, "{b}");
    b
}

/// Sets a goal of the first two recommended missions; returns their ids.
async fn goal(app: &TestApp, t: &str) -> Vec<String> {
    let rec = body(
        app.post("/api/v1/intelligence/recommendations", json!({}), Some(t))
            .await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<String> = rec["missions"]
        .as_array()
        .map(|a| {
            a.iter()
                .take(2)
                .filter_map(|m| m["missionId"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let req = json!({ "recommendationId": rec["recommendationId"], "missionIds": ids });
    body(
        app.post("/api/v1/goals", req, Some(t)).await,
        StatusCode::CREATED,
    )
    .await;
    ids
}

async fn finished(app: &TestApp, admin: &str, run_id: &str) -> Value {
    for _ in 0..100 {
        let r = body(
            app.get(&format!("{RUNS}/{run_id}"), Some(admin)).await,
            StatusCode::OK,
        )
        .await;
        if r["state"] != "running" {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("batch run {run_id} did not finish");
}

async fn start(app: &TestApp, admin: &str, date: &str) -> String {
    // The job may not have been claimed yet when polled: wait for its report row.
    let started = body(
        app.post(RUNS, json!({ "date": date }), Some(admin)).await,
        StatusCode::ACCEPTED,
    )
    .await;
    let id = started["runId"].as_str().unwrap_or_default().to_string();
    for _ in 0..100 {
        if app.get(&format!("{RUNS}/{id}"), Some(admin)).await.status() == StatusCode::OK {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("batch run {id} never started");
}

async fn daily_nudge_once_per_user_and_day(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| {
        c.auth.admin_emails = vec!["batch-admin@example.com".into()];
        // The test starts runs itself; keep the scheduler quiet until late evening.
        c.batch.cron = "0 59 23 * * *".into();
    })
    .await
    else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let lagging = app.active_user("batch-lagging", "male", "1980-01-01").await;
    let on_track = app
        .active_user("batch-on-track", "female", "1985-01-01")
        .await;
    let quiet = app.active_user("batch-quiet", "male", "1990-01-01").await;
    goal(&app, &lagging).await;
    let missions = goal(&app, &on_track).await;
    goal(&app, &quiet).await;
    let off = json!({ "language": "ko", "notificationsEnabled": false, "aiConsent": false });
    assert_eq!(
        app.put("/api/v1/users/me/settings", off, Some(&quiet))
            .await
            .status(),
        StatusCode::OK
    );
    for day in [1, 2] {
        app.clock.set(kst(2027, 3, day, 12, 0));
        let t = token(&app, "batch-on-track").await;
        for m in &missions {
            let r = app
                .put(
                    &format!("/api/v1/goals/current/missions/{m}/completion"),
                    json!({}),
                    Some(&t),
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK);
        }
    }
    // 09:30 on 3 March: the evaluated day is 2 March.
    app.clock.set(kst(2027, 3, 3, 9, 30));
    let user = token(&app, "batch-lagging").await;
    let (s, _) = problem(app.post(RUNS, json!({}), Some(&user)).await).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = app.active_user("batch-admin", "female", "1975-05-05").await;
    for bad in ["2027-03-04", "-262143-01-01", "1999-12-31", "soon"] {
        let (s, b) = problem(app.post(RUNS, json!({ "date": bad }), Some(&admin)).await).await;
        assert_eq!(
            (s, b["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("date")),
            "{bad}"
        );
    }

    // The `user-registered` consumer welcomed the user; read it so counts below are the nudge's.
    let mut welcomed = false;
    for _ in 0..100 {
        let list = body(
            app.get("/api/v1/intelligence/notifications", Some(&user))
                .await,
            StatusCode::OK,
        )
        .await;
        if let Some(w) = list["items"]
            .as_array()
            .and_then(|a| a.iter().find(|n| n["kind"] == "welcome"))
        {
            assert_eq!(w["title"], "HealthSync에 오신 것을 환영해요");
            welcomed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(welcomed, "a welcome notification");
    assert_eq!(
        app.post(
            "/api/v1/intelligence/notifications/read-all",
            json!({}),
            Some(&user)
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );

    let first = start(&app, &admin, "2027-03-03").await;
    let r = finished(&app, &admin, &first).await;
    assert_eq!(r["state"], "succeeded", "{r}");
    assert_eq!(
        (r["runDate"].clone(), r["evaluatedDay"].clone()),
        (json!("2027-03-03"), json!("2027-03-02"))
    );
    assert_eq!(
        (
            r["candidates"].clone(),
            r["lagging"].clone(),
            r["notified"].clone(),
            r["skipped"].clone(),
            r["failed"].clone()
        ),
        (json!(3), json!(2), json!(1), json!(1), json!(0)),
        "{r}"
    );
    assert!(r["fallbackTemplates"].as_i64().unwrap_or(0) >= 1);
    let me = body(
        app.get("/api/v1/users/me", Some(&user)).await,
        StatusCode::OK,
    )
    .await;
    let id = uuid::Uuid::parse_str(me["id"].as_str().unwrap_or_default()).expect("user id");
    let params: Vec<String> = with_db!(&app.platform.db, |pool| sqlx::query_scalar(
        "SELECT params FROM notifications WHERE user_id = $1 AND kind = 'daily_nudge' AND date = '2027-03-03'"
    )
    .bind(id)
    .fetch_all(pool)
    .await)
    .expect("nudges");
    assert_eq!(params.len(), 1);
    let p: Value = serde_json::from_str(&params[0]).unwrap_or(Value::Null);
    let text = p["text"].as_str().unwrap_or_default();
    assert!(!text.is_empty() && text.chars().count() <= 80, "{text}");

    // The user sees it in their notifications, in the request's language.
    let list = body(
        app.get("/api/v1/intelligence/notifications?lang=en", Some(&user))
            .await,
        StatusCode::OK,
    )
    .await;
    let nudges: Vec<Value> = list["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|n| n["kind"] == "daily_nudge")
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(nudges.len(), 1, "{list}");
    let list = json!({ "items": nudges });
    assert_eq!(
        (
            list["items"][0]["kind"].clone(),
            list["items"][0]["title"].clone()
        ),
        (json!("daily_nudge"), json!("Today's missions"))
    );
    assert!(
        list["items"][0]["body"]
            .as_str()
            .is_some_and(|b| !b.is_empty() && b.chars().count() <= 80)
    );
    let unread = body(
        app.get(
            "/api/v1/intelligence/notifications/unread-count",
            Some(&user),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(unread["count"], 1);
    let nid = list["items"][0]["notificationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let other_read = app
        .post(
            &format!("/api/v1/intelligence/notifications/{nid}/read"),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        other_read.status(),
        StatusCode::NOT_FOUND,
        "only the owner marks it read"
    );
    let read = app
        .post(
            &format!("/api/v1/intelligence/notifications/{nid}/read"),
            json!({}),
            Some(&user),
        )
        .await;
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    let unread = body(
        app.get(
            "/api/v1/intelligence/notifications/unread-count",
            Some(&user),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(unread["count"], 0);
    let only_unread = body(
        app.get(
            "/api/v1/intelligence/notifications?unread=true",
            Some(&user),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(only_unread["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        app.post(
            "/api/v1/intelligence/notifications/read-all",
            json!({}),
            Some(&user)
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );

    // A rerun for the same date only fills gaps: nothing new.
    let second = start(&app, &admin, "2027-03-03").await;
    let r2 = finished(&app, &admin, &second).await;
    assert_eq!(
        (
            r2["state"].clone(),
            r2["notified"].clone(),
            r2["skipped"].clone()
        ),
        (json!("succeeded"), json!(0), json!(2))
    );
    let total: i64 = with_db!(&app.platform.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE kind = 'daily_nudge'"
    )
    .fetch_one(pool)
    .await)
    .expect("count");
    assert_eq!(total, 1);
    let list = body(app.get(RUNS, Some(&admin)).await, StatusCode::OK).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));

    // Exactly once across replicas: while another holds the lease, a runner refuses.
    let batch = app
        .app
        .as_ref()
        .and_then(|c| c.batch.clone())
        .expect("batch in target all");
    let now = tripgen_platform::Clock::now(&app.clock).timestamp_millis();
    let date = chrono::NaiveDate::from_ymd_opt(2027, 3, 3).expect("date");
    let lease = healthsync_intelligence::batch::run::lease_name(date);
    assert!(
        batch
            .runner
            .repo
            .take_lease(&lease, "other-replica", now, now + 60_000)
            .await
            .expect("lease")
    );
    let refused = batch.runner.run(date, uuid::Uuid::now_v7()).await;
    assert!(matches!(
        refused,
        Err(healthsync_intelligence::batch::run::RunError::LeaseHeld)
    ));
    // After the lease lapses (a killed run), another replica resumes.
    app.clock.advance(Duration::seconds(61));
    let resumed = batch
        .runner
        .run(date, uuid::Uuid::now_v7())
        .await
        .expect("resumed run");
    assert_eq!(resumed.notified, 0);
    app.stop().await;
}
