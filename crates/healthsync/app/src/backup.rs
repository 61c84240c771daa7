//! `healthsync backup` / `healthsync restore`: the platform's online SQLite backup
//! (`tripgen_platform::backup`) for HealthSync's embedded store (`healthsync.db`; the
//! generated keys travel in `healthsync_backup_files`). PostgreSQL deployments use
//! `pg_dump` / the managed server's point-in-time restore.

use std::path::Path;

use tripgen_platform::backup::Report;

use crate::config::HealthSyncConfig;

/// Writes a consistent copy of the live database (and the generated keys) to `file`.
pub async fn backup(config: &HealthSyncConfig, file: &Path, force: bool) -> anyhow::Result<Report> {
    tripgen_platform::backup::backup(&config.platform_config(), file, force).await
}

/// Replaces the database (and the generated keys) with the backup in `file`; refused while
/// a server has the database open.
pub async fn restore(config: &HealthSyncConfig, file: &Path) -> anyhow::Result<Report> {
    tripgen_platform::backup::restore(&config.platform_config(), file).await
}
