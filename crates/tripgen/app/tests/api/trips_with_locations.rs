//! The trip context wired to the real location context (in-process adapters), on the
//! real OSM catalogue: city names in any language resolve through the gazetteer, hotels
//! through the catalogue, unknown cities get suggestions.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(destinations_resolve_through_the_catalogue);

async fn destinations_resolve_through_the_catalogue(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let (tok, _) = app.user("realtrip1").await;
    let resp = app
        .post(
            "/api/v1/trips",
            json!({ "tripName": "뮌헨과 포르투", "transportMode": "public",
                    "members": [{ "name": "민지", "age": 34, "gender": "female", "healthStatus": "caution", "preferences": ["culture"] }] }),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = app
        .put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2026-06-01", "destinations": [
                { "destinationName": "뮌헨", "nights": 2, "accommodation": "Bayerischer Hof" },
                { "destinationName": "Porto", "nights": 2 }
            ]}),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let t: Value = resp.json().await.unwrap();
    let d = &t["destinations"];
    assert_eq!(d[0]["city"]["name"], "Munich");
    assert_eq!(d[0]["city"]["timeZone"], "Europe/Berlin");
    assert_eq!(d[1]["city"]["timeZone"], "Europe/Lisbon");
    assert_eq!(d[1]["startDate"], "2026-06-03", "dates chain");
    assert_eq!(
        d[0]["lodging"]["resolved"], true,
        "the hotel is in the catalogue: {}",
        d[0]
    );
    let lat = d[0]["lodging"]["lat"].as_f64().unwrap();
    assert!(
        (lat - 48.14).abs() < 0.01,
        "Bayerischer Hof is in central Munich: {lat}"
    );
    assert_eq!(
        d[1]["lodging"]["resolved"], false,
        "no hotel: the city centre stands in"
    );
    // A misspelt city: 422 naming the field, with the catalogue's suggestion.
    let resp = app
        .put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2026-06-01", "destinations": [{ "destinationName": "Munihc", "nights": 2 }] }),
            Some(&tok),
        )
        .await;
    let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert_eq!(
        p["errors"][0]["field"], "destinations[0].destinationName",
        "{p}"
    );
    let suggestions = p["extra"]["suggestions"]["destinations[0].destinationName"].to_string();
    assert!(suggestions.contains("Munich"), "{p}");
    app.stop().await;
}
