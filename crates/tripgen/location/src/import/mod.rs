//! Streaming import of OSM data into [`Place`]s and gazetteer [`CityEntry`]s.
//!
//! Readers push [`ImportEvent`]s into a callback as they go, so memory stays bounded by one
//! file block (PBF) or one feature (GeoJSON) plus, for PBF, the coordinates of the nodes
//! that interesting ways reference. A broken record is skipped and reported; only a file
//! that cannot be read at all is an [`ImportError`].

mod areas;
mod geojson;
mod mapping;
mod pbf;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ImportError;
use crate::gazetteer::CityEntry;
use crate::place::{ElementRef, Place};

pub use geojson::read_geojson_file;
pub use pbf::read_osm_file;

/// Why an element did not become a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SkipReason {
    /// Tags do not map to any category (streets, offices, bus stops …).
    NotInteresting,
    /// Interesting tags but no `name`.
    NoName,
    /// Missing, non-numeric or out-of-range coordinates.
    BadCoordinates,
    /// A way whose nodes are all missing from the extract (cut by the bounding box).
    MissingWayNodes,
    /// An interesting, named relation that does not outline an area (a route, a site):
    /// multipolygon and building relations are imported, other relation types are not.
    UnsupportedRelation,
    /// A GeoJSON feature whose OSM element type cannot be told (the raw tag `type` overwrote it).
    UnknownElementType,
    /// The record itself is damaged (invalid UTF-8, wrong JSON shape, bad string index …).
    BrokenRecord,
    /// A whole PBF data block failed to decompress or decode; its elements are lost.
    BrokenBlock,
}

/// Progress of a running import; `pass` counts from 1 (PBF reads the file three times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub pass: u8,
    pub passes: u8,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub places: u64,
}

/// What a reader reports while streaming.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportEvent {
    Place(Box<Place>),
    City(CityEntry),
    Skipped {
        reason: SkipReason,
        element: Option<ElementRef>,
    },
    Progress(ImportProgress),
}

/// File formats the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FileFormat {
    OsmPbf,
    GeoJson,
}

impl FileFormat {
    /// By file name: `*.pbf` (incl. `*.osm.pbf`), `*.geojson`, `*.json`.
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".pbf") {
            Some(FileFormat::OsmPbf)
        } else if name.ends_with(".geojson") || name.ends_with(".json") {
            Some(FileFormat::GeoJson)
        } else {
            None
        }
    }
}

/// Totals of one file import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub file: PathBuf,
    pub format: FileFormat,
    /// OSM elements (PBF, last pass) or features (GeoJSON) looked at.
    pub records_read: u64,
    /// Records without any tag (way vertices): not places, not counted as skipped.
    pub untagged: u64,
    pub places: u64,
    pub cities: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    pub opening_hours_tagged: u64,
    pub opening_hours_malformed: u64,
    /// File snapshot date, when the file states it.
    pub snapshot_at: Option<DateTime<Utc>>,
    pub elapsed: Duration,
}

impl ImportSummary {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    pub fn skipped(&self, reason: SkipReason) -> u64 {
        self.skipped.get(&reason).copied().unwrap_or(0)
    }
}

/// Reads any supported file, chosen by extension.
pub fn import_file(
    path: &Path,
    on_event: &mut impl FnMut(ImportEvent),
) -> Result<ImportSummary, ImportError> {
    import_file_with(path, ReadOptions::default(), on_event)
}

/// How forgiving a read is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Import the readable blocks of a `.osm.pbf` with corrupt ones (each counted as
    /// skipped) instead of failing the file. Off by default: a damaged download must not
    /// silently become a catalogue missing a fifth of its places.
    pub allow_partial: bool,
}

/// [`import_file`] with explicit [`ReadOptions`].
pub fn import_file_with(
    path: &Path,
    options: ReadOptions,
    on_event: &mut impl FnMut(ImportEvent),
) -> Result<ImportSummary, ImportError> {
    match FileFormat::from_path(path) {
        Some(FileFormat::OsmPbf) => read_osm_file(path, options, on_event),
        Some(FileFormat::GeoJson) => read_geojson_file(path, on_event),
        None => Err(ImportError::UnsupportedFormat {
            path: path.to_path_buf(),
        }),
    }
}

/// Short dataset label stored in each [`SourceRecord`](crate::place::SourceRecord).
pub(crate) fn dataset_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Counts what it forwards, so every reader reports the same totals the same way.
pub(crate) struct Emitter<'a, F: FnMut(ImportEvent)> {
    sink: &'a mut F,
    summary: ImportSummary,
    started: Instant,
}

impl<'a, F: FnMut(ImportEvent)> Emitter<'a, F> {
    pub(crate) fn new(sink: &'a mut F, file: &Path, format: FileFormat) -> Self {
        Self {
            sink,
            summary: ImportSummary {
                file: file.to_path_buf(),
                format,
                records_read: 0,
                untagged: 0,
                places: 0,
                cities: 0,
                skipped: BTreeMap::new(),
                opening_hours_tagged: 0,
                opening_hours_malformed: 0,
                snapshot_at: None,
                elapsed: Duration::ZERO,
            },
            started: Instant::now(),
        }
    }

    pub(crate) fn record(&mut self) {
        self.summary.records_read += 1;
    }

    pub(crate) fn untagged(&mut self) {
        self.summary.untagged += 1;
    }

    pub(crate) fn set_snapshot(&mut self, at: Option<DateTime<Utc>>) {
        self.summary.snapshot_at = at;
    }

    pub(crate) fn snapshot(&self) -> Option<DateTime<Utc>> {
        self.summary.snapshot_at
    }

    pub(crate) fn place(&mut self, place: Place) {
        self.summary.places += 1;
        if !place.opening_hours.is_missing() {
            self.summary.opening_hours_tagged += 1;
        }
        if place.opening_hours.is_malformed() {
            self.summary.opening_hours_malformed += 1;
        }
        (self.sink)(ImportEvent::Place(Box::new(place)));
    }

    pub(crate) fn city(&mut self, city: CityEntry) {
        self.summary.cities += 1;
        (self.sink)(ImportEvent::City(city));
    }

    pub(crate) fn skip(&mut self, reason: SkipReason, element: Option<ElementRef>) {
        *self.summary.skipped.entry(reason).or_insert(0) += 1;
        (self.sink)(ImportEvent::Skipped { reason, element });
    }

    pub(crate) fn progress(&mut self, pass: u8, passes: u8, bytes_read: u64, bytes_total: u64) {
        let places = self.summary.places;
        (self.sink)(ImportEvent::Progress(ImportProgress {
            pass,
            passes,
            bytes_read,
            bytes_total,
            places,
        }));
    }

    pub(crate) fn finish(mut self) -> ImportSummary {
        self.summary.elapsed = self.started.elapsed();
        self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(
            FileFormat::from_path(Path::new("a/munchen.osm.pbf")),
            Some(FileFormat::OsmPbf)
        );
        assert_eq!(
            FileFormat::from_path(Path::new("cafes.JSON")),
            Some(FileFormat::GeoJson)
        );
        assert_eq!(
            FileFormat::from_path(Path::new("x.geojson")),
            Some(FileFormat::GeoJson)
        );
        assert_eq!(FileFormat::from_path(Path::new("x.osm")), None);
    }

    #[test]
    fn unsupported_file_names_the_path() {
        let err = import_file(Path::new("/tmp/data.csv"), &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("/tmp/data.csv"));
    }
}
