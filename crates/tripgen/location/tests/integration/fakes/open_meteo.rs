//! Open-Meteo forecast (`/v1/forecast`) and air-quality (`/v1/air-quality`) APIs, with
//! a fixed 16-day forecast for Munich starting 2025-07-01 (local dates, `timezone=auto`).

use axum::Json;
use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::{Control, serve};

pub const FIRST_DAY: &str = "2025-07-01";

pub const CODES: [Option<u8>; 16] = [
    Some(0),
    Some(2),
    Some(3),
    Some(45),
    Some(61),
    Some(95),
    Some(99),
    Some(71),
    Some(80),
    Some(1),
    Some(0),
    Some(3),
    Some(51),
    Some(66),
    Some(0),
    None,
];
pub const T_MAX: [Option<f32>; 16] = [
    Some(24.3),
    Some(26.1),
    Some(22.0),
    Some(18.5),
    Some(17.2),
    Some(29.8),
    Some(33.4),
    Some(1.5),
    Some(21.0),
    Some(39.1),
    Some(25.0),
    Some(23.0),
    Some(19.0),
    Some(-2.0),
    Some(20.0),
    None,
];
pub const T_MIN: [Option<f32>; 16] = [
    Some(13.1),
    Some(14.0),
    Some(12.2),
    Some(9.8),
    Some(11.0),
    Some(17.5),
    Some(19.9),
    Some(-3.0),
    Some(12.0),
    Some(24.0),
    Some(14.0),
    Some(13.0),
    Some(10.0),
    Some(-12.5),
    Some(9.0),
    None,
];
pub const POP: [Option<u8>; 16] = [
    Some(0),
    Some(5),
    Some(20),
    Some(10),
    Some(85),
    Some(70),
    Some(90),
    Some(40),
    Some(60),
    Some(5),
    Some(0),
    Some(15),
    Some(55),
    Some(65),
    Some(3),
    None,
];
pub const RAIN_MM: [Option<f32>; 16] = [
    Some(0.0),
    Some(0.0),
    Some(0.4),
    Some(0.1),
    Some(12.6),
    Some(8.2),
    Some(21.0),
    Some(4.0),
    Some(3.3),
    Some(0.0),
    Some(0.0),
    Some(0.2),
    Some(1.1),
    Some(2.5),
    Some(0.0),
    None,
];
pub const WIND_KMH: [Option<f32>; 16] = [
    Some(11.2),
    Some(14.8),
    Some(9.4),
    Some(6.1),
    Some(22.3),
    Some(31.0),
    Some(45.0),
    Some(18.0),
    Some(25.0),
    Some(12.0),
    Some(10.0),
    Some(9.0),
    Some(15.0),
    Some(20.0),
    Some(8.0),
    None,
];
pub const GUSTS_KMH: [Option<f32>; 16] = [
    Some(25.9),
    Some(31.3),
    Some(20.2),
    Some(13.0),
    Some(48.6),
    Some(95.4),
    Some(70.2),
    Some(35.0),
    Some(50.0),
    Some(28.0),
    Some(22.0),
    Some(19.0),
    Some(33.0),
    Some(41.0),
    Some(17.0),
    None,
];
/// Daily maximum of the hourly European AQI for the first 7 days.
pub const AQI_MAX: [u16; 7] = [20, 35, 62, 48, 81, 15, 30];

fn param(raw: &Option<String>, key: &str) -> Option<String> {
    raw.as_deref()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.replace("%2C", ","))
}

fn error(reason: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": true, "reason": reason })),
    )
        .into_response()
}

fn dates(n: usize) -> Vec<String> {
    let first = chrono::NaiveDate::parse_from_str(FIRST_DAY, "%Y-%m-%d").unwrap();
    (0..n)
        .map(|i| (first + chrono::Days::new(i as u64)).to_string())
        .collect()
}

