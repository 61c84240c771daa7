//! OpenWeatherMap adapter: One Call API 3.0 (8 daily forecasts with official alerts) and
//! the air-pollution forecast (AQI 1–5, ~4 days).
//!
//! - `GET /data/3.0/onecall?lat&lon&exclude=minutely,hourly&units=metric&appid=KEY`
//!   → `{ timezone_offset, daily: [{ dt, temp: { min, max }, pop, rain?, snow?, wind_speed,
//!   wind_gust?, weather: [{ id }] }], alerts?: [{ sender_name, event, start, end, tags }] }`
//!   (`dt` is UTC seconds around local noon; `pop` 0–1; wind m/s).
//! - `GET /data/2.5/air_pollution/forecast?lat&lon&appid=KEY`
//!   → `{ list: [{ dt, main: { aqi: 1..5 } }] }` hourly; the day's worst value is used.
//! - errors: `{ cod, message }` with 401 (bad key), 429 (quota) …
//!
//! OWM's AQI 1–5 (Good, Fair, Moderate, Poor, Very poor) uses the same bands as the
//! European index, so it is reported on the European scale at each band's middle
//! (10/30/50/70/90): "Poor" (4) and worse count as bad air, as EAQI ≥ 60 does.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;

use super::error::ProviderError;
use super::http_client::{HttpReply, Upstream, join_url};
use super::warnings::{classify_alert, threshold_warnings};
use crate::geo::GeoPoint;
use crate::weather::{
    AirQuality, AirQualityScale, DailyForecast, WarningKind, WarningSeverity, WeatherCondition,
    WeatherWarning,
};

pub const FORECAST_DAYS: u32 = 8;
const HEADLINE_CHARS: usize = 160;

pub struct OpenWeatherMap {
    onecall: Upstream,
    air: Upstream,
    base: String,
    api_key: String,
}

#[derive(Deserialize)]
struct OneCallBody {
    #[serde(default)]
    timezone_offset: i64,
    #[serde(default)]
    daily: Vec<DailyItem>,
    #[serde(default)]
    alerts: Vec<Alert>,
}

#[derive(Deserialize)]
struct DailyItem {
    dt: i64,
    temp: Temp,
    #[serde(default)]
    pop: Option<f32>,
    #[serde(default)]
    rain: Option<f32>,
    #[serde(default)]
    snow: Option<f32>,
    #[serde(default)]
    wind_speed: Option<f32>,
    #[serde(default)]
    wind_gust: Option<f32>,
    #[serde(default)]
    weather: Vec<Condition>,
}

#[derive(Deserialize)]
struct Temp {
    min: f32,
    max: f32,
}

#[derive(Deserialize)]
struct Condition {
    id: u16,
}

#[derive(Deserialize)]
struct Alert {
    #[serde(default)]
    sender_name: String,
    #[serde(default)]
    event: String,
    start: i64,
    end: i64,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct AirBody {
    #[serde(default)]
    list: Vec<AirItem>,
}

#[derive(Deserialize)]
struct AirItem {
    dt: i64,
    main: AirMain,
}

#[derive(Deserialize)]
struct AirMain {
    aqi: u8,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
}

impl OpenWeatherMap {
    pub fn new(onecall: Upstream, air: Upstream, base: &str, api_key: &str) -> Self {
        OpenWeatherMap {
            onecall,
            air,
            base: base.to_string(),
            api_key: api_key.trim().to_string(),
        }
    }

    pub fn upstreams(&self) -> [&Upstream; 2] {
        [&self.onecall, &self.air]
    }

