//! The street graph of one imported extract: intersections as nodes, the street pieces
//! between them as edges (with their shape for drawing), per-mode access in both
//! directions, the largest connected part of each mode, public-transport stops, and the
//! contraction order of the routing hierarchy (the expensive, metric-independent part of
//! preprocessing, stored so a restart only rebuilds the cheap rest).

use super::profile::{FOOT_KMH, STEPS_SLOWDOWN};

/// A mode of the street graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoadMode {
    Foot,
    Bike,
    Car,
}

impl RoadMode {
    pub const ALL: [RoadMode; 3] = [RoadMode::Foot, RoadMode::Bike, RoadMode::Car];

    /// Bit of the forward direction in [`Edge::flags`]; backward is the next bit.
    fn shift(self) -> u8 {
        match self {
            RoadMode::Foot => 0,
            RoadMode::Bike => 2,
            RoadMode::Car => 4,
        }
    }

    /// Bit in [`RoadGraph::component`].
    pub fn component_bit(self) -> u8 {
        1 << (self.shift() / 2)
    }
}

pub const FLAG_STEPS: u8 = 1 << 6;

/// Kind of public-transport stop, which decides headway and in-vehicle speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum StopKind {
    Bus = 0,
    Tram = 1,
    Rail = 2,
}

