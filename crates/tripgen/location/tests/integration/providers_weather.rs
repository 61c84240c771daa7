//! Open-Meteo and OpenWeatherMap adapters against local fakes; the "none" provider.

use crate::fakes;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use fakes::{Fault, open_meteo, owm};
use tripgen_location::config::{LocationWeatherConfig, WeatherProviderKind};
use tripgen_location::providers::{
    BreakerState, FORECAST_UNAVAILABLE, ProviderCache, WEATHER_TTL, WeatherProviders,
};
use tripgen_location::{
    AirQuality, AirQualityScale, GeoPoint, WarningKind, WarningSeverity, WeatherCondition,
};

fn munich() -> GeoPoint {
    GeoPoint::new(48.137_2, 11.575_5).unwrap()
}

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, d).unwrap()
}

fn cache() -> ProviderCache {
    ProviderCache::in_process(WEATHER_TTL, 1_000)
}

fn open_meteo_config(forecast: &str, air: &str) -> LocationWeatherConfig {
    LocationWeatherConfig {
        provider: WeatherProviderKind::OpenMeteo,
        open_meteo_url: forecast.to_string(),
        open_meteo_air_quality_url: air.to_string(),
        timeout_ms: 2_000,
        failure_threshold: 3,
        ..LocationWeatherConfig::default()
    }
}

fn owm_config(url: &str, key: Option<&str>) -> LocationWeatherConfig {
    LocationWeatherConfig {
        provider: WeatherProviderKind::OpenWeatherMap,
        openweathermap_url: url.to_string(),
        openweathermap_api_key: key.map(str::to_string),
        timeout_ms: 2_000,
        failure_threshold: 2,
        ..LocationWeatherConfig::default()
    }
}

fn european(index: u16) -> Option<AirQuality> {
    Some(AirQuality {
        scale: AirQualityScale::European,
        index,
    })
}

#[tokio::test]
async fn none_says_forecast_unavailable() {
    let w = WeatherProviders::none();
    let answer = w.forecast(munich(), date(1), 5).await;
    assert!(!answer.available);
    assert!(answer.days.is_empty());
    assert_eq!(answer.provider, "none");
    assert_eq!(answer.message.as_deref(), Some(FORECAST_UNAVAILABLE));
    assert_eq!(w.horizon_days(), 0);
    let json = serde_json::to_value(&answer).unwrap();
    assert_eq!(json["message"], "forecast unavailable");
    assert_eq!(json["available"], false);
}

