//! Route pool and recombination by set packing (cf. Souffriau et al. 2010, Lin & Yu 2012).
//!
//! The search keeps every distinct route of its improving solutions. At a restart the pool
//! is recombined: choose m pairwise disjoint routes with the largest total score (a
//! randomised greedy set packing with a one-for-one exchange step). Routes found in different
//! parts of the search often combine into a better solution than any single one; the caller
//! then fills and polishes the result.
//!
//! Only used when all routes are interchangeable (same start, end, times, capacities, and
//! every visit has the same score and windows on every route), so that a route found as
//! route 1 is also a valid route 0. Itinerary days are not interchangeable: there the pool
//! stays empty and costs nothing.

use std::collections::HashSet;

use super::instance::Instance;
use super::solution::{Solution, UNROUTED};
use crate::rng::Rng;

/// Most routes kept; when full, the lower-scoring half is dropped.
const POOL_CAP: usize = 3000;
/// Randomised greedy packings per recombination.
const TRIALS: usize = 40;

struct PoolRoute {
    visits: Vec<usize>,
    score: f64,
}

pub struct RoutePool {
    enabled: bool,
    m: usize,
    routes: Vec<PoolRoute>,
    seen: HashSet<Vec<usize>>,
}

fn interchangeable(inst: &Instance) -> bool {
    let m = inst.n_routes();
    if m < 2 {
        return false;
    }
    let r0 = inst.route(0);
    (1..m).all(|r| inst.route(r) == r0)
        && (0..inst.n_visits()).all(|v| {
            (1..m).all(|r| {
                inst.score(v, r) == inst.score(v, 0) && inst.windows(v, r) == inst.windows(v, 0)
            })
        })
}

