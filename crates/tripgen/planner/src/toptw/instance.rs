//! The abstract TOPTW instance the solver works on.
//!
//! Locations `0..visits.len()` are the visits; any further locations are anchors (depots,
//! hotels, arrival points) used only as route start/end. The travel matrix is square over all
//! locations and may be asymmetric; `f64::INFINITY` marks an arc that may not be used.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Tolerance for time comparisons: inputs are on a 0.01 grid at worst, so this can never make
/// an infeasible schedule look feasible, but it absorbs floating-point noise in sums.
pub const EPS: f64 = 1e-7;

/// A window on the START of service (early arrival waits).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeWindow {
    pub open: f64,
    pub close: f64,
}

impl TimeWindow {
    pub fn new(open: f64, close: f64) -> Self {
        TimeWindow { open, close }
    }
}

/// Time windows of one visit: the same for every route, or one list per route (weekday-
/// dependent opening hours). An empty list means the visit is not possible on that route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VisitWindows {
    Same(Vec<TimeWindow>),
    PerRoute(Vec<Vec<TimeWindow>>),
}

/// Profit of one visit: the same on every route, or route-dependent (e.g. indoor places are
/// worth more on a rainy day).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VisitScore {
    Same(f64),
    PerRoute(Vec<f64>),
}

/// One optional visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitSpec {
    pub score: VisitScore,
    /// Service duration (time spent at the visit).
    pub service: f64,
    pub windows: VisitWindows,
    /// Resource use per route: `(resource index, amount)`; see [`RouteSpec::capacities`].
    #[serde(default)]
    pub uses: Vec<(usize, f64)>,
    /// Visits sharing an exclusive group appear at most once in the whole solution
    /// (e.g. the "lunch at X" and "dinner at X" visits of the same restaurant).
    #[serde(default)]
    pub exclusive_group: Option<usize>,
}

/// One route (e.g. one day): start and end locations, departure and return bounds, and
/// capacities of the per-route resources (places per day, one lunch, outdoor minutes, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteSpec {
    pub start: usize,
    pub end: usize,
    pub earliest_departure: f64,
    pub latest_arrival: f64,
    /// Capacity per resource index; resources beyond this list are unlimited.
    #[serde(default)]
    pub capacities: Vec<f64>,
}

/// Everything needed to build an [`Instance`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceSpec {
    /// Number of locations (visits + anchors); the matrix is `locations × locations`, row-major.
    pub locations: usize,
    pub travel: Vec<f64>,
    pub visits: Vec<VisitSpec>,
    pub routes: Vec<RouteSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstanceError {
    MatrixSize { expected: usize, got: usize },
    TooFewLocations { visits: usize, locations: usize },
    BadTravelTime { from: usize, to: usize },
    BadVisit { visit: usize, reason: String },
    BadRoute { route: usize, reason: String },
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceError::MatrixSize { expected, got } => {
                write!(f, "travel matrix has {got} entries, expected {expected}")
            }
            InstanceError::TooFewLocations { visits, locations } => {
                write!(f, "{visits} visits but only {locations} locations")
            }
            InstanceError::BadTravelTime { from, to } => {
                write!(f, "travel time {from}->{to} is negative or NaN")
            }
            InstanceError::BadVisit { visit, reason } => write!(f, "visit {visit}: {reason}"),
            InstanceError::BadRoute { route, reason } => write!(f, "route {route}: {reason}"),
        }
    }
}

impl std::error::Error for InstanceError {}

/// A validated instance with flat, cache-friendly storage.
#[derive(Clone, Debug)]
pub struct Instance {
    n_loc: usize,
    n_visits: usize,
    n_routes: usize,
    travel: Vec<f64>,
    service: Vec<f64>,
    /// `score[v * n_routes + r]`.
    score: Vec<f64>,
    /// `window_ref[v * n_routes + r]` = (offset, len) into `windows`.
    window_ref: Vec<(u32, u32)>,
    windows: Vec<TimeWindow>,
    /// Latest window close of each visit over all routes (cheap pruning bound).
    latest_close: Vec<f64>,
    uses: Vec<Vec<(usize, f64)>>,
    group: Vec<Option<usize>>,
    n_groups: usize,
    routes: Vec<RouteSpec>,
    n_resources: usize,
    /// Largest observed `t(i,k) - t(i,j) - t(j,k)` (how much the triangle inequality is
    /// broken); used only to prune insertion positions, so an underestimate costs quality,
    /// never feasibility.
    triangle_tol: f64,
}

/// Estimates the triangle-inequality violation of a matrix: exact for small matrices,
/// a deterministic sample otherwise.
fn triangle_tolerance(n: usize, travel: &[f64]) -> f64 {
    let t = |i: usize, j: usize| travel[i * n + j];
    let mut worst = 0.0f64;
    let mut check = |i: usize, j: usize, k: usize| {
        let direct = t(i, k);
        let via = t(i, j) + t(j, k);
        if direct.is_finite() && via.is_finite() {
            worst = worst.max(direct - via);
        }
    };
    if n <= 60 {
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    check(i, j, k);
                }
            }
        }
    } else {
        let mut rng = crate::rng::Rng::new(0x7a1e);
        for _ in 0..200_000 {
            check(rng.below(n), rng.below(n), rng.below(n));
        }
    }
    worst
}

