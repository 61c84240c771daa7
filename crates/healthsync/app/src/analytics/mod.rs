//! The analytics stream (spec §8.2, §9: the Event Hub role). Every domain event and AI call
//! also goes here as `{type, at, userKey = HMAC(user id), fields}` — never health values,
//! free text, names or ids a person could be found by. Best effort: recording never waits
//! and never fails a request or a job; a full buffer drops (counted) instead.
//!
//! Sinks: an append-only JSON-lines log per UTC day in the embedded default
//! (`file_log.rs`, kept `retention_days`), an AMQP 1.0 producer to Azure Event Hubs in
//! production (`eventhub.rs`). `events.rs` taps the event consumers.

pub mod config;
pub mod eventhub;
pub mod events;
pub mod file_log;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use tokio::sync::mpsc;
use tripgen_platform::SharedClock;
use uuid::Uuid;

pub use config::{AnalyticsBackend, AnalyticsConfig};

/// One record of the stream.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsEvent {
    #[serde(rename = "type")]
    pub type_: String,
    /// RFC 3339 UTC (the event's own time).
    pub at: String,
    /// HMAC-SHA256 of the user id (hex): stable per user, not reversible without the key.
    pub user_key: Option<String>,
    pub fields: Map<String, Value>,
}

/// Where batches go.
#[async_trait]
pub trait AnalyticsSink: Send + Sync {
    fn describe(&self) -> String;
    async fn send(&self, batch: &[AnalyticsEvent]) -> anyhow::Result<()>;
}

/// Events buffered before recording starts dropping.
const BUFFER: usize = 10_000;
/// Events per batch (one file append, one AMQP message).
const BATCH: usize = 200;
/// The longest an event waits for its batch to fill.
const LINGER: Duration = Duration::from_millis(500);

/// The recording handle, cheap to clone. A background task sends batches to the sink.
#[derive(Clone)]
pub struct AnalyticsStream {
    tx: mpsc::Sender<AnalyticsEvent>,
    keys: UserKeys,
    clock: SharedClock,
}

impl AnalyticsStream {
    /// Starts the batching task (on the current Tokio runtime).
    pub fn start(
        sink: Arc<dyn AnalyticsSink>,
        keys: UserKeys,
        clock: SharedClock,
    ) -> AnalyticsStream {
        let (tx, rx) = mpsc::channel(BUFFER);
        tracing::info!(sink = %sink.describe(), "analytics stream");
        tokio::spawn(pump(rx, sink));
        AnalyticsStream { tx, keys, clock }
    }

    /// Records one event without waiting (dropped and counted when the buffer is full).
    pub fn record(&self, type_: &str, at: &str, user: Option<Uuid>, fields: Map<String, Value>) {
        let event = AnalyticsEvent {
            type_: type_.to_string(),
            at: at.to_string(),
            user_key: user.map(|u| self.keys.key(u)),
            fields,
        };
        if self.tx.try_send(event).is_err() {
            metrics::counter!("healthsync_analytics_events_total", "outcome" => "dropped")
                .increment(1);
        }
    }
}

async fn pump(mut rx: mpsc::Receiver<AnalyticsEvent>, sink: Arc<dyn AnalyticsSink>) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let Some(first) = rx.recv().await else {
            return;
        };
        batch.push(first);
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(e)) => batch.push(e),
                Ok(None) | Err(_) => break,
            }
        }
        let n = batch.len() as u64;
        // One retry: a broker connection that dropped reconnects on the next send.
        let mut outcome = sink.send(&batch).await;
        if outcome.is_err() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            outcome = sink.send(&batch).await;
        }
        match outcome {
            Ok(()) => metrics::counter!("healthsync_analytics_events_total", "outcome" => "sent")
                .increment(n),
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), events = n, sink = %sink.describe(), "analytics batch lost");
                metrics::counter!("healthsync_analytics_events_total", "outcome" => "failed")
                    .increment(n);
            }
        }
        batch.clear();
    }
}

/// Model calls: `{type: "ai-call", fields: {purpose, provider, outcome, latencyMs}}`.
impl healthsync_intelligence::ports::AiCallLog for AnalyticsStream {
    fn ai_call(
        &self,
        user_id: Uuid,
        purpose: &str,
        provider: &str,
        outcome: &str,
        latency_ms: i64,
    ) {
        let mut fields = Map::new();
        fields.insert("purpose".into(), purpose.into());
        fields.insert("provider".into(), provider.into());
        // `invalid:<check>` names the failed check, never content.
        fields.insert("outcome".into(), outcome.into());
        fields.insert("latencyMs".into(), latency_ms.into());
        let at = self
            .clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        self.record("ai-call", &at, Some(user_id), fields);
    }
}

/// `userKey`: HMAC-SHA256 of the user id under a key derived from the deployment's JWT
/// key (which every replica already shares), so no further secret is distributed and
/// the same user gets the same key on every replica. Rotating the JWT key starts new keys.
#[derive(Clone)]
pub struct UserKeys {
    key: Vec<u8>,
}

impl UserKeys {
    pub fn derive(jwt_secret: &str) -> UserKeys {
        UserKeys {
            key: hmac(jwt_secret.as_bytes(), b"healthsync analytics userKey v1"),
        }
    }

    pub fn key(&self, user: Uuid) -> String {
        hmac(&self.key, user.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(message);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_keys_are_stable_distinct_and_not_the_id() {
        let u = Uuid::now_v7();
        let k = UserKeys::derive("secret-a");
        assert_eq!(k.key(u), k.key(u));
        assert_eq!(k.key(u).len(), 64);
        assert_ne!(k.key(u), k.key(Uuid::now_v7()));
        assert_ne!(k.key(u), UserKeys::derive("secret-b").key(u));
        assert!(!k.key(u).contains(&u.simple().to_string()));
    }

    struct Collect(tokio::sync::Mutex<Vec<AnalyticsEvent>>);

    #[async_trait]
    impl AnalyticsSink for Collect {
        fn describe(&self) -> String {
            "test".into()
        }
        async fn send(&self, batch: &[AnalyticsEvent]) -> anyhow::Result<()> {
            self.0.lock().await.extend_from_slice(batch);
            Ok(())
        }
    }

    #[tokio::test]
    async fn recorded_events_reach_the_sink_in_order() {
        let sink = Arc::new(Collect(Default::default()));
        let s = AnalyticsStream::start(
            sink.clone(),
            UserKeys::derive("k"),
            Arc::new(tripgen_platform::SystemClock),
        );
        for i in 0..450 {
            let mut f = Map::new();
            f.insert("i".into(), i.into());
            s.record("goal-set", "2027-03-01T00:00:00.000Z", None, f);
        }
        for _ in 0..100 {
            if sink.0.lock().await.len() == 450 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let got = sink.0.lock().await;
        assert_eq!(got.len(), 450);
        assert!(got.iter().enumerate().all(|(i, e)| e.fields["i"] == i));
    }
}
