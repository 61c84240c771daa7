//! What the plan-level benches (`bench realism`, `bench requests`) share: a fresh catalogue
//! of an OSM folder in a throwaway data dir, and the trip they plan (two adults in good
//! health, culture and sightseeing, public transport, a hotel at the city centre).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use tripgen_ai::ports::{MemberFacts, Stay, TripFacts};
use tripgen_location::LocationService;
use tripgen_planner::itinerary::{Health, Interest, LatLon, Transport};
use tripgen_platform::progress::{Progress, Unit};
use tripgen_platform::{Platform, SystemClock};

use crate::config::Config;

/// Builds the platform of `config`, migrates, and imports `osm` (a file or a folder).
/// `bench` names the bench in the progress line. The platform is returned for closing.
pub async fn fresh_catalogue(
    config: &Config,
    osm: &Path,
    bench: &str,
) -> anyhow::Result<(Arc<Platform>, Arc<LocationService>)> {
    let platform = Arc::new(Platform::build(config.platform(), Arc::new(SystemClock)).await?);
    crate::app::migrate(&platform).await?;
    let files: Vec<PathBuf> = if osm.is_dir() {
        tripgen_location::importer::data_files(osm)
    } else {
        vec![osm.to_path_buf()]
    };
    let service = Arc::new(LocationService::new(
        platform.clone(),
        &config.location.travel,
    ));
    eprintln!(
        "{bench}: importing {} file(s) from {}",
        files.len(),
        osm.display()
    );
    let importing = Progress::new("importing", None, Unit::Bytes);
    service.import(&files, &importing).await?;
    importing.finish("");
    Ok((platform, service))
}

/// The benches' trip: `nights` nights in `city` from `first`, staying at its centre.
pub fn couple_trip(
    city: &str,
    centre: LatLon,
    time_zone: &str,
    first: NaiveDate,
    nights: u64,
) -> TripFacts {
    let adult = MemberFacts {
        age: 38,
        health: Health::Good,
        interests: vec![Interest::Culture, Interest::Sightseeing],
    };
    TripFacts {
        id: uuid::Uuid::nil(),
        owner_id: uuid::Uuid::nil(),
        name: format!("{nights} nights in {city}"),
        transport: Transport::Public,
        members: vec![adult.clone(), adult],
        stays: vec![Stay {
            destination_id: uuid::Uuid::nil(),
            city: city.to_owned(),
            time_zone: time_zone.to_owned(),
            centre,
            lodging: centre,
            lodging_name: format!("Hotel in {city}"),
            start_date: first,
            end_date: first + chrono::Days::new(nights),
            check_in: 15 * 60,
            check_out: 11 * 60,
        }],
        arrival: None,
        departure: None,
        generation_request_id: None,
        missing: vec![],
        links: vec![],
    }
}
