//! Candidate scoring (interests, constraints, accessibility) and prefiltering (top-K by
//! score across the destination, one physical place once), so the solver sees a few hundred nodes at most even for cities with
//! thousands of places.

use std::collections::HashSet;

use super::category::Category;
use super::group_rules::GroupRules;
use super::model::{Access, Candidate, LatLon, ReasonCode, TripRequest};
use super::travel::haversine_m;

/// Why a candidate can never be scheduled on this trip (used for must-visit warnings).
pub fn exclusion_reason(
    c: &Candidate,
    req: &TripRequest,
    rules: &GroupRules,
) -> Option<&'static str> {
    let k = &req.constraints;
    if k.avoid_places.contains(&c.id) {
        return Some("it is on the avoid list");
    }
    // A named must-visit is the traveller's exception to an avoided category.
    if k.avoid_categories.contains(&c.category) && !k.must_visit.contains(&c.id) {
        return Some("its category is avoided");
    }
    if rules.exclude_strenuous && c.category.is_strenuous() {
        return Some("it is too strenuous for the group");
    }
    if !c.position.lat.is_finite() || !c.position.lon.is_finite() || !c.score.is_finite() {
        return Some("its data is invalid");
    }
    None
}

/// Whether the candidate has known hours (or is always open) on some day.
pub fn open_some_day(c: &Candidate, days: usize) -> bool {
    c.always_open
        || (0..days).any(|d| {
            c.hours
                .get(d)
                .and_then(|h| h.as_ref())
                .is_some_and(|iv| iv.iter().any(|i| i.close > i.open))
        })
}

/// Sightseeing score before weather, and the main reason for it.
pub fn adjusted_score(c: &Candidate, req: &TripRequest, rules: &GroupRules) -> (f64, ReasonCode) {
    let mut s = c.score.max(1.0);
    let mut reason = ReasonCode::HighlyRated;
    if req
        .interests
        .iter()
        .any(|i| i.categories().contains(&c.category))
    {
        s *= 1.5;
        reason = ReasonCode::MatchesInterest;
    }
    if req.constraints.more_of.contains(&c.category) {
        s *= 1.8;
        reason = ReasonCode::MoreOfCategory;
    }
    if req.constraints.less_of.contains(&c.category) {
        s *= 0.5;
    }
    if rules.prefer_step_free {
        s *= match c.access {
            Access::StepFree => 1.3,
            Access::Limited => 0.9,
            Access::NotStepFree => 0.4,
            Access::Unknown => 0.8,
        };
        if c.access == Access::StepFree && reason == ReasonCode::HighlyRated {
            reason = ReasonCode::StepFreeAccess;
        }
    }
    if req.constraints.must_visit.contains(&c.id) {
        reason = ReasonCode::MustVisit;
    }
    (s, reason)
}

/// Two candidates with the same [`same_place_key`] this close are one physical place.
pub const SAME_PLACE_M: f64 = 150.0;

/// A name compared case-, space- and punctuation-insensitively.
pub fn same_place_key(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Candidates come from the whole destination: everything within a comfortable trip of the
/// day's anchors (2.5 km) counts in full, farther places fade slowly, so significance — not
/// nearness — decides which sights are considered.
fn reach_factor(metres: f64) -> f64 {
    1.0 / (1.0 + (metres - 2_500.0).max(0.0) / 5_000.0)
}

/// Candidate indices handed to the instance builder.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    pub places: Vec<usize>,
    pub food: Vec<usize>,
    pub rest: Vec<usize>,
}

fn dist_to_any(c: &Candidate, anchors: &[super::model::LatLon]) -> f64 {
    anchors
        .iter()
        .map(|a| haversine_m(*a, c.position))
        .fold(f64::INFINITY, f64::min)
}

/// Picks the candidates for the given days; `excluded` ids are never picked.
pub fn select(
    req: &TripRequest,
    rules: &GroupRules,
    days: &[usize],
    excluded: &HashSet<&str>,
) -> Selection {
    let anchors: Vec<_> = days
        .iter()
        .filter_map(|&d| req.days.get(d))
        .flat_map(|d| [d.start.position, d.end.position])
        .collect();
    let n_days = req.days.len();
    let mut seen: HashSet<&str> = HashSet::new();
    let usable: Vec<usize> = (0..req.candidates.len())
        .filter(|&i| {
            let c = &req.candidates[i];
            seen.insert(c.id.as_str())
                && !excluded.contains(c.id.as_str())
                && exclusion_reason(c, req, rules).is_none()
                && open_some_day(c, n_days)
        })
        .collect();
    let auto_k = (25 + 12 * days.len()).min(120);
    let k = if req.options.max_candidates > 0 {
        req.options.max_candidates
    } else {
        auto_k
    };
    let must: HashSet<&str> = req
        .constraints
        .must_visit
        .iter()
        .map(|s| s.as_str())
        .collect();
    let mut places: Vec<(f64, usize)> = usable
        .iter()
        .filter(|&&i| {
            req.candidates[i].category.is_visitable()
                && req.candidates[i].category != Category::Cafe
        })
        .map(|&i| {
            let c = &req.candidates[i];
            let (s, _) = adjusted_score(c, req, rules);
            let key = if must.contains(c.id.as_str()) {
                f64::INFINITY
            } else {
                s * reach_factor(dist_to_any(c, &anchors))
            };
            (key, i)
        })
        .collect();
    places.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // One physical place once: of two candidates with the same name within 150 m (a statue
    // mapped as two nodes, a church as a node and a building) only the better one is kept,
    // and none that repeats a place of the days planned before.
    let mut places_seen: Vec<(String, LatLon)> = req
        .candidates
        .iter()
        .filter(|c| excluded.contains(c.id.as_str()))
        .map(|c| (same_place_key(&c.name), c.position))
        .collect();
    places.retain(|&(_, i)| {
        let c = &req.candidates[i];
        let key = same_place_key(&c.name);
        let repeat = places_seen
            .iter()
            .any(|(k, p)| *k == key && haversine_m(*p, c.position) <= SAME_PLACE_M);
        if !repeat {
            places_seen.push((key, c.position));
        }
        !repeat
    });
    let must_count = places.iter().filter(|p| p.0.is_infinite()).count();
    places.truncate(k.max(must_count));
    let chosen: Vec<usize> = places.iter().map(|p| p.1).collect();

    let mut food: Vec<(f64, usize)> = usable
        .iter()
        .filter(|&&i| req.candidates[i].category.is_food())
        .map(|&i| {
            let c = &req.candidates[i];
            // A restaurant asked for by name (a famous beer hall) is always a meal option.
            if must.contains(c.id.as_str()) {
                return (f64::INFINITY, i);
            }
            let quality = c.score.max(0.0) + 10.0;
            (quality / (1.0 + dist_to_any(c, &anchors) / 1000.0), i)
        })
        .collect();
    food.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    food.truncate(8 + 5 * days.len());

    // Rest spots near the chosen sights (rests happen between visits), then near anchors.
    let mut refs: Vec<_> = chosen
        .iter()
        .take(30)
        .map(|&i| req.candidates[i].position)
        .collect();
    refs.extend(anchors.iter().copied());
    let mut rest: Vec<(f64, usize)> = usable
        .iter()
        .filter(|&&i| req.candidates[i].category.is_rest_capable())
        .map(|&i| (dist_to_any(&req.candidates[i], &refs), i))
        .collect();
    rest.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    rest.truncate(12 + 4 * days.len());
    Selection {
        places: chosen,
        food: food.into_iter().map(|f| f.1).collect(),
        rest: rest.into_iter().map(|r| r.1).collect(),
    }
}
