//! Routes with their schedule and the "max shift" bookkeeping that makes insertion checks O(1).
//!
//! For every position we keep arrival, start of service, the close of the window in use and
//! `max_shift`: how far the start of that visit may be delayed without making any later visit
//! (or the return to the end location) late. Inserting a visit delays the next arrival by
//! `shift`; the insertion is feasible iff `shift <= wait_next + max_shift_next`.
//! With several windows per visit the check is conservative: a delayed visit stays in its
//! current window (it never jumps to a later one), which is always safe.

use super::instance::{EPS, Instance};

#[derive(Clone, Debug)]
pub struct Route {
    pub visits: Vec<usize>,
    pub arrive: Vec<f64>,
    pub start: Vec<f64>,
    pub close: Vec<f64>,
    pub max_shift: Vec<f64>,
    /// Arrival at the end location.
    pub end_arrive: f64,
    pub score: f64,
    /// Resource use per resource index.
    pub used: Vec<f64>,
    /// Largest `slack_at(p)` over all positions: a visit whose service time exceeds it (plus
    /// the triangle tolerance) cannot be inserted anywhere.
    pub max_slack: f64,
}

/// Best insertion of one visit into one route.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Insertion {
    pub pos: usize,
    /// Delay of the next arrival caused by the insertion (travel + wait + service delta).
    pub shift: f64,
}

