//! Outbound HTTP, one way for every adapter of both products (routing and weather
//! providers, language models, …): one `reqwest` client per upstream with a per-request
//! deadline, a bounded retry of transient failures (timeout, connection error, 5xx, and 429
//! where the upstream asks for it) with jittered pauses and `Retry-After` honoured up to a
//! bound, a response-size cap, and a circuit breaker around the whole (retried) call.
//!
//! The adapter decides what an answer means: [`Upstream::call`] hands every non-5xx reply
//! to its `classify` function, and the adapter's error type says whether a failure counts
//! for the breaker ([`BreakerVerdict`]). Errors never contain the request URL (API keys
//! travel in query strings) — error texts end up in logs.

mod breaker;

use std::time::Duration;

use serde::de::DeserializeOwned;

pub use breaker::{BreakerState, CircuitBreaker, CircuitOpen, Permit};

/// Timeouts, retries and breaker parameters of one upstream.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Deadline of one attempt (connect + answer).
    pub timeout: Duration,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// Consecutive failed calls that open the breaker.
    pub failure_threshold: u32,
    /// How long an open breaker refuses calls before one probe.
    pub cooldown: Duration,
    /// Largest answer accepted.
    pub max_body_bytes: usize,
    /// Mean pause before a retry when the upstream does not say how long to wait; each
    /// pause is drawn from ½–1½ of it, so clients that failed together do not retry together.
    pub retry_pause: Duration,
    /// Longest `Retry-After` honoured; an upstream asking for more fails the call now.
    pub max_retry_after: Duration,
    /// Whether 429 (too many requests) is retried like a 5xx; otherwise it goes to `classify`.
    pub retry_too_many_requests: bool,
    /// `User-Agent` of the requests (the product and its version).
    pub user_agent: String,
}

impl Settings {
    /// Defaults: 1 retry after ~100 ms, breaker 5 failures / 30 s, 16 MiB answers, 429 not
    /// retried, `Retry-After` honoured up to 2 s.
    pub fn new(timeout: Duration, user_agent: impl Into<String>) -> Settings {
        Settings {
            timeout,
            retries: 1,
            failure_threshold: 5,
            cooldown: Duration::from_secs(30),
            max_body_bytes: 16 * 1024 * 1024,
            retry_pause: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(2),
            retry_too_many_requests: false,
            user_agent: user_agent.into(),
        }
    }
}

/// A non-5xx answer (or a 429 that is not retried): the adapter decides what it means.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Decodes the body as the adapter's typed DTO `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The first characters of the body, for error messages.
    pub fn snippet(&self) -> String {
        snippet(&self.body)
    }
}

/// The first 200 characters of a body, for error messages.
pub fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        s.push('…');
    }
    s
}

/// Why an exchange produced no reply for the adapter.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    #[error("{upstream}: no answer within {ms} ms")]
    Timeout { upstream: &'static str, ms: u64 },
    #[error("{upstream}: request failed: {detail}")]
    Transport {
        upstream: &'static str,
        detail: String,
    },
    #[error("{upstream}: answer larger than {limit} bytes")]
    TooLarge {
        upstream: &'static str,
        limit: usize,
    },
    /// A 5xx (or retried 429) after the retries, or a `Retry-After` beyond the bound.
    #[error("{upstream}: HTTP {status} {detail}")]
    Status {
        upstream: &'static str,
        status: u16,
        detail: String,
    },
    #[error("{upstream}: circuit open (recent calls failed); not called")]
    CircuitOpen { upstream: &'static str },
}

impl SendError {
    fn is_transient(&self) -> bool {
        matches!(
            self,
            SendError::Timeout { .. } | SendError::Transport { .. } | SendError::Status { .. }
        )
    }
}

/// Whether a failed call counts against the upstream's health (opens the breaker): a
/// refused key or a broken answer does, "no route between these points" does not.
pub trait BreakerVerdict {
    fn counts_as_failure(&self) -> bool;
}

impl BreakerVerdict for SendError {
    fn counts_as_failure(&self) -> bool {
        !matches!(self, SendError::CircuitOpen { .. })
    }
}

/// How a call ended, for the adapter's metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Failed in a way that counts for the breaker.
    Failed,
    /// Failed in a way that does not (the upstream is alive).
    Rejected,
    /// Not called: the breaker is open.
    ShortCircuited,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Rejected => "rejected",
            Outcome::ShortCircuited => "short_circuited",
        }
    }
}

/// A remote endpoint guarded by its own circuit breaker.
pub struct Upstream {
    name: &'static str,
    client: reqwest::Client,
    settings: Settings,
    breaker: CircuitBreaker,
}

