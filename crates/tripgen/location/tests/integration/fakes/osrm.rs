//! OSRM v5 HTTP API (`osrm-routed`): `table` and `route` services.
//!
//! Road network of the fake: straight line × 1.25; foot 1.4 m/s, car 10 m/s. Points south
//! of 60° S are off the network: `null` table cells and `NoRoute` for routes, the way
//! OSRM answers for points it cannot connect.

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::{Control, haversine_m, serve};

pub const DETOUR: f64 = 1.25;

pub fn speed(profile: &str) -> f64 {
    if profile == "car" { 10.0 } else { 1.4 }
}

/// (duration s, distance m) the fake answers for a pair, as floats with one decimal.
pub fn leg(profile: &str, a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let distance = (haversine_m(a, b) * DETOUR * 10.0).round() / 10.0;
    let duration = (distance / speed(profile) * 10.0).round() / 10.0;
    (duration, distance)
}

fn off_network(p: (f64, f64)) -> bool {
    p.0 < -60.0
}

fn error(code: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "code": code, "message": message })),
    )
        .into_response()
}

/// `lon,lat;lon,lat` → (lat, lon) pairs.
fn parse_coords(s: &str) -> Option<Vec<(f64, f64)>> {
    s.split(';')
        .map(|pair| {
            let (lon, lat) = pair.split_once(',')?;
            let (lon, lat): (f64, f64) = (lon.parse().ok()?, lat.parse().ok()?);
            ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
        })
        .collect()
}

fn waypoint(p: (f64, f64)) -> Value {
    json!({
        "hint": "KSoKgP___38AAAAAGQAAAAAAAAAAAAAA5Rs8QQAAAAAAAAAAGQAAAAAAAAAAAAAA",
        "distance": 4.231,
        "name": "Marienplatz",
        "location": [p.1, p.0]
    })
}

fn query_param(raw: &Option<String>, key: &str) -> Option<String> {
    raw.as_deref()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.replace("%3B", ";").replace("%2C", ","))
}

fn indices(raw: Option<String>, n: usize) -> Option<Vec<usize>> {
    match raw {
        None => Some((0..n).collect()),
        Some(s) if s == "all" => Some((0..n).collect()),
        Some(s) => s
            .split(';')
            .map(|i| i.parse().ok().filter(|i: &usize| *i < n))
            .collect(),
    }
}

async fn table(Path((profile, coords)): Path<(String, String)>, RawQuery(q): RawQuery) -> Response {
    let Some(points) = parse_coords(&coords) else {
        return error("InvalidQuery", "Query string malformed close to position 0");
    };
    let (Some(sources), Some(destinations)) = (
        indices(query_param(&q, "sources"), points.len()),
        indices(query_param(&q, "destinations"), points.len()),
    ) else {
        return error(
            "InvalidOptions",
            "Source or destination indices are greater than number of coordinates",
        );
    };
    let annotations = query_param(&q, "annotations").unwrap_or_else(|| "duration".into());
    let mut durations = Vec::new();
    let mut distances = Vec::new();
    for &s in &sources {
        let mut drow = Vec::new();
        let mut mrow = Vec::new();
        for &d in &destinations {
            let (a, b) = (points[s], points[d]);
            if off_network(a) || off_network(b) {
                drow.push(Value::Null);
                mrow.push(Value::Null);
            } else {
                let (dur, dist) = leg(&profile, a, b);
                drow.push(json!(dur));
                mrow.push(json!(dist));
            }
        }
        durations.push(drow);
        distances.push(mrow);
    }
    let mut body = json!({
        "code": "Ok",
        "durations": durations,
        "sources": sources.iter().map(|&i| waypoint(points[i])).collect::<Vec<_>>(),
        "destinations": destinations.iter().map(|&i| waypoint(points[i])).collect::<Vec<_>>(),
    });
    if annotations.contains("distance") {
        body["distances"] = json!(distances);
    }
    Json(body).into_response()
}

async fn route(Path((profile, coords)): Path<(String, String)>) -> Response {
    let Some(points) = parse_coords(&coords).filter(|p| p.len() >= 2) else {
        return error("InvalidQuery", "Query string malformed close to position 0");
    };
    if points.iter().any(|p| off_network(*p)) {
        return error("NoRoute", "Impossible route between points");
    }
    let (a, b) = (points[0], points[points.len() - 1]);
    let (duration, distance) = leg(&profile, a, b);
    // A dog-leg line: start, a corner, end (GeoJSON order lon, lat).
    let geometry = json!({
        "type": "LineString",
        "coordinates": [[a.1, a.0], [b.1, a.0], [b.1, b.0]]
    });
    Json(json!({
        "code": "Ok",
        "routes": [{
            "geometry": geometry,
            "legs": [{ "steps": [], "summary": "", "weight": duration, "duration": duration, "distance": distance }],
            "weight_name": "routability",
            "weight": duration,
            "duration": duration,
            "distance": distance
        }],
        "waypoints": [waypoint(a), waypoint(b)]
    }))
    .into_response()
}

pub async fn start() -> (String, Control) {
    serve(
        Router::new()
            .route("/table/v1/{profile}/{coords}", get(table))
            .route("/route/v1/{profile}/{coords}", get(route)),
    )
    .await
}