impl StopKind {
    pub fn from_u8(v: u8) -> Option<Self> {
        match v {
            0 => Some(StopKind::Bus),
            1 => Some(StopKind::Tram),
            2 => Some(StopKind::Rail),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stop {
    pub lat: f64,
    pub lon: f64,
    pub kind: StopKind,
}

/// One street piece between two graph nodes, in the way's node order.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub tail: u32,
    pub head: u32,
    /// Length along the shape, decimetres.
    pub length_dm: u32,
    /// Access bits: foot fwd/bwd, bike fwd/bwd, car fwd/bwd, then [`FLAG_STEPS`].
    pub flags: u8,
    /// Car speed, km/h (0 when cars may not use it).
    pub car_kmh: u8,
}

impl Edge {
    pub fn allows(&self, mode: RoadMode, forward: bool) -> bool {
        let bit = mode.shift() + u8::from(!forward);
        self.flags & (1 << bit) != 0
    }

    pub fn steps(&self) -> bool {
        self.flags & FLAG_STEPS != 0
    }

    pub fn access_bits(mode: RoadMode, forward: bool, backward: bool) -> u8 {
        (u8::from(forward) | (u8::from(backward) << 1)) << mode.shift()
    }

    /// Cost of travelling the edge in deciseconds (the router's unit); `None` = forbidden.
    /// `step_free` forbids stairs on foot.
    pub fn cost_ds(&self, mode: RoadMode, forward: bool, step_free: bool) -> Option<u32> {
        if !self.allows(mode, forward) {
            return None;
        }
        let metres = f64::from(self.length_dm) / 10.0;
        let kmh = match mode {
            RoadMode::Foot if self.steps() && step_free => return None,
            RoadMode::Foot if self.steps() => FOOT_KMH / STEPS_SLOWDOWN,
            RoadMode::Foot => FOOT_KMH,
            RoadMode::Bike => super::profile::BIKE_KMH,
            RoadMode::Car => f64::from(self.car_kmh.max(1)),
        };
        let ds = (metres / (kmh / 3.6) * 10.0).round();
        // At least one decisecond so zero-length pieces never make cycles free.
        Some((ds as u32).clamp(1, MAX_ARC_DS))
    }
}

/// Far below the router's "unreachable" sentinel, so sums of many arcs never reach it.
pub const MAX_ARC_DS: u32 = 10 * 3600 * 10;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoadGraph {
    pub lat: Vec<f64>,
    pub lon: Vec<f64>,
    pub edges: Vec<Edge>,
    /// Shape points between `tail` and `head` of edge `e`:
    /// `shape[shape_first[e]..shape_first[e + 1]]` as (lat, lon).
    pub shape_first: Vec<u32>,
    pub shape: Vec<(f64, f64)>,
    /// Per node: bit [`RoadMode::component_bit`] set when the node belongs to the largest
    /// strongly connected part of that mode.
    pub component: Vec<u8>,
    /// Contraction order of the routing hierarchy (a permutation of the node ids).
    pub order: Vec<u32>,
    pub stops: Vec<Stop>,
}

impl RoadGraph {
    pub fn node_count(&self) -> usize {
        self.lat.len()
    }

    pub fn edge_shape(&self, e: usize) -> &[(f64, f64)] {
        let (Some(&a), Some(&b)) = (self.shape_first.get(e), self.shape_first.get(e + 1)) else {
            return &[];
        };
        self.shape.get(a as usize..b as usize).unwrap_or(&[])
    }

    /// Nodes in the largest connected part of `mode`.
    pub fn component_size(&self, mode: RoadMode) -> usize {
        let bit = mode.component_bit();
        self.component.iter().filter(|c| **c & bit != 0).count()
    }

    /// Marks the largest strongly connected part of every mode: the largest weakly
    /// connected part first, then, from its best-connected node, what is reachable both
    /// ways (the same set for foot, whose streets are two-way; one-ways trim car and bike).
    pub fn mark_components(&mut self) {
        let n = self.node_count();
        self.component = vec![0; n];
        for mode in RoadMode::ALL {
            let (fwd, bwd) = self.adjacency(mode);
            let Some(seed) = largest_weak_seed(n, &fwd, &bwd) else {
                continue;
            };
            let ahead = reach(n, &fwd, seed);
            let behind = reach(n, &bwd, seed);
            let bit = mode.component_bit();
            for v in 0..n {
                if ahead[v] && behind[v] {
                    self.component[v] |= bit;
                }
            }
        }
    }

    /// Forward and backward adjacency lists of `mode` (CSR: offsets, targets).
    fn adjacency(&self, mode: RoadMode) -> (Csr, Csr) {
        let mut fwd = Vec::new();
        let mut bwd = Vec::new();
        for e in &self.edges {
            if e.allows(mode, true) {
                fwd.push((e.tail, e.head));
                bwd.push((e.head, e.tail));
            }
            if e.allows(mode, false) {
                fwd.push((e.head, e.tail));
                bwd.push((e.tail, e.head));
            }
        }
        (
            Csr::new(self.node_count(), fwd),
            Csr::new(self.node_count(), bwd),
        )
    }
}

/// Adjacency in compressed rows.
pub struct Csr {
    pub first: Vec<u32>,
    pub target: Vec<u32>,
}

impl Csr {
    pub fn new(n: usize, mut arcs: Vec<(u32, u32)>) -> Self {
        arcs.sort_unstable();
        let mut first = vec![0u32; n + 1];
        for (t, _) in &arcs {
            first[*t as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        Csr {
            first,
            target: arcs.into_iter().map(|(_, h)| h).collect(),
        }
    }

    pub fn out(&self, v: usize) -> &[u32] {
        &self.target[self.first[v] as usize..self.first[v + 1] as usize]
    }
}

fn reach(n: usize, g: &Csr, seed: usize) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut stack = vec![seed];
    seen[seed] = true;
    while let Some(v) = stack.pop() {
        for &w in g.out(v) {
            if !seen[w as usize] {
                seen[w as usize] = true;
                stack.push(w as usize);
            }
        }
    }
    seen
}

/// The node of highest degree in the largest weakly connected part with any arc.
fn largest_weak_seed(n: usize, fwd: &Csr, bwd: &Csr) -> Option<usize> {
    let mut part = vec![u32::MAX; n];
    let mut best: Option<(usize, usize)> = None; // (size, seed)
    for start in 0..n {
        if part[start] != u32::MAX || fwd.out(start).is_empty() && bwd.out(start).is_empty() {
            continue;
        }
        let mut stack = vec![start];
        part[start] = start as u32;
        let (mut size, mut seed, mut seed_deg) = (0usize, start, 0usize);
        while let Some(v) = stack.pop() {
            size += 1;
            let deg = fwd.out(v).len() + bwd.out(v).len();
            if deg > seed_deg {
                (seed, seed_deg) = (v, deg);
            }
            for &w in fwd.out(v).iter().chain(bwd.out(v)) {
                if part[w as usize] == u32::MAX {
                    part[w as usize] = start as u32;
                    stack.push(w as usize);
                }
            }
        }
        if best.is_none_or(|(s, _)| size > s) {
            best = Some((size, seed));
        }
    }
    best.map(|(_, seed)| seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(tail: u32, head: u32, flags: u8) -> Edge {
        Edge {
            tail,
            head,
            length_dm: 1000,
            flags,
            car_kmh: 36,
        }
    }

    #[test]
    fn components_keep_the_largest_part_and_respect_one_ways() {
        let both = Edge::access_bits(RoadMode::Foot, true, true)
            | Edge::access_bits(RoadMode::Car, true, true);
        let one = Edge::access_bits(RoadMode::Foot, true, true)
            | Edge::access_bits(RoadMode::Car, true, false);
        let mut g = RoadGraph {
            lat: vec![0.0; 6],
            lon: vec![0.0; 6],
            // 0-1-2 two-way, 2->3 one-way for cars, island 4-5.
            edges: vec![
                edge(0, 1, both),
                edge(1, 2, both),
                edge(2, 3, one),
                edge(4, 5, both),
            ],
            ..RoadGraph::default()
        };
        g.mark_components();
        let foot = RoadMode::Foot.component_bit();
        let car = RoadMode::Car.component_bit();
        assert_eq!(
            g.component
                .iter()
                .map(|c| c & foot != 0)
                .collect::<Vec<_>>(),
            [true, true, true, true, false, false]
        );
        assert_eq!(
            g.component.iter().map(|c| c & car != 0).collect::<Vec<_>>(),
            [true, true, true, false, false, false]
        );
        assert_eq!(g.component_size(RoadMode::Bike), 0);
    }

    #[test]
    fn costs_follow_mode_direction_and_steps() {
        let e = Edge {
            flags: Edge::access_bits(RoadMode::Foot, true, true) | FLAG_STEPS,
            ..edge(0, 1, 0)
        };
        // 100 m at 4.5 km/h = 80 s, stairs twice as long.
        assert_eq!(e.cost_ds(RoadMode::Foot, true, false), Some(1600));
        assert_eq!(e.cost_ds(RoadMode::Foot, true, true), None);
        assert_eq!(e.cost_ds(RoadMode::Car, true, false), None);
        let c = edge(0, 1, Edge::access_bits(RoadMode::Car, true, false));
        assert_eq!(c.cost_ds(RoadMode::Car, true, false), Some(100)); // 100 m at 36 km/h
        assert_eq!(c.cost_ds(RoadMode::Car, false, false), None);
    }
}
