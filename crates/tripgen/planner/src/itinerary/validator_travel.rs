//! The validator's travel check: every leg of a plan is timed again with the travel model
//! the product runs on (the street router where a graph exists) and must not be faster
//! than it. Kept apart from [`super::validator`], which checks a plan against its request
//! alone.

use super::model::{LatLon, TripPlan};
use super::travel::TravelModel;
use super::validator::Violation;

/// Minutes a leg may be quicker than the model (both round up separately).
const ROUNDING_MIN: f64 = 1.0;

pub fn validate_travel(plan: &TripPlan, travel: &dyn TravelModel) -> Vec<Violation> {
    let mut out = Vec::new();
    for day in &plan.days {
        let mut points: Vec<LatLon> = vec![day.start.position];
        points.extend(day.stops.iter().map(|s| s.position));
        points.push(day.end.position);
        for (i, leg) in day.legs.iter().enumerate() {
            let (Some(from), Some(to)) = (points.get(i), points.get(i + 1)) else {
                continue;
            };
            let violation = |rule: &str, message: String| Violation {
                day: Some(day.day_index),
                rule: rule.to_string(),
                message,
            };
            match travel.estimate(*from, *to, leg.mode) {
                None => out.push(violation(
                    "LEG_NO_ROUTE",
                    format!("leg {i} ({:?}) has no route in the travel model", leg.mode),
                )),
                Some(e) if f64::from(leg.minutes) + ROUNDING_MIN < e.minutes => {
                    out.push(violation(
                        "LEG_TOO_FAST",
                        format!(
                            "leg {i} ({:?}) takes {} min, the travel model needs {:.0}",
                            leg.mode, leg.minutes, e.minutes
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itinerary::model::Health;
    use crate::itinerary::plan_trip;
    use crate::itinerary::tests::request;
    use crate::itinerary::travel::StraightLine;

    #[test]
    fn plans_pass_and_a_shortened_leg_is_caught() {
        let req = request(&[Health::Good, Health::Caution], 2, 3);
        let model = StraightLine::default();
        let mut plan = plan_trip(&req, &model).unwrap();
        assert!(validate_travel(&plan, &model).is_empty());
        let slower = StraightLine {
            walk_kmh: 1.0,
            transit_kmh: 2.0,
            car_kmh: 2.0,
            taxi_kmh: 2.0,
            ..StraightLine::default()
        };
        assert!(!validate_travel(&plan, &slower).is_empty());
        let day = plan
            .days
            .iter_mut()
            .find(|d| d.legs.iter().any(|l| l.minutes > 3));
        let leg = day
            .unwrap()
            .legs
            .iter_mut()
            .find(|l| l.minutes > 3)
            .unwrap();
        leg.minutes = 0;
        let v = validate_travel(&plan, &model);
        assert!(v.iter().any(|v| v.rule == "LEG_TOO_FAST"), "{v:?}");
    }
}
