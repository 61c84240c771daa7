//! The embedded street router: a street graph built from each imported `.osm.pbf`
//! ([`build`]), stored in the catalogue database ([`codec`], `road_graphs` table),
//! preprocessed into a contraction hierarchy when loaded ([`router`]) and offered to the
//! whole product as one travel-time model with the straight line as fallback ([`model`]).
//! See docs/location.md, *Street graph and travel model*.

/// Provider name of answers from the embedded street router (`GET /locations/routes`).
pub const EMBEDDED: &str = "embedded";

pub mod build;
pub mod codec;
pub mod graph;
pub mod matrix;
pub mod model;
pub mod profile;
pub mod router;
pub mod shared;
pub mod store;
pub mod timetabled;

pub use build::build_road_graph;
pub use graph::{RoadGraph, RoadMode};
pub use model::{RoutedTravel, Timed, TransitConstants};
pub use router::{Metric, Router, SNAP_MAX_M, Snap};
pub use shared::SharedRoads;
pub use timetabled::{TransitJourney, TransitRide};

#[cfg(test)]
mod tests;
