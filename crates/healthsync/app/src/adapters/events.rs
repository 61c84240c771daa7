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
use tripgen_platform::internal::InternalClient;
use tripgen_platform::jobs::event::envelope_of;
use tripgen_platform::jobs::{Job, JobContext, JobError, JobHandler};
use uuid::Uuid;

pub const USER_DELETED: &str = "user-deleted";

pub struct UserDeleted {
    pub health: HealthRepo,
    pub files: Arc<CheckupFiles>,
    /// The goal and intelligence contexts' erasure: their stores in target `all`, their
    /// targets' `/internal/v1` when split.
    pub others: Vec<Arc<dyn EraseUser>>,
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
        for other in &self.others {
            other
                .erase_user(user_id)
                .await
                .map_err(|e| JobError::Retry(format!("{} erase: {e:#}", other.context())))?;
        }
        Ok(Some(
            serde_json::json!({ "health": if health { "erased" } else { "already" } }),
        ))
    }
}

/// One more context's share of a deleted user's data (idempotent).
#[async_trait]
pub trait EraseUser: Send + Sync {
    fn context(&self) -> &'static str;
    async fn erase_user(&self, user_id: Uuid) -> anyhow::Result<()>;
}

#[async_trait]
impl EraseUser for healthsync_goal::service::GoalService {
    fn context(&self) -> &'static str {
        "goal"
    }
    async fn erase_user(&self, user_id: Uuid) -> anyhow::Result<()> {
        Ok(healthsync_goal::service::GoalService::erase_user(self, user_id).await?)
    }
}

#[async_trait]
impl EraseUser for healthsync_intelligence::repo::IntelligenceRepo {
    fn context(&self) -> &'static str {
        "intelligence"
    }
    async fn erase_user(&self, user_id: Uuid) -> anyhow::Result<()> {
        Ok(healthsync_intelligence::repo::IntelligenceRepo::erase_user(self, user_id).await?)
    }
}

/// A context on another target: `DELETE /internal/v1/<context>/users/{id}`.
pub struct HttpEraser {
    pub context: &'static str,
    pub client: InternalClient,
}

#[async_trait]
impl EraseUser for HttpEraser {
    fn context(&self) -> &'static str {
        self.context
    }
    async fn erase_user(&self, user_id: Uuid) -> anyhow::Result<()> {
        let path = match self.context {
            "goal" => format!("/internal/v1/goals/users/{user_id}"),
            _ => format!("/internal/v1/{}/users/{user_id}", self.context),
        };
        self.client.delete(&path).await?;
        Ok(())
    }
}
