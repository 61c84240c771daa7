//! Status and wizard steps in a far time zone, list search/sort/pages, the dashboard,
//! delete and restore.

use super::*;

on_both_backends!(
    status_and_steps_around_midnight_in_a_far_zone,
    list_search_sort_and_stable_pages,
    dashboard_summary,
    delete_restore_and_multi_delete,
);

/// Moves the clock and signs in again (access tokens expire by the same clock).
async fn clock_at(app: &TestApp, user: &str, at: &str) -> String {
    app.clock.set(utc(at));
    token(app, user).await
}

async fn token(app: &TestApp, user: &str) -> String {
    let v = json_of(app.login(user, PASSWORD).await, StatusCode::OK).await;
    v["accessToken"].as_str().unwrap().to_string()
}

async fn summary_counts(app: &TestApp, tok: &str) -> (i64, i64, i64, Value) {
    let v = json_of(
        app.get("/api/v1/trips/summary", Some(tok)).await,
        StatusCode::OK,
    )
    .await;
    (
        v["planning"]["count"].as_i64().unwrap(),
        v["ongoing"]["count"].as_i64().unwrap(),
        v["completed"]["count"].as_i64().unwrap(),
        v,
    )
}

async fn status_and_steps_around_midnight_in_a_far_zone(backend: Backend) {
    let Some((_s, app)) = boot_at(backend, "2026-03-01T00:00:00Z").await else {
        return;
    };
    let (tok, _) = app.user("carol01").await;
    let id = new_trip(&app, &tok, "Kiwi").await;
    let url = format!("/api/v1/trips/{id}");
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(t["step"]["current"], "destinations");
    let missing: Vec<&str> = t["step"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["startDate", "destinations"]);
    let t = set_destinations(
        &app,
        &tok,
        &id,
        "2026-03-10",
        json!([{ "destinationName": "Auckland", "nights": 2 }]),
    )
    .await;
    assert_eq!(t["step"]["current"], "generation");
    assert_eq!(t["step"]["missing"][0]["code"], "REQUIRED");
    // Seoul, same dates: its midnight comes 4 hours later (UTC+9 vs NZDT UTC+13).
    let seoul = new_trip(&app, &tok, "Seoul").await;
    set_destinations(
        &app,
        &tok,
        &seoul,
        "2026-03-10",
        json!([{ "destinationName": "Seoul", "nights": 2 }]),
    )
    .await;

    let status = |v: &Value| v["status"].as_str().unwrap().to_string();
    assert_eq!(summary_counts(&app, &tok).await.0, 2);
    // One second before local midnight of 2026-03-10 in Auckland (NZDT, UTC+13).
    let tok = clock_at(&app, "carol01", "2026-03-09T10:59:59Z").await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(status(&t), "planning");
    assert!(t["progress"].is_null());
    assert_eq!(summary_counts(&app, &tok).await.0, 2);
    let tok = clock_at(&app, "carol01", "2026-03-09T11:00:00Z").await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(status(&t), "ongoing");
    assert_eq!(t["progress"]["dayNumber"], 1);
    assert_eq!(t["progress"]["badge"], "D+1");
    assert_eq!(t["progress"]["percent"], 0);
    // The dashboard follows the clock although nothing was written.
    let (planning, ongoing, completed, v) = summary_counts(&app, &tok).await;
    assert_eq!((planning, ongoing, completed), (1, 1, 0));
    assert_eq!(v["ongoing"]["items"][0]["badge"], "D+1");
    assert_eq!(v["planning"]["items"][0]["tripName"], "Seoul");
    let list = json_of(
        app.get("/api/v1/trips?status=ongoing", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id.as_str());
    // Seoul starts at 15:00 UTC.
    let tok = clock_at(&app, "carol01", "2026-03-09T14:59:59Z").await;
    assert_eq!(
        status(
            &json_of(
                app.get(&format!("/api/v1/trips/{seoul}"), Some(&tok)).await,
                StatusCode::OK
            )
            .await
        ),
        "planning"
    );
    let tok = clock_at(&app, "carol01", "2026-03-09T15:00:00Z").await;
    assert_eq!(
        status(
            &json_of(
                app.get(&format!("/api/v1/trips/{seoul}"), Some(&tok)).await,
                StatusCode::OK
            )
            .await
        ),
        "ongoing"
    );
    assert_eq!(summary_counts(&app, &tok).await.1, 2);
    // Local midnight of the third day in Auckland: D+3, two thirds elapsed.
    let tok = clock_at(&app, "carol01", "2026-03-11T11:00:00Z").await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(
        (
            t["progress"]["badge"].as_str(),
            t["progress"]["percent"].as_i64()
        ),
        (Some("D+3"), Some(66))
    );
    // Last second of the end date, local time.
    let tok = clock_at(&app, "carol01", "2026-03-12T10:59:59Z").await;
    assert_eq!(
        status(&json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await),
        "ongoing"
    );
    let tok = clock_at(&app, "carol01", "2026-03-12T11:00:00Z").await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(status(&t), "completed");
    let (_, ongoing, completed, v) = summary_counts(&app, &tok).await;
    assert_eq!((ongoing, completed), (1, 1));
    assert_eq!(v["completed"]["items"][0]["badge"], "Completed");
    let list = json_of(
        app.get("/api/v1/trips?status=completed", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"][0]["id"], id.as_str());
    let tok = clock_at(&app, "carol01", "2026-03-12T15:00:00Z").await;
    assert_eq!(summary_counts(&app, &tok).await.2, 2);

    // Steps: a generated schedule completes the wizard; a change of destinations makes
    // it outdated.
    generate(&app, &id).await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(
        (t["step"]["current"].as_str(), t["step"]["number"].as_i64()),
        (Some("schedule"), Some(4))
    );
    assert!(t["step"]["missing"].as_array().unwrap().is_empty());
    assert_eq!(t["schedule"]["state"], "ready");
    assert_eq!(t["schedule"]["generation"]["state"], "completed");
    let t = set_destinations(
        &app,
        &tok,
        &id,
        "2026-03-10",
        json!([{ "destinationName": "Auckland", "nights": 3 }]),
    )
    .await;
    assert_eq!(t["step"]["current"], "generation");
    assert_eq!(t["step"]["missing"][0]["code"], "OUTDATED");
    assert_eq!(t["schedule"]["state"], "outdated");
    app.stop().await;
}

async fn list_search_sort_and_stable_pages(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("dave001").await;
    let names = [
        "Alpha", "bravo", "Charlie", "Delta", "echo", "Foxtrot", "Golf",
    ];
    let mut ids = Vec::new();
    for n in names {
        app.clock.advance(Duration::seconds(1));
        ids.push(new_trip(&app, &tok, n).await);
    }
    set_destinations(
        &app,
        &tok,
        &ids[2],
        "2026-07-01",
        json!([{ "destinationName": "Porto", "nights": 2 }]),
    )
    .await;
    set_destinations(
        &app,
        &tok,
        &ids[3],
        "2026-06-15",
        json!([{ "destinationName": "München", "nights": 2 }]),
    )
    .await;
    set_destinations(
        &app,
        &tok,
        &ids[4],
        "2026-08-01",
        json!([{ "destinationName": "London", "nights": 2 }]),
    )
    .await;
    let list = |q: String| {
        let app = &app;
        let tok = &tok;
        async move {
            let v = json_of(
                app.get(&format!("/api/v1/trips?{q}"), Some(tok)).await,
                StatusCode::OK,
            )
            .await;
            let names: Vec<String> = v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["tripName"].as_str().unwrap().to_string())
                .collect();
            (names, v)
        }
    };
    // Search on trip and city names, case-insensitively; LIKE wildcards are literal.
    assert_eq!(list("q=porto".into()).await.0, ["Charlie"]);
    assert_eq!(list("q=MÜNCH".into()).await.0, ["Delta"]);
    assert_eq!(list("q=munich".into()).await.0, ["Delta"]);
    assert_eq!(list("q=FOX".into()).await.0, ["Foxtrot"]);
    assert_eq!(list("q=%25".into()).await.1["total"], 0);
    // Sorts.
    assert_eq!(list("sort=name".into()).await.0, names);
    assert_eq!(list("sort=oldest".into()).await.0, names);
    let newest: Vec<&str> = names.iter().rev().copied().collect();
    assert_eq!(list("".into()).await.0, newest);
    let by_start = list("sort=startDate".into()).await.0;
    assert_eq!(&by_start[..3], ["Delta", "Charlie", "echo"]);
    assert_eq!(by_start.len(), 7);
    // Offset pages.
    let (page2, v) = list("page=2&size=3".into()).await;
    assert_eq!(page2, ["Delta", "Charlie", "bravo"]);
    assert_eq!(
        (v["total"].as_i64(), v["page"].as_i64(), v["size"].as_i64()),
        (Some(7), Some(2), Some(3))
    );
    // Bad parameters.
    for (q, field, code) in [
        ("size=51", "size", "TOO_LARGE"),
        ("size=0", "size", "INVALID_VALUE"),
        ("status=done", "status", "INVALID_VALUE"),
        ("sort=random", "sort", "INVALID_VALUE"),
        ("cursor=xyz", "cursor", "INVALID_VALUE"),
        ("page=0", "page", "INVALID_VALUE"),
    ] {
        let p = problem(
            app.get(&format!("/api/v1/trips?{q}"), Some(&tok)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(has(&p, field, code), "{q}: {p}");
    }
    let (_, v) = list("size=50".into()).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 7);
    assert!(v["nextCursor"].is_null());

    // Cursor pages are stable under inserts: new trips do not shift the pages after them.
    let (p1, v) = list("size=3".into()).await;
    assert_eq!(p1, ["Golf", "Foxtrot", "echo"]);
    let c1 = v["nextCursor"].as_str().unwrap().to_string();
    for n in ["Hotel", "India"] {
        app.clock.advance(Duration::seconds(1));
        new_trip(&app, &tok, n).await;
    }
    let (p2, v) = list(format!("size=3&cursor={c1}")).await;
    assert_eq!(p2, ["Delta", "Charlie", "bravo"]);
    assert_eq!(v["total"], 9);
    let c2 = v["nextCursor"].as_str().unwrap().to_string();
    // Also under deletes of rows already seen.
    assert_eq!(
        app.delete(&format!("/api/v1/trips/{}", ids[6]), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (p3, v) = list(format!("size=3&cursor={c2}")).await;
    assert_eq!(p3, ["Alpha"]);
    assert!(v["nextCursor"].is_null());
    let p = problem(
        app.get(&format!("/api/v1/trips?sort=name&cursor={c1}"), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "cursor", "SORT_MISMATCH"));
    let p = problem(
        app.get(&format!("/api/v1/trips?page=2&cursor={c1}"), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "page", "CONFLICT"));
    // Walking every page by name gives every trip once, in order.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let q = if cursor.is_empty() {
            "sort=name&size=2".to_string()
        } else {
            format!("sort=name&size=2&cursor={cursor}")
        };
        let (names, v) = list(q).await;
        seen.extend(names);
        match v["nextCursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "Alpha", "bravo", "Charlie", "Delta", "echo", "Foxtrot", "Hotel", "India"
        ]
    );
    app.stop().await;
}

async fn dashboard_summary(backend: Backend) {
    let Some((_s, app)) = boot_at(backend, "2026-06-10T12:00:00Z").await else {
        return;
    };
    let (tok, _) = app.user("erin001").await;
    let mut planning = Vec::new();
    for i in 0..4 {
        app.clock.advance(Duration::seconds(1));
        planning.push(new_trip(&app, &tok, &format!("Plan {i}")).await);
    }
    set_destinations(
        &app,
        &tok,
        &planning[3],
        "2026-09-01",
        json!([{ "destinationName": "Porto", "nights": 2 }]),
    )
    .await;
    for i in 0..2 {
        app.clock.advance(Duration::seconds(1));
        let id = new_trip(&app, &tok, &format!("Now {i}")).await;
        set_destinations(
            &app,
            &tok,
            &id,
            "2026-06-09",
            json!([{ "destinationName": "Munich", "nights": 3 }]),
        )
        .await;
    }
    app.clock.advance(Duration::seconds(1));
    let done = new_trip(&app, &tok, "Done").await;
    set_destinations(
        &app,
        &tok,
        &done,
        "2026-05-01",
        json!([{ "destinationName": "Porto", "nights": 2 }]),
    )
    .await;

    let v = json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["planning"]["count"], 4);
    assert_eq!(v["ongoing"]["count"], 2);
    assert_eq!(v["completed"]["count"], 1);
    let names = |s: &Value| -> Vec<String> {
        s["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["tripName"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&v["planning"]), ["Plan 3", "Plan 2", "Plan 1"]);
    assert_eq!(names(&v["ongoing"]), ["Now 1", "Now 0"]);
    let card = &v["ongoing"]["items"][0];
    assert_eq!(card["badge"], "D+2");
    assert_eq!(card["cities"], json!(["Munich"]));
    assert!(card["progress"]["percent"].as_i64().unwrap() > 25);
    assert!(card["cover"]["hue"].is_number() && card["cover"]["initials"] == "N1");
    let plan = &v["planning"]["items"][0];
    assert_eq!(
        (plan["badge"].as_str(), plan["step"].as_i64()),
        (Some("Generation"), Some(3))
    );
    assert_eq!(plan["progress"]["label"], "Step 3 of 4");
    assert_eq!(
        v["planning"]["items"][1]["progress"]["label"],
        "Step 2 of 4"
    );
    assert_eq!(v["completed"]["items"][0]["progress"]["percent"], 100);
    // Every write shows at once.
    assert_eq!(
        app.delete(&format!("/api/v1/trips/{}", planning[3]), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let v = json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["planning"]["count"], 3);
    assert_eq!(names(&v["planning"]), ["Plan 2", "Plan 1", "Plan 0"]);
    json_of(
        app.put(
            &format!("/api/v1/trips/{}", planning[2]),
            json!({ "tripName": "Renamed" }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let v = json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(names(&v["planning"])[0], "Renamed");
    // Another user's dashboard is empty.
    let (other, _) = app.user("erin002").await;
    let v = json_of(
        app.get("/api/v1/trips/summary", Some(&other)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            v["planning"]["count"].as_i64(),
            v["ongoing"]["count"].as_i64()
        ),
        (Some(0), Some(0))
    );
    app.stop().await;
}

async fn delete_restore_and_multi_delete(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("fred001").await;
    let (other, _) = app.user("fred002").await;
    let id = munich_trip(&app, &tok, "Gone").await;
    let url = format!("/api/v1/trips/{id}");
    assert_eq!(
        app.delete(&url, Some(&tok)).await.status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&url, Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    problem(
        app.delete(&url, Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    let list = json_of(app.get("/api/v1/trips", Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(list["total"], 0);
    let trash = json_of(
        app.get("/api/v1/trips?deleted=true", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(trash["items"][0]["id"], id.as_str());
    assert!(trash["items"][0]["deletedAt"].is_string());
    // Another user cannot restore it.
    problem(
        app.post(&format!("{url}/restore"), json!({}), Some(&other))
            .await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    app.clock.advance(Duration::days(29));
    let tok = token(&app, "fred001").await;
    let t = json_of(
        app.post(&format!("{url}/restore"), json!({}), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["destinations"][0]["city"]["name"], "Munich");
    json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    // After 30 days it is gone for good.
    assert_eq!(
        app.delete(&url, Some(&tok)).await.status(),
        StatusCode::NO_CONTENT
    );
    app.clock.advance(Duration::days(30) + Duration::seconds(1));
    let tok = token(&app, "fred001").await;
    let other = token(&app, "fred002").await;
    problem(
        app.post(&format!("{url}/restore"), json!({}), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    // Multi-delete: only the caller's live trips.
    let a = new_trip(&app, &tok, "A").await;
    let b = new_trip(&app, &tok, "B").await;
    let theirs = new_trip(&app, &other, "Theirs").await;
    let ghost = uuid::Uuid::now_v7().to_string();
    let v = json_of(
        app.post(
            "/api/v1/trips/delete",
            json!({ "ids": [a, b, theirs, ghost] }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let deleted: HashSet<&str> = v["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(deleted, HashSet::from([a.as_str(), b.as_str()]));
    assert_eq!(v["notFound"], json!([theirs, ghost]));
    json_of(
        app.get(&format!("/api/v1/trips/{theirs}"), Some(&other))
            .await,
        StatusCode::OK,
    )
    .await;
    let p = problem(
        app.post("/api/v1/trips/delete", json!({ "ids": [] }), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "ids", "TOO_FEW"));
    let many: Vec<String> = (0..51).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let p = problem(
        app.post("/api/v1/trips/delete", json!({ "ids": many }), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "ids", "TOO_MANY"));
    app.stop().await;
}
