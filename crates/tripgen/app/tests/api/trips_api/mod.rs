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

mod access;
mod destinations;
mod hot_reads;
mod lists;
mod schedules;
mod settings;

/// The catalogue every test starts with: real OSM extracts of the cities the tests use, and
/// a small fixture for two far time zones (Seoul, Auckland) that the extracts do not cover.
pub(super) const CATALOGUE: &[&str] = &[
    "city-extracts-2020/munchen.osm.pbf",
    "munich-overpass-2025/parks.json",
    "city-extracts-2020/porto.osm.pbf",
    "city-extracts-2020/london.osm.pbf",
    "helsinki-centre/Helsinki.osm.pbf",
];

/// Real Munich places (OSM ids) the schedules below are made of, with what the tests rely on.
pub(super) mod munich {
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
pub(super) use munich::*;

pub(super) fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The app with the trip context served; the clock starts at `at`.
pub(super) async fn boot_at(backend: Backend, at: &str) -> Option<(Store, TestApp)> {
    let store = Store::new(backend).await?;
    let app = TestApp::start(store.config(), ManualClock::new(utc(at))).await;
    app.import(CATALOGUE).await;
    app.import_paths(&[fixture("far-zones.geojson")]).await;
    Some((store, app))
}

pub(super) async fn boot(backend: Backend) -> Option<(Store, TestApp)> {
    boot_at(backend, "2026-05-01T08:00:00Z").await
}

pub(super) async fn json_of(resp: reqwest::Response, status: StatusCode) -> Value {
    let got = resp.status();
    let body = resp.text().await.unwrap();
    assert_eq!(got, status, "body: {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

pub(super) fn has(p: &Value, field: &str, code: &str) -> bool {
    field_codes(p).contains(&(field.to_string(), code.to_string()))
}

pub(super) fn member(name: &str, age: i64) -> Value {
    json!({ "name": name, "age": age, "gender": "female", "healthStatus": "good",
            "preferences": ["culture", "nature"] })
}

/// A trip with basic settings done; returns its id.
pub(super) async fn new_trip(app: &TestApp, tok: &str, name: &str) -> String {
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

pub(super) async fn set_destinations(
    app: &TestApp,
    tok: &str,
    id: &str,
    start: &str,
    dests: Value,
) -> Value {
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
pub(super) async fn munich_trip(app: &TestApp, tok: &str, name: &str) -> String {
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
pub(super) async fn generate(app: &TestApp, id: &str) {
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
                    journey: None,
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
            let walk = location
                .estimate(w[0], w[1], Mode::Walk, false)
                .await
                .unwrap();
            let transit = location
                .estimate(w[0], w[1], Mode::Transit, false)
                .await
                .unwrap();
            legs.push(policy.choose(walk, transit).unwrap());
        }
        plans.push(schedule::recompute(&day, drafts, &legs));
    }
    trips
        .save_generated_schedule(uuid, plans)
        .await
        .expect("schedule saved");
}

pub(super) fn stop_ids(day: &Value) -> Vec<String> {
    day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["placeId"].as_str().unwrap().to_string())
        .collect()
}

pub(super) async fn day_of(app: &TestApp, tok: &str, id: &str, day: u32) -> Value {
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

pub(super) async fn edit(
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
