//! The language-model port shared by both products (spec §7): one call,
//! `LanguageModel::json(system, user, schema_name, schema)`, answered by the Anthropic
//! Messages API or an OpenAI-compatible chat-completions server. Callers validate every
//! answer like user input and fall back to their deterministic path on any failure.

pub mod anthropic;
pub mod http;
pub mod openai;

use async_trait::async_trait;
use serde_json::Value;

pub use anthropic::Anthropic;
pub use http::ProviderOptions;
pub use openai::OpenAiCompatible;
pub use tripgen_platform::outbound::BreakerState;

/// A chat model that answers with JSON following a schema.
#[async_trait]
pub trait LanguageModel: Send + Sync + 'static {
    /// Provider name for logs and metrics.
    fn name(&self) -> &str;
    async fn json(
        &self,
        system: &str,
        user: &str,
        schema_name: &str,
        schema: &Value,
    ) -> anyhow::Result<Value>;
}
