//! Typed failures of the remote provider adapters.

use thiserror::Error;

/// Why one call to a remote provider produced no usable answer. Callers of the public
/// facades never see these (they fall back and say so); adapters and tests do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProviderError {
    /// The circuit breaker is open: the call was not attempted.
    #[error("{upstream}: circuit open, call not attempted")]
    CircuitOpen { upstream: &'static str },
    #[error("{upstream}: timed out after {ms} ms")]
    Timeout { upstream: &'static str, ms: u64 },
    /// Connection refused, reset, DNS … (the URL is never part of the text: it may carry a key).
    #[error("{upstream}: transport error: {detail}")]
    Transport {
        upstream: &'static str,
        detail: String,
    },
    /// An HTTP status the adapter could not turn into an answer.
    #[error("{upstream}: HTTP {status}: {detail}")]
    Status {
        upstream: &'static str,
        status: u16,
        detail: String,
    },
    /// The key was refused (401/403, or Google's `API_KEY_INVALID`): every further call
    /// would fail the same way.
    #[error("{upstream}: key refused: {detail}")]
    Auth {
        upstream: &'static str,
        detail: String,
    },
    /// A 2xx answer that does not have the documented shape.
    #[error("{upstream}: malformed response: {detail}")]
    Malformed {
        upstream: &'static str,
        detail: String,
    },
    /// The service answered, but there is no route between the points.
    #[error("{upstream}: no route")]
    NoRoute { upstream: &'static str },
}

impl ProviderError {
    /// Whether this outcome means the upstream is unhealthy (counts towards opening the
    /// circuit). A "no route" or a rejected query (400) proves the service is up; a refused
    /// key and 429 (quota) do count, since every further call would fail the same way.
    pub fn is_upstream_failure(&self) -> bool {
        match self {
            ProviderError::CircuitOpen { .. } | ProviderError::NoRoute { .. } => false,
            ProviderError::Timeout { .. }
            | ProviderError::Transport { .. }
            | ProviderError::Auth { .. }
            | ProviderError::Malformed { .. } => true,
            ProviderError::Status { status, .. } => {
                *status >= 500 || matches!(status, 401 | 403 | 429)
            }
        }
    }
}

/// A provider selected by configuration cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid configuration `{key}`: {reason}")]
pub struct ProviderConfigError {
    pub key: String,
    pub reason: String,
}

impl ProviderConfigError {
    pub(crate) fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ProviderConfigError {
            key: key.into(),
            reason: reason.into(),
        }
    }
}
