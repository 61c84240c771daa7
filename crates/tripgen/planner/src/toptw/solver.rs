//! The solver: greedy construction, then adaptive large neighbourhood search (ALNS) with a
//! simulated-annealing acceptance, polishing of new bests (2-opt/or-opt + replace + fill),
//! restarts from the best solution and, when routes are interchangeable, recombination of a
//! pool of good routes by set packing. Optionally several independent searches run on threads
//! with derived seeds (the first from the greedy construction, the others from noisy ones);
//! their route pools are recombined once more at the end and the best result wins (ties:
//! lowest thread index), so the result is deterministic for a given seed and iteration limit.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::construct::{FillParams, greedy_fill};
use super::instance::{EPS, Instance};
use super::intra::reorder_routes;
use super::local_search::replace;
use super::perturb::{ALL_DESTROYS, Destroy, destroy, reverse_route};
use super::pool::RoutePool;
use super::solution::Solution;
use crate::rng::{Rng, splitmix64};

/// Search limits and seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolverConfig {
    pub seed: u64,
    /// ALNS iterations per search thread (the deterministic limit).
    pub max_iterations: u64,
    /// Wall-clock safety net; when it triggers, results depend on machine speed.
    pub time_limit: Option<Duration>,
    /// Independent searches run in parallel (1 = no threads).
    pub threads: usize,
}

impl Default for SolverConfig {
    fn default() -> Self {
        SolverConfig {
            seed: 1,
            max_iterations: 8000,
            time_limit: Some(Duration::from_secs(3)),
            threads: 2,
        }
    }
}

/// A solution as plain data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolveResult {
    /// Visit indices per route, in visiting order.
    pub routes: Vec<Vec<usize>>,
    /// Service start per visit, parallel to `routes`.
    pub starts: Vec<Vec<f64>>,
    pub score: f64,
    pub iterations: u64,
    /// True if the time limit stopped the search before the iteration limit.
    pub timed_out: bool,
}

/// Solves an instance.
pub fn solve(inst: &Instance, cfg: &SolverConfig) -> SolveResult {
    let threads = cfg.threads.clamp(1, 16);
    let started = Instant::now();
    let limit = cfg.time_limit;
    let mut seeds = Vec::with_capacity(threads);
    let mut sm = cfg.seed;
    for _ in 0..threads {
        seeds.push(splitmix64(&mut sm));
    }
    let results: Vec<(Solution, u64, bool, RoutePool)> = if threads == 1 {
        vec![search(
            inst,
            seeds[0],
            0,
            cfg.max_iterations,
            started,
            limit,
        )]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = seeds
                .iter()
                .enumerate()
                .map(|(k, &seed)| {
                    s.spawn(move || search(inst, seed, k, cfg.max_iterations, started, limit))
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        })
    };
    let mut best: Option<Solution> = None;
    let mut total_iters = 0;
    let mut timed_out = false;
    let mut pool: Option<RoutePool> = None;
    for (sol, iters, to, thread_pool) in results {
        total_iters += iters;
        timed_out |= to;
        match pool.as_mut() {
            Some(p) => p.merge(thread_pool),
            None => pool = Some(thread_pool),
        }
        if best.as_ref().is_none_or(|b| better(inst, &sol, b)) {
            best = Some(sol);
        }
    }
    let mut sol = best.unwrap_or_else(|| Solution::empty(inst));
    // The searches' good routes, recombined once more across threads: routes that two
    // independent searches found often pack into a better solution than either one.
    let mut sm2 = cfg.seed ^ 0x5eed_9001;
    let mut rng = Rng::new(splitmix64(&mut sm2));
    if let Some(pool) = &pool
        && let Some(packed) = recombine_pool(inst, pool, &mut rng)
        && better(inst, &packed, &sol)
    {
        sol = packed;
    }
    SolveResult {
        routes: sol.routes.iter().map(|r| r.visits.clone()).collect(),
        starts: sol.routes.iter().map(|r| r.start.clone()).collect(),
        score: sol.score,
        iterations: total_iters,
        timed_out,
    }
}

/// Higher score first, then shorter total duration.
fn better(inst: &Instance, a: &Solution, b: &Solution) -> bool {
    if a.score > b.score + EPS {
        return true;
    }
    a.score > b.score - EPS && a.total_duration(inst) < b.total_duration(inst) - EPS
}

