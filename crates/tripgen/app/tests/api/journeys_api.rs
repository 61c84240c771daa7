//! Journeys between cities (issue 18) over HTTP on the bundled OSM extracts: Munich 1 night
//! → Porto 1 night → London 1 night. Each travel day is a morning in the city left, one stop
//! of kind `journey` (a flight here, with plausible door-to-door minutes and times consistent
//! across both time zones) and an evening in the city reached; the journey validator finds
//! nothing; the route GeoJSON has a `journey` feature, the ICS event starts in one zone and
//! ends in the other, the GPX has it; an edit keeps the journey (dropping it is refused,
//! reordering keeps its times) and a day regeneration keeps it fixed. Numbers in
//! docs/journeys.md. Both backends.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    journeys_between_cities,
    edits_and_regeneration_keep_the_journey
);

/// Munich (hotel) 1 night, Porto 1 night, London 1 night: 4 days from 2027-06-01.
async fn three_cities(app: &TestApp, tok: &str) -> String {
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
        "city-extracts-2020/london.osm.pbf",
    ])
    .await;
    let id = app
        .create_trip(
            tok,
            json!({ "tripName": "Three cities", "transportMode": "public", "members": [
                { "name": "Ana", "age": 35, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    app.set_destinations(
        tok,
        &id,
        json!({ "startDate": "2027-06-01", "destinations": [
            { "destinationName": "München", "nights": 1, "accommodation": "Bayerischer Hof" },
            { "destinationName": "Porto", "nights": 1 },
            { "destinationName": "London", "nights": 1 }
        ]}),
    )
    .await;
    app.generate(tok, &id, json!({ "startTime": "09:00" }))
        .await;
    id
}

async fn json_of(app: &TestApp, path: &str, tok: &str) -> Value {
    let r = app.get(path, Some(tok)).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

fn journeys(day: &Value) -> Vec<(usize, Value)> {
    day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, s)| s["kind"] == "journey")
        .map(|(i, s)| (i, s.clone()))
        .collect()
}

fn n(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("a number: {v}"))
}

/// The journey of a travel day, checked against its day: one of them, the zones, the
/// times, the morning before it and the evening after it.
fn check_travel_day(day: &Value, from_zone: &str, to_zone: &str, offsets: (i64, i64)) -> Value {
    let js = journeys(day);
    assert_eq!(js.len(), 1, "one journey on day {}: {day}", day["day"]);
    let (k, stop) = &js[0];
    let j = &stop["journey"];
    assert_eq!(j["kind"], "transfer");
    assert_eq!(j["estimate"], true);
    assert_eq!(j["from"]["timeZone"], from_zone);
    assert_eq!(j["to"]["timeZone"], to_zone);
    assert_eq!(
        (
            n(&j["from"]["utcOffsetMinutes"]),
            n(&j["to"]["utcOffsetMinutes"])
        ),
        offsets
    );
    let (depart, arrive, ready, minutes) = (
        n(&j["depart"]),
        n(&j["arrive"]),
        n(&j["ready"]),
        n(&j["minutes"]),
    );
    // Through UTC: arrival = departure + duration − offset(from) + offset(to).
    assert_eq!(arrive, depart + minutes - offsets.0 + offsets.1, "{j}");
    assert!(ready >= arrive);
    assert_eq!((n(&stop["start"]), n(&stop["end"])), (depart, ready));
    let stops = day["stops"].as_array().unwrap();
    for s in &stops[..*k] {
        assert!(
            n(&s["end"]) <= depart,
            "nothing in A after the departure: {s}"
        );
    }
    for s in &stops[k + 1..] {
        assert!(
            n(&s["arrival"]) >= ready,
            "nothing in B before arrival: {s}"
        );
    }
    assert!(
        stops.len() > k + 1,
        "an evening after the journey on day {}",
        day["day"]
    );
    let codes: Vec<&str> = day["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .filter(|c| c.starts_with("VALIDATOR_"))
        .collect();
    assert!(codes.is_empty(), "validator findings: {codes:?}");
    j.clone()
}

async fn journeys_between_cities(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (tok, _) = app.user("traveller18").await;
    let id = three_cities(&app, &tok).await;
    let s = json_of(&app, &format!("/api/v1/trips/{id}/schedules"), &tok).await;
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 4, "{s}");
    assert!(journeys(&days[0]).is_empty() && journeys(&days[3]).is_empty());

    // June: Munich CEST (UTC+2), Porto WEST (UTC+1), London BST (UTC+1).
    let muc_opo = check_travel_day(&days[1], "Europe/Berlin", "Europe/Lisbon", (120, 60));
    let opo_lon = check_travel_day(&days[2], "Europe/Lisbon", "Europe/London", (60, 60));
    for (j, (lo, hi), km) in [
        (&muc_opo, (340, 420), (1_700, 1_850)),
        (&opo_lon, (310, 380), (1_250, 1_400)),
    ] {
        eprintln!(
            "{backend:?}: {} → {}: {} {} min, {} km, {}–{}",
            j["from"]["city"],
            j["to"]["city"],
            j["mode"],
            j["minutes"],
            n(&j["metres"]) / 1000,
            j["depart"],
            j["arrive"]
        );
        assert_eq!(j["mode"], "flight", "{j}");
        assert!((lo..=hi).contains(&n(&j["minutes"])), "{j}");
        assert!((km.0..=km.1).contains(&(n(&j["metres"]) / 1000)), "{j}");
        // Leaves at the check-out (11:00).
        assert_eq!(n(&j["depart"]), 11 * 60);
    }
    // The day belongs to where its traveller sleeps and starts at last night's hotel.
    assert_eq!(days[1]["city"], "Porto");
    assert_eq!(days[1]["start"]["name"], "Bayerischer Hof");

    // The map: one journey feature per travel day, a line from city to city.
    let route = json_of(&app, &format!("/api/v1/trips/{id}/route"), &tok).await;
    let features: Vec<&Value> = route["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "journey")
        .collect();
    assert_eq!(features.len(), 2, "{route}");
    assert_eq!(features[0]["geometry"]["type"], "LineString");
    assert!(
        features[0]["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .len()
            > 2
    );
    assert_eq!(features[0]["properties"]["mode"], "flight");

    // ICS: the journey starts in Munich's zone and ends in Porto's.
    let path = format!("/api/v1/trips/{id}/schedules/export");
    let r = app
        .post(&path, json!({ "format": "ics" }), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let ics = r.text().await.unwrap().replace("\r\n ", "");
    let event = ics
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("day2-journey"))
        .expect("a journey event on day 2");
    assert!(
        event.contains("DTSTART;TZID=Europe/Berlin:20270602T110000"),
        "{event}"
    );
    assert!(
        event.contains("DTEND;TZID=Europe/Lisbon:20270602T"),
        "{event}"
    );
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"));
    // A morning stop in Munich is in Munich's zone too.
    let first_stop = days[1]["stops"][0]["placeId"].as_str().unwrap().to_string();
    if !first_stop.starts_with("journey:") {
        let e = ics
            .split("BEGIN:VEVENT")
            .find(|e| e.contains(&format!("day2-{}", first_stop.replace('/', "_"))))
            .expect("the morning stop's event");
        assert!(e.contains("DTSTART;TZID=Europe/Berlin"), "{e}");
    }
    // GPX: the journey is a waypoint of the day.
    let r = app
        .post(&path, json!({ "format": "gpx" }), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let gpx = r.text().await.unwrap();
    assert!(
        gpx.contains("München → Porto") || gpx.contains("Munich → Porto"),
        "{gpx}"
    );
}

async fn edits_and_regeneration_keep_the_journey(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (tok, _) = app.user("traveller18b").await;
    let id = three_cities(&app, &tok).await;
    let day_path = format!("/api/v1/trips/{id}/schedules/days/2");
    let s = json_of(&app, &format!("/api/v1/trips/{id}/schedules?day=2"), &tok).await;
    let day = &s["days"][0];
    let ids: Vec<String> = day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["placeId"].as_str().unwrap().to_string())
        .collect();
    let (k, before) = journeys(day).remove(0);

    // Dropping the journey is refused with a field error; nothing is saved.
    let without: Vec<&String> = ids.iter().filter(|i| !i.starts_with("journey:")).collect();
    let r = app
        .put(&day_path, json!({ "placeIds": without }), Some(&tok))
        .await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert!(
        field_codes(&p).contains(&("placeIds".into(), "JOURNEY_FIXED".into())),
        "{p}"
    );

    // Removing an evening stop keeps the journey where and when it was.
    let mut fewer = ids.clone();
    if fewer.len() > k + 1 {
        fewer.pop();
    }
    let r = app
        .put(
            &format!("{day_path}?force=true"),
            json!({ "placeIds": fewer }),
            Some(&tok),
        )
        .await;
    let status = r.status();
    let edited: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{edited}");
    let (_, after) = journeys(&edited).remove(0);
    assert_eq!(after["journey"], before["journey"]);
    assert_eq!(
        (&after["start"], &after["end"]),
        (&before["start"], &before["end"])
    );

    // A regenerated travel day plans its halves again around the same journey.
    let r = app
        .post(&format!("{day_path}/regenerate"), json!({}), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid = r.json::<Value>().await.unwrap()["requestId"]
        .as_str()
        .unwrap()
        .to_string();
    let done = app.wait_generation(&tok, &id, &rid).await;
    assert_eq!(done["status"], "completed", "{done}");
    let s = json_of(&app, &format!("/api/v1/trips/{id}/schedules?day=2"), &tok).await;
    let js = journeys(&s["days"][0]);
    assert_eq!(js.len(), 1);
    assert_eq!(js[0].1["journey"], before["journey"]);
}
