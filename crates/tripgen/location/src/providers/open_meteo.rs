//! Open-Meteo adapter: 16-day daily forecast plus the European AQI from the air-quality API.
//!
//! - `GET /v1/forecast?latitude&longitude&daily=weather_code,temperature_2m_max,
//!   temperature_2m_min,precipitation_probability_max,precipitation_sum,wind_speed_10m_max,
//!   wind_gusts_10m_max&timezone=auto&forecast_days=16` → `{ daily: { time: ["2025-07-01",
//!   …], weather_code: [3, …], … } }` (parallel arrays; values may be `null`; dates are local
//!   because of `timezone=auto`; wind in km/h).
//! - `GET /v1/air-quality?latitude&longitude&hourly=european_aqi&timezone=auto&forecast_days=7`
//!   → `{ hourly: { time: ["2025-07-01T00:00", …], european_aqi: [27, …] } }`; the day's
//!   maximum is used. Air quality is best effort: if it fails, days carry none.
//! - errors: HTTP 400 `{ error: true, reason }`.
//!
//! Open-Meteo has no official alerts; warnings are derived from thresholds.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::error::ProviderError;
use super::http_client::{HttpReply, Upstream, join_url};
use super::warnings::threshold_warnings;
use crate::geo::GeoPoint;
use crate::weather::{
    AirQuality, AirQualityScale, DailyForecast, WarningKind, WarningSeverity, WeatherCondition,
    WeatherWarning,
};

pub const FORECAST_DAYS: u32 = 16;
/// The air-quality API forecasts at most 7 days.
const AIR_QUALITY_DAYS: u32 = 7;
const DAILY: &str = "weather_code,temperature_2m_max,temperature_2m_min,\
precipitation_probability_max,precipitation_sum,wind_speed_10m_max,wind_gusts_10m_max";

pub struct OpenMeteo {
    forecast: Upstream,
    air: Upstream,
    forecast_base: String,
    air_base: String,
    api_key: Option<String>,
}

#[derive(Deserialize)]
struct ForecastBody {
    daily: Option<Daily>,
}

#[derive(Deserialize)]
struct Daily {
    time: Vec<String>,
    #[serde(default)]
    weather_code: Vec<Option<f64>>,
    #[serde(default)]
    temperature_2m_max: Vec<Option<f32>>,
    #[serde(default)]
    temperature_2m_min: Vec<Option<f32>>,
    #[serde(default)]
    precipitation_probability_max: Vec<Option<f32>>,
    #[serde(default)]
    precipitation_sum: Vec<Option<f32>>,
    #[serde(default)]
    wind_speed_10m_max: Vec<Option<f32>>,
    #[serde(default)]
    wind_gusts_10m_max: Vec<Option<f32>>,
}

#[derive(Deserialize)]
struct AirBody {
    hourly: Option<Hourly>,
}

#[derive(Deserialize)]
struct Hourly {
    time: Vec<String>,
    #[serde(default)]
    european_aqi: Vec<Option<f64>>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    reason: String,
}

