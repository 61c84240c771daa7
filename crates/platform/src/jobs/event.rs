//! Domain events through the job queue (the outbox): an event is a job of its kind, written
//! in the writer's own transaction, delivered at least once (table claims or Service Bus)
//! and handled idempotently by consumers that record `processed_events (event_id, consumer)`.
//!
//! Envelope: `{eventId, type, version: 1, occurredAt, userId, data}`.

use chrono::{DateTime, SecondsFormat, Utc};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::conn::JobConnection;
use super::model::NewJob;
use crate::clock::to_millis;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EventEnvelope {
    pub event_id: Uuid,
    #[serde(rename = "type")]
    pub type_: String,
    pub version: u32,
    /// RFC 3339 UTC.
    pub occurred_at: String,
    pub user_id: Option<Uuid>,
    pub data: Value,
}

/// One event on its way into the outbox.
#[derive(Debug, Clone)]
pub struct DomainEvent {
    pub envelope: EventEnvelope,
    pub job: NewJob,
    now_ms: i64,
}

impl DomainEvent {
    /// An event of `kind` (also the job kind and, on Service Bus, the queue), deduplicated
    /// by its event id.
    pub fn new(kind: &str, user_id: Option<Uuid>, data: Value, now: DateTime<Utc>) -> DomainEvent {
        let envelope = EventEnvelope {
            event_id: Uuid::now_v7(),
            type_: kind.to_string(),
            version: 1,
            occurred_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
            user_id,
            data,
        };
        let now_ms = to_millis(now);
        let payload = serde_json::to_value(&envelope).unwrap_or(Value::Null);
        let mut job = NewJob::new(kind, payload, now_ms);
        job.subject = user_id.map(|u| u.to_string());
        job.dedupe_key = Some(format!("event:{}", envelope.event_id));
        job.max_attempts = 8;
        DomainEvent {
            envelope,
            job,
            now_ms,
        }
    }

    /// Writes the event on the caller's connection (inside its transaction).
    pub async fn write<C: JobConnection + ?Sized>(&self, conn: &mut C) -> Result<(), sqlx::Error> {
        conn.insert_job(&self.job, self.now_ms).await.map(|_| ())
    }
}

/// The consumer side's idempotency record on one connection (either backend).
pub trait ProcessedEvents: Send {
    fn record_processed<'a>(
        &'a mut self,
        event_id: Uuid,
        consumer: &'a str,
        now_ms: i64,
    ) -> BoxFuture<'a, Result<bool, sqlx::Error>>;
}

macro_rules! impl_processed_events {
    ($conn:ty) => {
        impl ProcessedEvents for $conn {
            fn record_processed<'a>(
                &'a mut self,
                event_id: Uuid,
                consumer: &'a str,
                now_ms: i64,
            ) -> BoxFuture<'a, Result<bool, sqlx::Error>> {
                Box::pin(async move {
                    let done = sqlx::query(
                        "INSERT INTO processed_events (event_id, consumer, processed_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (event_id, consumer) DO NOTHING",
                    )
                    .bind(event_id)
                    .bind(consumer)
                    .bind(now_ms)
                    .execute(&mut *self)
                    .await?;
                    Ok(done.rows_affected() == 1)
                })
            }
        }
    };
}

impl_processed_events!(sqlx::SqliteConnection);
impl_processed_events!(sqlx::PgConnection);

/// Records that `consumer` handled `event_id`; `false` when it already had (a repeat
/// delivery: skip). Call inside the consumer's own transaction.
pub async fn first_delivery<C: ProcessedEvents + ?Sized>(
    conn: &mut C,
    event_id: Uuid,
    consumer: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    conn.record_processed(event_id, consumer, to_millis(now))
        .await
}

/// The envelope of an event job's payload.
pub fn envelope_of(payload: &Value) -> Option<EventEnvelope> {
    serde_json::from_value(payload.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_shape() {
        let at =
            DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z").map(|t| t.with_timezone(&Utc));
        let at = at.unwrap_or_default();
        let e = DomainEvent::new("user-deleted", Some(Uuid::nil()), serde_json::json!({}), at);
        let v = serde_json::to_value(&e.envelope).unwrap_or_default();
        assert_eq!(v["type"], "user-deleted");
        assert_eq!(v["version"], 1);
        assert_eq!(v["occurredAt"], "2026-01-02T03:04:05.000Z");
        assert_eq!(v["userId"], Uuid::nil().to_string());
        assert_eq!(
            e.job.dedupe_key,
            Some(format!("event:{}", e.envelope.event_id))
        );
        assert_eq!(envelope_of(&e.job.payload), Some(e.envelope));
    }
}
