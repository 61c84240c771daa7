//! The trip context's forecast port (change detection) backed by the location context's
//! weather providers, with the same reading of a forecast as the generation job's.

use std::sync::Arc;

use chrono::NaiveDate;
use tripgen_location::GeoPoint;
use tripgen_location::providers::WeatherProviders;
use tripgen_trip::domain::model::LatLon;
use tripgen_trip::domain::schedule::DayWeather;
use tripgen_trip::ports::{Forecasts, async_trait};

pub struct TripForecasts {
    pub providers: Arc<WeatherProviders>,
}

#[async_trait]
impl Forecasts for TripForecasts {
    async fn forecast(
        &self,
        position: LatLon,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<Option<DayWeather>>> {
        let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
            return Ok(Vec::new());
        };
        let days = u32::try_from((*last - *first).num_days() + 1).unwrap_or(1);
        let point =
            GeoPoint::new(position.lat, position.lon).map_err(|e| anyhow::anyhow!("{e}"))?;
        let answer = self.providers.forecast(point, *first, days).await;
        Ok(dates
            .iter()
            .map(|d| {
                answer
                    .days
                    .iter()
                    .find(|f| f.date == *d)
                    .map(|f| DayWeather {
                        sky: super::ai_weather::sky(f),
                        min_temp_c: Some(f64::from(f.temperature_min_c)),
                        max_temp_c: Some(f64::from(f.temperature_max_c)),
                        air: super::ai_weather::air(f),
                        warnings: f.warnings.iter().map(|w| w.headline.clone()).collect(),
                    })
            })
            .collect())
    }
}
