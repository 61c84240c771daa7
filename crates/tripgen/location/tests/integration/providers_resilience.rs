//! Timeouts, retries, malformed answers, the circuit breaker and the route cache, exercised
//! through the OSRM adapter against its local fake (the machinery is shared by all adapters).

use crate::fakes;

use std::time::{Duration, Instant};

use fakes::{Fault, osrm};
use tripgen_location::config::{LocationTravelConfig, TravelProviderKind};
use tripgen_location::providers::{
    BreakerState, ProviderCache, ROUTE_TTL, STRAIGHT_LINE, TravelProviders,
};
use tripgen_location::{
    GeoPoint, StraightLineModel, TravelMode, TravelTimeModel, TravelTimeProvider,
};

fn p(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::new(lat, lon).unwrap()
}

fn config(url: &str) -> LocationTravelConfig {
    LocationTravelConfig {
        provider: TravelProviderKind::Osrm,
        osrm_url: Some(url.to_string()),
        timeout_ms: 300,
        retries: 1,
        failure_threshold: 3,
        cooldown_secs: 1,
        ..LocationTravelConfig::default()
    }
}

fn providers(cfg: &LocationTravelConfig) -> TravelProviders {
    TravelProviders::from_config(cfg, ProviderCache::in_process(ROUTE_TTL, 10_000)).unwrap()
}

/// Chosen away from the 1e-4° key-grid boundaries, so "a few metres off" rounds the same.
fn a() -> GeoPoint {
    p(48.137_2, 11.575_5)
}

fn b() -> GeoPoint {
    p(48.140_23, 11.558_81)
}

/// Distinct destinations, so no answer comes from the cache.
fn nth(i: u32) -> GeoPoint {
    p(48.14 + 0.001 * f64::from(i), 11.56)
}

#[tokio::test]
async fn timeout_is_retried_once_then_falls_back() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    ctl.fail_always(Some(Fault::Sleep(Duration::from_secs(3))));
    let started = Instant::now();
    let answer = tp.estimate(a(), b(), TravelMode::Walk).await;
    let elapsed = started.elapsed();
    assert_eq!(answer.provider, STRAIGHT_LINE);
    assert_eq!(
        answer.estimate,
        StraightLineModel::default().estimate(a(), b(), TravelMode::Walk)
    );
    assert_eq!(ctl.calls(), 2, "one retry");
    assert!(elapsed < Duration::from_millis(1_500), "{elapsed:?}");
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    ctl.fail_next([Fault::Status(503)]);
    let answer = tp.estimate(a(), b(), TravelMode::Walk).await;
    assert_eq!(answer.provider, "osrm");
    assert_eq!(ctl.calls(), 2);
    // Two 5xx in a row exhaust the single retry.
    ctl.fail_next([Fault::Status(502), Fault::Status(500)]);
    let answer = tp.estimate(a(), nth(1), TravelMode::Walk).await;
    assert_eq!(answer.provider, STRAIGHT_LINE);
    assert_eq!(ctl.calls(), 4);
}

#[tokio::test]
async fn malformed_json_is_an_error_then_fallback() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    ctl.fail_next([Fault::Malformed]);
    let answer = tp.estimate(a(), b(), TravelMode::Walk).await;
    assert_eq!(answer.provider, STRAIGHT_LINE);
    assert_eq!(ctl.calls(), 1, "a malformed answer is not retried");
    // Not cached: the next call is routed.
    assert_eq!(
        tp.estimate(a(), b(), TravelMode::Walk).await.provider,
        "osrm"
    );
    // Same for a matrix: the failed block falls back to the model.
    ctl.fail_next([Fault::Malformed]);
    let m = tp
        .matrix_between(&[a()], &[nth(1), nth(2)], TravelMode::Car)
        .await;
    assert_eq!((m.provider, m.approximated), (STRAIGHT_LINE, 2));
}

#[tokio::test]
async fn circuit_opens_after_threshold_and_short_circuits() {
    let (url, ctl) = osrm::start().await;
    let cfg = LocationTravelConfig {
        retries: 0,
        ..config(&url)
    };
    let tp = providers(&cfg);
    ctl.fail_always(Some(Fault::Status(500)));
    for i in 0..3 {
        assert_eq!(
            tp.estimate(a(), nth(i), TravelMode::Walk).await.provider,
            STRAIGHT_LINE
        );
    }
    assert_eq!(ctl.calls(), 3);
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Open)]);
    // Open: answered at once by the model, the server is not called.
    let started = Instant::now();
    for i in 3..10 {
        assert_eq!(
            tp.estimate(a(), nth(i), TravelMode::Walk).await.provider,
            STRAIGHT_LINE
        );
    }
    let m = tp
        .matrix_between(&[a(), b()], &[a(), b()], TravelMode::Walk)
        .await;
    assert_eq!((m.provider, m.approximated), (STRAIGHT_LINE, 2));
    assert_eq!(ctl.calls(), 3);
    assert!(started.elapsed() < Duration::from_millis(200));
}

