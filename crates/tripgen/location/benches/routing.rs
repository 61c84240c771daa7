//! The embedded street router on the bundled extracts and on a stitched ≥ 200 k-node graph:
//! graph build (read + split + components + contraction order), router preparation
//! (hierarchy + four metrics), stored size, 300 × 300 matrices (median of 7), the whole
//! travel model's 300-point matrices (snapping included), and the distribution of the
//! ratio routed walking distance / straight-line distance between catalogue places.
//! Peak memory (VmHWM) at the end.
//!
//! `cargo bench -p tripgen-location --bench routing` (TRIPGEN_DATA_ROOT overrides the data
//! folder).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tripgen_location::roads::graph::Edge;
use tripgen_location::roads::{
    Metric, RoadGraph, RoadMode, RoutedTravel, Router, TransitConstants, build_road_graph, codec,
};
use tripgen_location::{
    GeoPoint, ImportEvent, StraightLineModel, TravelMode, TravelTimeModel, import_file,
};

const POINTS: usize = 300;
const RUNS: usize = 7;

fn data_dir() -> PathBuf {
    std::env::var_os("TRIPGEN_DATA_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data"))
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

fn picks(g: &RoadGraph, mode: RoadMode, rng: &mut Lcg) -> Vec<u32> {
    let nodes: Vec<u32> = (0..g.node_count() as u32)
        .filter(|v| g.component[*v as usize] & mode.component_bit() != 0)
        .collect();
    (0..POINTS).map(|_| nodes[rng.next(nodes.len())]).collect()
}

fn matrix_times(router: &Router, metric: Metric, nodes: &[u32]) -> Duration {
    median(
        (0..RUNS)
            .map(|_| timed(|| router.matrix(metric, nodes, nodes)).1)
            .collect(),
    )
}

/// The `cch` crate's one-source-at-a-time matrix on one thread (before the buckets).
fn reference_times(router: &Router, metric: Metric, nodes: &[u32]) -> Duration {
    median(
        (0..RUNS)
            .map(|_| timed(|| router.reference_matrix(metric, nodes, nodes)).1)
            .collect(),
    )
}