impl RoutePool {
    pub fn new(inst: &Instance) -> RoutePool {
        RoutePool {
            enabled: interchangeable(inst),
            m: inst.n_routes(),
            routes: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// Adds the non-empty routes of `sol` that are not in the pool yet (as visit sets).
    pub fn add(&mut self, sol: &Solution) {
        if !self.enabled {
            return;
        }
        for route in &sol.routes {
            if route.is_empty() {
                continue;
            }
            let mut key = route.visits.clone();
            key.sort_unstable();
            if self.seen.insert(key) {
                self.routes.push(PoolRoute {
                    visits: route.visits.clone(),
                    score: route.score,
                });
            }
        }
        self.trim();
    }

    /// Keeps the pool under [`POOL_CAP`] by dropping its lower-scoring half.
    fn trim(&mut self) {
        if self.routes.len() > POOL_CAP {
            self.routes.sort_by(|a, b| b.score.total_cmp(&a.score));
            self.routes.truncate(POOL_CAP / 2);
            self.seen = self
                .routes
                .iter()
                .map(|r| {
                    let mut k = r.visits.clone();
                    k.sort_unstable();
                    k
                })
                .collect();
        }
    }

    /// Adds every route of `other` (the pool of another search thread).
    pub fn merge(&mut self, other: RoutePool) {
        if !self.enabled {
            return;
        }
        for route in other.routes {
            let mut key = route.visits.clone();
            key.sort_unstable();
            if self.seen.insert(key) {
                self.routes.push(route);
            }
        }
        self.trim();
    }

    /// The best packing of m disjoint pool routes as a solution, if the pool can offer one.
    pub fn recombine(&self, inst: &Instance, rng: &mut Rng) -> Option<Solution> {
        if !self.enabled || self.routes.len() <= self.m {
            return None;
        }
        let n = inst.n_visits();
        let mut owner = vec![usize::MAX; n]; // pool index using a visit, per trial
        let mut group_owner = vec![usize::MAX; inst.n_groups()];
        let mut best: Option<(f64, Vec<usize>)> = None;
        let mut order: Vec<(f64, usize)> = Vec::with_capacity(self.routes.len());
        for trial in 0..TRIALS {
            order.clear();
            let noise = if trial == 0 { 0.0 } else { 0.3 };
            order.extend(
                self.routes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.score * (1.0 - noise * rng.f64()), i)),
            );
            order.sort_by(|a, b| b.0.total_cmp(&a.0));
            owner.iter_mut().for_each(|o| *o = usize::MAX);
            group_owner.iter_mut().for_each(|o| *o = usize::MAX);
            let mut chosen = Vec::with_capacity(self.m);
            let mut total = 0.0;
            for &(_, i) in &order {
                let r = &self.routes[i];
                let free = r.visits.iter().all(|&v| {
                    owner[v] == usize::MAX
                        && inst.group(v).is_none_or(|g| group_owner[g] == usize::MAX)
                });
                if !free {
                    continue;
                }
                for &v in &r.visits {
                    owner[v] = i;
                    if let Some(g) = inst.group(v) {
                        group_owner[g] = i;
                    }
                }
                chosen.push(i);
                total += r.score;
                if chosen.len() == self.m {
                    break;
                }
            }
            if best.as_ref().is_none_or(|b| total > b.0) {
                best = Some((total, chosen));
            }
        }
        let (_, chosen) = best?;
        let mut sol = Solution::empty(inst);
        for (r, &i) in chosen.iter().enumerate() {
            let visits = self.routes[i].visits.clone();
            if !sol.try_set_route(inst, r, visits) {
                return None;
            }
            for &v in &sol.routes[r].visits {
                sol.route_of[v] = r;
                if let Some(g) = inst.group(v) {
                    sol.group_used[g] = true;
                }
            }
        }
        debug_assert!(
            sol.route_of.iter().filter(|&&r| r != UNROUTED).count() == sol.routed_count()
        );
        Some(sol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toptw::construct::{FillParams, greedy_fill};
    use crate::toptw::instance::*;

    /// 12 visits on a ring around the depot, 2 identical routes, room for about 4 visits each.
    fn ring(per_route_scores: bool) -> Instance {
        let n = 12;
        let mut pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                (10.0 * a.cos(), 10.0 * a.sin())
            })
            .collect();
        pts.push((0.0, 0.0));
        let l = pts.len();
        let mut travel = vec![0.0; l * l];
        for i in 0..l {
            for j in 0..l {
                travel[i * l + j] = (pts[i].0 - pts[j].0).hypot(pts[i].1 - pts[j].1);
            }
        }
        let visits = (0..n)
            .map(|i| VisitSpec {
                score: if per_route_scores {
                    VisitScore::PerRoute(vec![1.0 + i as f64, 2.0])
                } else {
                    VisitScore::Same(1.0 + (i % 4) as f64)
                },
                service: 2.0,
                windows: VisitWindows::Same(vec![TimeWindow::new(0.0, 60.0)]),
                uses: vec![],
                exclusive_group: None,
            })
            .collect();
        let route = RouteSpec {
            start: n,
            end: n,
            earliest_departure: 0.0,
            latest_arrival: 40.0,
            capacities: vec![],
        };
        Instance::new(InstanceSpec {
            locations: l,
            travel,
            visits,
            routes: vec![route.clone(), route],
        })
        .unwrap()
    }

    #[test]
    fn recombination_packs_disjoint_feasible_routes() {
        let inst = ring(false);
        let mut pool = RoutePool::new(&inst);
        let mut rng = Rng::new(7);
        for _ in 0..6 {
            let mut sol = Solution::empty(&inst);
            greedy_fill(
                &inst,
                &mut sol,
                &mut rng,
                FillParams {
                    score_power: 1.0,
                    noise: 0.9,
                },
                None,
            );
            pool.add(&sol);
        }
        let packed = pool.recombine(&inst, &mut rng).expect("pool has routes");
        let mut seen = std::collections::HashSet::new();
        for (r, route) in packed.routes.iter().enumerate() {
            let mut check = route.clone();
            assert!(check.recompute(&inst, r));
            for &v in &route.visits {
                assert!(seen.insert(v), "visit {v} packed twice");
                assert_eq!(packed.route_of[v], r);
            }
        }
        let total: f64 = packed.routes.iter().map(|r| r.score).sum();
        assert!((packed.score - total).abs() < 1e-9 && packed.score > 0.0);
    }

    #[test]
    fn routes_that_differ_are_never_pooled() {
        let inst = ring(true);
        let mut pool = RoutePool::new(&inst);
        let mut rng = Rng::new(1);
        let mut sol = Solution::empty(&inst);
        greedy_fill(&inst, &mut sol, &mut rng, FillParams::GREEDY, None);
        pool.add(&sol);
        assert!(pool.recombine(&inst, &mut rng).is_none());
    }
}
