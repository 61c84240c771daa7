//! OpenAI-compatible chat completions (`POST {base}/chat/completions`): OpenAI, Azure
//! OpenAI (`api-key` header, `?api-version=`), vLLM, Ollama, llama.cpp server, LM Studio.
//! Structured output through `response_format: json_schema` (strict); the answer is
//! `choices[0].message.content`, parsed as JSON.

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::LanguageModel;
use crate::http::{ProviderOptions, Transport};
use tripgen_platform::outbound::BreakerState;

pub struct OpenAiCompatible {
    options: ProviderOptions,
    http: Transport,
    name: &'static str,
}

impl OpenAiCompatible {
    pub fn new(options: ProviderOptions) -> anyhow::Result<Self> {
        let name = if options.azure_api_version.is_some() {
            "azure-openai"
        } else {
            "openai"
        };
        Ok(OpenAiCompatible {
            http: Transport::new(name, &options)?,
            options,
            name,
        })
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.http.breaker_state()
    }

    /// The request body (public for inspection in tests and docs).
    pub fn body(&self, system: &str, user: &str, schema_name: &str, schema: &Value) -> Value {
        json!({
            "model": self.options.model,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user }
            ],
            "max_tokens": self.options.max_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": schema_name,
                    "schema": strict_schema(schema),
                    "strict": true
                }
            }
        })
    }
}

/// OpenAI's strict mode refuses some keywords (length and count bounds); they are removed
/// from what is sent and enforced by the validation of the answer instead.
pub fn strict_schema(schema: &Value) -> Value {
    const DROP: &[&str] = &["maxLength", "minLength", "maxItems", "minItems"];
    match schema {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !DROP.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), strict_schema(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strict_schema).collect()),
        other => other.clone(),
    }
}

/// `choices[0].message.content` as JSON (a surrounding Markdown code fence, which some
/// local models add, is tolerated).
fn content(answer: Value) -> anyhow::Result<Value> {
    let choice = answer
        .pointer("/choices/0")
        .ok_or_else(|| anyhow::anyhow!("answer has no choices"))?;
    if let Some(refusal) = choice.pointer("/message/refusal").and_then(Value::as_str) {
        anyhow::bail!(
            "the model refused: {}",
            crate::http::snippet(refusal.as_bytes())
        );
    }
    if choice.get("finish_reason").and_then(Value::as_str) == Some("length") {
        anyhow::bail!("answer cut off at max_tokens");
    }
    let text = choice
        .pointer("/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow::anyhow!("answer has no message content"))?;
    let trimmed = text.trim();
    let unfenced = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|t| t.strip_suffix("```"))
        .unwrap_or(trimmed);
    let v: Value = serde_json::from_str(unfenced.trim()).map_err(|e| {
        anyhow::anyhow!(
            "content is not JSON ({e}): {}",
            crate::http::snippet(text.as_bytes())
        )
    })?;
    if !v.is_object() {
        anyhow::bail!("content is not a JSON object");
    }
    Ok(v)
}

#[async_trait]
impl LanguageModel for OpenAiCompatible {
    fn name(&self) -> &str {
        self.name
    }

    async fn json(
        &self,
        system: &str,
        user: &str,
        schema_name: &str,
        schema: &Value,
    ) -> anyhow::Result<Value> {
        let o = &self.options;
        let url = o.endpoint("/chat/completions");
        let key = o.api_key.as_deref().filter(|k| !k.trim().is_empty());
        let bearer;
        let mut headers: Vec<(&str, &str)> = Vec::new();
        let mut query: Vec<(&str, &str)> = Vec::new();
        match (&o.azure_api_version, key) {
            (Some(version), key) => {
                query.push(("api-version", version.as_str()));
                if let Some(k) = key {
                    headers.push(("api-key", k));
                }
            }
            (None, Some(k)) => {
                bearer = format!("Bearer {k}");
                headers.push(("authorization", bearer.as_str()));
            }
            (None, None) => {}
        }
        let body = self.body(system, user, schema_name, schema);
        self.http.post(&url, &query, &headers, &body, content).await
    }
}