#[tokio::test]
async fn half_open_probe_recovers_or_reopens() {
    let (url, ctl) = osrm::start().await;
    let cfg = LocationTravelConfig {
        retries: 0,
        failure_threshold: 2,
        ..config(&url)
    };
    let tp = providers(&cfg);
    ctl.fail_always(Some(Fault::Status(503)));
    tp.estimate(a(), nth(0), TravelMode::Walk).await;
    tp.estimate(a(), nth(1), TravelMode::Walk).await;
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Open)]);

    // After the cool-down one probe goes through; it fails → open again at once.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::HalfOpen)]);
    tp.estimate(a(), nth(2), TravelMode::Walk).await;
    assert_eq!(ctl.calls(), 3);
    tp.estimate(a(), nth(3), TravelMode::Walk).await;
    assert_eq!(ctl.calls(), 3, "failed probe re-opened the circuit");
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Open)]);

    // The upstream recovers: the next probe succeeds and closes the circuit.
    ctl.fail_always(None);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        tp.estimate(a(), nth(4), TravelMode::Walk).await.provider,
        "osrm"
    );
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Closed)]);
    assert_eq!(
        tp.estimate(a(), nth(5), TravelMode::Walk).await.provider,
        "osrm"
    );
    assert_eq!(ctl.calls(), 5);
}

#[tokio::test]
async fn routes_are_cached_by_rounded_coordinates_and_mode() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let first = tp.estimate(a(), b(), TravelMode::Walk).await;
    assert_eq!(ctl.calls(), 1);
    // 2–3 m away: the same doorway, the same cache entry.
    let near_a = p(48.137_22, 11.575_52);
    let second = tp.estimate(near_a, b(), TravelMode::Walk).await;
    assert_eq!(second, first);
    assert_eq!(ctl.calls(), 1);
    // Another mode or the reverse direction is another entry.
    tp.estimate(a(), b(), TravelMode::Car).await;
    tp.estimate(b(), a(), TravelMode::Walk).await;
    assert_eq!(ctl.calls(), 3);
    // The route also filled the matrix cell cache: a→b and b→a are known now.
    let m = tp.matrix_between(&[a()], &[b()], TravelMode::Walk).await;
    assert_eq!(m.matrix.get(0, 0), Some(first.estimate));
    assert_eq!(ctl.calls(), 3);
    // Fallbacks are never cached: after an outage the service answers again.
    ctl.fail_next([Fault::Status(500), Fault::Status(500)]);
    let other = nth(7);
    assert_eq!(
        tp.estimate(a(), other, TravelMode::Walk).await.provider,
        STRAIGHT_LINE
    );
    assert_eq!(
        tp.estimate(a(), other, TravelMode::Walk).await.provider,
        "osrm"
    );
}

#[tokio::test]
async fn the_async_port_runs_on_the_configured_service() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = [a(), b(), nth(3)];
    let m = tp
        .travel_matrix(&pts, &pts, TravelMode::Walk)
        .await
        .unwrap();
    assert_eq!((m.rows(), m.cols()), (3, 3));
    let e = tp.travel(a(), b(), TravelMode::Walk).await.unwrap();
    assert_eq!(m.get(0, 1), Some(e));
    assert_eq!(ctl.calls(), 2, "one table, one route (for its geometry)");
}

#[tokio::test]
async fn straight_line_provider_never_touches_the_network() {
    let tp = TravelProviders::straight_line();
    assert_eq!(tp.provider_name(), STRAIGHT_LINE);
    let answer = tp.estimate(a(), b(), TravelMode::Car).await;
    assert_eq!(answer.provider, STRAIGHT_LINE);
    let m = tp.matrix(&[a(), b()], TravelMode::Walk).await;
    assert_eq!(
        m.get(0, 1),
        Some(StraightLineModel::default().estimate(a(), b(), TravelMode::Walk))
    );
    assert!(tp.breaker_states().is_empty());
}

#[tokio::test]
async fn unreachable_server_is_a_transport_failure() {
    // Bind and drop a listener: nothing listens on that port any more.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cfg = LocationTravelConfig {
        retries: 0,
        failure_threshold: 1,
        ..config(&format!("http://127.0.0.1:{port}"))
    };
    let tp = providers(&cfg);
    assert_eq!(
        tp.estimate(a(), b(), TravelMode::Walk).await.provider,
        STRAIGHT_LINE
    );
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Open)]);
}
