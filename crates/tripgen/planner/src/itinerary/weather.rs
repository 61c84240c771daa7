//! What the weather of a day changes in the plan.

use super::model::{AirQuality, Sky, Weather};

/// Effects of one day's weather on planning. Weather-neutral when no forecast is given.
#[derive(Clone, Debug, PartialEq)]
pub struct WeatherEffects {
    /// Rain, snow or storm: indoor first, and an indoor alternative for every outdoor stop.
    pub wet: bool,
    pub hot: bool,
    pub cold: bool,
    pub bad_air: bool,
    /// Cap on minutes spent at outdoor sightseeing stops.
    pub outdoor_cap_minutes: Option<u32>,
    pub extra_rests: u32,
    /// Score multipliers for indoor and outdoor places on this day.
    pub indoor_factor: f64,
    pub outdoor_factor: f64,
    /// Human-readable notes for the day plan (English).
    pub notes: Vec<String>,
    /// A stable code per note, same order (`RAIN`, `HOT`, …).
    pub note_codes: Vec<String>,
}

/// Hot from this daily maximum (°C); heat-health warnings typically start around 30–32 °C.
pub const HOT_FROM_C: f64 = 30.0;
/// Cold when the daily maximum stays at or below freezing.
pub const COLD_MAX_C: f64 = 0.0;
/// … or the minimum drops to this.
pub const COLD_MIN_C: f64 = -10.0;

pub fn weather_effects(weather: Option<&Weather>) -> WeatherEffects {
    let mut e = WeatherEffects {
        wet: false,
        hot: false,
        cold: false,
        bad_air: false,
        outdoor_cap_minutes: None,
        extra_rests: 0,
        indoor_factor: 1.0,
        outdoor_factor: 1.0,
        notes: Vec::new(),
        note_codes: Vec::new(),
    };
    let Some(w) = weather else {
        return e;
    };
    if matches!(w.sky, Sky::Rain | Sky::Snow | Sky::Storm) {
        e.wet = true;
        e.indoor_factor = 1.6;
        e.outdoor_factor = 0.5;
        let (code, what) = match w.sky {
            Sky::Snow => ("SNOW", "Snow"),
            Sky::Storm => ("STORM", "Storms"),
            _ => ("RAIN", "Rain"),
        };
        e.note_codes.push(code.into());
        e.notes.push(format!(
            "{what} expected: indoor places come first and every outdoor stop has an indoor alternative."
        ));
    }
    if w.max_temp_c.is_some_and(|t| t >= HOT_FROM_C) {
        e.hot = true;
        e.outdoor_cap_minutes = Some(120);
        e.extra_rests += 1;
        e.outdoor_factor *= 0.8;
        e.note_codes.push("HOT".into());
        e.notes.push(
            "Hot day: at most two hours at outdoor sights, an extra rest, drink water.".into(),
        );
    }
    if w.max_temp_c.is_some_and(|t| t <= COLD_MAX_C)
        || w.min_temp_c.is_some_and(|t| t <= COLD_MIN_C)
    {
        e.cold = true;
        e.outdoor_cap_minutes = Some(e.outdoor_cap_minutes.unwrap_or(120).min(120));
        e.extra_rests += 1;
        e.outdoor_factor *= 0.8;
        e.note_codes.push("COLD".into());
        e.notes.push(
            "Cold day: at most two hours at outdoor sights and an extra warm-up rest.".into(),
        );
    }
    match w.air {
        Some(AirQuality::Poor) => {
            e.bad_air = true;
            e.outdoor_cap_minutes = Some(e.outdoor_cap_minutes.unwrap_or(60).min(60));
            e.outdoor_factor *= 0.7;
            e.note_codes.push("POOR_AIR".into());
            e.notes
                .push("Poor air quality: outdoor time is limited to one hour.".into());
        }
        Some(AirQuality::Hazardous) => {
            e.bad_air = true;
            e.outdoor_cap_minutes = Some(0);
            e.outdoor_factor *= 0.5;
            e.note_codes.push("HAZARDOUS_AIR".into());
            e.notes
                .push("Hazardous air quality: no outdoor sightseeing is planned.".into());
        }
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutral_without_forecast() {
        let e = weather_effects(None);
        assert!(!e.wet && e.outdoor_cap_minutes.is_none() && e.notes.is_empty());
    }

    #[test]
    fn rain_and_heat_combine() {
        let w = Weather {
            sky: Sky::Rain,
            max_temp_c: Some(33.0),
            min_temp_c: None,
            air: Some(AirQuality::Poor),
        };
        let e = weather_effects(Some(&w));
        assert!(e.wet && e.hot && e.bad_air);
        assert_eq!(e.outdoor_cap_minutes, Some(60));
        assert_eq!(e.extra_rests, 1);
        assert_eq!(e.notes.len(), 3);
        assert_eq!(e.note_codes, ["RAIN", "HOT", "POOR_AIR"]);
    }
}
