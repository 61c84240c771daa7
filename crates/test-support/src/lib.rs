//! What both products' HTTP test suites share (a dev-dependency, never linked into a
//! binary): the two storage backends with a fresh PostgreSQL schema per test, the macro
//! that runs one test on both, and a client that calls the app under test with a bearer
//! token. Each product's `tests/api/common` builds its own app on top of these.

mod backend;
mod client;

pub use backend::{Backend, fresh_postgres_schema};
pub use client::Api;
