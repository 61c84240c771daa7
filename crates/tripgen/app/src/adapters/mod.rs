//! Adapters that connect contexts: each implements one context's port with another
//! context's service (in-process) or its HTTP API (split mode).

pub mod ai_location_http;
pub mod ai_location_local;
pub mod ai_trip_local;
pub mod ai_users;
pub mod ai_weather;
pub mod ai_workers;
pub mod location_api;
pub mod travel_points;
pub mod trip_basemap;
pub mod trip_location_http;
pub mod trip_location_local;
pub mod trip_weather;

use tripgen_location::{Category, TravelMode};
use tripgen_planner::itinerary::Mode;

/// The location context's travel mode for an itinerary mode: a taxi drives like a car
/// (parking time is over-counted by a few minutes).
pub fn travel_mode(mode: Mode) -> TravelMode {
    match mode {
        Mode::Walk => TravelMode::Walk,
        Mode::Transit => TravelMode::Transit,
        Mode::Car | Mode::Taxi => TravelMode::Car,
    }
}

/// The planner's category name for a catalogue category.
pub fn planner_category(c: Category) -> &'static str {
    match c {
        // The planner has no separate entertainment kind; zoos, theatres and the like are
        // visited like attractions.
        Category::Entertainment => "attraction",
        other => other.as_str(),
    }
}
