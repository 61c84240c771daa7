//! The world gazetteer over real HTTP on SQLite and PostgreSQL: every bundled city resolves
//! by its English, Korean and local names (geocode, `/cities/resolve`, trip destinations),
//! cities without imported places answer too and say so, and a city outranks the shops
//! whose name merely contains it.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(bundled_and_world_cities_by_any_name);

async fn geocode(app: &TestApp, q: &str) -> Value {
    let resp = app
        .get(
            &format!("/api/v1/locations/geocode?q={}", urlencode(q)),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK, "{q}");
    resp.json().await.unwrap()
}

async fn resolve(app: &TestApp, q: &str) -> Value {
    let resp = app
        .get(
            &format!("/api/v1/locations/cities/resolve?name={}", urlencode(q)),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK, "{q}");
    resp.json().await.unwrap()
}

async fn bundled_and_world_cities_by_any_name(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let report = app
        .import(&[
            "city-extracts-2020/munchen.osm.pbf",
            "city-extracts-2020/porto.osm.pbf",
            "city-extracts-2020/london.osm.pbf",
            "city-extracts-2020/monaco.osm.pbf",
            "city-extracts-2020/andorra.osm.pbf",
            "helsinki-centre/Helsinki.osm.pbf",
        ])
        .await;
    assert_eq!(report.failed_files(), 0);
    // English, Korean, local (and other) names of every bundled city → the same city,
    // which has places.
    for (names, geonames_id) in [
        (
            &["Munich", "뮌헨", "München", "MUNCHEN", "Monaco di Baviera"][..],
            2867714,
        ),
        (&["Porto", "포르투", "Oporto"][..], 2735943),
        (&["London", "런던", "Londres", "Лондон"][..], 2643743),
        (&["Helsinki", "헬싱키", "Helsingfors"][..], 658225),
        (&["Monaco", "모나코", "Mónaco", "Munegu"][..], 2993458),
        (
            &["Andorra la Vella", "안도라라베야", "Andorra-la-Vella"][..],
            3041563,
        ),
    ] {
        for q in names {
            let v = geocode(&app, q).await;
            let first = &v[0];
            assert_eq!(first["kind"], "city", "{q}: {v}");
            assert_eq!(first["geonamesId"], geonames_id, "{q}: {v}");
            assert_eq!(first["hasPlaces"], true, "{q}: {first}");
            assert!(first["placeCount"].as_u64().unwrap() > 0, "{q}: {first}");
            assert_eq!(first["importHint"], Value::Null, "{q}");
            let r = resolve(&app, q).await;
            assert_eq!(r["city"]["geonamesId"], geonames_id, "{q}: {r}");
            assert_eq!(r["city"]["hasPlaces"], true, "{q}: {r}");
        }
    }
    // Cities with no places imported: known by every name, marked, with the way to import.
    for (q, geonames_id, zone) in [
        ("Moscow", 524901, "Europe/Moscow"),
        ("모스크바", 524901, "Europe/Moscow"),
        ("Москва", 524901, "Europe/Moscow"),
        ("Lisbon", 2267057, "Europe/Lisbon"),
        ("리스본", 2267057, "Europe/Lisbon"),
        ("Wien", 2761369, "Europe/Vienna"),
        ("빈", 2761369, "Europe/Vienna"),
        ("Seoul", 1835848, "Asia/Seoul"),
        ("서울", 1835848, "Asia/Seoul"),
    ] {
        let v = geocode(&app, q).await;
        let first = &v[0];
        assert_eq!(first["geonamesId"], geonames_id, "{q}: {v}");
        assert_eq!(first["timeZone"], zone, "{q}");
        assert_eq!(first["hasPlaces"], false, "{q}");
        assert_eq!(first["placeCount"], 0, "{q}");
        assert!(
            first["importHint"]
                .as_str()
                .unwrap()
                .contains("tripgen import osm"),
            "{first}"
        );
    }
    assert_eq!(geocode(&app, "Moscow").await[0]["nameKo"], "모스크바");
    // Typing: a prefix finds the biggest city first.
    assert_eq!(geocode(&app, "Mosc").await[0]["geonamesId"], 524901);
    // A city outranks places whose name merely contains the query: "Porto" is the city even
    // though the Porto extract is full of "… Porto" places.
    let v = geocode(&app, "porto").await;
    assert_eq!(v[0]["kind"], "city");
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    let first_place = kinds
        .iter()
        .position(|k| *k == "place")
        .unwrap_or(kinds.len());
    assert!(
        kinds[first_place..].iter().all(|k| *k == "place"),
        "{kinds:?}"
    );

    // Trip destinations resolve to the city by any name, never to a shop.
    let (tok, _) = app.user("gazetteer1").await;
    let resp = app
        .post(
            "/api/v1/trips",
            json!({ "tripName": "Europe", "transportMode": "public",
                    "members": [{ "name": "Mina", "age": 30, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }] }),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = app
        .put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2026-06-01", "destinations": [
                { "destinationName": "런던", "nights": 1 },
                { "destinationName": "Helsingfors", "nights": 1 },
                { "destinationName": "Moscow", "nights": 1 }
            ]}),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let t: Value = resp.json().await.unwrap();
    let d = &t["destinations"];
    assert_eq!(d[0]["city"]["name"], "London", "{d}");
    assert_eq!(d[0]["city"]["timeZone"], "Europe/London");
    assert_eq!(d[1]["city"]["name"], "Helsinki");
    assert_eq!(d[2]["city"]["name"], "Moscow");
    assert_eq!(d[2]["city"]["timeZone"], "Europe/Moscow");
    let lat = d[2]["city"]["lat"]
        .as_f64()
        .unwrap_or(d[2]["lodging"]["lat"].as_f64().unwrap());
    assert!(
        (lat - 55.75).abs() < 0.05,
        "the city centre, not a shop: {}",
        d[2]
    );
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
