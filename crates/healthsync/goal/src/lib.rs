//! HealthSync's Goal context: goals of 1–5 missions, daily check-offs per local day,
//! streaks, points, celebrations, history and statistics, resets (spec §2.3).

pub mod completions_repo;
pub mod domain;
pub mod dto;
pub mod history;
pub mod history_cache;
pub mod http;
pub mod internal;
pub mod ports;
pub mod repo;
pub mod service;

use tripgen_platform::db::ContextMigrations;

/// The Goal context's tables (versions 13xxx), SQLite and PostgreSQL.
pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "goal",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}
