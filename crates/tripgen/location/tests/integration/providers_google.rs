//! Google Routes API v2 adapter against a local fake (streamed computeRouteMatrix,
//! computeRoutes, key and field-mask headers, element limits).

use crate::fakes;

use fakes::google;
use tripgen_location::config::{LocationTravelConfig, TravelProviderKind};
use tripgen_location::providers::{
    BreakerState, ProviderCache, ROUTE_TTL, STRAIGHT_LINE, TravelProviders,
};
use tripgen_location::{GeoPoint, StraightLineModel, TravelMode, TravelTimeModel};

fn p(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::new(lat, lon).unwrap()
}

fn ll(g: GeoPoint) -> (f64, f64) {
    (g.lat(), g.lon())
}

fn config(url: &str, key: Option<&str>) -> LocationTravelConfig {
    LocationTravelConfig {
        provider: TravelProviderKind::Google,
        google_base_url: url.to_string(),
        google_api_key: key.map(str::to_string),
        timeout_ms: 3_000,
        failure_threshold: 2,
        ..LocationTravelConfig::default()
    }
}

fn providers(cfg: &LocationTravelConfig) -> TravelProviders {
    TravelProviders::from_config(cfg, ProviderCache::in_process(ROUTE_TTL, 100_000)).unwrap()
}

fn expected(mode: &str, a: GeoPoint, b: GeoPoint) -> (u32, u32) {
    let (secs, metres) = google::leg(mode, ll(a), ll(b));
    let parking = if mode == "DRIVE" {
        StraightLineModel::default().car.fixed_minutes
    } else {
        0.0
    };
    ((secs as f64 / 60.0 + parking).ceil() as u32, metres as u32)
}

/// Porto: Torre dos Clérigos, Ribeira, Livraria Lello, Casa da Música, Serralves.
fn porto() -> Vec<GeoPoint> {
    vec![
        p(41.145_76, -8.614_62),
        p(41.140_63, -8.613_33),
        p(41.146_93, -8.614_88),
        p(41.158_89, -8.630_77),
        p(41.159_63, -8.659_77),
    ]
}

/// A grid of `n` points around Porto's centre.
fn grid(n: usize) -> Vec<GeoPoint> {
    (0..n)
        .map(|i| {
            p(
                41.14 + 0.002 * (i / 6) as f64,
                -8.63 + 0.003 * (i % 6) as f64,
            )
        })
        .collect()
}

#[tokio::test]
async fn matrix_from_the_streamed_array_with_key_and_field_mask() {
    let (url, ctl, stats) = google::start().await;
    let tp = providers(&config(&url, Some(google::KEY)));
    let pts = porto();
    let answer = tp.matrix_between(&pts, &pts, TravelMode::Walk).await;
    assert_eq!(answer.provider, "google");
    assert_eq!(answer.approximated, 0);
    assert_eq!(ctl.calls(), 1);
    assert_eq!(*stats.matrix_sizes.lock().unwrap(), vec![25]);

    let req = ctl.last();
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/distanceMatrix/v2:computeRouteMatrix");
    assert_eq!(req.headers["x-goog-api-key"], google::KEY);
    let mask = req.headers["x-goog-fieldmask"]
        .to_str()
        .unwrap()
        .to_string();
    for field in [
        "originIndex",
        "destinationIndex",
        "duration",
        "distanceMeters",
        "condition",
    ] {
        assert!(mask.contains(field), "{mask}");
    }
    let body = req.json();
    assert_eq!(body["travelMode"], "WALK");
    assert_eq!(body["origins"].as_array().unwrap().len(), 5);
    assert_eq!(
        body["origins"][3]["waypoint"]["location"]["latLng"]["latitude"],
        41.158_89
    );

    // Elements arrive in reverse order with zero indices left out; every cell still lands
    // where it belongs.
    for (i, a) in pts.iter().enumerate() {
        for (j, b) in pts.iter().enumerate() {
            let cell = answer.matrix.get(i, j).unwrap();
            if i == j {
                assert_eq!((cell.minutes, cell.metres), (0, 0));
            } else {
                assert_eq!(
                    (cell.minutes, cell.metres),
                    expected("WALK", *a, *b),
                    "{i}→{j}"
                );
            }
        }
    }
}

