//! `[analytics]`: where the analytics stream goes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AnalyticsBackend {
    /// `data-dir/events/analytics-YYYY-MM-DD.jsonl` (the embedded default).
    #[default]
    File,
    /// Azure Event Hubs (or any AMQP 1.0 broker) at `analytics.eventhub.url`.
    Eventhub,
    /// Nothing recorded.
    Off,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalyticsConfig {
    pub backend: AnalyticsBackend,
    /// Days of JSON-lines files kept (`file`): older ones are deleted.
    pub retention_days: u32,
    pub eventhub: EventHubConfig,
}

/// `[analytics.eventhub]` (env `HEALTHSYNC_ANALYTICS__EVENTHUB__URL`, or `…__URL_FILE`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EventHubConfig {
    /// `amqps://<policy>:<key>@<namespace>.servicebus.windows.net` (secret): a shared-access
    /// policy with the Send claim on the hub, name and key percent-encoded, SASL PLAIN.
    /// `amqp://user:pass@127.0.0.1:5672` reaches a local AMQP 1.0 broker.
    pub url: Option<String>,
    /// The event hub's name (the AMQP target address), `/queue/<name>` on RabbitMQ.
    pub address: String,
}

impl Default for AnalyticsConfig {
    fn default() -> Self {
        AnalyticsConfig {
            backend: AnalyticsBackend::File,
            retention_days: 30,
            eventhub: EventHubConfig::default(),
        }
    }
}

impl Default for EventHubConfig {
    fn default() -> Self {
        EventHubConfig {
            url: None,
            address: "healthsync-analytics".into(),
        }
    }
}

impl AnalyticsConfig {
    /// `(key, problem)` of the first invalid setting.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if !(1..=3650).contains(&self.retention_days) {
            return Some(("analytics.retention_days", "must be 1–3650".into()));
        }
        if self.backend == AnalyticsBackend::Eventhub {
            let Some(url) = self
                .eventhub
                .url
                .as_deref()
                .filter(|u| !u.trim().is_empty())
            else {
                return Some((
                    "analytics.eventhub.url",
                    "required when analytics.backend = \"eventhub\"".into(),
                ));
            };
            if let Err(e) = tripgen_platform::jobs::broker::parse_url(url) {
                return Some(("analytics.eventhub.url", e));
            }
            if self.eventhub.address.trim().is_empty() {
                return Some(("analytics.eventhub.address", "must not be empty".into()));
            }
        }
        None
    }
}
