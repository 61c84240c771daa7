//! The location providers on the platform's outbound HTTP client
//! (`tripgen_platform::outbound`: per-request deadline, jittered retry of transient
//! failures, response-size cap, circuit breaker): their settings, their reading of a reply
//! and of a failure ([`ProviderError`]), and their call metric.
//!
//! Errors never contain the request URL: OpenWeatherMap and Open-Meteo put the API key in
//! the query string, and error texts end up in logs.

use std::time::Duration;

use serde::de::DeserializeOwned;
use tripgen_platform::outbound::{self, BreakerState, BreakerVerdict, SendError};

use super::error::ProviderError;

/// Largest response body accepted (a 100×100 OSRM table is ≈ 0.3 MB; a long car route with
/// full geometry a few MB).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Mean pause before a retry: long enough for a restarting upstream, short for a user request.
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
pub struct HttpReply(pub outbound::Reply);

impl std::ops::Deref for HttpReply {
    type Target = outbound::Reply;
    fn deref(&self) -> &outbound::Reply {
        &self.0
    }
}

impl HttpReply {
    /// Decodes a 2xx body as the adapter's DTO `T`.
    pub fn json<T: DeserializeOwned>(&self, upstream: &'static str) -> Result<T, ProviderError> {
        self.0.json().map_err(|e| ProviderError::Malformed {
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
}

impl From<SendError> for ProviderError {
    fn from(e: SendError) -> ProviderError {
        match e {
            SendError::CircuitOpen { upstream } => ProviderError::CircuitOpen { upstream },
            SendError::Timeout { upstream, ms } => ProviderError::Timeout { upstream, ms },
            SendError::Transport { upstream, detail } => {
                ProviderError::Transport { upstream, detail }
            }
            SendError::TooLarge { upstream, limit } => ProviderError::Malformed {
                upstream,
                detail: format!("response larger than {limit} bytes"),
            },
            SendError::Status {
                upstream,
                status,
                detail,
            } => ProviderError::Status {
                upstream,
                status,
                detail,
            },
        }
    }
}

impl BreakerVerdict for ProviderError {
    fn counts_as_failure(&self) -> bool {
        self.is_upstream_failure()
    }
}

/// A remote endpoint guarded by its own circuit breaker.
pub struct Upstream {
    inner: outbound::Upstream,
}

impl Upstream {
    pub fn new(name: &'static str, settings: HttpSettings) -> Result<Self, ProviderError> {
        let mut s = outbound::Settings::new(
            settings.timeout,
            concat!("TripGen/", env!("CARGO_PKG_VERSION")),
        );
        s.retries = settings.retries;
        s.failure_threshold = settings.failure_threshold;
        s.cooldown = settings.cooldown;
        s.max_body_bytes = MAX_BODY_BYTES;
        s.retry_pause = RETRY_PAUSE;
        Ok(Upstream {
            inner: outbound::Upstream::new(name, s)?,
        })
    }

    pub fn name(&self) -> &'static str {
        self.inner.name()
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.inner.breaker_state()
    }

    /// Sends the request built by `build` (rebuilt for each attempt) through the breaker
    /// and retry policy. `classify` turns a non-5xx reply into the adapter's answer; its
    /// error decides whether the breaker counts a failure
    /// ([`ProviderError::is_upstream_failure`]).
    pub async fn call<T>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        classify: impl FnOnce(HttpReply) -> Result<T, ProviderError>,
    ) -> Result<T, ProviderError> {
        let (result, outcome) = self
            .inner
            .call(build, |reply| classify(HttpReply(reply)))
            .await;
        metrics::counter!("location_provider_calls_total", "upstream" => self.name(), "outcome" => outcome.as_str())
            .increment(1);
        result
    }
}

pub use outbound::join_url;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_classes() {
        let s = |status| ProviderError::Status {
            upstream: "t",
            status,
            detail: String::new(),
        };
        assert!(s(503).is_upstream_failure());
        assert!(!s(400).is_upstream_failure());
        assert!(s(403).is_upstream_failure());
        assert!(!ProviderError::NoRoute { upstream: "t" }.is_upstream_failure());
    }
}
