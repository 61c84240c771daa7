//! HealthSync's HTTP integration tests: the real app over HTTP on SQLite and PostgreSQL.

mod common;

mod analytics_api;
mod backup_restore;
mod batch_api;
mod batch_paging;
mod chat_api;
mod dev_issuer;
mod diagnosis_api;
mod goals_api;
mod goals_history_api;
mod goals_support;
mod health_api;
mod oidc_sign_in;
mod platform_api;
mod split_contexts;
mod split_targets;
mod users_api;
