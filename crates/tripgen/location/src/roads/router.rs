//! The embedded router of one street graph: a customizable contraction hierarchy (the
//! `cch` crate, kept behind this type) with one metric per way of travelling, and
//! snapping indexes that attach places to the largest connected part of each mode.

use rstar::{PointDistance, RTree, primitives::GeomWithData};

use super::graph::{RoadGraph, RoadMode, StopKind};
use crate::geo::GeoPoint;

/// Farther than this from a mode's network, a place is unreachable by that mode.
pub const SNAP_MAX_M: f64 = 300.0;

/// Costs the hierarchy is customized with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Walking time, deciseconds (stairs slower).
    Foot,
    /// Walking time without stairs (members who need step-free ways).
    FootStepFree,
    /// Driving time, deciseconds.
    Car,
    /// Length of the shortest drivable route, decimetres (in-vehicle distance of buses).
    CarLength,
}

const METRICS: [Metric; 4] = [
    Metric::Foot,
    Metric::FootStepFree,
    Metric::Car,
    Metric::CarLength,
];

/// A place attached to the network: its node and the straight distance to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub node: u32,
    pub metres: f64,
}

/// A stop usable for riding: its foot-network snap and kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RideStop {
    pub position: GeoPoint,
    pub foot: Snap,
    pub car: Option<Snap>,
    pub kind: StopKind,
}

type Indexed = GeomWithData<[f64; 2], u32>;

pub struct Router {
    graph: RoadGraph,
    /// Input arcs of the hierarchy in CSR order: (edge, forward).
    arcs: Vec<(u32, bool)>,
    first_out: Vec<u32>,
    cch: cch::Cch,
    /// The hierarchy passed [`super::matrix::hierarchy_is_sound`] (else the crate's
    /// own, slower matrix answers).
    sound: bool,
    metrics: Vec<cch::Metric>,
    /// Local equirectangular scale: x = lon · cos(lat0).
    cos_lat: f64,
    foot_index: RTree<Indexed>,
    car_index: RTree<Indexed>,
    stops: Vec<RideStop>,
    stop_index: RTree<Indexed>,
    bounds: (f64, f64, f64, f64),
}

