//! HS-GOAL-010…030 and HS-AI-020 over HTTP: recommendations, setting a goal, check-offs
//! per local day (Asia/Seoul) with streaks, points and celebrations, undo.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp, problem};
use crate::goals_support::*;
use crate::on_both_backends;

on_both_backends!(
    recommendation_and_goal_rules,
    check_off_across_local_midnight_streaks_points_and_undo,
);

async fn recommendation_and_goal_rules(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 9, 0));
    let t = app.active_user("goal-rules", "male", "1985-04-10").await;
    // Without a checkup: from the occupation only.
    let r0 = recommend(&app, &t).await;
    assert_eq!(r0["basedOnCheckup"], false);
    let sync = app
        .post("/api/v1/health/checkups/sync", json!({}), Some(&t))
        .await;
    assert_eq!(sync.status(), StatusCode::OK);
    let rec = recommend(&app, &t).await;
    assert_eq!(rec["basedOnCheckup"], true);
    assert_eq!(rec["generatedBy"], "rules");
    let missions = ids(&rec);
    assert_eq!(missions.len(), 5);
    let mut distinct = missions.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 5);
    for cat in ["exercise", "diet", "lifestyle"] {
        let n = rec["missions"]
            .as_array()
            .map(|a| a.iter().filter(|m| m["category"] == cat).count())
            .unwrap_or(0);
        assert!(n <= 2, "{cat}: {rec}");
    }
    for m in rec["missions"].as_array().into_iter().flatten() {
        let minutes = m["minutes"].as_i64().unwrap_or(0);
        assert!((5..=30).contains(&minutes), "{m}");
        assert!(
            m["healthBenefit"]
                .as_str()
                .is_some_and(|s| s.chars().count() <= 80)
        );
        assert!(
            m["occupationRelevance"]
                .as_str()
                .is_some_and(|s| s.chars().count() <= 80)
        );
    }
    assert!(
        rec["reason"]
            .as_str()
            .is_some_and(|s| !s.is_empty() && s.chars().count() <= 200)
    );
    // The same set for 2 hours.
    app.clock.advance(Duration::minutes(20));
    let t = token(&app, "goal-rules").await;
    assert_eq!(
        recommend(&app, &t).await["recommendationId"],
        rec["recommendationId"]
    );

    // No goal yet.
    assert_eq!(
        code_of(app.get(CURRENT, Some(&t)).await).await,
        (StatusCode::NOT_FOUND, json!("NO_ACTIVE_GOAL"))
    );
    // 1–5 missions, distinct, from the recommendation.
    let post = |body: Value| app.post(GOALS, body, Some(&t));
    let rid = rec["recommendationId"].clone();
    let (s, b) = problem(post(json!({ "recommendationId": rid, "missionIds": [] })).await).await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("VALIDATION_FAILED"))
    );
    assert_eq!(b["errors"][0]["field"], "missionIds");
    let six: Vec<&String> = missions.iter().chain(missions.iter().take(1)).collect();
    assert_eq!(
        code_of(post(json!({ "recommendationId": rid, "missionIds": six })).await)
            .await
            .1,
        json!("VALIDATION_FAILED")
    );
    let dup = [&missions[0], &missions[0]];
    assert_eq!(
        code_of(post(json!({ "recommendationId": rid, "missionIds": dup })).await).await,
        (StatusCode::UNPROCESSABLE_ENTITY, json!("DUPLICATE_MISSION"))
    );
    let outsider = ["no-such-mission"];
    assert_eq!(
        code_of(post(json!({ "recommendationId": rid, "missionIds": outsider })).await).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("MISSION_NOT_RECOMMENDED")
        )
    );
    assert_eq!(
        code_of(post(json!({ "recommendationId": "nope", "missionIds": [&missions[0]] })).await)
            .await
            .1,
        json!("VALIDATION_FAILED")
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        code_of(post(json!({ "recommendationId": unknown, "missionIds": [&missions[0]] })).await)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let malformed = app
        .http
        .post(app.url(GOALS))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("request");
    assert_eq!(code_of(malformed).await.0, StatusCode::BAD_REQUEST);

    let goal = set_goal(&app, &t, &rec, &missions[..3]).await;
    assert_eq!(goal["startDate"], "2027-03-01");
    assert_eq!(goal["missions"].as_array().map(Vec::len), Some(3));
    let cur = json_ok(app.get(CURRENT, Some(&t)).await, StatusCode::OK).await;
    assert_eq!(cur["goalId"], goal["goalId"]);
    assert_eq!(cur["totalMissions"], 3);
    assert_eq!(cur["todayCompleted"], 0);
    assert_eq!(cur["date"], "2027-03-01");
    assert!(
        cur["missions"][0]["title"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );

    // A refreshed recommendation; the new goal may keep a mission of the current goal.
    let fresh = json_ok(
        app.post(&format!("{RECS}?refresh=true"), json!({}), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(fresh["recommendationId"], rec["recommendationId"]);
    let kept = missions[0].clone();
    let mut next = vec![kept.clone()];
    next.extend(ids(&fresh).into_iter().filter(|m| *m != kept).take(2));
    let g2 = set_goal(&app, &t, &fresh, &next).await;
    assert_ne!(g2["goalId"], goal["goalId"]);
    let cur = json_ok(app.get(CURRENT, Some(&t)).await, StatusCode::OK).await;
    assert_eq!(cur["goalId"], g2["goalId"], "one active goal: the new one");

    // A recommendation older than 24 hours cannot set a goal.
    app.clock.advance(Duration::hours(25));
    let t = token(&app, "goal-rules").await;
    let (s, b) = problem(
        app.post(
            GOALS,
            json!({ "recommendationId": fresh["recommendationId"], "missionIds": [&next[1]] }),
            Some(&t),
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, b["code"].clone()),
        (StatusCode::GONE, json!("RECOMMENDATION_EXPIRED"))
    );
    let (s, _) = problem(
        app.post(&format!("{RECS}?refresh=maybe"), json!({}), Some(&t))
            .await,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

async fn check_off_across_local_midnight_streaks_points_and_undo(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    app.clock.set(kst(2027, 3, 1, 23, 50));
    let t = app.active_user("streaks", "female", "1990-01-02").await;
    let rec = recommend(&app, &t).await;
    let missions = ids(&rec);
    set_goal(&app, &t, &rec, &missions[..2]).await;
    let a = missions[0].clone();
    // 23:59 local on 1 March.
    app.clock.set(kst(2027, 3, 1, 23, 59));
    let first = json_ok(
        app.put(&completion(&a), json!({ "notes": "점심 후" }), Some(&t))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            first["date"].clone(),
            first["streak"].clone(),
            first["earnedPoints"].clone()
        ),
        (json!("2027-03-01"), json!(1), json!(10))
    );
    assert_eq!(first["completed"], true);
    assert_eq!(first["todayCompleted"], 1);
    assert_eq!(first["totalMissions"], 2);
    assert!(first.get("celebration").is_none());
    // A repeat the same day changes nothing and answers the same.
    let again = json_ok(
        app.put(&completion(&a), json!({}), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again, first);
    // 00:01 local: 2 March, a new day; the streak continues.
    app.clock.set(kst(2027, 3, 2, 0, 1));
    let second = json_ok(
        app.put(&completion(&a), json!({}), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            second["date"].clone(),
            second["streak"].clone(),
            second["earnedPoints"].clone(),
            second["totalPoints"].clone()
        ),
        (json!("2027-03-02"), json!(2), json!(10), json!(20))
    );
    // Day 3: 20 points and the first celebration.
    app.clock.set(kst(2027, 3, 3, 8, 0));
    let t = token(&app, "streaks").await;
    let third = json_ok(
        app.put(&completion(&a), json!({}), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            third["streak"].clone(),
            third["earnedPoints"].clone(),
            third["totalPoints"].clone()
        ),
        (json!(3), json!(20), json!(40))
    );
    assert_eq!(third["celebration"]["badge"], "streak_3");
    assert!(
        third["celebration"]["message"]
            .as_str()
            .is_some_and(|m| m.chars().count() <= 100)
    );
    // The `mission-completed` consumer stores one celebration notification (HS-AI-050).
    let mut celebration = Value::Null;
    for _ in 0..100 {
        let list = json_ok(
            app.get("/api/v1/intelligence/notifications", Some(&t))
                .await,
            StatusCode::OK,
        )
        .await;
        if let Some(c) = list["items"]
            .as_array()
            .and_then(|a| a.iter().find(|n| n["kind"] == "celebration"))
        {
            celebration = c.clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(celebration["title"], "축하해요!", "{celebration}");
    assert!(
        celebration["body"]
            .as_str()
            .is_some_and(|b| b.contains('3') && b.chars().count() <= 100)
    );
    // Undo reverses exactly the points earned.
    let undone = json_ok(app.delete(&completion(&a), Some(&t)).await, StatusCode::OK).await;
    assert_eq!(
        (
            undone["completed"].clone(),
            undone["earnedPoints"].clone(),
            undone["totalPoints"].clone(),
            undone["streak"].clone()
        ),
        (json!(false), json!(-20), json!(20), json!(2))
    );
    let noop = json_ok(app.delete(&completion(&a), Some(&t)).await, StatusCode::OK).await;
    assert_eq!(
        (noop["earnedPoints"].clone(), noop["totalPoints"].clone()),
        (json!(0), json!(20))
    );
    let redo = json_ok(
        app.put(&completion(&a), json!({}), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (redo["streak"].clone(), redo["earnedPoints"].clone()),
        (json!(3), json!(20))
    );
    // Days 4–7: 20, 20, 20, then 30 at streak 7 with its celebration.
    let mut last = redo;
    for day in 4..=7 {
        app.clock.set(kst(2027, 3, day, 12, 0));
        let t = token(&app, "streaks").await;
        last = json_ok(
            app.put(&completion(&a), json!({}), Some(&t)).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            last["earnedPoints"],
            if day == 7 { 30 } else { 20 },
            "day {day}"
        );
        assert_eq!(last["celebration"].is_object(), day == 7, "day {day}");
    }
    assert_eq!(last["streak"], 7);
    assert_eq!(last["bestStreak"], 7);
    assert_eq!(last["totalCompleted"], 7);
    assert_eq!(last["totalPoints"], 10 + 10 + 20 * 4 + 30);
    // Yesterday's streak still shows today until the day passes without a check-off.
    app.clock.set(kst(2027, 3, 8, 12, 0));
    let t = token(&app, "streaks").await;
    let cur = json_ok(app.get(CURRENT, Some(&t)).await, StatusCode::OK).await;
    let ma = cur["missions"]
        .as_array()
        .and_then(|m| m.iter().find(|x| x["missionId"] == a.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (
            ma["completedToday"].clone(),
            ma["currentStreak"].clone(),
            ma["bestStreak"].clone()
        ),
        (json!(false), json!(7), json!(7))
    );
    assert_eq!(cur["points"]["today"], 0);
    assert_eq!(cur["points"]["total"], 130);
    app.clock.set(kst(2027, 3, 9, 12, 0));
    let t = token(&app, "streaks").await;
    let cur = json_ok(app.get(CURRENT, Some(&t)).await, StatusCode::OK).await;
    let ma = cur["missions"]
        .as_array()
        .and_then(|m| m.iter().find(|x| x["missionId"] == a.as_str()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(ma["currentStreak"], 0);
    let restart = json_ok(
        app.put(&completion(&a), json!({}), Some(&t)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            restart["streak"].clone(),
            restart["earnedPoints"].clone(),
            restart["bestStreak"].clone()
        ),
        (json!(1), json!(10), json!(7))
    );
    let cur = json_ok(app.get(CURRENT, Some(&t)).await, StatusCode::OK).await;
    assert_eq!(
        (
            cur["todayCompleted"].clone(),
            cur["todayRate"].clone(),
            cur["points"]["today"].clone()
        ),
        (json!(1), json!(50.0), json!(10))
    );
    // Not in the goal; notes too long.
    assert_eq!(
        code_of(
            app.put(&completion("no-such-mission"), json!({}), Some(&t))
                .await
        )
        .await,
        (StatusCode::NOT_FOUND, json!("MISSION_NOT_FOUND"))
    );
    let long = "가".repeat(201);
    let (s, b) = problem(
        app.put(
            &completion(&missions[1]),
            json!({ "notes": long }),
            Some(&t),
        )
        .await,
    )
    .await;
    assert_eq!(
        (s, b["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("notes"))
    );
    // A user without a goal.
    let other = app.active_user("no-goal", "male", "1980-02-02").await;
    assert_eq!(
        code_of(app.put(&completion(&a), json!({}), Some(&other)).await)
            .await
            .1,
        json!("NO_ACTIVE_GOAL")
    );
    app.stop().await;
}
