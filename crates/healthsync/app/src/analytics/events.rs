//! Domain events into the analytics stream: each event consumer is wrapped so a handled
//! event is also recorded (after its handler succeeded, so a retried attempt records once
//! it finally succeeds), and kinds no context consumes (`goal-set`, `mission-reset`) get a
//! consumer that only records. Only the fields listed here leave: never health values
//! (risk level, results), free text (a reset's comment) or ids of a person.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Map, Value};
use tripgen_platform::jobs::event::envelope_of;
use tripgen_platform::jobs::{Job, JobContext, JobError, JobHandler};

use super::AnalyticsStream;

/// Every domain event kind (spec §8.2) and the data fields that may go to analytics.
pub const EVENT_FIELDS: &[(&str, &[&str])] = &[
    ("user-registered", &["language"]),
    ("user-deleted", &[]),
    ("health-synced", &["latestYear"]),
    ("goal-set", &["missionIds"]),
    (
        "mission-completed",
        &["missionId", "date", "streak", "points"],
    ),
    ("mission-reset", &["reason", "missionIds"]),
];

/// The kinds with no other consumer: only recorded.
pub const RECORD_ONLY: &[&str] = &["goal-set", "mission-reset"];

/// The analytics fields of an event's data (the allowed ones; `checkupIds` as a count).
pub fn fields_of(kind: &str, data: &Value) -> Map<String, Value> {
    let allowed = EVENT_FIELDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, f)| *f)
        .unwrap_or(&[]);
    let mut out = Map::new();
    for key in allowed {
        if let Some(v) = data.get(*key) {
            out.insert((*key).to_string(), v.clone());
        }
    }
    if let Some(ids) = data.get("checkupIds").and_then(Value::as_array) {
        out.insert("checkups".into(), ids.len().into());
    }
    out
}

fn record(stream: &AnalyticsStream, job: &Job) {
    if let Some(e) = envelope_of(&job.payload) {
        stream.record(
            &e.type_,
            &e.occurred_at,
            e.user_id,
            fields_of(&e.type_, &e.data),
        );
    }
}

/// A consumer whose handled events are also recorded.
pub struct Recorded {
    pub inner: Arc<dyn JobHandler>,
    pub stream: AnalyticsStream,
}

#[async_trait]
impl JobHandler for Recorded {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    async fn run(&self, job: &Job, ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let out = self.inner.run(job, ctx).await?;
        record(&self.stream, job);
        Ok(out)
    }

    async fn dead_lettered(&self, job: &Job, reason: &str) {
        self.inner.dead_lettered(job, reason).await
    }
}

/// The consumer of a kind nothing else consumes: records it.
pub struct RecordOnly {
    pub kind: &'static str,
    pub stream: AnalyticsStream,
}

#[async_trait]
impl JobHandler for RecordOnly {
    fn kind(&self) -> &'static str {
        self.kind
    }

    async fn run(&self, job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        record(&self.stream, job);
        Ok(None)
    }
}

/// Wraps the event consumers among `handlers` (other jobs, e.g. the daily nudge, pass).
pub fn tap(
    handlers: Vec<Arc<dyn JobHandler>>,
    stream: &AnalyticsStream,
) -> Vec<Arc<dyn JobHandler>> {
    handlers
        .into_iter()
        .map(|h| {
            if EVENT_FIELDS.iter().any(|(k, _)| *k == h.kind()) {
                Arc::new(Recorded {
                    inner: h,
                    stream: stream.clone(),
                }) as Arc<dyn JobHandler>
            } else {
                h
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_listed_fields_leave() {
        let f = fields_of(
            "health-synced",
            &json!({"checkupIds": ["a", "b"], "latestYear": 2024, "riskLevel": "high"}),
        );
        assert_eq!(Value::Object(f), json!({"latestYear": 2024, "checkups": 2}));
        let f = fields_of(
            "mission-reset",
            &json!({"goalId": "g", "reason": "no_time", "comment": "I was ill", "missionIds": ["m1"]}),
        );
        assert_eq!(
            Value::Object(f),
            json!({"reason": "no_time", "missionIds": ["m1"]})
        );
        assert!(fields_of("unknown", &json!({"a": 1})).is_empty());
    }
}
