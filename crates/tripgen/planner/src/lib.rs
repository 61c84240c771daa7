//! TripGen planner: the itinerary engine.
//!
//! - [`toptw`]: a generic Team Orienteering Problem with Time Windows solver (ALNS + SA);
//! - [`itinerary`]: turns trip days, places and a group profile into solver instances and
//!   the solutions back into day plans, plus an independent plan validator;
//! - [`bench`]: the TOPTW benchmark harness (the only module that reads files).
//!
//! The crate is pure: no I/O outside [`bench`], deterministic for a given seed and
//! iteration limit.

pub mod bench;
pub mod itinerary;
pub mod rng;
pub mod toptw;