impl OpenMeteo {
    pub fn new(
        forecast: Upstream,
        air: Upstream,
        forecast_base: &str,
        air_base: &str,
        api_key: Option<&str>,
    ) -> Self {
        OpenMeteo {
            forecast,
            air,
            forecast_base: forecast_base.to_string(),
            air_base: air_base.to_string(),
            api_key: api_key
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string),
        }
    }

    pub fn upstreams(&self) -> [&Upstream; 2] {
        [&self.forecast, &self.air]
    }

    fn query(
        &self,
        point: GeoPoint,
        extra: &[(&'static str, String)],
    ) -> Vec<(&'static str, String)> {
        let mut q = vec![
            ("latitude", format!("{:.4}", point.lat())),
            ("longitude", format!("{:.4}", point.lon())),
            ("timezone", "auto".to_string()),
        ];
        q.extend_from_slice(extra);
        if let Some(key) = &self.api_key {
            q.push(("apikey", key.clone()));
        }
        q
    }

    /// Every day the service forecasts for `point`, starting today (local).
    pub async fn fetch(&self, point: GeoPoint) -> Result<Vec<DailyForecast>, ProviderError> {
        let forecast_url = join_url(&self.forecast_base, "v1/forecast");
        let forecast_query = self.query(
            point,
            &[
                ("daily", DAILY.to_string()),
                ("forecast_days", FORECAST_DAYS.to_string()),
            ],
        );
        let air_url = join_url(&self.air_base, "v1/air-quality");
        let air_query = self.query(
            point,
            &[
                ("hourly", "european_aqi".to_string()),
                ("forecast_days", AIR_QUALITY_DAYS.to_string()),
            ],
        );
        let forecast_name = self.forecast.name();
        let air_name = self.air.name();
        let (forecast, air) = tokio::join!(
            self.forecast.call(
                |c| c.get(&forecast_url).query(&forecast_query),
                |reply| decode::<ForecastBody>(forecast_name, reply),
            ),
            self.air.call(
                |c| c.get(&air_url).query(&air_query),
                |reply| decode::<AirBody>(air_name, reply),
            ),
        );
        let daily = forecast?.daily.ok_or_else(|| ProviderError::Malformed {
            upstream: forecast_name,
            detail: "no `daily` block".into(),
        })?;
        let air = match air {
            Ok(body) => daily_max_aqi(body),
            Err(e) => {
                tracing::warn!(error = %e, "air quality unavailable; forecast without it");
                BTreeMap::new()
            }
        };
        Ok(map_daily(&daily, &air))
    }
}

fn decode<T: serde::de::DeserializeOwned>(
    upstream: &'static str,
    reply: HttpReply,
) -> Result<T, ProviderError> {
    if reply.is_success() {
        return reply.json(upstream);
    }
    let detail = serde_json::from_slice::<ErrorBody>(&reply.body)
        .map(|e| e.reason)
        .unwrap_or_else(|_| reply.snippet());
    Err(reply.error(upstream, detail))
}

fn at<T: Copy>(values: &[Option<T>], i: usize) -> Option<T> {
    values.get(i).copied().flatten()
}

fn map_daily(d: &Daily, air: &BTreeMap<NaiveDate, u16>) -> Vec<DailyForecast> {
    let mut out = Vec::with_capacity(d.time.len());
    for (i, time) in d.time.iter().enumerate() {
        let Ok(date) = NaiveDate::parse_from_str(time, "%Y-%m-%d") else {
            continue;
        };
        // A day without a condition or temperatures is not a forecast (Open-Meteo fills
        // `null` where a model has no data); leave it out rather than invent values.
        let code = at(&d.weather_code, i)
            .filter(|c| (0.0..=255.0).contains(c))
            .map(|c| c as u8);
        let (Some(code), Some(max), Some(min)) = (
            code,
            at(&d.temperature_2m_max, i),
            at(&d.temperature_2m_min, i),
        ) else {
            continue;
        };
        let Some(condition) = WeatherCondition::from_wmo_code(code) else {
            continue;
        };
        let mut warnings = threshold_warnings(
            max,
            min,
            at(&d.wind_speed_10m_max, i),
            at(&d.wind_gusts_10m_max, i),
        );
        // WMO 96/99: thunderstorm with hail.
        if matches!(code, 96 | 99) {
            warnings.push(WeatherWarning {
                kind: WarningKind::Thunderstorm,
                severity: WarningSeverity::Moderate,
                headline: "Thunderstorm with hail".into(),
            });
        }
        out.push(DailyForecast {
            date,
            condition,
            precipitation_probability: at(&d.precipitation_probability_max, i)
                .filter(|p| p.is_finite())
                .map(|p| p.round().clamp(0.0, 100.0) as u8),
            precipitation_mm: at(&d.precipitation_sum, i).filter(|p| p.is_finite() && *p >= 0.0),
            temperature_min_c: min,
            temperature_max_c: max,
            warnings,
            air_quality: air.get(&date).map(|&index| AirQuality {
                scale: AirQualityScale::European,
                index,
            }),
        });
    }
    out
}

/// Daily maximum of the hourly European AQI, by local date.
fn daily_max_aqi(body: AirBody) -> BTreeMap<NaiveDate, u16> {
    let mut out: BTreeMap<NaiveDate, u16> = BTreeMap::new();
    let Some(h) = body.hourly else {
        return out;
    };
    for (i, time) in h.time.iter().enumerate() {
        let (Some(day), Some(aqi)) = (time.get(..10), at(&h.european_aqi, i)) else {
            continue;
        };
        let (Ok(date), true) = (NaiveDate::parse_from_str(day, "%Y-%m-%d"), aqi.is_finite()) else {
            continue;
        };
        let aqi = aqi.round().clamp(0.0, f64::from(u16::MAX)) as u16;
        let slot = out.entry(date).or_insert(aqi);
        *slot = (*slot).max(aqi);
    }
    out
}
