//! Weather domain types and the rule helpers the planner uses to prefer indoor visits.
//! Forecast adapters (HTTP) map their payloads onto these types; thresholds are documented
//! in `docs/location.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Dominant condition of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WeatherCondition {
    Clear,
    PartlyCloudy,
    Cloudy,
    Fog,
    Drizzle,
    Rain,
    Sleet,
    Snow,
    Thunderstorm,
}

impl WeatherCondition {
    /// Conditions with precipitation falling.
    pub fn is_precipitation(self) -> bool {
        matches!(
            self,
            WeatherCondition::Drizzle
                | WeatherCondition::Rain
                | WeatherCondition::Sleet
                | WeatherCondition::Snow
                | WeatherCondition::Thunderstorm
        )
    }

    /// WMO weather interpretation code (WW, as used by e.g. Open-Meteo) → condition.
    pub fn from_wmo_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => WeatherCondition::Clear,
            1 | 2 => WeatherCondition::PartlyCloudy,
            3 => WeatherCondition::Cloudy,
            45 | 48 => WeatherCondition::Fog,
            51..=57 => WeatherCondition::Drizzle,
            61..=65 | 80..=82 => WeatherCondition::Rain,
            66 | 67 => WeatherCondition::Sleet,
            71..=77 | 85 | 86 => WeatherCondition::Snow,
            95..=99 => WeatherCondition::Thunderstorm,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WarningSeverity {
    Minor,
    Moderate,
    Severe,
    Extreme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WarningKind {
    Heat,
    Cold,
    Frost,
    Ice,
    Rain,
    Snow,
    Storm,
    Thunderstorm,
    Wind,
    Fog,
    AirQuality,
    Other,
}

/// An official weather warning for the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeatherWarning {
    pub kind: WarningKind,
    pub severity: WarningSeverity,
    pub headline: String,
}

/// Which index an air-quality value uses; their scales differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AirQualityScale {
    /// European Air Quality Index (EEA), 0–100+: 60–80 poor, 80–100 very poor.
    European,
    /// US EPA AQI, 0–500: 151–200 unhealthy.
    UsEpa,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AirQuality {
    pub scale: AirQualityScale,
    pub index: u16,
}

impl AirQuality {
    /// First level at which the index's own guidance addresses the general population
    /// (not only sensitive groups): EAQI "poor" (≥ 60) and EPA "unhealthy" (≥ 151).
    pub fn is_bad(&self) -> bool {
        match self.scale {
            AirQualityScale::European => self.index >= EAQI_POOR,
            AirQualityScale::UsEpa => self.index >= EPA_UNHEALTHY,
        }
    }
}

/// Precipitation probability (%) from which a day counts as wet.
pub const WET_PROBABILITY_PCT: u8 = 60;
/// Daily maximum (°C) from which a day is hot (DWD "heißer Tag": Tmax ≥ 30 °C).
pub const HOT_MAX_C: f32 = 30.0;
/// Daily maximum (°C) at or below which a day is cold (DWD "Eistag": Tmax < 0 °C).
pub const COLD_MAX_C: f32 = 0.0;
pub const EAQI_POOR: u16 = 60;
pub const EPA_UNHEALTHY: u16 = 151;

/// Forecast for one local day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyForecast {
    pub date: NaiveDate,
    pub condition: WeatherCondition,
    /// 0–100 %, when the provider gives it.
    pub precipitation_probability: Option<u8>,
    pub precipitation_mm: Option<f32>,
    pub temperature_min_c: f32,
    pub temperature_max_c: f32,
    #[serde(default)]
    pub warnings: Vec<WeatherWarning>,
    pub air_quality: Option<AirQuality>,
}

impl DailyForecast {
    fn has_warning(&self, kinds: &[WarningKind], min: WarningSeverity) -> bool {
        self.warnings
            .iter()
            .any(|w| kinds.contains(&w.kind) && w.severity >= min)
    }

    /// Rain/snow expected: precipitation as the day's condition, a probability ≥ 60 %, or a
    /// moderate-or-worse rain/snow/storm warning.
    pub fn is_wet(&self) -> bool {
        self.condition.is_precipitation()
            || self
                .precipitation_probability
                .is_some_and(|p| p >= WET_PROBABILITY_PCT)
            || self.has_warning(
                &[
                    WarningKind::Rain,
                    WarningKind::Snow,
                    WarningKind::Storm,
                    WarningKind::Thunderstorm,
                ],
                WarningSeverity::Moderate,
            )
    }