async fn forecast(RawQuery(q): RawQuery) -> Response {
    let (Some(lat), Some(lon)) = (param(&q, "latitude"), param(&q, "longitude")) else {
        return error("Parameter 'latitude' and 'longitude' must have the same number of elements");
    };
    let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
        return error("Latitude must be in range of -90 to 90°.");
    };
    let daily = param(&q, "daily").unwrap_or_default();
    for var in daily.split(',') {
        if ![
            "weather_code",
            "temperature_2m_max",
            "temperature_2m_min",
            "precipitation_probability_max",
            "precipitation_sum",
            "wind_speed_10m_max",
            "wind_gusts_10m_max",
        ]
        .contains(&var)
        {
            return error(&format!(
                "Data corrupted at path ''. Cannot initialize ForecastVariableDaily from invalid String value {var}."
            ));
        }
    }
    if param(&q, "timezone").as_deref() != Some("auto") {
        return error("timezone must be auto in this fake");
    }
    let days: usize = param(&q, "forecast_days")
        .and_then(|d| d.parse().ok())
        .unwrap_or(7);
    if days > 16 {
        return error("Forecast days is invalid. Allowed range 0 to 16.");
    }
    let take = |values: &[Option<f32>]| -> Value { json!(values[..days].to_vec()) };
    let codes: Vec<Option<u8>> = CODES[..days].to_vec();
    let pop: Vec<Option<u8>> = POP[..days].to_vec();
    Json(json!({
        "latitude": (lat * 50.0).round() / 50.0,
        "longitude": (lon * 50.0).round() / 50.0,
        "generationtime_ms": 0.0718235969543457,
        "utc_offset_seconds": 7200,
        "timezone": "Europe/Berlin",
        "timezone_abbreviation": "GMT+2",
        "elevation": 524.0,
        "daily_units": {
            "time": "iso8601",
            "weather_code": "wmo code",
            "temperature_2m_max": "°C",
            "temperature_2m_min": "°C",
            "precipitation_probability_max": "%",
            "precipitation_sum": "mm",
            "wind_speed_10m_max": "km/h",
            "wind_gusts_10m_max": "km/h"
        },
        "daily": {
            "time": dates(days),
            "weather_code": codes,
            "temperature_2m_max": take(&T_MAX),
            "temperature_2m_min": take(&T_MIN),
            "precipitation_probability_max": pop,
            "precipitation_sum": take(&RAIN_MM),
            "wind_speed_10m_max": take(&WIND_KMH),
            "wind_gusts_10m_max": take(&GUSTS_KMH)
        }
    }))
    .into_response()
}

async fn air_quality(RawQuery(q): RawQuery) -> Response {
    if param(&q, "hourly").as_deref() != Some("european_aqi") {
        return error("hourly must be european_aqi in this fake");
    }
    let days: usize = param(&q, "forecast_days")
        .and_then(|d| d.parse().ok())
        .unwrap_or(5);
    if days > 7 {
        return error("Forecast days is invalid. Allowed range 0 to 7.");
    }
    let mut time = Vec::new();
    let mut aqi = Vec::new();
    for (d, date) in dates(days).iter().enumerate() {
        for h in 0..24 {
            time.push(format!("{date}T{h:02}:00"));
            // The maximum is reached at hours 0, 7, 14 and 21; the last evening is missing.
            if d == days - 1 && h >= 22 {
                aqi.push(Value::Null);
            } else {
                aqi.push(json!(AQI_MAX[d] - (h % 7) as u16));
            }
        }
    }
    Json(json!({
        "latitude": 48.1,
        "longitude": 11.6,
        "generationtime_ms": 0.3,
        "utc_offset_seconds": 7200,
        "timezone": "Europe/Berlin",
        "timezone_abbreviation": "GMT+2",
        "elevation": 524.0,
        "hourly_units": { "time": "iso8601", "european_aqi": "EAQI" },
        "hourly": { "time": time, "european_aqi": aqi }
    }))
    .into_response()
}

pub async fn start_forecast() -> (String, Control) {
    serve(Router::new().route("/v1/forecast", get(forecast))).await
}

pub async fn start_air_quality() -> (String, Control) {
    serve(Router::new().route("/v1/air-quality", get(air_quality))).await
}
