//! HS-GOAL-040…060 and HS-AI-040 over HTTP: history and statistics, encouragement,
//! resets with reason and daily limit, the points ledger.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp, problem};
use crate::goals_support::*;
use crate::on_both_backends;

on_both_backends!(
    cached_history_follows_every_change,
    history_and_statistics,
    reset_with_reason_and_daily_limit,
    points_ledger_pages,
);

async fn history(app: &TestApp, t: &str) -> Value {
    json_ok(
        app.get("/api/v1/goals/history", Some(t)).await,
        StatusCode::OK,
    )
    .await
}

/// `GET /goals/history` is served from the response cache (Redis too when
/// TRIPGEN_TEST_REDIS_URL is set, on PostgreSQL): every check-off, undo, new goal and the
/// next local day show at once.
async fn cached_history_follows_every_change(backend: Backend) {
    let redis = std::env::var("TRIPGEN_TEST_REDIS_URL").ok();
    let Some(app) = TestApp::start_with(backend, |c| {
        if c.database.url.is_some() {
            c.redis.url = redis;
        }
    })
    .await
    else {
        return;
    };
    app.clock.set(kst(2027, 3, 2, 20, 0));
    let t = app
        .active_user("history-cache", "female", "1988-02-02")
        .await;
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    set_goal(&app, &t, &rec, &missions[..1]).await;
    let a = missions[0].clone();
    let today = |h: &Value| {
        h["daily"]
            .as_array()
            .and_then(|d| d.last())
            .map(|d| {
                (
                    d["date"].clone(),
                    d["completed"].clone(),
                    d["active"].clone(),
                )
            })
            .unwrap_or_default()
    };
    assert_eq!(
        today(&history(&app, &t).await),
        (json!("2027-03-02"), json!(0), json!(1))
    );
    // Twice: the second answer comes from the cache and is the same.
    assert_eq!(
        today(&history(&app, &t).await),
        (json!("2027-03-02"), json!(0), json!(1))
    );
    app.put(&completion(&a), json!({}), Some(&t)).await;
    assert_eq!(
        today(&history(&app, &t).await),
        (json!("2027-03-02"), json!(1), json!(1))
    );
    app.delete(&completion(&a), Some(&t)).await;
    assert_eq!(
        today(&history(&app, &t).await),
        (json!("2027-03-02"), json!(0), json!(1))
    );
    app.put(&completion(&a), json!({}), Some(&t)).await;
    let h = history(&app, &t).await;
    assert_eq!(h["bestStreak"], 1);
    // A second mission in a new goal shows at once.
    let rec = recommend(&app, &t).await;
    let two = ids(&rec);
    set_goal(&app, &t, &rec, &two[..2]).await;
    let h = history(&app, &t).await;
    assert!(today(&h).2.as_i64().is_some_and(|n| n >= 2), "{h}");
    // The next local day (a new key): today's row moves.
    app.clock.set(kst(2027, 3, 3, 0, 1));
    let t = token(&app, "history-cache").await;
    let h = json_ok(
        app.get("/api/v1/goals/history", Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(today(&h).0, json!("2027-03-03"));
    app.stop().await;
}

async fn history_and_statistics(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app.active_user("history", "male", "1979-09-09").await;
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    set_goal(&app, &t, &rec, &missions[..2]).await;
    let (a, b) = (missions[0].clone(), missions[1].clone());
    // 1–4 March: `a` every day, `b` on 1 and 2 March.
    for day in 1..=4 {
        app.clock.set(kst(2027, 3, day, 20, 0));
        let t = token(&app, "history").await;
        app.put(&completion(&a), json!({}), Some(&t)).await;
        if day <= 2 {
            app.put(&completion(&b), json!({}), Some(&t)).await;
        }
    }
    let t = token(&app, "history").await;
    let url = "/api/v1/goals/history?from=2027-03-01&to=2027-03-04";
    let h = json_ok(app.get(url, Some(&t)).await, StatusCode::OK).await;
    assert_eq!(
        h["period"],
        json!({ "from": "2027-03-01", "to": "2027-03-04" })
    );
    assert_eq!(h["periodAchievementRate"], 75.0);
    assert_eq!(h["totalAchievementRate"], 75.0);
    assert_eq!(h["bestStreak"], 4);
    let ma = h["missions"]
        .as_array()
        .and_then(|m| m.iter().find(|x| x["missionId"] == a.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            ma["achievementRate"].clone(),
            ma["completedDays"].clone(),
            ma["activeDays"].clone(),
            ma["bestStreak"].clone()
        ),
        (json!(100.0), json!(4), json!(4), json!(4))
    );
    let mb = h["missions"]
        .as_array()
        .and_then(|m| m.iter().find(|x| x["missionId"] == b.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(mb["achievementRate"], 50.0);
    assert_eq!(h["daily"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        h["daily"][3],
        json!({ "date": "2027-03-04", "completed": 1, "active": 2, "rate": 50.0 })
    );
    assert_eq!(h["weekly"][0]["weekStart"], "2027-03-01");
    let n = h["insights"].as_array().map(Vec::len).unwrap_or(0);
    assert!((1..=3).contains(&n), "{h}");
    // Filtered by mission.
    let only_b = json_ok(
        app.get(&format!("{url}&missionIds={b}"), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(only_b["periodAchievementRate"], 50.0);
    assert_eq!(only_b["missions"].as_array().map(Vec::len), Some(1));
    // Default: the last 30 days ending today.
    let d = json_ok(
        app.get("/api/v1/goals/history", Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        d["period"],
        json!({ "from": "2027-02-03", "to": "2027-03-04" })
    );
    assert_eq!(d["daily"][0]["rate"], Value::Null, "no active days → null");
    // Bad periods.
    for (q, field) in [
        ("?to=2027-03-05", "to"),
        ("?from=2027-03-04&to=2027-03-01", "from"),
        ("?from=2026-01-01&to=2027-03-04", "from"),
        ("?from=03/01/2027", "from"),
        ("?to=-262143-01-01", "to"),
        ("?from=0001-01-01&to=0001-01-02", "to"),
    ] {
        let (s, body) = problem(
            app.get(&format!("/api/v1/goals/history{q}"), Some(&t))
                .await,
        )
        .await;
        assert_eq!(
            (s, body["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field)),
            "{q}"
        );
    }
    // The home screen's encouragement (HS-AI-040): 6 of 8 mission-days in the last 7 days.
    let e = json_ok(
        app.get("/api/v1/intelligence/encouragement", Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            e["motivationType"].clone(),
            e["urgency"].clone(),
            e["date"].clone()
        ),
        (json!("habit_formation"), json!("low"), json!("2027-03-04"))
    );
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains('1') && m.chars().count() <= 100),
        "{e}"
    );
    assert!(e["tip"].as_str().is_some_and(|m| m.chars().count() <= 80));
    let nobody = app
        .active_user("no-goal-encouragement", "male", "1970-01-01")
        .await;
    let (s, b) = problem(
        app.get("/api/v1/intelligence/encouragement", Some(&nobody))
            .await,
    )
    .await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::NOT_FOUND, json!("NO_ACTIVE_GOAL"))
    );
    app.stop().await;
}

async fn reset_with_reason_and_daily_limit(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app.active_user("resets", "female", "1992-12-12").await;
    let reset = "/api/v1/goals/current/reset";
    assert_eq!(
        code_of(
            app.post(reset, json!({ "reason": "too_hard" }), Some(&t))
                .await
        )
        .await
        .1,
        json!("NO_ACTIVE_GOAL")
    );
    let mut rec = recommend(&app, &t).await;
    for round in 0..3 {
        let missions = ids(&rec);
        set_goal(&app, &t, &rec, &missions[..2]).await;
        if round == 0 {
            let (s, b) = problem(
                app.post(reset, json!({ "reason": "bored" }), Some(&t))
                    .await,
            )
            .await;
            assert_eq!(
                (s, b["errors"][0]["field"].clone()),
                (StatusCode::UNPROCESSABLE_ENTITY, json!("reason"))
            );
            let (s, b) = problem(
                app.post(reset, json!({ "reason": "other" }), Some(&t))
                    .await,
            )
            .await;
            assert_eq!(
                (s, b["errors"][0]["field"].clone()),
                (StatusCode::UNPROCESSABLE_ENTITY, json!("comment"))
            );
            let long = "x".repeat(201);
            let (s, _) = problem(
                app.post(
                    reset,
                    json!({ "reason": "too_easy", "comment": long }),
                    Some(&t),
                )
                .await,
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let body = json_ok(
            app.post(
                reset,
                json!({ "reason": "other", "comment": "바빠서" }),
                Some(&t),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        assert!(body["resetAt"].is_string());
        let next = body["recommendation"].clone();
        assert_eq!(ids(&next).len(), 5);
        assert!(
            ids(&next).iter().all(|m| !missions[..2].contains(m)),
            "ended missions excluded: {next}"
        );
        assert_eq!(
            code_of(app.get(CURRENT, Some(&t)).await).await.1,
            json!("NO_ACTIVE_GOAL")
        );
        // The reset's recommendation is the current one.
        assert_eq!(
            recommend(&app, &t).await["recommendationId"],
            next["recommendationId"]
        );
        rec = next;
    }
    set_goal(&app, &t, &rec, &ids(&rec)[..1]).await;
    let resp = app
        .post(reset, json!({ "reason": "no_time" }), Some(&t))
        .await;
    assert!(resp.headers().contains_key("retry-after"));
    assert_eq!(
        code_of(resp).await,
        (StatusCode::TOO_MANY_REQUESTS, json!("RESET_LIMIT"))
    );
    // The next local day allows resets again.
    app.clock.set(kst(2027, 3, 2, 0, 5));
    let t = token(&app, "resets").await;
    let ok = app
        .post(reset, json!({ "reason": "no_time" }), Some(&t))
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    app.stop().await;
}

async fn points_ledger_pages(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app.active_user("ledger", "male", "1988-08-08").await;
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    set_goal(&app, &t, &rec, &missions[..3]).await;
    for m in &missions[..3] {
        app.clock.advance(Duration::seconds(1));
        app.put(&completion(m), json!({}), Some(&t)).await;
    }
    app.clock.advance(Duration::seconds(1));
    app.delete(&completion(&missions[2]), Some(&t)).await;
    let p1 = json_ok(
        app.get("/api/v1/goals/points?limit=3", Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(p1["total"], 20);
    let items = p1["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 3);
    assert_eq!(
        (items[0]["reason"].clone(), items[0]["points"].clone()),
        (json!("undo"), json!(-10))
    );
    assert_eq!(items[1]["missionId"], missions[2].as_str());
    assert_eq!(items[0]["date"], "2027-03-01");
    let cursor = p1["nextCursor"].as_str().unwrap_or_default().to_string();
    assert!(!cursor.is_empty());
    let p2 = json_ok(
        app.get(
            &format!("/api/v1/goals/points?limit=3&cursor={cursor}"),
            Some(&t),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(p2["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(p2["items"][0]["missionId"], missions[0].as_str());
    assert_eq!(p2["nextCursor"], Value::Null);
    for q in ["?limit=0", "?limit=51", "?cursor=garbage"] {
        let (s, _) = problem(app.get(&format!("/api/v1/goals/points{q}"), Some(&t)).await).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
    app.stop().await;
}
