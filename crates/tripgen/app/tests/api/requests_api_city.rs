//! Special requests beyond the hotel's neighbourhood and for one day (issue 16), over HTTP:
//! a place named far from the hotel ("the Olympic park", "님펜부르크 궁전") is found over
//! the whole city and planned; a wish for one day holds on that day, and one for a day the
//! trip does not have is explained. In split mode (the ai target reads places from the
//! location target over HTTP) named places are found the same way and diet wishes are
//! honoured from the cuisines the place API carries. On SQLite and PostgreSQL.

use crate::common;

use chrono::Utc;
use common::*;
use serde_json::{Value, json};
use tripgen_platform::clock::ManualClock;

on_both_backends!(named_places_far_from_the_hotel_and_one_day_wishes);
on_both_backends!(split_mode_finds_named_places_and_honours_diets);

/// Munich's centre and two parks far from it (the Overpass extract of Munich's parks).
const DATA: &[&str] = &[
    "city-extracts-2020/munchen.osm.pbf",
    "munich-overpass-2025/parks.json",
];

/// The Bayerischer Hof, where the trip sleeps.
const HOTEL: (f64, f64) = (48.1403, 11.5736);

fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dlat, dlon) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dlat / 2.0).sin().powi(2)
        + a.0.to_radians().cos() * b.0.to_radians().cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

fn plans(schedule: &Value) -> Vec<Value> {
    schedule["days"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|d| {
            if d["plan"].is_object() {
                d["plan"].clone()
            } else {
                d
            }
        })
        .collect()
}

fn wish<'a>(understood: &'a [Value], kind: &str, target: &str) -> &'a Value {
    understood
        .iter()
        .find(|w| w["kind"] == kind && w["target"] == target)
        .unwrap_or_else(|| panic!("{kind} {target} not understood: {understood:?}"))
}

async fn named_places_far_from_the_hotel_and_one_day_wishes(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(DATA).await;
    let (tok, _) = app.user("requestscity").await;
    let id = app
        .create_trip(
            &tok,
            json!({ "tripName": "München", "transportMode": "public", "members": [
                { "name": "Ana", "age": 35, "gender": "female", "healthStatus": "good", "preferences": ["culture", "nature"] }
            ]}),
        )
        .await;
    // Tuesday 8 and Wednesday 9 June 2027: no Monday.
    app.set_destinations(
        &tok,
        &id,
        json!({ "startDate": "2027-06-08", "destinations": [
            { "destinationName": "München", "nights": 1, "accommodation": "Bayerischer Hof" }
        ]}),
    )
    .await;
    let request = "We must see the Olympic park. 님펜부르크 궁전은 꼭 가고 싶어요. \
        Monday: museum. The last day back by 4 pm.";
    let rid = app
        .start_generation(&tok, &id, json!({ "specialRequests": request }))
        .await;
    let done = app.wait_generation(&tok, &id, &rid).await;
    assert_eq!(done["status"], "completed", "{done}");
    let understood = done["result"]["understood"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    eprintln!("{backend:?}: {understood:#?}");
    let s: Value = app
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    let days = plans(&s);
    assert_eq!(days.len(), 2);
    let stops: Vec<&Value> = days
        .iter()
        .flat_map(|d| d["stops"].as_array().unwrap())
        .collect();
    let stop = |name: &str| {
        stops
            .iter()
            .find(|s| s["name"].as_str().is_some_and(|n| n.contains(name)))
            .copied()
    };
    let at = |s: &Value| {
        (
            s["position"]["lat"].as_f64().unwrap(),
            s["position"]["lon"].as_f64().unwrap(),
        )
    };

    // Named places, however far from the hotel: found over the whole city and planned.
    let olympic = wish(&understood, "place", "Olympic park");
    assert_eq!(olympic["status"], "honoured", "{olympic}");
    assert!(stop("Olympiapark").is_some(), "{stops:?}");
    let nymphenburg = wish(&understood, "place", "님펜부르크 궁전");
    assert_eq!(nymphenburg["status"], "honoured", "{nymphenburg}");
    let park = stop("Nymphenburg").unwrap_or_else(|| panic!("{stops:?}"));
    assert!(
        metres(at(park), HOTEL) > 4_000.0,
        "beyond the candidates' radius: {park}"
    );

    // A day the trip does not have: explained with a remark, not applied elsewhere.
    let monday = understood
        .iter()
        .find(|w| w["kind"] == "category" && w["day"] == "monday")
        .unwrap_or_else(|| panic!("no Monday wish: {understood:?}"));
    assert_eq!(monday["target"], "museum");
    assert_eq!(monday["status"], "explained", "{monday}");
    assert!(
        monday["note"].as_str().unwrap().contains("no Monday"),
        "{monday}"
    );
    let remarks: Vec<&Value> = days
        .iter()
        .flat_map(|d| d["warnings"].as_array().unwrap())
        .collect();
    assert!(
        remarks
            .iter()
            .any(|r| r["code"] == "REQUEST_NOT_HONOURED" && r["params"]["wish"] == "museum"),
        "{remarks:?}"
    );

    // The last day only: back by 16:00.
    let end = wish(&understood, "dayEnd", "16:00");
    assert_eq!(end["day"], "last", "{end}");
    assert_eq!(end["status"], "honoured", "{end}");
    let last = days.last().unwrap();
    assert!(
        last["returnTime"].as_u64().unwrap() <= 16 * 60,
        "{}",
        last["returnTime"]
    );
}

async fn split_mode_finds_named_places_and_honours_diets(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let clock = ManualClock::new(Utc::now());
    let apps = SplitApps::start(
        &store,
        &clock,
        &[
            "city-extracts-2020/munchen.osm.pbf",
            "munich-overpass-2025/parks.json",
            "munich-overpass-2025/restaurants.json",
        ],
    )
    .await;
    assert!(
        apps.ai.contexts.locations.is_none(),
        "places come over HTTP"
    );
    let gw = &apps.gateway;

    let (tok, _) = gw.user("splitrequests").await;
    let id = gw
        .create_trip(
            &tok,
            json!({ "tripName": "Split", "transportMode": "public", "members": [
                { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    gw.set_destinations(
        &tok,
        &id,
        json!({ "startDate": "2027-06-08", "destinations": [
            { "destinationName": "뮌헨", "nights": 1, "accommodation": "Bayerischer Hof" }
        ]}),
    )
    .await;
    let rid = gw
        .start_generation(
            &tok,
            &id,
            json!({ "specialRequests": "Vegetarian food please. 님펜부르크 궁전은 꼭 가고 싶어요." }),
        )
        .await;
    let done = gw.wait_generation(&tok, &id, &rid).await;
    assert_eq!(done["status"], "completed", "{done}");
    let understood = done["result"]["understood"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    eprintln!("{backend:?} split: {understood:#?}");
    let diet = wish(&understood, "diet", "vegetarian");
    assert_eq!(diet["status"], "honoured", "cuisines over HTTP: {diet}");
    let nymphenburg = wish(&understood, "place", "님펜부르크 궁전");
    assert_eq!(nymphenburg["status"], "honoured", "{nymphenburg}");

    // The location target's name search answers problem+json on bad input.
    let r = gw
        .get(
            "/api/v1/locations/places/named?city=München&name=",
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "name", "{p}");
    let r = gw
        .get(
            "/api/v1/locations/places/named?city=München&name=Olympic%20park",
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let page: Value = r.json().await.unwrap();
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["names"]["local"] == "Olympiapark"),
        "{page}"
    );

    apps.stop().await;
}
