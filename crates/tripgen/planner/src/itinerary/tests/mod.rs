//! Rule tests of the itinerary layer (fast, debug-mode friendly), by topic: what a
//! group gets, which places a plan holds, what the validator catches.

mod groups;
mod places;
mod validation;

use std::collections::HashSet;

use super::category::Category;
use super::model::*;
use super::plan::{plan_trip, replan_day};
use super::synthetic;
use super::travel::{StraightLine, haversine_m};
use super::validator::validate_plan;

const CENTRE: LatLon = LatLon {
    lat: 48.137,
    lon: 11.575,
};

pub(super) fn request(health: &[Health], n_days: usize, seed: u64) -> TripRequest {
    let first = Date {
        year: 2026,
        month: 6,
        day: 1,
    };
    let days = synthetic::days(first, n_days, CENTRE);
    let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
    TripRequest {
        candidates: synthetic::city(seed, CENTRE, 400, 2500.0, &dates),
        days,
        group: GroupProfile {
            members: health.iter().map(|&health| Member { health }).collect(),
        },
        transport: Transport::Public,
        interests: vec![],
        constraints: Constraints::default(),
        options: PlanOptions {
            seed: 1,
            max_iterations: 150,
            time_limit_ms: 5_000,
            max_candidates: 0,
        },
    }
}

fn plan_ok(req: &TripRequest) -> TripPlan {
    let plan = plan_trip(req, &StraightLine::default()).unwrap();
    let violations = validate_plan(req, &plan);
    assert!(violations.is_empty(), "{violations:#?}");
    plan
}

fn visits(day: &DayPlan) -> usize {
    day.stops
        .iter()
        .filter(|s| s.kind == StopKind::Visit)
        .count()
}
