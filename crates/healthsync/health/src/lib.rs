//! HealthSync's Health context: checkup items and ranges, evaluation, NHIS import,
//! linking users to checkup data, checkups and checkup files.

pub mod domain;
pub mod erase;
pub mod files;
pub mod http;
pub mod internal;
pub mod nhis;
pub mod ports;
pub mod ranges_repo;
pub mod repo;
pub mod service;
pub mod sync_limit;

use tripgen_platform::db::ContextMigrations;

/// The Health context's tables (versions 12xxx), SQLite and PostgreSQL.
pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "health",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}
