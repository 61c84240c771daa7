//! Greedy insertion ("repair"): repeatedly insert the visit with the best
//! `score^power / shift` ratio (Vansteenwegen et al. 2009), optionally blurred by noise, until
//! nothing fits. Best insertions are cached per (candidate, route) and only the route that
//! changed is re-evaluated after each insertion — exactly on short routes, lazily (from a
//! selection heap) once routes are long (`LAZY_ROUTE_LEN`).

use std::collections::BinaryHeap;

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

/// A candidate's key for one route in the selection heap; `stamp` ties it to the slot's
/// current value (an entry whose stamp is older than the slot's is skipped).
struct Entry {
    key: f64,
    ci: usize,
    r: usize,
    stamp: u32,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Highest key first; ties go to the lowest candidate index, then the lowest route.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| other.ci.cmp(&self.ci))
            .then_with(|| other.r.cmp(&self.r))
    }
}

/// Route length from which a fill (one that starts with such a route) selects from a heap
/// and re-evaluates candidates lazily (see `greedy_fill`):
/// itinerary days (≤ 12 stops) and Solomon-100 routes (10–13 visits) stay exact, Cordeau and
/// long-horizon routes (15–100 visits) go lazy, where it halves the CPU per iteration.
const LAZY_ROUTE_LEN: usize = 16;

