//! Builds a TOPTW instance from trip days: one route per day (start anchor → end anchor
//! within the day's times), one visit node per (candidate, role): sightseeing place, lunch,
//! dinner or rest slot. Hard rules become solver constraints:
//! - opening hours → time windows on the start of the visit (the WHOLE visit fits one
//!   interval: window = [open, close − duration]);
//! - meal windows → intersected with opening hours, resource "one lunch/dinner per day";
//! - places per day, rests per day, outdoor minutes, "less of", at most two of a kind a
//!   day (`variety`) → per-route resources;
//! - no place twice → all nodes of one place share an exclusive group;
//! - leg limits (walk ≤ 500 m / 20 min, drive ≤ 60 min) → forbidden arcs (infinite time).
//!
//! Meals, rests and must-visit places get large scores so the solver serves them first;
//! among sightseeing places the adjusted score decides.

use std::collections::HashMap;

use super::candidates::{Selection, adjusted_score};
use super::group_rules::{
    DINNER_MINUTES, DINNER_WINDOW, DayRules, GroupRules, LUNCH_MINUTES, LUNCH_WINDOW,
    REST_AFTER_LUNCH, REST_NOT_BEFORE, day_rules,
};
use super::model::{Candidate, LatLon, Minutes, OpenInterval, TripRequest};
use super::modes::{LegChoice, ridden, walked};
use super::travel::TravelModel;
use super::variety::{SAME_KIND_PER_DAY, VarietyResources};
use super::zones::day_zones;
use crate::rng::Rng;
use crate::toptw::{
    Instance, InstanceError, InstanceSpec, RouteSpec, TimeWindow, VisitScore, VisitSpec,
    VisitWindows,
};

pub const MUST_VISIT_BONUS: f64 = 10_000.0;
pub const MEAL_SCORE: f64 = 2_000.0;
pub const REST_SCORE: f64 = 1_500.0;

/// Resource indices.
pub const RES_PLACES: usize = 0;
pub const RES_LUNCH: usize = 1;
pub const RES_DINNER: usize = 2;
pub const RES_OUTDOOR: usize = 3;
pub const RES_LESS_OF: usize = 4;
pub const RES_REST0: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeRole {
    Place,
    Lunch,
    Dinner,
    Rest { slot: usize },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Index into `TripRequest::candidates`.
    pub cand: usize,
    pub role: NodeRole,
    pub minutes: Minutes,
}

/// The instance plus everything needed to turn its solution back into day plans.
pub struct Built {
    pub instance: Instance,
    pub nodes: Vec<Node>,
    /// Route index → trip day index.
    pub days: Vec<usize>,
    pub group: GroupRules,
    pub day_rules: Vec<DayRules>,
    /// Leg between two points (by point index, see `point_of_location`).
    legs: Vec<Option<LegChoice>>,
    /// Location → point index; points are candidates first, then anchors.
    point_of_location: Vec<usize>,
    points: Vec<LatLon>,
}

impl Built {
    /// Leg between two solver locations.
    pub fn leg(&self, from_loc: usize, to_loc: usize) -> Option<LegChoice> {
        let a = self.point_of_location[from_loc];
        let b = self.point_of_location[to_loc];
        self.legs.get(a * self.points.len() + b).copied().flatten()
    }
    pub fn start_location(&self, route: usize) -> usize {
        self.nodes.len() + 2 * route
    }
    pub fn end_location(&self, route: usize) -> usize {
        self.nodes.len() + 2 * route + 1
    }
    pub fn point(&self, loc: usize) -> LatLon {
        self.points[self.point_of_location[loc]]
    }
}

/// Start windows for a visit of `dur` minutes that must lie entirely inside an open interval
/// and inside `[lo, hi]`.
fn start_windows(
    intervals: &[OpenInterval],
    dur: Minutes,
    lo: Minutes,
    hi: Minutes,
) -> Vec<TimeWindow> {
    intervals
        .iter()
        .filter_map(|iv| {
            let open = iv.open.max(lo);
            let close = iv.close.min(hi);
            (close >= open.saturating_add(dur))
                .then(|| TimeWindow::new(open as f64, (close - dur) as f64))
        })
        .collect()
}

/// Start windows of a rest in its part `a..b` of a day starting at `lo`: not in the day's
/// first 90 minutes, not from lunch time until 14:30, not from dinner time on.
fn rest_windows(
    intervals: &[OpenInterval],
    dur: Minutes,
    lo: Minutes,
    a: Minutes,
    b: Minutes,
) -> Vec<TimeWindow> {
    let a = a.max(lo.saturating_add(REST_NOT_BEFORE));
    let bands = [
        (a, b.min(LUNCH_WINDOW.0)),
        (a.max(REST_AFTER_LUNCH), b.min(DINNER_WINDOW.0)),
    ];
    bands
        .iter()
        .filter(|(x, y)| x < y)
        .flat_map(|&(x, y)| start_windows(intervals, dur, x, y))
        .collect()
}

