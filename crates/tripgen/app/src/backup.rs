//! `tripgen backup` / `tripgen restore`: the platform's online SQLite backup
//! (`tripgen_platform::backup`) for TripGen's embedded store (`tripgen.db`; the generated
//! keys travel in `tripgen_backup_files`).

use std::path::Path;

use crate::config::Config;

pub use tripgen_platform::backup::Report;

/// Writes a consistent copy of the live database (and the generated keys) to `file`.
pub async fn backup(config: &Config, file: &Path, force: bool) -> anyhow::Result<Report> {
    tripgen_platform::backup::backup(&config.platform(), file, force).await
}

/// Replaces the database (and the generated keys) with the backup in `file`.
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<Report> {
    tripgen_platform::backup::restore(&config.platform(), file).await
}
