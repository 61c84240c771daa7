//! Destinations: resolved through the catalogue, chained by date, within limits.

use super::*;
use crate::common;

mod destinations_chain_and_limits {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::destinations_chain_and_limits(super::common::Backend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::destinations_chain_and_limits(super::common::Backend::Postgres).await;
    }
}

async fn destinations_chain_and_limits(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("bob0001").await;
    let id = new_trip(&app, &tok, "Europe").await;
    let t = set_destinations(
        &app,
        &tok,
        &id,
        "2026-06-01",
        json!([
            { "destinationName": "München", "nights": 3, "accommodation": "Bayerischer Hof" },
            { "destinationName": "Porto", "nights": 2, "accommodation": "Unknown Inn",
              "checkInTime": "14:00", "checkOutTime": "10:30" }
        ]),
    )
    .await;
    let d = &t["destinations"];
    assert_eq!(d[0]["city"]["name"], "Munich");
    assert_eq!(d[0]["city"]["timeZone"], "Europe/Berlin");
    assert_eq!(
        (d[0]["startDate"].as_str(), d[0]["endDate"].as_str()),
        (Some("2026-06-01"), Some("2026-06-04"))
    );
    assert_eq!(
        (d[1]["startDate"].as_str(), d[1]["endDate"].as_str()),
        (Some("2026-06-04"), Some("2026-06-06"))
    );
    assert_eq!(d[0]["lodging"]["resolved"], true);
    // The Bayerischer Hof as mapped in OSM (a building way's centroid).
    let lat = d[0]["lodging"]["lat"].as_f64().unwrap();
    assert!((lat - 48.1405).abs() < 0.0005, "{lat}");
    // An unknown hotel: the city centre stands in.
    assert_eq!(d[1]["lodging"]["resolved"], false);
    assert_eq!(d[1]["lodging"]["lat"], d[1]["city"]["lat"]);
    assert_eq!(
        (d[0]["checkInTime"].as_str(), d[0]["checkOutTime"].as_str()),
        (Some("15:00"), Some("11:00"))
    );
    assert_eq!(
        (d[1]["checkInTime"].as_str(), d[1]["checkOutTime"].as_str()),
        (Some("14:00"), Some("10:30"))
    );
    assert_eq!(
        (t["startDate"].as_str(), t["endDate"].as_str()),
        (Some("2026-06-01"), Some("2026-06-06"))
    );
    assert_eq!(
        (t["totalNights"].as_i64(), t["totalDays"].as_i64()),
        (Some(5), Some(6))
    );
    assert_eq!(t["step"]["current"], "generation");

    let batch = |body: Value| {
        let app = &app;
        let tok = &tok;
        let id = &id;
        async move {
            app.put(
                &format!("/api/v1/trips/{id}/destinations/batch"),
                body,
                Some(tok),
            )
            .await
        }
    };
    // Every field rule, with paths.
    let p = problem(
        batch(json!({ "startDate": "2026-13-01", "destinations": [
            { "destinationName": "Munich", "nights": 31 },
            { "destinationName": "x".repeat(21), "nights": 0, "accommodation": "y".repeat(21),
              "checkInTime": "25:00" }
        ]}))
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    for (f, c) in [
        ("startDate", "INVALID_FORMAT"),
        ("destinations[0].nights", "OUT_OF_RANGE"),
        ("destinations[1].destinationName", "TOO_LONG"),
        ("destinations[1].nights", "OUT_OF_RANGE"),
        ("destinations[1].accommodation", "TOO_LONG"),
        ("destinations[1].checkInTime", "INVALID_FORMAT"),
    ] {
        assert!(has(&p, f, c), "{f} {c} in {p}");
    }
    // Dates far outside any real trip are a clear error, not an overflow (issue 21:
    // "+262142-12-31" with 30 nights once panicked in the date chain).
    for date in ["+262142-12-31", "1899-12-31", "2201-01-01"] {
        let p = problem(
            batch(json!({ "startDate": date, "destinations": [
                { "destinationName": "Munich", "nights": 30 }
            ]}))
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(has(&p, "startDate", "OUT_OF_RANGE"), "{date}: {p}");
    }
    let p = problem(
        app.put(
            &format!("/api/v1/trips/{id}"),
            json!({ "startDate": "+262142-12-31" }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "startDate", "OUT_OF_RANGE"), "{p}");
    // An unknown city is a clear error with suggestions.
    let p = problem(
        batch(json!({ "startDate": "2026-06-01", "destinations": [
            { "destinationName": "Porto", "nights": 1 }, { "destinationName": "Munihc", "nights": 2 }
        ]}))
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(
        has(&p, "destinations[1].destinationName", "UNKNOWN_CITY"),
        "{p}"
    );
    // The world gazetteer suggests the closest names, Munich first.
    assert_eq!(
        p["extra"]["suggestions"]["destinations[1].destinationName"][0],
        json!("Munich")
    );
    // 1–10 destinations.
    let eleven: Vec<Value> = (0..11)
        .map(|_| json!({ "destinationName": "Porto", "nights": 1 }))
        .collect();
    let p = problem(
        batch(json!({ "startDate": "2026-06-01", "destinations": eleven })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "destinations", "TOO_MANY"));
    let p = problem(
        batch(json!({ "startDate": "2026-06-01", "destinations": [] })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "destinations", "TOO_FEW"));
    // 60 days at most: 30 + 29 nights = 60 days; 30 + 30 = 61.
    let t = set_destinations(
        &app,
        &tok,
        &id,
        "2026-06-01",
        json!([{ "destinationName": "Seoul", "nights": 30 }, { "destinationName": "Auckland", "nights": 29 }]),
    )
    .await;
    assert_eq!(t["totalDays"], 60);
    assert_eq!(t["endDate"], "2026-07-30");
    let p = problem(
        batch(json!({ "startDate": "2026-06-01", "destinations": [
            { "destinationName": "Seoul", "nights": 30 }, { "destinationName": "Auckland", "nights": 30 }
        ]}))
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "destinations", "TRIP_TOO_LONG"), "{p}");

    // Destination CRUD keeps the chain.
    set_destinations(
        &app,
        &tok,
        &id,
        "2026-06-01",
        json!([{ "destinationName": "Munich", "nights": 3 }, { "destinationName": "Porto", "nights": 2 }]),
    )
    .await;
    let durl = format!("/api/v1/trips/{id}/destinations");
    let london = json_of(
        app.post(
            &durl,
            json!({ "destinationName": "London", "nights": 2, "position": 1 }),
            Some(&tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (london["position"].as_i64(), london["startDate"].as_str()),
        (Some(1), Some("2026-06-04"))
    );
    assert_eq!(
        chain(&app, &tok, &durl).await,
        [
            "Munich 2026-06-01..2026-06-04",
            "London 2026-06-04..2026-06-06",
            "Porto 2026-06-06..2026-06-08"
        ]
    );
    let list = json_of(app.get(&durl, Some(&tok)).await, StatusCode::OK).await;
    let munich_id = list[0]["id"].as_str().unwrap().to_string();
    let london_id = london["id"].as_str().unwrap().to_string();
    json_of(
        app.put(
            &format!("{durl}/{munich_id}"),
            json!({ "destinationName": "Munich", "nights": 1 }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        chain(&app, &tok, &durl).await,
        [
            "Munich 2026-06-01..2026-06-02",
            "London 2026-06-02..2026-06-04",
            "Porto 2026-06-04..2026-06-06"
        ]
    );
    assert_eq!(
        app.delete(&format!("{durl}/{london_id}"), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        chain(&app, &tok, &durl).await,
        [
            "Munich 2026-06-01..2026-06-02",
            "Porto 2026-06-02..2026-06-04"
        ]
    );
    // Moving the start date moves the whole chain.
    let t = json_of(
        app.put(
            &format!("/api/v1/trips/{id}"),
            json!({ "startDate": "2026-07-01" }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["endDate"], "2026-07-04");
    assert_eq!(
        chain(&app, &tok, &durl).await,
        [
            "Munich 2026-07-01..2026-07-02",
            "Porto 2026-07-02..2026-07-04"
        ]
    );
    // Single-destination writes keep the 60-day limit.
    json_of(
        app.post(
            &durl,
            json!({ "destinationName": "Helsinki", "nights": 30 }),
            Some(&tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let p = problem(
        app.post(
            &durl,
            json!({ "destinationName": "Seoul", "nights": 30 }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "nights", "TRIP_TOO_LONG"));
    let p = problem(
        app.post(
            &durl,
            // "Seul" is Seoul in Portuguese, Spanish and Polish: the world gazetteer knows it.
            json!({ "destinationName": "Xyzzyville", "nights": 1 }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "destinationName", "UNKNOWN_CITY"));
    problem(
        app.get(&format!("{durl}/{}", uuid::Uuid::now_v7()), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "DESTINATION_NOT_FOUND",
    )
    .await;
    // 10 at most through CRUD too.
    let ten: Vec<Value> = (0..10)
        .map(|_| json!({ "destinationName": "Porto", "nights": 1 }))
        .collect();
    set_destinations(&app, &tok, &id, "2026-06-01", json!(ten)).await;
    let p = problem(
        app.post(
            &durl,
            json!({ "destinationName": "Porto", "nights": 1 }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "destinations", "TOO_MANY"));
    // The last destination stays.
    set_destinations(
        &app,
        &tok,
        &id,
        "2026-06-01",
        json!([{ "destinationName": "Porto", "nights": 1 }]),
    )
    .await;
    let list = json_of(app.get(&durl, Some(&tok)).await, StatusCode::OK).await;
    let p = problem(
        app.delete(
            &format!("{durl}/{}", list[0]["id"].as_str().unwrap()),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "destinations", "TOO_FEW"));
    // Without a start date a single destination cannot be placed.
    let other = new_trip(&app, &tok, "Later").await;
    let p = problem(
        app.post(
            &format!("/api/v1/trips/{other}/destinations"),
            json!({ "destinationName": "Porto", "nights": 1 }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "startDate", "REQUIRED"));
    app.stop().await;
}

async fn chain(app: &TestApp, tok: &str, durl: &str) -> Vec<String> {
    let v = json_of(app.get(durl, Some(tok)).await, StatusCode::OK).await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}..{}",
                d["city"]["name"].as_str().unwrap(),
                d["startDate"].as_str().unwrap(),
                d["endDate"].as_str().unwrap()
            )
        })
        .collect()
}
