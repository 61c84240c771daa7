//! A timetable attached to the street graph of its city: its stops snapped to the foot
//! network (walks to and from stops are routed), a spatial index of the stops, and the
//! *typical* ride between two stops — what the planner's matrices use when they do not
//! know the departure time: the mean door-of-vehicle time (wait included) over departures
//! every [`SAMPLE_EVERY`] through the day of the feed with most service.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rstar::{PointDistance, RTree, primitives::GeomWithData};

use super::raptor::{Arrivals, Network};
use super::timetable::Timetable;
use crate::geo::GeoPoint;
use crate::roads::{RoadMode, Router, Snap};

/// Departures sampled for the typical ride: 7 minutes (prime to the usual 5/10/15/20-minute
/// headways, so the waits sampled spread over the headway) from 08:00 to 20:00.
pub const SAMPLE_EVERY: u32 = 7 * 60;
const SAMPLE_FROM: u32 = 8 * 3600;
const SAMPLE_TO: u32 = 20 * 3600;
/// A stop pair served by fewer of the sampled departures has no typical ride (the
/// headway model answers).
const SERVED_SHARE: f64 = 0.6;

type Indexed = GeomWithData<[f64; 2], u32>;

pub struct FeedRouter {
    pub network: Network,
    /// The router (street graph) of the city, by index in the travel model.
    pub router: usize,
    /// Each stop's place on the foot network (`None`: too far from it).
    pub snaps: Vec<Option<Snap>>,
    index: RTree<Indexed>,
    cos_lat: f64,
    /// Services running on the typical day (`None`: the feed runs on no day).
    typical: Option<Vec<bool>>,
    typical_day: Option<NaiveDate>,
    /// Typical ride seconds from a boarding stop to every stop, computed on first use.
    rides: Mutex<HashMap<u32, Arc<Vec<Option<u32>>>>>,
}

impl FeedRouter {
    pub fn new(timetable: Timetable, router: &Router, router_index: usize) -> Self {
        let cos_lat = timetable
            .bounds()
            .map_or(1.0, |(a, _, c, _)| ((a + c) / 2.0).to_radians().cos().max(0.01));
        let snaps = timetable
            .stops
            .iter()
            .map(|s| s.position().and_then(|p| router.snap(p, RoadMode::Foot)))
            .collect::<Vec<_>>();
        let index = RTree::bulk_load(
            timetable
                .stops
                .iter()
                .enumerate()
                .filter(|(i, _)| snaps[*i].is_some())
                .map(|(i, s)| Indexed::new([s.lon * cos_lat, s.lat], i as u32))
                .collect(),
        );
        let typical_day = timetable.typical_day();
        let typical = typical_day.map(|d| timetable.active_services(d));
        FeedRouter {
            network: Network::new(timetable),
            router: router_index,
            snaps,
            index,
            cos_lat,
            typical,
            typical_day,
            rides: Mutex::new(HashMap::new()),
        }
    }

    pub fn timetable(&self) -> &Timetable {
        &self.network.timetable
    }

    pub fn typical_day(&self) -> Option<NaiveDate> {
        self.typical_day
    }

    pub fn stop_position(&self, stop: u32) -> Option<GeoPoint> {
        self.timetable().stops.get(stop as usize)?.position()
    }

    /// Up to `k` stops within `max_m` (straight line) of `p` that snap, nearest first.
    pub fn stops_near(&self, p: GeoPoint, k: usize, max_m: f64) -> Vec<u32> {
        let here = [p.lon() * self.cos_lat, p.lat()];
        let deg = max_m / 111_000.0;
        self.index
            .nearest_neighbor_iter(&here)
            .take_while(|s| s.geom().distance_2(&here) <= deg * deg * 1.5)
            .filter(|s| {
                self.stop_position(s.data)
                    .is_some_and(|q| q.haversine_m(&p) <= max_m)
            })
            .take(k)
            .map(|s| s.data)
            .collect()
    }

    /// Earliest arrivals from stops boarded at the given times on `date`.
    pub fn earliest(&self, date: NaiveDate, sources: &[(u32, u32)]) -> Arrivals {
        let active = self.timetable().active_services(date);
        self.network.earliest(&active, sources)
    }

    /// Whether any service runs on `date`.
    pub fn runs_on(&self, date: NaiveDate) -> bool {
        self.timetable().services.iter().any(|s| s.runs_on(date))
    }

    /// Typical seconds from being at stop `board` to arriving at each stop (wait, rides
    /// and changes included); `None` where the stop is not served often enough.
    pub fn typical_rides(&self, board: u32) -> Arc<Vec<Option<u32>>> {
        if let Ok(cache) = self.rides.lock()
            && let Some(r) = cache.get(&board)
        {
            return r.clone();
        }
        let n = self.timetable().stops.len();
        let rides = Arc::new(match &self.typical {
            None => vec![None; n],
            Some(active) => {
                let mut sum = vec![0u64; n];
                let mut served = vec![0u32; n];
                let mut samples = 0u32;
                let mut t = SAMPLE_FROM;
                while t < SAMPLE_TO {
                    let a = self.network.earliest(active, &[(board, t)]);
                    for (s, (sum, served)) in sum.iter_mut().zip(&mut served).enumerate() {
                        if let Some(at) = a.at(s as u32) {
                            *sum += u64::from(at.saturating_sub(t));
                            *served += 1;
                        }
                    }
                    samples += 1;
                    t += SAMPLE_EVERY;
                }
                sum.iter()
                    .zip(&served)
                    .map(|(s, k)| {
                        (f64::from(*k) >= f64::from(samples) * SERVED_SHARE)
                            .then(|| u32::try_from(*s / u64::from((*k).max(1))).unwrap_or(u32::MAX))
                    })
                    .collect()
            }
        });
        if let Ok(mut cache) = self.rides.lock() {
            cache.insert(board, rides.clone());
        }
        rides
    }
}
