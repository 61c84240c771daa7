//! The calibrated straight-line adapter: great-circle distance × a detour (circuity) factor
//! ÷ a door-to-door speed, plus fixed minutes for access/waiting (transit) or parking (car).
//! Every number and its source is in `docs/location.md`.

use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::travel::{TravelEstimate, TravelMode, TravelTimeModel};

/// Parameters of one mode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModeProfile {
    /// Moving speed along the route, km/h.
    pub speed_kmh: f64,
    /// Route length ÷ straight-line length.
    pub detour_factor: f64,
    /// Minutes spent not moving along the route: access + egress walk and waiting (transit),
    /// finding a space and walking from it (car). Zero for walking.
    pub fixed_minutes: f64,
}

impl ModeProfile {
    fn metres_per_minute(&self) -> f64 {
        self.speed_kmh * 1000.0 / 60.0
    }

    fn raw_minutes(&self, route_m: f64) -> f64 {
        self.fixed_minutes + route_m / self.metres_per_minute()
    }

    fn reach_m(&self, minutes: f64) -> f64 {
        ((minutes - self.fixed_minutes).max(0.0) * self.metres_per_minute()) / self.detour_factor
    }
}

/// Below this straight-line distance two points are the same place: zero minutes, no parking.
const SAME_PLACE_M: f64 = 1.0;

/// The straight-line model. [`Default`] holds the calibrated numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StraightLineModel {
    pub walk: ModeProfile,
    pub transit: ModeProfile,
    pub car: ModeProfile,
}

impl Default for StraightLineModel {
    fn default() -> Self {
        Self {
            // 4.5 km/h: slightly below healthy adults' comfortable gait (4.6–5.3 km/h,
            // Bohannon 1997) for visitors who stop, look and cross streets.
            walk: ModeProfile {
                speed_kmh: 4.5,
                detour_factor: 1.3,
                fixed_minutes: 0.0,
            },
            // 20 km/h commercial speed (tram/bus 12–20, metro 24–30 km/h), 8 min access +
            // egress walking (≈ 300 m each end) + 5 min expected wait (half a 10-min headway).
            transit: ModeProfile {
                speed_kmh: 20.0,
                detour_factor: 1.25,
                fixed_minutes: 13.0,
            },
            // 22 km/h average city driving (TomTom Traffic Index: London 17–18 km/h over a
            // year, off-peak ~25) and 7 min to park and walk to the door: 5 min search (Shoup's
            // 8.1-min mean comes from streets chosen *because* cruising was bad) + 2 min walk.
            car: ModeProfile {
                speed_kmh: 22.0,
                detour_factor: 1.3,
                fixed_minutes: 7.0,
            },
        }
    }
}

impl StraightLineModel {
    pub fn profile(&self, mode: TravelMode) -> &ModeProfile {
        match mode {
            TravelMode::Walk => &self.walk,
            TravelMode::Transit => &self.transit,
            TravelMode::Car => &self.car,
        }
    }

    fn leg(profile: &ModeProfile, straight_m: f64) -> (f64, f64) {
        let route_m = straight_m * profile.detour_factor;
        (profile.raw_minutes(route_m), route_m)
    }
}

fn to_estimate(minutes: f64, metres: f64) -> TravelEstimate {
    // Both values are finite and non-negative (validated points, positive profiles);
    // `as` saturates, which is the wanted clamp for absurd inputs.
    TravelEstimate {
        minutes: minutes.ceil().max(0.0) as u32,
        metres: metres.round().max(0.0) as u32,
    }
}

impl TravelTimeModel for StraightLineModel {
    fn estimate(&self, from: GeoPoint, to: GeoPoint, mode: TravelMode) -> TravelEstimate {
        let straight = from.haversine_m(&to);
        if straight < SAME_PLACE_M {
            return TravelEstimate::default();
        }
        let (minutes, metres) = Self::leg(self.profile(mode), straight);
        if mode == TravelMode::Transit {
            // A transit rider walks when that is quicker (short hops).
            let (walk_minutes, walk_metres) = Self::leg(&self.walk, straight);
            if walk_minutes <= minutes {
                return to_estimate(walk_minutes, walk_metres);
            }
        }
        to_estimate(minutes, metres)
    }

