//! Change detection (TRIP-062), D-1 notices, recommendations (AI-020) and the `/api/v1/ai`
//! API over HTTP, on real Munich OSM data, with Open-Meteo faked at the protocol level
//! (a local HTTP server whose forecast the test changes between generation and check).
//! Every test runs on SQLite and PostgreSQL.

use crate::common;

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_location::config::WeatherProviderKind;
use tripgen_platform::clock::ManualClock;

fn config(store: &Store, meteo: &str) -> tripgen::config::Config {
    let mut c = store.config();
    c.location.weather.provider = WeatherProviderKind::OpenMeteo;
    c.location.weather.open_meteo_url = meteo.to_string();
    c.location.weather.open_meteo_air_quality_url = meteo.to_string();
    // Forecasts are cached in Redis for 6 h across restarts; this test changes the
    // forecast behind the cache's back, so it keeps them in process only.
    c.redis.url = None;
    c
}

async fn trip(app: &TestApp, tok: &str, name: &str) -> String {
    let id = app
        .create_trip(
            tok,
            json!({ "tripName": name, "transportMode": "public", "members": [
                { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture", "shopping"] },
                { "name": "Opa", "age": 74, "gender": "male", "healthStatus": "caution", "preferences": ["rest"] },
                { "name": "Jun", "age": 8, "gender": "male", "healthStatus": "excellent", "preferences": ["nature"] }
            ]}),
        )
        .await;
    app.set_destinations(
        tok,
        &id,
        json!({ "startDate": FIRST, "destinations": [
            { "destinationName": "München", "nights": 2, "accommodation": "Bayerischer Hof" }
        ]}),
    )
    .await;
    id
}

async fn schedule(app: &TestApp, tok: &str, id: &str) -> Vec<Value> {
    let s: Value = app
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(tok))
        .await
        .json()
        .await
        .unwrap();
    s["days"].as_array().unwrap().clone()
}

fn stop_ids(day: &Value) -> Vec<String> {
    day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["placeId"].as_str().unwrap().to_string())
        .collect()
}

/// A place near the hotel closed all day on `date`, whose category has another place
/// open 09:00–12:00 that day within 1 km (so the check has an alternative to offer).
async fn closed_place_with_open_neighbour(app: &TestApp, date: NaiveDate) -> (String, String) {
    let loc = app.contexts.locations.as_ref().unwrap();
    let hotel = tripgen_location::GeoPoint::new(48.1402, 11.5735).unwrap();
    let around = loc
        .places_around(hotel, 1_500.0, 2_000, &[date])
        .await
        .unwrap();
    for p in &around {
        let cat = tripgen::adapters::planner_category(p.place.category);
        if !matches!(cat, "cafe" | "restaurant" | "museum" | "gallery") {
            continue;
        }
        if !p.hours[0].as_ref().is_some_and(|v| v.is_empty()) {
            continue;
        }
        let neighbour = around.iter().any(|q| {
            tripgen::adapters::planner_category(q.place.category) == cat
                && q.place.position.haversine_m(&p.place.position) <= 1_000.0
                && q.hours[0]
                    .as_deref()
                    .is_some_and(|iv| iv.iter().any(|(o, c)| *o <= 9 * 60 && *c >= 12 * 60))
        });
        if neighbour {
            return (p.place.id.as_str().to_string(), cat.to_string());
        }
    }
    panic!("the Munich data has no place closed on {date} with an open neighbour");
}

on_both_backends!(
    change_detection_and_day_before_notice,
    ai_api_and_recommendations
);

