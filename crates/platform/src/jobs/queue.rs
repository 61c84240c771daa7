//! The queue's operations on the configured database.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use uuid::Uuid;

use super::broker::Settle;
use super::bus::ServiceBus;
use super::conn::JobConnection;
use super::metrics;
use super::model::{Enqueued, JOB_COLUMNS, Job, JobRow, JobState, NewJob, Progress};
use crate::clock::SharedClock;
use crate::db::{Db, WritePool};
use crate::with_db;

/// First retry after this long; doubled for every further attempt, capped below.
pub const BACKOFF_BASE: Duration = Duration::from_secs(2);
pub const BACKOFF_MAX: Duration = Duration::from_secs(300);

/// What a claim found.
#[derive(Debug)]
pub enum Claim {
    /// The job is this worker's until its lease ends.
    Job(Job),
    /// A job whose leases expired more often than its attempts allow (its workers keep
    /// dying): dead-lettered instead of run again.
    DeadLettered(Job),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Queued again at this instant (epoch ms).
    Retry {
        at: i64,
    },
    Dead,
    /// The job is no longer this worker's (cancelled or taken over).
    NotOurs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    Cancelled,
    Finished(JobState),
    NotFound,
}

/// Delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped, plus up to 20 %
/// jitter so that jobs failing together do not retry together.
pub fn backoff(attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(16);
    let d = BACKOFF_BASE.saturating_mul(1u32 << exp).min(BACKOFF_MAX);
    let jitter = rand::rng().random_range(0.0..0.2);
    d.mul_f64(1.0 + jitter)
}

/// The queue. Its state is always the `jobs` table; delivery is either claims on that
/// table or, with `jobs.backend = servicebus`, messages through the broker (`bus.rs`).
#[derive(Clone)]
pub struct JobQueue {
    pub db: Db,
    clock: SharedClock,
    bus: Option<Arc<ServiceBus>>,
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

const CLAIM_SQLITE: &str = "UPDATE jobs SET state = 'running', lease_owner = $2, lease_until = $3, \
     attempts = attempts + 1, started_at = COALESCE(started_at, $4), updated_at = $4, \
     last_error = CASE WHEN state = 'running' THEN 'the previous worker stopped answering (lease expired)' ELSE last_error END \
     WHERE id = (SELECT id FROM jobs WHERE kind = $1 \
       AND ((state = 'queued' AND run_at <= $4) OR (state = 'running' AND lease_until < $4)) \
       ORDER BY run_at, id LIMIT 1) \
     RETURNING ";

const CLAIM_POSTGRES: &str = "UPDATE jobs SET state = 'running', lease_owner = $2, lease_until = $3, \
     attempts = attempts + 1, started_at = COALESCE(started_at, $4), updated_at = $4, \
     last_error = CASE WHEN state = 'running' THEN 'the previous worker stopped answering (lease expired)' ELSE last_error END \
     WHERE id = (SELECT id FROM jobs WHERE kind = $1 \
       AND ((state = 'queued' AND run_at <= $4) OR (state = 'running' AND lease_until < $4)) \
       ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING ";

impl JobQueue {
    /// The queue of this process: Service Bus delivery when `tripgen serve` installed it
    /// (`jobs.backend = servicebus`), else the database.
    pub fn new(db: Db, clock: SharedClock) -> JobQueue {
        JobQueue {
            db,
            clock,
            bus: super::bus::installed(),
        }
    }

    /// The table backend, whatever this process installed.
    pub fn database(db: Db, clock: SharedClock) -> JobQueue {
        JobQueue {
            db,
            clock,
            bus: None,
        }
    }

    /// Delivery through `bus` (tests and benchmarks pick their broker explicitly).
    pub fn with_servicebus(db: Db, clock: SharedClock, bus: Arc<ServiceBus>) -> JobQueue {
        JobQueue {
            db,
            clock,
            bus: Some(bus),
        }
    }

    /// The broker delivering this queue's jobs, if any.
    pub fn servicebus(&self) -> Option<&Arc<ServiceBus>> {
        self.bus.as_ref()
    }

