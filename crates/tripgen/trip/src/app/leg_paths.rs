//! The street path of every leg, stored with the plan (issue 17): when a day is saved
//! (generated, regenerated, edited) each leg gets its way along the streets from the
//! travel port — the same model that timed it, step-free for a group with a `limited`
//! member — simplified to a few metres. The route GeoJSON, the web map and the exports
//! read the stored path; only days saved before paths were stored are routed again when
//! drawn.

use crate::app::TripService;
use crate::domain::model::{Health, LatLon, TripRecord};
use crate::domain::route;
use crate::domain::schedule::{DayPlan, Stop, leg_points};

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

    /// Fills every leg's `path` (replacing what an earlier order left there).
    pub(crate) async fn attach_leg_paths(&self, days: &mut [DayPlan], step_free: bool) {
        for d in days.iter_mut() {
            let stops: Vec<&Stop> = d.stops.iter().collect();
            let points = leg_points(d.start.position, &stops, d.end.position);
            let paths = futures::future::join_all(d.legs.iter().enumerate().map(|(i, leg)| {
                let ends = points.get(i).copied();
                // A leg that does not move (around a journey) has nothing to draw.
                let still = leg.metres == 0;
                async move {
                    if still {
                        return None;
                    }
                    self.routed_path(ends, leg.mode, step_free).await
                }
            }))
            .await;
            for (leg, path) in d.legs.iter_mut().zip(paths) {
                leg.path = path.map(|p| stored(&p));
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
