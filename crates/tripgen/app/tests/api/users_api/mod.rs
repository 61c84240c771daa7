//! The user context over real HTTP, on SQLite and PostgreSQL (+ Redis), a file per area.

mod account;
mod registration;
mod sessions;
