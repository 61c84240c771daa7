//! `serve --target goal|intelligence|batch` (spec §1): the goal and intelligence flows
//! through the gateway to separately running targets that call each other's `/internal/v1`
//! — a recommendation (intelligence ← user, health), a goal set from it (goal ←
//! intelligence), a completion and the celebration consumer, the rules' diagnosis and a
//! chat answer, the home screen's encouragement (intelligence ← goal), a reset (goal ←
//! intelligence), the daily batch run by the `batch` target (← goal, user), and a deleted
//! account erased across targets (health → goal, intelligence).

use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_platform::with_db;

use crate::common::split::start_split_with;
use crate::common::{Backend, problem};
use crate::goals_support::{CURRENT, completion, ids, json_ok, kst, recommend, set_goal, token};
use crate::on_both_backends;

on_both_backends!(goal_intelligence_and_batch_run_as_their_own_targets);

const RUNS: &str = "/api/v1/intelligence/batch/runs";

async fn goal_intelligence_and_batch_run_as_their_own_targets(backend: Backend) {
    let Some((app, targets)) = start_split_with(backend, |c| {
        c.auth.admin_emails = vec!["split-admin@example.com".into()];
        // The test starts the run itself; keep the batch target's scheduler quiet.
        c.batch.cron = "0 59 23 * * *".into();
    })
    .await
    else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app.active_user("split-goals", "male", "1984-03-03").await;
    let laggard = app
        .active_user("split-lagging", "female", "1986-06-06")
        .await;
    for who in [&t, &laggard] {
        let r = app
            .post("/api/v1/health/checkups/sync", json!({}), Some(who))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let latest = json_ok(
        app.get("/api/v1/health/checkups/latest", Some(&t)).await,
        StatusCode::OK,
    )
    .await;

    // The rules' diagnosis judges the health target's checkup for the user target's subject.
    let d = json_ok(
        app.get("/api/v1/intelligence/diagnosis", Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["generatedBy"], "rules");
    assert_eq!(d["checkupId"], latest["checkupId"]);
    assert_eq!(d["healthScore"], latest["healthScore"]);
    assert_eq!(d["lines"].as_array().map(Vec::len), Some(3), "{d}");

    // A goal from a recommendation: the goal target reads the offer from intelligence.
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    assert!(missions.len() >= 2, "{rec}");
    let goal = set_goal(&app, &t, &rec, &missions[..2]).await;
    assert_eq!(goal["missions"].as_array().map(Vec::len), Some(2), "{goal}");
    let lagging_rec = recommend(&app, &laggard).await;
    set_goal(&app, &laggard, &lagging_rec, &ids(&lagging_rec)[..1]).await;
    // An unknown recommendation is the intelligence target's 404, stated by the goal target.
    let (s, b) = problem(
        app.post(
            "/api/v1/goals",
            json!({ "recommendationId": uuid::Uuid::now_v7(), "missionIds": &missions[..1] }),
            Some(&t),
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::NOT_FOUND, json!("RECOMMENDATION_NOT_FOUND"))
    );

    // Completions on three days: the third makes a streak of 3 (+10 bonus points).
    for day in 1..=3 {
        app.clock.set(kst(2027, 3, day, 12, 0));
        let t = token(&app, "split-goals").await;
        for m in &missions[..2] {
            let done = json_ok(
                app.put(&completion(m), json!({}), Some(&t)).await,
                StatusCode::OK,
            )
            .await;
            assert_eq!(done["streak"], json!(day), "{done}");
        }
    }
    let t = token(&app, "split-goals").await;
    let current = json_ok(app.get(CURRENT, Some(&t)).await, StatusCode::OK).await;
    assert_eq!(current["missions"].as_array().map(Vec::len), Some(2));
    // The encouragement reads the goal target's window of this user.
    let e = json_ok(
        app.get("/api/v1/intelligence/encouragement", Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(e.is_object(), "{e}");
    // The intelligence target consumes `mission-completed` (the streak-3 celebration).
    let mut celebrated = false;
    for _ in 0..100 {
        let list = json_ok(
            app.get("/api/v1/intelligence/notifications", Some(&t))
                .await,
            StatusCode::OK,
        )
        .await;
        if list["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|n| n["kind"] == "celebration"))
        {
            celebrated = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(celebrated, "a notification from mission-completed");

    // A chat answer from the rules' FAQ.
    let a = json_ok(
        app.post(
            "/api/v1/intelligence/chat/messages",
            json!({ "message": "혈압은 어느 정도가 정상인가요?" }),
            Some(&t),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (a["responseType"].clone(), a["generatedBy"].clone()),
        (json!("answer"), json!("rules"))
    );

    // The daily batch: the intelligence target takes the admin's request, the batch target
    // runs it with the goal target's windows and the user target's recipients.
    app.active_user("split-admin", "female", "1975-05-05").await;
    app.clock.set(kst(2027, 3, 4, 9, 30));
    let admin = token(&app, "split-admin").await;
    let started = json_ok(
        app.post(RUNS, json!({ "date": "2027-03-04" }), Some(&admin))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let run_id = started["runId"].as_str().unwrap_or_default().to_string();
    let mut report = Value::Null;
    for _ in 0..150 {
        let r = app.get(&format!("{RUNS}/{run_id}"), Some(&admin)).await;
        if r.status() == StatusCode::OK {
            let b: Value = r.json().await.unwrap_or(Value::Null);
            if b["state"] != "running" {
                report = b;
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(report["state"], "succeeded", "{report}");
    assert_eq!(report["evaluatedDay"], "2027-03-03", "{report}");
    assert_eq!(
        (report["candidates"].clone(), report["notified"].clone()),
        (json!(2), json!(1)),
        "{report}"
    );
    let lagging = token(&app, "split-lagging").await;
    let list = json_ok(
        app.get("/api/v1/intelligence/notifications", Some(&lagging))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        list["items"]
            .as_array()
            .is_some_and(|a| a.iter().any(|n| n["kind"] == "daily_nudge")),
        "{list}"
    );

    // A reset asks the intelligence target for fresh recommendations without its missions.
    let t = token(&app, "split-goals").await;
    let reset = json_ok(
        app.post(
            &format!("{CURRENT}/reset"),
            json!({ "reason": "too_hard" }),
            Some(&t),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let fresh = ids(&reset["recommendation"]);
    assert!(!fresh.is_empty(), "{reset}");
    assert!(fresh.iter().all(|m| !missions[..2].contains(m)), "{reset}");

    // The batch target serves no public API; every target answers its probes.
    let r = app
        .http
        .get(format!("{}{RUNS}", targets.batch_base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for base in [
        &targets.goal_base,
        &targets.intelligence_base,
        &targets.batch_base,
    ] {
        let r = app
            .http
            .get(format!("{base}/health/ready"))
            .send()
            .await
            .expect("probe");
        assert_eq!(r.status(), StatusCode::OK, "{base}");
    }
    // Internal routes take service tokens only, and the gateway does not route them.
    let windows = "/internal/v1/goals/windows?from=2027-03-01&to=2027-03-03";
    let r = app
        .http
        .get(format!("{}{windows}", targets.goal_base))
        .bearer_auth(&t)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (s, _) = problem(app.get(windows, Some(&t)).await).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A deleted account: the health target's `user-deleted` consumer erases the goal and
    // intelligence targets' share too.
    let me = json_ok(app.get("/api/v1/users/me", Some(&t)).await, StatusCode::OK).await;
    let id = uuid::Uuid::parse_str(me["id"].as_str().unwrap_or_default()).expect("uuid");
    assert_eq!(
        app.delete("/api/v1/users/me", Some(&t)).await.status(),
        StatusCode::NO_CONTENT
    );
    let left = || {
        let db = app.platform.db.clone();
        async move {
            with_db!(&db, |pool| sqlx::query_scalar::<_, i64>(
                "SELECT (SELECT COUNT(*) FROM goals WHERE user_id = $1) \
                 + (SELECT COUNT(*) FROM mission_completions WHERE user_id = $1) \
                 + (SELECT COUNT(*) FROM recommendations WHERE user_id = $1)"
            )
            .bind(id)
            .fetch_one(pool)
            .await)
            .expect("count")
        }
    };
    let mut erased = false;
    for _ in 0..100 {
        if left().await == 0 {
            erased = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(erased, "goal and intelligence data erased across targets");
    app.stop().await;
    targets.stop().await;
}
