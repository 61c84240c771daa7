//! Local, protocol-faithful fakes of the external providers (OSRM, Google Routes,
//! Open-Meteo, OpenWeatherMap) for the adapter tests. Each fake is an axum app on
//! 127.0.0.1:0 whose responses follow the provider's documented shapes, wrapped in a
//! middleware that counts and records requests and can inject faults (status codes,
//! delays, malformed bodies). Nothing here talks to the internet.
#![allow(dead_code)]

pub mod google;
pub mod open_meteo;
pub mod osrm;
pub mod owm;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

/// A fault applied to a request before the protocol handler sees it.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status and a short text body.
    Status(u16),
    /// Answer with this status and this JSON body (provider error envelopes).
    Json(u16, String),
    /// Wait, then answer normally (or never, if the client gave up).
    Sleep(Duration),
    /// 200 with a body that is not JSON.
    Malformed,
}

/// What a fake saw.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }

    pub fn query_value(&self, key: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Default)]
struct ControlInner {
    calls: AtomicUsize,
    once: Mutex<VecDeque<Fault>>,
    always: Mutex<Option<Fault>>,
    requests: Mutex<Vec<Recorded>>,
}

/// Test-side handle of a running fake.
#[derive(Clone, Default)]
pub struct Control(Arc<ControlInner>);

impl Control {
    /// Requests received (including faulted ones).
    pub fn calls(&self) -> usize {
        self.0.calls.load(Ordering::SeqCst)
    }

    /// Faults for the next requests, one each, in order.
    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.0.once.lock().unwrap().extend(faults);
    }

    /// A fault for every request until cleared with `None`.
    pub fn fail_always(&self, fault: Option<Fault>) {
        *self.0.always.lock().unwrap() = fault;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.0.requests.lock().unwrap().clone()
    }

    pub fn last(&self) -> Recorded {
        self.requests()
            .last()
            .cloned()
            .expect("no request recorded")
    }

    fn next_fault(&self) -> Option<Fault> {
        if let Some(f) = self.0.once.lock().unwrap().pop_front() {
            return Some(f);
        }
        self.0.always.lock().unwrap().clone()
    }
}

async fn record_and_inject(State(control): State<Control>, req: Request, next: Next) -> Response {
    control.0.calls.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    control.0.requests.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers.clone(),
        body: bytes.clone(),
    });
    match control.next_fault() {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap();
            return (status, format!("injected {code}")).into_response();
        }
        Some(Fault::Json(code, body)) => {
            let status = StatusCode::from_u16(code).unwrap();
            return (status, [("content-type", "application/json")], body).into_response();
        }
        Some(Fault::Malformed) => {
            return (
                StatusCode::OK,
                [("content-type", "application/json")],
                "{\"code\":\"Ok\",\"durations\":[[0,",
            )
                .into_response();
        }
        Some(Fault::Sleep(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Serves `app` on 127.0.0.1:0; returns its base URL and control handle.
pub async fn serve(app: Router) -> (String, Control) {
    let control = Control::default();
    let app = app.layer(middleware::from_fn_with_state(
        control.clone(),
        record_and_inject,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), control)
}

/// Great-circle distance, metres (the fakes' "road network" is a stretched straight line).
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().min(1.0).asin()
}
