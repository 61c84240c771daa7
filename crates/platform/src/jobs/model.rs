//! What a job is: the stored row, the wire status, and the inputs of the queue's writes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::from_millis;

/// Stored state. `dead` is a failed job that will not be retried (the dead letter); the
/// wire shows it as `failed` with `deadLettered: true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Dead,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Completed => "completed",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> JobState {
        match s {
            "running" => JobState::Running,
            "completed" => JobState::Completed,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            "dead" => JobState::Dead,
            _ => JobState::Queued,
        }
    }

    pub fn is_finished(self) -> bool {
        !matches!(self, JobState::Queued | JobState::Running)
    }

    /// The state as the API names it (PRODUCT.md §3: queued, running, completed, failed,
    /// cancelled).
    pub fn wire(self) -> &'static str {
        match self {
            JobState::Dead => "failed",
            s => s.as_str(),
        }
    }
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub id: Uuid,
    pub kind: String,
    pub payload: Value,
    /// What the job is about (a trip id …).
    pub subject: Option<String>,
    /// Part of the subject (`day:3`), for limits per part.
    pub topic: Option<String>,
    /// Idempotency key: a second enqueue with the same key returns the first job.
    pub dedupe_key: Option<String>,
    pub max_attempts: u32,
    /// Not before (epoch ms).
    pub run_at: i64,
}

impl NewJob {
    pub fn new(kind: &str, payload: Value, now_ms: i64) -> NewJob {
        NewJob {
            id: Uuid::now_v7(),
            kind: kind.to_string(),
            payload,
            subject: None,
            topic: None,
            dedupe_key: None,
            max_attempts: 3,
            run_at: now_ms,
        }
    }
}

/// Result of an enqueue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    Created(Uuid),
    /// The idempotency key names this earlier job.
    Existing(Uuid),
}

impl Enqueued {
    pub fn id(self) -> Uuid {
        match self {
            Enqueued::Created(id) | Enqueued::Existing(id) => id,
        }
    }
}

/// A progress report of a running job.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// 0–100.
    pub percent: u8,
    pub step: String,
    pub message: String,
    pub eta_secs: Option<u32>,
}

/// A stored job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub state: String,
    pub payload: String,
    pub subject: Option<String>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub progress: i64,
    pub step: Option<String>,
    pub message: Option<String>,
    pub eta_secs: Option<i64>,
    pub result: Option<String>,
    pub last_error: Option<String>,
    pub event_seq: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

pub(crate) const JOB_COLUMNS: &str = "id, kind, state, payload, subject, attempts, max_attempts, \
     run_at, lease_owner, lease_until, progress, step, message, eta_secs, result, last_error, \
     event_seq, created_at, started_at, finished_at";

/// A job as the code sees it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub state: JobState,
    pub payload: Value,
    pub subject: Option<String>,
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub progress: u8,
    pub step: Option<String>,
    pub message: Option<String>,
    pub eta_secs: Option<u32>,
    pub result: Option<Value>,
    pub last_error: Option<String>,
    pub event_seq: i64,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Job {
        Job {
            id: r.id,
            kind: r.kind,
            state: JobState::parse(&r.state),
            // A payload that is not JSON is kept as a string; the handler rejects it.
            payload: serde_json::from_str(&r.payload).unwrap_or(Value::String(r.payload)),
            subject: r.subject,
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            max_attempts: u32::try_from(r.max_attempts).unwrap_or(1),
            run_at: r.run_at,
            lease_owner: r.lease_owner,
            lease_until: r.lease_until,
            progress: u8::try_from(r.progress.clamp(0, 100)).unwrap_or(0),
            step: r.step,
            message: r.message,
            eta_secs: r.eta_secs.and_then(|v| u32::try_from(v).ok()),
            result: r.result.and_then(|s| serde_json::from_str(&s).ok()),
            last_error: r.last_error,
            event_seq: r.event_seq,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
        }
    }
}

/// A job's status on the wire (status endpoint and SSE events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    pub request_id: Uuid,
    pub kind: String,
    /// `queued`, `running`, `completed`, `failed` or `cancelled`.
    pub status: String,
    /// 0–100.
    pub progress: u8,
    /// Current step (`analyse`, `weather`, `places`, `optimise`, `save` for generations).
    pub step: Option<String>,
    pub message: Option<String>,
    /// Estimate of the seconds left (running jobs).
    pub eta_seconds: Option<u32>,
    pub attempts: u32,
    pub max_attempts: u32,
    /// Why the last attempt failed (absent once the job completed).
    pub error: Option<String>,
    /// Failed for good (no more retries).
    pub dead_lettered: bool,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// What the job produced (kind-specific), once completed.
    #[schema(value_type = Object)]
    pub result: Option<Value>,
}

impl Job {
    pub fn status(&self) -> JobStatus {
        JobStatus {
            request_id: self.id,
            kind: self.kind.clone(),
            status: self.state.wire().to_string(),
            progress: self.progress,
            step: self.step.clone(),
            message: self.message.clone(),
            eta_seconds: if self.state == JobState::Running {
                self.eta_secs
            } else {
                None
            },
            attempts: self.attempts,
            max_attempts: self.max_attempts,
            // A completed job recovered from what went wrong: its status says so by
            // `attempts`, not with a stale error (the row keeps it for operators).
            error: if self.state == JobState::Completed {
                None
            } else {
                self.last_error.clone()
            },
            dead_lettered: self.state == JobState::Dead,
            created_at: from_millis(self.created_at),
            started_at: self.started_at.map(from_millis),
            finished_at: self.finished_at.map(from_millis),
            result: self.result.clone(),
        }
    }
}
