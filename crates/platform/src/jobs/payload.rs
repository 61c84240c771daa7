//! Payloads shared by the context that enqueues a job and the one that runs it (the
//! queue is the contract between them, so its messages live here, not in either).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an `ai-schedule-generation` job plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "scope")]
pub enum GenerationScope {
    /// Every day of the trip, as one new version.
    Trip,
    /// One day (1-based); the other days stay and their places are not reused.
    Day { day: u32 },
}

/// An `ai-schedule-generation` job: generate (or regenerate) a trip's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleGeneration {
    pub trip_id: Uuid,
    pub owner_id: Uuid,
    /// Daily start time `HH:MM` (10-minute steps).
    pub start_time: String,
    /// Free text, ≤ 500 characters.
    #[serde(default)]
    pub special_requests: String,
    #[serde(flatten)]
    pub scope: GenerationScope,
    /// Seed of the planner's search (regenerations use a new one to get a new plan).
    #[serde(default)]
    pub seed: u64,
}
