//! Adapters between HealthSync's contexts: in-process in target `all`, over `/internal/v1`
//! (`*_http.rs`) when split.

pub mod batch;
pub mod batch_http;
pub mod events;
pub mod intelligence;
pub mod intelligence_http;
pub mod profiles;
pub mod profiles_http;
