//! What the Intelligence context needs from the others: the user's occupation and the
//! latest judged checkup (in-process in `all`, over `/internal/v1` when split).

use std::collections::BTreeMap;

use async_trait::async_trait;
use uuid::Uuid;

#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `false`: nothing of this user goes to an AI provider; the rules answer.
    pub ai_consent: bool,
    pub occupation_code: String,
    pub occupation_tags: Vec<String>,
    /// The latest checkup, if any.
    pub checkup: Option<CheckupFacts>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct CheckupFacts {
    pub checkup_id: Uuid,
    /// Status of each measured scoring group.
    pub groups: BTreeMap<String, String>,
    pub risk_level: String,
    pub health_score: i64,
    pub reference_year: i64,
    /// Penalty of each flagged group (the health score's terms).
    pub penalties: BTreeMap<String, i64>,
    /// The judged items with a status.
    pub items: Vec<ItemFact>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ItemFact {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub value: f64,
    pub unit: String,
    /// `normal`/`warning`/`danger`.
    pub status: String,
    pub group: String,
    /// The normal band as text for the user's sex, e.g. `≤ 119` or `70–99`.
    pub normal_band: String,
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

/// Model calls as the analytics stream sees them (spec §8.2): purpose, provider, outcome
/// and latency, never the content. Recording never waits and never fails the call.
pub trait AiCallLog: Send + Sync {
    fn ai_call(&self, user_id: Uuid, purpose: &str, provider: &str, outcome: &str, latency_ms: i64);
}
