//! The router on the bundled extracts, checked against a plain Dijkstra over the same
//! edges (an independent oracle), and the travel model's answers on real streets.

use std::collections::BinaryHeap;
use std::path::PathBuf;

use super::graph::{RoadGraph, RoadMode};
use super::model::{RoutedTravel, TransitConstants};
use super::router::{Metric, Router};
use super::{build_road_graph, codec};
use crate::geo::GeoPoint;
use crate::travel::straight_line::StraightLineModel;
use crate::travel::{TravelMode, TravelTimeModel};

fn extract(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../data/osm")
        .join(name)
}

fn graph(name: &str) -> RoadGraph {
    build_road_graph(&extract(name)).unwrap().unwrap()
}

/// Dijkstra over the edges in deciseconds.
fn dijkstra(g: &RoadGraph, mode: RoadMode, step_free: bool, s: u32) -> Vec<u64> {
    let n = g.node_count();
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for e in &g.edges {
        if let Some(c) = e.cost_ds(mode, true, step_free) {
            adj[e.tail as usize].push((e.head, c));
        }
        if let Some(c) = e.cost_ds(mode, false, step_free) {
            adj[e.head as usize].push((e.tail, c));
        }
    }
    let mut dist = vec![u64::MAX; n];
    let mut heap = BinaryHeap::new();
    dist[s as usize] = 0;
    heap.push(std::cmp::Reverse((0u64, s)));
    while let Some(std::cmp::Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for (w, c) in &adj[v as usize] {
            let nd = d + u64::from(*c);
            if nd < dist[*w as usize] {
                dist[*w as usize] = nd;
                heap.push(std::cmp::Reverse((nd, *w)));
            }
        }
    }
    dist
}

fn component_nodes(g: &RoadGraph, mode: RoadMode) -> Vec<u32> {
    (0..g.node_count() as u32)
        .filter(|v| g.component[*v as usize] & mode.component_bit() != 0)
        .collect()
}

#[test]
fn munich_matrix_matches_dijkstra_and_survives_storage() {
    let g = graph("city-extracts-2020/munchen.osm.pbf");
    // Hundreds of foot nodes, most of them in one part; cars have fewer streets.
    let foot = g.component_size(RoadMode::Foot);
    let car = g.component_size(RoadMode::Car);
    assert!(
        foot > 2_000 && foot as f64 > 0.9 * g.node_count() as f64 * 0.8,
        "{foot}"
    );
    assert!(car > 300 && car < foot, "{car} {foot}");
    assert!(g.edges.iter().any(|e| e.steps()));
    let stored = codec::decode(&codec::encode(&g).unwrap()).unwrap();
    let router = Router::new(stored);
    for (mode, metric) in [(RoadMode::Foot, Metric::Foot), (RoadMode::Car, Metric::Car)] {
        let nodes = component_nodes(&g, mode);
        let picks: Vec<u32> = nodes.iter().step_by(nodes.len() / 25).copied().collect();
        let m = router.matrix(metric, &picks, &picks);
        for (i, s) in picks.iter().enumerate() {
            let truth = dijkstra(&g, mode, false, *s);
            for (j, t) in picks.iter().enumerate() {
                assert_eq!(
                    m[i * picks.len() + j].map(u64::from),
                    Some(truth[*t as usize]),
                    "{mode:?} {s}->{t}"
                );
            }
        }
    }
    // Step-free walking never uses stairs and is never shorter.
    let nodes = component_nodes(&g, RoadMode::Foot);
    let (s, t) = (nodes[0], nodes[nodes.len() / 2]);
    let free = router.matrix(Metric::FootStepFree, &[s], &[t])[0];
    let any = router.matrix(Metric::Foot, &[s], &[t])[0].unwrap();
    assert!(free.is_none_or(|f| f >= any));
    let line = router.path(Metric::Foot, s, t).unwrap();
    assert!(line.len() >= 2);
}