fn places(path: &Path) -> Vec<GeoPoint> {
    let mut out = Vec::new();
    let _ = import_file(path, &mut |e| {
        if let ImportEvent::Place(p) = e {
            out.push(p.position);
        }
    });
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn city(name: &str, file: &Path) {
    let (graph, build) = timed(|| build_road_graph(file));
    let Ok(Some(graph)) = graph else {
        println!("{name}: no street graph");
        return;
    };
    let bytes = codec::encode(&graph).map(|b| b.len()).unwrap_or(0);
    let mut rng = Lcg(7);
    let foot = picks(&graph, RoadMode::Foot, &mut rng);
    let car = picks(&graph, RoadMode::Car, &mut rng);
    let (nodes, edges) = (graph.node_count(), graph.edges.len());
    let (router, prepare) = timed(|| Router::new(graph));
    println!(
        "{name}: {nodes} nodes, {edges} edges, stored {:.2} MB; build {} (incl. order), prepare {}; 300×300 foot {}, car {} (crate {}, {})",
        bytes as f64 / 1e6,
        ms(build),
        ms(prepare),
        ms(matrix_times(&router, Metric::Foot, &foot)),
        ms(matrix_times(&router, Metric::Car, &car)),
        ms(reference_times(&router, Metric::Foot, &foot)),
        ms(reference_times(&router, Metric::Car, &car)),
    );
    // Every catalogue place snaps within 300 m or is unreachable by that mode.
    let all = places(file);
    for mode in [RoadMode::Foot, RoadMode::Car] {
        let mut d: Vec<f64> = all
            .iter()
            .filter_map(|p| router.snap(*p, mode).map(|s| s.metres))
            .collect();
        d.sort_by(f64::total_cmp);
        if !d.is_empty() {
            println!(
                "  {mode:?}: {} of {} places snap (median {:.0} m, p90 {:.0} m), {} unreachable",
                d.len(),
                all.len(),
                percentile(&d, 0.5),
                percentile(&d, 0.9),
                all.len() - d.len()
            );
        }
    }
    // The whole model on catalogue places: snapping, fallbacks, transit.
    let model = RoutedTravel::new(
        vec![Arc::new(router)],
        StraightLineModel::default(),
        TransitConstants::default(),
    );
    let pts: Vec<GeoPoint> = (0..POINTS.min(all.len()))
        .map(|_| all[rng.next(all.len())])
        .collect();
    for mode in [TravelMode::Walk, TravelMode::Car, TravelMode::Transit] {
        let t = median(
            (0..RUNS)
                .map(|_| timed(|| model.square_matrix(&pts, mode)).1)
                .collect(),
        );
        println!("  model {mode} {}×{}: {}", pts.len(), pts.len(), ms(t));
    }
    let walk = model.square_matrix(&pts, TravelMode::Walk);
    let mut ratios = Vec::new();
    for (i, a) in pts.iter().enumerate() {
        for (j, b) in pts.iter().enumerate() {
            let straight = a.haversine_m(b);
            if i != j
                && straight >= 200.0
                && let Some(e) = walk.get(i, j)
            {
                ratios.push(f64::from(e.metres) / straight);
            }
        }
    }
    ratios.sort_by(f64::total_cmp);
    if !ratios.is_empty() {
        let over = |x: f64| ratios.iter().filter(|r| **r > x).count() as f64 / ratios.len() as f64;
        println!(
            "  walk routed/straight over {} place pairs ≥ 200 m: p10 {:.2}, p50 {:.2}, p90 {:.2}, p99 {:.2}; > 1.3 (the straight-line factor) {:.0} %, > 2 {:.1} %",
            ratios.len(),
            percentile(&ratios, 0.1),
            percentile(&ratios, 0.5),
            percentile(&ratios, 0.9),
            percentile(&ratios, 0.99),
            over(1.3) * 100.0,
            over(2.0) * 100.0
        );
    }
}

/// `k × k` copies of `g` side by side (spaced by the 1st–99th percentile extent, so the
/// few ways that reach beyond a clip overlap the neighbour), each border stitched by 60
/// links between the nodes nearest to 60 points along it on either side.
fn stitched(g: &RoadGraph, k: usize) -> RoadGraph {
    let n = g.node_count();
    let pct = |v: &[f64], p: f64| {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        s[((s.len() - 1) as f64 * p) as usize]
    };
    let (lat1, lat99) = (pct(&g.lat, 0.01), pct(&g.lat, 0.99));
    let (lon1, lon99) = (pct(&g.lon, 0.01), pct(&g.lon, 0.99));
    let (dlat, dlon) = (lat99 - lat1, lon99 - lon1);
    let nearest = |lat: f64, lon: f64| -> u32 {
        (0..n)
            .min_by(|a, b| {
                let d = |v: usize| (g.lat[v] - lat).powi(2) + ((g.lon[v] - lon) * 0.75).powi(2);
                d(*a).total_cmp(&d(*b))
            })
            .unwrap_or(0) as u32
    };
    // (node on the low side's far border, node on the high side's near border)
    let east: Vec<(u32, u32)> = (0..60)
        .map(|l| {
            let y = lat1 + (l as f64 + 0.5) / 60.0 * dlat;
            (nearest(y, lon99), nearest(y, lon1))
        })
        .collect();
    let north: Vec<(u32, u32)> = (0..60)
        .map(|l| {
            let x = lon1 + (l as f64 + 0.5) / 60.0 * dlon;
            (nearest(lat99, x), nearest(lat1, x))
        })
        .collect();
    let mut out = RoadGraph::default();
    out.shape_first.push(0);
    let all = Edge::access_bits(RoadMode::Foot, true, true)
        | Edge::access_bits(RoadMode::Bike, true, true)
        | Edge::access_bits(RoadMode::Car, true, true);
    for ti in 0..k {
        for tj in 0..k {
            let base = out.lat.len() as u32;
            out.lat.extend(g.lat.iter().map(|v| v + ti as f64 * dlat));
            out.lon.extend(g.lon.iter().map(|v| v + tj as f64 * dlon));
            for e in &g.edges {
                out.edges.push(Edge {
                    tail: e.tail + base,
                    head: e.head + base,
                    ..e.clone()
                });
                out.shape_first.push(0);
            }
        }
    }
    let tile = |ti: usize, tj: usize| ((ti * k + tj) * n) as u32;
    let link = |out: &mut RoadGraph, a: u32, b: u32| {
        let m = GeoPoint::new(out.lat[a as usize], out.lon[a as usize])
            .and_then(|p| {
                GeoPoint::new(out.lat[b as usize], out.lon[b as usize]).map(|q| p.haversine_m(&q))
            })
            .unwrap_or(50.0);
        out.edges.push(Edge {
            tail: a,
            head: b,
            length_dm: (m * 10.0).max(10.0) as u32,
            flags: all,
            car_kmh: 20,
        });
        out.shape_first.push(0);
    };
    for ti in 0..k {
        for tj in 0..k {
            if tj + 1 < k {
                for (a, b) in &east {
                    link(&mut out, a + tile(ti, tj), b + tile(ti, tj + 1));
                }
            }
            if ti + 1 < k {
                for (a, b) in &north {
                    link(&mut out, a + tile(ti, tj), b + tile(ti + 1, tj));
                }
            }
        }
    }
    out.mark_components();
    out
}

fn main() {
    let osm = data_dir().join("osm");
    let files = [
        ("munchen", osm.join("city-extracts-2020/munchen.osm.pbf")),
        ("porto", osm.join("city-extracts-2020/porto.osm.pbf")),
        ("london", osm.join("city-extracts-2020/london.osm.pbf")),
        ("helsinki", osm.join("helsinki-centre/Helsinki.osm.pbf")),
        ("andorra", osm.join("city-extracts-2020/andorra.osm.pbf")),
        ("monaco", osm.join("city-extracts-2020/monaco.osm.pbf")),
    ];
    for (name, file) in &files {
        city(name, file);
    }
    // A whole city: Porto's graph stitched 6 × 6 (≈ 257 k nodes).
    let Ok(Some(porto)) = build_road_graph(&files[1].1) else {
        return;
    };
    let mut big = stitched(&porto, 6);
    let (order, order_t) = timed(|| tripgen_location::roads::build::contraction_order(&big));
    big.order = order;
    let bytes = codec::encode(&big).map(|b| b.len()).unwrap_or(0);
    let mut rng = Lcg(11);
    let foot = picks(&big, RoadMode::Foot, &mut rng);
    let car = picks(&big, RoadMode::Car, &mut rng);
    let (nodes, edges) = (big.node_count(), big.edges.len());
    let (router, prepare) = timed(|| Router::new(big));
    println!(
        "stitched porto 6×6: {nodes} nodes, {edges} edges, stored {:.1} MB; order {}, prepare {}; 300×300 foot {}, car {} (cch crate's matrix, one thread: foot {}, car {})",
        bytes as f64 / 1e6,
        ms(order_t),
        ms(prepare),
        ms(matrix_times(&router, Metric::Foot, &foot)),
        ms(matrix_times(&router, Metric::Car, &car)),
        ms(reference_times(&router, Metric::Foot, &foot)),
        ms(reference_times(&router, Metric::Car, &car)),
    );
    // A day's candidates cluster: 300 points of one tile (a city district) of the big graph.
    let tile = porto.node_count() as u32 * 14;
    let district: Vec<u32> = foot
        .iter()
        .map(|v| tile + v % porto.node_count() as u32)
        .collect();
    println!(
        "  300 points in one district of it: foot {} (crate {})",
        ms(matrix_times(&router, Metric::Foot, &district)),
        ms(reference_times(&router, Metric::Foot, &district)),
    );
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM"))
    {
        println!("peak memory: {}", line.trim_start_matches("VmHWM:").trim());
    }
}