/// The best packing of the pool, filled and polished (None when the pool is disabled).
fn recombine_pool(inst: &Instance, pool: &RoutePool, rng: &mut Rng) -> Option<Solution> {
    let mut packed = pool.recombine(inst, rng)?;
    greedy_fill(inst, &mut packed, rng, FillParams::GREEDY, None);
    polish(inst, &mut packed, rng);
    Some(packed)
}

/// Polishing: shorten routes, exchange for better visits, fill the room created.
fn polish(inst: &Instance, sol: &mut Solution, rng: &mut Rng) {
    for _ in 0..4 {
        reorder_routes(inst, sol);
        let before = sol.score;
        greedy_fill(inst, sol, rng, FillParams::GREEDY, None);
        let swapped = replace(inst, sol);
        greedy_fill(inst, sol, rng, FillParams::GREEDY, None);
        if !swapped && sol.score <= before + EPS {
            break;
        }
    }
}

// Search parameters (tuned once on the TOPTW benchmark as a whole, never per instance).
/// Start/end temperature as a fraction of the mean visit score of the first solution.
const T_START: f64 = 1.0;
const T_END: f64 = 0.02;
/// Iterations without a new best before restarting from the best with a big perturbation.
const RESTART_AFTER: u64 = 1500;
/// Share of routed visits removed at a restart.
const RESTART_DESTROY: f64 = 0.4;
/// Destroy sizes, chosen adaptively like the operators: small `1..=⌈0.1·routed⌉`, medium
/// `1..=⌈0.25·routed⌉` (both at least 2 and at most [`Q_CAP`]) and, on long solutions
/// (≥ [`LONG_ROUTED`] routed visits), large `⌈0.2·routed⌉..=⌈0.4·routed⌉`: on 40–100 visits
/// per route a few removals leave the route's order as it was, so the search needs bigger
/// holes to change a route's shape.
const Q_MIN: usize = 2;
const Q_CAP: usize = 60;
const LONG_ROUTED: usize = 40;
const SIZE_CLASSES: usize = 3;
/// Probability that removed visits sit out the first refill (forces other visits in).
const TABU_PROBABILITY: f64 = 0.5;

const REPAIRS: [FillParams; 3] = [
    FillParams {
        score_power: 2.0,
        noise: 0.15,
    },
    FillParams {
        score_power: 1.0,
        noise: 0.15,
    },
    FillParams {
        score_power: 2.0,
        noise: 0.5,
    },
];

/// Adaptive operator weights (Ropke & Pisinger 2006), updated every segment.
struct Adaptive {
    weights: Vec<f64>,
    scores: Vec<f64>,
    uses: Vec<u32>,
}

impl Adaptive {
    fn new(n: usize) -> Self {
        Adaptive {
            weights: vec![1.0; n],
            scores: vec![0.0; n],
            uses: vec![0; n],
        }
    }
    fn pick(&mut self, rng: &mut Rng) -> usize {
        let i = rng.weighted(&self.weights);
        self.uses[i] += 1;
        i
    }
    fn reward(&mut self, i: usize, amount: f64) {
        self.scores[i] += amount;
    }
    fn update(&mut self) {
        const REACTION: f64 = 0.2;
        for i in 0..self.weights.len() {
            if self.uses[i] > 0 {
                let avg = self.scores[i] / self.uses[i] as f64;
                self.weights[i] = (1.0 - REACTION) * self.weights[i] + REACTION * avg;
            }
            self.weights[i] = self.weights[i].max(0.05);
            self.scores[i] = 0.0;
            self.uses[i] = 0;
        }
    }
}

/// Destroy size for size class `class` with `routed` visits in the solution.
fn destroy_size(rng: &mut Rng, class: usize, routed: usize) -> usize {
    let frac = |f: f64| ((routed as f64 * f).ceil() as usize).clamp(Q_MIN, Q_CAP);
    match class {
        0 => rng.range_inclusive(1, frac(0.1)),
        2 if routed >= LONG_ROUTED => rng.range_inclusive(frac(0.2), frac(0.4)),
        _ => rng.range_inclusive(1, frac(0.25)),
    }
}

/// Share of the search done, in `[0, 1]`: iterations, or the clock when a time limit is set
/// and it runs ahead (so a search stopped by the clock has cooled down, not stopped hot).
fn progress(it: u64, max_iterations: u64, started: Instant, limit: Option<Duration>) -> f64 {
    let by_iter = if max_iterations == 0 {
        1.0
    } else {
        it as f64 / max_iterations as f64
    };
    let by_time = limit.map_or(0.0, |l| {
        started.elapsed().as_secs_f64() / l.as_secs_f64().max(1e-9)
    });
    by_iter.max(by_time).min(1.0)
}

