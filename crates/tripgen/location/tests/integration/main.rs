//! The location context's integration tests (real OSM data, protocol fakes of the
//! external providers), one module per area, linked into one test binary to keep CI's
//! disk and link time down. Run one area with
//! `cargo test -p tripgen-location --test integration providers_osrm::`.

mod common;
mod fakes;

mod broken_files;
mod fuzz_import;
mod import_geojson;
mod import_pbf;
mod nearby_real;
mod providers_google;
mod providers_osrm;
mod providers_resilience;
mod providers_weather;
