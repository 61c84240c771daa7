//! AI context (PRODUCT.md §3): the generation jobs that join trip, location and planner
//! (analyse → weather → places → optimise → save, with progress), day regeneration,
//! the deterministic special-request parser, and language-model providers.
//!
//! Other contexts are reached through [`ports`]; the composition root wires adapters
//! (in-process or HTTP). This crate depends on the platform and the planner only.

pub mod generation;
pub mod llm;
pub mod plan_input;
pub mod ports;
pub mod progress;
pub mod requests;

pub use generation::{GenerationHandler, Tuning, handlers};
pub use ports::AiPorts;
