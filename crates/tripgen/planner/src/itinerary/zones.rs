//! A zone per day: the strong candidates of a city are clustered by position (k-means, k =
//! the long days planned together) and each long day prefers the places of its own zone, so
//! a day stays in one part of town instead of zig-zagging, and the best places spread over
//! the days instead of all landing on the first. A preference, not a rule: a place of
//! another zone still counts, at [`OTHER_ZONE_FACTOR`] of its score.

use super::model::{LatLon, TripRequest};
use super::travel::haversine_m;

/// Score factor of a place outside the day's zone.
pub const OTHER_ZONE_FACTOR: f64 = 0.75;
/// A day with at least this many minutes gets a zone; shorter days (a departure morning)
/// take what is near.
const LONG_DAY_MINUTES: u32 = 6 * 60;
/// Only the strongest candidates shape the zones.
const ZONE_SHAPERS: usize = 40;
const ITERATIONS: usize = 12;

/// Zones of one planning run: the zone of each selected place and of each route.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Zones {
    /// Per entry of `places` (same order): its zone.
    pub place_zone: Vec<usize>,
    /// Per route (day in the run): its zone, `None` for a short day.
    pub route_zone: Vec<Option<usize>>,
}

impl Zones {
    /// Score factor of the `k`-th selected place on route `r`.
    pub fn factor(&self, k: usize, r: usize) -> f64 {
        match (
            self.place_zone.get(k),
            self.route_zone.get(r).copied().flatten(),
        ) {
            (Some(&z), Some(day)) if z != day => OTHER_ZONE_FACTOR,
            _ => 1.0,
        }
    }
}

fn mean(points: &[(LatLon, f64)]) -> Option<LatLon> {
    let w: f64 = points.iter().map(|p| p.1).sum();
    (w > 0.0).then(|| LatLon {
        lat: points.iter().map(|p| p.0.lat * p.1).sum::<f64>() / w,
        lon: points.iter().map(|p| p.0.lon * p.1).sum::<f64>() / w,
    })
}

fn nearest(centres: &[LatLon], p: LatLon) -> usize {
    centres
        .iter()
        .enumerate()
        .min_by(|a, b| haversine_m(*a.1, p).total_cmp(&haversine_m(*b.1, p)))
        .map_or(0, |(i, _)| i)
}

/// Zones for `places` (candidate indices with their scores, best first) on `days`.
pub fn day_zones(req: &TripRequest, days: &[usize], places: &[(usize, f64)]) -> Zones {
    let long: Vec<usize> = days
        .iter()
        .enumerate()
        .filter(|&(_, &d)| {
            req.days
                .get(d)
                .is_some_and(|s| s.end.time.saturating_sub(s.start.time) >= LONG_DAY_MINUTES)
        })
        .map(|(r, _)| r)
        .collect();
    let k = long.len();
    if k < 2 || places.len() < 2 * k {
        return Zones::default();
    }
    let shapers: Vec<(LatLon, f64)> = places
        .iter()
        .take(ZONE_SHAPERS)
        .map(|&(i, s)| (req.candidates[i].position, s.max(1.0)))
        .collect();
    // Farthest-first seeding from the strongest place: deterministic and spread out.
    let mut centres = vec![shapers[0].0];
    while centres.len() < k {
        let far = shapers
            .iter()
            .max_by(|a, b| {
                let da = centres
                    .iter()
                    .map(|c| haversine_m(*c, a.0))
                    .fold(f64::MAX, f64::min);
                let db = centres
                    .iter()
                    .map(|c| haversine_m(*c, b.0))
                    .fold(f64::MAX, f64::min);
                (da * a.1.sqrt()).total_cmp(&(db * b.1.sqrt()))
            })
            .map(|p| p.0);
        match far {
            Some(p) => centres.push(p),
            None => break,
        }
    }
    for _ in 0..ITERATIONS {
        let mut groups: Vec<Vec<(LatLon, f64)>> = vec![Vec::new(); centres.len()];
        for p in &shapers {
            groups[nearest(&centres, p.0)].push(*p);
        }
        for (c, g) in centres.iter_mut().zip(&groups) {
            if let Some(m) = mean(g) {
                *c = m;
            }
        }
    }
    let mut route_zone = vec![None; days.len()];
    for (z, &r) in long.iter().enumerate() {
        route_zone[r] = Some(z);
    }
    Zones {
        place_zone: places
            .iter()
            .map(|&(i, _)| nearest(&centres, req.candidates[i].position))
            .collect(),
        route_zone,
    }
}