    /// Max ≥ 30 °C or any heat warning.
    pub fn is_hot(&self) -> bool {
        self.temperature_max_c >= HOT_MAX_C
            || self.has_warning(&[WarningKind::Heat], WarningSeverity::Minor)
    }

    /// Max ≤ 0 °C (it does not thaw all day) or a moderate-or-worse cold/frost/ice warning.
    pub fn is_cold(&self) -> bool {
        self.temperature_max_c <= COLD_MAX_C
            || self.has_warning(
                &[WarningKind::Cold, WarningKind::Frost, WarningKind::Ice],
                WarningSeverity::Moderate,
            )
    }

    /// Air-quality index at a level that advises everyone to limit outdoor exertion, or an
    /// air-quality warning.
    pub fn bad_air(&self) -> bool {
        self.air_quality.is_some_and(|a| a.is_bad())
            || self.has_warning(&[WarningKind::AirQuality], WarningSeverity::Minor)
    }

    /// A severe or extreme warning of any kind: outdoor plans should be dropped.
    pub fn is_severe(&self) -> bool {
        self.warnings
            .iter()
            .any(|w| w.severity >= WarningSeverity::Severe)
    }

    /// The planner's summary: favour indoor visits today.
    pub fn prefers_indoor(&self) -> bool {
        self.is_wet() || self.is_hot() || self.is_cold() || self.bad_air() || self.is_severe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(condition: WeatherCondition, pop: Option<u8>, min: f32, max: f32) -> DailyForecast {
        DailyForecast {
            date: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
            condition,
            precipitation_probability: pop,
            precipitation_mm: None,
            temperature_min_c: min,
            temperature_max_c: max,
            warnings: vec![],
            air_quality: None,
        }
    }

    #[test]
    fn wet_rules() {
        assert!(day(WeatherCondition::Rain, None, 10.0, 15.0).is_wet());
        assert!(day(WeatherCondition::Cloudy, Some(60), 10.0, 15.0).is_wet());
        assert!(!day(WeatherCondition::Cloudy, Some(59), 10.0, 15.0).is_wet());
        assert!(!day(WeatherCondition::Clear, None, 10.0, 15.0).is_wet());
        let mut warned = day(WeatherCondition::Cloudy, None, 10.0, 15.0);
        warned.warnings.push(WeatherWarning {
            kind: WarningKind::Storm,
            severity: WarningSeverity::Moderate,
            headline: "Sturmböen".into(),
        });
        assert!(warned.is_wet());
    }

    #[test]
    fn temperature_and_air_rules() {
        assert!(day(WeatherCondition::Clear, None, 18.0, 30.0).is_hot());
        assert!(!day(WeatherCondition::Clear, None, 18.0, 29.9).is_hot());
        assert!(day(WeatherCondition::Clear, None, -8.0, 0.0).is_cold());
        assert!(!day(WeatherCondition::Clear, None, -8.0, 0.5).is_cold());
        let mut smog = day(WeatherCondition::Clear, None, 10.0, 20.0);
        smog.air_quality = Some(AirQuality {
            scale: AirQualityScale::European,
            index: 65,
        });
        assert!(smog.bad_air() && smog.prefers_indoor());
        smog.air_quality = Some(AirQuality {
            scale: AirQualityScale::UsEpa,
            index: 120,
        });
        assert!(!smog.bad_air());
        assert!(!day(WeatherCondition::PartlyCloudy, Some(10), 12.0, 22.0).prefers_indoor());
    }

    #[test]
    fn wmo_codes_and_serde() {
        assert_eq!(
            WeatherCondition::from_wmo_code(95),
            Some(WeatherCondition::Thunderstorm)
        );
        assert_eq!(
            WeatherCondition::from_wmo_code(45),
            Some(WeatherCondition::Fog)
        );
        assert_eq!(WeatherCondition::from_wmo_code(42), None);
        let json =
            serde_json::to_value(day(WeatherCondition::PartlyCloudy, Some(5), 1.0, 2.0)).unwrap();
        assert_eq!(json["condition"], "partlyCloudy");
        assert!(json.get("precipitationProbability").is_some());
    }
}