#[tokio::test]
async fn open_meteo_maps_sixteen_days() {
    let (fc_url, fc) = open_meteo::start_forecast().await;
    let (aq_url, aq) = open_meteo::start_air_quality().await;
    let w = WeatherProviders::from_config(&open_meteo_config(&fc_url, &aq_url), cache()).unwrap();
    assert_eq!((w.provider_name(), w.horizon_days()), ("open-meteo", 16));
    let answer = w.forecast(munich(), date(1), 16).await;
    assert_eq!(answer.provider, "open-meteo");
    assert!(answer.available);
    // The 16th day has nulls (no model data): left out, and said so.
    assert_eq!(answer.days.len(), 15);
    assert_eq!(
        answer.message.as_deref(),
        Some("forecast covers 15 of 16 days")
    );

    let req = fc.last();
    assert_eq!(req.path, "/v1/forecast");
    assert_eq!(req.query_value("timezone").as_deref(), Some("auto"));
    assert_eq!(req.query_value("forecast_days").as_deref(), Some("16"));
    assert_eq!(req.query_value("latitude").as_deref(), Some("48.1372"));
    let daily = req.query_value("daily").unwrap();
    for var in [
        "weather_code",
        "temperature_2m_max",
        "temperature_2m_min",
        "precipitation_probability_max",
        "wind_speed_10m_max",
    ] {
        assert!(daily.contains(var), "{daily}");
    }
    let air = aq.last();
    assert_eq!(air.path, "/v1/air-quality");
    assert_eq!(air.query_value("hourly").as_deref(), Some("european_aqi"));

    let d = &answer.days;
    for (i, day) in d.iter().enumerate() {
        assert_eq!(day.date, date(1 + i as u32));
        assert_eq!(Some(day.temperature_max_c), open_meteo::T_MAX[i]);
        assert_eq!(Some(day.temperature_min_c), open_meteo::T_MIN[i]);
        assert_eq!(day.precipitation_probability, open_meteo::POP[i]);
        assert_eq!(day.precipitation_mm, open_meteo::RAIN_MM[i]);
        // Air quality: daily maximum of the hourly index, for the 7 days the API covers.
        let aqi = open_meteo::AQI_MAX.get(i).copied();
        assert_eq!(day.air_quality, aqi.and_then(european));
    }
    assert_eq!(d[0].condition, WeatherCondition::Clear);
    assert_eq!(d[1].condition, WeatherCondition::PartlyCloudy);
    assert_eq!(d[3].condition, WeatherCondition::Fog);
    assert_eq!(d[4].condition, WeatherCondition::Rain);
    assert_eq!(d[7].condition, WeatherCondition::Snow);
    assert_eq!(d[13].condition, WeatherCondition::Sleet);
    assert!(d[0].warnings.is_empty() && !d[0].prefers_indoor());
    assert!(d[2].bad_air(), "EAQI 62 is poor");
    // Day 6 (5 July): thunderstorm with gusts of 95 km/h → severe wind warning.
    assert_eq!(d[5].condition, WeatherCondition::Thunderstorm);
    assert!(
        d[5].warnings
            .iter()
            .any(|w| w.kind == WarningKind::Wind && w.severity == WarningSeverity::Severe)
    );
    assert!(d[5].is_severe());
    // Day 7: WMO 99 (hail) and 33.4 °C.
    let kinds: Vec<_> = d[6].warnings.iter().map(|w| (w.kind, w.severity)).collect();
    assert!(kinds.contains(&(WarningKind::Thunderstorm, WarningSeverity::Moderate)));
    assert!(kinds.contains(&(WarningKind::Heat, WarningSeverity::Moderate)));
    assert!(d[6].is_hot());
    // 39.1 °C → severe heat; −12.5 °C minimum → moderate cold.
    assert!(
        d[9].warnings
            .iter()
            .any(|w| w.kind == WarningKind::Heat && w.severity == WarningSeverity::Severe)
    );
    assert!(d[13].warnings.iter().any(|w| w.kind == WarningKind::Cold));
    assert!(d[13].is_cold());
}

#[tokio::test]
async fn open_meteo_is_cached_per_place_and_day() {
    let (fc_url, fc) = open_meteo::start_forecast().await;
    let (aq_url, aq) = open_meteo::start_air_quality().await;
    let w = WeatherProviders::from_config(&open_meteo_config(&fc_url, &aq_url), cache()).unwrap();
    let first = w.forecast(munich(), date(1), 5).await;
    assert_eq!((fc.calls(), aq.calls()), (1, 1));
    // Same request, another range inside the fetched 16 days, a point 300 m away: cached.
    assert_eq!(w.forecast(munich(), date(1), 5).await, first);
    let later = w.forecast(munich(), date(10), 3).await;
    assert_eq!(later.days.len(), 3);
    assert_eq!(later.days[0].date, date(10));
    let near = GeoPoint::new(48.139, 11.578).unwrap();
    assert_eq!(
        w.forecast(near, date(2), 2).await.days,
        first.days[1..3].to_vec()
    );
    assert_eq!((fc.calls(), aq.calls()), (1, 1));
    // Another city is another entry.
    let porto = GeoPoint::new(41.15, -8.61).unwrap();
    w.forecast(porto, date(1), 1).await;
    assert_eq!((fc.calls(), aq.calls()), (2, 2));
}

#[tokio::test]
async fn dates_beyond_the_horizon_are_unavailable_and_remembered() {
    let (fc_url, fc) = open_meteo::start_forecast().await;
    let (aq_url, _aq) = open_meteo::start_air_quality().await;
    let w = WeatherProviders::from_config(&open_meteo_config(&fc_url, &aq_url), cache()).unwrap();
    let far = NaiveDate::from_ymd_opt(2025, 8, 20).unwrap();
    let answer = w.forecast(munich(), far, 3).await;
    assert!(!answer.available);
    let message = answer.message.unwrap();
    assert!(message.starts_with(FORECAST_UNAVAILABLE), "{message}");
    assert!(message.contains("16 days"), "{message}");
    assert_eq!(fc.calls(), 1);
    w.forecast(munich(), far, 3).await;
    assert_eq!(fc.calls(), 1, "the gap is cached too");
}