    pub async fn fetch(&self, point: GeoPoint) -> Result<Vec<DailyForecast>, ProviderError> {
        let (lat, lon) = (format!("{:.4}", point.lat()), format!("{:.4}", point.lon()));
        let onecall_url = join_url(&self.base, "data/3.0/onecall");
        let onecall_query = [
            ("lat", lat.as_str()),
            ("lon", lon.as_str()),
            ("exclude", "minutely,hourly"),
            ("units", "metric"),
            ("appid", self.api_key.as_str()),
        ];
        let air_url = join_url(&self.base, "data/2.5/air_pollution/forecast");
        let air_query = [
            ("lat", lat.as_str()),
            ("lon", lon.as_str()),
            ("appid", self.api_key.as_str()),
        ];
        let (onecall_name, air_name) = (self.onecall.name(), self.air.name());
        let (forecast, air) = tokio::join!(
            self.onecall.call(
                |c| c.get(&onecall_url).query(&onecall_query),
                |reply| decode::<OneCallBody>(onecall_name, reply),
            ),
            self.air.call(
                |c| c.get(&air_url).query(&air_query),
                |reply| decode::<AirBody>(air_name, reply),
            ),
        );
        let body = forecast?;
        let air = match air {
            Ok(a) => daily_worst_aqi(&a, body.timezone_offset),
            Err(e) => {
                tracing::warn!(error = %e, "air pollution unavailable; forecast without it");
                BTreeMap::new()
            }
        };
        Ok(map_days(&body, &air))
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
        .map(|e| e.message)
        .unwrap_or_else(|_| reply.snippet());
    Err(reply.error(upstream, detail))
}

fn local_date(utc_secs: i64, offset_secs: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp(utc_secs.checked_add(offset_secs)?, 0).map(|t| t.date_naive())
}

/// OWM weather condition codes (2xx thunderstorm … 8xx clouds) → condition.
pub fn condition_from_owm(id: u16) -> Option<WeatherCondition> {
    Some(match id {
        200..=299 => WeatherCondition::Thunderstorm,
        300..=399 => WeatherCondition::Drizzle,
        511 => WeatherCondition::Sleet, // freezing rain
        500..=599 => WeatherCondition::Rain,
        611..=616 => WeatherCondition::Sleet,
        600..=699 => WeatherCondition::Snow,
        701 | 741 => WeatherCondition::Fog,    // mist, fog
        700..=799 => WeatherCondition::Cloudy, // haze, smoke, dust, sand, ash, squalls, tornado
        800 => WeatherCondition::Clear,
        801 | 802 => WeatherCondition::PartlyCloudy,
        803 | 804 => WeatherCondition::Cloudy,
        _ => return None,
    })
}

fn map_days(body: &OneCallBody, air: &BTreeMap<NaiveDate, u8>) -> Vec<DailyForecast> {
    let offset = body.timezone_offset;
    let mut out = Vec::with_capacity(body.daily.len());
    for d in &body.daily {
        let Some(date) = local_date(d.dt, offset) else {
            continue;
        };
        let Some(id) = d.weather.first().map(|w| w.id) else {
            continue;
        };
        let Some(condition) = condition_from_owm(id) else {
            continue;
        };
        let (min, max) = (d.temp.min, d.temp.max);
        if !(min.is_finite() && max.is_finite()) {
            continue;
        }
        let ms_to_kmh = |v: f32| v * 3.6;
        let mut warnings = threshold_warnings(
            max,
            min,
            d.wind_speed.map(ms_to_kmh),
            d.wind_gust.map(ms_to_kmh),
        );
        match id {
            781 => warnings.push(WeatherWarning {
                kind: WarningKind::Storm,
                severity: WarningSeverity::Extreme,
                headline: "Tornado".into(),
            }),
            771 if !warnings.iter().any(|w| w.kind == WarningKind::Wind) => {
                warnings.push(WeatherWarning {
                    kind: WarningKind::Wind,
                    severity: WarningSeverity::Moderate,
                    headline: "Squalls".into(),
                })
            }
            _ => {}
        }
        for alert in &body.alerts {
            let (Some(first), Some(last)) = (
                local_date(alert.start, offset),
                local_date(alert.end.max(alert.start), offset),
            ) else {
                continue;
            };
            if !(first..=last).contains(&date) {
                continue;
            }
            let (kind, severity) = classify_alert(&alert.event, &alert.tags, max);
            let headline = headline(&alert.event, &alert.sender_name);
            if !warnings.iter().any(|w| w.headline == headline) {
                warnings.push(WeatherWarning {
                    kind,
                    severity,
                    headline,
                });
            }
        }
        let precipitation = match (d.rain, d.snow) {
            (None, None) => None,
            (r, s) => Some(r.unwrap_or(0.0) + s.unwrap_or(0.0)).filter(|p| p.is_finite()),
        };
        out.push(DailyForecast {
            date,
            condition,
            precipitation_probability: d
                .pop
                .filter(|p| p.is_finite())
                .map(|p| (p * 100.0).round().clamp(0.0, 100.0) as u8),
            precipitation_mm: precipitation,
            temperature_min_c: min,
            temperature_max_c: max,
            warnings,
            air_quality: air.get(&date).map(|&aqi| AirQuality {
                scale: AirQualityScale::European,
                index: european_equivalent(aqi),
            }),
        });
    }
    out
}

fn headline(event: &str, sender: &str) -> String {
    let event: String = event.trim().chars().take(HEADLINE_CHARS).collect();
    let sender = sender.trim();
    if sender.is_empty() {
        event
    } else {
        format!("{event} ({sender})")
    }
}

/// OWM AQI band (1–5) → the middle of the matching European AQI band.
pub fn european_equivalent(aqi: u8) -> u16 {
    match aqi.clamp(1, 5) {
        1 => 10,
        2 => 30,
        3 => 50,
        4 => 70,
        _ => 90,
    }
}

fn daily_worst_aqi(body: &AirBody, offset: i64) -> BTreeMap<NaiveDate, u8> {
    let mut out: BTreeMap<NaiveDate, u8> = BTreeMap::new();
    for item in &body.list {
        if !(1..=5).contains(&item.main.aqi) {
            continue;
        }
        if let Some(date) = local_date(item.dt, offset) {
            let slot = out.entry(date).or_insert(item.main.aqi);
            *slot = (*slot).max(item.main.aqi);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_codes() {
        assert_eq!(
            condition_from_owm(211),
            Some(WeatherCondition::Thunderstorm)
        );
        assert_eq!(condition_from_owm(511), Some(WeatherCondition::Sleet));
        assert_eq!(condition_from_owm(502), Some(WeatherCondition::Rain));
        assert_eq!(condition_from_owm(601), Some(WeatherCondition::Snow));
        assert_eq!(condition_from_owm(741), Some(WeatherCondition::Fog));
        assert_eq!(
            condition_from_owm(802),
            Some(WeatherCondition::PartlyCloudy)
        );
        assert_eq!(condition_from_owm(900), None);
        assert_eq!(european_equivalent(4), 70);
    }

    #[test]
    fn local_dates_use_the_offset() {
        // 2025-07-01 23:30 UTC is already 2 July in UTC+2.
        let t = 1_751_412_600;
        assert_eq!(local_date(t, 0), NaiveDate::from_ymd_opt(2025, 7, 1));
        assert_eq!(local_date(t, 7200), NaiveDate::from_ymd_opt(2025, 7, 2));
    }
}
