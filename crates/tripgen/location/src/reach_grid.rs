//! Counting reachable places without visiting them: a grid of ~500 m cells with a count
//! per category. A nearby search must report how many places match over all pages; with
//! a whole-city budget that is most of 100,000 places. With a travel model whose minutes
//! never decrease with straight-line distance (the straight-line model), a cell whose
//! farthest point is reachable counts wholesale and a cell whose nearest point is out of
//! reach is skipped; only the cells on the edge of the reachable disc are checked place
//! by place — the same check the full scan makes, so the count is exact.

use std::collections::BTreeMap;

use crate::category::{Category, CategoryFilter};
use crate::geo::{EARTH_RADIUS_M, GeoPoint};
use crate::nearby::IndexedCandidate;
use crate::travel::{TravelMode, TravelTimeModel};

/// Cell size in degrees: ~555 m north–south, ~560 m east–west at 48° N.
const CELL_LAT_DEG: f64 = 0.005;
const CELL_LON_DEG: f64 = 0.0075;
/// Slack on the distance bounds of a cell (metres, and relative for the small-angle
/// formula): a cell within the slack of the edge is checked place by place.
const SLACK_M: f64 = 2.0;
const SLACK_REL: f64 = 1e-4;

type CellKey = (i32, i32);

struct Cell {
    counts: [u32; Category::ALL.len()],
    /// This cell's places: `members[first..first + len]`.
    first: usize,
    len: usize,
}

pub struct ReachGrid {
    cells: BTreeMap<CellKey, Cell>,
    members: Vec<IndexedCandidate>,
}

fn key_of(p: GeoPoint) -> CellKey {
    key_of_raw(p.lat(), p.lon())
}

fn key_of_raw(lat: f64, lon: f64) -> CellKey {
    (
        (lat / CELL_LAT_DEG).floor() as i32,
        (lon / CELL_LON_DEG).floor() as i32,
    )
}