#[tokio::test]
async fn more_than_625_elements_are_chunked() {
    let (url, ctl, stats) = google::start().await;
    let tp = providers(&config(&url, Some(google::KEY)));
    let pts = grid(30); // 900 elements
    let answer = tp.matrix_between(&pts, &pts, TravelMode::Car).await;
    assert_eq!(answer.provider, "google");
    assert_eq!(answer.approximated, 0);
    let sizes = stats.matrix_sizes.lock().unwrap().clone();
    assert!(sizes.iter().all(|&n| n <= 625), "{sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 900);
    assert_eq!(ctl.calls(), 2);
    assert_eq!(ctl.last().json()["travelMode"], "DRIVE");
    for (i, j) in [(0, 29), (29, 0), (17, 3), (25, 24)] {
        let cell = answer.matrix.get(i, j).unwrap();
        assert_eq!(
            (cell.minutes, cell.metres),
            expected("DRIVE", pts[i], pts[j])
        );
    }
}

#[tokio::test]
async fn transit_blocks_stay_within_100_elements() {
    let (url, _ctl, stats) = google::start().await;
    let tp = providers(&config(&url, Some(google::KEY)));
    let pts = grid(12); // 144 elements
    let answer = tp.matrix_between(&pts, &pts, TravelMode::Transit).await;
    assert_eq!(answer.provider, "google");
    let sizes = stats.matrix_sizes.lock().unwrap().clone();
    assert!(sizes.iter().all(|&n| n <= 100), "{sizes:?}");
    assert_eq!(sizes.iter().sum::<usize>(), 144);
    let cell = answer.matrix.get(0, 11).unwrap();
    assert_eq!(
        (cell.minutes, cell.metres),
        expected("TRANSIT", pts[0], pts[11])
    );
}

#[tokio::test]
async fn route_not_found_elements_fall_back() {
    let (url, _ctl, _) = google::start().await;
    let tp = providers(&config(&url, Some(google::KEY)));
    let pts = vec![porto()[0], porto()[1], p(-70.0, 0.0)];
    let answer = tp.matrix_between(&pts[..2], &pts, TravelMode::Walk).await;
    assert_eq!(answer.provider, "mixed");
    assert_eq!(answer.approximated, 2);
    assert_eq!(
        answer.matrix.get(1, 2).unwrap(),
        StraightLineModel::default().estimate(pts[1], pts[2], TravelMode::Walk)
    );
}

#[tokio::test]
async fn compute_routes_gives_geometry() {
    let (url, ctl, _) = google::start().await;
    let tp = providers(&config(&url, Some(google::KEY)));
    let pts = porto();
    let answer = tp.estimate(pts[0], pts[4], TravelMode::Car).await;
    assert_eq!(answer.provider, "google");
    assert_eq!(
        (answer.estimate.minutes, answer.estimate.metres),
        expected("DRIVE", pts[0], pts[4])
    );
    let line = answer.geometry.unwrap();
    assert_eq!(line.len(), 3);
    assert_eq!(line[0], [pts[0].lon(), pts[0].lat()]);
    let req = ctl.last();
    assert_eq!(req.path, "/directions/v2:computeRoutes");
    assert_eq!(req.headers["x-goog-api-key"], google::KEY);
    assert!(
        req.headers["x-goog-fieldmask"]
            .to_str()
            .unwrap()
            .contains("routes.polyline.geoJsonLinestring")
    );
    let body = req.json();
    assert_eq!(body["polylineEncoding"], "GEO_JSON_LINESTRING");
    assert_eq!(body["travelMode"], "DRIVE");
    assert_eq!(
        body["destination"]["location"]["latLng"]["longitude"],
        -8.659_77
    );

    // Transit is a Google mode.
    let transit = tp.estimate(pts[0], pts[3], TravelMode::Transit).await;
    assert_eq!(transit.provider, "google");
    assert_eq!(ctl.last().json()["travelMode"], "TRANSIT");
    // No route: `{}` → straight-line.
    let none = tp.estimate(pts[0], p(-70.0, 0.0), TravelMode::Walk).await;
    assert_eq!(none.provider, STRAIGHT_LINE);
}

#[tokio::test]
async fn refused_key_falls_back_and_opens_the_circuit() {
    let (url, ctl, _) = google::start().await;
    let tp = providers(&config(&url, Some("AIza-wrong"))); // threshold 2
    let pts = porto();
    for i in 1..5 {
        let answer = tp.estimate(pts[0], pts[i], TravelMode::Walk).await;
        assert_eq!(answer.provider, STRAIGHT_LINE);
    }
    // API_KEY_INVALID is not retried and counts: two calls open the circuit.
    assert_eq!(ctl.calls(), 2);
    assert_eq!(
        tp.breaker_states(),
        vec![("google-routes", BreakerState::Open)]
    );
    let m = tp.matrix(&pts, TravelMode::Walk).await;
    assert_eq!(
        m.get(0, 1),
        Some(StraightLineModel::default().estimate(pts[0], pts[1], TravelMode::Walk))
    );
    assert_eq!(ctl.calls(), 2);
}

#[tokio::test]
async fn missing_key_is_a_config_error() {
    for key in [None, Some("   ")] {
        let err = TravelProviders::from_config(
            &config("http://127.0.0.1:9", key),
            ProviderCache::in_process(ROUTE_TTL, 10),
        )
        .err()
        .unwrap();
        assert_eq!(err.key, "location.travel.google_api_key");
        assert!(err.to_string().contains("required"), "{err}");
    }
}
