//! The HTTP side shared by every adapter: one `reqwest` client per upstream with a
//! per-request deadline, a bounded retry of transient failures, a response-size cap and a
//! circuit breaker around the whole (retried) call.
//!
//! Errors never contain the request URL: OpenWeatherMap and Open-Meteo put the API key in
//! the query string, and error texts end up in logs.

use std::time::Duration;

use serde::de::DeserializeOwned;

use super::circuit_breaker::{BreakerState, CircuitBreaker};
use super::error::ProviderError;

/// Largest response body accepted (a 100×100 OSRM table is ≈ 0.3 MB; a long car route with
/// full geometry a few MB).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Pause before a retry: long enough for a restarting upstream, short for a user request.
const RETRY_PAUSE: Duration = Duration::from_millis(100);

/// Timeouts, retries and breaker parameters of one upstream.
#[derive(Debug, Clone, Copy)]
pub struct HttpSettings {
    pub timeout: Duration,
    pub retries: u32,
    pub failure_threshold: u32,
    pub cooldown: Duration,
}

/// A non-5xx answer: the adapter decides what its status means (OSRM answers "no route"
/// with 400 and a JSON `code`).
#[derive(Debug, Clone)]
pub struct HttpReply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Decodes a 2xx body as `T`.
    pub fn json<T: DeserializeOwned>(&self, upstream: &'static str) -> Result<T, ProviderError> {
        serde_json::from_slice(&self.body).map_err(|e| ProviderError::Malformed {
            upstream,
            detail: e.to_string(),
        })
    }

    /// The error for a non-2xx reply the adapter has no special meaning for: 401/403 are a
    /// refused key, anything else keeps its status.
    pub fn error(&self, upstream: &'static str, detail: String) -> ProviderError {
        match self.status {
            401 | 403 => ProviderError::Auth { upstream, detail },
            status => ProviderError::Status {
                upstream,
                status,
                detail,
            },
        }
    }

    /// The first characters of the body, for error messages.
    pub fn snippet(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let mut s: String = text.chars().take(200).collect();
        if text.chars().count() > 200 {
            s.push('…');
        }
        s
    }
}

/// A remote endpoint guarded by its own circuit breaker.
pub struct Upstream {
    name: &'static str,
    client: reqwest::Client,
    settings: HttpSettings,
    breaker: CircuitBreaker,
}

impl Upstream {
    pub fn new(name: &'static str, settings: HttpSettings) -> Result<Self, ProviderError> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.timeout)
            .user_agent(concat!("TripGen/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Transport {
                upstream: name,
                detail: format!("cannot build HTTP client: {}", e.without_url()),
            })?;
        Ok(Upstream {
            name,
            client,
            settings,
            breaker: CircuitBreaker::new(name, settings.failure_threshold, settings.cooldown),
        })
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    /// Sends the request built by `build` (rebuilt for each attempt) through the breaker
    /// and retry policy. `classify` turns a non-5xx reply into the adapter's answer; its
    /// error decides whether the breaker counts a failure
    /// ([`ProviderError::is_upstream_failure`]).
    pub async fn call<T>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        classify: impl Fn(HttpReply) -> Result<T, ProviderError>,
    ) -> Result<T, ProviderError> {
        let Ok(permit) = self.breaker.acquire() else {
            metrics_outcome(self.name, "short_circuited");
            return Err(ProviderError::CircuitOpen {
                upstream: self.name,
            });
        };
        let result = match self.send_with_retry(&build).await {
            Ok(reply) => classify(reply),
            Err(e) => Err(e),
        };
        match &result {
            Ok(_) => {
                permit.success();
                metrics_outcome(self.name, "ok");
            }
            Err(e) if e.is_upstream_failure() => {
                permit.failure();
                metrics_outcome(self.name, "failed");
            }
            Err(_) => {
                permit.success();
                metrics_outcome(self.name, "rejected");
            }
        }
        result
    }

    async fn send_with_retry(
        &self,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<HttpReply, ProviderError> {
        let mut attempt = 0;
        loop {
            match self.send_once(build).await {
                Err(e) if e.is_retryable() && attempt < self.settings.retries => {
                    attempt += 1;
                    tracing::debug!(upstream = self.name, attempt, error = %e, "retrying");
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
                other => return other,
            }
        }
    }

    async fn send_once(
        &self,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<HttpReply, ProviderError> {
        let ms = self.settings.timeout.as_millis() as u64;
        let request = build(&self.client).timeout(self.settings.timeout);
        // reqwest's timeout covers connect, headers and the body; the outer guard is a
        // belt for the body loop below in case a server trickles bytes.
        let fetch = async {
            let mut response = request.send().await.map_err(|e| self.transport(e))?;
            let status = response.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(ProviderError::Malformed {
                        upstream: self.name,
                        detail: format!("response larger than {MAX_BODY_BYTES} bytes"),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpReply { status, body })
        };
        let reply = tokio::time::timeout(self.settings.timeout, fetch)
            .await
            .map_err(|_| ProviderError::Timeout {
                upstream: self.name,
                ms,
            })??;
        if reply.status >= 500 {
            return Err(ProviderError::Status {
                upstream: self.name,
                status: reply.status,
                detail: reply.snippet(),
            });
        }
        Ok(reply)
    }

    fn transport(&self, e: reqwest::Error) -> ProviderError {
        if e.is_timeout() {
            return ProviderError::Timeout {
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
        ProviderError::Transport {
            upstream: self.name,
            detail,
        }
    }
}

fn metrics_outcome(upstream: &'static str, outcome: &'static str) {
    metrics::counter!("location_provider_calls_total", "upstream" => upstream, "outcome" => outcome)
        .increment(1);
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
    fn failure_classes() {
        let s = |status| ProviderError::Status {
            upstream: "t",
            status,
            detail: String::new(),
        };
        assert!(s(503).is_retryable() && s(503).is_upstream_failure());
        assert!(!s(400).is_retryable() && !s(400).is_upstream_failure());
        assert!(!s(403).is_retryable() && s(403).is_upstream_failure());
        assert!(!ProviderError::NoRoute { upstream: "t" }.is_upstream_failure());
    }
}