fn day_intervals(c: &Candidate, day: usize, lo: Minutes, hi: Minutes) -> Vec<OpenInterval> {
    if c.always_open {
        return vec![OpenInterval {
            open: lo,
            close: hi,
        }];
    }
    c.hours.get(day).and_then(|h| h.clone()).unwrap_or_default()
}

/// Per-candidate score multiplier in `[0.85, 1.15]` for regenerating a day with another seed.
fn jitter(seed: u64, cand: usize) -> f64 {
    let mut r = Rng::new(seed ^ (cand as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    0.85 + 0.3 * r.f64()
}

#[allow(clippy::too_many_arguments)]
pub fn build(
    req: &TripRequest,
    model: &dyn TravelModel,
    group: &GroupRules,
    day_idx: &[usize],
    sel: &Selection,
    jitter_seed: Option<u64>,
) -> Result<Built, InstanceError> {
    let days: Vec<usize> = day_idx
        .iter()
        .copied()
        .filter(|&d| d < req.days.len())
        .collect();
    let rules: Vec<DayRules> = days
        .iter()
        .map(|&d| day_rules(group, &req.days[d]))
        .collect();
    let n_slots = rules.iter().map(|r| r.rests).max().unwrap_or(0) as usize;
    let mut nodes: Vec<Node> = Vec::new();
    let dur = |c: &Candidate| {
        ((c.visit_minutes.max(10) as f64) * group.duration_factor).round() as Minutes
    };
    for &i in &sel.places {
        nodes.push(Node {
            cand: i,
            role: NodeRole::Place,
            minutes: dur(&req.candidates[i]),
        });
    }
    for &i in &sel.food {
        nodes.push(Node {
            cand: i,
            role: NodeRole::Lunch,
            minutes: LUNCH_MINUTES,
        });
        nodes.push(Node {
            cand: i,
            role: NodeRole::Dinner,
            minutes: DINNER_MINUTES,
        });
    }
    for slot in 0..n_slots {
        for &i in &sel.rest {
            nodes.push(Node {
                cand: i,
                role: NodeRole::Rest { slot },
                minutes: group.rest_minutes,
            });
        }
    }
    let must: Vec<bool> = req
        .candidates
        .iter()
        .map(|c| req.constraints.must_visit.contains(&c.id))
        .collect();
    let place_scores: Vec<(usize, f64)> = sel
        .places
        .iter()
        .map(|&i| (i, adjusted_score(&req.candidates[i], req, group).0))
        .collect();
    let zones = day_zones(req, &days, &place_scores);
    let variety = VarietyResources::new(
        RES_REST0 + n_slots,
        sel.places.iter().map(|&i| req.candidates[i].category),
    );
    let mut visits = Vec::with_capacity(nodes.len());
    for (n, node) in nodes.iter().enumerate() {
        let c = &req.candidates[node.cand];
        let indoor = c.is_indoor();
        let mut scores = Vec::with_capacity(days.len());
        let mut windows = Vec::with_capacity(days.len());
        for (r, &d) in days.iter().enumerate() {
            let day = &req.days[d];
            let (lo, hi) = (day.start.time, day.end.time);
            let iv = day_intervals(c, d, lo, hi);
            let rule = &rules[r];
            let (score, ws) = match node.role {
                NodeRole::Place => {
                    let (base, _) = adjusted_score(c, req, group);
                    let w = &rule.weather;
                    let mut s = base
                        * if indoor {
                            w.indoor_factor
                        } else {
                            w.outdoor_factor
                        };
                    if let Some(seed) = jitter_seed {
                        s *= jitter(seed, node.cand);
                    }
                    // Places are the first nodes, in `sel.places` order.
                    s *= zones.factor(n, r);
                    if must[node.cand] {
                        s += MUST_VISIT_BONUS;
                    }
                    (s, start_windows(&iv, node.minutes, lo, hi))
                }
                NodeRole::Lunch | NodeRole::Dinner => {
                    let win = if node.role == NodeRole::Lunch {
                        LUNCH_WINDOW
                    } else {
                        DINNER_WINDOW
                    };
                    let mut s = MEAL_SCORE + c.score.clamp(0.0, 100.0);
                    if must[node.cand] {
                        // The meal at a place asked for by name is worth a visit's bonus.
                        s += MUST_VISIT_BONUS;
                    }
                    let s = if let Some(seed) = jitter_seed {
                        s * jitter(seed, node.cand)
                    } else {
                        s
                    };
                    (
                        s,
                        start_windows(&iv, node.minutes, lo.max(win.0), hi.min(win.1)),
                    )
                }
                NodeRole::Rest { slot } => {
                    let k = rule.rests as usize;
                    if slot >= k {
                        (REST_SCORE, vec![])
                    } else {
                        // Rest j lies in the j-th part of the day so rests are spread out.
                        let span = hi.saturating_sub(lo);
                        let a = lo + (span as usize * slot / k) as Minutes;
                        let b = lo + (span as usize * (slot + 1) / k) as Minutes;
                        (
                            REST_SCORE,
                            rest_windows(&iv, node.minutes, lo, a, b.min(hi)),
                        )
                    }
                }
            };
            scores.push(score);
            windows.push(ws);
        }
        let mut uses = Vec::new();
        match node.role {
            NodeRole::Place => {
                uses.push((RES_PLACES, 1.0));
                if !indoor {
                    uses.push((RES_OUTDOOR, node.minutes as f64));
                }
                if req.constraints.less_of.contains(&c.category) {
                    uses.push((RES_LESS_OF, 1.0));
                }
                if let Some(res) = variety.resource(c, req) {
                    uses.push((res, 1.0));
                }
            }
            NodeRole::Lunch => uses.push((RES_LUNCH, 1.0)),
            NodeRole::Dinner => uses.push((RES_DINNER, 1.0)),
            NodeRole::Rest { slot } => uses.push((RES_REST0 + slot, 1.0)),
        }
        visits.push(VisitSpec {
            score: VisitScore::PerRoute(scores),
            service: node.minutes as f64,
            windows: VisitWindows::PerRoute(windows),
            uses,
            exclusive_group: Some(node.cand),
        });
    }
    // Points: one per candidate used, then two anchors per day.
    let mut point_index: HashMap<usize, usize> = HashMap::new();
    let mut points: Vec<LatLon> = Vec::new();
    let mut point_of_location: Vec<usize> = Vec::with_capacity(nodes.len() + 2 * days.len());
    for node in &nodes {
        let p = *point_index.entry(node.cand).or_insert_with(|| {
            points.push(req.candidates[node.cand].position);
            points.len() - 1
        });
        point_of_location.push(p);
    }
    for &d in &days {
        points.push(req.days[d].start.position);
        point_of_location.push(points.len() - 1);
        points.push(req.days[d].end.position);
        point_of_location.push(points.len() - 1);
    }
    let np = points.len();
    let mut legs: Vec<Option<LegChoice>> = Vec::with_capacity(np * np);
    let mut minutes = vec![f64::INFINITY; np * np];
    // Two many-to-many queries (a router answers each at once), then the mode per leg.
    let walk = model.matrix(&points, super::model::Mode::Walk);
    let ride = model.matrix(&points, group.motor_mode);
    for a in 0..np {
        for b in 0..np {
            let k = a * np + b;
            let leg = if a == b {
                Some(LegChoice {
                    mode: super::model::Mode::Walk,
                    minutes: 0,
                    metres: 0,
                })
            } else {
                walk.get(k)
                    .copied()
                    .flatten()
                    .and_then(|w| walked(group, w))
                    .or_else(|| {
                        ride.get(k)
                            .copied()
                            .flatten()
                            .and_then(|r| ridden(group, r))
                    })
            };
            if let Some(l) = leg {
                minutes[a * np + b] = l.minutes as f64;
            }
            legs.push(leg);
        }
    }
    let n_loc = point_of_location.len();
    let mut travel = vec![0.0; n_loc * n_loc];
    for i in 0..n_loc {
        for j in 0..n_loc {
            travel[i * n_loc + j] = minutes[point_of_location[i] * np + point_of_location[j]];
        }
    }
    let n_nodes = nodes.len();
    let routes = days
        .iter()
        .enumerate()
        .map(|(r, &d)| {
            let rule = &rules[r];
            let mut caps = vec![0.0; RES_REST0 + n_slots];
            caps.resize(variety.end(), SAME_KIND_PER_DAY as f64);
            caps[RES_PLACES] = rule.max_places as f64;
            caps[RES_LUNCH] = 1.0;
            caps[RES_DINNER] = 1.0;
            caps[RES_OUTDOOR] = rule
                .weather
                .outdoor_cap_minutes
                .map(f64::from)
                .unwrap_or(f64::INFINITY);
            caps[RES_LESS_OF] = 1.0;
            for slot in 0..n_slots {
                caps[RES_REST0 + slot] = if slot < rule.rests as usize { 1.0 } else { 0.0 };
            }
            RouteSpec {
                start: n_nodes + 2 * r,
                end: n_nodes + 2 * r + 1,
                earliest_departure: req.days[d].start.time as f64,
                latest_arrival: req.days[d].end.time.max(req.days[d].start.time) as f64,
                capacities: caps,
            }
        })
        .collect();
    let instance = Instance::new(InstanceSpec {
        locations: n_loc,
        travel,
        visits,
        routes,
    })?;
    Ok(Built {
        instance,
        nodes,
        days,
        group: group.clone(),
        day_rules: rules,
        legs,
        point_of_location,
        points,
    })
}
