//! Durable job queue: a table in the same database as everything else (PRODUCT.md §3
//! "Jobs"; docs/ai.md has the design and its guarantees).
//!
//! - enqueue (optionally inside the caller's transaction, see [`conn::JobConnection`]) with
//!   an idempotency key;
//! - claim with a lease (SQLite: one `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING`;
//!   PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several workers share the table);
//! - heartbeat extends the lease; a row whose lease expired is claimable again, so a
//!   killed worker is replaced;
//! - every write of a worker is fenced by `lease_owner` and `state = 'running'`, so a
//!   worker that lost its lease (cancelled, or taken over) cannot complete the job;
//! - retry with exponential backoff up to `max_attempts`, then dead-letter with the reason;
//! - every state and progress change is an event numbered per job (SSE replay);
//! - delivery through Azure Service Bus instead of table claims with
//!   `jobs.backend = servicebus` (`bus.rs`; the state stays in the table).

pub mod broker;
pub mod bus;
pub mod config;
pub mod conn;
pub mod event;
pub mod metrics;
pub mod model;
pub mod payload;
pub mod queue;
pub mod runner;

pub use bus::ServiceBus;
pub use config::{JobsBackend, JobsConfig, ServiceBusConfig};
pub use conn::JobConnection;
pub use model::{Enqueued, Job, JobState, JobStatus, NewJob, Progress};
pub use queue::{CancelOutcome, FailOutcome, JobQueue};
pub use runner::{JobContext, JobError, JobHandler, WorkerOptions, WorkerPool};

/// Job kinds, named after the seed's queues where they fit.
pub const KIND_SCHEDULE_GENERATION: &str = "ai-schedule-generation";
pub const KIND_LOCATION_SEARCH: &str = "location-search";
pub const KIND_NOTIFICATION: &str = "notification";

/// Wakes the worker pools of this process right after an enqueue (other processes poll).
pub(crate) static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Set by [`wake_workers`]: a job was committed that may still need its broker message.
pub(crate) static ENQUEUED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Tells this process's workers that a job was enqueued (call after the commit).
pub fn wake_workers() {
    ENQUEUED.store(true, std::sync::atomic::Ordering::SeqCst);
    WAKE.notify_waiters();
}