impl Router {
    /// Builds the hierarchy from a decoded (checked) graph: milliseconds for a city
    /// centre, about a fifth of a second for 200 k nodes (the order is stored).
    pub fn new(graph: RoadGraph) -> Self {
        let n = graph.node_count();
        let mut arcs: Vec<(u32, u32, bool)> = Vec::with_capacity(graph.edges.len() * 2);
        for (i, e) in graph.edges.iter().enumerate() {
            arcs.push((e.tail, i as u32, true));
            arcs.push((e.head, i as u32, false));
        }
        arcs.sort_unstable();
        let mut first_out = vec![0u32; n + 1];
        for (t, _, _) in &arcs {
            first_out[*t as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        let head: Vec<u32> = arcs
            .iter()
            .map(|(_, e, fwd)| {
                let e = &graph.edges[*e as usize];
                if *fwd { e.head } else { e.tail }
            })
            .collect();
        let arcs: Vec<(u32, bool)> = arcs.into_iter().map(|(_, e, f)| (e, f)).collect();
        let input = cch::graph::Graph {
            first_out: first_out.clone(),
            head,
            weight: vec![1; arcs.len()],
        };
        let cch = cch::Cch::build(&input, &graph.order);
        let sound = super::matrix::hierarchy_is_sound(&cch.view());
        let metrics = METRICS
            .iter()
            .map(|m| cch.customize(&weights(&graph, &arcs, *m)))
            .collect();
        let lat0 = if n == 0 {
            0.0
        } else {
            graph.lat.iter().sum::<f64>() / n as f64
        };
        let cos_lat = lat0.to_radians().cos().max(0.01);
        let index = |mode: RoadMode| {
            let bit = mode.component_bit();
            RTree::bulk_load(
                (0..n)
                    .filter(|v| graph.component[*v] & bit != 0)
                    .map(|v| Indexed::new([graph.lon[v] * cos_lat, graph.lat[v]], v as u32))
                    .collect(),
            )
        };
        let foot_index = index(RoadMode::Foot);
        let car_index = index(RoadMode::Car);
        let bounds = graph.lat.iter().zip(&graph.lon).fold(
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
            |(a, b, c, d), (lat, lon)| (a.min(*lat), b.min(*lon), c.max(*lat), d.max(*lon)),
        );
        let mut router = Router {
            graph,
            arcs,
            first_out,
            cch,
            sound,
            metrics,
            cos_lat,
            foot_index,
            car_index,
            stops: Vec::new(),
            stop_index: RTree::new(),
            bounds,
        };
        let stops: Vec<RideStop> = router
            .graph
            .stops
            .iter()
            .filter_map(|s| {
                let position = GeoPoint::new(s.lat, s.lon).ok()?;
                Some(RideStop {
                    position,
                    foot: router.snap(position, RoadMode::Foot)?,
                    car: router.snap(position, RoadMode::Car),
                    kind: s.kind,
                })
            })
            .collect();
        router.stop_index = RTree::bulk_load(
            stops
                .iter()
                .enumerate()
                .map(|(i, s)| Indexed::new(router.xy(s.position), i as u32))
                .collect(),
        );
        router.stops = stops;
        router
    }

    pub fn graph(&self) -> &RoadGraph {
        &self.graph
    }

    fn xy(&self, p: GeoPoint) -> [f64; 2] {
        [p.lon() * self.cos_lat, p.lat()]
    }

    fn node_point(&self, v: u32) -> Option<GeoPoint> {
        let v = v as usize;
        GeoPoint::new(*self.graph.lat.get(v)?, *self.graph.lon.get(v)?).ok()
    }

    /// Whether `p` lies within the graph's extent (plus the snapping distance).
    pub fn covers(&self, p: GeoPoint) -> bool {
        let (min_lat, min_lon, max_lat, max_lon) = self.bounds;
        let dlat = SNAP_MAX_M / 111_000.0;
        let dlon = dlat / self.cos_lat;
        (min_lat - dlat..=max_lat + dlat).contains(&p.lat())
            && (min_lon - dlon..=max_lon + dlon).contains(&p.lon())
    }

    /// Nearest node of `mode`'s largest part within [`SNAP_MAX_M`]; `None` = unreachable
    /// by that mode.
    pub fn snap(&self, p: GeoPoint, mode: RoadMode) -> Option<Snap> {
        let index = match mode {
            RoadMode::Car => &self.car_index,
            _ => &self.foot_index,
        };
        let nearest = index.nearest_neighbor(&self.xy(p))?;
        let node = nearest.data;
        let metres = p.haversine_m(&self.node_point(node)?);
        (metres <= SNAP_MAX_M).then_some(Snap { node, metres })
    }

    /// Up to `k` stops within `max_m` (straight line) of `p`, nearest first.
    pub fn stops_near(&self, p: GeoPoint, k: usize, max_m: f64) -> Vec<usize> {
        let here = self.xy(p);
        // Degrees² bound: generous (longitude scaled), exact distance checked below.
        let deg = max_m / 111_000.0;
        self.stop_index
            .nearest_neighbor_iter(&here)
            .take_while(|s| s.geom().distance_2(&here) <= deg * deg * 1.5)
            .filter(|s| {
                self.stops
                    .get(s.data as usize)
                    .is_some_and(|stop| stop.position.haversine_m(&p) <= max_m)
            })
            .take(k)
            .map(|s| s.data as usize)
            .collect()
    }

    pub fn stop(&self, i: usize) -> Option<&RideStop> {
        self.stops.get(i)
    }

    /// `sources × targets` costs in the metric's unit, row-major; `None` = unreachable.
    pub fn matrix(&self, metric: Metric, sources: &[u32], targets: &[u32]) -> Vec<Option<u32>> {
        let n = self.graph.node_count() as u32;
        if sources.iter().chain(targets).any(|v| *v >= n) {
            return vec![None; sources.len() * targets.len()];
        }
        let (cch, weights) = (self.cch.view(), self.metrics[metric_index(metric)].view());
        let costs = if self.sound {
            super::matrix::distance_matrix(&cch, &weights, sources, targets)
        } else {
            cch::distance_matrix(&cch, &weights, sources, targets)
        };
        costs
            .into_iter()
            .map(|d| (d < cch::INF_WEIGHT).then_some(d))
            .collect()
    }

    /// The `cch` crate's own matrix (one source at a time, one thread; raw costs,
    /// `cch::INF_WEIGHT` = unreachable): the reference the bucket matrix is checked and
    /// benchmarked against.
    pub fn reference_matrix(&self, metric: Metric, sources: &[u32], targets: &[u32]) -> Vec<u32> {
        let n = self.graph.node_count() as u32;
        if sources.iter().chain(targets).any(|v| *v >= n) {
            return vec![cch::INF_WEIGHT; sources.len() * targets.len()];
        }
        let (cch, weights) = (self.cch.view(), self.metrics[metric_index(metric)].view());
        cch::distance_matrix(&cch, &weights, sources, targets)
    }

    /// Whether [`Self::matrix`] uses the bucket matrix (the hierarchy passed its check).
    pub fn uses_bucket_matrix(&self) -> bool {
        self.sound
    }

    /// The street shape of the best path from `s` to `t` in `metric`, as (lat, lon).
    pub fn path(&self, metric: Metric, s: u32, t: u32) -> Option<Vec<(f64, f64)>> {
        let n = self.graph.node_count() as u32;
        if s >= n || t >= n {
            return None;
        }
        let nodes = cch::node_path(
            &self.cch.view(),
            &self.metrics[metric_index(metric)].view(),
            s,
            t,
        )?;
        let mode = road_mode(metric);
        let step_free = metric == Metric::FootStepFree;
        let g = &self.graph;
        let mut line = vec![(g.lat[s as usize], g.lon[s as usize])];
        for pair in nodes.windows(2) {
            let (u, v) = (pair[0], pair[1]);
            // The cheapest allowed arc u → v (parallel streets may join two corners).
            let arcs = self.arcs.get(
                self.first_out[u as usize] as usize..self.first_out[u as usize + 1] as usize,
            )?;
            let (edge, fwd) = arcs
                .iter()
                .filter_map(|(e, fwd)| {
                    let edge = g.edges.get(*e as usize)?;
                    let to = if *fwd { edge.head } else { edge.tail };
                    let cost = edge.cost_ds(mode, *fwd, step_free)?;
                    (to == v).then_some((cost, *e, *fwd))
                })
                .min()
                .map(|(_, e, f)| (e, f))?;
            let shape = g.edge_shape(edge as usize);
            if fwd {
                line.extend_from_slice(shape);
            } else {
                line.extend(shape.iter().rev());
            }
            line.push((g.lat[v as usize], g.lon[v as usize]));
        }
        Some(line)
    }
}

fn metric_index(m: Metric) -> usize {
    METRICS.iter().position(|x| *x == m).unwrap_or(0)
}

fn road_mode(m: Metric) -> RoadMode {
    match m {
        Metric::Foot | Metric::FootStepFree => RoadMode::Foot,
        Metric::Car | Metric::CarLength => RoadMode::Car,
    }
}

fn weights(g: &RoadGraph, arcs: &[(u32, bool)], metric: Metric) -> Vec<u32> {
    arcs.iter()
        .map(|(e, fwd)| {
            let Some(edge) = g.edges.get(*e as usize) else {
                return cch::INF_WEIGHT;
            };
            let cost = match metric {
                Metric::Foot => edge.cost_ds(RoadMode::Foot, *fwd, false),
                Metric::FootStepFree => edge.cost_ds(RoadMode::Foot, *fwd, true),
                Metric::Car => edge.cost_ds(RoadMode::Car, *fwd, false),
                Metric::CarLength => edge
                    .allows(RoadMode::Car, *fwd)
                    .then_some(edge.length_dm.clamp(1, super::graph::MAX_ARC_DS)),
            };
            cost.unwrap_or(cch::INF_WEIGHT)
        })
        .collect()
}
