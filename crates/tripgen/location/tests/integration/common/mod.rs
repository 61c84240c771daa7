//! Shared helpers for the tests that read the real OSM data the repository ships in `data/`.
//!
//! The data root is `$TRIPGEN_DATA_ROOT`, else the repository's `data/` (`../../../data` from
//! this crate, which lives at `crates/tripgen/location`).
//! Missing data is a test FAILURE with a message, never a silent pass.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tripgen_location::gazetteer::{CityEntry, Gazetteer, GazetteerBuilder};
use tripgen_location::import::{ImportEvent, ImportSummary, SkipReason, import_file};
use tripgen_location::place::{ElementRef, Place};

pub fn data_root() -> PathBuf {
    let root = std::env::var_os("TRIPGEN_DATA_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data"));
    assert!(
        root.join("osm").is_dir(),
        "real OSM test data not found at {} — the repository ships it under data/ (or set TRIPGEN_DATA_ROOT); \
         these tests must not be skipped",
        root.display()
    );
    root
}

pub fn osm(relative: &str) -> PathBuf {
    let path = data_root().join("osm").join(relative);
    assert!(path.is_file(), "missing data file {}", path.display());
    path
}

pub struct Imported {
    pub places: Vec<Place>,
    pub cities: Vec<CityEntry>,
    pub skipped: Vec<(SkipReason, Option<ElementRef>)>,
    pub progress_events: usize,
    pub summary: ImportSummary,
}

impl Imported {
    pub fn place(&self, id: &str) -> &Place {
        self.places
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap_or_else(|| panic!("place {id} not imported"))
    }

    pub fn gazetteer(&self) -> Gazetteer {
        let mut b = GazetteerBuilder::new();
        for c in &self.cities {
            b.add_city(c.clone());
        }
        for p in &self.places {
            b.add_place(p);
        }
        b.build()
    }
}

pub fn import(path: &Path) -> Imported {
    let (mut places, mut cities, mut skipped, mut progress_events) =
        (Vec::new(), Vec::new(), Vec::new(), 0);
    let summary = import_file(path, &mut |event| match event {
        ImportEvent::Place(p) => places.push(*p),
        ImportEvent::City(c) => cities.push(c),
        ImportEvent::Skipped { reason, element } => skipped.push((reason, element)),
        ImportEvent::Progress(_) => progress_events += 1,
    })
    .unwrap_or_else(|e| panic!("import failed: {e}"));
    Imported {
        places,
        cities,
        skipped,
        progress_events,
        summary,
    }
}

/// A file in the system temp dir, removed on drop.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str, bytes: &[u8]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("tripgen-location-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write temp file");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