/// The best feasible (candidate, route) by key; ties go to the lowest candidate, then route.
fn best_by_scan(cache: &[(f64, usize)], alive: &[bool], n_routes: usize) -> Option<(usize, usize)> {
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
    best.map(|(_, ci, r)| (ci, r))
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
    let mut stamps = vec![0u32; cands.len() * n_routes];
    // Selection: a max-heap when routes are long (many candidates, lazy entries), else a
    // linear scan over candidates × routes per insertion, which is cheaper on short routes
    // (itinerary days) than keeping a heap in order.
    let use_heap = sol.routes.iter().any(|route| route.len() >= LAZY_ROUTE_LEN);
    let mut heap: BinaryHeap<Entry> = BinaryHeap::new();
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
                let key = weight(score) / memo.shift.max(MIN_SHIFT) * noise[ci];
                *slot = (key, memo.pos as usize);
                if use_heap {
                    heap.push(Entry {
                        key,
                        ci,
                        r,
                        stamp: 0,
                    });
                }
            }
        }
    }
    // With long routes a fitting candidate's entry is only marked stale after an insertion
    // and recomputed when it comes out on top of the heap (it then re-enters with its true
    // key): re-evaluating every candidate after every insertion was most of the search time
    // on 200–300 customers with 60–100 visits per route. A stale key can be too low (positions
    // after the new visit may have become cheaper), so that candidate waits a little longer:
    // a small deviation from the exact greedy, worth twice the iterations per second there.
    // Short routes (every itinerary day, Solomon 100) keep the exact greedy, see
    // [`LAZY_ROUTE_LEN`].
    let mut stale = vec![false; cands.len() * n_routes];
    loop {
        let picked = if use_heap {
            let mut found = None;
            while let Some(Entry { ci, r, stamp, .. }) = heap.pop() {
                let k = ci * n_routes + r;
                if alive[ci] && stamp == stamps[k] && cache[k].0 >= 0.0 {
                    found = Some((ci, r));
                    break;
                }
            }
            found
        } else {
            best_by_scan(&cache, &alive, n_routes)
        };
        let Some((ci, r)) = picked else { break };
        let slot_index = ci * n_routes + r;
        let v = cands[ci];
        if stale[slot_index] {
            stale[slot_index] = false;
            let route = &sol.routes[r];
            let found = route.best_insertion(inst, r, v);
            cache[slot_index] = match found {
                Some(ins) => (
                    weight(inst.score(v, r)) / ins.shift.max(MIN_SHIFT) * noise[ci],
                    ins.pos,
                ),
                None => (NO_FIT, 0),
            };
            stamps[slot_index] = stamps[slot_index].wrapping_add(1);
            if let Some(ins) = found {
                if use_heap {
                    heap.push(Entry {
                        key: cache[slot_index].0,
                        ci,
                        r,
                        stamp: stamps[slot_index],
                    });
                }
                sol.insertion_cache[v * n_routes + r] = CachedInsertion {
                    version: sol.route_version[r],
                    pos: ins.pos as u32,
                    shift: ins.shift,
                };
            } else {
                sol.insertion_cache[v * n_routes + r] = CachedInsertion {
                    version: sol.route_version[r],
                    pos: NO_POSITION,
                    shift: 0.0,
                };
            }
            continue;
        }
        let pos = cache[slot_index].1;
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
        // positions only (exact). A candidate that fitted is re-evaluated in full on short
        // routes and marked stale on long ones (see above).
        let version = sol.route_version[r];
        let route = &sol.routes[r];
        // Lazy for the whole fill once a route is long (not per route: a short, freshly
        // destroyed route of a long instance is refilled lazily as well).
        let lazy = use_heap;
        for (cj, &u) in cands.iter().enumerate() {
            if !alive[cj] {
                continue;
            }
            let k = cj * n_routes + r;
            let key = cache[k].0;
            if key == DEAD {
                continue;
            }
            if !route.has_capacity(inst, r, u) {
                cache[k] = (DEAD, 0);
                stamps[k] = stamps[k].wrapping_add(1);
                continue;
            }
            if key >= 0.0 && lazy {
                stale[k] = true;
                continue;
            }
            let found: Option<(f64, usize)> = if key >= 0.0 {
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
            let new_slot = match found {
                Some((shift, p)) => (
                    weight(inst.score(u, r)) / shift.max(MIN_SHIFT) * noise[cj],
                    p,
                ),
                None => (NO_FIT, 0),
            };
            if new_slot != cache[k] {
                cache[k] = new_slot;
                stamps[k] = stamps[k].wrapping_add(1);
                if use_heap && new_slot.0 >= 0.0 {
                    heap.push(Entry {
                        key: new_slot.0,
                        ci: cj,
                        r,
                        stamp: stamps[k],
                    });
                }
            }
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

    /// Random points with windows, a capacity of `cap` visits per route and exclusive pairs.
    fn random_instance(seed: u64, n: usize, routes: usize, horizon: f64, cap: f64) -> Instance {
        let mut rng = Rng::new(seed);
        let pts: Vec<(f64, f64)> = (0..=n)
            .map(|_| (100.0 * rng.f64(), 100.0 * rng.f64()))
            .collect();
        let l = pts.len();
        let mut travel = vec![0.0; l * l];
        for i in 0..l {
            for j in 0..l {
                travel[i * l + j] = (pts[i].0 - pts[j].0).hypot(pts[i].1 - pts[j].1);
            }
        }
        let visits = (0..n)
            .map(|i| {
                let open = (horizon - 200.0) * rng.f64();
                VisitSpec {
                    score: VisitScore::Same(1.0 + (i % 9) as f64),
                    service: 1.0 + 10.0 * rng.f64(),
                    windows: VisitWindows::Same(vec![TimeWindow::new(
                        open,
                        open + 30.0 + 150.0 * rng.f64(),
                    )]),
                    uses: vec![(0, 1.0)],
                    exclusive_group: (i % 10 == 0).then_some(i / 20),
                }
            })
            .collect();
        let route = RouteSpec {
            start: n,
            end: n,
            earliest_departure: 0.0,
            latest_arrival: horizon,
            capacities: vec![cap],
        };
        Instance::new(InstanceSpec {
            locations: l,
            travel,
            visits,
            routes: vec![route; routes],
        })
        .unwrap()
    }

    #[test]
    fn a_fill_leaves_nothing_that_still_fits() {
        // Neither the exact re-evaluation (short routes) nor the lazy one (long routes) may
        // end a fill while some visit still fits somewhere.
        let cases = [(80, 3, 600.0, 12.0), (220, 1, 2500.0, 1000.0)];
        for seed in 1..6 {
            let (n, routes, horizon, cap) = cases[seed as usize % 2];
            let inst = random_instance(seed, n, routes, horizon, cap);
            let mut rng = Rng::new(seed);
            let mut sol = Solution::empty(&inst);
            let params = FillParams {
                score_power: 1.0,
                noise: 0.5,
            };
            greedy_fill(&inst, &mut sol, &mut rng, params, None);
            // Remove every third visit of route 0 and refill, to exercise the cache.
            let drop: Vec<usize> = (0..sol.routes[0].len()).step_by(3).collect();
            assert!(sol.remove_positions(&inst, 0, &drop));
            if routes == 1 {
                // The refill starts with a long route: heap selection and lazy entries.
                assert!(
                    sol.routes[0].len() >= LAZY_ROUTE_LEN,
                    "long case must use the lazy path"
                );
            }
            greedy_fill(&inst, &mut sol, &mut rng, params, None);
            assert!(sol.routed_count() > 0);
            for (r, route) in sol.routes.iter().enumerate() {
                let mut check = route.clone();
                assert!(check.recompute(&inst, r), "route {r} infeasible");
                assert!(route.visits.len() as f64 <= cap);
            }
            for v in 0..inst.n_visits() {
                if !sol.is_available(&inst, v) {
                    continue;
                }
                for (r, route) in sol.routes.iter().enumerate() {
                    assert!(
                        !route.has_capacity(&inst, r, v)
                            || route.best_insertion(&inst, r, v).is_none(),
                        "seed {seed}: visit {v} still fits route {r}"
                    );
                }
            }
        }
    }
}
