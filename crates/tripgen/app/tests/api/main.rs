//! The app's integration tests, one module per area, linked into one test binary:
//! each binary links the whole app (~240 MB in a debug build), so twelve of them cost
//! CI gigabytes of disk and minutes of linking for nothing. Run one area with
//! `cargo test -p tripgen --test api trips_api::`.

#[macro_use]
mod common;

mod backup_restore;
mod changes_api;
mod compression_api;
mod download_import;
mod export_api;
mod export_basemap_api;
mod gazetteer_api;
mod generation_api;
mod job_queue;
mod journeys_api;
mod journeys_links;
mod languages_api;
mod locations_api;
mod platform_api;
mod regenerations_api;
mod requests_api;
mod requests_api_city;
mod response_shapes;
mod split_mode;
mod texts_agree;
mod tiles_api;
mod trips_api;
mod trips_with_locations;
mod users_api;
mod weather_default;