    fn max_reach_m(&self, mode: TravelMode, minutes: u32) -> f64 {
        let minutes = f64::from(minutes);
        let reach = match mode {
            TravelMode::Transit => self
                .transit
                .reach_m(minutes)
                .max(self.walk.reach_m(minutes)),
            _ => self.profile(mode).reach_m(minutes),
        };
        // A metre of slack so float rounding never cuts a place that is exactly on the edge.
        reach + 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::travel::TravelTimeProvider;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn walking_one_kilometre() {
        let m = StraightLineModel::default();
        // 1 km east at the equator-ish: 0.008993° lon ≈ 1000 m.
        let e = m.estimate(p(0.0, 0.0), p(0.0, 0.008_993), TravelMode::Walk);
        assert_eq!(e.metres, 1300);
        assert_eq!(e.minutes, 18); // 1300 m / 75 m/min = 17.3 → 18
    }

    #[test]
    fn transit_walks_short_hops_and_wins_long_ones() {
        let m = StraightLineModel::default();
        let short = m.estimate(p(0.0, 0.0), p(0.0, 0.004), TravelMode::Transit);
        let walk = m.estimate(p(0.0, 0.0), p(0.0, 0.004), TravelMode::Walk);
        assert_eq!(short, walk);
        let far = m.estimate(p(0.0, 0.0), p(0.0, 0.05), TravelMode::Transit); // ≈ 5.6 km
        assert!(
            far.minutes
                < m.estimate(p(0.0, 0.0), p(0.0, 0.05), TravelMode::Walk)
                    .minutes
        );
        assert!(far.minutes >= 13);
    }

    /// The catalogue index's nearest-first walk and reach grid rely on this.
    #[test]
    fn minutes_never_decrease_with_distance() {
        let m = StraightLineModel::default();
        let origin = p(48.137, 11.575);
        for mode in [TravelMode::Walk, TravelMode::Transit, TravelMode::Car] {
            let mut last = 0;
            for step in 0..6_000 {
                let metres = f64::from(step) * 7.3;
                let to = p(
                    48.137 + (metres / crate::geo::EARTH_RADIUS_M).to_degrees(),
                    11.575,
                );
                let minutes = m.estimate(origin, to, mode).minutes;
                assert!(
                    minutes >= last,
                    "{mode:?} at {metres} m: {minutes} < {last}"
                );
                last = minutes;
            }
        }
    }

    #[test]
    fn car_pays_parking_and_same_place_is_free() {
        let m = StraightLineModel::default();
        let e = m.estimate(p(48.0, 11.0), p(48.001, 11.0), TravelMode::Car);
        assert!(e.minutes >= 7);
        assert_eq!(
            m.estimate(p(48.0, 11.0), p(48.0, 11.0), TravelMode::Car),
            TravelEstimate::default()
        );
    }

    #[test]
    fn reach_is_the_inverse_of_the_estimate() {
        let m = StraightLineModel::default();
        let origin = p(48.137, 11.575);
        for mode in TravelMode::ALL {
            for budget in [10, 30, 60] {
                let reach = m.max_reach_m(mode, budget);
                // A point just inside the reach is within budget; just outside is not.
                if reach > 10.0 {
                    let inside = crate::geo::BoundingBox::around_radius(origin, reach - 5.0);
                    let edge = p(origin.lat(), inside.max_lon);
                    assert!(
                        m.estimate(origin, edge, mode).minutes <= budget,
                        "{mode} {budget}"
                    );
                }
                let outside = crate::geo::BoundingBox::around_radius(origin, reach + 100.0);
                let beyond = p(origin.lat(), outside.max_lon);
                assert!(
                    m.estimate(origin, beyond, mode).minutes > budget,
                    "{mode} {budget}"
                );
            }
        }
    }

    #[test]
    fn matrix_shapes() {
        let m = StraightLineModel::default();
        let pts = [p(48.13, 11.57), p(48.14, 11.58), p(48.15, 11.56)];
        let mx = m.square_matrix(&pts, TravelMode::Walk);
        assert_eq!((mx.rows(), mx.cols()), (3, 3));
        assert_eq!(mx.get(1, 1), Some(TravelEstimate::default()));
        assert_eq!(
            mx.get(0, 2),
            Some(m.estimate(pts[0], pts[2], TravelMode::Walk))
        );
        assert_eq!(mx.get(3, 0), None);
        assert_eq!(mx.row(2).map(<[_]>::len), Some(3));
        let rect = m.matrix(&pts[..1], &pts, TravelMode::Car);
        assert_eq!((rect.rows(), rect.cols()), (1, 3));
    }

    #[test]
    fn async_port_answers_like_the_model() {
        // Poll the ready future by hand: no runtime needed for a blanket-impl'd model.
        use std::pin::pin;
        use std::task::{Context, Poll, Waker};
        let m = StraightLineModel::default();
        let (a, b) = (p(48.13, 11.57), p(48.14, 11.58));
        let mut fut = pin!(m.travel(a, b, TravelMode::Walk));
        let mut cx = Context::from_waker(Waker::noop());
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(Ok(e)) => assert_eq!(e, m.estimate(a, b, TravelMode::Walk)),
            other => panic!("{other:?}"),
        }
    }
}
