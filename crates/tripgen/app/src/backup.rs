//! `tripgen backup` / `tripgen restore`: the platform's online SQLite backup
//! (`tripgen_platform::backup`) for TripGen's embedded store.

use std::path::Path;

use tripgen_platform::Config;
use tripgen_platform::backup::Product;

pub use tripgen_platform::backup::Report;

/// TripGen's store: `tripgen.db`; keys travel in `tripgen_backup_files`.
pub const TRIPGEN: Product = Product {
    name: "tripgen",
    database_file: "tripgen.db",
    files_table: "tripgen_backup_files",
};

/// Writes a consistent copy of the live database (and the generated keys) to `file`.
pub async fn backup(config: &Config, file: &Path, force: bool) -> anyhow::Result<Report> {
    tripgen_platform::backup::backup(&TRIPGEN, config, file, force).await
}

/// Replaces the database (and the generated keys) with the backup in `file`.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<Report> {
    tripgen_platform::backup::restore(&TRIPGEN, config, file).await
}
