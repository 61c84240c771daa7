//! Requests that must leave nothing behind: bad input, incomplete trips, cancellation.

use super::*;

on_both_backends!(
    bad_requests_write_nothing,
    cancel_keeps_the_previous_schedule
);

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
