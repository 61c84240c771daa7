//! OpenWeatherMap One Call API 3.0 (`/data/3.0/onecall`) and air-pollution forecast
//! (`/data/2.5/air_pollution/forecast`) for Munich in summer (UTC+2), 8 days from
//! 2025-07-01, with two DWD alerts.

use axum::Json;
use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::{Control, serve};

pub const KEY: &str = "owm-fake-test-key";
pub const OFFSET: i64 = 7200;
/// 2025-07-01 00:00 UTC.
pub const JUL1_UTC: i64 = 1_751_328_000;

pub const IDS: [u16; 8] = [800, 801, 500, 211, 804, 600, 741, 502];
pub const POP: [f64; 8] = [0.0, 0.1, 0.86, 0.6, 0.2, 0.3, 0.0, 1.0];
pub const T_MIN: [f64; 8] = [13.1, 14.0, 12.2, 18.9, 11.0, -1.5, 9.0, 10.4];
pub const T_MAX: [f64; 8] = [24.3, 26.1, 22.0, 34.2, 17.2, 1.0, 16.0, 15.1];
pub const WIND_MS: [f64; 8] = [4.1, 3.5, 9.8, 6.0, 2.2, 5.5, 1.0, 7.7];
pub const GUST_MS: [Option<f64>; 8] = [
    Some(8.9),
    Some(7.0),
    Some(27.0),
    Some(12.0),
    None,
    Some(10.0),
    None,
    Some(14.0),
];
/// Worst air-quality band per local day (Jul 1 … Jul 5).
pub const AQI_BY_LOCAL_DAY: [u8; 5] = [2, 4, 1, 3, 3];

fn param(raw: &Option<String>, key: &str) -> Option<String> {
    raw.as_deref()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.replace("%2C", ","))
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({
            "cod": 401,
            "message": "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info."
        })),
    )
        .into_response()
}

fn check(q: &Option<String>) -> Result<(f64, f64), Response> {
    if param(q, "appid").as_deref() != Some(KEY) {
        return Err(unauthorized());
    }
    let lat = param(q, "lat").and_then(|v| v.parse().ok());
    let lon = param(q, "lon").and_then(|v| v.parse().ok());
    match (lat, lon) {
        (Some(lat), Some(lon)) => Ok((lat, lon)),
        _ => Err((
            StatusCode::BAD_REQUEST,
            Json(json!({ "cod": "400", "message": "Nothing to geocode" })),
        )
            .into_response()),
    }
}

async fn onecall(RawQuery(q): RawQuery) -> Response {
    let (lat, lon) = match check(&q) {
        Ok(p) => p,
        Err(e) => return e,
    };
    // Without units=metric OWM answers in Kelvin.
    let k = if param(&q, "units").as_deref() == Some("metric") {
        0.0
    } else {
        273.15
    };
    let daily: Vec<Value> = (0..8)
        .map(|i| {
            let noon_local_utc = JUL1_UTC + i as i64 * 86_400 + 12 * 3600 - OFFSET;
            let mut d = json!({
                "dt": noon_local_utc,
                "sunrise": noon_local_utc - 8 * 3600,
                "sunset": noon_local_utc + 9 * 3600,
                "moonrise": noon_local_utc + 3600,
                "moonset": noon_local_utc - 3600,
                "moon_phase": 0.2,
                "summary": "Expect a day of partly cloudy with rain",
                "temp": { "day": T_MAX[i] - 1.0 + k, "min": T_MIN[i] + k, "max": T_MAX[i] + k,
                          "night": T_MIN[i] + 2.0 + k, "eve": T_MAX[i] - 3.0 + k, "morn": T_MIN[i] + 1.0 + k },
                "feels_like": { "day": T_MAX[i] + k, "night": T_MIN[i] + k, "eve": T_MAX[i] + k, "morn": T_MIN[i] + k },
                "pressure": 1016,
                "humidity": 59,
                "dew_point": 12.3,
                "wind_speed": WIND_MS[i],
                "wind_deg": 250,
                "weather": [{ "id": IDS[i], "main": "Clouds", "description": "weather", "icon": "04d" }],
                "clouds": 40,
                "pop": POP[i],
                "uvi": 6.1
            });
            if let Some(g) = GUST_MS[i] {
                d["wind_gust"] = json!(g);
            }
            if (500..600).contains(&IDS[i]) || (200..300).contains(&IDS[i]) {
                d["rain"] = json!(4.2);
            }
            if (600..700).contains(&IDS[i]) {
                d["snow"] = json!(1.3);
            }
            d
        })
        .collect();
    let day = |n: i64, local_hour: i64| JUL1_UTC + n * 86_400 + local_hour * 3600 - OFFSET;
    Json(json!({
        "lat": lat,
        "lon": lon,
        "timezone": "Europe/Berlin",
        "timezone_offset": OFFSET,
        "current": {
            "dt": JUL1_UTC + 8 * 3600, "sunrise": JUL1_UTC + 3 * 3600, "sunset": JUL1_UTC + 19 * 3600,
            "temp": 19.5 + k, "feels_like": 19.2 + k, "pressure": 1017, "humidity": 60,
            "dew_point": 11.5, "uvi": 2.1, "clouds": 20, "visibility": 10000,
            "wind_speed": 3.1, "wind_deg": 240,
            "weather": [{ "id": 801, "main": "Clouds", "description": "few clouds", "icon": "02d" }]
        },
        "daily": daily,
        "alerts": [
            {
                "sender_name": "Deutscher Wetterdienst",
                "event": "Amtliche WARNUNG vor STURMBÖEN",
                "start": day(2, 6),
                "end": day(3, 2),
                "description": "Es treten Sturmböen mit Geschwindigkeiten um 75 km/h (21m/s, 41kn, Bft 9) auf.",
                "tags": ["Wind"]
            },
            {
                "sender_name": "Deutscher Wetterdienst",
                "event": "Amtliche UNWETTERWARNUNG vor SCHWEREM GEWITTER",
                "start": day(3, 14),
                "end": day(3, 20),
                "description": "Es treten schwere Gewitter mit Hagel um 3 cm auf.",
                "tags": ["Thunderstorm"]
            }
        ]
    }))
    .into_response()
}

async fn air_pollution(RawQuery(q): RawQuery) -> Response {
    let (lat, lon) = match check(&q) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let list: Vec<Value> = (0..96i64)
        .map(|h| {
            let local_day = ((h * 3600 + OFFSET) / 86_400) as usize;
            json!({
                "main": { "aqi": AQI_BY_LOCAL_DAY[local_day] },
                "components": { "co": 201.94, "no": 0.0, "no2": 0.77, "o3": 68.66,
                                "so2": 0.64, "pm2_5": 0.5, "pm10": 0.54, "nh3": 0.12 },
                "dt": JUL1_UTC + h * 3600
            })
        })
        .collect();
    Json(json!({ "coord": { "lon": lon, "lat": lat }, "list": list })).into_response()
}

pub async fn start() -> (String, Control) {
    serve(
        Router::new()
            .route("/data/3.0/onecall", get(onecall))
            .route("/data/2.5/air_pollution/forecast", get(air_pollution)),
    )
    .await
}
