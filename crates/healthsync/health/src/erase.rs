//! The Health context's part of account deletion (HS-USER-070, `user-deleted`): links,
//! judged checkups, checkup files (records and objects) and sync counters. Imported
//! anonymised rows stay.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::files::CheckupFiles;
use crate::repo::HealthRepo;

/// Erases the user's health data once per event; `false` for a repeat delivery.
pub async fn erase_user(
    repo: &HealthRepo,
    files: &CheckupFiles,
    user_id: Uuid,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    // Objects first (idempotent deletes): if we stop half-way, the redelivery finds the
    // records still there and deletes the rest.
    for key in repo.file_keys(user_id).await? {
        files.objects.delete(&key).await?;
    }
    Ok(repo.erase_user(user_id, event_id, now).await?)
}
