//! Public transport on an imported timetable (GTFS + RAPTOR, `crate::transit`), inside
//! the travel model:
//! - matrices (the planner does not know the departure yet): walk to one of the nearest
//!   feed stops + the feed's *typical* ride (mean over the day's departures, so the
//!   expected wait is the feed's own half headway) + walk from the stop, or walking all
//!   the way if quicker; where either end has no feed stop within reach the headway model
//!   answers;
//! - [`RoutedTravel::transit_journey`] (the departure is known: a saved day's leg): the
//!   earliest arrival by RAPTOR from that minute, with the lines, stops and times ridden
//!   and the path (walks along the streets, rides through the stops).

use chrono::NaiveDate;
use serde::Serialize;

use super::RoadMode;
use super::model::{Leg, RoutedTravel};
use super::router::{Router, Snap};
use crate::geo::GeoPoint;
use crate::transit::FeedRouter;

/// To reach the platform from the street (and board), minutes.
const PLATFORM_MIN: f64 = 1.0;
/// Ride metres over the straight line between stops.
const RIDE_DETOUR: f64 = 1.2;

/// One vehicle of a timed journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitRide {
    /// The line's name in the feed (`route_short_name`, e.g. "U3").
    pub line: String,
    /// Boarding and alighting stop names.
    pub from: String,
    pub to: String,
    /// Minutes after midnight of the service day.
    pub departs: u32,
    pub arrives: u32,
}

/// A door-to-door journey on the timetable from a known departure.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitJourney {
    /// Door to door, rounded up.
    pub minutes: u32,
    pub metres: u32,
    pub rides: Vec<TransitRide>,
    /// (lat, lon): the walk to the first stop, the stops ridden through, the walk on.
    pub path: Vec<(f64, f64)>,
}

impl RoutedTravel {
    /// The timetable covering the city of router `r` that runs on some day.
    pub(super) fn feed_of(&self, r: usize) -> Option<&FeedRouter> {
        self.feeds
            .iter()
            .find(|f| f.router == r && f.typical_day().is_some())
            .map(|f| &**f)
    }

    fn feed_snaps(feed: &FeedRouter, stops: &[u32]) -> Option<Vec<(GeoPoint, Snap)>> {
        stops
            .iter()
            .map(|s| Some((feed.stop_position(*s)?, (*feed.snaps.get(*s as usize)?)?)))
            .collect()
    }

    /// Transit cells on the timetable's typical rides (module documentation).
    pub(super) fn timetable_cells(
        &self,
        feed: &FeedRouter,
        router: &Router,
        sources: &[(GeoPoint, Snap)],
        targets: &[(GeoPoint, Snap)],
    ) -> Vec<Option<Leg>> {
        let c = *self.transit_constants();
        let near = |p: GeoPoint| feed.stops_near(p, c.stops_per_end, c.stop_max_m);
        let board: Vec<Vec<u32>> = sources.iter().map(|(p, _)| near(*p)).collect();
        let alight: Vec<Vec<u32>> = targets.iter().map(|(p, _)| near(*p)).collect();
        // Ends without a feed stop near: the headway model (on the map's stops) answers.
        let mut out = if board.iter().chain(&alight).any(Vec::is_empty) {
            self.transit_cells(router, sources, targets)
        } else {
            self.walk_cells(router, self.walk_metric(), sources, targets)
        };
        let set = |lists: &[Vec<u32>]| {
            let mut s: Vec<u32> = lists.iter().flatten().copied().collect();
            s.sort_unstable();
            s.dedup();
            s
        };
        let (board_set, alight_set) = (set(&board), set(&alight));
        let (Some(b_pts), Some(a_pts)) = (
            Self::feed_snaps(feed, &board_set),
            Self::feed_snaps(feed, &alight_set),
        ) else {
            return out;
        };
        if b_pts.is_empty() || a_pts.is_empty() {
            return out;
        }
        let to_stop = self.walk_cells(router, self.walk_metric(), sources, &b_pts);
        let from_stop = self.walk_cells(router, self.walk_metric(), &a_pts, targets);
        let rides: Vec<_> = board_set.iter().map(|b| feed.typical_rides(*b)).collect();
        let pos = |set: &[u32], s: u32| set.binary_search(&s).ok();
        for (i, boards) in board.iter().enumerate() {
            for (j, alights) in alight.iter().enumerate() {
                if boards.is_empty() || alights.is_empty() {
                    continue;
                }
                let k = i * targets.len() + j;
                // Both ends are in the feed's area: its answer (or walking) replaces
                // the headway model's.
                let mut best = self.walk_only(router, sources[i], targets[j]);
                for b in boards {
                    let Some(bi) = pos(&board_set, *b) else {
                        continue;
                    };
                    let Some(first) = to_stop[i * b_pts.len() + bi] else {
                        continue;
                    };
                    for e in alights {
                        let Some(ai) = pos(&alight_set, *e) else {
                            continue;
                        };
                        let (Some(Some(secs)), Some(last)) = (
                            rides[bi].get(*e as usize).copied(),
                            from_stop[ai * targets.len() + j],
                        ) else {
                            continue;
                        };
                        if b == e {
                            continue;
                        }
                        let ride_m = b_pts[bi].0.haversine_m(&a_pts[ai].0) * RIDE_DETOUR;
                        let leg = Leg {
                            minutes: first.minutes
                                + PLATFORM_MIN
                                + f64::from(secs) / 60.0
                                + last.minutes,
                            metres: first.metres + ride_m + last.metres,
                        };
                        if best.is_none_or(|b| leg.minutes < b.minutes) {
                            best = Some(leg);
                        }
                    }
                }
                out[k] = best;
            }
        }
        out
    }

