//! Weather warnings for a forecast day: derived from thresholds (every provider) and
//! classified from official alerts (OpenWeatherMap passes on national services' alerts as
//! free text plus coarse tags). Thresholds follow the German Weather Service (DWD) warning
//! levels; see `docs/location.md`.

use crate::weather::{WarningKind, WarningSeverity, WeatherWarning};

/// Daily maximum (°C) from which heat is a moderate warning (DWD "starke Wärmebelastung",
/// perceived temperature > 32 °C; the air maximum stands in for it).
pub const HEAT_MODERATE_C: f32 = 32.0;
/// DWD "extreme Wärmebelastung" (> 38 °C): severe.
pub const HEAT_SEVERE_C: f32 = 38.0;
/// Daily minimum (°C) at or below which cold is a moderate warning (DWD "strenger Frost").
pub const COLD_MODERATE_C: f32 = -10.0;
pub const COLD_SEVERE_C: f32 = -20.0;
/// Gusts (km/h): DWD Sturmböen 65, schwere Sturmböen 90, extreme Orkanböen 140.
pub const GUST_MODERATE_KMH: f32 = 65.0;
pub const GUST_SEVERE_KMH: f32 = 90.0;
pub const GUST_EXTREME_KMH: f32 = 140.0;
/// Sustained wind (km/h) when no gusts are given: Beaufort 8 (gale), 10 (storm), 12.
pub const WIND_MODERATE_KMH: f32 = 62.0;
pub const WIND_SEVERE_KMH: f32 = 89.0;
pub const WIND_EXTREME_KMH: f32 = 118.0;

fn warning(kind: WarningKind, severity: WarningSeverity, headline: String) -> WeatherWarning {
    WeatherWarning {
        kind,
        severity,
        headline,
    }
}

/// Warnings implied by the day's numbers.
pub fn threshold_warnings(
    max_c: f32,
    min_c: f32,
    wind_kmh: Option<f32>,
    gust_kmh: Option<f32>,
) -> Vec<WeatherWarning> {
    let mut out = Vec::new();
    if max_c >= HEAT_SEVERE_C {
        out.push(warning(
            WarningKind::Heat,
            WarningSeverity::Severe,
            format!("Extreme heat: up to {max_c:.0} °C"),
        ));
    } else if max_c >= HEAT_MODERATE_C {
        out.push(warning(
            WarningKind::Heat,
            WarningSeverity::Moderate,
            format!("Heat: up to {max_c:.0} °C"),
        ));
    }
    if min_c <= COLD_SEVERE_C {
        out.push(warning(
            WarningKind::Cold,
            WarningSeverity::Severe,
            format!("Extreme frost: down to {min_c:.0} °C"),
        ));
    } else if min_c <= COLD_MODERATE_C {
        out.push(warning(
            WarningKind::Cold,
            WarningSeverity::Moderate,
            format!("Severe frost: down to {min_c:.0} °C"),
        ));
    }
    let wind = match (gust_kmh, wind_kmh) {
        (Some(g), _) if g.is_finite() => Some((
            g,
            [GUST_MODERATE_KMH, GUST_SEVERE_KMH, GUST_EXTREME_KMH],
            "gusts",
        )),
        (_, Some(w)) if w.is_finite() => Some((
            w,
            [WIND_MODERATE_KMH, WIND_SEVERE_KMH, WIND_EXTREME_KMH],
            "wind",
        )),
        _ => None,
    };
    if let Some((speed, [moderate, severe, extreme], what)) = wind {
        let severity = if speed >= extreme {
            Some(WarningSeverity::Extreme)
        } else if speed >= severe {
            Some(WarningSeverity::Severe)
        } else if speed >= moderate {
            Some(WarningSeverity::Moderate)
        } else {
            None
        };
        if let Some(severity) = severity {
            out.push(warning(
                WarningKind::Wind,
                severity,
                format!("Storm {what} up to {speed:.0} km/h"),
            ));
        }
    }
    out
}

/// Kind and severity of an official alert from its title (`event`) and the provider's
/// category tags. Titles come in the issuing service's language; English and German
/// keywords are recognised, anything else is `other`/`moderate`.
pub fn classify_alert(event: &str, tags: &[String], max_c: f32) -> (WarningKind, WarningSeverity) {
    let text = event.to_lowercase();
    let kind = kind_from_text(&text)
        .or_else(|| tags.iter().find_map(|t| kind_from_tag(t, max_c)))
        .unwrap_or(WarningKind::Other);
    (kind, severity_from_text(&text))
}

