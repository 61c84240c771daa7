//! Intra-route reordering: 2-opt (reverse a segment) and or-opt (move a segment of 1–3
//! visits, optionally reversed). A move is kept when it shortens the route's travel and the
//! route ends no later: the time saved becomes room for insertions, which is what long routes
//! with wide windows lack after insertion-only repairs.
//!
//! A move is evaluated without building the new order: the new order is a list of pieces of
//! the old one. Its travel change is O(1) from prefix sums (forward and reverse, for
//! asymmetric matrices); only moves that save travel are simulated from the first changed
//! position with exact window checks. Once the simulation reaches the unchanged tail, a start
//! equal to the old one means the rest of the schedule is unchanged (stop); a later start
//! that would break a window is caught by the same walk.

use super::instance::{EPS, Instance};
use super::solution::{Route, Solution};

/// A run of old positions `from..to` (exclusive), walked backwards if `rev`.
#[derive(Clone, Copy)]
struct Piece {
    from: usize,
    to: usize,
    rev: bool,
}

/// Travel prefix sums along the route's nodes `[start, visits.., end]`: node `k + 1` is
/// visit `k`. `fwd[i]` sums the arcs `node_j → node_{j+1}` for `j < i`, `bwd[i]` the reverse
/// arcs `node_{j+1} → node_j` (travel may be asymmetric).
struct Sums {
    nodes: Vec<usize>,
    fwd: Vec<f64>,
    bwd: Vec<f64>,
}

impl Sums {
    fn new(inst: &Instance, route: &Route, r: usize) -> Sums {
        let spec = inst.route(r);
        let mut nodes = Vec::with_capacity(route.len() + 2);
        nodes.push(spec.start);
        nodes.extend_from_slice(&route.visits);
        nodes.push(spec.end);
        let mut fwd = vec![0.0; nodes.len()];
        let mut bwd = vec![0.0; nodes.len()];
        for j in 1..nodes.len() {
            fwd[j] = fwd[j - 1] + inst.travel(nodes[j - 1], nodes[j]);
            bwd[j] = bwd[j - 1] + inst.travel(nodes[j], nodes[j - 1]);
        }
        Sums { nodes, fwd, bwd }
    }

    /// Travel change of the move `pieces` (see [`simulate`]).
    fn delta(&self, inst: &Instance, first: usize, pieces: &[Piece], tail: usize) -> f64 {
        let old = self.fwd[tail + 1] - self.fwd[first];
        let mut prev = self.nodes[first];
        let mut new = 0.0;
        for p in &pieces[..pieces.len() - 1] {
            let (entry, exit, inside) = if p.rev {
                (p.to, p.from + 1, self.bwd[p.to] - self.bwd[p.from + 1])
            } else {
                (p.from + 1, p.to, self.fwd[p.to] - self.fwd[p.from + 1])
            };
            new += inst.travel(prev, self.nodes[entry]) + inside;
            prev = self.nodes[exit];
        }
        new + inst.travel(prev, self.nodes[tail + 1]) - old
    }
}

/// Simulates `pieces` (which cover old positions `first..n` in their new order; the last
/// piece is the unchanged tail `tail..n`, possibly empty); returns the new end arrival if the
/// order is feasible.
fn simulate(
    inst: &Instance,
    route: &Route,
    r: usize,
    first: usize,
    pieces: &[Piece],
    tail: usize,
) -> Option<f64> {
    let spec = inst.route(r);
    let (mut loc, mut t) = if first == 0 {
        (spec.start, spec.earliest_departure)
    } else {
        let v = route.visits[first - 1];
        (v, route.start[first - 1] + inst.service(v))
    };
    for piece in pieces {
        let len = piece.to - piece.from;
        for i in 0..len {
            let k = if piece.rev {
                piece.to - 1 - i
            } else {
                piece.from + i
            };
            let v = route.visits[k];
            let a = t + inst.travel(loc, v);
            let (s, _) = inst.earliest_start(v, r, a)?;
            if k >= tail && (s - route.start[k]).abs() <= EPS {
                // The rest of the schedule is the old one.
                return Some(route.end_arrive);
            }
            t = s + inst.service(v);
            loc = v;
        }
    }
    let end = t + inst.travel(loc, spec.end);
    (end <= spec.latest_arrival + EPS).then_some(end)
}

