//! The gateway target: the public HTTP edge. Forwarding and rate limits are the
//! platform's (shared with HealthSync); compression, the base map tiles and the web app are
//! TripGen's.

pub mod compression;
pub mod tiles;
pub mod web;

pub use tripgen_platform::gateway::{proxy, rate_limit};
