//! The location context over real HTTP on SQLite and PostgreSQL, on the real OSM data.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    import_is_idempotent_and_newer_wins,
    nearby_search_by_travel_time,
    keyword_search_and_geocode,
    place_details_and_hours,
    catalogue_cities_list_what_was_imported,
);

/// `GET /locations/cities`: empty before any import, then each city with its place count
/// and the import (source, time) that brought it.
async fn catalogue_cities_list_what_was_imported(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let empty: Value = app
        .get("/api/v1/locations/cities", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty, json!([]));
    app.import(&[
        "city-extracts-2020/porto.osm.pbf",
        "helsinki-centre/Helsinki.osm.pbf",
    ])
    .await;
    let r = app.get("/api/v1/locations/cities", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cities: Vec<Value> = r.json().await.unwrap();
    let find = |en: &str| {
        cities
            .iter()
            .find(|c| c["nameEn"] == en || c["name"] == en)
            .unwrap_or_else(|| panic!("{en} in {cities:?}"))
            .clone()
    };
    let porto = find("Porto");
    let helsinki = find("Helsinki");
    assert!(porto["placeCount"].as_u64().unwrap() > 100, "{porto}");
    assert_eq!(porto["nameKo"], "포르투");
    assert!(
        porto["lastImport"]["source"]
            .as_str()
            .unwrap()
            .ends_with("porto.osm.pbf"),
        "{porto}"
    );
    assert!(
        helsinki["lastImport"]["source"]
            .as_str()
            .unwrap()
            .ends_with("Helsinki.osm.pbf"),
        "{helsinki}"
    );
    assert!(porto["lastImport"]["importedAt"].is_string());
    assert!(porto["timeZone"] == "Europe/Lisbon", "{porto}");
    app.stop().await;
}

const MARIENPLATZ: (f64, f64) = (48.1374, 11.5755);

async fn import_is_idempotent_and_newer_wins(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let first = app
        .import(&[
            "city-extracts-2020/munchen.osm.pbf",
            "munich-overpass-2025/restaurants.json",
        ])
        .await;
    assert_eq!(first.failed_files(), 0);
    let pbf = &first.files[0];
    assert!(pbf.inserted > 1500, "{pbf:?}");
    assert!(
        pbf.skipped.get("noName").copied().unwrap_or(0) > 0,
        "skips are counted with reasons"
    );
    let geo = &first.files[1];
    assert!(geo.updated > 50, "2025 records replace 2020 ones: {geo:?}");
    assert!(first.cities_in_gazetteer >= 1);
    // A second run changes nothing.
    let again = app
        .import(&[
            "city-extracts-2020/munchen.osm.pbf",
            "munich-overpass-2025/restaurants.json",
        ])
        .await;
    assert_eq!(again.changed(), 0, "{again:?}");
    // Importing the older file after the newer one keeps the newer record.
    let older = app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    assert_eq!(older.changed(), 0);
    // Hofbräuhaus exists in both files: the 2025 GeoJSON record is the one stored.
    let v: Value = app
        .get("/api/v1/locations/search/keyword?q=Hofbr%C3%A4uhaus", None)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["place"]["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!ids.is_empty());
    let mut from_2025 = 0;
    for id in &ids {
        let d: Value = app
            .get(&format!("/api/v1/locations/places/{id}"), None)
            .await
            .json()
            .await
            .unwrap();
        if d["place"]["source"]["dataset"] == "restaurants.json" {
            from_2025 += 1;
        }
    }
    assert!(from_2025 >= 1, "newer record wins for {ids:?}");
    app.stop().await;
}

async fn nearby_search_by_travel_time(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "munich-overpass-2025/cafes.json",
    ])
    .await;
    let search = |body: Value| app.post("/api/v1/locations/search/nearby", body, None);
    for (mode, budget) in [("walk", 10), ("transit", 30), ("car", 60)] {
        let v: Value = search(json!({"origin": {"lat": MARIENPLATZ.0, "lon": MARIENPLATZ.1}, "mode": mode, "budget": budget}))
            .await
            .json()
            .await
            .unwrap();
        let items = v["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{mode}/{budget}");
        let minutes: Vec<u64> = items
            .iter()
            .map(|i| i["travel"]["minutes"].as_u64().unwrap())
            .collect();
        assert!(minutes.iter().all(|m| *m <= budget), "{mode}: {minutes:?}");
        assert!(
            minutes.windows(2).all(|w| w[0] <= w[1]),
            "sorted by travel time"
        );
        assert!(
            items
                .iter()
                .all(|i| i["travel"]["metres"].as_u64().is_some())
        );
    }
    // Walk all pages of food within 10 minutes: no duplicates, total matches.
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    let mut total: u64;
    loop {
        let mut body = json!({"origin": {"lat": MARIENPLATZ.0, "lon": MARIENPLATZ.1}, "budget": 10, "category": "food", "limit": 25});
        if let Some(c) = &cursor {
            body["cursor"] = json!(c);
        }
        let v: Value = search(body).await.json().await.unwrap();
        total = v["total"].as_u64().unwrap();
        for i in v["items"].as_array().unwrap() {
            assert!(
                ["restaurant", "cafe", "bar"].contains(&i["place"]["category"].as_str().unwrap())
            );
            assert!(
                seen.insert(i["place"]["id"].as_str().unwrap().to_string()),
                "duplicate across pages"
            );
        }
        match v["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len() as u64, total);
    assert!(total > 25, "several pages");
    // Keyword and sort by name.
    let v: Value = search(json!({"origin": {"lat": MARIENPLATZ.0, "lon": MARIENPLATZ.1}, "budget": 30, "keyword": "museum", "sort": "name"}))
        .await.json().await.unwrap();
    let names: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["place"]["names"]["local"]
                .as_str()
                .unwrap()
                .to_lowercase()
        })
        .collect();
    assert!(!names.is_empty());
    // Origin by place id and by name.
    let first_id = v["items"][0]["place"]["id"].as_str().unwrap().to_string();
    let r = search(json!({"origin": {"placeId": first_id}, "budget": 10})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = search(json!({"origin": {"query": "München"}, "budget": 10})).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Bad input names the field.
    for (body, field, code) in [
        (
            json!({"origin": {"lat": 200.0, "lon": 11.5}, "budget": 10}),
            "origin.lat",
            "OUT_OF_RANGE",
        ),
        (
            json!({"origin": {"lat": 48.1, "lon": 11.5}, "budget": 15}),
            "budget",
            "NOT_ALLOWED",
        ),
        (
            json!({"origin": {"lat": 48.1, "lon": 11.5}}),
            "budget",
            "REQUIRED",
        ),
        (
            json!({"origin": {"lat": 48.1, "lon": 11.5}, "budget": 10, "category": "volcanoes"}),
            "category",
            "UNKNOWN_CATEGORY",
        ),
        (
            json!({"origin": {"lat": 48.1, "lon": 11.5}, "budget": 10, "keyword": "  "}),
            "keyword",
            "REQUIRED",
        ),
        (
            json!({"origin": {"lat": 48.1, "lon": 11.5}, "budget": 10, "mode": "teleport"}),
            "mode",
            "UNKNOWN_VALUE",
        ),
        (
            json!({"origin": {"lat": 48.1, "lon": 11.5}, "budget": 10, "cursor": "garbage"}),
            "cursor",
            "INVALID_CURSOR",
        ),
        (json!({"origin": {}, "budget": 10}), "origin", "REQUIRED"),
        (
            json!({"origin": {"placeId": "osm:node:1"}, "budget": 10}),
            "origin.placeId",
            "NOT_FOUND",
        ),
    ] {
        let p = problem(
            search(body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(
            field_codes(&p),
            vec![(field.to_string(), code.to_string())],
            "{body}"
        );
    }
    app.stop().await;
}

async fn keyword_search_and_geocode(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/london.osm.pbf",
        "helsinki-centre/Helsinki.osm.pbf",
    ])
    .await;
    let v: Value = app
        .get(
            &format!(
                "/api/v1/locations/search/keyword?q=hofbr%C3%A4u&lat={}&lon={}&radius=3000",
                MARIENPLATZ.0, MARIENPLATZ.1
            ),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["distanceMetres"].as_u64().unwrap() <= 3000)
    );
    assert!(items.iter().all(|i| {
        i["place"]["names"]["local"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("hofbräu")
    }));
    // Two-letter queries and category filters.
    let v: Value = app
        .get(
            "/api/v1/locations/search/keyword?q=ca&category=food&size=5",
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(v["items"].as_array().unwrap().len() <= 5);
    problem(
        app.get("/api/v1/locations/search/keyword?q=", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.get("/api/v1/locations/search/keyword?q=abc&lat=48", None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.get("/api/v1/locations/search/keyword?q=abc&size=500", None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    // Geocode cities in Korean, English and the local name.
    for (q, name, tz) in [
        ("뮌헨", "München", "Europe/Berlin"),
        ("munich", "München", "Europe/Berlin"),
        ("Helsinki", "Helsinki", "Europe/Helsinki"),
        ("런던", "London", "Europe/London"),
    ] {
        let v: Value = app
            .get(
                &format!("/api/v1/locations/geocode?q={}", urlencode(q)),
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        let first = &v[0];
        assert_eq!(first["kind"], "city", "{q}: {v}");
        assert_eq!(first["name"], name, "{q}");
        assert_eq!(first["timeZone"], tz, "{q}");
    }
    let v: Value = app
        .get("/api/v1/locations/geocode?q=Marienplatz", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(v.as_array().unwrap().iter().any(|h| h["kind"] == "place"));
    let v: Value = app
        .get("/api/v1/locations/geocode?q=Xqzzyvillex", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v, json!([]));
    app.stop().await;
}

async fn place_details_and_hours(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "munich-overpass-2025/restaurants.json",
    ])
    .await;
    let v: Value = app
        .get("/api/v1/locations/search/keyword?q=Hofbr%C3%A4uhaus", None)
        .await
        .json()
        .await
        .unwrap();
    let id = v["items"][0]["place"]["id"].as_str().unwrap().to_string();
    let d: Value = app
        .get(&format!("/api/v1/locations/places/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["hours"]["timeZone"], "Europe/Berlin");
    assert!(["open", "closed", "unknown"].contains(&d["hours"]["state"].as_str().unwrap()));
    assert_eq!(d["hours"]["week"].as_array().unwrap().len(), 7);
    assert!(d["attribution"].as_str().unwrap().contains("OpenStreetMap"));
    assert!(
        d["directionsUrl"]
            .as_str()
            .unwrap()
            .starts_with("https://www.google.com/maps")
    );
    assert_eq!(d["city"]["nameKo"], "뮌헨");
    assert!(
        d.get("reviews").is_none(),
        "no provider, no reviews section"
    );
    let raw = d["hours"]["openingHours"].clone();
    assert_eq!(
        raw, d["place"]["openingHours"],
        "raw OSM string exposed for re-checking"
    );
    // Business hours for a given week; bad dates and unknown places.
    let h: Value = app
        .get(
            &format!("/api/v1/locations/places/{id}/business-hours?date=2026-12-24"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(h["week"][0]["date"], "2026-12-24");
    problem(
        app.get(
            &format!("/api/v1/locations/places/{id}/business-hours?date=24.12.2026"),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.get("/api/v1/locations/places/osm:node:1", None).await,
        StatusCode::NOT_FOUND,
        "PLACE_NOT_FOUND",
    )
    .await;
    // Routes between coordinates and places.
    let r: Value = app
        .get(
            &format!(
                "/api/v1/locations/routes?from={},{}&to={id}&mode=walk",
                MARIENPLATZ.0, MARIENPLATZ.1
            ),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(r["minutes"].as_u64().unwrap() >= 1 && r["metres"].as_u64().unwrap() > 100);
    // Inside the imported extract the embedded street router answers, along the streets.
    assert_eq!(r["provider"], "embedded", "{r}");
    assert!(r["geometry"].as_array().unwrap().len() > 2, "{r}");
    // Step-free (a traveller who cannot take stairs): the embedded router, never quicker.
    let free: Value = app
        .get(
            &format!(
                "/api/v1/locations/routes?from={},{}&to={id}&mode=walk&stepFree=true",
                MARIENPLATZ.0, MARIENPLATZ.1
            ),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(free["provider"], "embedded", "{free}");
    assert!(
        free["minutes"].as_u64() >= r["minutes"].as_u64(),
        "{free} {r}"
    );
    problem(
        app.get(
            &format!(
                "/api/v1/locations/routes?from={},{}&to={id}&stepFree=maybe",
                MARIENPLATZ.0, MARIENPLATZ.1
            ),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    let car: Value = app
        .get(
            &format!(
                "/api/v1/locations/routes?from={},{}&to={id}&mode=car",
                MARIENPLATZ.0, MARIENPLATZ.1
            ),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        car["minutes"].as_u64() > r["minutes"].as_u64().map(|_| 0),
        "car includes parking time"
    );
    problem(
        app.get("/api/v1/locations/routes?from=1,2&to=&mode=walk", None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    problem(
        app.get("/api/v1/locations/routes?from=1,2&to=3,4&mode=fly", None)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    app.stop().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn cli_import_reports_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_tripgen");
    let garbage = dir.path().join("broken.osm.pbf");
    std::fs::write(&garbage, b"this is not a pbf file").unwrap();
    let run = |files: &[std::path::PathBuf]| {
        std::process::Command::new(bin)
            .args(["import", "osm", "--data-dir"])
            .arg(dir.path())
            .args(files)
            .env("TRIPGEN_LOG__LEVEL", "error")
            .output()
            .unwrap()
    };
    let helsinki = osm_data("helsinki-centre/Helsinki.osm.pbf");
    let out = run(&[helsinki.clone(), garbage.clone()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "a broken file makes the command fail"
    );
    assert!(text.contains("ERROR"), "{text}");
    assert!(
        text.contains("new 1002") || text.contains("new 10"),
        "Helsinki imported before and despite the broken file: {text}"
    );
    let out = run(&[helsinki]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("total: new 0, updated 0"),
        "second run changes nothing: {text}"
    );
    assert!(text.contains("OpenStreetMap contributors"));
}
