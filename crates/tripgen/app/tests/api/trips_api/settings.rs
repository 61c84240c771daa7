//! Basic settings (name, transport) and members.

use super::*;

on_both_backends!(basic_settings_and_members,);

async fn basic_settings_and_members(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("alice01").await;
    // Trip name: 1–16 characters.
    let p = problem(
        app.post(
            "/api/v1/trips",
            json!({ "tripName": "가".repeat(17) }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "tripName", "TOO_LONG"), "{p}");
    let p = problem(
        app.post("/api/v1/trips", json!({}), Some(&tok)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "tripName", "REQUIRED"));
    // Text is read as it looks (issue 21): invisible-only is empty, NUL and direction
    // overrides are refused, a decomposed Hangul name is stored composed.
    for (name, code) in [
        ("\u{200B}\u{FEFF}\u{3164}", "REQUIRED"),
        ("Trip\u{0}", "INVALID_CHARACTERS"),
        ("abc\u{202E}def", "INVALID_CHARACTERS"),
    ] {
        let p = problem(
            app.post("/api/v1/trips", json!({ "tripName": name }), Some(&tok))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
        )
        .await;
        assert!(has(&p, "tripName", code), "{name:?}: {p}");
    }
    let t = json_of(
        app.post(
            "/api/v1/trips",
            json!({ "tripName": "\u{1112}\u{1161}\u{11AB} \u{200B}" }),
            Some(&tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(t["tripName"], "한");
    let t = json_of(
        app.post(
            "/api/v1/trips",
            json!({ "tripName": "가".repeat(16) }),
            Some(&tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = t["id"].as_str().unwrap().to_string();
    assert_eq!(t["status"], "planning");
    assert_eq!(t["step"]["current"], "basicSettings");
    let missing: Vec<&str> = t["step"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["field"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["transportMode", "members"]);

    // Forward only when the earlier steps are complete (TRIP-090).
    let p = problem(
        app.put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2026-06-01", "destinations": [{ "destinationName": "Porto", "nights": 1 }] }),
            Some(&tok),
        )
        .await,
        StatusCode::CONFLICT,
        "STEP_INCOMPLETE",
    )
    .await;
    assert_eq!(p["extra"]["missing"][0]["field"], "transportMode");

    // Every invalid member field at once, with its path.
    let url = format!("/api/v1/trips/{id}/basic-info");
    let p = problem(
        app.put(
            &url,
            json!({ "tripName": "Family", "transportMode": "bike", "members": [
                { "name": "A", "age": 0, "gender": "x", "healthStatus": "tired",
                  "preferences": ["food", "rest", "rest"] },
                { "name": "x".repeat(21), "age": 121, "gender": "male", "healthStatus": "good" },
                member("Kim", 30)
            ]}),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    for (f, c) in [
        ("transportMode", "INVALID_VALUE"),
        ("members[0].name", "TOO_SHORT"),
        ("members[0].age", "OUT_OF_RANGE"),
        ("members[0].gender", "INVALID_VALUE"),
        ("members[0].healthStatus", "INVALID_VALUE"),
        ("members[0].preferences[0]", "INVALID_VALUE"),
        ("members[0].preferences[2]", "DUPLICATE"),
        ("members[1].name", "TOO_LONG"),
        ("members[1].age", "OUT_OF_RANGE"),
    ] {
        assert!(has(&p, f, c), "{f} {c} in {p}");
    }
    // Preferences may be omitted (an empty set).
    assert!(
        !field_codes(&p)
            .iter()
            .any(|(f, _)| f.starts_with("members[1].preferences"))
    );
    // 1–10 members.
    let eleven: Vec<Value> = (0..11).map(|i| member(&format!("M{i:02}"), 30)).collect();
    let p = problem(
        app.put(
            &url,
            json!({ "tripName": "F", "transportMode": "car", "members": eleven }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "members", "TOO_MANY"));
    let p = problem(
        app.put(
            &url,
            json!({ "tripName": "F", "transportMode": "car", "members": [] }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "members", "TOO_FEW"));
    // A wrong JSON type names its path too.
    let p = problem(
        app.put(
            &url,
            json!({ "tripName": "F", "transportMode": "car", "members": [{ "name": "Kim", "age": "x" }] }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(field_codes(&p)[0].0, "members[0].age");
    // The limits themselves are accepted: names of 2 and 20, ages 1 and 120, ten members.
    let mut ten: Vec<Value> = (0..8).map(|i| member(&format!("M{i:02}"), 30)).collect();
    ten.push(member("Jo", 1));
    ten.push(member(&"z".repeat(20), 120));
    let t = json_of(
        app.put(
            &url,
            json!({ "tripName": "Family", "transportMode": "car", "members": ten }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["members"].as_array().unwrap().len(), 10);
    assert_eq!(t["transportMode"], "car");
    assert_eq!(t["step"]["current"], "destinations");
    assert_eq!(t["members"][9]["age"], 120);
    let first = t["members"][0]["id"].as_str().unwrap().to_string();

    // Member CRUD keeps the limits.
    let murl = format!("/api/v1/trips/{id}/members");
    let p = problem(
        app.post(&murl, member("Eleven", 40), Some(&tok)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "members", "TOO_MANY"));
    // basic-info keeps the id of a member it names.
    let mut keep = member("Renamed", 31);
    keep["id"] = json!(first);
    let t = json_of(
        app.put(
            &url,
            json!({ "tripName": "Family", "transportMode": "car", "members": [keep] }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["members"][0]["id"], first.as_str());
    assert_eq!(t["members"][0]["name"], "Renamed");
    let m = json_of(
        app.post(&murl, member("Yuna", 8), Some(&tok)).await,
        StatusCode::CREATED,
    )
    .await;
    let mid = m["id"].as_str().unwrap().to_string();
    let p = problem(
        app.put(
            &format!("{murl}/{mid}"),
            json!({ "name": "Y", "age": 8 }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "name", "TOO_SHORT") && has(&p, "gender", "REQUIRED"));
    let mut upd = member("Yuna", 9);
    upd["healthStatus"] = json!("caution");
    let m = json_of(
        app.put(&format!("{murl}/{mid}"), upd, Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (m["age"].as_i64(), m["healthStatus"].as_str()),
        (Some(9), Some("caution"))
    );
    let list = json_of(app.get(&murl, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        app.delete(&format!("{murl}/{mid}"), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&format!("{murl}/{mid}"), Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "MEMBER_NOT_FOUND",
    )
    .await;
    // The last member stays.
    let p = problem(
        app.delete(&format!("{murl}/{first}"), Some(&tok)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "members", "TOO_FEW"));
    // PUT /{id} changes the name only.
    let t = json_of(
        app.put(
            &format!("/api/v1/trips/{id}"),
            json!({ "tripName": "Summer" }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (t["tripName"].as_str(), t["transportMode"].as_str()),
        (Some("Summer"), Some("car"))
    );
    app.stop().await;
}