    fn walk_only(&self, router: &Router, a: (GeoPoint, Snap), b: (GeoPoint, Snap)) -> Option<Leg> {
        self.walk_cells(router, self.walk_metric(), &[a], &[b])
            .into_iter()
            .next()
            .flatten()
    }

    /// The earliest journey by the timetable leaving `from` at `depart` minutes on `date`;
    /// `None` outside every feed, on a day without service, or when no line helps.
    pub fn transit_journey(
        &self,
        from: GeoPoint,
        to: GeoPoint,
        date: NaiveDate,
        depart: u32,
        step_free: bool,
    ) -> Option<TransitJourney> {
        let r = self.router_of(from)?;
        if self.router_of(to) != Some(r) {
            return None;
        }
        let feed = self.feed_of(r)?;
        if !feed.runs_on(date) {
            return None;
        }
        let router = self.routers().get(r)?;
        let model = if step_free {
            self.with_step_free()
        } else {
            self.clone()
        };
        let metric = model.walk_metric();
        let a = (from, router.snap(from, RoadMode::Foot)?);
        let b = (to, router.snap(to, RoadMode::Foot)?);
        let c = *self.transit_constants();
        let board = feed.stops_near(from, c.stops_per_end, c.stop_max_m);
        let alight = feed.stops_near(to, c.stops_per_end, c.stop_max_m);
        let b_pts = Self::feed_snaps(feed, &board)?;
        let a_pts = Self::feed_snaps(feed, &alight)?;
        let to_stop = model.walk_cells(router, metric, &[a], &b_pts);
        let from_stop = model.walk_cells(router, metric, &a_pts, &[b]);
        let start = depart.checked_mul(60)?;
        let sources: Vec<(u32, u32)> = board
            .iter()
            .zip(&to_stop)
            .filter_map(|(s, w)| {
                let w = (*w)?;
                Some((*s, start + ((w.minutes + PLATFORM_MIN) * 60.0).ceil() as u32))
            })
            .collect();
        let arrivals = feed.earliest(date, &sources);
        // The earliest arrival at the door among alighting stops reached by a vehicle (a
        // stop reached only on foot from a boarding stop is no ride). Ridden even where
        // walking all the way is about as quick: the planner chose to ride this leg (it is
        // longer than a walk), and the caller keeps the journey only when it fits the
        // leg's planned minutes.
        let mut ends: Vec<(u32, u32, _)> = alight
            .iter()
            .zip(&from_stop)
            .filter_map(|(s, w)| {
                let w = (*w)?;
                let at = arrivals.at(*s)?;
                Some((at + (w.minutes * 60.0).ceil() as u32, *s, w))
            })
            .collect();
        ends.sort_by_key(|(at, s, _)| (*at, *s));
        let (end, stop, last, ridden) = ends.into_iter().find_map(|(end, stop, last)| {
            let ridden = feed.network.rides(&arrivals, stop);
            (!ridden.is_empty()).then_some((end, stop, last, ridden))
        })?;
        let tt = feed.timetable();
        let mut rides = Vec::new();
        let mut path: Vec<(f64, f64)> = vec![(from.lat(), from.lon())];
        let mut metres = 0.0;
        let first_stop = ridden
            .first()
            .and_then(|r| tt.patterns.get(r.pattern as usize)?.stops.get(r.board as usize))?;
        let board_i = board.iter().position(|s| s == first_stop)?;
        metres += to_stop[board_i]?.metres;
        path.extend(router.path(metric, a.1.node, b_pts[board_i].1.node)?);
        for ride in &ridden {
            let pattern = tt.patterns.get(ride.pattern as usize)?;
            let trip = pattern.trips.get(ride.trip as usize)?;
            let (bp, ap) = (ride.board as usize, ride.alight as usize);
            let stops = pattern.stops.get(bp..=ap)?;
            let name = |s: u32| tt.stops.get(s as usize).map(|s| s.name.clone());
            rides.push(TransitRide {
                line: tt.lines.get(pattern.line as usize)?.name.clone(),
                from: name(*stops.first()?)?,
                to: name(*stops.last()?)?,
                departs: trip.times.get(bp)?.1 / 60,
                arrives: trip.times.get(ap)?.0.div_ceil(60),
            });
            let points: Vec<GeoPoint> = stops
                .iter()
                .filter_map(|s| feed.stop_position(*s))
                .collect();
            for w in points.windows(2) {
                metres += w[0].haversine_m(&w[1]) * RIDE_DETOUR;
            }
            path.extend(points.iter().map(|p| (p.lat(), p.lon())));
        }
        let alight_i = alight.iter().position(|s| *s == stop)?;
        metres += last.metres;
        path.extend(router.path(metric, a_pts[alight_i].1.node, b.1.node)?);
        path.push((to.lat(), to.lon()));
        let minutes = (end - start).div_ceil(60);
        Some(TransitJourney {
            minutes,
            metres: metres.round().clamp(0.0, f64::from(u32::MAX)) as u32,
            rides,
            path,
        })
    }
}
