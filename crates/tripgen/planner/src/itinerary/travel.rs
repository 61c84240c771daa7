//! Travel times between points: the [`TravelModel`] trait (the caller may plug in a real
//! routing matrix) and the built-in [`StraightLine`] model used by tests and benches.

use serde::{Deserialize, Serialize};

use super::model::{LatLon, Mode};

/// Door-to-door estimate for one leg.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegEstimate {
    /// Total minutes including access, waiting and parking.
    pub minutes: f64,
    /// Distance travelled (network metres or an estimate of them).
    pub metres: f64,
}

/// Gives travel time and distance between two points for a mode; `None` = not possible.
/// Implementations must be deterministic.
pub trait TravelModel: Sync {
    fn estimate(&self, from: LatLon, to: LatLon, mode: Mode) -> Option<LegEstimate>;

    /// Estimates between every ordered pair of `points`, row-major (`points.len()²`
    /// cells, the diagonal included). A router answers it with one many-to-many query;
    /// the default asks [`TravelModel::estimate`] pair by pair.
    fn matrix(&self, points: &[LatLon], mode: Mode) -> Vec<Option<LegEstimate>> {
        points
            .iter()
            .flat_map(|a| points.iter().map(move |b| self.estimate(*a, *b, mode)))
            .collect()
    }

    /// The same model for a group whose walks keep off stairs (a `limited` member);
    /// `None` when the model knows no stairs (the straight line): plan with `self`.
    fn step_free(&self) -> Option<Box<dyn TravelModel + '_>> {
        None
    }
}

/// Great-circle distance in metres: the workspace's one distance function.
pub use platform_geo::haversine_m;

/// Straight-line model: haversine × detour factor at a constant speed per mode, plus fixed
/// access/wait minutes for transit, parking minutes for car and pick-up minutes for taxi.
/// The default numbers and their sources are documented in docs/planner.md.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StraightLine {
    /// Network distance / straight-line distance in cities.
    pub detour: f64,
    pub walk_kmh: f64,
    pub transit_kmh: f64,
    /// Walking to/from stops plus average wait (half the headway).
    pub transit_fixed_min: f64,
    pub car_kmh: f64,
    /// Finding a space and walking from it.
    pub car_parking_min: f64,
    pub taxi_kmh: f64,
    /// Waiting for the pick-up.
    pub taxi_wait_min: f64,
}

impl Default for StraightLine {
    fn default() -> Self {
        StraightLine {
            detour: 1.3,
            walk_kmh: 4.5,
            transit_kmh: 18.0,
            transit_fixed_min: 10.0,
            car_kmh: 24.0,
            car_parking_min: 8.0,
            taxi_kmh: 24.0,
            taxi_wait_min: 5.0,
        }
    }
}

impl TravelModel for StraightLine {
    fn estimate(&self, from: LatLon, to: LatLon, mode: Mode) -> Option<LegEstimate> {
        let metres = haversine_m(from, to) * self.detour;
        if !metres.is_finite() {
            return None;
        }
        let at = |kmh: f64| metres / 1000.0 / kmh * 60.0;
        let minutes = match mode {
            Mode::Walk => at(self.walk_kmh),
            _ if metres < 1.0 => 0.0,
            Mode::Transit => at(self.transit_kmh) + self.transit_fixed_min,
            Mode::Car => at(self.car_kmh) + self.car_parking_min,
            Mode::Taxi => at(self.taxi_kmh) + self.taxi_wait_min,
        };
        Some(LegEstimate { minutes, metres })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_one_degree_latitude() {
        let d = haversine_m(LatLon { lat: 0.0, lon: 0.0 }, LatLon { lat: 1.0, lon: 0.0 });
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn modes_are_ordered_sensibly() {
        let m = StraightLine::default();
        let a = LatLon {
            lat: 48.137,
            lon: 11.575,
        };
        let b = LatLon {
            lat: 48.150,
            lon: 11.575,
        };
        let walk = m.estimate(a, b, Mode::Walk).unwrap();
        let transit = m.estimate(a, b, Mode::Transit).unwrap();
        let car = m.estimate(a, b, Mode::Car).unwrap();
        assert!(walk.minutes > transit.minutes);
        assert!(car.minutes < walk.minutes);
        assert_eq!(walk.metres, transit.metres);
        let same = m.estimate(a, a, Mode::Car).unwrap();
        assert_eq!(same.minutes, 0.0);
    }
}