async fn change_detection_and_day_before_notice(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let (meteo, meteo_url) = FakeMeteo::start(fair()).await;
    let clock = ManualClock::new(Utc::now());
    let app = TestApp::start(config(&store, &meteo_url), clock.clone()).await;
    app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    let (tok, _) = app.user("changes1").await;
    let id = trip(&app, &tok, "München 주말").await;

    // Bad input: no schedule yet, someone else's trip.
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/check"),
            json!({}),
            Some(&tok),
        )
        .await;
    problem(r, StatusCode::CONFLICT, "NO_SCHEDULE").await;
    let (other, _) = app.user("changes2").await;
    app.generate(&tok, &id, json!({})).await;
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/check"),
            json!({}),
            Some(&other),
        )
        .await;
    problem(r, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;

    let days = schedule(&app, &tok, &id).await;
    assert_eq!(days.len(), 3);
    assert_eq!(days[0]["weather"]["sky"], "clear", "{}", days[0]["weather"]);

    // Nothing changed yet: keep.
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/check"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["changed"], false, "{v}");
    assert_eq!(v["suggestion"], "keep");
    assert_eq!(v["daysChecked"], 3);
    assert_eq!(v["daysWithForecast"], 3);

    // Sunday: put a place closed that day into the plan (forced past the edit check).
    let sunday: NaiveDate = "2027-06-06".parse().unwrap();
    let (closed, category) = closed_place_with_open_neighbour(&app, sunday).await;
    let mut ids = stop_ids(&days[1]);
    ids.retain(|p| *p != closed);
    ids.insert(0, closed.clone());
    let body = json!({ "placeIds": ids });
    let r = app
        .put(
            &format!("/api/v1/trips/{id}/schedules/days/2"),
            body.clone(),
            Some(&tok),
        )
        .await;
    problem(r, StatusCode::CONFLICT, "SCHEDULE_RULES_VIOLATED").await;
    let r = app
        .put(
            &format!("/api/v1/trips/{id}/schedules/days/2?force=true"),
            body,
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    // The forecast turns: Saturday 12 °C colder, Sunday rain; Monday unchanged.
    let mut turned = fair();
    turned[0] = (2, 12.0, 4.0);
    turned[1] = (63, 19.0, 12.0);
    meteo.set(turned);
    // Forecasts are cached for 6 h in the process: a new process sees the new one (as a
    // replica would the next day).
    app.stop().await;
    let app = TestApp::start(config(&store, &meteo_url), clock.clone()).await;

    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/check"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["cached"], false,
        "the schedule changed since the last check: {v}"
    );
    assert_eq!(v["changed"], true);
    assert_ne!(v["suggestion"], "keep");
    let by_day = |n: u64| {
        v["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["day"] == n)
            .cloned()
    };
    let sat = by_day(1).expect("Saturday changed");
    let codes = |d: &Value| -> Vec<String> {
        d["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&sat), ["TEMPERATURE_SHIFT"], "{sat}");
    let sun = by_day(2).expect("Sunday changed");
    let sun_codes = codes(&sun);
    assert!(sun_codes.contains(&"WEATHER_RAIN".to_string()), "{sun}");
    assert!(sun_codes.contains(&"PLACE_CLOSED".to_string()), "{sun}");
    assert_eq!(sun["currentWeather"]["sky"], "rain");
    assert_eq!(sun["plannedWeather"]["sky"], "clear");
    assert_ne!(sun["suggestion"], "keep");
    let stop = &sun["stops"][0];
    assert_eq!(stop["placeId"], closed.as_str(), "{sun}");
    assert_eq!(stop["stopIndex"], 0);
    assert_eq!(stop["suggestion"], "replacePlace");
    let alt = &stop["alternative"];
    assert!(alt.is_object(), "an open {category} nearby: {stop}");
    assert_eq!(alt["category"], category.as_str());
    assert_ne!(alt["placeId"], closed.as_str());
    assert!(alt["metres"].as_u64().unwrap() <= 1_500);
    assert!(!alt["open"].as_array().unwrap().is_empty());
    assert!(by_day(3).is_none(), "Monday is unchanged: {v}");

    // At most once a day: the stored result comes back.
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/check"),
            json!({}),
            Some(&tok),
        )
        .await;
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["cached"], true);
    assert_eq!(again["checkedAt"], v["checkedAt"]);
    assert_eq!(again["reasons"], v["reasons"]);

    // The AI API's weather impact: the weather part only.
    let r = app
        .post(
            &format!("/api/v1/ai/trips/{id}/weather-impact"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let w: Value = r.json().await.unwrap();
    let wdays = w["days"].as_array().unwrap();
    assert_eq!(wdays.len(), 2, "{w}");
    assert!(
        wdays
            .iter()
            .all(|d| d["stops"].as_array().unwrap().is_empty())
    );

    // D-1: the day before the trip (Friday noon in Munich) a notice appears, once, and
    // the owner gets an e-mail.
    let r = app
        .get(&format!("/api/v1/trips/{id}/notices"), Some(&tok))
        .await;
    let n: Value = r.json().await.unwrap();
    assert_eq!(n["items"].as_array().unwrap().len(), 0);
    // Friday 12:00 in Munich (CEST, UTC+2).
    let friday = Utc.with_ymd_and_hms(2027, 6, 4, 10, 0, 0).unwrap();
    clock.set(friday);
    // Tokens issued "months ago" have expired: sign in again.
    let relogin = |name: &'static str| {
        let app = &app;
        async move {
            let v: Value = app.login(name, PASSWORD).await.json().await.unwrap();
            v["accessToken"].as_str().unwrap().to_string()
        }
    };
    let tok = relogin("changes1").await;
    let other = relogin("changes2").await;
    let t0 = Instant::now();
    let notices = loop {
        let n: Value = app
            .get(&format!("/api/v1/trips/{id}/notices"), Some(&tok))
            .await
            .json()
            .await
            .unwrap();
        if !n["items"].as_array().unwrap().is_empty() {
            break n;
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "no D-1 notice");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(notices["unread"], 1);
    let notice = &notices["items"][0];
    assert_eq!(notice["kind"], "d-1");
    assert!(
        notice["title"]
            .as_str()
            .unwrap()
            .contains("starts tomorrow")
    );
    assert!(
        notice["message"].as_str().unwrap().contains("Day 2"),
        "{notice}"
    );
    assert_eq!(notice["report"]["changed"], true);
    // A new day: the D-1 job ran a fresh check.
    assert_ne!(notice["report"]["checkedAt"], v["checkedAt"]);

    // Live: the event stream starts with the stored notice.
    let resp = app
        .http
        .get(app.url(&format!("/api/v1/trips/{id}/notices/events")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut resp = resp;
    let mut body = String::new();
    while !body.contains("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), resp.chunk())
            .await
            .expect("an event")
            .unwrap()
            .expect("stream open");
        body.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(body.contains("event: notice"), "{body}");
    assert!(body.contains(notice["id"].as_str().unwrap()), "{body}");
    drop(resp);

    // Mark read; the scan keeps running but the notice is not repeated.
    let nid = notice["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/notices/{nid}/read"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let read: Value = r.json().await.unwrap();
    assert!(read["readAt"].is_string());
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/notices/not-a-notice/read"),
            json!({}),
            Some(&tok),
        )
        .await;
    problem(r, StatusCode::NOT_FOUND, "NOTICE_NOT_FOUND").await;
    let r = app
        .get(&format!("/api/v1/trips/{id}/notices"), Some(&other))
        .await;
    problem(r, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;
    clock.advance(chrono::Duration::minutes(20));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let n: Value = app
        .get(&format!("/api/v1/trips/{id}/notices"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(n["items"].as_array().unwrap().len(), 1, "{n}");
    assert_eq!(n["unread"], 0);

    // The e-mail (file transport: the outbox in the data dir).
    let outbox = store.data_dir.path().join("outbox");
    let mails: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .collect();
    // Nothing else mails this user in this test: exactly the one D-1 e-mail.
    assert_eq!(mails.len(), 1, "one D-1 e-mail");
    assert!(mails[0].contains("changes1@example.com"), "{}", mails[0]);
    app.stop().await;
}

async fn ai_api_and_recommendations(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let (_meteo, meteo_url) = FakeMeteo::start({
        let mut d = fair();
        d[1] = (61, 18.0, 11.0);
        d
    })
    .await;
    let app = TestApp::start(config(&store, &meteo_url), ManualClock::new(Utc::now())).await;
    app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    let (tok, _) = app.user("aiapi1").await;
    let (other, _) = app.user("aiapi2").await;
    let id = trip(&app, &tok, "AI API").await;

    // Generation through the AI API.
    let r = app
        .post(
            "/api/v1/ai/schedules/generate",
            json!({ "tripId": id, "startTime": "09:10" }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid = r.json::<Value>().await.unwrap()["requestId"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .get(&format!("/api/v1/ai/schedules/{rid}/status"), Some(&other))
        .await;
    problem(r, StatusCode::NOT_FOUND, "GENERATION_NOT_FOUND").await;
    let done = app
        .wait_job(&tok, &format!("/api/v1/ai/schedules/{rid}/status"))
        .await;
    assert_eq!(done["status"], "completed", "{done}");
    let r = app
        .get(&format!("/api/v1/ai/schedules/{rid}"), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let res: Value = r.json().await.unwrap();
    assert_eq!(res["tripId"], id.as_str());
    assert_eq!(res["schedule"]["days"].as_array().unwrap().len(), 3);
    let r = app
        .delete(&format!("/api/v1/ai/schedules/{rid}"), Some(&tok))
        .await;
    problem(r, StatusCode::CONFLICT, "GENERATION_FINISHED").await;
    let r = app
        .get(
            "/api/v1/ai/schedules/0190aaaa-0000-7000-8000-000000000000/status",
            Some(&tok),
        )
        .await;
    problem(r, StatusCode::NOT_FOUND, "GENERATION_NOT_FOUND").await;
    let r = app
        .post(
            "/api/v1/ai/schedules/regenerate",
            json!({ "tripId": id, "day": 2, "startTime": "09:05" }),
            Some(&tok),
        )
        .await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert_eq!(
        field_codes(&p),
        [("startTime".to_string(), "NOT_ON_STEP".to_string())]
    );
    let r = app
        .post(
            "/api/v1/ai/schedules/regenerate",
            json!({ "tripId": id, "day": 2 }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid2 = r.json::<Value>().await.unwrap()["requestId"]
        .as_str()
        .unwrap()
        .to_string();
    let done = app
        .wait_job(&tok, &format!("/api/v1/ai/schedules/{rid2}/status"))
        .await;
    assert_eq!(done["status"], "completed", "{done}");

    // Recommendations: a museum of the plan, for this group.
    let days = schedule(&app, &tok, &id).await;
    let museum = days
        .iter()
        .flat_map(|d| d["stops"].as_array().unwrap().iter())
        .find(|s| {
            matches!(
                s["category"].as_str(),
                Some("museum" | "gallery" | "attraction" | "historic")
            )
        })
        .expect("a sight in the plan")["placeId"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/ai/places/{museum}/recommendations"),
            json!({ "tripId": id }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let rec: Value = r.json().await.unwrap();
    assert_eq!(rec["placeId"], museum.as_str());
    assert_eq!(rec["source"], "rules");
    assert_eq!(rec["cached"], false);
    assert_eq!(rec["city"], "Munich");
    let codes: Vec<&str> = rec["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"INTEREST_MATCH"), "{rec}");
    assert!(rec["tips"]["durationMinutes"].as_u64().unwrap() >= 15);
    assert!(rec["tips"]["bestTime"]["text"].as_str().unwrap().len() > 10);
    assert!(
        rec["tips"]["weather"]
            .as_str()
            .unwrap()
            .contains("2027-06-06"),
        "{rec}"
    );
    assert!(!rec["summary"].as_str().unwrap().is_empty());
    // Same place, same group: the 24 h cache, also through the location path.
    let r = app
        .get(
            &format!("/api/v1/locations/places/{museum}/recommendations?tripId={id}"),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["cached"], true);
    assert_eq!(again["reasons"], rec["reasons"]);

    // Bad input.
    let r = app
        .get(
            &format!("/api/v1/locations/places/{museum}/recommendations"),
            Some(&tok),
        )
        .await;
    let p = problem(r, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    assert_eq!(
        field_codes(&p),
        [("tripId".to_string(), "REQUIRED".to_string())]
    );
    let r = app
        .post(
            &format!("/api/v1/ai/places/{museum}/recommendations"),
            json!({ "tripId": id }),
            Some(&other),
        )
        .await;
    problem(r, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;
    let r = app
        .post(
            "/api/v1/ai/places/osm:node:1/recommendations",
            json!({ "tripId": id }),
            Some(&tok),
        )
        .await;
    problem(r, StatusCode::NOT_FOUND, "PLACE_NOT_FOUND").await;
    let r = app
        .post(
            &format!("/api/v1/ai/places/{museum}/recommendations"),
            json!({ "tripId": id }),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}
