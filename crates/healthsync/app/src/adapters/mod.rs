//! Adapters between HealthSync's contexts (in-process in target `all`).

pub mod batch;
pub mod events;
pub mod intelligence;
pub mod profiles;
pub mod profiles_http;
