//! `[ai]` (spec §7): which language model writes HealthSync's texts, if any. `none` (the
//! default) means the rules answer everything. The transport (timeouts, retries, circuit
//! breaker) is the shared `llm` crate's.

use std::sync::Arc;
use std::time::Duration;

use llm::{Anthropic, LanguageModel, OpenAiCompatible, ProviderOptions};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    #[default]
    None,
    Anthropic,
    Openai,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiSettings {
    pub provider: Provider,
    /// Anthropic: up to `/v1/messages`; OpenAI-compatible: up to `/chat/completions`.
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Secret (also `HEALTHSYNC_AI__API_KEY_FILE`).
    pub api_key: Option<String>,
    pub timeout_ms: u64,
    /// Extra attempts after a timeout, 429 or 5xx.
    pub retries: u32,
    pub failure_threshold: u32,
    pub cooldown_secs: u64,
    /// Interactive calls give up after this and the rules answer.
    pub deadline_ms: u64,
    /// The batch's template calls give up after this.
    pub batch_deadline_ms: u64,
    pub max_calls_per_minute: u32,
}

impl Default for AiSettings {
    fn default() -> Self {
        AiSettings {
            provider: Provider::None,
            base_url: None,
            model: None,
            api_key: None,
            timeout_ms: 8_000,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            deadline_ms: 6_000,
            batch_deadline_ms: 20_000,
            max_calls_per_minute: 300,
        }
    }
}

impl AiSettings {
    /// The configured model; `Ok(None)` for `none`; an error names the bad key.
    pub fn model(&self) -> anyhow::Result<Option<Arc<dyn LanguageModel>>> {
        let default_base = match self.provider {
            Provider::None => return Ok(None),
            Provider::Anthropic => "https://api.anthropic.com",
            Provider::Openai => "https://api.openai.com/v1",
        };
        let model = self
            .model
            .clone()
            .filter(|m| !m.trim().is_empty())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "invalid configuration `ai.model`: required when ai.provider is set"
                )
            })?;
        let mut o = ProviderOptions::new(
            self.base_url
                .clone()
                .unwrap_or_else(|| default_base.to_string()),
            model,
        );
        o.api_key = self.api_key.clone().filter(|k| !k.trim().is_empty());
        o.timeout = Duration::from_millis(self.timeout_ms);
        o.retries = self.retries;
        o.failure_threshold = self.failure_threshold;
        o.cooldown = Duration::from_secs(self.cooldown_secs);
        Ok(Some(match self.provider {
            Provider::Anthropic => Arc::new(Anthropic::new(o)?),
            _ => Arc::new(OpenAiCompatible::new(o)?),
        }))
    }

    pub fn deadline(&self) -> Duration {
        Duration::from_millis(self.deadline_ms)
    }
}
