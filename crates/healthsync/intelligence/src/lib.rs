//! HealthSync's Intelligence context: the mission catalogue and the rule-based
//! recommendation (HS-AI-020). The AI providers, diagnosis, chat and notifications
//! plug in here next (spec §7).

pub mod ai;
pub mod batch;
pub mod batch_http;
pub mod chat;
pub mod chat_repo;
pub mod consumers;
pub mod diagnose;
pub mod diagnosis_repo;
pub mod domain;
pub mod encouragement;
pub mod http;
pub mod notifications;
pub mod ports;
pub mod recommendations;
pub mod repo;

use tripgen_platform::db::ContextMigrations;

/// The Intelligence context's tables (versions 14xxx), SQLite and PostgreSQL.
pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "intelligence",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}