fn clean_windows(mut ws: Vec<TimeWindow>, visit: usize) -> Result<Vec<TimeWindow>, InstanceError> {
    for w in &ws {
        if !w.open.is_finite() || !w.close.is_finite() {
            return Err(InstanceError::BadVisit {
                visit,
                reason: "time window bound is not finite".into(),
            });
        }
    }
    // Windows with close < open are simply unusable: drop them rather than fail, callers
    // intersect opening hours with meal windows and may produce empty intersections.
    ws.retain(|w| w.close >= w.open);
    ws.sort_by(|a, b| a.open.total_cmp(&b.open));
    // Merge overlaps so that "first window whose close >= arrival" is the earliest start.
    let mut out: Vec<TimeWindow> = Vec::with_capacity(ws.len());
    for w in ws {
        match out.last_mut() {
            Some(last) if w.open <= last.close => last.close = last.close.max(w.close),
            _ => out.push(w),
        }
    }
    Ok(out)
}

impl Instance {
    pub fn new(spec: InstanceSpec) -> Result<Instance, InstanceError> {
        let n_loc = spec.locations;
        let n_visits = spec.visits.len();
        let n_routes = spec.routes.len();
        if n_loc < n_visits {
            return Err(InstanceError::TooFewLocations {
                visits: n_visits,
                locations: n_loc,
            });
        }
        let expected = n_loc.saturating_mul(n_loc);
        if spec.travel.len() != expected {
            return Err(InstanceError::MatrixSize {
                expected,
                got: spec.travel.len(),
            });
        }
        for (i, t) in spec.travel.iter().enumerate() {
            if t.is_nan() || *t < 0.0 {
                return Err(InstanceError::BadTravelTime {
                    from: i / n_loc.max(1),
                    to: i % n_loc.max(1),
                });
            }
        }
        let mut n_resources = 0;
        for (ri, r) in spec.routes.iter().enumerate() {
            if r.start >= n_loc || r.end >= n_loc {
                return Err(InstanceError::BadRoute {
                    route: ri,
                    reason: "start/end location out of range".into(),
                });
            }
            if !r.earliest_departure.is_finite() || !r.latest_arrival.is_finite() {
                return Err(InstanceError::BadRoute {
                    route: ri,
                    reason: "time bounds must be finite".into(),
                });
            }
            if r.capacities.iter().any(|c| c.is_nan()) {
                return Err(InstanceError::BadRoute {
                    route: ri,
                    reason: "capacity is NaN".into(),
                });
            }
            n_resources = n_resources.max(r.capacities.len());
        }
        let mut service = Vec::with_capacity(n_visits);
        let mut score = Vec::with_capacity(n_visits * n_routes);
        let mut window_ref = Vec::with_capacity(n_visits * n_routes);
        let mut windows = Vec::new();
        let mut latest_close = Vec::with_capacity(n_visits);
        let mut uses = Vec::with_capacity(n_visits);
        let mut group = Vec::with_capacity(n_visits);
        let mut n_groups = 0;
        for (vi, v) in spec.visits.into_iter().enumerate() {
            if !v.service.is_finite() || v.service < 0.0 {
                return Err(InstanceError::BadVisit {
                    visit: vi,
                    reason: "service time must be finite and >= 0".into(),
                });
            }
            service.push(v.service);
            match v.score {
                VisitScore::Same(s) => {
                    if !s.is_finite() {
                        return Err(InstanceError::BadVisit {
                            visit: vi,
                            reason: "score is not finite".into(),
                        });
                    }
                    score.extend(std::iter::repeat_n(s, n_routes));
                }
                VisitScore::PerRoute(ss) => {
                    if ss.len() != n_routes || ss.iter().any(|s| !s.is_finite()) {
                        return Err(InstanceError::BadVisit {
                            visit: vi,
                            reason: "per-route scores need one finite value per route".into(),
                        });
                    }
                    score.extend(ss);
                }
            }
            let mut lc = f64::NEG_INFINITY;
            match v.windows {
                VisitWindows::Same(ws) => {
                    let ws = clean_windows(ws, vi)?;
                    let off = windows.len() as u32;
                    let len = ws.len() as u32;
                    for w in &ws {
                        lc = lc.max(w.close);
                    }
                    windows.extend(ws);
                    window_ref.extend(std::iter::repeat_n((off, len), n_routes));
                }
                VisitWindows::PerRoute(per) => {
                    if per.len() != n_routes {
                        return Err(InstanceError::BadVisit {
                            visit: vi,
                            reason: "per-route windows need one list per route".into(),
                        });
                    }
                    for ws in per {
                        let ws = clean_windows(ws, vi)?;
                        let off = windows.len() as u32;
                        let len = ws.len() as u32;
                        for w in &ws {
                            lc = lc.max(w.close);
                        }
                        windows.extend(ws);
                        window_ref.push((off, len));
                    }
                }
            }
            latest_close.push(lc);
            for &(res, amount) in &v.uses {
                if !amount.is_finite() || amount < 0.0 {
                    return Err(InstanceError::BadVisit {
                        visit: vi,
                        reason: "resource use must be finite and >= 0".into(),
                    });
                }
                n_resources = n_resources.max(res + 1);
            }
            uses.push(v.uses);
            if let Some(g) = v.exclusive_group {
                n_groups = n_groups.max(g + 1);
            }
            group.push(v.exclusive_group);
        }
        let triangle_tol = triangle_tolerance(n_loc, &spec.travel) + EPS;
        Ok(Instance {
            triangle_tol,
            n_loc,
            n_visits,
            n_routes,
            travel: spec.travel,
            service,
            score,
            window_ref,
            windows,
            latest_close,
            uses,
            group,
            n_groups,
            routes: spec.routes,
            n_resources,
        })
    }

