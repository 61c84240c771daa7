//! The trip context over real HTTP, on SQLite and PostgreSQL (+ Redis).
//!
//! The trip context runs on the real location context (in-process adapters) over the real
//! OpenStreetMap catalogue: cities resolve through the gazetteer, hotels and edited stops
//! through the catalogue with their real opening hours, legs through the travel-time model.

use crate::common;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_platform::clock::ManualClock;
use tripgen_trip::domain::model::{Health, LatLon};
use tripgen_trip::domain::schedule::{
    self, Anchor, DayPlan, DraftStop, Mode, Reason, Stop, StopKind,
};

on_both_backends!(
    basic_settings_and_members,
    destinations_chain_and_limits,
    status_and_steps_around_midnight_in_a_far_zone,
    list_search_sort_and_stable_pages,
    dashboard_summary,
    delete_restore_and_multi_delete,
    schedule_versions_and_restore,
    edits_recompute_and_report_rule_warnings,
    edits_follow_the_groups_walking_pace_and_taxi_rule,
    route_geojson,
    share_links_are_read_only,
    ownership_on_every_route,
    cache_is_invalidated_on_writes,
    covers_are_generated,
);

/// The catalogue every test starts with: real OSM extracts of the cities the tests use, and
/// a small fixture for two far time zones (Seoul, Auckland) that the extracts do not cover.
const CATALOGUE: &[&str] = &[
    "city-extracts-2020/munchen.osm.pbf",
    "munich-overpass-2025/parks.json",
    "city-extracts-2020/porto.osm.pbf",
    "city-extracts-2020/london.osm.pbf",
    "helsinki-centre/Helsinki.osm.pbf",
];

/// Real Munich places (OSM ids) the schedules below are made of, with what the tests rely on.
mod munich {
    /// Mariensäule on Marienplatz (historic, hours not tagged).
    pub const MARIENSAEULE: &str = "osm:node:340004718";
    /// Liebfrauendom (religious, hours not tagged).
    pub const DOM: &str = "osm:way:225698612";
    /// Viktualienmarkt, ~250 m from the Mariensäule.
    pub const VIKTUALIENMARKT: &str = "osm:way:240014249";
    /// Residenzmuseum (Apr 01–Oct 15: 09:00–18:00).
    pub const RESIDENZ: &str = "osm:node:261030708";
    /// Chang City restaurant (Mo–Sa 11:30–24:00).
    pub const RESTAURANT: &str = "osm:node:4039019495";
    /// Deutsches Jagd- und Fischereimuseum (daily from 09:30, a 90-minute visit).
    pub const JAGDMUSEUM: &str = "osm:node:307738674";
    /// Englischer Garten (park).
    pub const ENGLISCHER_GARTEN: &str = "osm:way:159075298";
    /// Olympiapark (park, ~4 km out: reached by transit).
    pub const OLYMPIAPARK: &str = "osm:way:10053878";
    /// Jüdisches Museum (Tu–Su 10:00–18:00: closed on Mondays).
    pub const JUEDISCHES_MUSEUM: &str = "osm:way:24164434";
}
use munich::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The app with the trip context served; the clock starts at `at`.
async fn boot_at(backend: Backend, at: &str) -> Option<(Store, TestApp)> {
    let store = Store::new(backend).await?;
    let app = TestApp::start(store.config(), ManualClock::new(utc(at))).await;
    app.import(CATALOGUE).await;
    app.import_paths(&[fixture("far-zones.geojson")]).await;
    Some((store, app))
}

async fn boot(backend: Backend) -> Option<(Store, TestApp)> {
    boot_at(backend, "2026-05-01T08:00:00Z").await
}

