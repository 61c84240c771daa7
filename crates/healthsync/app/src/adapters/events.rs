//! Event consumers run by the job workers (targets `all`, `intelligence`): each event kind
//! is one job kind; its handler fans out to the contexts that consume it, each recording
//! `processed_events` so a redelivery changes nothing (§8.2).
//!
//! `user-registered`, `health-synced` and `mission-completed` are consumed by the
//! intelligence context (`healthsync_intelligence::consumers`: welcome, `checkup_synced` and
//! celebration notifications); its caches are keyed by their inputs, so a new checkup needs
//! no explicit drop.

use std::sync::Arc;

use async_trait::async_trait;
use healthsync_health::files::CheckupFiles;
use healthsync_health::repo::HealthRepo;
use serde_json::Value;
use tripgen_platform::SharedClock;
use tripgen_platform::jobs::event::envelope_of;
use tripgen_platform::jobs::{Job, JobContext, JobError, JobHandler};

pub const USER_DELETED: &str = "user-deleted";

pub struct UserDeleted {
    pub health: HealthRepo,
    pub files: Arc<CheckupFiles>,
    /// The goal and intelligence contexts' stores where they run in this process.
    pub goals: Option<healthsync_goal::repo::GoalRepo>,
    pub intelligence: Option<healthsync_intelligence::repo::IntelligenceRepo>,
    pub clock: SharedClock,
}

#[async_trait]
impl JobHandler for UserDeleted {
    fn kind(&self) -> &'static str {
        USER_DELETED
    }

    async fn run(&self, job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let envelope = envelope_of(&job.payload)
            .ok_or_else(|| JobError::Permanent("not an event envelope".into()))?;
        let user_id = envelope
            .user_id
            .ok_or_else(|| JobError::Permanent("user-deleted without userId".into()))?;
        let now = self.clock.now();
        let health = healthsync_health::erase::erase_user(
            &self.health,
            &self.files,
            user_id,
            envelope.event_id,
            now,
        )
        .await
        .map_err(|e| JobError::Retry(format!("health erase: {e:#}")))?;
        // Deleting is idempotent: a redelivery finds nothing left to erase.
        if let Some(goals) = &self.goals {
            goals
                .erase_user(user_id)
                .await
                .map_err(|e| JobError::Retry(format!("goal erase: {e:#}")))?;
        }
        if let Some(intelligence) = &self.intelligence {
            intelligence
                .erase_user(user_id)
                .await
                .map_err(|e| JobError::Retry(format!("intelligence erase: {e:#}")))?;
        }
        Ok(Some(
            serde_json::json!({ "health": if health { "erased" } else { "already" } }),
        ))
    }
}
