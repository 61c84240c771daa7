//! Google Routes API v2: `computeRouteMatrix` (a streamed JSON array, elements in
//! completion order, zero values left out as proto3 JSON does) and `computeRoutes`.
//!
//! Network of the fake: straight line × 1.3 (metres rounded), WALK 1.3 m/s, DRIVE 9 m/s,
//! TRANSIT 6 m/s + 300 s. Destinations south of 60° S are unreachable
//! (`ROUTE_NOT_FOUND`). Enforces the key, the field mask and the element limits
//! (625; 100 for transit) with Google's error envelope.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures::StreamExt;
use serde_json::{Value, json};

use super::{Control, haversine_m, serve};

pub const KEY: &str = "AIza-fake-test-key";

pub fn speed(mode: &str) -> f64 {
    match mode {
        "DRIVE" => 9.0,
        "TRANSIT" => 6.0,
        _ => 1.3,
    }
}

/// (seconds, metres) for a pair.
pub fn leg(mode: &str, a: (f64, f64), b: (f64, f64)) -> (u64, u64) {
    let metres = (haversine_m(a, b) * 1.3).round();
    let mut secs = (metres / speed(mode)).round();
    if mode == "TRANSIT" && metres > 0.0 {
        secs += 300.0;
    }
    (secs as u64, metres as u64)
}

#[derive(Clone, Default)]
pub struct Stats {
    /// Elements per computeRouteMatrix request, in arrival order.
    pub matrix_sizes: Arc<Mutex<Vec<usize>>>,
}

fn google_error(status: StatusCode, code: &str, message: &str) -> Response {
    google_error_with(status, code, message, json!([]))
}

fn google_error_with(status: StatusCode, code: &str, message: &str, details: Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        json!({ "error": { "code": status.as_u16(), "message": message, "status": code, "details": details } })
            .to_string(),
    )
        .into_response()
}

fn check_headers(headers: &HeaderMap) -> Option<Response> {
    match headers.get("x-goog-api-key").and_then(|v| v.to_str().ok()) {
        Some(KEY) => {}
        Some(_) => {
            return Some(google_error_with(
                StatusCode::BAD_REQUEST,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                json!([{
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": { "service": "routes.googleapis.com" }
                }]),
            ));
        }
        None => {
            return Some(google_error(
                StatusCode::FORBIDDEN,
                "PERMISSION_DENIED",
                "The request is missing a valid API key.",
            ));
        }
    }
    if headers.get("x-goog-fieldmask").is_none() {
        return Some(google_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it.",
        ));
    }
    None
}

fn lat_lng(waypoint: &Value) -> Option<(f64, f64)> {
    let ll = &waypoint["location"]["latLng"];
    Some((ll["latitude"].as_f64()?, ll["longitude"].as_f64()?))
}

async fn matrix(State(stats): State<Stats>, headers: HeaderMap, body: String) -> Response {
    if let Some(e) = check_headers(&headers) {
        return e;
    }
    let Ok(req) = serde_json::from_str::<Value>(&body) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            "Invalid JSON payload received.",
        );
    };
    let mode = req["travelMode"].as_str().unwrap_or("DRIVE").to_string();
    let parse = |key: &str| -> Option<Vec<(f64, f64)>> {
        req[key]
            .as_array()?
            .iter()
            .map(|o| lat_lng(&o["waypoint"]))
            .collect()
    };
    let (Some(origins), Some(destinations)) = (parse("origins"), parse("destinations")) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            "Invalid waypoint.",
        );
    };
    let elements = origins.len() * destinations.len();
    stats.matrix_sizes.lock().unwrap().push(elements);
    let limit = if mode == "TRANSIT" { 100 } else { 625 };
    if elements > limit {
        return google_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            &format!("The product of number of origins and destinations must not exceed {limit}."),
        );
    }
    let mut items = Vec::new();
    for (o, a) in origins.iter().enumerate() {
        for (d, b) in destinations.iter().enumerate() {
            let mut e = serde_json::Map::new();
            // proto3 JSON: zero values are left out.
            if o != 0 {
                e.insert("originIndex".into(), json!(o));
            }
            if d != 0 {
                e.insert("destinationIndex".into(), json!(d));
            }
            e.insert("status".into(), json!({}));
            if b.0 < -60.0 {
                e.insert("condition".into(), json!("ROUTE_NOT_FOUND"));
            } else {
                let (secs, metres) = leg(&mode, *a, *b);
                if metres != 0 {
                    e.insert("distanceMeters".into(), json!(metres));
                }
                e.insert("duration".into(), json!(format!("{secs}s")));
                e.insert("staticDuration".into(), json!(format!("{secs}s")));
                e.insert("condition".into(), json!("ROUTE_EXISTS"));
            }
            items.push(Value::Object(e).to_string());
        }
    }
    // Completion order is not request order.
    items.reverse();
    // Streamed: "[", then each element as it is "computed", then "]".
    let n = items.len();
    let chunks: Vec<String> = std::iter::once("[\n".to_string())
        .chain(items.into_iter().enumerate().map(move |(i, item)| {
            if i + 1 < n {
                format!("{item},\n")
            } else {
                format!("{item}\n")
            }
        }))
        .chain(std::iter::once("]".to_string()))
        .collect();
    let stream = futures::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_micros(200)).await;
        Ok::<_, std::io::Error>(c)
    });
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn routes(headers: HeaderMap, body: String) -> Response {
    if let Some(e) = check_headers(&headers) {
        return e;
    }
    let Ok(req) = serde_json::from_str::<Value>(&body) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            "Invalid JSON payload received.",
        );
    };
    let mode = req["travelMode"].as_str().unwrap_or("DRIVE").to_string();
    let (Some(a), Some(b)) = (lat_lng(&req["origin"]), lat_lng(&req["destination"])) else {
        return google_error(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            "Invalid waypoint.",
        );
    };
    if b.0 < -60.0 {
        // No route: an empty object.
        return (StatusCode::OK, [("content-type", "application/json")], "{}").into_response();
    }
    let (secs, metres) = leg(&mode, a, b);
    let line = if req["polylineEncoding"] == "GEO_JSON_LINESTRING" {
        json!({ "geoJsonLinestring": { "type": "LineString",
            "coordinates": [[a.1, a.0], [(a.1 + b.1) / 2.0, a.0], [b.1, b.0]] } })
    } else {
        json!({ "encodedPolyline": "_p~iF~ps|U_ulLnnqC_mqNvxq`@" })
    };
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        json!({ "routes": [{ "distanceMeters": metres, "duration": format!("{secs}s"), "polyline": line }] })
            .to_string(),
    )
        .into_response()
}

pub async fn start() -> (String, Control, Stats) {
    let stats = Stats::default();
    let (url, control) = serve(
        Router::new()
            .route("/distanceMatrix/v2:computeRouteMatrix", post(matrix))
            .route("/directions/v2:computeRoutes", post(routes))
            .with_state(stats.clone()),
    )
    .await;
    (url, control, stats)
}
