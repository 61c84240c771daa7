//! The ai context's weather port backed by the location context's weather providers
//! (Open-Meteo / OpenWeatherMap, or none: "forecast unavailable").

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tripgen_ai::ports::{DayForecast, WeatherPort};
use tripgen_location::providers::WeatherProviders;
use tripgen_location::{DailyForecast, GeoPoint, WeatherCondition};
use tripgen_planner::itinerary::{AirQuality, Sky};
use tripgen_trip::ports::async_trait;

pub struct ProviderWeather {
    pub providers: Arc<WeatherProviders>,
    /// Longest a generation waits for one forecast (`location.weather.timeout_ms`): the
    /// provider's retries fit in it or are cut; a late forecast is "unavailable".
    pub budget: Duration,
}

/// How a plan reads a forecast day's sky (a cloudy day with rain in it is a wet day).
pub fn sky(f: &DailyForecast) -> Sky {
    match f.condition {
        WeatherCondition::Clear => Sky::Clear,
        WeatherCondition::PartlyCloudy | WeatherCondition::Cloudy | WeatherCondition::Fog => {
            if f.is_wet() { Sky::Rain } else { Sky::Cloudy }
        }
        WeatherCondition::Drizzle | WeatherCondition::Rain => Sky::Rain,
        WeatherCondition::Sleet | WeatherCondition::Snow => Sky::Snow,
        WeatherCondition::Thunderstorm => Sky::Storm,
    }
}

/// How a plan reads a forecast day's air.
pub fn air(f: &DailyForecast) -> Option<AirQuality> {
    let q = f.air_quality.as_ref()?;
    Some(if q.is_bad() {
        if f.bad_air() && f.is_severe() {
            AirQuality::Hazardous
        } else {
            AirQuality::Poor
        }
    } else if q.index >= 40 {
        AirQuality::Moderate
    } else {
        AirQuality::Good
    })
}

#[async_trait]
impl WeatherPort for ProviderWeather {
    async fn forecast(
        &self,
        position: tripgen_planner::itinerary::LatLon,
        _time_zone: &str,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<Option<DayForecast>>> {
        let Some(first) = dates.iter().min().copied() else {
            return Ok(Vec::new());
        };
        let last = dates.iter().max().copied().unwrap_or(first);
        let days = u32::try_from((last - first).num_days() + 1).unwrap_or(1);
        let point =
            GeoPoint::new(position.lat, position.lon).map_err(|e| anyhow::anyhow!("{e}"))?;
        let Ok(answer) =
            tokio::time::timeout(self.budget, self.providers.forecast(point, first, days)).await
        else {
            tracing::warn!(
                budget_ms = self.budget.as_millis() as u64,
                "weather forecast took longer than its timeout; planning weather-neutral"
            );
            return Ok(vec![None; dates.len()]);
        };
        Ok(dates
            .iter()
            .map(|d| {
                answer
                    .days
                    .iter()
                    .find(|f| f.date == *d)
                    .map(|f| DayForecast {
                        date: *d,
                        sky: sky(f),
                        min_temp_c: Some(f64::from(f.temperature_min_c)),
                        max_temp_c: Some(f64::from(f.temperature_max_c)),
                        air: air(f),
                        warnings: f.warnings.iter().map(|w| w.headline.clone()).collect(),
                    })
            })
            .collect())
    }
}