fn category_slot(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// The categories a filter lets through, by slot.
fn mask(filter: CategoryFilter) -> [bool; Category::ALL.len()] {
    Category::ALL.map(|c| filter.matches(c))
}

/// Bounds on the great-circle distance from `origin` to any point of the cell `key`:
/// the small-angle (equirectangular) formula with the smallest and the largest cosine of
/// latitude between the two, widened by the slack.
fn distance_bounds(origin: GeoPoint, key: CellKey) -> (f64, f64) {
    let (lat0, lon0) = (origin.lat(), origin.lon());
    let lat_lo = f64::from(key.0) * CELL_LAT_DEG;
    let lat_hi = lat_lo + CELL_LAT_DEG;
    let lon_lo = f64::from(key.1) * CELL_LON_DEG;
    let lon_hi = lon_lo + CELL_LON_DEG;
    let near_dlat = if lat0 < lat_lo {
        lat_lo - lat0
    } else if lat0 > lat_hi {
        lat0 - lat_hi
    } else {
        0.0
    };
    let near_dlon = if lon0 < lon_lo {
        lon_lo - lon0
    } else if lon0 > lon_hi {
        lon0 - lon_hi
    } else {
        0.0
    };
    let far_dlat = (lat0 - lat_lo).abs().max((lat_hi - lat0).abs());
    let far_dlon = (lon0 - lon_lo).abs().max((lon_hi - lon0).abs());
    // Cosines over the latitudes spanned by the origin and the cell.
    let span = [lat0, lat_lo, lat_hi];
    let lat_min = span.iter().copied().fold(f64::INFINITY, f64::min);
    let lat_max = span.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let crosses_equator = lat_min < 0.0 && lat_max > 0.0;
    let cos_a = lat_min.to_radians().cos();
    let cos_b = lat_max.to_radians().cos();
    let cos_max = if crosses_equator {
        1.0
    } else {
        cos_a.max(cos_b)
    };
    let cos_min = cos_a.min(cos_b).max(0.0);
    let m_per_deg = EARTH_RADIUS_M.to_radians();
    let near = m_per_deg * near_dlat.hypot(near_dlon * cos_min);
    let far = m_per_deg * far_dlat.hypot(far_dlon * cos_max);
    (
        (near * (1.0 - SLACK_REL) - SLACK_M).max(0.0),
        far * (1.0 + SLACK_REL) + SLACK_M,
    )
}

/// The farthest distance at which `model` still reaches within `minutes` (metres), found
/// by bisection along a meridian; below it every place is reachable (the model's minutes
/// never decrease with distance).
fn sure_reach_m(
    model: &impl TravelTimeModel,
    origin: GeoPoint,
    mode: TravelMode,
    minutes: u32,
) -> f64 {
    let reach = |d: f64| {
        // Northwards or southwards, whichever stays on the globe.
        let dlat = (d / EARTH_RADIUS_M).to_degrees();
        let lat = if origin.lat() + dlat <= 90.0 {
            origin.lat() + dlat
        } else {
            origin.lat() - dlat
        };
        GeoPoint::new(lat, origin.lon())
            .is_ok_and(|p| model.estimate(origin, p, mode).minutes <= minutes)
    };
    let (mut lo, mut hi) = (0.0, model.max_reach_m(mode, minutes));
    if !reach(lo) {
        return -1.0;
    }
    for _ in 0..50 {
        let mid = (lo + hi) / 2.0;
        if reach(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

impl ReachGrid {
    pub fn new(entries: impl IntoIterator<Item = IndexedCandidate>) -> Self {
        let mut members: Vec<(CellKey, IndexedCandidate)> = entries
            .into_iter()
            .map(|c| (key_of(c.position), c))
            .collect();
        members.sort_by_key(|(k, c)| (*k, c.index));
        let mut cells: BTreeMap<CellKey, Cell> = BTreeMap::new();
        for (i, (k, c)) in members.iter().enumerate() {
            let cell = cells.entry(*k).or_insert(Cell {
                counts: [0; Category::ALL.len()],
                first: i,
                len: 0,
            });
            cell.counts[category_slot(c.category)] += 1;
            cell.len += 1;
        }
        ReachGrid {
            cells,
            members: members.into_iter().map(|(_, c)| c).collect(),
        }
    }

    /// Places of the filter's categories that `model` reaches from `origin` within
    /// `minutes` — exactly the count a scan with `model.estimate` gives, provided the
    /// model's minutes never decrease with distance. `None` when the reachable disc comes
    /// near a pole or across the antimeridian, where the grid's rows do not apply (the
    /// caller scans instead).
    pub fn count_reachable(
        &self,
        model: &impl TravelTimeModel,
        origin: GeoPoint,
        mode: TravelMode,
        minutes: u32,
        filter: CategoryFilter,
    ) -> Option<usize> {
        let wanted = mask(filter);
        let outer = model.max_reach_m(mode, minutes);
        let inner = sure_reach_m(model, origin, mode, minutes);
        let r_deg = (outer / EARTH_RADIUS_M).to_degrees();
        let lat_far = origin.lat().abs() + r_deg;
        if lat_far >= 89.0 {
            return None;
        }
        let dlat = r_deg + CELL_LAT_DEG;
        let dlon = r_deg / lat_far.to_radians().cos() + CELL_LON_DEG;
        if origin.lon() - dlon < -180.0 || origin.lon() + dlon > 180.0 {
            return None;
        }
        let (lat_lo, lon_lo) = key_of_raw(origin.lat() - dlat, origin.lon() - dlon);
        let (lat_hi, lon_hi) = key_of_raw(origin.lat() + dlat, origin.lon() + dlon);
        let mut total = 0usize;
        for row in lat_lo..=lat_hi {
            for (&key, cell) in self.cells.range((row, lon_lo)..=(row, lon_hi)) {
                let (near, far) = distance_bounds(origin, key);
                if near > outer {
                    continue;
                }
                if far <= inner {
                    total += cell
                        .counts
                        .iter()
                        .zip(wanted)
                        .filter(|(_, w)| *w)
                        .map(|(n, _)| *n as usize)
                        .sum::<usize>();
                    continue;
                }
                let members = self
                    .members
                    .get(cell.first..cell.first + cell.len)
                    .unwrap_or_default();
                total += members
                    .iter()
                    .filter(|c| {
                        wanted[category_slot(c.category)]
                            && model.estimate(origin, c.position, mode).minutes <= minutes
                    })
                    .count();
            }
        }
        Some(total)
    }
}
