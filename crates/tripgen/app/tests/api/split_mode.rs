//! Split mode end to end: gateway, user, trip, location and ai targets as separate app
//! instances on ephemeral ports sharing one database (as the Kubernetes deployment runs
//! them). Through the gateway only: sign up, create a trip (the trip target resolves the
//! city at the location target over HTTP), generate (the trip target enqueues, the ai
//! target's workers plan with places from the location target over HTTP), follow the
//! request through both APIs, check the schedule for changes, and ask for a
//! recommendation (routed to the ai target). On SQLite and PostgreSQL.

use crate::common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_platform::clock::ManualClock;

on_both_backends!(split_targets_generate_end_to_end);

async fn split_targets_generate_end_to_end(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let clock = ManualClock::new(Utc::now());
    let apps = SplitApps::start(&store, &clock, &["city-extracts-2020/munchen.osm.pbf"]).await;
    assert!(
        apps.trip.contexts.ai.is_none(),
        "the trip target runs no AI context"
    );
    assert!(apps.ai.contexts.trips.is_none() && apps.ai.contexts.locations.is_none());
    let gw = &apps.gateway;

    let (tok, _) = gw.user("splituser").await;
    let r = gw
        .post(
            "/api/v1/trips",
            json!({ "tripName": "Split", "transportMode": "public", "members": [
                { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = gw
        .put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2027-06-01", "destinations": [
                { "destinationName": "뮌헨", "nights": 2, "accommodation": "Bayerischer Hof" }
            ]}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    let t0 = Instant::now();
    let r = gw
        .post(
            &format!("/api/v1/trips/{id}/schedules/generate"),
            json!({ "startTime": "09:30" }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let rid = r.json::<Value>().await.unwrap()["requestId"]
        .as_str()
        .unwrap()
        .to_string();
    let mut via_ai = false;
    let done = loop {
        // Alternate between the trip API and the AI API (two targets, one job row).
        via_ai = !via_ai;
        let path = if !via_ai {
            format!("/api/v1/trips/{id}/schedules/generate/{rid}")
        } else {
            format!("/api/v1/ai/schedules/{rid}/status")
        };
        let r = gw.get(&path, Some(&tok)).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let v: Value = r.json().await.unwrap();
        if matches!(
            v["status"].as_str(),
            Some("completed" | "failed" | "cancelled")
        ) {
            break v;
        }
        assert!(t0.elapsed() < Duration::from_secs(180), "not finished: {v}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    };
    eprintln!(
        "{backend:?} split mode: 202 → completed in {:?}",
        t0.elapsed()
    );
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["saved"], true);
    assert_eq!(done["result"]["days"], 3);

    let r = gw
        .get(&format!("/api/v1/ai/schedules/{rid}"), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let res: Value = r.json().await.unwrap();
    let days = res["schedule"]["days"].as_array().unwrap();
    assert_eq!(days.len(), 3);
    let stops: Vec<&Value> = days
        .iter()
        .flat_map(|d| d["stops"].as_array().unwrap().iter())
        .collect();
    assert!(stops.len() >= 6, "a real plan: {} stops", stops.len());
    assert!(
        stops
            .iter()
            .all(|s| s["placeId"].as_str().unwrap().starts_with("osm:"))
    );

    // The ai target planned on the street router's times, as in-process: every walked leg
    // (a `good` member walks at the router's pace) takes what the location target's
    // router answers for it.
    let mut walked = 0;
    for d in days {
        let mut points = vec![&d["start"]["position"]];
        points.extend(
            d["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| &s["position"]),
        );
        points.push(&d["end"]["position"]);
        for (i, leg) in d["legs"].as_array().unwrap().iter().enumerate() {
            if leg["mode"] != "walk" || leg["metres"] == 0 {
                continue;
            }
            let (a, b) = (points[i], points[i + 1]);
            let r: Value = gw
                .get(
                    &format!(
                        "/api/v1/locations/routes?from={},{}&to={},{}&mode=walk",
                        a["lat"], a["lon"], b["lat"], b["lon"]
                    ),
                    Some(&tok),
                )
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(r["provider"], "embedded", "{r}");
            assert_eq!(leg["minutes"], r["minutes"], "leg {leg} routed {r}");
            walked += 1;
        }
    }
    assert!(walked > 0, "some legs are walked");
    // Saved with their street paths (the trip side asks the location target's routes).
    let saved: Value = gw
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        saved["days"].as_array().unwrap().iter().any(|d| {
            let plan = if d["plan"].is_object() { &d["plan"] } else { d };
            plan["legs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["path"].as_array().is_some_and(|p| p.len() > 2))
        }),
        "{saved}"
    );

    // Change detection on the trip target (hours from the location target over HTTP).
    let r = gw
        .post(
            &format!("/api/v1/trips/{id}/schedules/check"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let check: Value = r.json().await.unwrap();
    assert_eq!(check["changed"], false, "{check}");
    assert_eq!(check["daysChecked"], 3);

    // The place page's recommendation: routed to the ai target.
    let pid = stops[0]["placeId"].as_str().unwrap();
    let r = gw
        .get(
            &format!("/api/v1/locations/places/{pid}/recommendations?tripId={id}"),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let rec: Value = r.json().await.unwrap();
    assert_eq!(rec["placeId"], pid);
    assert_eq!(rec["city"], "Munich");
    // …and the location target itself serves its own API, not this one.
    let r = gw
        .get(&format!("/api/v1/locations/places/{pid}"), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    apps.stop().await;
}
