//! Trip context (PRODUCT.md §2, TRIP-010..110, server side): trips, members, destinations
//! chained by date, derived status and wizard steps, dashboard and list, schedules with
//! versions and editing, GeoJSON map data, read-only share links.
//!
//! Rooms (the same in every context, see docs/architecture.md): [`http`] the routes by
//! area, [`app`] the use cases by area, [`store`] the storage, [`domain`] the pure rules.
//! Other contexts are reached through the ports in [`ports`]; the composition root wires
//! adapters for them.

pub mod app;
pub mod domain;
pub mod dto;
pub mod http;
pub mod ports;
pub mod store;

pub use app::TripService;
pub use ports::Ports;
pub use store::migrations;
