//! Journeys through the stations and ferry routes of the imported OSM data (issue 18) over
//! HTTP: Helsinki (bundled extract) 1 night → Tallinn 1 night → Tartu 1 night, with our
//! fixture `gulf-of-finland.osm.pbf` (Tallinn and Tartu sights, their stations, the
//! Helsinki–Tallinn ferry as a route relation with `duration=02:00`). Helsinki → Tallinn
//! shares a continent's zones, so without the data the model would take a train; with it
//! the group sails the OSM route between its terminals for the tagged two hours. Tallinn →
//! Tartu is a train from Balti jaam to Tartu's station (not the light-rail stop). Stations
//! and terminals are never sights of a plan. Both backends.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(ferry_and_train_through_the_data);

fn journey(day: &Value) -> Value {
    let js: Vec<&Value> = day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "journey")
        .collect();
    assert_eq!(js.len(), 1, "one journey on day {}: {day}", day["day"]);
    js[0].clone()
}

fn part(j: &Value, code: &str) -> i64 {
    j["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .and_then(|p| p["minutes"].as_i64())
        .unwrap_or_else(|| panic!("part {code}: {j}"))
}

async fn ferry_and_train_through_the_data(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let report = app.import(&["helsinki-centre/Helsinki.osm.pbf"]).await;
    let t = report.files[0]
        .transport
        .clone()
        .expect("a PBF has a network");
    assert!(t.stations >= 1 && t.ferry_terminals >= 1, "{t:?}");
    let report = app
        .import_paths(&[fixture("gulf-of-finland.osm.pbf")])
        .await;
    let t = report.files[0]
        .transport
        .clone()
        .expect("a PBF has a network");
    assert_eq!(
        (t.stations, t.ferry_terminals, t.ferry_routes),
        (2, 2, 1),
        "{t:?}"
    );

    let (tok, _) = app.user("ferry18").await;
    let id = app
        .create_trip(
            &tok,
            json!({ "tripName": "Gulf of Finland", "transportMode": "public", "members": [
                { "name": "Aino", "age": 41, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    app.set_destinations(
        &tok,
        &id,
        json!({ "startDate": "2027-06-01", "destinations": [
            { "destinationName": "Helsinki", "nights": 1 },
            { "destinationName": "Tallinn", "nights": 1 },
            { "destinationName": "Tartu", "nights": 1 }
        ]}),
    )
    .await;
    app.generate(&tok, &id, json!({ "startTime": "09:00" }))
        .await;
    let r = app
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let s: Value = r.json().await.unwrap();
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 4, "{s}");

    // Helsinki → Tallinn: the OSM ferry, terminal to terminal, its tagged duration.
    let stop = journey(&days[1]);
    let j = &stop["journey"];
    eprintln!("{backend:?}: ferry {j}");
    assert_eq!(j["mode"], "ferry", "{j}");
    assert_eq!(j["via"]["from"]["name"], "Länsiterminaali");
    assert_eq!(j["via"]["to"]["name"], "D-terminal");
    assert_eq!(j["via"]["route"], "Helsinki–Tallinn");
    let sailed = j["via"]["metres"].as_i64().unwrap();
    assert!(
        (70_000..90_000).contains(&sailed),
        "the route's length: {j}"
    );
    assert_eq!(part(j, "IN_VEHICLE"), 120, "duration=02:00");
    assert_eq!(part(j, "CHECK_IN"), 60);
    let sum: i64 = j["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["minutes"].as_i64().unwrap())
        .sum();
    assert_eq!(j["minutes"].as_i64(), Some(sum));
    let text = stop["reason"]["text"].as_str().unwrap_or_default();
    assert!(text.contains("Länsiterminaali → D-terminal"), "{text}");
    // Both zones are UTC+3 in June: the arrival is the departure plus the duration.
    assert_eq!(
        j["arrive"].as_i64().unwrap(),
        j["depart"].as_i64().unwrap() + sum
    );

    // Tallinn → Tartu: a train between the two real stations.
    let stop = journey(&days[2]);
    let j = &stop["journey"];
    eprintln!("{backend:?}: train {j}");
    assert_eq!(j["mode"], "train", "{j}");
    assert_eq!(j["via"]["from"]["name"], "Balti jaam");
    assert_eq!(j["via"]["to"]["name"], "Tartu raudteejaam");
    assert!(j["via"].get("route").is_none(), "{j}");
    // The hotels are the city centres: Balti jaam ≈ 0.5 km away on foot, Tartu's station
    // ≈ 1.6 km (transit).
    assert!(part(j, "ACCESS") < 30 && part(j, "EGRESS") < 30, "{j}");

    // Stations and terminals are no sights.
    for day in days {
        for s in day["stops"].as_array().unwrap() {
            let name = s["name"].as_str().unwrap_or_default();
            assert!(
                s["kind"] == "journey"
                    || !["Balti jaam", "Tartu raudteejaam", "D-terminal", "Helsinki"]
                        .contains(&name),
                "a transport point as a stop: {s}"
            );
        }
    }
    // The validator found nothing wrong with the journeys.
    for day in days {
        let warnings = day["warnings"].to_string();
        assert!(!warnings.contains("JOURNEY_"), "{warnings}");
    }
}
