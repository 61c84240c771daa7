//! Day regenerations left (TRIP-070) over HTTP on the real Porto catalogue: every day of
//! the schedule says how many regenerations it has left out of `regenerationLimit`; one
//! completed regeneration of day 1 takes day 1 from 5 to 4 and leaves day 2 at 5, in the
//! full schedule, the `?day=` view, a restored day and a share link. Runs on SQLite and
//! PostgreSQL.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(regenerations_left_count_down_per_day);

/// Porto, 1 night: 2 days from 2027-06-01, generated.
async fn generated_trip(app: &TestApp, tok: &str) -> String {
    let id = app
        .create_trip(
            tok,
            json!({ "tripName": "Porto", "transportMode": "public", "members": [
                { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    app.set_destinations(
        tok,
        &id,
        json!({ "startDate": "2027-06-01", "destinations": [
            { "destinationName": "Porto", "nights": 1 }
        ]}),
    )
    .await;
    app.generate(tok, &id, json!({})).await;
    id
}

async fn json_of(app: &TestApp, path: &str, tok: Option<&str>) -> Value {
    let r = app.get(path, tok).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

/// `regenerationsLeft` of every day, in day order.
fn left(schedule: &Value) -> Vec<i64> {
    schedule["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["regenerationsLeft"]
                .as_i64()
                .unwrap_or_else(|| panic!("{d}"))
        })
        .collect()
}

async fn regenerations_left_count_down_per_day(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&["city-extracts-2020/porto.osm.pbf"]).await;
    let (tok, _) = app.user("regenleft1").await;
    let id = generated_trip(&app, &tok).await;
    let path = format!("/api/v1/trips/{id}/schedules");

    // Fresh schedule: every day has the whole limit.
    let s = json_of(&app, &path, Some(&tok)).await;
    assert_eq!(s["regenerationLimit"], 5, "{s}");
    assert_eq!(left(&s), vec![5, 5]);

    // One completed regeneration of day 1.
    let r = app
        .post(&format!("{path}/days/1/regenerate"), json!({}), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid = r.json::<Value>().await.unwrap()["requestId"]
        .as_str()
        .unwrap()
        .to_string();
    let done = app.wait_generation(&tok, &id, &rid).await;
    assert_eq!(done["status"], "completed", "{done}");

    // Per day: day 1 has 4 left, day 2 still 5 (a fresh load, as after a page reload).
    let s = json_of(&app, &path, Some(&tok)).await;
    assert_eq!(left(&s), vec![4, 5], "{s}");
    let one = json_of(&app, &format!("{path}?day=1"), Some(&tok)).await;
    assert_eq!(left(&one), vec![4]);
    assert_eq!(one["regenerationLimit"], 5);
    let two = json_of(&app, &format!("{path}?day=2"), Some(&tok)).await;
    assert_eq!(left(&two), vec![5]);

    // A day view answered by a restore says it too (a restore is not a regeneration).
    let v = json_of(&app, &format!("{path}/days/1/versions"), Some(&tok)).await;
    let older = v["versions"][1]["version"].as_i64().expect("two versions");
    let r = app
        .post(
            &format!("{path}/days/1/versions/{older}/restore"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let day: Value = r.json().await.unwrap();
    assert_eq!(day["day"], 1);
    assert_eq!(day["regenerationsLeft"], 4, "{day}");
    assert_eq!(left(&json_of(&app, &path, Some(&tok)).await), vec![4, 5]);

    // The AI API's result carries the same schedule view.
    let ai = json_of(&app, &format!("/api/v1/ai/schedules/{rid}"), Some(&tok)).await;
    assert_eq!(left(&ai["schedule"]), vec![4, 5], "{ai}");

    // A share link (read-only) shows the same numbers without a sign-in.
    let r = app
        .post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let shared = json_of(
        &app,
        &format!("/api/v1/trips/shared/{token}/schedules"),
        None,
    )
    .await;
    assert_eq!(shared["regenerationLimit"], 5);
    assert_eq!(left(&shared), vec![4, 5]);

    // Another user's trip stays invisible.
    let (other, _) = app.user("regenleft2").await;
    problem(
        app.get(&path, Some(&other)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    app.stop().await;
}