/// Whether a move with this travel change is worth simulating, and then worth keeping.
fn try_move(
    inst: &Instance,
    route: &Route,
    r: usize,
    sums: &Sums,
    (first, pieces, tail): (usize, &[Piece], usize),
) -> bool {
    sums.delta(inst, first, pieces, tail) < -EPS_GAIN
        && simulate(inst, route, r, first, pieces, tail)
            .is_some_and(|end| end <= route.end_arrive + EPS)
}

/// Smallest travel saving worth a move (avoids cycling on rounding noise).
const EPS_GAIN: f64 = 1e-6;

/// The new order of the first improving move found.
fn find_move(inst: &Instance, route: &Route, r: usize) -> Option<Vec<usize>> {
    let n = route.len();
    let sums = Sums::new(inst, route, r);
    // 2-opt: reverse i..=j.
    for i in 0..n {
        for j in i + 1..n {
            let pieces = [
                Piece {
                    from: i,
                    to: j + 1,
                    rev: true,
                },
                Piece {
                    from: j + 1,
                    to: n,
                    rev: false,
                },
            ];
            if try_move(inst, route, r, &sums, (i, &pieces, j + 1)) {
                let mut order = route.visits.clone();
                order[i..=j].reverse();
                return Some(order);
            }
        }
    }
    // Or-opt: move i..i+k before position j (j outside the segment), plain or reversed.
    for k in 1..=3usize.min(n) {
        for i in 0..=n - k {
            let seg_end = i + k;
            for j in 0..=n {
                if j >= i && j <= seg_end {
                    continue;
                }
                for rev in [false, true] {
                    if rev && k == 1 {
                        continue;
                    }
                    let seg = Piece {
                        from: i,
                        to: seg_end,
                        rev,
                    };
                    let (first, pieces, tail) = if j < i {
                        (
                            j,
                            [
                                seg,
                                Piece {
                                    from: j,
                                    to: i,
                                    rev: false,
                                },
                                Piece {
                                    from: seg_end,
                                    to: n,
                                    rev: false,
                                },
                            ],
                            seg_end,
                        )
                    } else {
                        (
                            i,
                            [
                                Piece {
                                    from: seg_end,
                                    to: j,
                                    rev: false,
                                },
                                seg,
                                Piece {
                                    from: j,
                                    to: n,
                                    rev: false,
                                },
                            ],
                            j,
                        )
                    };
                    if try_move(inst, route, r, &sums, (first, &pieces, tail)) {
                        let mut order: Vec<usize> = Vec::with_capacity(n);
                        order.extend_from_slice(&route.visits[..first]);
                        for p in pieces {
                            if p.rev {
                                order.extend(route.visits[p.from..p.to].iter().rev());
                            } else {
                                order.extend_from_slice(&route.visits[p.from..p.to]);
                            }
                        }
                        return Some(order);
                    }
                }
            }
        }
    }
    None
}

/// Improves every route with 2-opt and or-opt until no move helps (bounded rounds).
pub fn reorder_routes(inst: &Instance, sol: &mut Solution) {
    for r in 0..sol.routes.len() {
        let mut rounds = 0;
        while rounds < 50 {
            let Some(order) = find_move(inst, &sol.routes[r], r) else {
                break;
            };
            // The simulation is exact, so this only fails on floating-point ties.
            if !sol.try_set_route(inst, r, order) {
                break;
            }
            rounds += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toptw::instance::*;

    /// Visits on a line at 1..=4 visited in a zig-zag order; the depot at 0.
    #[test]
    fn untangles_a_zig_zag_route() {
        let xs = [1.0f64, 2.0, 3.0, 4.0, 0.0];
        let l = xs.len();
        let mut travel = vec![0.0; l * l];
        for i in 0..l {
            for j in 0..l {
                travel[i * l + j] = (xs[i] - xs[j]).abs();
            }
        }
        let visits = (0..4)
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
                start: 4,
                end: 4,
                earliest_departure: 0.0,
                latest_arrival: 100.0,
                capacities: vec![],
            }],
        })
        .unwrap();
        let mut sol = Solution::empty(&inst);
        assert!(sol.try_set_route(&inst, 0, vec![2, 0, 3, 1]));
        let before = sol.routes[0].end_arrive;
        reorder_routes(&inst, &mut sol);
        assert!(sol.routes[0].end_arrive < before);
        // Optimal: out and back along the line, 8 travel + 4 service.
        assert_eq!(sol.routes[0].end_arrive, 12.0);
        assert_eq!(sol.score, 4.0);
    }
}