#[tokio::test]
async fn air_quality_failure_keeps_the_forecast() {
    let (fc_url, _fc) = open_meteo::start_forecast().await;
    let (aq_url, aq) = open_meteo::start_air_quality().await;
    aq.fail_always(Some(Fault::Status(502)));
    let w = WeatherProviders::from_config(&open_meteo_config(&fc_url, &aq_url), cache()).unwrap();
    let answer = w.forecast(munich(), date(1), 7).await;
    assert!(answer.available);
    assert_eq!(answer.days.len(), 7);
    assert!(answer.days.iter().all(|d| d.air_quality.is_none()));
    assert_eq!(aq.calls(), 2, "retried once");
}

#[tokio::test]
async fn forecast_outage_is_unavailable_then_short_circuited() {
    let (fc_url, fc) = open_meteo::start_forecast().await;
    let (aq_url, _aq) = open_meteo::start_air_quality().await;
    fc.fail_always(Some(Fault::Status(500)));
    let cfg = LocationWeatherConfig {
        retries: 0,
        failure_threshold: 2,
        ..open_meteo_config(&fc_url, &aq_url)
    };
    let w = WeatherProviders::from_config(&cfg, cache()).unwrap();
    for _ in 0..4 {
        let answer = w.forecast(munich(), date(1), 3).await;
        assert!(!answer.available);
        assert_eq!(
            answer.message.as_deref(),
            Some("forecast unavailable: the weather service did not answer")
        );
    }
    assert_eq!(fc.calls(), 2);
    assert!(
        w.breaker_states()
            .contains(&("open-meteo", BreakerState::Open))
    );
}

#[tokio::test]
async fn forecast_timeout_is_unavailable_quickly() {
    let (fc_url, fc) = open_meteo::start_forecast().await;
    let (aq_url, _aq) = open_meteo::start_air_quality().await;
    fc.fail_always(Some(Fault::Sleep(Duration::from_secs(3))));
    let cfg = LocationWeatherConfig {
        timeout_ms: 200,
        ..open_meteo_config(&fc_url, &aq_url)
    };
    let w = WeatherProviders::from_config(&cfg, cache()).unwrap();
    let started = Instant::now();
    let answer = w.forecast(munich(), date(1), 3).await;
    assert!(!answer.available);
    assert!(started.elapsed() < Duration::from_millis(1_500));
    assert_eq!(fc.calls(), 2);
}

#[tokio::test]
async fn open_meteo_error_envelope_is_unavailable() {
    let (fc_url, fc) = open_meteo::start_forecast().await;
    let (aq_url, _aq) = open_meteo::start_air_quality().await;
    fc.fail_next([Fault::Json(
        400,
        r#"{"error":true,"reason":"Latitude must be in range of -90 to 90°. Given: 91.0."}"#.into(),
    )]);
    let w = WeatherProviders::from_config(&open_meteo_config(&fc_url, &aq_url), cache()).unwrap();
    assert!(!w.forecast(munich(), date(1), 1).await.available);
    assert_eq!(fc.calls(), 1, "a 400 is not retried");
    assert!(w.forecast(munich(), date(1), 1).await.available);
}

