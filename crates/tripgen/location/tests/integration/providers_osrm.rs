//! OSRM adapter against a local fake of `osrm-routed` (table + route services).

use crate::fakes;

use fakes::{Fault, osrm};
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

fn config(url: &str) -> LocationTravelConfig {
    LocationTravelConfig {
        provider: TravelProviderKind::Osrm,
        osrm_url: Some(url.to_string()),
        timeout_ms: 2_000,
        failure_threshold: 3,
        ..LocationTravelConfig::default()
    }
}

fn providers(cfg: &LocationTravelConfig) -> TravelProviders {
    TravelProviders::from_config(cfg, ProviderCache::in_process(ROUTE_TTL, 10_000)).unwrap()
}

/// Munich: Marienplatz, Hauptbahnhof, Englischer Garten (Chinesischer Turm), Deutsches Museum.
fn munich() -> Vec<GeoPoint> {
    vec![
        p(48.137_15, 11.575_49),
        p(48.140_23, 11.558_81),
        p(48.152_99, 11.592_07),
        p(48.129_87, 11.583_39),
    ]
}

fn expected(profile: &str, a: GeoPoint, b: GeoPoint, parking: f64) -> (u32, u32) {
    let (secs, metres) = osrm::leg(profile, ll(a), ll(b));
    ((secs / 60.0 + parking).ceil() as u32, metres.round() as u32)
}

#[tokio::test]
async fn route_walk_maps_duration_distance_and_geometry() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = munich();
    let (a, b) = (pts[0], pts[1]);
    let answer = tp.estimate(a, b, TravelMode::Walk).await;
    assert_eq!(answer.provider, "osrm");
    let (minutes, metres) = expected("foot", a, b, 0.0);
    assert_eq!(
        (answer.estimate.minutes, answer.estimate.metres),
        (minutes, metres)
    );
    assert_eq!(
        answer.geometry.unwrap(),
        vec![[a.lon(), a.lat()], [b.lon(), a.lat()], [b.lon(), b.lat()]]
    );
    let req = ctl.last();
    assert_eq!(
        req.path,
        "/route/v1/foot/11.575490,48.137150;11.558810,48.140230"
    );
    assert_eq!(req.query_value("overview").as_deref(), Some("full"));
    assert_eq!(req.query_value("geometries").as_deref(), Some("geojson"));
}

#[tokio::test]
async fn car_adds_parking_minutes_and_uses_the_car_profile() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = munich();
    let answer = tp.estimate(pts[0], pts[2], TravelMode::Car).await;
    let parking = StraightLineModel::default().car.fixed_minutes;
    assert_eq!(
        (answer.estimate.minutes, answer.estimate.metres),
        expected("car", pts[0], pts[2], parking)
    );
    assert!(ctl.last().path.starts_with("/route/v1/car/"));
}

#[tokio::test]
async fn transit_is_not_an_osrm_profile() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = munich();
    let answer = tp.estimate(pts[0], pts[1], TravelMode::Transit).await;
    assert_eq!(answer.provider, STRAIGHT_LINE);
    assert!(answer.geometry.is_none());
    assert_eq!(
        answer.estimate,
        StraightLineModel::default().estimate(pts[0], pts[1], TravelMode::Transit)
    );
    let m = tp.matrix_between(&pts, &pts, TravelMode::Transit).await;
    assert_eq!(m.provider, STRAIGHT_LINE);
    assert_eq!(m.approximated, 12);
    assert!(!tp.routes_mode(TravelMode::Transit) && tp.routes_mode(TravelMode::Walk));
    assert_eq!(ctl.calls(), 0);
}

#[tokio::test]
async fn square_matrix_in_one_table_call_then_from_cache() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = munich();
    let answer = tp.matrix_between(&pts, &pts, TravelMode::Walk).await;
    assert_eq!(answer.provider, "osrm");
    assert_eq!(answer.approximated, 0);
    assert_eq!(ctl.calls(), 1);
    let req = ctl.last();
    assert!(req.path.starts_with("/table/v1/foot/11.575490,48.137150;"));
    assert_eq!(
        req.query_value("annotations").as_deref(),
        Some("duration,distance")
    );
    // Same points as sources and destinations: sent once, no index lists.
    assert_eq!(req.query_value("sources"), None);
    for (i, a) in pts.iter().enumerate() {
        for (j, b) in pts.iter().enumerate() {
            let cell = answer.matrix.get(i, j).unwrap();
            if i == j {
                assert_eq!((cell.minutes, cell.metres), (0, 0));
            } else {
                assert_eq!((cell.minutes, cell.metres), expected("foot", *a, *b, 0.0));
            }
        }
    }
    let again = tp.matrix(&pts, TravelMode::Walk).await;
    assert_eq!(again, answer.matrix);
    assert_eq!(ctl.calls(), 1, "second matrix served from the cache");
    // A sub-matrix and a single route between cached cells need no table call either.
    let sub = tp
        .matrix_between(&pts[..2], &pts[2..], TravelMode::Walk)
        .await;
    assert_eq!(sub.provider, "osrm");
    assert_eq!(ctl.calls(), 1);
}

