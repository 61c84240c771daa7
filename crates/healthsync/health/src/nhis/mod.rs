//! The NHIS "건강검진정보" yearly CSV: columns, encodings, rows and the importer (spec §4.3).

pub mod columns;
pub mod encoding;
pub mod import;
pub mod row;
pub mod store;

pub use import::{ImportError, ImportOptions, ImportReport, Progress, import_reader};
