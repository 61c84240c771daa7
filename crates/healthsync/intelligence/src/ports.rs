//! What the Intelligence context needs from the others: the user's occupation and the
//! latest judged checkup (in-process in `all`, over `/internal/v1` when split).

use std::collections::BTreeMap;

use async_trait::async_trait;
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub occupation_code: String,
    pub occupation_tags: Vec<String>,
    /// The latest checkup, if any.
    pub checkup: Option<CheckupFacts>,
}

#[derive(Debug, Clone, Default)]
pub struct CheckupFacts {
    pub checkup_id: Uuid,
    /// Status of each measured scoring group.
    pub groups: BTreeMap<String, String>,
    pub risk_level: String,
}

pub enum FactsState {
    Active(Facts),
    /// The profile is not complete: these fields are missing.
    Incomplete(Vec<String>),
    Unknown,
}

#[async_trait]
pub trait SubjectFacts: Send + Sync + 'static {
    async fn facts(&self, user_id: Uuid) -> anyhow::Result<FactsState>;
}