#[tokio::test]
async fn openweathermap_maps_days_alerts_and_air() {
    let (url, ctl) = owm::start().await;
    let w = WeatherProviders::from_config(&owm_config(&url, Some(owm::KEY)), cache()).unwrap();
    assert_eq!((w.provider_name(), w.horizon_days()), ("openweathermap", 8));
    let answer = w.forecast(munich(), date(1), 8).await;
    assert!(answer.available, "{answer:?}");
    assert_eq!(answer.message, None);
    assert_eq!(ctl.calls(), 2, "one call + air pollution");

    let calls = ctl.requests();
    let onecall = calls
        .iter()
        .find(|r| r.path == "/data/3.0/onecall")
        .unwrap();
    assert_eq!(onecall.query_value("appid").as_deref(), Some(owm::KEY));
    assert_eq!(onecall.query_value("units").as_deref(), Some("metric"));
    assert_eq!(
        onecall.query_value("exclude").as_deref(),
        Some("minutely,hourly")
    );
    assert_eq!(onecall.query_value("lat").as_deref(), Some("48.1372"));
    assert!(
        calls
            .iter()
            .any(|r| r.path == "/data/2.5/air_pollution/forecast")
    );

    let d = &answer.days;
    assert_eq!(d.len(), 8);
    for (i, day) in d.iter().enumerate() {
        // `dt` is local noon in UTC; the date is the local one.
        assert_eq!(day.date, date(1 + i as u32));
        assert!((day.temperature_max_c - owm::T_MAX[i] as f32).abs() < 1e-4);
        assert!((day.temperature_min_c - owm::T_MIN[i] as f32).abs() < 1e-4);
        assert_eq!(
            day.precipitation_probability,
            Some((owm::POP[i] * 100.0).round() as u8)
        );
    }
    assert_eq!(d[0].condition, WeatherCondition::Clear);
    assert_eq!(d[1].condition, WeatherCondition::PartlyCloudy);
    assert_eq!(d[2].condition, WeatherCondition::Rain);
    assert_eq!(d[2].precipitation_mm, Some(4.2));
    assert_eq!(d[3].condition, WeatherCondition::Thunderstorm);
    assert_eq!(d[5].condition, WeatherCondition::Snow);
    assert_eq!(d[5].precipitation_mm, Some(1.3));
    assert_eq!(d[6].condition, WeatherCondition::Fog);
    assert_eq!(d[0].precipitation_mm, None);

    // 3 July: gusts 27 m/s (97 km/h) and the DWD Sturmböen alert.
    let jul3: Vec<_> = d[2].warnings.iter().map(|w| (w.kind, w.severity)).collect();
    assert!(
        jul3.contains(&(WarningKind::Wind, WarningSeverity::Severe)),
        "{jul3:?}"
    );
    assert!(d[2].warnings.iter().any(|w| w.headline
        == "Amtliche WARNUNG vor STURMBÖEN (Deutscher Wetterdienst)"
        && w.kind == WarningKind::Wind
        && w.severity == WarningSeverity::Moderate));
    // 4 July: the wind alert runs until 02:00, the severe thunderstorm alert, 34.2 °C.
    let jul4: Vec<_> = d[3].warnings.iter().map(|w| (w.kind, w.severity)).collect();
    assert!(
        jul4.contains(&(WarningKind::Wind, WarningSeverity::Moderate)),
        "{jul4:?}"
    );
    assert!(jul4.contains(&(WarningKind::Thunderstorm, WarningSeverity::Severe)));
    assert!(jul4.contains(&(WarningKind::Heat, WarningSeverity::Moderate)));
    assert!(d[3].is_severe() && d[3].prefers_indoor());
    assert!(d[4].warnings.is_empty(), "{:?}", d[4].warnings);

    // AQI 1–5 by local day → European band middles; 4 ("poor") is bad air.
    assert_eq!(d[0].air_quality, european(30));
    assert_eq!(d[1].air_quality, european(70));
    assert!(d[1].bad_air());
    assert_eq!(d[2].air_quality, european(10));
    assert_eq!(d[4].air_quality, european(50));
    assert_eq!(d[5].air_quality, None);

    // Cached per day: no new calls.
    w.forecast(munich(), date(3), 2).await;
    assert_eq!(ctl.calls(), 2);
}

#[tokio::test]
async fn openweathermap_bad_key_is_unavailable_and_opens_the_circuit() {
    let (url, ctl) = owm::start().await;
    let w = WeatherProviders::from_config(&owm_config(&url, Some("wrong")), cache()).unwrap();
    for _ in 0..3 {
        let answer = w.forecast(munich(), date(1), 2).await;
        assert!(!answer.available);
    }
    // Two forecasts × (one call + air pollution), then both circuits are open.
    assert_eq!(ctl.calls(), 4);
    assert!(
        w.breaker_states()
            .iter()
            .all(|(_, s)| *s == BreakerState::Open)
    );
}

#[tokio::test]
async fn errors_never_carry_the_url_with_its_key() {
    use tripgen_location::providers::http_client::{HttpSettings, Upstream};
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let upstream = Upstream::new(
        "openweathermap",
        HttpSettings {
            timeout: Duration::from_millis(500),
            retries: 0,
            failure_threshold: 1,
            cooldown: Duration::from_secs(1),
        },
    )
    .unwrap();
    let url = format!("http://127.0.0.1:{port}/data/3.0/onecall?appid=SECRET-KEY-123");
    let err = upstream
        .call(|c| c.get(&url), |reply| Ok(reply.status))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("openweathermap: transport error"),
        "{text}"
    );
    assert!(
        !text.contains("SECRET-KEY-123") && !text.contains("appid"),
        "{text}"
    );
}

#[tokio::test]
async fn openweathermap_needs_a_key() {
    for key in [None, Some("")] {
        let err = WeatherProviders::from_config(&owm_config("http://127.0.0.1:9", key), cache())
            .err()
            .unwrap();
        assert_eq!(err.key, "location.weather.openweathermap_api_key");
    }
}
