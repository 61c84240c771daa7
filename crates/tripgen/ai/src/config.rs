//! `[ai]`: the AI context's configuration section (env `TRIPGEN_AI__<KEY>`) and its rules:
//! the optional language-model provider and the generation workers.

use serde::{Deserialize, Serialize};
use tripgen_platform::config::ConfigError;

/// `ai.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum AiProviderKind {
    /// No language model: the deterministic request parser and template texts (the
    /// embedded default).
    #[default]
    #[serde(rename = "none")]
    None,
    /// An OpenAI-compatible chat-completions API (OpenAI, Azure OpenAI, vLLM, Ollama,
    /// llama.cpp server …).
    #[serde(rename = "openai")]
    OpenAi,
    /// The Anthropic Messages API.
    #[serde(rename = "anthropic")]
    Anthropic,
}

impl AiProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AiProviderKind::None => "none",
            AiProviderKind::OpenAi => "openai",
            AiProviderKind::Anthropic => "anthropic",
        }
    }

    /// The provider's public endpoint, used when `ai.base_url` is not set.
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            AiProviderKind::None => None,
            AiProviderKind::OpenAi => Some("https://api.openai.com/v1"),
            AiProviderKind::Anthropic => Some("https://api.anthropic.com"),
        }
    }
}

/// `[ai]` — env `TRIPGEN_AI__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiConfig {
    /// `none` (default), `openai` (any OpenAI-compatible chat-completions API) or `anthropic`.
    pub provider: AiProviderKind,
    /// API base URL. `openai`: the part before `/chat/completions`, e.g.
    /// `https://api.openai.com/v1` (default), `http://localhost:11434/v1` (Ollama),
    /// `https://{resource}.openai.azure.com/openai/deployments/{deployment}` (Azure).
    /// `anthropic`: the part before `/v1/messages` (default `https://api.anthropic.com`).
    pub base_url: Option<String>,
    /// Model name (`gpt-4o-mini`, `claude-…`, the model a local server loaded). Required
    /// when a provider is set.
    pub model: Option<String>,
    /// API key (secret; also `TRIPGEN_AI__API_KEY_FILE`). Sent as `Authorization: Bearer`
    /// (OpenAI-compatible), `api-key` (Azure) or `x-api-key` (Anthropic). Required for
    /// `anthropic`, for Azure and for the public OpenAI endpoint; local servers need none.
    pub api_key: Option<String>,
    /// Azure OpenAI: the `api-version` query parameter (e.g. `2024-10-21`); setting it
    /// switches to Azure's `api-key` header.
    pub azure_api_version: Option<String>,
    /// Per-request timeout (connect + answer), milliseconds, 100–120000.
    pub timeout_ms: u64,
    /// Upper bound of the answer's tokens, 16–32000.
    pub max_tokens: u32,
    /// Extra attempts after a timeout, connection error, 429 or 5xx answer (0–3).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit breaker (≥ 1).
    pub failure_threshold: u32,
    /// Seconds an open circuit short-circuits calls before one probe (1–3600).
    pub cooldown_secs: u64,
    /// Jobs (generations, notifications) one process of the `all`/`ai` target runs at
    /// once (1–64).
    pub worker_concurrency: usize,
    /// Search time of the planner per city plan, milliseconds (10–60000). The search stops
    /// at this limit or its iteration budget, whichever comes first; a larger limit makes
    /// plans independent of the machine's load (the tests use one).
    pub planner_time_limit_ms: u64,
}

impl Default for AiConfig {
    fn default() -> Self {
        AiConfig {
            provider: AiProviderKind::None,
            base_url: None,
            model: None,
            api_key: None,
            azure_api_version: None,
            timeout_ms: 8_000,
            max_tokens: 1_024,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            worker_concurrency: 4,
            planner_time_limit_ms: 200,
        }
    }
}

impl AiConfig {
    /// Rules of `[ai]` that types alone cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let a = self;
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if let Some(u) = &a.base_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ConfigError::new(
                "ai.base_url",
                "must be an http:// or https:// URL",
            ));
        }
        if !(100..=120_000).contains(&a.timeout_ms) {
            return Err(ConfigError::new(
                "ai.timeout_ms",
                "must be between 100 and 120000",
            ));
        }
        if !(16..=32_000).contains(&a.max_tokens) {
            return Err(ConfigError::new(
                "ai.max_tokens",
                "must be between 16 and 32000",
            ));
        }
        if a.retries > 3 {
            return Err(ConfigError::new("ai.retries", "must be between 0 and 3"));
        }
        if a.failure_threshold == 0 {
            return Err(ConfigError::new("ai.failure_threshold", "must be ≥ 1"));
        }
        if !(1..=3_600).contains(&a.cooldown_secs) {
            return Err(ConfigError::new(
                "ai.cooldown_secs",
                "must be between 1 and 3600",
            ));
        }
        if !(10..=60_000).contains(&a.planner_time_limit_ms) {
            return Err(ConfigError::new(
                "ai.planner_time_limit_ms",
                "must be between 10 and 60000",
            ));
        }
        if !(1..=64).contains(&a.worker_concurrency) {
            return Err(ConfigError::new(
                "ai.worker_concurrency",
                "must be between 1 and 64",
            ));
        }
        if a.azure_api_version.is_some() && blank(&a.azure_api_version) {
            return Err(ConfigError::new(
                "ai.azure_api_version",
                "must not be empty when set",
            ));
        }
        if a.provider == AiProviderKind::None {
            return Ok(());
        }
        let provider = a.provider.as_str();
        if blank(&a.model) {
            return Err(ConfigError::new(
                "ai.model",
                format!("required when ai.provider = {provider}"),
            ));
        }
        match a.provider {
            AiProviderKind::Anthropic if a.azure_api_version.is_some() => {
                return Err(ConfigError::new(
                    "ai.azure_api_version",
                    "only for ai.provider = openai (Azure OpenAI)",
                ));
            }
            AiProviderKind::Anthropic if blank(&a.api_key) => {
                return Err(ConfigError::new(
                    "ai.api_key",
                    "required when ai.provider = anthropic",
                ));
            }
            AiProviderKind::OpenAi if a.azure_api_version.is_some() && a.base_url.is_none() => {
                return Err(ConfigError::new(
                    "ai.base_url",
                    "required for Azure OpenAI (…/openai/deployments/{deployment})",
                ));
            }
            AiProviderKind::OpenAi
                if blank(&a.api_key) && (a.base_url.is_none() || a.azure_api_version.is_some()) =>
            {
                return Err(ConfigError::new(
                    "ai.api_key",
                    "required for the public OpenAI endpoint and for Azure OpenAI",
                ));
            }
            _ => {}
        }
        Ok(())
    }
}
