//! The street path of every leg, stored with the plan (issue 17): when a day is saved
//! (generated, regenerated, edited) each leg gets its way along the streets from the
//! travel port — the same model that timed it, step-free for a group with a `limited`
//! member — simplified to a few metres. The route GeoJSON, the web map and the exports
//! read the stored path; only days saved before paths were stored are routed again when
//! drawn.

use crate::app::TripService;
use crate::domain::model::{Health, LatLon, TripRecord};
use crate::domain::route;
use crate::domain::schedule::{DayPlan, Mode, Stop, leg_points};
use crate::ports::TransitJourney;

/// Whether the group's walks keep off stairs: a `limited` member (the planner's
/// `prefer_step_free` rule).
pub(crate) fn step_free(r: &TripRecord) -> bool {
    r.members.iter().any(|m| m.health_status == Health::Limited)
}

/// `[lon, lat]` to 1e-6° (≈ 0.1 m): the stored form.
fn stored(points: &[LatLon]) -> Vec<[f64; 2]> {
    let round = |v: f64| (v * 1e6).round() / 1e6;
    route::simplify(points, route::SIMPLIFY_M)
        .into_iter()
        .map(|p| [round(p.lon), round(p.lat)])
        .collect()
}

fn drawn(path: &[[f64; 2]]) -> Vec<LatLon> {
    path.iter()
        .map(|[lon, lat]| LatLon {
            lat: *lat,
            lon: *lon,
        })
        .collect()
}

impl TripService {
    /// The street path of one leg from the travel port (`None`: straight line only).
    async fn routed_path(
        &self,
        ends: Option<(LatLon, LatLon)>,
        mode: crate::domain::schedule::Mode,
        step_free: bool,
    ) -> Option<Vec<LatLon>> {
        let (from, to) = ends?;
        match self
            .ports
            .travel_times
            .path(from, to, mode, step_free)
            .await
        {
            Ok(line) => line.filter(|l| l.len() >= 2),
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "leg path unavailable");
                None
            }
        }
    }

    /// Fills every leg's `path` (replacing what an earlier order left there), and for a
    /// public-transport leg a timetable covers, the journey from the leg's departure: its
    /// lines, stops and times — kept only when it arrives within the minutes the plan gave
    /// the leg (the plan's times hold; otherwise the headway estimate stands, unnamed).
    pub(crate) async fn attach_leg_paths(&self, days: &mut [DayPlan], step_free: bool) {
        for d in days.iter_mut() {
            let stops: Vec<&Stop> = d.stops.iter().collect();
            let points = leg_points(d.start.position, &stops, d.end.position);
            let date = d.date;
            let found = futures::future::join_all(d.legs.iter().enumerate().map(|(i, leg)| {
                let ends = points.get(i).copied();
                // A leg that does not move (around a journey) has nothing to draw.
                let still = leg.metres == 0;
                let (mode, depart, budget) = (leg.mode, leg.depart, leg.minutes);
                async move {
                    if still {
                        return (None, None);
                    }
                    if mode == Mode::Transit
                        && let Some(j) = self
                            .timed_transit(ends, date, depart, budget, step_free)
                            .await
                    {
                        return (Some(j.path.clone()), Some(j));
                    }
                    (self.routed_path(ends, mode, step_free).await, None)
                }
            }))
            .await;
            for (leg, (path, journey)) in d.legs.iter_mut().zip(found) {
                leg.path = path.filter(|p| p.len() >= 2).map(|p| stored(&p));
                leg.line = journey.as_ref().map(|j| {
                    let mut names: Vec<&str> = j.rides.iter().map(|r| r.line.as_str()).collect();
                    names.dedup();
                    names.join(", ")
                });
                leg.rides = journey.map(|j| j.rides).unwrap_or_default();
            }
        }
    }

    /// The timetable journey of a public-transport leg, if one fits the leg's minutes.
    async fn timed_transit(
        &self,
        ends: Option<(LatLon, LatLon)>,
        date: chrono::NaiveDate,
        depart: u32,
        budget: u32,
        step_free: bool,
    ) -> Option<TransitJourney> {
        let (from, to) = ends?;
        match self
            .ports
            .travel_times
            .transit_journey(from, to, date, depart, step_free)
            .await
        {
            Ok(Some(j)) if j.minutes <= budget && !j.rides.is_empty() => Some(j),
            Ok(Some(j)) => {
                tracing::debug!(
                    minutes = j.minutes,
                    budget,
                    "timetable journey longer than the planned leg; not named"
                );
                None
            }
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "timetable journey unavailable");
                None
            }
        }
    }

    /// The street shape of every leg to draw, simplified: the stored path, else (days saved
    /// before paths were stored) the travel port's, else none (a straight line: a map without
    /// streets is better than no map).
    pub(crate) async fn leg_shapes(&self, plans: &[DayPlan], step_free: bool) -> route::LegShapes {
        let mut out = Vec::with_capacity(plans.len());
        for d in plans {
            let stops: Vec<&Stop> = d.stops.iter().collect();
            let points = leg_points(d.start.position, &stops, d.end.position);
            let shapes = futures::future::join_all(d.legs.iter().enumerate().map(|(i, leg)| {
                let ends = points.get(i).copied();
                async move {
                    match leg.path.as_deref().filter(|p| p.len() >= 2) {
                        Some(path) => Some(drawn(path)),
                        None => self
                            .routed_path(ends, leg.mode, step_free)
                            .await
                            .map(|p| drawn(&stored(&p))),
                    }
                }
            }))
            .await;
            out.push(shapes);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_paths_are_simplified_lon_lat_pairs() {
        let line: Vec<LatLon> = (0..=10)
            .map(|i| LatLon {
                lat: 48.137 + f64::from(i) * 1e-4,
                lon: 11.575 + 1e-9 * f64::from(i),
            })
            .collect();
        let s = stored(&line);
        // A straight street keeps its two ends, in GeoJSON order.
        assert_eq!(s, vec![[11.575, 48.137], [11.575, 48.138]]);
        assert_eq!(drawn(&s)[1].lat, 48.138);
    }
}
