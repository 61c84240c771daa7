//! Itinerary layer: trip days + places + group → TOPTW instance → day plans.
//!
//! Entry points: [`plan_trip`], [`replan_day`], [`validate_plan`]; travel times come from a
//! [`TravelModel`] ([`StraightLine`] built in).

pub mod build;
pub mod candidates;
pub mod category;
pub mod explain;
pub mod group_rules;
pub mod hours_check;
pub mod journey;
pub mod journey_links;
pub mod model;
pub mod modes;
pub mod plan;
pub mod sea;
pub mod synthetic;
pub mod travel;
pub mod validator;
pub mod validator_journey;
pub mod validator_travel;
pub mod variety;
pub mod weather;
pub mod zones;

pub use category::{Category, Interest};
pub use journey::{Journey, JourneyEnd, JourneyKind, JourneyMode, JourneyModel};
pub use journey_links::{FerryLink, Hub, JourneyLinks, JourneyVia};
pub use model::*;
pub use plan::{PlanError, plan_trip, replan_day};
pub use travel::{LegEstimate, StraightLine, TravelModel, haversine_m};
pub use validator::{Violation, validate_plan};
pub use validator_journey::{DayStay, validate_journeys};
pub use validator_travel::validate_travel;

#[cfg(test)]
mod tests;
