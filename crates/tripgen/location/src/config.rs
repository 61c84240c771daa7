//! `[location]`: the location context's configuration section (env
//! `TRIPGEN_LOCATION__<KEY>`) and its rules: the seed extracts, and which routing and
//! forecast services answer.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tripgen_platform::config::ConfigError;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationConfig {
    /// Folders of OSM extracts (`.osm.pbf`, GeoJSON) imported at start when the place
    /// catalogue is empty. Relative paths are relative to the working directory.
    pub seed_dirs: Vec<PathBuf>,
    /// `[location.travel]`: which routing service answers travel times.
    pub travel: LocationTravelConfig,
    /// `[location.weather]`: which forecast service answers weather questions.
    pub weather: LocationWeatherConfig,
}

impl Default for LocationConfig {
    fn default() -> Self {
        LocationConfig {
            seed_dirs: vec![PathBuf::from("data/osm")],
            travel: LocationTravelConfig::default(),
            weather: LocationWeatherConfig::default(),
        }
    }
}

/// `location.travel.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TravelProviderKind {
    /// The calibrated in-process model; no network (the embedded default).
    #[default]
    #[serde(rename = "straight-line")]
    StraightLine,
    /// A self-hosted OSRM server (walk and car; transit stays on the straight-line model).
    #[serde(rename = "osrm")]
    Osrm,
    /// Google Routes API v2 (walk, transit, car); needs `google_api_key`.
    #[serde(rename = "google")]
    Google,
}

impl TravelProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TravelProviderKind::StraightLine => "straight-line",
            TravelProviderKind::Osrm => "osrm",
            TravelProviderKind::Google => "google",
        }
    }
}

/// `[location.travel]` — env `TRIPGEN_LOCATION__TRAVEL__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationTravelConfig {
    /// `straight-line` (default), `osrm` or `google`.
    pub provider: TravelProviderKind,
    /// Base URL of the OSRM server, e.g. `http://osrm:5000`; used for every mode unless
    /// `osrm_walk_url` / `osrm_car_url` override it (one `osrm-routed` serves one profile,
    /// so self-hosters often run one server per profile).
    pub osrm_url: Option<String>,
    /// OSRM server for walking (profile `osrm_walk_profile`).
    pub osrm_walk_url: Option<String>,
    /// OSRM server for driving (profile `osrm_car_profile`).
    pub osrm_car_url: Option<String>,
    /// Profile path segment for walking requests (`/table/v1/<profile>/…`), default `foot`.
    pub osrm_walk_profile: String,
    /// Profile path segment for driving requests, default `car`.
    pub osrm_car_profile: String,
    /// The server's `--max-table-size` (osrm-routed default 100): matrices are split into
    /// blocks of at most this many sources and destinations.
    pub osrm_max_table_size: u32,
    /// Google Maps Platform key with the Routes API enabled (secret; also
    /// `TRIPGEN_LOCATION__TRAVEL__GOOGLE_API_KEY_FILE`). Required for `provider = google`.
    pub google_api_key: Option<String>,
    /// Base URL of the Routes API (tests point it at a local fake).
    pub google_base_url: String,
    /// Per-request timeout (connect + response + body), milliseconds, 100–60000.
    pub timeout_ms: u64,
    /// Extra attempts after a timeout, connection error or 5xx answer (0–3).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit breaker (≥ 1).
    pub failure_threshold: u32,
    /// Seconds an open circuit short-circuits calls before one probe is let through (1–3600).
    pub cooldown_secs: u64,
    /// Maximum number of route entries kept in process (L1); Redis holds the rest.
    pub cache_capacity: u64,
    /// `[location.travel.transit]`: public transport without a timetable (speeds, waits).
    pub transit: crate::roads::TransitConstants,
}

impl Default for LocationTravelConfig {
    fn default() -> Self {
        LocationTravelConfig {
            provider: TravelProviderKind::StraightLine,
            osrm_url: None,
            osrm_walk_url: None,
            osrm_car_url: None,
            osrm_walk_profile: "foot".into(),
            osrm_car_profile: "car".into(),
            osrm_max_table_size: 100,
            google_api_key: None,
            google_base_url: "https://routes.googleapis.com".into(),
            timeout_ms: 5_000,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            cache_capacity: 100_000,
            transit: crate::roads::TransitConstants::default(),
        }
    }
}

/// `location.weather.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum WeatherProviderKind {
    /// No forecast: answers say "forecast unavailable".
    #[serde(rename = "none")]
    None,
    /// Open-Meteo (16 days, European AQI); no key needed for non-commercial use, so a
    /// fresh install is weather-aware out of the box (the default).
    #[default]
    #[serde(rename = "open-meteo")]
    OpenMeteo,
    /// OpenWeatherMap One Call 3.0 (8 days, official alerts, air pollution); needs a key.
    #[serde(rename = "openweathermap")]
    OpenWeatherMap,
}

impl WeatherProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WeatherProviderKind::None => "none",
            WeatherProviderKind::OpenMeteo => "open-meteo",
            WeatherProviderKind::OpenWeatherMap => "openweathermap",
        }
    }
}

