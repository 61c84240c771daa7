//! Local search used to polish promising solutions (intra-route reordering lives in
//! `intra.rs`):
//! - `replace`: swap a routed visit for an unrouted one with a higher score.
//!
//! It evaluates candidate orders with a full schedule recomputation, which is exact under
//! multiple time windows; it runs only on promising solutions. The route without position p
//! is built at most once per route state (not once per unrouted visit): on 300 customers the
//! per-visit clones and recomputations were a third of the search time.

use super::instance::{EPS, Instance};
use super::solution::{Route, Solution};

/// Route `r` of `sol` without position `p` (`None` where the rest of the route would be
/// infeasible, possible when travel times break the triangle inequality).
fn without(inst: &Instance, sol: &Solution, r: usize, p: usize) -> Option<Route> {
    let mut reduced = sol.routes[r].clone();
    reduced.visits.remove(p);
    reduced.recompute(inst, r).then_some(reduced)
}

/// Tries to exchange one routed visit for one unrouted visit with a higher score.
/// Returns true if anything improved.
pub fn replace(inst: &Instance, sol: &mut Solution) -> bool {
    let mut any = false;
    let mut unrouted: Vec<usize> = (0..inst.n_visits())
        .filter(|&v| sol.is_available(inst, v))
        .collect();
    // Highest potential first.
    unrouted.sort_by(|&a, &b| {
        let sa = (0..inst.n_routes())
            .map(|r| inst.score(a, r))
            .fold(0.0, f64::max);
        let sb = (0..inst.n_routes())
            .map(|r| inst.score(b, r))
            .fold(0.0, f64::max);
        sb.total_cmp(&sa)
    });
    // reduced[r][p]: route r without position p, built on first use for the current state.
    let mut reduced: Vec<Vec<Option<Option<Route>>>> = vec![Vec::new(); sol.routes.len()];
    for v in unrouted {
        if !sol.is_available(inst, v) {
            continue;
        }
        let mut best: Option<(f64, usize, usize, usize)> = None; // (gain, r, remove pos, ins pos)
        for (r, built) in reduced.iter_mut().enumerate() {
            let sv = inst.score(v, r);
            if sv <= 0.0 {
                continue;
            }
            for p in 0..sol.routes[r].len() {
                let u = sol.routes[r].visits[p];
                let gain = sv - inst.score(u, r);
                if gain <= EPS || best.is_some_and(|b| gain <= b.0) {
                    continue;
                }
                // Exclusive groups: v may share u's group (then freeing u frees the group).
                if let Some(g) = inst.group(v)
                    && sol.group_used[g]
                    && inst.group(u) != Some(g)
                {
                    continue;
                }
                if built.is_empty() {
                    built.resize(sol.routes[r].len(), None);
                }
                let Some(route) = built[p]
                    .get_or_insert_with(|| without(inst, sol, r, p))
                    .as_ref()
                else {
                    continue;
                };
                if !route.has_capacity(inst, r, v) {
                    continue;
                }
                if let Some(ins) = route.best_insertion(inst, r, v) {
                    best = Some((gain, r, p, ins.pos));
                }
            }
        }
        if let Some((_, r, p, pos)) = best
            && sol.remove_positions(inst, r, &[p])
        {
            sol.insert(inst, r, pos, v);
            reduced[r].clear();
            any = true;
        }
    }
    any
}