    /// Sends the messages of jobs enqueued without one (see [`ServiceBus::dispatch`]).
    pub async fn dispatch(&self) -> Result<usize, sqlx::Error> {
        match &self.bus {
            Some(bus) => bus.dispatch(&self.db, self.now_ms()).await,
            None => Ok(0),
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// Enqueues `job`; with an idempotency key already used, returns that job instead.
    pub async fn enqueue(&self, job: &NewJob) -> Result<Enqueued, sqlx::Error> {
        let now = self.now_ms();
        let out = with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            if let Some(key) = &job.dedupe_key
                && let Some(id) = tx.job_by_dedupe_key(key).await?
            {
                return Ok(Enqueued::Existing(id));
            }
            let out = if tx.insert_job(job, now).await? {
                Enqueued::Created(job.id)
            } else {
                // Lost a race for the same key: the other insert is committed now.
                let key = job.dedupe_key.as_deref().unwrap_or_default();
                Enqueued::Existing(tx.job_by_dedupe_key(key).await?.unwrap_or(job.id))
            };
            tx.commit().await?;
            Ok::<_, sqlx::Error>(out)
        })?;
        if let Enqueued::Created(_) = out {
            metrics::enqueued(&job.kind);
            if let Some(bus) = &self.bus {
                // On failure the row stays undispatched: a dispatcher sends it later.
                if let Err(e) = bus
                    .send(
                        &self.db,
                        (&job.kind, job.id, job.subject.as_deref()),
                        job.run_at,
                        now,
                    )
                    .await
                {
                    tracing::warn!(error = %e, job = %job.id, "job message not sent yet");
                }
            }
            super::wake_workers();
        }
        Ok(out)
    }