/// The bucket matrix (split over threads from 48 sources) gives the crate's answers,
/// unreachable cells included (nodes outside a mode's largest part).
#[test]
fn bucket_matrix_matches_the_crate_on_every_metric() {
    let g = graph("city-extracts-2020/porto.osm.pbf");
    let picks: Vec<u32> = (0..g.node_count() as u32)
        .step_by(g.node_count() / 130)
        .collect();
    let targets: Vec<u32> = picks.iter().rev().step_by(2).copied().collect();
    let router = Router::new(g);
    for metric in [
        Metric::Foot,
        Metric::FootStepFree,
        Metric::Car,
        Metric::CarLength,
    ] {
        let reference = router.reference_matrix(metric, &picks, &targets);
        assert!(router.uses_bucket_matrix());
        let ours = router.matrix(metric, &picks, &targets);
        assert_eq!(ours.len(), reference.len());
        for (k, (a, b)) in ours.iter().zip(&reference).enumerate() {
            let b = (*b < cch::INF_WEIGHT).then_some(*b);
            assert_eq!(*a, b, "{metric:?} cell {k}");
        }
        assert!(reference.contains(&cch::INF_WEIGHT), "{metric:?}");
    }
    assert!(router.matrix(Metric::Foot, &[], &targets).is_empty());
}

#[test]
fn clipped_helsinki_builds_and_every_place_snaps_or_is_marked() {
    // The Helsinki extract cuts ways at its border (missing nodes).
    let g = graph("helsinki-centre/Helsinki.osm.pbf");
    assert!(g.component_size(RoadMode::Foot) > 1_000);
    let router = Router::new(g);
    let inside = GeoPoint::new(60.1699, 24.9384).unwrap(); // Rautatientori area
    let snap = router.snap(inside, RoadMode::Foot).unwrap();
    assert!(snap.metres < 300.0);
    let far = GeoPoint::new(60.5, 25.5).unwrap();
    assert!(router.snap(far, RoadMode::Foot).is_none() && !router.covers(far));
}

#[test]
fn routed_model_on_munich_streets() {
    let router = std::sync::Arc::new(Router::new(graph("city-extracts-2020/munchen.osm.pbf")));
    let model = RoutedTravel::new(
        vec![router],
        StraightLineModel::default(),
        TransitConstants::default(),
    );
    let marienplatz = GeoPoint::new(48.13737, 11.57549).unwrap();
    let odeonsplatz = GeoPoint::new(48.14226, 11.57748).unwrap();
    let walk = model.estimate(marienplatz, odeonsplatz, TravelMode::Walk);
    let straight = marienplatz.haversine_m(&odeonsplatz);
    // A real walk is longer than the straight line, and not absurdly so.
    assert!(f64::from(walk.metres) > straight && f64::from(walk.metres) < 2.0 * straight);
    assert_eq!(
        model
            .estimate(marienplatz, marienplatz, TravelMode::Car)
            .minutes,
        0
    );
    let car = model.estimate(marienplatz, odeonsplatz, TravelMode::Car);
    assert!(car.minutes >= 7, "parking is paid: {car:?}");
    let transit = model.estimate(marienplatz, odeonsplatz, TravelMode::Transit);
    assert!(transit.minutes <= walk.minutes);
    // The matrix and the single estimate agree; outside the graph: straight line.
    let pts = [marienplatz, odeonsplatz];
    let m = model.square_matrix(&pts, TravelMode::Walk);
    assert_eq!(m.get(0, 1), Some(walk));
    let porto = GeoPoint::new(41.14, -8.61).unwrap();
    assert_eq!(
        model.estimate(marienplatz, porto, TravelMode::Car),
        StraightLineModel::default().estimate(marienplatz, porto, TravelMode::Car)
    );
    let path = model
        .leg_path(marienplatz, odeonsplatz, TravelMode::Walk, true)
        .unwrap();
    assert!(path.len() > 3);
}

#[test]
fn transit_constants_are_settings() {
    let c: crate::config::LocationTravelConfig =
        serde_json::from_value(serde_json::json!({"transit": {"bus_kmh": 12.0}})).unwrap();
    assert_eq!(c.transit.bus_kmh, 12.0);
    assert_eq!(c.transit.rail_kmh, TransitConstants::default().rail_kmh);
    assert!(
        serde_json::from_value::<crate::config::LocationTravelConfig>(
            serde_json::json!({"transit": {"busKmh": 12.0}})
        )
        .is_err()
    );
}