#[tokio::test]
async fn rectangular_request_sends_source_and_destination_indices() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = munich();
    let answer = tp
        .matrix_between(&pts[..1], &pts[1..], TravelMode::Car)
        .await;
    assert_eq!((answer.matrix.rows(), answer.matrix.cols()), (1, 3));
    let req = ctl.last();
    assert_eq!(req.query_value("sources").as_deref(), Some("0"));
    assert_eq!(req.query_value("destinations").as_deref(), Some("1;2;3"));
    let parking = StraightLineModel::default().car.fixed_minutes;
    let cell = answer.matrix.get(0, 2).unwrap();
    assert_eq!(
        (cell.minutes, cell.metres),
        expected("car", pts[0], pts[3], parking)
    );
}

#[tokio::test]
async fn unreachable_cells_fall_back_individually() {
    let (url, _ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = vec![munich()[0], munich()[1], p(-70.0, 10.0)];
    let answer = tp.matrix_between(&pts, &pts, TravelMode::Walk).await;
    assert_eq!(answer.provider, "mixed");
    assert_eq!(answer.approximated, 4);
    let model = StraightLineModel::default();
    assert_eq!(
        answer.matrix.get(0, 2).unwrap(),
        model.estimate(pts[0], pts[2], TravelMode::Walk)
    );
    let (m, d) = expected("foot", pts[0], pts[1], 0.0);
    let routed = answer.matrix.get(0, 1).unwrap();
    assert_eq!((routed.minutes, routed.metres), (m, d));
}

#[tokio::test]
async fn no_route_falls_back_without_tripping_the_breaker() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url)); // threshold 3
    let (a, island) = (munich()[0], p(-70.0, 10.0));
    for _ in 0..5 {
        let answer = tp.estimate(a, island, TravelMode::Walk).await;
        assert_eq!(answer.provider, STRAIGHT_LINE);
        assert!(answer.is_fallback());
    }
    assert_eq!(
        ctl.calls(),
        5,
        "NoRoute is an answer: no retry, no open circuit"
    );
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Closed)]);
}

#[tokio::test]
async fn invalid_query_is_a_rejection_not_an_outage() {
    let (url, ctl) = osrm::start().await;
    let tp = providers(&config(&url));
    let pts = munich();
    for _ in 0..4 {
        ctl.fail_next([Fault::Json(
            400,
            r#"{"code":"InvalidQuery","message":"Query string malformed close to position 28"}"#
                .into(),
        )]);
        let answer = tp.estimate(pts[0], pts[1], TravelMode::Walk).await;
        assert_eq!(answer.provider, STRAIGHT_LINE);
    }
    assert_eq!(ctl.calls(), 4);
    assert_eq!(tp.breaker_states(), vec![("osrm", BreakerState::Closed)]);
    // The next (un-faulted) call is routed.
    assert_eq!(
        tp.estimate(pts[0], pts[1], TravelMode::Walk).await.provider,
        "osrm"
    );
}

#[tokio::test]
async fn large_matrices_are_split_by_max_table_size() {
    let (url, ctl) = osrm::start().await;
    let cfg = LocationTravelConfig {
        osrm_max_table_size: 3,
        ..config(&url)
    };
    let tp = providers(&cfg);
    let pts: Vec<GeoPoint> = (0..7)
        .map(|i| p(48.13 + 0.004 * i as f64, 11.56 + 0.003 * i as f64))
        .collect();
    let answer = tp.matrix_between(&pts, &pts, TravelMode::Walk).await;
    assert_eq!(answer.provider, "osrm");
    assert_eq!(ctl.calls(), 9, "7×7 in 3×3 blocks");
    for req in ctl.requests() {
        let coords = req.path.rsplit('/').next().unwrap().split(';').count();
        let sources = req
            .query_value("sources")
            .map_or(coords, |s| s.split(';').count());
        let dests = req
            .query_value("destinations")
            .map_or(coords, |s| s.split(';').count());
        assert!(sources <= 3 && dests <= 3, "{req:?}");
    }
    for (i, a) in pts.iter().enumerate() {
        for (j, b) in pts.iter().enumerate() {
            if i != j {
                let cell = answer.matrix.get(i, j).unwrap();
                assert_eq!((cell.minutes, cell.metres), expected("foot", *a, *b, 0.0));
            }
        }
    }
}

#[tokio::test]
async fn separate_servers_per_profile() {
    let (walk_url, walk) = osrm::start().await;
    let (car_url, car) = osrm::start().await;
    let cfg = LocationTravelConfig {
        provider: TravelProviderKind::Osrm,
        osrm_walk_url: Some(walk_url),
        osrm_car_url: Some(car_url),
        ..LocationTravelConfig::default()
    };
    let tp = providers(&cfg);
    let pts = munich();
    tp.estimate(pts[0], pts[1], TravelMode::Walk).await;
    tp.estimate(pts[0], pts[1], TravelMode::Car).await;
    assert_eq!((walk.calls(), car.calls()), (1, 1));
    assert!(walk.last().path.starts_with("/route/v1/foot/"));
    assert!(car.last().path.starts_with("/route/v1/car/"));
    let names: Vec<&str> = tp.breaker_states().iter().map(|(n, _)| *n).collect();
    assert_eq!(names, vec!["osrm-walk", "osrm-car"]);
}

#[tokio::test]
async fn missing_osrm_url_is_a_config_error() {
    let cfg = LocationTravelConfig {
        provider: TravelProviderKind::Osrm,
        osrm_walk_url: Some("http://127.0.0.1:9".into()),
        ..LocationTravelConfig::default()
    };
    let err = TravelProviders::from_config(&cfg, ProviderCache::in_process(ROUTE_TTL, 10))
        .err()
        .unwrap();
    assert_eq!(err.key, "location.travel.osrm_url");
}