impl Route {
    pub fn empty(inst: &Instance, r: usize) -> Route {
        let spec = inst.route(r);
        let end_arrive = spec.earliest_departure + inst.travel(spec.start, spec.end);
        Route {
            visits: Vec::new(),
            arrive: Vec::new(),
            start: Vec::new(),
            close: Vec::new(),
            max_shift: Vec::new(),
            end_arrive,
            score: 0.0,
            used: vec![0.0; inst.n_resources()],
            max_slack: spec.latest_arrival - end_arrive,
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.visits.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.visits.is_empty()
    }

    /// Location and departure time of the stop before position `p`.
    #[inline]
    fn before(&self, inst: &Instance, r: usize, p: usize) -> (usize, f64) {
        if p == 0 {
            let spec = inst.route(r);
            (spec.start, spec.earliest_departure)
        } else {
            let v = self.visits[p - 1];
            (v, self.start[p - 1] + inst.service(v))
        }
    }

    /// How much the arrival at position `p` (`p == len` is the end) may be delayed.
    #[inline]
    pub fn slack_at(&self, inst: &Instance, r: usize, p: usize) -> f64 {
        if p < self.visits.len() {
            (self.start[p] - self.arrive[p]) + self.max_shift[p]
        } else {
            inst.route(r).latest_arrival - self.end_arrive
        }
    }

    /// Whether the route still has capacity for visit `v`'s resource use.
    #[inline]
    pub fn has_capacity(&self, inst: &Instance, r: usize, v: usize) -> bool {
        inst.uses(v)
            .iter()
            .all(|&(res, amt)| self.used[res] + amt <= inst.capacity(r, res) + EPS)
    }

    /// Shift caused by inserting `v` at position `p` (before `visits[p]`), if feasible.
    #[inline]
    pub fn shift_at(&self, inst: &Instance, r: usize, v: usize, p: usize) -> Option<f64> {
        let slack = self.slack_at(inst, r, p);
        let svc = inst.service(v);
        if svc - inst.triangle_tol() > slack {
            return None;
        }
        let (prev, dep) = self.before(inst, r, p);
        let arrival = dep + inst.travel(prev, v);
        let (s, _) = inst.earliest_start(v, r, arrival)?;
        let (next, old_arrive) = if p < self.visits.len() {
            (self.visits[p], self.arrive[p])
        } else {
            (inst.route(r).end, self.end_arrive)
        };
        let shift = s + svc + inst.travel(v, next) - old_arrive;
        (shift <= slack + EPS).then_some(shift)
    }

    /// Cheapest feasible position for `v` (ignores capacity and exclusivity, see
    /// [`Route::has_capacity`]).
    pub fn best_insertion(&self, inst: &Instance, r: usize, v: usize) -> Option<Insertion> {
        let latest = inst.latest_close(v);
        let svc = inst.service(v);
        let n = self.visits.len();
        let end_loc = inst.route(r).end;
        let min_shift = svc - inst.triangle_tol();
        if min_shift > self.max_slack {
            return None;
        }
        // The latest feasible start `start[p] + max_shift[p]` never decreases along the
        // route, and inserting `v` before `p` moves `p`'s arrival to at least
        // `open(v) + service(v)`: positions before the first one that can absorb that are
        // skipped by a binary search.
        let first = match inst.windows(v, r).first() {
            Some(w) => {
                let need = w.open + svc - EPS;
                let (mut lo, mut hi) = (0, n);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if self.start[mid] + self.max_shift[mid] < need {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
            None => return None,
        };
        let mut best: Option<Insertion> = None;
        for p in first..=n {
            let (prev, dep) = self.before(inst, r, p);
            // Departures only grow along the route: once past v's last window, stop.
            if dep > latest + EPS {
                break;
            }
            let slack = self.slack_at(inst, r, p);
            if min_shift > slack {
                continue;
            }
            let arrival = dep + inst.travel(prev, v);
            let Some((s, _)) = inst.earliest_start(v, r, arrival) else {
                continue;
            };
            let (next, old_arrive) = if p < n {
                (self.visits[p], self.arrive[p])
            } else {
                (end_loc, self.end_arrive)
            };
            let new_arrive = s + svc + inst.travel(v, next);
            let shift = new_arrive - old_arrive;
            if shift <= slack + EPS && best.is_none_or(|b| shift < b.shift - EPS) {
                best = Some(Insertion { pos: p, shift });
            }
        }
        best
    }

    /// Recomputes the whole schedule; returns false if the visit order is infeasible.
    pub fn recompute(&mut self, inst: &Instance, r: usize) -> bool {
        let spec = inst.route(r);
        let n = self.visits.len();
        self.arrive.resize(n, 0.0);
        self.start.resize(n, 0.0);
        self.close.resize(n, 0.0);
        self.max_shift.resize(n, 0.0);
        let mut loc = spec.start;
        let mut t = spec.earliest_departure;
        let mut ok = true;
        let mut score = 0.0;
        for i in 0..n {
            let v = self.visits[i];
            let a = t + inst.travel(loc, v);
            self.arrive[i] = a;
            match inst.earliest_start(v, r, a) {
                Some((s, c)) => {
                    self.start[i] = s;
                    self.close[i] = c;
                }
                None => {
                    ok = false;
                    self.start[i] = a;
                    self.close[i] = f64::NEG_INFINITY;
                }
            }
            score += inst.score(v, r);
            t = self.start[i] + inst.service(v);
            loc = v;
        }
        self.end_arrive = t + inst.travel(loc, spec.end);
        self.score = score;
        if self.end_arrive > spec.latest_arrival + EPS {
            ok = false;
        }
        let mut next_slack = spec.latest_arrival - self.end_arrive;
        let mut max_slack = next_slack;
        for i in (0..n).rev() {
            let ms = (self.close[i] - self.start[i]).min(next_slack);
            self.max_shift[i] = ms;
            next_slack = (self.start[i] - self.arrive[i]) + ms;
            max_slack = max_slack.max(next_slack);
        }
        self.max_slack = max_slack;
        for u in self.used.iter_mut() {
            *u = 0.0;
        }
        for &v in &self.visits {
            for &(res, amt) in inst.uses(v) {
                if let Some(u) = self.used.get_mut(res) {
                    *u += amt;
                }
            }
        }
        ok && self
            .used
            .iter()
            .enumerate()
            .all(|(res, u)| *u <= inst.capacity(r, res) + EPS)
    }

    /// Route duration from departure to arrival at the end.
    pub fn duration(&self, inst: &Instance, r: usize) -> f64 {
        self.end_arrive - inst.route(r).earliest_departure
    }
}

/// Cached best insertion of one visit into one route, valid while the route's version is
/// unchanged. `pos == u32::MAX` means "no feasible position".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CachedInsertion {
    pub version: u32,
    pub pos: u32,
    pub shift: f64,
}

pub const NO_POSITION: u32 = u32::MAX;

/// A complete (always feasible) solution.
#[derive(Clone, Debug)]
pub struct Solution {
    pub routes: Vec<Route>,
    /// Route of each visit, `usize::MAX` when unrouted.
    pub route_of: Vec<usize>,
    pub group_used: Vec<bool>,
    pub score: f64,
    /// Version of each route; bumped on every change so cached insertions can be reused
    /// across ALNS iterations for the routes a destroy did not touch.
    pub route_version: Vec<u32>,
    next_version: u32,
    /// `insertion_cache[v * n_routes + r]`.
    pub insertion_cache: Vec<CachedInsertion>,
}

pub const UNROUTED: usize = usize::MAX;

impl Solution {
    pub fn empty(inst: &Instance) -> Solution {
        Solution {
            routes: (0..inst.n_routes())
                .map(|r| Route::empty(inst, r))
                .collect(),
            route_of: vec![UNROUTED; inst.n_visits()],
            group_used: vec![false; inst.n_groups()],
            score: 0.0,
            route_version: vec![1; inst.n_routes()],
            next_version: 2,
            insertion_cache: vec![
                CachedInsertion {
                    version: 0,
                    pos: NO_POSITION,
                    shift: 0.0,
                };
                inst.n_visits() * inst.n_routes()
            ],
        }
    }

    /// Marks route `r` as changed.
    pub fn touch(&mut self, r: usize) {
        self.route_version[r] = self.next_version;
        self.next_version = self.next_version.wrapping_add(1).max(1);
    }

    /// Replaces route `r` by an already recomputed, feasible route.
    pub fn set_route(&mut self, r: usize, route: Route) {
        self.routes[r] = route;
        self.touch(r);
        self.refresh_score();
    }

    /// Whether `v` may still enter the solution (unrouted and its exclusive group free).
    #[inline]
    pub fn is_available(&self, inst: &Instance, v: usize) -> bool {
        self.route_of[v] == UNROUTED && inst.group(v).is_none_or(|g| !self.group_used[g])
    }

    /// Inserts `v` at `pos` of route `r` (must have been checked feasible).
    pub fn insert(&mut self, inst: &Instance, r: usize, pos: usize, v: usize) {
        let route = &mut self.routes[r];
        route.visits.insert(pos, v);
        route.recompute(inst, r);
        self.touch(r);
        self.route_of[v] = r;
        if let Some(g) = inst.group(v) {
            self.group_used[g] = true;
        }
        self.refresh_score();
    }

    /// Removes the visits at the given positions of route `r`. If dropping them makes the
    /// route infeasible (possible when travel times break the triangle inequality) nothing
    /// changes and false is returned.
    pub fn remove_positions(&mut self, inst: &Instance, r: usize, positions: &[usize]) -> bool {
        if positions.is_empty() {
            return true;
        }
        let old = self.routes[r].visits.clone();
        let mut keep = vec![true; old.len()];
        for &p in positions {
            if p < keep.len() {
                keep[p] = false;
            }
        }
        let route = &mut self.routes[r];
        route.visits = old
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(v, _)| *v)
            .collect();
        if !route.recompute(inst, r) {
            route.visits = old;
            route.recompute(inst, r);
            return false;
        }
        self.touch(r);
        for (v, k) in old.iter().zip(&keep) {
            if !*k {
                self.route_of[*v] = UNROUTED;
                if let Some(g) = inst.group(*v) {
                    self.group_used[g] = false;
                }
            }
        }
        self.refresh_score();
        true
    }

    /// Replaces the order of route `r` if the new order is feasible; returns whether it did.
    pub fn try_set_route(&mut self, inst: &Instance, r: usize, visits: Vec<usize>) -> bool {
        let mut cand = self.routes[r].clone();
        cand.visits = visits;
        if cand.recompute(inst, r) {
            self.set_route(r, cand);
            true
        } else {
            false
        }
    }

    pub fn refresh_score(&mut self) {
        self.score = self.routes.iter().map(|r| r.score).sum();
    }

    /// Total time used by all routes: the secondary objective (less is better).
    pub fn total_duration(&self, inst: &Instance) -> f64 {
        self.routes
            .iter()
            .enumerate()
            .map(|(r, route)| route.duration(inst, r))
            .sum()
    }

    pub fn routed_count(&self) -> usize {
        self.routes.iter().map(|r| r.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toptw::instance::*;

    /// Three visits on a line at 1, 2, 3; depot at 0 (location 3).
    fn line() -> Instance {
        let xs = [1.0f64, 2.0, 3.0, 0.0];
        let mut travel = vec![0.0; 16];
        for i in 0..4 {
            for j in 0..4 {
                travel[i * 4 + j] = (xs[i] - xs[j]).abs();
            }
        }
        let visit = |open: f64, close: f64| VisitSpec {
            score: VisitScore::Same(1.0),
            service: 1.0,
            windows: VisitWindows::Same(vec![TimeWindow::new(open, close)]),
            uses: vec![(0, 1.0)],
            exclusive_group: None,
        };
        Instance::new(InstanceSpec {
            locations: 4,
            travel,
            visits: vec![visit(0.0, 100.0), visit(0.0, 100.0), visit(5.0, 6.0)],
            routes: vec![RouteSpec {
                start: 3,
                end: 3,
                earliest_departure: 0.0,
                latest_arrival: 12.0,
                capacities: vec![3.0],
            }],
        })
        .unwrap()
    }

    #[test]
    fn max_shift_guards_insertion() {
        let inst = line();
        let mut sol = Solution::empty(&inst);
        let ins = sol.routes[0].best_insertion(&inst, 0, 2).unwrap();
        sol.insert(&inst, 0, ins.pos, 2);
        // visit 2 starts at 5 (waits from 3), ends 6, back at 9.
        assert_eq!(sol.routes[0].start, vec![5.0]);
        assert_eq!(sol.routes[0].end_arrive, 9.0);
        // slack before visit 2: wait 2 + max shift min(6-5, 12-9)=1 → 3
        assert_eq!(sol.routes[0].slack_at(&inst, 0, 0), 3.0);
        let ins0 = sol.routes[0].best_insertion(&inst, 0, 0).unwrap();
        sol.insert(&inst, 0, ins0.pos, 0);
        assert_eq!(sol.routes[0].visits, vec![0, 2]);
        let ins1 = sol.routes[0].best_insertion(&inst, 0, 1).unwrap();
        sol.insert(&inst, 0, ins1.pos, 1);
        assert_eq!(sol.routes[0].visits, vec![0, 1, 2]);
        assert!(sol.routes[0].recompute(&inst, 0));
        assert_eq!(sol.score, 3.0);
    }

    #[test]
    fn removal_restores_availability() {
        let inst = line();
        let mut sol = Solution::empty(&inst);
        sol.insert(&inst, 0, 0, 0);
        sol.insert(&inst, 0, 1, 1);
        assert!(sol.remove_positions(&inst, 0, &[0]));
        assert_eq!(sol.routes[0].visits, vec![1]);
        assert!(sol.is_available(&inst, 0));
        assert_eq!(sol.score, 1.0);
    }
}
