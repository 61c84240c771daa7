//! The language-model providers on the platform's outbound HTTP client
//! (`tripgen_platform::outbound`): per-request deadline, one bounded retry of transient
//! failures (timeout, connection error, 429, 5xx; `Retry-After` honoured up to 2 s) with
//! jittered pauses, a response-size cap, and a circuit breaker around the whole (retried)
//! call. Every failure is an `Err` and counts for the breaker: the caller falls back to the
//! deterministic path. Errors never contain the API key or the request URL.

use std::time::{Duration, Instant};

use serde_json::Value;
use tripgen_platform::outbound::{self, BreakerState, BreakerVerdict, SendError};

pub(crate) use outbound::snippet;

/// Largest answer accepted (a constraints answer is well under 10 kB).
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Pause before a retry when the provider does not say how long to wait.
const RETRY_PAUSE: Duration = Duration::from_millis(200);
/// Longest `Retry-After` honoured; a provider asking for more is treated as failed now.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(2);

/// Where and how to reach one provider.
#[derive(Clone)]
pub struct ProviderOptions {
    /// `openai`: up to `/chat/completions`; `anthropic`: up to `/v1/messages`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// OpenAI-compatible only: Azure OpenAI's `api-version` (switches to the `api-key`
    /// header).
    pub azure_api_version: Option<String>,
    /// Deadline of one request (connect + answer).
    pub timeout: Duration,
    pub max_tokens: u32,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// Consecutive failed calls that open the breaker.
    pub failure_threshold: u32,
    /// How long an open breaker refuses calls before one probe.
    pub cooldown: Duration,
}

impl ProviderOptions {
    /// Options with the defaults of `[ai]` (8 s, 1 024 tokens, 1 retry, breaker 5 / 30 s).
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        ProviderOptions {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            azure_api_version: None,
            timeout: Duration::from_millis(8_000),
            max_tokens: 1_024,
            retries: 1,
            failure_threshold: 5,
            cooldown: Duration::from_secs(30),
        }
    }

    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    pub(crate) fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }
}

impl std::fmt::Debug for ProviderOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderOptions")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("azure_api_version", &self.azure_api_version)
            .field("timeout", &self.timeout)
            .field("max_tokens", &self.max_tokens)
            .field("retries", &self.retries)
            .field("failure_threshold", &self.failure_threshold)
            .field("cooldown", &self.cooldown)
            .finish()
    }
}

/// A failed call: every kind counts for the breaker (a refused key or an answer the
/// validation rejects would fail the same way next time).
struct CallError(anyhow::Error);

impl From<SendError> for CallError {
    fn from(e: SendError) -> CallError {
        CallError(e.into())
    }
}

impl BreakerVerdict for CallError {
    fn counts_as_failure(&self) -> bool {
        true
    }
}

/// A provider endpoint guarded by its own breaker.
pub(crate) struct Transport {
    provider: &'static str,
    upstream: outbound::Upstream,
}

impl Transport {
    pub(crate) fn new(provider: &'static str, o: &ProviderOptions) -> anyhow::Result<Self> {
        let mut s =
            outbound::Settings::new(o.timeout, concat!("TripGen/", env!("CARGO_PKG_VERSION")));
        s.retries = o.retries.min(3);
        s.failure_threshold = o.failure_threshold;
        s.cooldown = o.cooldown;
        s.max_body_bytes = MAX_BODY_BYTES;
        s.retry_pause = RETRY_PAUSE;
        s.max_retry_after = MAX_RETRY_AFTER;
        s.retry_too_many_requests = true;
        Ok(Transport {
            provider,
            upstream: outbound::Upstream::new(provider, s)?,
        })
    }

    pub(crate) fn breaker_state(&self) -> BreakerState {
        self.upstream.breaker_state()
    }

    /// POSTs `body` to `url` (with `query` and `headers`) through the breaker and the retry
    /// policy; `extract` turns the 2xx JSON answer into the result. Any failure, including
    /// an answer `extract` refuses, counts for the breaker.
    pub(crate) async fn post(
        &self,
        url: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: &Value,
        extract: impl Fn(Value) -> anyhow::Result<Value>,
    ) -> anyhow::Result<Value> {
        let p = self.provider;
        let started = Instant::now();
        let build = |c: &reqwest::Client| {
            let mut request = c.post(url).json(body);
            if !query.is_empty() {
                request = request.query(query);
            }
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request
        };
        let classify = |reply: outbound::Reply| {
            if !reply.is_success() {
                return Err(CallError(anyhow::anyhow!(
                    "{p}: HTTP {} {}",
                    reply.status,
                    reply.snippet()
                )));
            }
            let answer: Value = reply.json().map_err(|e| {
                CallError(anyhow::anyhow!(
                    "{p}: answer is not JSON ({e}): {}",
                    reply.snippet()
                ))
            })?;
            extract(answer).map_err(|e| CallError(anyhow::anyhow!("{p}: {e}")))
        };
        let (result, outcome) = self.upstream.call(build, classify).await;
        if outcome != outbound::Outcome::ShortCircuited {
            metrics::histogram!("tripgen_llm_call_seconds", "provider" => p)
                .record(started.elapsed().as_secs_f64());
        }
        metrics::counter!("tripgen_llm_calls_total", "provider" => p, "outcome" => outcome.as_str())
            .increment(1);
        if outcome == outbound::Outcome::Failed && self.breaker_state() == BreakerState::Open {
            tracing::warn!(provider = p, "language model circuit open");
        }
        result.map_err(|e| e.0)
    }
}
