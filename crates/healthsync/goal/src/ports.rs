//! What the Goal context needs from the Intelligence context: the missions a
//! recommendation offered, and fresh recommendations after a reset (in-process in
//! `all`, over `/internal/v1` when split).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A catalogue mission's facts, snapshotted into the goal when it is set.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MissionFacts {
    pub id: String,
    pub title_ko: String,
    pub title_en: String,
    pub description_ko: String,
    pub description_en: String,
    pub category: String,
    pub difficulty: String,
    pub minutes: i64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Offer {
    pub created_at: DateTime<Utc>,
    pub missions: Vec<MissionFacts>,
}

#[async_trait]
pub trait Recommendations: Send + Sync + 'static {
    /// The user's recommendation `id` (`None` if unknown or someone else's).
    async fn offer(&self, user_id: Uuid, id: Uuid) -> anyhow::Result<Option<Offer>>;
    /// New recommendations without `excluded`, rendered in `language` as the API's
    /// `Recommendation` object.
    async fn after_reset(
        &self,
        user_id: Uuid,
        excluded: &[String],
        language: &str,
    ) -> anyhow::Result<serde_json::Value>;
}
