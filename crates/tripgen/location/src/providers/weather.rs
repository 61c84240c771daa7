//! `WeatherProviders`: the forecast facade. It picks the configured service, caches each
//! (place, day) for 6 hours, and never fails: without a provider, or when the provider
//! cannot answer, the answer says `available: false` with a message.

use std::collections::HashMap;
use std::time::Duration;

use crate::config::{LocationWeatherConfig, WeatherProviderKind};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use tripgen_platform::Platform;

use super::cache::{ProviderCache, WEATHER_TTL, weather_key};
use super::error::{ProviderConfigError, ProviderError};
use super::http_client::{HttpSettings, Upstream};
use super::open_meteo::{self, OpenMeteo};
use super::openweathermap::{self, OpenWeatherMap};
use crate::geo::GeoPoint;
use crate::weather::DailyForecast;
use tripgen_platform::outbound::BreakerState;

/// The message of every answer without a forecast.
pub const FORECAST_UNAVAILABLE: &str = "forecast unavailable";
/// Longest forecast any provider offers (Open-Meteo); longer requests are cut.
pub const MAX_FORECAST_DAYS: u32 = 16;

/// Forecast days for the requested range, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeatherAnswer {
    /// Requested days the provider forecasts, in date order (may be fewer than asked).
    pub days: Vec<DailyForecast>,
    /// `none`, `open-meteo` or `openweathermap`.
    pub provider: &'static str,
    /// Whether `days` holds anything.
    pub available: bool,
    /// Set when days are missing: starts with "forecast unavailable" when there are none.
    pub message: Option<String>,
}

enum Source {
    OpenMeteo(OpenMeteo),
    OpenWeatherMap(OpenWeatherMap),
}

impl Source {
    fn name(&self) -> &'static str {
        match self {
            Source::OpenMeteo(_) => WeatherProviderKind::OpenMeteo.as_str(),
            Source::OpenWeatherMap(_) => WeatherProviderKind::OpenWeatherMap.as_str(),
        }
    }

    fn horizon_days(&self) -> u32 {
        match self {
            Source::OpenMeteo(_) => open_meteo::FORECAST_DAYS,
            Source::OpenWeatherMap(_) => openweathermap::FORECAST_DAYS,
        }
    }

    async fn fetch(&self, point: GeoPoint) -> Result<Vec<DailyForecast>, ProviderError> {
        match self {
            Source::OpenMeteo(s) => s.fetch(point).await,
            Source::OpenWeatherMap(s) => s.fetch(point).await,
        }
    }

    fn upstreams(&self) -> [&Upstream; 2] {
        match self {
            Source::OpenMeteo(s) => s.upstreams(),
            Source::OpenWeatherMap(s) => s.upstreams(),
        }
    }
}

pub struct WeatherProviders {
    source: Option<Source>,
    cache: ProviderCache,
}

impl WeatherProviders {
    /// No forecast service (the embedded default).
    pub fn none() -> Self {
        WeatherProviders {
            source: None,
            cache: ProviderCache::in_process(WEATHER_TTL, 1),
        }
    }

