//! The API's contract guard: a scripted session over HTTP (sign-up, sign-in, profile, a trip
//! from creation through generation, edits, versions, sharing, export, change check, nearby
//! search, place details, recommendations, dashboard and errors) whose every response is
//! reduced to its JSON *shape* — keys and value types, never values, so ids, times and the
//! planner's choices do not matter — and must conform to `golden/session.json` (show no key
//! or type it lacks, see `shape`); the OpenAPI document is compared with
//! `golden/openapi.json` as it is.
//!
//! Refactoring must keep both unchanged. A deliberate API change re-records them with
//! `TRIPGEN_UPDATE_GOLDEN=1 cargo test --workspace --test api -- response_shapes::` and
//! shows up in review as a diff of the golden files. Recording merges into the session
//! file (each run's plan shows other optional keys), so a removed key needs the file
//! deleted first.

use crate::common;

use chrono::{DateTime, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_location::config::WeatherProviderKind;
use tripgen_platform::clock::ManualClock;

mod golden;
mod shape;

use golden::{Recorder, check_golden, check_session};

on_both_backends!(openapi_document_is_unchanged);
on_both_backends!(session_keeps_its_shapes);

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

async fn session_keeps_its_shapes(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let (_meteo, meteo_url) = FakeMeteo::start(fair()).await;
    let mut config = store.config();
    config.location.weather.provider = WeatherProviderKind::OpenMeteo;
    config.location.weather.open_meteo_url = meteo_url.clone();
    config.location.weather.open_meteo_air_quality_url = meteo_url;
    let app = TestApp::start(config, ManualClock::new(utc("2027-06-01T08:00:00Z"))).await;
    app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    let mut r = Recorder { steps: Vec::new() };
    let ok = StatusCode::OK;

    // Users.
    r.take(
        "check username",
        app.get("/api/v1/users/check/username/shape01", None).await,
        ok,
    )
    .await;
    r.take(
        "register",
        app.post("/api/v1/users/register", registration("shape01"), None)
            .await,
        StatusCode::CREATED,
    )
    .await;
    let login = r
        .take("login", app.login("shape01", PASSWORD).await, ok)
        .await;
    let refresh = login["refreshToken"].as_str().expect("refresh").to_string();
    let refreshed = r
        .take(
            "refresh",
            app.post(
                "/api/v1/users/token/refresh",
                json!({ "refreshToken": refresh }),
                None,
            )
            .await,
            ok,
        )
        .await;
    let tok = refreshed["accessToken"]
        .as_str()
        .expect("access")
        .to_string();
    let tok = tok.as_str();
    r.take(
        "profile",
        app.get("/api/v1/users/profile", Some(tok)).await,
        ok,
    )
    .await;
    r.take(
        "profile update",
        app.put(
            "/api/v1/users/profile",
            json!({ "name": "Minji Kim" }),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;

    // A trip.
    let trip = r
        .take(
            "create trip",
            app.post(
                "/api/v1/trips",
                json!({ "tripName": "Shape", "transportMode": "public", "members": [
                    { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture", "shopping"] },
                    { "name": "Opa", "age": 74, "gender": "male", "healthStatus": "caution", "preferences": ["rest"] }
                ]}),
                Some(tok),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    let id = trip["id"].as_str().expect("id").to_string();
    let t = format!("/api/v1/trips/{id}");
    r.take("trip", app.get(&t, Some(tok)).await, ok).await;
    let members = r
        .take(
            "members",
            app.get(&format!("{t}/members"), Some(tok)).await,
            ok,
        )
        .await;
    let mid = members
        .as_array()
        .and_then(|m| m.first())
        .or_else(|| members["members"].get(0))
        .and_then(|m| m["id"].as_str())
        .expect("a member id")
        .to_string();
    r.take(
        "member",
        app.get(&format!("{t}/members/{mid}"), Some(tok)).await,
        ok,
    )
    .await;
    r.take(
        "add member",
        app.post(
            &format!("{t}/members"),
            json!({ "name": "Jun", "age": 8, "gender": "male", "healthStatus": "excellent", "preferences": ["nature"] }),
            Some(tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    r.take(
        "destinations batch",
        app.put(
            &format!("{t}/destinations/batch"),
            json!({ "startDate": FIRST, "destinations": [
                { "destinationName": "München", "nights": 2, "accommodation": "Bayerischer Hof" }
            ]}),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "destinations",
        app.get(&format!("{t}/destinations"), Some(tok)).await,
        ok,
    )
    .await;

    // Generation.
    let started = r
        .take(
            "generate",
            app.post(&format!("{t}/schedules/generate"), json!({}), Some(tok))
                .await,
            StatusCode::ACCEPTED,
        )
        .await;
    let rid = started["requestId"].as_str().expect("rid").to_string();
    let status_path = format!("{t}/schedules/generate/{rid}");
    let done = app.wait_job(tok, &status_path).await;
    assert_eq!(done["status"], "completed", "{done}");
    r.take(
        "generation status",
        app.get(&status_path, Some(tok)).await,
        ok,
    )
    .await;
    let days = r
        .take(
            "schedules",
            app.get(&format!("{t}/schedules"), Some(tok)).await,
            ok,
        )
        .await;
    r.take(
        "schedules day",
        app.get(&format!("{t}/schedules?day=2"), Some(tok)).await,
        ok,
    )
    .await;
    r.take("route", app.get(&format!("{t}/route"), Some(tok)).await, ok)
        .await;
    r.take(
        "route day",
        app.get(&format!("{t}/route?day=1"), Some(tok)).await,
        ok,
    )
    .await;

    // Edits and versions: day 2's own stops, saved whatever the rules say.
    let day2: Vec<Value> = days["days"][1]["stops"]
        .as_array()
        .expect("stops")
        .iter()
        .filter_map(|s| s["placeId"].as_str().map(|p| json!(p)))
        .collect();
    r.take(
        "edit day",
        app.put(
            &format!("{t}/schedules/days/2?force=true"),
            json!({ "placeIds": day2 }),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "edit rejected",
        app.put(
            &format!("{t}/schedules/days/2"),
            json!({ "placeIds": ["osm:node:1"] }),
            Some(tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let versions = r
        .take(
            "versions",
            app.get(&format!("{t}/schedules/days/2/versions"), Some(tok))
                .await,
            ok,
        )
        .await;
    let v1 = versions["versions"]
        .as_array()
        .and_then(|v| v.iter().filter_map(|v| v["version"].as_i64()).min())
        .unwrap_or(1);
    r.take(
        "restore version",
        app.post(
            &format!("{t}/schedules/days/2/versions/{v1}/restore"),
            json!({}),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "regenerate day",
        app.post(
            &format!("{t}/schedules/days/3/regenerate"),
            json!({}),
            Some(tok),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;

    // Sharing and export.
    let share = r
        .take(
            "share",
            app.post(&format!("{t}/share"), json!({}), Some(tok)).await,
            StatusCode::CREATED,
        )
        .await;
    let token = share["token"].as_str().expect("share token").to_string();
    let s = format!("/api/v1/trips/shared/{token}");
    r.take("shared trip", app.get(&s, None).await, ok).await;
    r.take(
        "shared schedules",
        app.get(&format!("{s}/schedules"), None).await,
        ok,
    )
    .await;
    r.take(
        "shared route",
        app.get(&format!("{s}/route"), None).await,
        ok,
    )
    .await;
    r.take(
        "export ics",
        app.post(
            &format!("{t}/schedules/export"),
            json!({ "format": "ics" }),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "export bad format",
        app.post(
            &format!("{t}/schedules/export"),
            json!({ "format": "doc" }),
            Some(tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // Changes and notices.
    r.take(
        "change check",
        app.post(
            &format!("{t}/schedules/check"),
            json!({ "day": 1 }),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "notices",
        app.get(&format!("{t}/notices"), Some(tok)).await,
        ok,
    )
    .await;

    // Locations.
    r.take(
        "nearby",
        app.post(
            "/api/v1/locations/search/nearby",
            json!({ "origin": { "lat": 48.1374, "lon": 11.5755 }, "budget": 10, "limit": 5 }),
            None,
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "nearby by keyword",
        app.post(
            "/api/v1/locations/search/nearby",
            json!({ "origin": { "lat": 48.1374, "lon": 11.5755 }, "budget": 30, "keyword": "museum", "sort": "name", "limit": 3 }),
            None,
        )
        .await,
        ok,
    )
    .await;
    let found = r
        .take(
            "keyword",
            app.get("/api/v1/locations/search/keyword?q=Hofbr%C3%A4uhaus", None)
                .await,
            ok,
        )
        .await;
    // A fixed place (plans may differ between backends; the place's shape must not).
    let pid = found["items"][0]["place"]["id"]
        .as_str()
        .expect("Hofbräuhaus is in the catalogue")
        .to_string();
    r.take(
        "place",
        app.get(&format!("/api/v1/locations/places/{pid}"), None)
            .await,
        ok,
    )
    .await;
    r.take(
        "business hours",
        app.get(
            &format!("/api/v1/locations/places/{pid}/business-hours?date=2027-06-05"),
            None,
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "place day",
        app.get(
            &format!("/api/v1/locations/places/{pid}/day/2027-06-05"),
            None,
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "geocode",
        app.get("/api/v1/locations/geocode?q=M%C3%BCnchen", None)
            .await,
        ok,
    )
    .await;
    r.take(
        "route between",
        app.get(
            "/api/v1/locations/routes?from=48.1374,11.5755&to=48.1402,11.5735&mode=walk",
            None,
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "resolve city",
        app.get(
            "/api/v1/locations/cities/resolve?name=%EB%AE%8C%ED%97%A8",
            None,
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "places around",
        app.get(
            "/api/v1/locations/places/around?lat=48.1374&lon=11.5755&radius=500&limit=200&dates=2027-06-05",
            None,
        )
        .await,
        ok,
    )
    .await;
    r.take(
        "recommendations",
        app.get(
            &format!("/api/v1/locations/places/{pid}/recommendations?tripId={id}"),
            Some(tok),
        )
        .await,
        ok,
    )
    .await;

    // Lists and dashboard.
    r.take("trips", app.get("/api/v1/trips", Some(tok)).await, ok)
        .await;
    r.take(
        "trips search",
        app.get("/api/v1/trips?q=Sha&sort=name", Some(tok)).await,
        ok,
    )
    .await;
    r.take(
        "summary",
        app.get("/api/v1/trips/summary", Some(tok)).await,
        ok,
    )
    .await;

    // Errors.
    r.take(
        "no token",
        app.get("/api/v1/trips", None).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    r.take(
        "invalid trip",
        app.post("/api/v1/trips", json!({ "tripName": "" }), Some(tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    r.take(
        "malformed JSON",
        app.http
            .post(app.url("/api/v1/trips"))
            .bearer_auth(tok)
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .expect("request"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    r.take(
        "unknown trip",
        app.get(
            "/api/v1/trips/0190aaaa-0000-7000-8000-000000000000",
            Some(tok),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    r.take(
        "unknown route",
        app.get("/api/v1/nowhere", None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    r.take(
        "wrong password",
        app.login("shape01", "Wrong-password1!").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    r.take(
        "logout",
        app.post("/api/v1/users/logout", json!({}), Some(tok)).await,
        StatusCode::NO_CONTENT,
    )
    .await;

    check_session(&r.steps);
    app.stop().await;
}

async fn openapi_document_is_unchanged(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .expect("OpenAPI JSON");
    check_golden("openapi.json", &doc);
    app.stop().await;
}