    pub async fn get(&self, id: Uuid) -> Result<Option<Job>, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut conn = pool.acquire().await?;
            conn.load_job(id).await
        })
    }

    /// Claims the oldest ready job of `kind` (or one whose lease expired) for `worker`.
    pub async fn claim(
        &self,
        kind: &str,
        worker: &str,
        lease: Duration,
    ) -> Result<Option<Claim>, sqlx::Error> {
        let now = self.now_ms();
        let until = now.saturating_add(ms(lease));
        if let Some(bus) = &self.bus {
            let Some(job) = bus.claim(&self.db, kind, worker, until, now).await? else {
                return Ok(None);
            };
            return self.claimed(job, worker, now).await;
        }
        // Only the claim statement differs (SKIP LOCKED on PostgreSQL).
        let claim = match &self.db {
            Db::Sqlite(_) => format!("{CLAIM_SQLITE}{JOB_COLUMNS}"),
            Db::Postgres(_) => format!("{CLAIM_POSTGRES}{JOB_COLUMNS}"),
        };
        let row: Option<JobRow> = with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let row = sqlx::query_as::<_, JobRow>(&claim)
                .bind(kind)
                .bind(worker)
                .bind(until)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(r) = &row {
                tx.append_event(r.id, now).await?;
            }
            tx.commit().await?;
            row
        });
        let Some(row) = row else {
            return Ok(None);
        };
        self.claimed(Job::from(row), worker, now).await
    }

    /// A claimed job, or its dead letter when its leases expired more often than its
    /// attempts allow.
    async fn claimed(
        &self,
        job: Job,
        worker: &str,
        now: i64,
    ) -> Result<Option<Claim>, sqlx::Error> {
        metrics::waited(&job.kind, (now - job.run_at).max(0));
        if job.attempts > job.max_attempts {
            let reason = format!(
                "gave up after {} attempts: {}",
                job.max_attempts,
                job.last_error
                    .as_deref()
                    .unwrap_or("the workers stopped answering")
            );
            self.dead_letter(job.id, worker, &reason).await?;
            if let Some(bus) = &self.bus {
                bus.settle(job.id, Some(worker), dead_letter(&reason)).await;
            }
            metrics::failed(&job.kind, "dead");
            let job = self.get(job.id).await?.unwrap_or(job);
            return Ok(Some(Claim::DeadLettered(job)));
        }
        Ok(Some(Claim::Job(job)))
    }

    /// Extends the lease; `false` when the job is no longer this worker's (cancelled,
    /// finished, or taken over after the lease expired).
    pub async fn heartbeat(
        &self,
        id: Uuid,
        worker: &str,
        lease: Duration,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE jobs SET lease_until = $3, updated_at = $4 \
             WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let now = self.now_ms();
        let until = now.saturating_add(ms(lease));
        let ours = with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(worker)
            .bind(until)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))?;
        self.after_write(id, worker, ours, now).await;
        if ours && let Some(bus) = &self.bus {
            bus.extended(id, worker, until);
        }
        Ok(ours)
    }

    /// Makes every job left running by another worker claimable now, as if its lease had
    /// expired. Only for a process that knows it is the only one working this table (the
    /// embedded database of a locked data dir): the others died with a previous server.
    /// Returns how many jobs were released.
    pub async fn release_orphans(&self, worker: &str) -> Result<u64, sqlx::Error> {
        const SQL: &str = "UPDATE jobs SET lease_until = $2 \
             WHERE state = 'running' AND (lease_owner IS NULL OR lease_owner <> $1)";
        let past = self.now_ms().saturating_sub(1);
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(worker)
            .bind(past)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }

    /// A fenced write found the job no longer `worker`'s: its held message (if any)
    /// follows the row (completed when the job is finished, kept when it was taken over).
    async fn after_write(&self, id: Uuid, worker: &str, ours: bool, now: i64) {
        if ours {
            return;
        }
        if let Some(bus) = &self.bus
            && let Err(e) = bus.reconcile(&self.db, id, now).await
        {
            tracing::warn!(error = %e, job = %id, worker, "cannot reconcile a job message");
        }
    }

    /// The attempt of `worker` ended without a write of its own (abandoned, cancelled):
    /// settle or keep its message according to the row.
    pub async fn release(&self, id: Uuid, worker: &str) {
        self.after_write(id, worker, false, self.now_ms()).await;
    }

    /// Records progress (and an event); `false` when the job is no longer this worker's.
    pub async fn progress(
        &self,
        id: Uuid,
        worker: &str,
        p: &Progress,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE jobs SET progress = $3, step = $4, message = $5, eta_secs = $6, \
             updated_at = $7 WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let now = self.now_ms();
        let ours = with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(SQL)
                .bind(id)
                .bind(worker)
                .bind(i64::from(p.percent.min(100)))
                .bind(&p.step)
                .bind(&p.message)
                .bind(p.eta_secs.map(i64::from))
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                tx.append_event(id, now).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        self.after_write(id, worker, ours, now).await;
        Ok(ours)
    }

    /// Marks the job completed; `false` when it is no longer this worker's.
    pub async fn complete(
        &self,
        id: Uuid,
        worker: &str,
        result: Option<&serde_json::Value>,
        message: &str,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE jobs SET state = 'completed', progress = 100, eta_secs = NULL, \
             result = $3, message = $4, lease_owner = NULL, lease_until = NULL, finished_at = $5, updated_at = $5 \
             WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let now = self.now_ms();
        let done = with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(SQL)
                .bind(id)
                .bind(worker)
                .bind(result.map(|v| v.to_string()))
                .bind(message)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                tx.append_event(id, now).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        match &self.bus {
            Some(bus) if done => bus.settle(id, Some(worker), Settle::Complete).await,
            _ => self.after_write(id, worker, done, now).await,
        }
        Ok(done)
    }

    /// A failed attempt: queued again after the backoff while attempts remain (and the
    /// error is retryable), else dead-lettered with the reason.
    pub async fn fail(
        &self,
        id: Uuid,
        worker: &str,
        error: &str,
        retryable: bool,
    ) -> Result<FailOutcome, sqlx::Error> {
        const RETRY: &str = "UPDATE jobs SET state = 'queued', run_at = $3, last_error = $4, \
             lease_owner = NULL, lease_until = NULL, eta_secs = NULL, updated_at = $5 \
             WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let now = self.now_ms();
        let Some(job) = self.get(id).await? else {
            return Ok(FailOutcome::NotOurs);
        };
        if job.state != JobState::Running || job.lease_owner.as_deref() != Some(worker) {
            self.after_write(id, worker, false, now).await;
            return Ok(FailOutcome::NotOurs);
        }
        if !retryable || job.attempts >= job.max_attempts {
            return Ok(if self.dead_letter(id, worker, error).await? {
                if let Some(bus) = &self.bus {
                    bus.settle(id, Some(worker), dead_letter(error)).await;
                }
                metrics::failed(&job.kind, "dead");
                FailOutcome::Dead
            } else {
                self.after_write(id, worker, false, now).await;
                FailOutcome::NotOurs
            });
        }
        let at = now.saturating_add(ms(backoff(job.attempts)));
        let done = with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(RETRY)
                .bind(id)
                .bind(worker)
                .bind(at)
                .bind(error)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                tx.append_event(id, now).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(n == 1)
        })?;
        if !done {
            self.after_write(id, worker, false, now).await;
            return Ok(FailOutcome::NotOurs);
        }
        if let Some(bus) = &self.bus {
            // The retry's own message, scheduled at the backoff instant; then the old
            // one is done with. A failed send leaves the row to the dispatcher.
            if let Err(e) = bus
                .send(&self.db, (&job.kind, id, job.subject.as_deref()), at, now)
                .await
            {
                tracing::warn!(error = %e, job = %id, "retry message not sent yet");
            }
            bus.settle(id, Some(worker), Settle::Complete).await;
        }
        metrics::failed(&job.kind, "retry");
        Ok(FailOutcome::Retry { at })
    }

    async fn dead_letter(&self, id: Uuid, worker: &str, reason: &str) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE jobs SET state = 'dead', last_error = $3, eta_secs = NULL, \
             lease_owner = NULL, lease_until = NULL, finished_at = $4, updated_at = $4 \
             WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let now = self.now_ms();
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(SQL)
                .bind(id)
                .bind(worker)
                .bind(reason)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                tx.append_event(id, now).await?;
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Cancels a queued or running job.
    pub async fn cancel(&self, id: Uuid, message: &str) -> Result<CancelOutcome, sqlx::Error> {
        let now = self.now_ms();
        let state = with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let s = tx.cancel_job(id, message, now).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(s)
        })?;
        Ok(match state {
            None => CancelOutcome::NotFound,
            Some((_, true)) => CancelOutcome::Cancelled,
            Some((s, false)) => CancelOutcome::Finished(s),
        })
    }

    /// Events after `after`, oldest first: `(seq, status JSON)`.
    pub async fn events_after(
        &self,
        id: Uuid,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, sqlx::Error> {
        const SQL: &str = "SELECT seq, data FROM job_events WHERE job_id = $1 AND seq > $2 \
             ORDER BY seq LIMIT $3";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (i64, String)>(SQL)
            .bind(id)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await)
    }

    /// Queued jobs per kind (for the depth gauge).
    pub async fn queued_counts(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        const SQL: &str = "SELECT kind, COUNT(*) FROM jobs WHERE state = 'queued' GROUP BY kind";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (String, i64)>(SQL)
            .fetch_all(pool)
            .await)
    }

    /// Completed jobs of a subject per topic (e.g. the regenerations of every day of a
    /// trip), in one query; topics without a completed job are absent.
    pub async fn completed_counts_by_topic(
        &self,
        kind: &str,
        subject: &str,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        const SQL: &str = "SELECT topic, COUNT(*) FROM jobs WHERE kind = $1 AND subject = $2 \
             AND topic IS NOT NULL AND state = 'completed' GROUP BY topic";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (String, i64)>(SQL)
            .bind(kind)
            .bind(subject)
            .fetch_all(pool)
            .await)
    }

    /// Completed jobs of a subject's topic (e.g. the regenerations of one day).
    pub async fn completed_count(
        &self,
        kind: &str,
        subject: &str,
        topic: &str,
    ) -> Result<i64, sqlx::Error> {
        const SQL: &str = "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND subject = $2 \
             AND topic = $3 AND state = 'completed'";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (i64,)>(SQL)
            .bind(kind)
            .bind(subject)
            .bind(topic)
            .fetch_one(pool)
            .await
            .map(|(n,)| n))
    }
}

fn dead_letter(reason: &str) -> Settle {
    Settle::DeadLetter {
        reason: "MaxAttemptsOrPermanentError".into(),
        description: reason.to_string(),
    }
}