#[test]
fn transit_rides_when_it_beats_walking() {
    let router = std::sync::Arc::new(Router::new(graph("city-extracts-2020/porto.osm.pbf")));
    let model = RoutedTravel::new(
        vec![router],
        StraightLineModel::default(),
        TransitConstants::default(),
    );
    // Across the Porto extract (about 3 km): a ride beats the walk; a short hop walks.
    let south = GeoPoint::new(41.1405, -8.6110).unwrap();
    let north = GeoPoint::new(41.1550, -8.6020).unwrap();
    let walk = model.estimate(south, north, TravelMode::Walk);
    let transit = model.estimate(south, north, TravelMode::Transit);
    assert!(transit.minutes < walk.minutes, "{transit:?} vs {walk:?}");
    let near = GeoPoint::new(41.1410, -8.6110).unwrap();
    assert_eq!(
        model.estimate(south, near, TravelMode::Transit),
        model.estimate(south, near, TravelMode::Walk)
    );
}

/// A group that needs step-free ways never walks stairs: across Munich's stairs the
/// step-free model's matrix (the planner's) is slower or takes the fallback, never faster,
/// and its paths avoid every stair piece.
#[test]
fn step_free_walks_keep_off_stairs_in_matrices_and_paths() {
    let g = graph("city-extracts-2020/munchen.osm.pbf");
    let foot = RoadMode::Foot.component_bit();
    // Both ends of stair pieces inside the walking network.
    let ends: Vec<GeoPoint> = g
        .edges
        .iter()
        .filter(|e| {
            e.steps()
                && g.component[e.tail as usize] & foot != 0
                && g.component[e.head as usize] & foot != 0
        })
        .flat_map(|e| [e.tail, e.head])
        .take(60)
        .map(|v| GeoPoint::new(g.lat[v as usize], g.lon[v as usize]).unwrap())
        .collect();
    assert!(ends.len() >= 20, "{}", ends.len());
    // Every segment of every stair piece's shape.
    let bits = |p: &(f64, f64)| (p.0.to_bits(), p.1.to_bits());
    let mut stair_segments = std::collections::HashSet::new();
    for (k, e) in g.edges.iter().enumerate().filter(|(_, e)| e.steps()) {
        let mut line = vec![(g.lat[e.tail as usize], g.lon[e.tail as usize])];
        line.extend_from_slice(g.edge_shape(k));
        line.push((g.lat[e.head as usize], g.lon[e.head as usize]));
        for w in line.windows(2) {
            stair_segments.insert((bits(&w[0]), bits(&w[1])));
        }
    }
    let model = RoutedTravel::new(
        vec![std::sync::Arc::new(Router::new(g.clone()))],
        StraightLineModel::default(),
        TransitConstants::default(),
    );
    let free = model.with_step_free();
    assert!(free.is_step_free() && !model.is_step_free());
    let any = model.square_matrix(&ends, TravelMode::Walk);
    let no_stairs = free.square_matrix(&ends, TravelMode::Walk);
    let mut longer = 0;
    for i in 0..ends.len() {
        for j in 0..ends.len() {
            let (a, b) = (any.get(i, j).unwrap(), no_stairs.get(i, j).unwrap());
            longer += usize::from(b.minutes > a.minutes);
        }
    }
    assert!(longer > 0, "some stairs are avoided at a cost");
    // Both ends of one stair piece: the step-free path never climbs it.
    for pair in ends.chunks(2).take(10) {
        let Some(line) = free.leg_path(pair[0], pair[1], TravelMode::Walk, false) else {
            continue;
        };
        for w in line.windows(2) {
            let key = (bits(&w[0]), bits(&w[1]));
            let back = (key.1, key.0);
            assert!(
                !stair_segments.contains(&key) && !stair_segments.contains(&back),
                "step-free path on stairs"
            );
        }
    }
    // The planner's port offers the variant.
    assert!(TravelTimeModel::step_free(&model).is_some());
}