    /// The provider `cfg.provider` selects, caching in `cache`.
    pub fn from_config(
        cfg: &LocationWeatherConfig,
        cache: ProviderCache,
    ) -> Result<Self, ProviderConfigError> {
        let settings = HttpSettings {
            timeout: Duration::from_millis(cfg.timeout_ms.max(1)),
            retries: cfg.retries,
            failure_threshold: cfg.failure_threshold,
            cooldown: Duration::from_secs(cfg.cooldown_secs),
        };
        let upstream = |name: &'static str| {
            Upstream::new(name, settings)
                .map_err(|e| ProviderConfigError::new("location.weather.provider", e.to_string()))
        };
        let source = match cfg.provider {
            WeatherProviderKind::None => None,
            WeatherProviderKind::OpenMeteo => Some(Source::OpenMeteo(OpenMeteo::new(
                upstream("open-meteo")?,
                upstream("open-meteo-air-quality")?,
                &cfg.open_meteo_url,
                &cfg.open_meteo_air_quality_url,
                cfg.open_meteo_api_key.as_deref(),
            ))),
            WeatherProviderKind::OpenWeatherMap => {
                let key = cfg
                    .openweathermap_api_key
                    .as_deref()
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| {
                        ProviderConfigError::new(
                            "location.weather.openweathermap_api_key",
                            "required when location.weather.provider = openweathermap",
                        )
                    })?;
                Some(Source::OpenWeatherMap(OpenWeatherMap::new(
                    upstream("openweathermap")?,
                    upstream("openweathermap-air")?,
                    &cfg.openweathermap_url,
                    key,
                )))
            }
        };
        Ok(WeatherProviders { source, cache })
    }

    /// From `[location.weather]`, caching in L1 + the platform's Redis.
    pub fn from_platform(
        platform: &Platform,
        cfg: &LocationWeatherConfig,
    ) -> Result<Self, ProviderConfigError> {
        let cache = ProviderCache::for_platform(platform, WEATHER_TTL, cfg.cache_capacity);
        Self::from_config(cfg, cache)
    }

    /// `none`, `open-meteo` or `openweathermap`.
    pub fn provider_name(&self) -> &'static str {
        self.source
            .as_ref()
            .map_or(WeatherProviderKind::None.as_str(), Source::name)
    }

    /// How many days ahead (counting today) the provider forecasts; 0 for none.
    pub fn horizon_days(&self) -> u32 {
        self.source.as_ref().map_or(0, Source::horizon_days)
    }

    /// Circuit state per upstream, for health output.
    pub fn breaker_states(&self) -> Vec<(&'static str, BreakerState)> {
        self.source
            .as_ref()
            .map(|s| {
                s.upstreams()
                    .iter()
                    .map(|u| (u.name(), u.breaker_state()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Forecast for `days` local days from `from` (1–16; more are cut) at `point`.
    pub async fn forecast(&self, point: GeoPoint, from: NaiveDate, days: u32) -> WeatherAnswer {
        let provider = self.provider_name();
        let Some(source) = &self.source else {
            return WeatherAnswer {
                days: Vec::new(),
                provider,
                available: false,
                message: Some(FORECAST_UNAVAILABLE.to_string()),
            };
        };
        let dates: Vec<NaiveDate> = (0..days.clamp(1, MAX_FORECAST_DAYS))
            .filter_map(|i| from.checked_add_days(Days::new(u64::from(i))))
            .collect();
        let keys: Vec<String> = dates
            .iter()
            .map(|d| weather_key(provider, point, *d))
            .collect();
        // `Some(None)` = cached "the provider has no forecast for that day".
        let mut found: Vec<Option<Option<DailyForecast>>> = self.cache.get_many(&keys).await;
        let mut failed = false;
        if found.iter().any(Option::is_none) {
            match source.fetch(point).await {
                Ok(forecast) => {
                    let by_date: HashMap<NaiveDate, DailyForecast> =
                        forecast.into_iter().map(|d| (d.date, d)).collect();
                    // Cache every forecast day (later requests for other dates hit), and
                    // a "none" marker for requested days the provider does not cover.
                    let mut entries: Vec<(String, Option<DailyForecast>)> = by_date
                        .values()
                        .map(|d| (weather_key(provider, point, d.date), Some(d.clone())))
                        .collect();
                    for (slot, date) in found.iter_mut().zip(&dates) {
                        let day = by_date.get(date).cloned();
                        if !by_date.contains_key(date) {
                            entries.push((weather_key(provider, point, *date), None));
                        }
                        *slot = Some(day);
                    }
                    self.cache.put_many(&entries).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, provider, "weather forecast unavailable");
                    failed = true;
                }
            }
        }
        let days: Vec<DailyForecast> = found.into_iter().flatten().flatten().collect();
        let message = if days.is_empty() && failed {
            Some(format!(
                "{FORECAST_UNAVAILABLE}: the weather service did not answer"
            ))
        } else if days.is_empty() {
            Some(format!(
                "{FORECAST_UNAVAILABLE} for these dates ({provider} forecasts {} days ahead)",
                source.horizon_days()
            ))
        } else if days.len() < dates.len() {
            Some(format!(
                "forecast covers {} of {} days",
                days.len(),
                dates.len()
            ))
        } else {
            None
        };
        WeatherAnswer {
            available: !days.is_empty(),
            days,
            provider,
            message,
        }
    }
}