/// `[location.weather]` — env `TRIPGEN_LOCATION__WEATHER__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationWeatherConfig {
    /// `open-meteo` (default), `openweathermap` or `none`.
    pub provider: WeatherProviderKind,
    /// Forecast API base URL (commercial plans use `https://customer-api.open-meteo.com`).
    pub open_meteo_url: String,
    /// Air-quality API base URL.
    pub open_meteo_air_quality_url: String,
    /// Commercial Open-Meteo key, sent as `apikey` (secret; also
    /// `TRIPGEN_LOCATION__WEATHER__OPEN_METEO_API_KEY_FILE`). Empty for the free API.
    pub open_meteo_api_key: Option<String>,
    /// OpenWeatherMap base URL (One Call 3.0 and air pollution).
    pub openweathermap_url: String,
    /// OpenWeatherMap `appid` (secret; also
    /// `TRIPGEN_LOCATION__WEATHER__OPENWEATHERMAP_API_KEY_FILE`). Required for that provider.
    pub openweathermap_api_key: Option<String>,
    /// Per-request timeout, milliseconds, 100–60000.
    pub timeout_ms: u64,
    /// Extra attempts after a timeout, connection error or 5xx answer (0–3).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit breaker (≥ 1).
    pub failure_threshold: u32,
    /// Seconds an open circuit short-circuits calls before one probe (1–3600).
    pub cooldown_secs: u64,
    /// Maximum number of (place, day) forecasts kept in process (L1).
    pub cache_capacity: u64,
}

impl Default for LocationWeatherConfig {
    fn default() -> Self {
        LocationWeatherConfig {
            provider: WeatherProviderKind::OpenMeteo,
            open_meteo_url: "https://api.open-meteo.com".into(),
            open_meteo_air_quality_url: "https://air-quality-api.open-meteo.com".into(),
            open_meteo_api_key: None,
            openweathermap_url: "https://api.openweathermap.org".into(),
            openweathermap_api_key: None,
            timeout_ms: 5_000,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            cache_capacity: 20_000,
        }
    }
}

impl LocationConfig {
    /// Rules of `[location]` that types alone cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let t = &self.travel;
        let w = &self.weather;
        for (key, url) in [
            ("location.travel.osrm_url", t.osrm_url.as_deref()),
            ("location.travel.osrm_walk_url", t.osrm_walk_url.as_deref()),
            ("location.travel.osrm_car_url", t.osrm_car_url.as_deref()),
            (
                "location.travel.google_base_url",
                Some(t.google_base_url.as_str()),
            ),
            (
                "location.weather.open_meteo_url",
                Some(w.open_meteo_url.as_str()),
            ),
            (
                "location.weather.open_meteo_air_quality_url",
                Some(w.open_meteo_air_quality_url.as_str()),
            ),
            (
                "location.weather.openweathermap_url",
                Some(w.openweathermap_url.as_str()),
            ),
        ] {
            if let Some(u) = url
                && !(u.starts_with("http://") || u.starts_with("https://"))
            {
                return Err(ConfigError::new(key, "must be an http:// or https:// URL"));
            }
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        match t.provider {
            TravelProviderKind::Osrm
                if t.osrm_url.is_none()
                    && (t.osrm_walk_url.is_none() || t.osrm_car_url.is_none()) =>
            {
                return Err(ConfigError::new(
                    "location.travel.osrm_url",
                    "required when location.travel.provider = osrm \
                     (or set both osrm_walk_url and osrm_car_url)",
                ));
            }
            TravelProviderKind::Google if blank(&t.google_api_key) => {
                return Err(ConfigError::new(
                    "location.travel.google_api_key",
                    "required when location.travel.provider = google",
                ));
            }
            _ => {}
        }
        if t.osrm_walk_profile.trim().is_empty() || t.osrm_car_profile.trim().is_empty() {
            return Err(ConfigError::new(
                "location.travel.osrm_walk_profile",
                "OSRM profiles must not be empty",
            ));
        }
        if t.osrm_max_table_size < 2 {
            return Err(ConfigError::new(
                "location.travel.osrm_max_table_size",
                "must be ≥ 2",
            ));
        }
        if w.provider == WeatherProviderKind::OpenWeatherMap && blank(&w.openweathermap_api_key) {
            return Err(ConfigError::new(
                "location.weather.openweathermap_api_key",
                "required when location.weather.provider = openweathermap",
            ));
        }
        for (section, timeout_ms, retries, threshold, cooldown, capacity) in [
            (
                "location.travel",
                t.timeout_ms,
                t.retries,
                t.failure_threshold,
                t.cooldown_secs,
                t.cache_capacity,
            ),
            (
                "location.weather",
                w.timeout_ms,
                w.retries,
                w.failure_threshold,
                w.cooldown_secs,
                w.cache_capacity,
            ),
        ] {
            if !(100..=60_000).contains(&timeout_ms) {
                return Err(ConfigError::new(
                    format!("{section}.timeout_ms"),
                    "must be between 100 and 60000",
                ));
            }
            if retries > 3 {
                return Err(ConfigError::new(
                    format!("{section}.retries"),
                    "must be between 0 and 3",
                ));
            }
            if threshold == 0 {
                return Err(ConfigError::new(
                    format!("{section}.failure_threshold"),
                    "must be ≥ 1",
                ));
            }
            if !(1..=3_600).contains(&cooldown) {
                return Err(ConfigError::new(
                    format!("{section}.cooldown_secs"),
                    "must be between 1 and 3600",
                ));
            }
            if capacity == 0 {
                return Err(ConfigError::new(
                    format!("{section}.cache_capacity"),
                    "must be ≥ 1",
                ));
            }
        }
        Ok(())
    }
}