fn kind_from_text(text: &str) -> Option<WarningKind> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // English words match at a word's start ("rainfall", not "drain"); German stems
    // anywhere, since German builds compounds ("Sturmböen", "Glatteisregen").
    let m = |prefixes: &[&str], stems: &[&str]| {
        words
            .iter()
            .any(|w| prefixes.iter().any(|p| w.starts_with(p)))
            || stems.iter().any(|s| text.contains(s))
    };
    // Most specific first: "Gewitter mit Sturmböen" is a thunderstorm warning.
    Some(if m(&["thunder"], &["gewitter"]) {
        WarningKind::Thunderstorm
    } else if m(
        &["hurricane", "typhoon", "cyclone", "tornado"],
        &["tropical storm", "orkan"],
    ) {
        WarningKind::Storm
    } else if m(&["wind", "gust", "gale"], &["böen", "boeen", "sturm"]) {
        WarningKind::Wind
    } else if m(&["heat"], &["hitze", "wärme"]) {
        WarningKind::Heat
    } else if m(&["frost", "freez"], &["frost"]) {
        WarningKind::Frost
    } else if words.iter().any(|w| matches!(*w, "ice" | "icy"))
        || m(&[], &["glätte", "glatteis", "glaette"])
    {
        WarningKind::Ice
    } else if m(&["snow", "blizzard"], &["schnee"]) {
        WarningKind::Snow
    } else if m(&["rain", "flood"], &["regen", "hochwasser"]) {
        WarningKind::Rain
    } else if m(&["fog"], &["nebel"]) {
        WarningKind::Fog
    } else if m(&["dust", "smog"], &["air quality", "ozon", "feinstaub"]) {
        WarningKind::AirQuality
    } else if m(&["cold", "chill"], &["kälte"]) {
        WarningKind::Cold
    } else {
        return None;
    })
}

/// OpenWeatherMap's alert tags.
fn kind_from_tag(tag: &str, max_c: f32) -> Option<WarningKind> {
    Some(match tag.to_lowercase().as_str() {
        "extreme temperature value" if max_c >= 25.0 => WarningKind::Heat,
        "extreme temperature value" => WarningKind::Cold,
        "fog" => WarningKind::Fog,
        "flood" | "rain" => WarningKind::Rain,
        "wind" => WarningKind::Wind,
        "snow/ice" => WarningKind::Snow,
        "thunderstorm" => WarningKind::Thunderstorm,
        "air quality" => WarningKind::AirQuality,
        _ => return None,
    })
}

/// Severity words: "extreme"/red → extreme; "severe"/"Unwetter"/orange → severe;
/// watch/advisory/statement/pre-information/yellow-free minor words → minor; a plain
/// "warning" (and anything unrecognised) → moderate. Whole words, so "reduced" is not red.
fn severity_from_text(text: &str) -> WarningSeverity {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let any = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let prefix = |set: &[&str]| words.iter().any(|w| set.iter().any(|p| w.starts_with(p)));
    if any(&["extreme", "extremes", "extremem", "extremer", "red", "rot"]) {
        WarningSeverity::Extreme
    } else if any(&["severe", "orange"]) || prefix(&["unwetter"]) {
        WarningSeverity::Severe
    } else if any(&[
        "watch",
        "advisory",
        "statement",
        "outlook",
        "vorabinformation",
        "vorinformation",
        "hinweis",
        "green",
        "minor",
    ]) {
        WarningSeverity::Minor
    } else {
        WarningSeverity::Moderate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert!(threshold_warnings(25.0, 10.0, Some(20.0), Some(40.0)).is_empty());
        let hot = threshold_warnings(33.0, 20.0, None, None);
        assert_eq!(hot[0].kind, WarningKind::Heat);
        assert_eq!(hot[0].severity, WarningSeverity::Moderate);
        assert_eq!(
            threshold_warnings(39.0, 25.0, None, None)[0].severity,
            WarningSeverity::Severe
        );
        let cold = threshold_warnings(-5.0, -12.0, None, None);
        assert_eq!(
            (cold[0].kind, cold[0].severity),
            (WarningKind::Cold, WarningSeverity::Moderate)
        );
        let gusts = threshold_warnings(15.0, 8.0, Some(40.0), Some(95.0));
        assert_eq!(
            (gusts[0].kind, gusts[0].severity),
            (WarningKind::Wind, WarningSeverity::Severe)
        );
        // Sustained wind only: Beaufort thresholds.
        let gale = threshold_warnings(15.0, 8.0, Some(65.0), None);
        assert_eq!(gale[0].severity, WarningSeverity::Moderate);
    }

    #[test]
    fn alert_classification() {
        let t = |s: &str| vec![s.to_string()];
        assert_eq!(
            classify_alert("Amtliche WARNUNG vor STURMBÖEN", &t("Wind"), 15.0),
            (WarningKind::Wind, WarningSeverity::Moderate)
        );
        assert_eq!(
            classify_alert("Amtliche UNWETTERWARNUNG vor SCHWEREM GEWITTER", &[], 28.0),
            (WarningKind::Thunderstorm, WarningSeverity::Severe)
        );
        assert_eq!(
            classify_alert("Excessive Heat Watch", &[], 36.0),
            (WarningKind::Heat, WarningSeverity::Minor)
        );
        assert_eq!(
            classify_alert("Red warning", &t("Extreme temperature value"), 39.0),
            (WarningKind::Heat, WarningSeverity::Extreme)
        );
        assert_eq!(
            classify_alert("Reduced visibility", &t("Fog"), 10.0),
            (WarningKind::Fog, WarningSeverity::Moderate)
        );
        assert_eq!(
            classify_alert("Special weather notice", &t("Snow/Ice"), -2.0),
            (WarningKind::Snow, WarningSeverity::Moderate)
        );
        assert_eq!(
            classify_alert("Coastal event", &t("Coastal event"), 10.0),
            (WarningKind::Other, WarningSeverity::Moderate)
        );
    }
}
