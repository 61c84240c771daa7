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
    edits_and_regeneration_keep_the_journey,
    arrival_and_departure_points,
    bad_arrival_and_departure_input
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

/// Munich 1 night → Porto 1 night (3 days from 2027-06-01), landing at Munich's airport at
/// 10:00 and flying home from Porto's at 18:00.
async fn with_points(app: &TestApp, tok: &str) -> (String, Value) {
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let id = app
        .create_trip(
            tok,
            json!({ "tripName": "Fly in, fly out", "transportMode": "public", "members": [
                { "name": "Ana", "age": 35, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    let r = app
        .put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2027-06-01",
                "destinations": [
                    { "destinationName": "München", "nights": 1 },
                    { "destinationName": "Porto", "nights": 1 }
                ],
                "arrival": { "time": "10:00", "place": "Flughafen München" },
                "departure": { "time": "18:00", "place": "Porto airport" } }),
            Some(tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let detail: Value = r.json().await.unwrap();
    (id, detail)
}

async fn arrival_and_departure_points(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (tok, _) = app.user("traveller18c").await;
    let (id, detail) = with_points(&app, &tok).await;
    let (a, d) = (&detail["arrival"], &detail["departure"]);
    assert_eq!(
        (&a["time"], &a["kind"]),
        (&json!("10:00"), &json!("airport")),
        "{a}"
    );
    assert!(a["name"].as_str().unwrap().contains("(MUC)"), "{a}");
    assert_eq!(a["place"], "Flughafen München");
    assert_eq!(a["timeZone"], "Europe/Berlin");
    assert!(d["name"].as_str().unwrap().contains("(OPO)"), "{d}");
    // Read back as stored.
    let again = json_of(&app, &format!("/api/v1/trips/{id}"), &tok).await;
    assert_eq!((&again["arrival"], &again["departure"]), (a, d));

    app.generate(&tok, &id, json!({ "startTime": "09:00" }))
        .await;
    let s = json_of(&app, &format!("/api/v1/trips/{id}/schedules"), &tok).await;
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 3, "{s}");
    for day in days {
        let codes: Vec<&Value> = day["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| {
                w["code"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("VALIDATOR_"))
            })
            .collect();
        assert!(codes.is_empty(), "day {}: {codes:?}", day["day"]);
    }
    // The first day opens with the way from the airport: 10:00 there, then the hotel.
    let first = &days[0]["stops"][0];
    let j = &first["journey"];
    assert_eq!(
        (&first["kind"], &j["kind"]),
        (&json!("journey"), &json!("arrival")),
        "{first}"
    );
    assert_eq!(
        (n(&j["depart"]), &j["mode"]),
        (600, &json!("transit")),
        "{j}"
    );
    assert_eq!(days[0]["start"]["name"], a["name"]);
    let ready = n(&j["ready"]);
    assert!(ready > 600 && ready < 12 * 60, "{j}");
    for s in &days[0]["stops"].as_array().unwrap()[1..] {
        assert!(n(&s["arrival"]) >= ready, "{s}");
    }
    // The last day closes with the way to Porto's airport, there 90 min before 18:00.
    let stops = days[2]["stops"].as_array().unwrap();
    let last = stops.last().unwrap();
    let j = &last["journey"];
    assert_eq!(
        (&last["kind"], &j["kind"]),
        (&json!("journey"), &json!("departure")),
        "{last}"
    );
    assert_eq!(n(&j["arrive"]), 18 * 60 - 90, "{j}");
    assert_eq!(days[2]["end"]["name"], d["name"]);
    for s in &stops[..stops.len() - 1] {
        assert!(n(&s["end"]) <= n(&j["depart"]), "{s}");
    }
    // The travel day in between still has its transfer.
    assert_eq!(journeys(&days[1]).len(), 1);
    // ICS: the arrival and departure are events too.
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/export"),
            json!({ "format": "ics" }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let ics = r.text().await.unwrap().replace("\r\n ", "");
    assert!(
        ics.contains("DTSTART;TZID=Europe/Berlin:20270601T100000"),
        "{ics}"
    );

    // PUT /trips/{id}: other fields keep the points; a new one replaces; null removes.
    let path = format!("/api/v1/trips/{id}");
    let r = app
        .put(&path, json!({ "tripName": "Renamed" }), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    assert_eq!((&t["arrival"], &t["departure"]), (a, d));
    assert_eq!(t["schedule"]["state"], "ready");
    let r = app
        .put(
            &path,
            json!({ "arrival": { "time": "11:30", "place": "EDDM" }, "departure": null }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    assert_eq!(
        (&t["arrival"]["time"], &t["arrival"]["name"]),
        (&json!("11:30"), &a["name"])
    );
    assert!(t["departure"].is_null(), "{t}");
    assert_eq!(t["schedule"]["state"], "outdated");
    // A new start date moves the trip and keeps its arrival.
    let r = app
        .put(&path, json!({ "startDate": "2027-07-01" }), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["arrival"]["time"], "11:30");
}

async fn bad_arrival_and_departure_input(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (tok, _) = app.user("traveller18d").await;
    let (id, _) = with_points(&app, &tok).await;
    let batch = format!("/api/v1/trips/{id}/destinations/batch");
    let body = |arrival: Value, departure: Value| {
        json!({ "startDate": "2027-06-01",
            "destinations": [
                { "destinationName": "München", "nights": 1 },
                { "destinationName": "Porto", "nights": 1 }
            ],
            "arrival": arrival, "departure": departure })
    };
    let cases = [
        (
            body(
                json!({ "time": "25:00", "place": "MUC" }),
                json!({ "place": "OPO" }),
            ),
            vec![
                ("arrival.time", "INVALID_FORMAT"),
                ("departure.time", "REQUIRED"),
            ],
        ),
        (
            body(
                json!({ "time": "10:00", "place": "Nowhere Station" }),
                json!({ "time": "18:00" }),
            ),
            vec![
                ("arrival.place", "UNKNOWN_PLACE"),
                ("departure.place", "REQUIRED"),
            ],
        ),
        (
            // An airport of another city is not this trip's arrival point.
            body(
                json!({ "time": "10:00", "place": "LHR" }),
                json!({ "time": "18:00", "place": "x".repeat(61) }),
            ),
            vec![
                ("arrival.place", "UNKNOWN_PLACE"),
                ("departure.place", "TOO_LONG"),
            ],
        ),
        (
            body(
                json!({ "time": "23:50", "place": "MUC" }),
                json!({ "time": "00:30", "place": "OPO" }),
            ),
            vec![
                ("arrival.time", "ARRIVAL_AFTER_DAY_END"),
                ("departure.time", "DEPARTURE_BEFORE_DAY_START"),
            ],
        ),
    ];
    for (b, want) in cases {
        let r = app.put(&batch, b.clone(), Some(&tok)).await;
        let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
        let got = field_codes(&p);
        for (f, c) in want {
            assert!(got.contains(&(f.into(), c.into())), "{f} {c}: {p}");
        }
        if got.iter().any(|(_, c)| c == "UNKNOWN_PLACE") {
            // Suggestions name the airports near the city; the centre is not taken.
            let s = &p["extra"]["suggestions"]["arrival.place"];
            assert!(s.to_string().contains("(MUC)"), "{p}");
            assert!(
                p["errors"].to_string().contains("city centre does not"),
                "{p}"
            );
        }
    }
    // Nothing of a refused batch was saved.
    let t = json_of(&app, &format!("/api/v1/trips/{id}"), &tok).await;
    assert_eq!(t["arrival"]["time"], "10:00");
    // PUT /trips/{id} checks the same way; a trip without destinations has no point yet.
    let r = app
        .put(
            &format!("/api/v1/trips/{id}"),
            json!({ "departure": { "time": "7:00" } }),
            Some(&tok),
        )
        .await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert!(
        field_codes(&p).contains(&("departure.place".into(), "REQUIRED".into())),
        "{p}"
    );
    let fresh = app
        .create_trip(&tok, json!({ "tripName": "Empty", "transportMode": "car" }))
        .await;
    let r = app
        .put(
            &format!("/api/v1/trips/{fresh}"),
            json!({ "arrival": { "time": "10:00", "place": "MUC" } }),
            Some(&tok),
        )
        .await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert!(
        field_codes(&p).contains(&("arrival".into(), "DESTINATIONS_REQUIRED".into())),
        "{p}"
    );
}
