//! Weather out of the box: Open-Meteo is the default provider; when it answers, generation
//! uses its forecast; when it is silent or unreachable (no network), generation waits no
//! longer than `location.weather.timeout_ms` for it and the plans say "forecast
//! unavailable". Open-Meteo is faked at the protocol level by local servers.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use common::*;
use serde_json::{Value, json};
use tripgen::adapters::ai_weather::ProviderWeather;
use tripgen::config::Config;
use tripgen_ai::ports::WeatherPort;
use tripgen_location::config::{LocationWeatherConfig, WeatherProviderKind};
use tripgen_location::providers::{ProviderCache, WEATHER_TTL, WeatherProviders};
use tripgen_platform::clock::ManualClock;

const FIRST: &str = "2027-06-05";

/// Answers `/v1/forecast` (16 clear days from FIRST) and `/v1/air-quality` like Open-Meteo.
async fn open_meteo() -> String {
    let app = Router::new()
        .route(
            "/v1/forecast",
            get(|| async {
                let first: NaiveDate = FIRST.parse().unwrap();
                let time: Vec<String> = (0..16u64)
                    .map(|i| (first + chrono::Days::new(i)).to_string())
                    .collect();
                Json(json!({
                    "latitude": 48.14, "longitude": 11.58, "timezone": "Europe/Berlin",
                    "daily": {
                        "time": time,
                        "weather_code": vec![0; 16],
                        "temperature_2m_max": vec![24.0; 16],
                        "temperature_2m_min": vec![14.0; 16],
                        "precipitation_probability_max": vec![5; 16],
                        "precipitation_sum": vec![0.0; 16],
                        "wind_speed_10m_max": vec![10.0; 16],
                        "wind_gusts_10m_max": vec![20.0; 16],
                    }
                }))
            }),
        )
        .route(
            "/v1/air-quality",
            get(|| async { Json(json!({ "hourly": { "time": [], "european_aqi": [] } })) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Accepts connections and never answers (an overloaded or black-holed service).
async fn silent() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    format!("http://{addr}")
}

/// No route at all: TEST-NET-1 (RFC 5737) is never assigned, so this is "no network".
const UNREACHABLE: &str = "http://192.0.2.1:9";

fn weather(url: &str, timeout_ms: u64, retries: u32) -> LocationWeatherConfig {
    LocationWeatherConfig {
        provider: WeatherProviderKind::OpenMeteo,
        open_meteo_url: url.into(),
        open_meteo_air_quality_url: url.into(),
        timeout_ms,
        retries,
        ..LocationWeatherConfig::default()
    }
}

fn port(cfg: &LocationWeatherConfig) -> ProviderWeather {
    let providers =
        WeatherProviders::from_config(cfg, ProviderCache::in_process(WEATHER_TTL, 100)).unwrap();
    ProviderWeather {
        providers: Arc::new(providers),
        budget: Duration::from_millis(cfg.timeout_ms),
    }
}

#[test]
fn open_meteo_is_the_default() {
    let c = Config::load(None, &[]).unwrap();
    assert_eq!(c.location.weather.provider, WeatherProviderKind::OpenMeteo);
    assert_eq!(
        c.location.weather.open_meteo_url,
        "https://api.open-meteo.com"
    );
    // `none` stays available.
    let none = Config::load(
        None,
        &[("TRIPGEN_LOCATION__WEATHER__PROVIDER".into(), "none".into())],
    )
    .unwrap();
    assert_eq!(none.location.weather.provider, WeatherProviderKind::None);
}

#[tokio::test]
async fn the_generation_port_waits_at_most_its_timeout() {
    let munich = tripgen_planner::itinerary::LatLon {
        lat: 48.14,
        lon: 11.58,
    };
    let first: NaiveDate = FIRST.parse().unwrap();
    let dates = [first, first + chrono::Days::new(1)];

    // A service that answers: forecasts for both days.
    let ok = port(&weather(&open_meteo().await, 2_000, 0));
    let f = ok.forecast(munich, "Europe/Berlin", &dates).await.unwrap();
    assert!(
        f.iter().all(|d| d
            .as_ref()
            .is_some_and(|d| d.sky == tripgen_planner::itinerary::Sky::Clear)),
        "{f:?}"
    );

    // Silent, and no network: no forecast, and no longer than the timeout. With three
    // retries of 600 ms each the provider alone would take ≥ 2.4 s.
    for url in [silent().await, UNREACHABLE.to_string()] {
        let p = port(&weather(&url, 600, 3));
        let t0 = Instant::now();
        let f = p.forecast(munich, "Europe/Berlin", &dates).await.unwrap();
        let waited = t0.elapsed();
        assert_eq!(f, vec![None, None], "{url}");
        assert!(
            waited < Duration::from_millis(600 + 900),
            "{url}: waited {waited:?} for a 600 ms timeout"
        );
    }
}

on_both_backends!(plans_say_forecast_unavailable_when_open_meteo_is_silent);

async fn plans_say_forecast_unavailable_when_open_meteo_is_silent(backend: Backend) {
    let Some(store) = Store::new(backend).await else {
        return;
    };
    let mut config = store.config();
    config.location.weather = weather(&silent().await, 1_000, 2);
    let clock = ManualClock::new(chrono::Utc::now());
    let app = TestApp::start(config, clock).await;
    app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    let (tok, _) = app.user("weather1").await;
    let id = app
        .create_trip(
            &tok,
            json!({ "tripName": "Weather", "transportMode": "public", "members": [
                { "name": "Ana", "age": 35, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    let start = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    app.set_destinations(
        &tok,
        &id,
        json!({ "startDate": start, "destinations": [
            { "destinationName": "München", "nights": 1, "accommodation": "Bayerischer Hof" }
        ]}),
    )
    .await;
    app.generate(&tok, &id, json!({})).await;
    let s: Value = app
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 2, "{s}");
    for d in days {
        let plan = if d["plan"].is_object() { &d["plan"] } else { d };
        assert!(
            plan["weatherNotes"]
                .to_string()
                .contains("Forecast unavailable"),
            "{plan}"
        );
        assert!(
            !plan["stops"].as_array().unwrap().is_empty(),
            "still a plan"
        );
    }
    app.stop().await;
}
