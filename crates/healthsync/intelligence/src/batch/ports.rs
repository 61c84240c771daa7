//! What the batch reads from the goal and user contexts, in bulk.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use uuid::Uuid;

use super::lagging::UserWindow;

#[derive(Debug, Clone)]
pub struct Recipient {
    pub active: bool,
    pub notifications_enabled: bool,
    pub language: String,
    pub occupation_code: String,
}

#[async_trait]
pub trait BatchSource: Send + Sync + 'static {
    /// Every user with a goal overlapping [from, to], with completions in it.
    async fn windows(&self, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<UserWindow>>;
    async fn recipients(&self) -> anyhow::Result<HashMap<Uuid, Recipient>>;
    /// One user's window (the home screen's encouragement).
    async fn user_window(
        &self,
        user_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> anyhow::Result<Option<UserWindow>>;
}
