//! The gateway target: the public HTTP edge. Forwarding and rate limits are the
//! platform's (shared with HealthSync); compression and the web app are TripGen's.

pub mod compression;
pub mod web;

pub use tripgen_platform::gateway::{proxy, rate_limit};