    #[inline]
    pub fn n_visits(&self) -> usize {
        self.n_visits
    }
    #[inline]
    pub fn n_routes(&self) -> usize {
        self.n_routes
    }
    #[inline]
    pub fn n_locations(&self) -> usize {
        self.n_loc
    }
    #[inline]
    pub fn n_resources(&self) -> usize {
        self.n_resources
    }
    #[inline]
    pub fn n_groups(&self) -> usize {
        self.n_groups
    }
    #[inline]
    pub fn travel(&self, from: usize, to: usize) -> f64 {
        self.travel[from * self.n_loc + to]
    }
    #[inline]
    pub fn service(&self, v: usize) -> f64 {
        self.service[v]
    }
    #[inline]
    pub fn score(&self, v: usize, r: usize) -> f64 {
        self.score[v * self.n_routes + r]
    }
    #[inline]
    pub fn windows(&self, v: usize, r: usize) -> &[TimeWindow] {
        let (off, len) = self.window_ref[v * self.n_routes + r];
        &self.windows[off as usize..(off + len) as usize]
    }
    /// See the field doc: pruning tolerance for "shift >= service - tol".
    #[inline]
    pub fn triangle_tol(&self) -> f64 {
        self.triangle_tol
    }
    #[inline]
    pub fn latest_close(&self, v: usize) -> f64 {
        self.latest_close[v]
    }
    #[inline]
    pub fn uses(&self, v: usize) -> &[(usize, f64)] {
        &self.uses[v]
    }
    #[inline]
    pub fn group(&self, v: usize) -> Option<usize> {
        self.group[v]
    }
    #[inline]
    pub fn route(&self, r: usize) -> &RouteSpec {
        &self.routes[r]
    }
    #[inline]
    pub fn capacity(&self, r: usize, res: usize) -> f64 {
        self.routes[r]
            .capacities
            .get(res)
            .copied()
            .unwrap_or(f64::INFINITY)
    }

    /// Earliest feasible service start for an arrival at `arrival`, with the close of the
    /// window used; `None` when every window has closed.
    #[inline]
    pub fn earliest_start(&self, v: usize, r: usize, arrival: f64) -> Option<(f64, f64)> {
        for w in self.windows(v, r) {
            if arrival <= w.close + EPS {
                return Some((arrival.max(w.open), w.close));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> InstanceSpec {
        InstanceSpec {
            locations: 2,
            travel: vec![0.0, 1.0, 1.0, 0.0],
            visits: vec![VisitSpec {
                score: VisitScore::Same(5.0),
                service: 1.0,
                windows: VisitWindows::Same(vec![
                    TimeWindow::new(10.0, 12.0),
                    TimeWindow::new(0.0, 3.0),
                    TimeWindow::new(2.0, 4.0),
                ]),
                uses: vec![],
                exclusive_group: None,
            }],
            routes: vec![RouteSpec {
                start: 1,
                end: 1,
                earliest_departure: 0.0,
                latest_arrival: 100.0,
                capacities: vec![],
            }],
        }
    }

    #[test]
    fn windows_are_sorted_and_merged() {
        let inst = Instance::new(tiny()).unwrap();
        assert_eq!(
            inst.windows(0, 0),
            &[TimeWindow::new(0.0, 4.0), TimeWindow::new(10.0, 12.0)]
        );
        assert_eq!(inst.earliest_start(0, 0, 5.0), Some((10.0, 12.0)));
        assert_eq!(inst.earliest_start(0, 0, 13.0), None);
    }

    #[test]
    fn rejects_bad_matrix() {
        let mut s = tiny();
        s.travel.pop();
        assert!(matches!(
            Instance::new(s),
            Err(InstanceError::MatrixSize { .. })
        ));
        let mut s = tiny();
        s.travel[1] = f64::NAN;
        assert!(Instance::new(s).is_err());
    }

    #[test]
    fn rejects_bad_route() {
        let mut s = tiny();
        s.routes[0].end = 9;
        assert!(Instance::new(s).is_err());
    }
}