impl Upstream {
    pub fn new(name: &'static str, settings: Settings) -> Result<Upstream, SendError> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.timeout)
            .user_agent(settings.user_agent.clone())
            .build()
            .map_err(|e| SendError::Transport {
                upstream: name,
                detail: format!("cannot build HTTP client: {}", e.without_url()),
            })?;
        Ok(Upstream {
            name,
            client,
            breaker: CircuitBreaker::new(name, settings.failure_threshold, settings.cooldown),
            settings,
        })
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    /// Sends the request built by `build` (rebuilt for each attempt) through the breaker
    /// and the retry policy; `classify` turns the reply into the adapter's answer. Returns
    /// the answer and how the call ended (for the adapter's metrics).
    pub async fn call<T, E>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        classify: impl FnOnce(Reply) -> Result<T, E>,
    ) -> (Result<T, E>, Outcome)
    where
        E: From<SendError> + BreakerVerdict,
    {
        let Ok(permit) = self.breaker.acquire() else {
            let e = SendError::CircuitOpen {
                upstream: self.name,
            };
            return (Err(e.into()), Outcome::ShortCircuited);
        };
        let result = match self.send_with_retry(&build).await {
            Ok(reply) => classify(reply),
            Err(e) => Err(E::from(e)),
        };
        let outcome = match &result {
            Ok(_) => {
                permit.success();
                Outcome::Ok
            }
            Err(e) if e.counts_as_failure() => {
                permit.failure();
                Outcome::Failed
            }
            Err(_) => {
                permit.success();
                Outcome::Rejected
            }
        };
        (result, outcome)
    }

    async fn send_with_retry(
        &self,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Reply, SendError> {
        let mut attempt = 0;
        loop {
            match self.send_once(build).await {
                Err((e, wait)) if e.is_transient() && attempt < self.settings.retries => {
                    let pause = match wait {
                        Some(w) if w > self.settings.max_retry_after => return Err(e),
                        Some(w) => w,
                        None => jittered(self.settings.retry_pause),
                    };
                    attempt += 1;
                    tracing::debug!(upstream = self.name, attempt, error = %e, "retrying");
                    tokio::time::sleep(pause).await;
                }
                Err((e, _)) => return Err(e),
                Ok(reply) => return Ok(reply),
            }
        }
    }

    /// One attempt; a failure comes with the wait the upstream asked for, if any.
    async fn send_once(
        &self,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Reply, (SendError, Option<Duration>)> {
        let ms = self.settings.timeout.as_millis() as u64;
        let limit = self.settings.max_body_bytes;
        let request = build(&self.client).timeout(self.settings.timeout);
        // reqwest's timeout covers connect, headers and the body; the outer guard also
        // bounds a server that trickles bytes.
        let fetch = async {
            let mut response = request
                .send()
                .await
                .map_err(|e| (self.transport(e), None))?;
            let status = response.status().as_u16();
            let wait = retry_after(response.headers());
            let mut body = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| (self.transport(e), None))?
            {
                if body.len() + chunk.len() > limit {
                    return Err((
                        SendError::TooLarge {
                            upstream: self.name,
                            limit,
                        },
                        None,
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            Ok((Reply { status, body }, wait))
        };
        let (reply, wait) = tokio::time::timeout(self.settings.timeout, fetch)
            .await
            .map_err(|_| {
                (
                    SendError::Timeout {
                        upstream: self.name,
                        ms,
                    },
                    None,
                )
            })??;
        let retried_429 = reply.status == 429 && self.settings.retry_too_many_requests;
        if reply.status >= 500 || retried_429 {
            return Err((
                SendError::Status {
                    upstream: self.name,
                    status: reply.status,
                    detail: reply.snippet(),
                },
                wait,
            ));
        }
        Ok(reply)
    }

    fn transport(&self, e: reqwest::Error) -> SendError {
        if e.is_timeout() {
            return SendError::Timeout {
                upstream: self.name,
                ms: self.settings.timeout.as_millis() as u64,
            };
        }
        let source = std::error::Error::source(&e).map(|s| s.to_string());
        let e = e.without_url();
        let detail = match source {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        };
        SendError::Transport {
            upstream: self.name,
            detail,
        }
    }
}

/// `mean` scaled by a random factor in ½–1½.
fn jittered(mean: Duration) -> Duration {
    mean.mul_f64(rand::random_range(0.5..1.5))
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
            .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e9)
    };
    if let Some(ms) = num("retry-after-ms") {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    num("retry-after").map(Duration::from_secs_f64)
}

/// Joins a configured base URL and a path without doubling or dropping the slash.
pub fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_cleanly() {
        assert_eq!(join_url("http://x:1/", "/a/b"), "http://x:1/a/b");
        assert_eq!(join_url("http://x:1/base", "a"), "http://x:1/base/a");
    }

    #[test]
    fn pauses_are_jittered_around_the_mean() {
        let mean = Duration::from_millis(100);
        let pauses: Vec<Duration> = (0..50).map(|_| jittered(mean)).collect();
        assert!(pauses.iter().all(|p| *p >= mean / 2 && *p <= mean * 3 / 2));
        assert!(pauses.iter().any(|p| *p != pauses[0]), "not all equal");
    }

    #[test]
    fn retry_after_headers() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", "1".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(1)));
        h.insert("retry-after-ms", "250".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        h.insert("retry-after-ms", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(1)));
    }
}
