//! Greedy insertion ("repair"): repeatedly insert the visit with the best
//! `score^power / shift` ratio (Vansteenwegen et al. 2009), optionally blurred by noise, until
//! nothing fits. Best insertions are cached per (candidate, route) and only the route that
//! changed is re-evaluated after each insertion.

use super::instance::Instance;
use super::solution::{CachedInsertion, NO_POSITION, Solution};
use crate::rng::Rng;

/// How a greedy fill ranks candidates.
#[derive(Clone, Copy, Debug)]
pub struct FillParams {
    /// Exponent on the score in the ratio (1 = profit per minute, 2 favours big profits).
    pub score_power: f64,
    /// Multiplicative noise in `[1 - noise, 1]` drawn once per candidate per fill.
    pub noise: f64,
}

impl FillParams {
    pub const GREEDY: FillParams = FillParams {
        score_power: 2.0,
        noise: 0.0,
    };
}

/// Smallest shift used in ratios: keeps "free" insertions finite and comparable.
const MIN_SHIFT: f64 = 1e-2;

/// Fills the solution greedily. `blocked[v]` (if given) keeps a visit out for this fill.
pub fn greedy_fill(
    inst: &Instance,
    sol: &mut Solution,
    rng: &mut Rng,
    params: FillParams,
    blocked: Option<&[bool]>,
) {
    let n_routes = inst.n_routes();
    if n_routes == 0 {
        return;
    }
    let cands: Vec<usize> = (0..inst.n_visits())
        .filter(|&v| sol.is_available(inst, v) && blocked.is_none_or(|b| !b[v]))
        .collect();
    if cands.is_empty() {
        return;
    }
    let noise: Vec<f64> = cands
        .iter()
        .map(|_| {
            if params.noise > 0.0 {
                1.0 - params.noise * rng.f64()
            } else {
                1.0
            }
        })
        .collect();
    let weight = |score: f64| {
        if params.score_power == 2.0 {
            score * score
        } else if params.score_power == 1.0 {
            score
        } else {
            score.powf(params.score_power)
        }
    };
    // cache[c * n_routes + r] = (key, pos): key >= 0 feasible, NO_FIT = no feasible position
    // now, DEAD = can never fit this route during this fill (score or capacity).
    const NO_FIT: f64 = -1.0;
    const DEAD: f64 = -2.0;
    let mut cache = vec![(NO_FIT, 0usize); cands.len() * n_routes];
    let mut alive = vec![true; cands.len()];
    for r in 0..n_routes {
        let version = sol.route_version[r];
        for (ci, &v) in cands.iter().enumerate() {
            let score = inst.score(v, r);
            let slot = &mut cache[ci * n_routes + r];
            let route = &sol.routes[r];
            if score <= 0.0 || !route.has_capacity(inst, r, v) {
                *slot = (DEAD, 0);
                continue;
            }
            // Reuse the insertion computed for this very route state, if any.
            let memo = &mut sol.insertion_cache[v * n_routes + r];
            if memo.version != version {
                *memo = match route.best_insertion(inst, r, v) {
                    Some(ins) => CachedInsertion {
                        version,
                        pos: ins.pos as u32,
                        shift: ins.shift,
                    },
                    None => CachedInsertion {
                        version,
                        pos: NO_POSITION,
                        shift: 0.0,
                    },
                };
            }
            if memo.pos != NO_POSITION {
                *slot = (
                    weight(score) / memo.shift.max(MIN_SHIFT) * noise[ci],
                    memo.pos as usize,
                );
            }
        }
    }
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for (ci, a) in alive.iter().enumerate() {
            if !*a {
                continue;
            }
            for r in 0..n_routes {
                let (key, _) = cache[ci * n_routes + r];
                if key >= 0.0 && best.is_none_or(|b| key > b.0) {
                    best = Some((key, ci, r));
                }
            }
        }
        let Some((_, ci, r)) = best else { break };
        let v = cands[ci];
        let pos = cache[ci * n_routes + r].1;
        sol.insert(inst, r, pos, v);
        alive[ci] = false;
        if let Some(g) = inst.group(v) {
            for (cj, &u) in cands.iter().enumerate() {
                if alive[cj] && inst.group(u) == Some(g) {
                    alive[cj] = false;
                }
            }
        }
        // Re-evaluate route r. Insertions only tighten a route (the latest feasible arrival
        // at each old position can only drop and departures only get later), so a candidate
        // that fitted nowhere can only fit right next to the new visit: check those two
        // positions only. Candidates that fitted get a full re-evaluation.
        let version = sol.route_version[r];
        let route = &sol.routes[r];
        for (cj, &u) in cands.iter().enumerate() {
            if !alive[cj] {
                continue;
            }
            let slot = &mut cache[cj * n_routes + r];
            if slot.0 == DEAD {
                continue;
            }
            let score = inst.score(u, r);
            if !route.has_capacity(inst, r, u) {
                *slot = (DEAD, 0);
                continue;
            }
            let found: Option<(f64, usize)> = if slot.0 >= 0.0 {
                route
                    .best_insertion(inst, r, u)
                    .map(|ins| (ins.shift, ins.pos))
            } else {
                let mut found: Option<(f64, usize)> = None;
                for p in [pos, pos + 1] {
                    if let Some(shift) = route.shift_at(inst, r, u, p)
                        && found.is_none_or(|f| shift < f.0)
                    {
                        found = Some((shift, p));
                    }
                }
                found
            };
            *slot = match found {
                Some((shift, p)) => (weight(score) / shift.max(MIN_SHIFT) * noise[cj], p),
                None => (NO_FIT, 0),
            };
            sol.insertion_cache[u * n_routes + r] = CachedInsertion {
                version,
                pos: found.map_or(NO_POSITION, |f| f.1 as u32),
                shift: found.map_or(0.0, |f| f.0),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toptw::instance::*;

    #[test]
    fn fills_until_budget() {
        // 5 visits at distance 1 from the depot and 2 from each other; budget 8 → 3 visits
        // (1 + 1 + 2 + 1 + 2 + 1 = 8 with service 0.5 each is 9.5 > 8, so 2 or 3).
        let n = 6;
        let mut travel = vec![2.0; n * n];
        for i in 0..n {
            travel[i * n + i] = 0.0;
            travel[i * n + 5] = 1.0;
            travel[5 * n + i] = 1.0;
        }
        let visits = (0..5)
            .map(|i| VisitSpec {
                score: VisitScore::Same(1.0 + i as f64),
                service: 0.5,
                windows: VisitWindows::Same(vec![TimeWindow::new(0.0, 100.0)]),
                uses: vec![],
                exclusive_group: None,
            })
            .collect();
        let inst = Instance::new(InstanceSpec {
            locations: n,
            travel,
            visits,
            routes: vec![RouteSpec {
                start: 5,
                end: 5,
                earliest_departure: 0.0,
                latest_arrival: 8.0,
                capacities: vec![],
            }],
        })
        .unwrap();
        let mut sol = Solution::empty(&inst);
        greedy_fill(&inst, &mut sol, &mut Rng::new(1), FillParams::GREEDY, None);
        // 3 visits: 1 + .5 + 2 + .5 + 2 + .5 + 1 = 7.5 <= 8; highest scores 5, 4, 3.
        assert_eq!(sol.routes[0].len(), 3);
        assert_eq!(sol.score, 12.0);
        assert!(sol.routes[0].end_arrive <= 8.0);
    }
}
