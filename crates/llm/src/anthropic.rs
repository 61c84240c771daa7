//! The Anthropic Messages API (`POST {base}/v1/messages`, `x-api-key`,
//! `anthropic-version: 2023-06-01`). Structured output through one forced tool whose
//! `input_schema` is the schema; the answer is the `tool_use` block's `input`.

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::LanguageModel;
use crate::http::{ProviderOptions, Transport};
use tripgen_platform::outbound::BreakerState;

pub const ANTHROPIC_VERSION: &str = "2023-06-01";

pub struct Anthropic {
    options: ProviderOptions,
    http: Transport,
}

impl Anthropic {
    pub fn new(options: ProviderOptions) -> anyhow::Result<Self> {
        if options
            .api_key
            .as_deref()
            .is_none_or(|k| k.trim().is_empty())
        {
            anyhow::bail!("anthropic: an API key is required");
        }
        Ok(Anthropic {
            http: Transport::new("anthropic", &options)?,
            options,
        })
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.http.breaker_state()
    }

    /// The request body (public for inspection in tests and docs).
    pub fn body(&self, system: &str, user: &str, schema_name: &str, schema: &Value) -> Value {
        json!({
            "model": self.options.model,
            "max_tokens": self.options.max_tokens,
            "system": system,
            "messages": [ { "role": "user", "content": user } ],
            "tools": [ {
                "name": schema_name,
                "description": "Record the structured answer.",
                "input_schema": schema
            } ],
            "tool_choice": { "type": "tool", "name": schema_name }
        })
    }
}

/// The `input` of the `tool_use` block calling `tool`.
fn tool_input(answer: Value, tool: &str) -> anyhow::Result<Value> {
    if answer.get("stop_reason").and_then(Value::as_str) == Some("max_tokens") {
        anyhow::bail!("answer cut off at max_tokens");
    }
    let blocks = answer
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow::anyhow!("answer has no content blocks"))?;
    let input = blocks
        .iter()
        .find(|b| {
            b.get("type").and_then(Value::as_str) == Some("tool_use")
                && b.get("name").and_then(Value::as_str) == Some(tool)
        })
        .and_then(|b| b.get("input"))
        .ok_or_else(|| anyhow::anyhow!("answer has no `{tool}` tool call"))?;
    if !input.is_object() {
        anyhow::bail!("tool input is not a JSON object");
    }
    Ok(input.clone())
}

#[async_trait]
impl LanguageModel for Anthropic {
    fn name(&self) -> &str {
        "anthropic"
    }

    async fn json(
        &self,
        system: &str,
        user: &str,
        schema_name: &str,
        schema: &Value,
    ) -> anyhow::Result<Value> {
        let o = &self.options;
        let url = o.endpoint("/v1/messages");
        let key = o.api_key.as_deref().unwrap_or_default();
        let headers = [("x-api-key", key), ("anthropic-version", ANTHROPIC_VERSION)];
        let body = self.body(system, user, schema_name, schema);
        self.http
            .post(&url, &[], &headers, &body, |v| tool_input(v, schema_name))
            .await
    }
}
