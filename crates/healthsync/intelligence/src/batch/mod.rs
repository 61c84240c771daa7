//! The daily nudge (spec §8.1, HS-BATCH-010…030): who is falling behind, one
//! `daily_nudge` per user and day, exactly once across replicas under a database lease.

pub mod lagging;
pub mod ports;
pub mod repo;
pub mod run;
pub mod schedule;
pub mod templates;
