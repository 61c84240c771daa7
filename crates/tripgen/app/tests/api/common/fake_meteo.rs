//! Open-Meteo faked at the protocol level: a local HTTP server speaking its forecast and
//! air-quality API, whose forecast a test can change between requests.

use std::sync::{Arc, Mutex};

use axum::extract::RawQuery;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// First day the fake forecasts (and the trip's start: Saturday).
pub const FIRST: &str = "2027-06-05";

/// One forecast day: WMO weather code, max and min °C.
pub type Day = (u8, f32, f32);

#[derive(Clone)]
pub struct FakeMeteo {
    days: Arc<Mutex<Vec<Day>>>,
}

fn param(q: &Option<String>, key: &str) -> Option<String> {
    q.as_deref()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

impl FakeMeteo {
    /// Serves `/v1/forecast` and `/v1/air-quality`; returns the fake and its base URL.
    pub async fn start(days: Vec<Day>) -> (FakeMeteo, String) {
        let fake = FakeMeteo {
            days: Arc::new(Mutex::new(days)),
        };
        let f = fake.clone();
        let app = Router::new()
            .route(
                "/v1/forecast",
                get(move |RawQuery(q): RawQuery| {
                    let f = f.clone();
                    async move {
                        let n: usize = param(&q, "forecast_days")
                            .and_then(|d| d.parse().ok())
                            .unwrap_or(7);
                        let days = f.days.lock().unwrap().clone();
                        let first: NaiveDate = FIRST.parse().unwrap();
                        let n = n.min(days.len());
                        let time: Vec<String> = (0..n)
                            .map(|i| (first + chrono::Days::new(i as u64)).to_string())
                            .collect();
                        let pick = |k: usize| -> Vec<Value> {
                            days[..n]
                                .iter()
                                .map(|d| match k {
                                    0 => json!(d.0),
                                    1 => json!(d.1),
                                    _ => json!(d.2),
                                })
                                .collect()
                        };
                        let wet = |d: &Day| d.0 >= 51;
                        Json(json!({
                            "latitude": 48.14, "longitude": 11.58, "utc_offset_seconds": 7200,
                            "timezone": "Europe/Berlin", "timezone_abbreviation": "GMT+2",
                            "daily": {
                                "time": time,
                                "weather_code": pick(0),
                                "temperature_2m_max": pick(1),
                                "temperature_2m_min": pick(2),
                                "precipitation_probability_max": days[..n].iter().map(|d| if wet(d) { 90 } else { 5 }).collect::<Vec<_>>(),
                                "precipitation_sum": days[..n].iter().map(|d| if wet(d) { 12.0 } else { 0.0 }).collect::<Vec<_>>(),
                                "wind_speed_10m_max": vec![10.0; n],
                                "wind_gusts_10m_max": vec![20.0; n],
                            }
                        }))
                    }
                }),
            )
            .route(
                "/v1/air-quality",
                get(|| async {
                    let first: NaiveDate = FIRST.parse().unwrap();
                    let mut time = Vec::new();
                    for d in 0..7u64 {
                        for h in 0..24 {
                            time.push(format!("{}T{h:02}:00", first + chrono::Days::new(d)));
                        }
                    }
                    let n = time.len();
                    Json(json!({
                        "latitude": 48.14, "longitude": 11.58, "utc_offset_seconds": 7200,
                        "timezone": "Europe/Berlin",
                        "hourly": { "time": time, "european_aqi": vec![20; n] }
                    }))
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        (fake, format!("http://{addr}"))
    }

    pub fn set(&self, days: Vec<Day>) {
        *self.days.lock().unwrap() = days;
    }
}

/// Clear and mild for 16 days.
pub fn fair() -> Vec<Day> {
    vec![(0, 24.0, 14.0); 16]
}