fn search(
    inst: &Instance,
    seed: u64,
    thread: usize,
    max_iterations: u64,
    started: Instant,
    limit: Option<Duration>,
) -> (Solution, u64, bool, RoutePool) {
    let deadline = limit.map(|l| started + l);
    let mut rng = Rng::new(seed);
    let mut cur = Solution::empty(inst);
    // The first search starts from the greedy construction, the others from a noisy one:
    // with the same start, two searches often end in the same basin (on long routes the
    // start decides much of it), and the best of two then gains nothing.
    let start = if thread == 0 {
        FillParams::GREEDY
    } else {
        REPAIRS[2]
    };
    greedy_fill(inst, &mut cur, &mut rng, start, None);
    polish(inst, &mut cur, &mut rng);
    let mut best = cur.clone();
    let mut pool = RoutePool::new(inst);
    pool.add(&best);
    let n_routed = best.routed_count().max(1);
    let mean_score = if best.score > 0.0 {
        best.score / n_routed as f64
    } else {
        1.0
    };
    // Temperature: a loss of one average visit is accepted with ~35% probability at the
    // start and practically never at the end; it falls geometrically with the progress.
    let t_start = T_START * mean_score;
    let log_ratio = (T_END / T_START).ln();
    let mut temp = t_start;
    let mut destroys = Adaptive::new(ALL_DESTROYS.len());
    let mut repairs = Adaptive::new(REPAIRS.len());
    let mut sizes = Adaptive::new(SIZE_CLASSES);
    let mut last_improvement = 0u64;
    let mut restarts = 0u64;

    let mut it = 0u64;
    let mut timed_out = false;
    let tabu_prob = TABU_PROBABILITY;
    let mut blocked = vec![false; inst.n_visits()];
    while it < max_iterations {
        if it.is_multiple_of(32) {
            if let Some(d) = deadline
                && Instant::now() >= d
            {
                timed_out = true;
                break;
            }
            temp = t_start * (log_ratio * progress(it, max_iterations, started, limit)).exp();
        }
        it += 1;
        let routed = cur.routed_count();
        let si = sizes.pick(&mut rng);
        let q = destroy_size(&mut rng, si, routed);
        let di = destroys.pick(&mut rng);
        let ri = repairs.pick(&mut rng);
        let mut cand = cur.clone();
        let removed = destroy(inst, &mut cand, &mut rng, ALL_DESTROYS[di], q);
        if rng.f64() < tabu_prob {
            // Keep the removed visits out for the first fill so that other visits get the
            // room, then let them back in to fill what is left.
            for &v in &removed {
                blocked[v] = true;
            }
            greedy_fill(inst, &mut cand, &mut rng, REPAIRS[ri], Some(&blocked));
            for &v in &removed {
                blocked[v] = false;
            }
        }
        greedy_fill(inst, &mut cand, &mut rng, REPAIRS[ri], None);

        let delta = cand.score - cur.score;
        let mut reward = 0.0;
        if cand.score > best.score + EPS {
            polish(inst, &mut cand, &mut rng);
            best = cand.clone();
            pool.add(&best);
            cur = cand;
            last_improvement = it;
            reward = 10.0;
        } else if delta > EPS {
            pool.add(&cand);
            cur = cand;
            reward = 5.0;
        } else if delta > -EPS || rng.f64() < (delta / temp).exp() {
            cur = cand;
            reward = 1.0;
        }
        destroys.reward(di, reward);
        repairs.reward(ri, reward);
        sizes.reward(si, reward);
        if it.is_multiple_of(100) {
            destroys.update();
            repairs.update();
            sizes.update();
        }
        if it - last_improvement > RESTART_AFTER {
            // Stagnation: first try to recombine the best routes seen so far; then restart
            // from the best solution with a large random perturbation, so the search can
            // reach a different region.
            if let Some(packed) = recombine_pool(inst, &pool, &mut rng)
                && better(inst, &packed, &best)
            {
                best = packed;
                pool.add(&best);
            }
            cur = best.clone();
            restarts += 1;
            if restarts % 2 == 1 {
                // Every other restart runs one route the other way round.
                reverse_route(inst, &mut cur, &mut rng);
            } else {
                let big = ((cur.routed_count() as f64 * RESTART_DESTROY).ceil() as usize).max(1);
                destroy(inst, &mut cur, &mut rng, Destroy::Random, big);
            }
            greedy_fill(inst, &mut cur, &mut rng, REPAIRS[2], None);
            last_improvement = it;
        }
    }
    (best, it, timed_out, pool)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toptw::instance::*;

    /// 30 visits on a ring around a depot, two routes, windows on half of them.
    fn ring() -> Instance {
        let n = 30;
        let pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                (50.0 + 30.0 * a.cos(), 50.0 + 30.0 * a.sin())
            })
            .chain(std::iter::once((50.0, 50.0)))
            .collect();
        let l = pts.len();
        let mut travel = vec![0.0; l * l];
        for i in 0..l {
            for j in 0..l {
                travel[i * l + j] =
                    ((pts[i].0 - pts[j].0).hypot(pts[i].1 - pts[j].1) * 10.0).floor() / 10.0;
            }
        }
        let visits = (0..n)
            .map(|i| VisitSpec {
                score: VisitScore::Same(1.0 + (i % 7) as f64),
                service: 5.0,
                windows: VisitWindows::Same(if i % 2 == 0 {
                    vec![TimeWindow::new(0.0, 1000.0)]
                } else {
                    vec![TimeWindow::new(
                        20.0 * (i % 5) as f64,
                        20.0 * (i % 5) as f64 + 60.0,
                    )]
                }),
                uses: vec![],
                exclusive_group: None,
            })
            .collect();
        let route = RouteSpec {
            start: n,
            end: n,
            earliest_departure: 0.0,
            latest_arrival: 200.0,
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

    fn check_feasible(inst: &Instance, res: &SolveResult) {
        let mut seen = vec![false; inst.n_visits()];
        let mut total = 0.0;
        for (r, route) in res.routes.iter().enumerate() {
            let spec = inst.route(r);
            let (mut loc, mut t) = (spec.start, spec.earliest_departure);
            for &v in route {
                assert!(!seen[v]);
                seen[v] = true;
                let a = t + inst.travel(loc, v);
                let (s, _) = inst.earliest_start(v, r, a).expect("window");
                t = s + inst.service(v);
                loc = v;
                total += inst.score(v, r);
            }
            assert!(t + inst.travel(loc, spec.end) <= spec.latest_arrival + 1e-9);
        }
        assert!((total - res.score).abs() < 1e-9);
    }

    #[test]
    fn deterministic_for_seed_and_iterations() {
        let inst = ring();
        let cfg = SolverConfig {
            seed: 42,
            max_iterations: 300,
            time_limit: None,
            threads: 2,
        };
        let a = solve(&inst, &cfg);
        let b = solve(&inst, &cfg);
        assert_eq!(a, b);
        check_feasible(&inst, &a);
        assert!(a.score > 0.0 && !a.timed_out);
    }

    #[test]
    fn search_improves_on_construction() {
        let inst = ring();
        let zero = solve(
            &inst,
            &SolverConfig {
                seed: 1,
                max_iterations: 0,
                time_limit: None,
                threads: 1,
            },
        );
        let more = solve(
            &inst,
            &SolverConfig {
                seed: 1,
                max_iterations: 400,
                time_limit: None,
                threads: 1,
            },
        );
        check_feasible(&inst, &zero);
        check_feasible(&inst, &more);
        assert!(more.score >= zero.score);
    }

    #[test]
    fn resources_and_exclusive_groups_are_respected() {
        let mut spec_inst = ring();
        // Rebuild with a capacity of 3 visits per route and pairs of visits in one group.
        let n = spec_inst.n_visits();
        let l = spec_inst.n_locations();
        let travel: Vec<f64> = (0..l * l).map(|k| spec_inst.travel(k / l, k % l)).collect();
        let visits = (0..n)
            .map(|v| VisitSpec {
                score: VisitScore::Same(spec_inst.score(v, 0)),
                service: spec_inst.service(v),
                windows: VisitWindows::Same(spec_inst.windows(v, 0).to_vec()),
                uses: vec![(0, 1.0)],
                exclusive_group: Some(v / 2),
            })
            .collect();
        let mut route = spec_inst.route(0).clone();
        route.capacities = vec![3.0];
        spec_inst = Instance::new(InstanceSpec {
            locations: l,
            travel,
            visits,
            routes: vec![route.clone(), route],
        })
        .unwrap();
        let res = solve(
            &spec_inst,
            &SolverConfig {
                seed: 5,
                max_iterations: 200,
                time_limit: None,
                threads: 1,
            },
        );
        check_feasible(&spec_inst, &res);
        let mut groups = std::collections::HashSet::new();
        for route in &res.routes {
            assert!(route.len() <= 3);
            for &v in route {
                assert!(groups.insert(v / 2), "group used twice");
            }
        }
    }
}
