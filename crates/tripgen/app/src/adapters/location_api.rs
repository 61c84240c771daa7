//! The location target's HTTP API as the `trip` and `ai` targets read it in split mode:
//! the platform's outbound client (deadline, jittered retry, circuit breaker) and the
//! location context's own wire types (`tripgen_location::dto`), so a response is decoded
//! into the type the location target serialised, never picked apart by hand.

use std::time::Duration;

use serde::de::DeserializeOwned;
use tripgen_location::{Category, Exposure, Wheelchair};
use tripgen_platform::outbound::{self, BreakerVerdict, SendError};

/// A failed call; only failures of the target itself count for the breaker (a 4xx means
/// the target is up and refused this request).
struct CallError {
    error: anyhow::Error,
    counts: bool,
}

impl From<SendError> for CallError {
    fn from(e: SendError) -> CallError {
        CallError {
            error: e.into(),
            counts: true,
        }
    }
}

impl BreakerVerdict for CallError {
    fn counts_as_failure(&self) -> bool {
        self.counts
    }
}

pub struct LocationApi {
    base: String,
    upstream: outbound::Upstream,
}

impl LocationApi {
    /// `base` is `gateway.location_url`; `timeout` bounds one attempt.
    pub fn new(base: &str, timeout: Duration) -> anyhow::Result<LocationApi> {
        let settings =
            outbound::Settings::new(timeout, concat!("TripGen/", env!("CARGO_PKG_VERSION")));
        Ok(LocationApi {
            base: base.trim_end_matches('/').to_string(),
            upstream: outbound::Upstream::new("location", settings)?,
        })
    }

    /// `GET path?query` decoded as `T`; `None` when the target answers 404.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> anyhow::Result<Option<T>> {
        let url = outbound::join_url(&self.base, path);
        let (result, _) = self
            .upstream
            .call(
                |c| c.get(&url).query(query),
                |reply| match reply.status {
                    404 => Ok(None),
                    _ if reply.is_success() => reply.json().map(Some).map_err(|e| CallError {
                        error: anyhow::anyhow!("location target: {path}: unexpected answer: {e}"),
                        counts: true,
                    }),
                    status => Err(CallError {
                        error: anyhow::anyhow!("location target answered {status} for {path}"),
                        counts: false,
                    }),
                },
            )
            .await;
        result.map_err(|e| e.error)
    }
}

/// A catalogue category from its wire name (`museum`, …).
pub fn category(name: &str) -> Option<Category> {
    wire(name)
}

/// `indoor`, `outdoor` or `mixed`.
pub fn exposure(name: &str) -> Option<Exposure> {
    wire(name)
}

/// `yes`, `limited`, `no` or `unknown`.
pub fn wheelchair(name: &str) -> Wheelchair {
    wire(name).unwrap_or(Wheelchair::Unknown)
}

fn wire<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}
