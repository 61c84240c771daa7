//! HealthSync's User context: OIDC sign-in (authorization code + PKCE), sessions and
//! tokens through the platform, profiles, occupations, settings, account deletion.

pub mod domain;
pub mod dto;
pub mod http;
pub mod internal;
pub mod oidc;
pub mod repo;
pub mod service;

pub use service::{ProfileFacts, UserService};

use tripgen_platform::db::ContextMigrations;

/// The User context's tables (versions 11xxx), SQLite and PostgreSQL.
pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "user",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}
