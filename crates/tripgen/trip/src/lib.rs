//! Trip context (PRODUCT.md §2, TRIP-010..110, server side): trips, members, destinations
//! chained by date, derived status and wizard steps, dashboard and list, schedules with
//! versions and editing, GeoJSON map data, read-only share links.
//!
//! Other contexts are reached through the ports in [`ports`]; the composition root wires
//! adapters for them.

pub mod ai_api;
pub mod changes;
mod changes_http;
pub mod domain;
pub mod dto;
pub mod export;
mod export_http;
mod export_map;
pub mod generation;
mod generation_http;
pub mod http;
mod input;
mod localize;
pub mod notices;
pub mod ports;
pub mod repo;
pub mod schedules;
pub mod service;
pub mod views;

pub use ports::Ports;
pub use repo::migrations;
pub use service::TripService;
