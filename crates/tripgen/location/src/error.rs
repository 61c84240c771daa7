//! Typed errors of the Location core.
//!
//! Import errors always name the file: an operator importing a folder of extracts needs to
//! know which one is broken. Validation errors carry the request field they refer to, so
//! the HTTP layer can map them to a 400 body without string parsing.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// A whole file could not be read. Broken *records* never produce this: they are skipped
/// and reported through `ImportEvent::Skipped`.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a readable OSM PBF file: {message}")]
    Pbf { path: PathBuf, message: String },
    #[error("{path} is not valid JSON: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path} is not a GeoJSON FeatureCollection: {message}")]
    NotFeatureCollection { path: PathBuf, message: String },
    #[error(
        "{path}: data block {block} is corrupt, so nothing of this file was imported \
         (give --allow-partial to import the blocks that can be read)"
    )]
    BrokenBlock { path: PathBuf, block: u64 },
    #[error("{path}: unsupported file type (expected .osm.pbf, .pbf, .geojson or .json)")]
    UnsupportedFormat { path: PathBuf },
}

impl ImportError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn pbf(path: &Path, message: impl Into<String>) -> Self {
        Self::Pbf {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. }
            | Self::Pbf { path, .. }
            | Self::Json { path, .. }
            | Self::NotFeatureCollection { path, .. }
            | Self::BrokenBlock { path, .. }
            | Self::UnsupportedFormat { path } => path,
        }
    }
}

/// Invalid input to a query or a domain constructor, tied to the offending field.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ValidationError {
    #[error("{field}: coordinate {value} is out of range")]
    CoordinateOutOfRange { field: String, value: f64 },
    #[error("{field}: budget {value} min is not allowed (use 10, 30 or 60)")]
    BudgetNotAllowed { field: String, value: i64 },
    #[error("{field}: unknown category '{value}'")]
    UnknownCategory { field: String, value: String },
    #[error("{field}: unknown value '{value}'")]
    UnknownValue { field: String, value: String },
    #[error("{field}: must not be empty")]
    Empty { field: String },
    #[error("{field}: {value} is out of range {min}..={max}")]
    OutOfRange {
        field: String,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("{field}: cursor is invalid or belongs to another query")]
    InvalidCursor { field: String },
}

impl ValidationError {
    /// Name of the request field the error refers to.
    pub fn field(&self) -> &str {
        match self {
            Self::CoordinateOutOfRange { field, .. }
            | Self::BudgetNotAllowed { field, .. }
            | Self::UnknownCategory { field, .. }
            | Self::UnknownValue { field, .. }
            | Self::Empty { field }
            | Self::OutOfRange { field, .. }
            | Self::InvalidCursor { field } => field,
        }
    }
}
