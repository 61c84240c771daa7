//! `tripgen import gtfs FILE.zip`: reads and checks the feed, links it to the imported
//! city its stops lie in, and stores its timetable (replacing the feed's earlier import).
//! Nothing is written unless every step succeeded.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;
use thiserror::Error;
use tripgen_platform::progress::Progress;

use super::feed::{FeedError, read_feed};
use super::timetable::Timetable;
use crate::store::PlaceStore;

/// The city's box is grown by this much: lines run on beyond a clipped city centre.
const CITY_MARGIN_M: f64 = 3_000.0;

#[derive(Debug, Error)]
pub enum GtfsImportError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: {source}")]
    Feed { file: String, source: FeedError },
    #[error(
        "{file}: no imported city contains most of the feed's {stops} stops; import the \
         city's OpenStreetMap extract first (`tripgen import osm`)"
    )]
    NoCity { file: String, stops: usize },
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GtfsReport {
    pub feed: String,
    pub city_id: String,
    pub city_name: String,
    pub stops: usize,
    /// Stops inside the city's (grown) box.
    pub stops_in_city: usize,
    pub lines: usize,
    pub patterns: usize,
    pub trips: usize,
    pub services: usize,
    /// The day the typical rides are sampled on (the feed's busiest).
    pub typical_day: Option<chrono::NaiveDate>,
    pub catalogue_version: i64,
    pub millis: u64,
}

/// Imports one feed; see the module documentation.
pub async fn import_gtfs(
    store: &PlaceStore,
    now: DateTime<Utc>,
    path: &Path,
    progress: &Progress,
) -> anyhow::Result<GtfsReport> {
    let started = Instant::now();
    let file = path.display().to_string();
    let feed = path
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    progress.set_length(3);
    progress.set_message(format!("reading {feed}"));
    let reader = std::fs::File::open(path).map_err(|source| GtfsImportError::Io {
        file: file.clone(),
        source,
    })?;
    let name = feed.clone();
    let mut timetable = tokio::task::spawn_blocking(move || {
        read_feed(std::io::BufReader::new(reader), &name)
    })
    .await?
    .map_err(|source| GtfsImportError::Feed {
        file: file.clone(),
        source,
    })?;
    progress.inc(1);

    progress.set_message("linking to the imported city");
    let cities = store.cities().await?;
    let (city, inside) = cities
        .iter()
        .map(|c| (c, stops_inside(&timetable, &c.bbox)))
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n * 2 >= timetable.stops.len() && *n > 0)
        .ok_or(GtfsImportError::NoCity {
            file: file.clone(),
            stops: timetable.stops.len(),
        })?;
    timetable.city_id = city.id.clone();
    timetable.city_name = city.name.clone();
    progress.inc(1);

    progress.set_message("storing the timetable");
    let version = store.save_timetable(&timetable, now).await?;
    progress.inc(1);
    let report = GtfsReport {
        feed,
        city_id: timetable.city_id.clone(),
        city_name: timetable.city_name.clone(),
        stops: timetable.stops.len(),
        stops_in_city: inside,
        lines: timetable.lines.len(),
        patterns: timetable.patterns.len(),
        trips: timetable.trip_count(),
        services: timetable.services.len(),
        typical_day: timetable.typical_day(),
        catalogue_version: version,
        millis: started.elapsed().as_millis() as u64,
    };
    progress.finish(format!(
        "{}: {} stops, {} lines, {} trips for {}",
        report.feed, report.stops, report.lines, report.trips, report.city_name
    ));
    Ok(report)
}

fn stops_inside(t: &Timetable, b: &crate::geo::BoundingBox) -> usize {
    let dlat = CITY_MARGIN_M / 111_000.0;
    let dlon = dlat / ((b.min_lat + b.max_lat) / 2.0).to_radians().cos().max(0.01);
    t.stops
        .iter()
        .filter(|s| {
            (b.min_lat - dlat..=b.max_lat + dlat).contains(&s.lat)
                && (b.min_lon - dlon..=b.max_lon + dlon).contains(&s.lon)
        })
        .count()
}
