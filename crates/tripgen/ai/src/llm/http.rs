//! The HTTP side shared by both providers: one `reqwest` client per provider with a
//! per-request deadline, one bounded retry of transient failures (timeout, connection
//! error, 429, 5xx; `Retry-After` honoured up to 2 s), a response-size cap, and a circuit
//! breaker around the whole (retried) call. Every failure is an `Err`: the caller falls
//! back to the deterministic path. Errors never contain the API key or the request URL.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::breaker::{BreakerState, CircuitBreaker};

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

/// One attempt's failure: transient ones are retried.
enum Failure {
    Transient(anyhow::Error, Option<Duration>),
    Final(anyhow::Error),
}

/// A provider endpoint guarded by its own breaker.
pub(crate) struct Transport {
    provider: &'static str,
    client: reqwest::Client,
    timeout: Duration,
    retries: u32,
    breaker: CircuitBreaker,
}

impl Transport {
    pub(crate) fn new(provider: &'static str, o: &ProviderOptions) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(o.timeout)
            .user_agent(concat!("TripGen/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| anyhow::anyhow!("{provider}: cannot build HTTP client: {e}"))?;
        Ok(Transport {
            provider,
            client,
            timeout: o.timeout,
            retries: o.retries.min(3),
            breaker: CircuitBreaker::new(o.failure_threshold, o.cooldown),
        })
    }

    pub(crate) fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
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
        let provider = self.provider;
        let Some(permit) = self.breaker.acquire() else {
            outcome(provider, "short_circuited");
            anyhow::bail!("{provider}: circuit open (recent calls failed); not called");
        };
        let started = Instant::now();
        let result = match self.send_with_retry(url, query, headers, body).await {
            Ok(v) => extract(v).map_err(|e| anyhow::anyhow!("{provider}: {e}")),
            Err(e) => Err(e),
        };
        metrics::histogram!("tripgen_llm_call_seconds", "provider" => provider)
            .record(started.elapsed().as_secs_f64());
        match &result {
            Ok(_) => {
                permit.success();
                outcome(provider, "ok");
            }
            Err(e) => {
                if permit.failure() {
                    tracing::warn!(provider, error = %e, "language model circuit opened");
                }
                outcome(provider, "failed");
            }
        }
        result
    }

    async fn send_with_retry(
        &self,
        url: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: &Value,
    ) -> anyhow::Result<Value> {
        let mut attempt = 0;
        loop {
            match self.send_once(url, query, headers, body).await {
                Ok(v) => return Ok(v),
                Err(Failure::Transient(e, wait)) if attempt < self.retries => {
                    let pause = wait.unwrap_or(RETRY_PAUSE);
                    if pause > MAX_RETRY_AFTER {
                        return Err(e.context(format!(
                            "{}: asked to wait {} ms before retrying",
                            self.provider,
                            pause.as_millis()
                        )));
                    }
                    attempt += 1;
                    tracing::debug!(provider = self.provider, attempt, error = %e, "retrying");
                    tokio::time::sleep(pause).await;
                }
                Err(Failure::Transient(e, _) | Failure::Final(e)) => return Err(e),
            }
        }
    }

    async fn send_once(
        &self,
        url: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Result<Value, Failure> {
        let p = self.provider;
        let ms = self.timeout.as_millis();
        let mut request = self.client.post(url).timeout(self.timeout).json(body);
        if !query.is_empty() {
            request = request.query(query);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let transport = |e: reqwest::Error| {
            let e = e.without_url();
            let what = if e.is_timeout() {
                format!("{p}: no answer within {ms} ms")
            } else {
                format!("{p}: request failed: {e}")
            };
            Failure::Transient(anyhow::anyhow!(what), None)
        };
        // reqwest's timeout covers connect, headers and body; the outer guard also bounds
        // a server that trickles bytes.
        let fetch = async {
            let mut response = request.send().await.map_err(transport)?;
            let status = response.status();
            let wait = retry_after(response.headers());
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(transport)? {
                if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(Failure::Final(anyhow::anyhow!(
                        "{p}: answer larger than {MAX_BODY_BYTES} bytes"
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok((status, wait, bytes))
        };
        let (status, wait, bytes) =
            tokio::time::timeout(self.timeout, fetch)
                .await
                .map_err(|_| {
                    Failure::Transient(anyhow::anyhow!("{p}: no answer within {ms} ms"), None)
                })??;
        if !status.is_success() {
            let e = anyhow::anyhow!("{p}: HTTP {} {}", status.as_u16(), snippet(&bytes));
            return Err(if status.as_u16() == 429 || status.is_server_error() {
                Failure::Transient(e, wait)
            } else {
                Failure::Final(e)
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            Failure::Final(anyhow::anyhow!(
                "{p}: answer is not JSON ({e}): {}",
                snippet(&bytes)
            ))
        })
    }
}

fn outcome(provider: &'static str, outcome: &'static str) {
    metrics::counter!("tripgen_llm_calls_total", "provider" => provider, "outcome" => outcome)
        .increment(1);
}

/// `retry-after-ms` (OpenAI, Azure) or `Retry-After` in seconds.
fn retry_after(h: &reqwest::header::HeaderMap) -> Option<Duration> {
    let num = |name: &str| {
        h.get(name)?
            .to_str()
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    if let Some(ms) = num("retry-after-ms") {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    num("retry-after").map(Duration::from_secs_f64)
}

/// The first characters of a body, for error messages.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        s.push('…');
    }
    s
}
