//! AI context (PRODUCT.md §3): the generation jobs that join trip, location and planner
//! (analyse → weather → places → optimise → save, with progress), day regeneration,
//! the deterministic special-request parser, language-model providers, recommendations
//! for a place in a trip (AI-020) and the D-1 notification jobs.
//!
//! Other contexts are reached through [`ports`]; the composition root wires adapters
//! (in-process or HTTP). This crate depends on the platform and the planner only.

pub mod config;
pub mod day_wishes;
pub mod generation;
pub mod http;
pub mod journeys;
pub mod llm;
pub mod notify;
pub mod plan_input;
pub mod ports;
pub mod progress;
pub mod recommend;
pub mod requests;
pub mod wished_places;

pub use generation::{GenerationHandler, Tuning, handlers};
pub use ports::AiPorts;
