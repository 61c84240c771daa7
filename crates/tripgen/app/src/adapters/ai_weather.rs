//! The ai context's weather port backed by the location context's weather providers
//! (Open-Meteo / OpenWeatherMap, or none: "forecast unavailable").

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use tripgen_ai::ports::{DayForecast, WeatherPort};
use tripgen_location::providers::WeatherProviders;
use tripgen_location::{DailyForecast, GeoPoint, WeatherCondition};
use tripgen_trip::ports::async_trait;

pub struct ProviderWeather {
    pub providers: Arc<WeatherProviders>,
    /// Longest a generation waits for one forecast (`location.weather.timeout_ms`): the
    /// provider's retries fit in it or are cut; a late forecast is "unavailable".
    pub budget: Duration,
}

pub fn sky(f: &DailyForecast) -> &'static str {
    match f.condition {
        WeatherCondition::Clear => "clear",
        WeatherCondition::PartlyCloudy | WeatherCondition::Cloudy | WeatherCondition::Fog => {
            if f.is_wet() { "rain" } else { "cloudy" }
        }
        WeatherCondition::Drizzle | WeatherCondition::Rain => "rain",
        WeatherCondition::Sleet | WeatherCondition::Snow => "snow",
        WeatherCondition::Thunderstorm => "storm",
    }
}

pub fn air(f: &DailyForecast) -> Option<String> {
    let q = f.air_quality.as_ref()?;
    Some(
        if q.is_bad() {
            if f.bad_air() && f.is_severe() {
                "hazardous"
            } else {
                "poor"
            }
        } else if q.index >= 40 {
            "moderate"
        } else {
            "good"
        }
        .to_string(),
    )
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
                        sky: sky(f).to_string(),
                        min_temp_c: Some(f64::from(f.temperature_min_c)),
                        max_temp_c: Some(f64::from(f.temperature_max_c)),
                        air: air(f),
                        warnings: f.warnings.iter().map(|w| w.headline.clone()).collect(),
                    })
            })
            .collect())
    }
}
