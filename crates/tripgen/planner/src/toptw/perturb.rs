//! Destroy operators of the ALNS: each removes about `q` routed visits, chosen in a way that
//! opens a different kind of room (random, a contiguous stretch, the least profitable visits,
//! or visits related in space and time).

use super::instance::Instance;
use super::solution::Solution;
use crate::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destroy {
    /// Uniformly random visits.
    Random,
    /// A contiguous segment of one route (the "shake" of Vansteenwegen et al.).
    Segment,
    /// Visits with the lowest score per minute saved, randomised.
    Worst,
    /// A seed visit and the visits closest to it in travel time and service start (Shaw).
    Related,
}

pub const ALL_DESTROYS: [Destroy; 4] = [
    Destroy::Random,
    Destroy::Segment,
    Destroy::Worst,
    Destroy::Related,
];

/// Removes visits from `sol`; returns the removed visits.
pub fn destroy(
    inst: &Instance,
    sol: &mut Solution,
    rng: &mut Rng,
    op: Destroy,
    q: usize,
) -> Vec<usize> {
    let routed: Vec<(usize, usize)> = sol
        .routes
        .iter()
        .enumerate()
        .flat_map(|(r, route)| (0..route.len()).map(move |p| (r, p)))
        .collect();
    if routed.is_empty() || q == 0 {
        return Vec::new();
    }
    let q = q.min(routed.len());
    let picked: Vec<(usize, usize)> = match op {
        Destroy::Random => {
            let mut all = routed;
            rng.shuffle(&mut all);
            all.truncate(q);
            all
        }
        Destroy::Segment => {
            let non_empty: Vec<usize> = (0..sol.routes.len())
                .filter(|&r| !sol.routes[r].is_empty())
                .collect();
            let r = non_empty[rng.below(non_empty.len())];
            let len = sol.routes[r].len();
            let k = q.min(len);
            let start = rng.below(len - k + 1);
            (start..start + k).map(|p| (r, p)).collect()
        }
        Destroy::Worst => {
            let mut keyed: Vec<(f64, (usize, usize))> = routed
                .iter()
                .map(|&(r, p)| {
                    let route = &sol.routes[r];
                    let v = route.visits[p];
                    let spec = inst.route(r);
                    let prev = if p == 0 {
                        spec.start
                    } else {
                        route.visits[p - 1]
                    };
                    let next = if p + 1 < route.len() {
                        route.visits[p + 1]
                    } else {
                        spec.end
                    };
                    let saved = inst.travel(prev, v) + inst.service(v) + inst.travel(v, next)
                        - inst.travel(prev, next)
                        + (route.start[p] - route.arrive[p]);
                    let key = inst.score(v, r) / saved.max(1e-2) * (0.5 + rng.f64());
                    (key, (r, p))
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            keyed.into_iter().take(q).map(|(_, rp)| rp).collect()
        }
        Destroy::Related => {
            let (sr, sp) = routed[rng.below(routed.len())];
            let seed_v = sol.routes[sr].visits[sp];
            let seed_t = sol.routes[sr].start[sp];
            let mut keyed: Vec<(f64, (usize, usize))> = routed
                .iter()
                .map(|&(r, p)| {
                    let v = sol.routes[r].visits[p];
                    let d = inst.travel(seed_v, v).min(1e9) + inst.travel(v, seed_v).min(1e9);
                    let dt = (sol.routes[r].start[p] - seed_t).abs();
                    (d + 0.5 * dt + rng.f64() * 1e-6, (r, p))
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            keyed.into_iter().take(q).map(|(_, rp)| rp).collect()
        }
    };
    let mut removed = Vec::with_capacity(picked.len());
    for r in 0..sol.routes.len() {
        let positions: Vec<usize> = picked
            .iter()
            .filter(|(pr, _)| *pr == r)
            .map(|(_, p)| *p)
            .collect();
        if positions.is_empty() {
            continue;
        }
        let vs: Vec<usize> = positions.iter().map(|&p| sol.routes[r].visits[p]).collect();
        if sol.remove_positions(inst, r, &positions) {
            removed.extend(vs);
        }
    }
    removed
}

/// Reverses the direction of one non-empty route: its visits are re-added in reverse order,
/// each appended if it still fits, the others dropped. With wide windows a long route can
/// run its loop either way round, and no sequence of small moves turns one into the other
/// (every half-turned route breaks windows); restarts use this to reach the other direction.
pub fn reverse_route(inst: &Instance, sol: &mut Solution, rng: &mut Rng) {
    let non_empty: Vec<usize> = (0..sol.routes.len())
        .filter(|&r| !sol.routes[r].is_empty())
        .collect();
    if non_empty.is_empty() {
        return;
    }
    let r = non_empty[rng.below(non_empty.len())];
    let old = sol.routes[r].visits.clone();
    let all: Vec<usize> = (0..old.len()).collect();
    if !sol.remove_positions(inst, r, &all) {
        return;
    }
    for &v in old.iter().rev() {
        let end = sol.routes[r].len();
        if sol.is_available(inst, v)
            && sol.routes[r].has_capacity(inst, r, v)
            && sol.routes[r].shift_at(inst, r, v, end).is_some()
        {
            sol.insert(inst, r, end, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toptw::instance::*;

    #[test]
    fn reversal_keeps_the_route_feasible_and_turns_it() {
        // Visits on a line at 1..=5 with wide windows; the depot at 0.
        let xs = [1.0f64, 2.0, 3.0, 4.0, 5.0, 0.0];
        let l = xs.len();
        let mut travel = vec![0.0; l * l];
        for i in 0..l {
            for j in 0..l {
                travel[i * l + j] = (xs[i] - xs[j]).abs();
            }
        }
        let visits = (0..5)
            .map(|_| VisitSpec {
                score: VisitScore::Same(1.0),
                service: 1.0,
                windows: VisitWindows::Same(vec![TimeWindow::new(0.0, 100.0)]),
                uses: vec![],
                exclusive_group: None,
            })
            .collect();
        let inst = Instance::new(InstanceSpec {
            locations: l,
            travel,
            visits,
            routes: vec![RouteSpec {
                start: 5,
                end: 5,
                earliest_departure: 0.0,
                latest_arrival: 100.0,
                capacities: vec![],
            }],
        })
        .unwrap();
        let mut sol = Solution::empty(&inst);
        for v in 0..5 {
            sol.insert(&inst, 0, v, v);
        }
        reverse_route(&inst, &mut sol, &mut Rng::new(3));
        assert_eq!(sol.routes[0].visits, vec![4, 3, 2, 1, 0]);
        assert_eq!(sol.score, 5.0);
        let mut check = sol.routes[0].clone();
        assert!(check.recompute(&inst, 0));
        assert!((0..5).all(|v| sol.route_of[v] == 0));
    }
}