async fn json_of(resp: reqwest::Response, status: StatusCode) -> Value {
    let got = resp.status();
    let body = resp.text().await.unwrap();
    assert_eq!(got, status, "body: {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

fn has(p: &Value, field: &str, code: &str) -> bool {
    field_codes(p).contains(&(field.to_string(), code.to_string()))
}

fn member(name: &str, age: i64) -> Value {
    json!({ "name": name, "age": age, "gender": "female", "healthStatus": "good",
            "preferences": ["culture", "nature"] })
}

/// A trip with basic settings done; returns its id.
async fn new_trip(app: &TestApp, tok: &str, name: &str) -> String {
    let t = json_of(
        app.post(
            "/api/v1/trips",
            json!({ "tripName": name, "transportMode": "public",
                    "members": [member("민지", 34), member("Jonas", 36)] }),
            Some(tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    t["id"].as_str().unwrap().to_string()
}

async fn set_destinations(app: &TestApp, tok: &str, id: &str, start: &str, dests: Value) -> Value {
    json_of(
        app.put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": start, "destinations": dests }),
            Some(tok),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// Munich, 3 nights from Monday 2026-06-01, at the Bayerischer Hof.
async fn munich_trip(app: &TestApp, tok: &str, name: &str) -> String {
    let id = new_trip(app, tok, name).await;
    set_destinations(
        app,
        tok,
        &id,
        "2026-06-01",
        json!([{ "destinationName": "Munich", "nights": 3, "accommodation": "Bayerischer Hof" }]),
    )
    .await;
    id
}

/// What the generation job would save: one plan per day (Munich places on days 1–3, the
/// departure day ends at check-out), built from the catalogue through the same adapters the
/// trip context uses.
async fn generate(app: &TestApp, id: &str) {
    use tripgen_trip::ports::{PlaceCatalogue, TravelTimes};
    let trips = app.trips.as_ref().expect("trip context served");
    let location = tripgen::adapters::trip_location_local::LocalLocation {
        service: app
            .contexts
            .locations
            .clone()
            .expect("location context served"),
    };
    let uuid: uuid::Uuid = id.parse().unwrap();
    let r = trips.record(uuid).await.unwrap().unwrap();
    let start = r.start_date.unwrap();
    let days = r.destinations.iter().map(|d| d.nights).sum::<u32>() as usize + 1;
    let hotel = r.destinations[0].lodging;
    let munich = r.destinations[0].city_name == "Munich";
    let plan_of = |i: usize| -> &'static [&'static str] {
        match (munich, i) {
            (true, 0) => &[MARIENSAEULE, DOM, VIKTUALIENMARKT],
            (true, 1) => &[RESIDENZ, RESTAURANT],
            (true, 2) => &[JAGDMUSEUM, ENGLISCHER_GARTEN],
            _ => &[],
        }
    };
    let mut plans = Vec::new();
    for i in 0..days {
        let date = start + Duration::days(i as i64);
        let anchor = |time| Anchor {
            name: "Bayerischer Hof".into(),
            position: hotel,
            time,
        };
        let day = DayPlan {
            day_index: i,
            date,
            city: None,
            destination_id: None,
            start: anchor(if i == 0 { 900 } else { 540 }),
            end: anchor(if i + 1 == days { 660 } else { 1200 }),
            stops: vec![],
            legs: vec![],
            return_time: 0,
            walking_metres: 0,
            walking_kcal: 0,
            weather: None,
            weather_notes: vec!["Weather-neutral plan: no forecast configured.".into()],
            weather_note_codes: vec![],
            warnings: vec![],
        };
        let mut drafts: Vec<DraftStop> = Vec::new();
        for pid in plan_of(i) {
            let p = location
                .place(pid, date)
                .await
                .unwrap()
                .expect("in the catalogue");
            drafts.push(DraftStop {
                minutes: p.visit_minutes,
                hours: p.hours.clone(),
                stop: Stop {
                    place_id: p.id,
                    name: p.name,
                    kind: StopKind::Visit,
                    category: p.category,
                    position: p.position,
                    arrival: 0,
                    start: 0,
                    end: 0,
                    indoor: p.indoor,
                    reason: Reason {
                        code: "MATCHES_INTEREST".into(),
                        text: "Matches the group's interests.".into(),
                        params: Default::default(),
                    },
                    accessibility_note: None,
                    access: None,
                    indoor_alternative: None,
                    parking: None,
                    warnings: vec![],
                },
            });
        }
        let mut points: Vec<LatLon> = vec![hotel];
        points.extend(drafts.iter().map(|d| d.stop.position));
        points.push(hotel);
        // A fit group on public transport, as the trips here are.
        let policy = schedule::LegPolicy::for_group(
            &[Health::Good],
            tripgen_trip::domain::model::TransportMode::Public,
        );
        let mut legs = Vec::new();
        for w in points.windows(2) {
            let walk = location.estimate(w[0], w[1], Mode::Walk).await.unwrap();
            let transit = location.estimate(w[0], w[1], Mode::Transit).await.unwrap();
            legs.push(policy.choose(walk, transit).unwrap());
        }
        plans.push(schedule::recompute(&day, drafts, &legs));
    }
    trips
        .save_generated_schedule(uuid, plans)
        .await
        .expect("schedule saved");
}

fn stop_ids(day: &Value) -> Vec<String> {
    day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["placeId"].as_str().unwrap().to_string())
        .collect()
}

async fn day_of(app: &TestApp, tok: &str, id: &str, day: u32) -> Value {
    let v = json_of(
        app.get(
            &format!("/api/v1/trips/{id}/schedules?day={day}"),
            Some(tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    v["days"][0].clone()
}

async fn edit(
    app: &TestApp,
    tok: &str,
    id: &str,
    day: u32,
    ids: &[&str],
    force: bool,
) -> reqwest::Response {
    let q = if force { "?force=true" } else { "" };
    app.put(
        &format!("/api/v1/trips/{id}/schedules/days/{day}{q}"),
        json!({ "placeIds": ids }),
        Some(tok),
    )
    .await
}

// ---------------------------------------------------------------------------------------

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
    // An unknown city is a clear error with suggestions.
    let p = problem(
        batch(json!({ "startDate": "2026-06-01", "destinations": [
            { "destinationName": "Porto", "nights": 1 }, { "destinationName": "Muncih", "nights": 2 }
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
    assert_eq!(
        p["extra"]["suggestions"]["destinations[1].destinationName"],
        json!(["Munich"])
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
            json!({ "destinationName": "Seul", "nights": 1 }),
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

async fn schedule_versions_and_restore(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("gina001").await;
    let id = munich_trip(&app, &tok, "Munich").await;
    let empty = json_of(
        app.get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(empty["days"], json!([]));
    assert_eq!(empty["schedule"]["state"], "none");
    generate(&app, &id).await;
    let s = json_of(
        app.get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 4);
    assert_eq!(s["schedule"]["state"], "ready");
    let d1 = &days[0];
    assert_eq!(
        (d1["day"].as_i64(), d1["version"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (d1["date"].as_str(), d1["weekday"].as_str()),
        (Some("2026-06-01"), Some("mon"))
    );
    assert_eq!(
        (d1["city"].as_str(), d1["timeZone"].as_str()),
        (Some("Munich"), Some("Europe/Berlin"))
    );
    assert_eq!(d1["legs"].as_array().unwrap().len(), 4);
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!(stop_ids(&d2), [RESIDENZ, RESTAURANT]);
    problem(
        app.get(&format!("/api/v1/trips/{id}/schedules?day=5"), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    let p = problem(
        app.get(&format!("/api/v1/trips/{id}/schedules?day=0"), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "day", "INVALID_VALUE"));

    // Four edits of day 2 → versions 2..5; only the newest three are kept.
    let (res, hof) = (RESIDENZ, RESTAURANT);
    let v2 = json_of(
        edit(&app, &tok, &id, 2, &[hof, res], false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v2["version"], 2);
    // The restaurant opens at 11:30 (its OSM hours): the group waits.
    assert_eq!(v2["stops"][0]["start"], 690);
    assert!(v2["stops"][0]["arrival"].as_i64().unwrap() < 690);
    for (order, version) in [(vec![res], 3), (vec![res, hof], 4), (vec![hof], 5)] {
        let v = json_of(
            edit(&app, &tok, &id, 2, &order, false).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(v["version"], version);
    }
    let vurl = format!("/api/v1/trips/{id}/schedules/days/2/versions");
    let vs = json_of(app.get(&vurl, Some(&tok)).await, StatusCode::OK).await;
    let kept: Vec<i64> = vs["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(kept, [5, 4, 3]);
    assert_eq!(vs["versions"][0]["current"], true);
    assert_eq!(vs["versions"][1]["current"], false);
    assert_eq!(vs["versions"][2]["stopCount"], 1);
    assert_eq!(vs["versions"][0]["source"], "edited");
    // Restoring v3 makes its plan current as v6.
    let r = json_of(
        app.post(&format!("{vurl}/3/restore"), json!({}), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["version"], 6);
    assert_eq!(stop_ids(&r), [res]);
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!(
        (d2["version"].as_i64(), stop_ids(&d2)),
        (Some(6), vec![res.to_string()])
    );
    let vs = json_of(app.get(&vurl, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(vs["versions"][0]["source"], "restored");
    assert_eq!(vs["versions"].as_array().unwrap().len(), 3);
    problem(
        app.post(&format!("{vurl}/1/restore"), json!({}), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "VERSION_NOT_FOUND",
    )
    .await;
    problem(
        app.get(
            &format!("/api/v1/trips/{id}/schedules/days/9/versions"),
            Some(&tok),
        )
        .await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    // Other days are untouched.
    assert_eq!(day_of(&app, &tok, &id, 1).await["version"], 1);
    // A new generation saves every day as one new version.
    generate(&app, &id).await;
    assert_eq!(day_of(&app, &tok, &id, 1).await["version"], 2);
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!((d2["version"].as_i64(), stop_ids(&d2).len()), (Some(7), 2));
    app.stop().await;
}

async fn edits_recompute_and_report_rule_warnings(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("hank001").await;
    let id = munich_trip(&app, &tok, "Munich").await;
    generate(&app, &id).await;
    let (mar, frau, vikt) = (MARIENSAEULE, DOM, VIKTUALIENMARKT);
    // Reorder: times and legs follow the new order.
    let d = json_of(
        edit(&app, &tok, &id, 1, &[vikt, mar, frau], false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stop_ids(&d), [vikt, mar, frau]);
    let stops = d["stops"].as_array().unwrap();
    let legs = d["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 4);
    let n = |v: &Value| v.as_i64().unwrap();
    assert_eq!(
        n(&stops[0]["arrival"]),
        n(&d["start"]["time"]) + n(&legs[0]["minutes"])
    );
    for i in 1..3 {
        assert_eq!(
            n(&stops[i]["arrival"]),
            n(&stops[i - 1]["end"]) + n(&legs[i]["minutes"])
        );
        assert_eq!(n(&legs[i]["depart"]), n(&stops[i - 1]["end"]));
    }
    assert_eq!(
        n(&d["returnTime"]),
        n(&stops[2]["end"]) + n(&legs[3]["minutes"])
    );
    // Short legs are walked and count kcal; Viktualienmarkt → Mariensäule is ~250 m.
    assert_eq!(legs[1]["mode"], "walk");
    assert!(n(&legs[1]["kcal"]) > 0);
    assert!(n(&d["walkingMetres"]) > 0);
    assert!(d["warnings"].as_array().unwrap().is_empty());
    // Removal and insertion of a catalogue place.
    let d = json_of(
        edit(&app, &tok, &id, 1, &[mar, OLYMPIAPARK], false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(stop_ids(&d), [mar, OLYMPIAPARK]);
    assert_eq!(d["stops"][1]["reason"]["code"], "ADDED_BY_USER");
    assert_eq!(d["stops"][1]["category"], "park");
    // The catalogue's visit time for a park.
    assert_eq!(n(&d["stops"][1]["end"]) - n(&d["stops"][1]["start"]), 45);
    assert_eq!(d["legs"][1]["mode"], "transit");
    let version = n(&d["version"]);
    // Unknown ids and a missing list.
    let p = problem(
        edit(&app, &tok, &id, 1, &[mar, "osm:node:nowhere"], false).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "placeIds[1]", "PLACE_NOT_FOUND"));
    let p = problem(
        app.put(
            &format!("/api/v1/trips/{id}/schedules/days/1"),
            json!({}),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "placeIds", "REQUIRED"));
    // The Jüdisches Museum is closed on Mondays: warnings, nothing saved.
    let pina = JUEDISCHES_MUSEUM;
    let p = problem(
        edit(&app, &tok, &id, 1, &[mar, pina], false).await,
        StatusCode::CONFLICT,
        "SCHEDULE_RULES_VIOLATED",
    )
    .await;
    assert_eq!(
        p["extra"]["day"]["stops"][1]["warnings"][0]["code"],
        "CLOSED_AT_THAT_TIME"
    );
    assert!(p["extra"]["day"]["stops"][0].get("warnings").is_none());
    assert_eq!(p["extra"]["violations"][0]["stopIndex"], 1);
    assert_eq!(p["extra"]["violations"][0]["placeId"], pina);
    let cur = day_of(&app, &tok, &id, 1).await;
    assert_eq!(
        (n(&cur["version"]), stop_ids(&cur)),
        (version, vec![mar.to_string(), OLYMPIAPARK.into()])
    );
    // force=true saves it with the warning on the stop.
    let d = json_of(
        edit(&app, &tok, &id, 1, &[mar, pina], true).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(n(&d["version"]), version + 1);
    assert_eq!(d["stops"][1]["warnings"][0]["code"], "CLOSED_AT_THAT_TIME");
    let cur = day_of(&app, &tok, &id, 1).await;
    assert_eq!(
        cur["stops"][1]["warnings"][0]["code"],
        "CLOSED_AT_THAT_TIME"
    );
    assert_eq!(cur["warnings"][0]["placeId"], pina);
    // On Tuesday it is open 10:00–18:00: no warning.
    let d = json_of(
        edit(&app, &tok, &id, 2, &[RESIDENZ, RESTAURANT, pina], false).await,
        StatusCode::CONFLICT,
    )
    .await;
    // …but it is already on day 1: a place is visited once per trip.
    assert_eq!(d["extra"]["violations"][0]["rule"], "DUPLICATE_PLACE");
    let d = json_of(
        edit(
            &app,
            &tok,
            &id,
            2,
            &[RESIDENZ, RESTAURANT, OLYMPIAPARK],
            false,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(d["warnings"].as_array().unwrap().is_empty());
    // The departure day ends at check-out (11:00): a 90-minute visit from 09:30 overruns it.
    let p = problem(
        edit(&app, &tok, &id, 4, &[JAGDMUSEUM], false).await,
        StatusCode::CONFLICT,
        "SCHEDULE_RULES_VIOLATED",
    )
    .await;
    let rules: Vec<&str> = p["extra"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"DAY_OVERRUN"), "{rules:?}");
    assert!(rules.contains(&"DUPLICATE_PLACE"), "{rules:?}");
    let d = json_of(edit(&app, &tok, &id, 4, &[], false).await, StatusCode::OK).await;
    assert_eq!(n(&d["returnTime"]), 540);
    let p = problem(
        app.put(
            &format!("/api/v1/trips/{id}/schedules/days/4?force=maybe"),
            json!({ "placeIds": [] }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(has(&p, "force", "INVALID_VALUE"));
    problem(
        edit(&app, &tok, &id, 5, &[], false).await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    app.stop().await;
}

/// An edited day is recomputed with the group's rules, as a generated one is: a `limited`
/// member walks 1.5× slower, and on public transport the group rides a taxi.
async fn edits_follow_the_groups_walking_pace_and_taxi_rule(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("pace001").await;
    let fit = munich_trip(&app, &tok, "Fit").await;
    let slow = munich_trip(&app, &tok, "Slow").await;
    json_of(
        app.put(
            &format!("/api/v1/trips/{slow}/basic-info"),
            json!({ "tripName": "Slow", "transportMode": "public",
                    "members": [member("Jonas", 36),
                                { "name": "할머니", "age": 82, "gender": "female",
                                  "healthStatus": "limited", "preferences": ["culture"] }] }),
            Some(&tok),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let order = [VIKTUALIENMARKT, MARIENSAEULE, OLYMPIAPARK];
    let mut days = Vec::new();
    for id in [&fit, &slow] {
        generate(&app, id).await;
        days.push(json_of(edit(&app, &tok, id, 1, &order, true).await, StatusCode::OK).await);
    }
    let (fit_day, slow_day) = (&days[0], &days[1]);
    let minutes = |d: &Value, i: usize| d["legs"][i]["minutes"].as_u64().unwrap();
    // Viktualienmarkt → Mariensäule is walked by both, more slowly by the slower group.
    assert_eq!(fit_day["legs"][1]["mode"], "walk");
    assert_eq!(slow_day["legs"][1]["mode"], "walk");
    assert_eq!(
        minutes(slow_day, 1),
        (minutes(fit_day, 1) as f64 * 1.5).ceil() as u64
    );
    // The Olympiapark is out of walking range: transit for the fit group, a taxi otherwise.
    assert_eq!(fit_day["legs"][2]["mode"], "transit");
    assert_eq!(slow_day["legs"][2]["mode"], "taxi");
    app.stop().await;
}

async fn route_geojson(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("iris001").await;
    let id = munich_trip(&app, &tok, "Map").await;
    generate(&app, &id).await;
    let resp = app
        .get(&format!("/api/v1/trips/{id}/route"), Some(&tok))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/geo+json");
    let g: Value = resp.json().await.unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    let stops: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["kind"] == "stop")
        .collect();
    let legs: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["kind"] == "leg")
        .collect();
    assert_eq!(stops.len(), 3 + 2 + 2);
    // Numbered per day, colour per day, coordinates [lon, lat].
    let day1: Vec<i64> = stops
        .iter()
        .filter(|f| f["properties"]["day"] == 1)
        .map(|f| f["properties"]["number"].as_i64().unwrap())
        .collect();
    assert_eq!(day1, [1, 2, 3]);
    let lon_lat = stops[0]["geometry"]["coordinates"].as_array().unwrap();
    assert!((lon_lat[0].as_f64().unwrap() - 11.5755).abs() < 0.001);
    assert!((lon_lat[1].as_f64().unwrap() - 48.1372).abs() < 0.001);
    assert_eq!(stops[0]["properties"]["name"], "Mariensäule");
    assert_eq!(stops[0]["properties"]["colorIndex"], 0);
    assert_eq!(stops[3]["properties"]["colorIndex"], 1);
    assert_eq!(legs.len(), 4 + 3 + 3 + 1);
    let walk = legs
        .iter()
        .find(|l| l["properties"]["mode"] == "walk")
        .unwrap();
    assert_eq!(walk["properties"]["dashed"], true);
    assert_eq!(walk["geometry"]["type"], "LineString");
    let transit = legs
        .iter()
        .find(|l| l["properties"]["mode"] == "transit")
        .unwrap();
    assert_eq!(transit["properties"]["dashed"], false);
    // One day only.
    let g: Value = app
        .get(&format!("/api/v1/trips/{id}/route?day=2"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        g["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["day"] == 2)
    );
    problem(
        app.get(&format!("/api/v1/trips/{id}/route?day=7"), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "DAY_NOT_FOUND",
    )
    .await;
    app.stop().await;
}

async fn share_links_are_read_only(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("jack001").await;
    let id = munich_trip(&app, &tok, "Shared").await;
    generate(&app, &id).await;
    let s = json_of(
        app.post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token = s["token"].as_str().unwrap().to_string();
    assert_eq!(s["path"], format!("/api/v1/trips/shared/{token}"));
    let t = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["shared"], true);
    // Readable without signing in: trip (no member details), schedule, route.
    let base = format!("/api/v1/trips/shared/{token}");
    let v = json_of(app.get(&base, None).await, StatusCode::OK).await;
    assert_eq!(
        (v["tripName"].as_str(), v["memberCount"].as_i64()),
        (Some("Shared"), Some(2))
    );
    assert!(v.get("members").is_none());
    let v = json_of(
        app.get(&format!("{base}/schedules?day=2"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["days"][0]["day"], 2);
    let r = app.get(&format!("{base}/route"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Nothing else: not a bearer token, no other reads, no writes.
    problem(
        app.get(&format!("/api/v1/trips/{id}"), Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    problem(
        app.get("/api/v1/trips", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    for path in [
        format!("{base}/members"),
        format!("{base}/destinations"),
        format!("{base}/schedules/days/1/versions"),
    ] {
        let st = app.get(&path, None).await.status();
        assert!(
            st == StatusCode::NOT_FOUND || st == StatusCode::UNAUTHORIZED,
            "{path}: {st}"
        );
    }
    let st = app
        .put(&base, json!({ "tripName": "Hacked" }), None)
        .await
        .status();
    assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED);
    let st = app
        .put(
            &format!("{base}/schedules/days/1"),
            json!({ "placeIds": [] }),
            None,
        )
        .await
        .status();
    assert!(
        st == StatusCode::NOT_FOUND || st == StatusCode::UNAUTHORIZED,
        "{st}"
    );
    problem(
        app.get("/api/v1/trips/shared/not-a-token", None).await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    // A new link replaces the old one; DELETE revokes.
    let s2 = json_of(
        app.post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token2 = s2["token"].as_str().unwrap().to_string();
    problem(
        app.get(&base, None).await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    json_of(
        app.get(&format!("/api/v1/trips/shared/{token2}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        app.delete(&format!("/api/v1/trips/{id}/share"), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&format!("/api/v1/trips/shared/{token2}/schedules"), None)
            .await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    let t = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["shared"], false);
    // A deleted trip is not readable through its link either.
    let s3 = json_of(
        app.post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        app.delete(&format!("/api/v1/trips/{id}"), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(
            &format!(
                "/api/v1/trips/shared/{}/route",
                s3["token"].as_str().unwrap()
            ),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    app.stop().await;
}

async fn ownership_on_every_route(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (alice, _) = app.user("kate001").await;
    let (mallory, _) = app.user("mallory1").await;
    let id = munich_trip(&app, &alice, "Private").await;
    generate(&app, &id).await;
    let t = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&alice)).await,
        StatusCode::OK,
    )
    .await;
    let mid = t["members"][0]["id"].as_str().unwrap().to_string();
    let did = t["destinations"][0]["id"].as_str().unwrap().to_string();
    // Every route with a trip id, from the OpenAPI document the app serves.
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/trips/{id}") {
            continue;
        }
        for method in ["get", "put", "post", "delete"] {
            if item.get(method).is_some() {
                let url = path
                    .replace("{id}", &id)
                    .replace("{mid}", &mid)
                    .replace("{did}", &did)
                    .replace("{day}", "1")
                    .replace("{v}", "1");
                routes.push((method, url));
            }
        }
    }
    assert!(routes.len() >= 24, "{routes:?}");
    let send = |method: &str, url: &str, tok: Option<&str>| {
        let mut r = match method {
            "get" => app.http.get(app.url(url)),
            "put" => app.http.put(app.url(url)).json(&json!({})),
            "post" => app.http.post(app.url(url)).json(&json!({})),
            _ => app.http.delete(app.url(url)),
        };
        if let Some(t) = tok {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    for (method, url) in &routes {
        let resp = send(method, url, Some(&mallory)).await.unwrap();
        problem(resp, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;
        let resp = send(method, url, None).await.unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {url} without a token"
        );
    }
    // The owner still has everything, unchanged.
    let t2 = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&alice)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t2["members"], t["members"]);
    assert_eq!(t2["destinations"], t["destinations"]);
    assert_eq!(t2["shared"], false);
    assert_eq!(day_of(&app, &alice, &id, 1).await["version"], 1);
    // Lists, dashboard and multi-delete only see the caller's trips.
    let l = json_of(
        app.get("/api/v1/trips?q=private", Some(&mallory)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["total"], 0);
    let s = json_of(
        app.get("/api/v1/trips/summary", Some(&mallory)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["planning"]["count"], 0);
    let v = json_of(
        app.post(
            "/api/v1/trips/delete",
            json!({ "ids": [id] }),
            Some(&mallory),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["notFound"], json!([id]));
    // Another trip's member and destination ids do not work under one's own trip.
    let own = munich_trip(&app, &mallory, "Mine").await;
    problem(
        app.get(
            &format!("/api/v1/trips/{own}/members/{mid}"),
            Some(&mallory),
        )
        .await,
        StatusCode::NOT_FOUND,
        "MEMBER_NOT_FOUND",
    )
    .await;
    problem(
        app.delete(
            &format!("/api/v1/trips/{own}/destinations/{did}"),
            Some(&mallory),
        )
        .await,
        StatusCode::NOT_FOUND,
        "DESTINATION_NOT_FOUND",
    )
    .await;
    json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&alice)).await,
        StatusCode::OK,
    )
    .await;
    app.stop().await;
}

async fn cache_is_invalidated_on_writes(backend: Backend) {
    let Some((store, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("liam001").await;
    let id = munich_trip(&app, &tok, "Before").await;
    generate(&app, &id).await;
    let url = format!("/api/v1/trips/{id}");
    // Warm the caches.
    json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    json_of(
        app.get(&format!("{url}/schedules"), Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    // With Redis (PostgreSQL runs), a second replica shares the store: a write there is
    // seen here at once. SQLite is a single-process store, so the write stays local.
    let other = if backend == Backend::Postgres {
        Some(TestApp::start(store.config(), app.clock.clone()).await)
    } else {
        None
    };
    let writer = other.as_ref().unwrap_or(&app);
    json_of(
        writer
            .put(&url, json!({ "tripName": "After" }), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    json_of(
        edit(writer, &tok, &id, 2, &[RESIDENZ], false).await,
        StatusCode::OK,
    )
    .await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(t["tripName"], "After");
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!(stop_ids(&d2), [RESIDENZ]);
    let s = json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["planning"]["items"][0]["tripName"], "After");
    assert_eq!(
        writer.delete(&url, Some(&tok)).await.status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&url, Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    problem(
        app.get(&format!("{url}/schedules"), Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    if let Some(o) = other {
        o.stop().await;
    }
    app.stop().await;
}

async fn covers_are_generated(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("mona001").await;
    let a = new_trip(&app, &tok, "Spring Trip").await;
    let b = new_trip(&app, &tok, "Spring Trip").await;
    let c = new_trip(&app, &tok, "Autumn").await;
    let cover = |id: String| {
        let app = &app;
        let tok = &tok;
        async move {
            json_of(
                app.get(&format!("/api/v1/trips/{id}"), Some(tok)).await,
                StatusCode::OK,
            )
            .await["cover"]
                .clone()
        }
    };
    let (ca, cb, cc) = (cover(a.clone()).await, cover(b).await, cover(c).await);
    assert_eq!(ca, cb);
    assert_ne!(ca, cc);
    assert_eq!(ca["initials"], "ST");
    let resp = app
        .get(&format!("/api/v1/trips/{a}/cover.svg"), Some(&tok))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    let svg = resp.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(&format!("hsl({},", ca["hue"])));
    app.stop().await;
}
