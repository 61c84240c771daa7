//! The Service Bus backend of [`super::JobQueue`]: the broker says which job to try, the
//! database row decides (the same lease fence as the table backend), and the message is
//! held — peek-locked — until the job's attempt ends:
//!
//! - completed → complete; failed for good → dead-letter (with the reason);
//! - retry → a new message scheduled at the backoff instant (Service Bus annotation, and
//!   our `tripgen-not-before` property for brokers that ignore it), then complete;
//! - a message that arrives early (retry not yet due, or a job another worker still
//!   leases) is held by this process until then; one whose job is finished or gone is
//!   completed; a database error abandons it (redelivered, delivery count + 1).
//!
//! The `jobs` table is also the outbox: a job inserted in another context's transaction
//! gets its message from [`ServiceBus::dispatch`], run by every worker pool.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use fe2o3_amqp::link::delivery::DeliveryInfo;
use uuid::Uuid;

use super::broker::{Broker, BrokerError, Incoming, Lane, Settle};
use super::config::ServiceBusConfig;
use super::model::{JOB_COLUMNS, Job, JobRow, JobState};
use crate::db::{Db, WritePool};
use crate::with_db;

/// A message this process holds (unsettled) for a job.
struct Held {
    lane: Arc<Lane>,
    info: DeliveryInfo,
    kind: String,
    /// The worker running the job; `None` while the message waits for `due`.
    owner: Option<String>,
    /// When to try to claim the job again (epoch ms): a retry's not-before instant, or
    /// the end of the lease its current worker holds.
    due: i64,
}

/// The broker connection and the messages held by this process.
pub struct ServiceBus {
    pub broker: Broker,
    held: Mutex<HashMap<Uuid, Held>>,
}

static INSTALLED: OnceLock<Arc<ServiceBus>> = OnceLock::new();

/// Makes every [`super::JobQueue::new`] of this process deliver through Service Bus
/// (`jobs.backend = servicebus`; called once at start by `tripgen serve`).
pub fn install(config: &ServiceBusConfig) -> Result<Arc<ServiceBus>, BrokerError> {
    let bus = Arc::new(ServiceBus::new(config.clone())?);
    INSTALLED
        .set(bus.clone())
        .map_err(|_| BrokerError("the job broker is installed already".into()))?;
    Ok(bus)
}

pub(crate) fn installed() -> Option<Arc<ServiceBus>> {
    INSTALLED.get().cloned()
}

const CLAIM_ONE: &str = "UPDATE jobs SET state = 'running', lease_owner = $2, lease_until = $3, \
     attempts = attempts + 1, started_at = COALESCE(started_at, $4), updated_at = $4, \
     last_error = CASE WHEN state = 'running' THEN 'the previous worker stopped answering (lease expired)' ELSE last_error END \
     WHERE id = $1 AND ((state = 'queued' AND run_at <= $4) OR (state = 'running' AND lease_until < $4)) \
     RETURNING ";

impl ServiceBus {
    pub fn new(config: ServiceBusConfig) -> Result<ServiceBus, BrokerError> {
        Ok(ServiceBus {
            broker: Broker::new(config)?,
            held: Mutex::new(HashMap::new()),
        })
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Held>> {
        // A poisoned map only means a panic elsewhere mid-update; the entries are still
        // consistent (each update is one insert or remove).
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Held messages of `kind` whose time has come.
    fn due(&self, kind: &str, now: i64) -> Vec<Uuid> {
        self.held()
            .iter()
            .filter(|(_, h)| h.kind == kind && h.due <= now)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Tries to claim job `id` for `worker` with the message held under `id`.
    pub(crate) async fn try_held(
        &self,
        db: &Db,
        id: Uuid,
        worker: &str,
        until: i64,
        now: i64,
    ) -> Result<Option<Job>, sqlx::Error> {
        let row = match claim_row(db, id, worker, until, now).await {
            Ok(r) => r,
            Err(e) => {
                // Leave it held; the next claim tries again.
                return Err(e);
            }
        };
        match row {
            Some(row) => {
                let job = Job::from(row);
                if let Some(h) = self.held().get_mut(&id) {
                    h.owner = Some(worker.to_string());
                    h.due = until;
                }
                Ok(Some(job))
            }
            None => {
                self.reconcile(db, id, now).await?;
                Ok(None)
            }
        }
    }

    /// Claims the next job of `kind`: first messages held here whose time has come, then
    /// new messages from the broker. `None` when neither yields a job within the wait.
    pub(crate) async fn claim(
        &self,
        db: &Db,
        kind: &str,
        worker: &str,
        until: i64,
        now: i64,
    ) -> Result<Option<Job>, sqlx::Error> {
        for id in self.due(kind, now) {
            if let Some(job) = self.try_held(db, id, worker, until, now).await? {
                return Ok(Some(job));
            }
        }
        loop {
            let Some(incoming) = self.broker.receive(kind).await? else {
                return Ok(None);
            };
            if let Some(job) = self.take(db, kind, incoming, worker, until, now).await? {
                return Ok(Some(job));
            }
        }
    }

    async fn take(
        &self,
        db: &Db,
        kind: &str,
        m: Incoming,
        worker: &str,
        until: i64,
        now: i64,
    ) -> Result<Option<Job>, sqlx::Error> {
        let Some(id) = m.job_id else {
            self.broker
                .settle(
                    &m.lane,
                    m.info,
                    Settle::DeadLetter {
                        reason: "NotAJob".into(),
                        description: "the message names no tripgen job".into(),
                    },
                )
                .await;
            return Ok(None);
        };
        let duplicate = self.held().contains_key(&id);
        if duplicate {
            // A second message for a job held here (a redispatch, or Service Bus
            // redelivering after a lock expired): the held one stays in charge.
            self.broker.settle(&m.lane, m.info, Settle::Complete).await;
            return Ok(None);
        }
        self.held().insert(
            id,
            Held {
                lane: m.lane.clone(),
                info: m.info.clone(),
                kind: kind.to_string(),
                owner: None,
                due: m.not_before.unwrap_or(now),
            },
        );
        match claim_row(db, id, worker, until, now).await {
            Ok(Some(row)) => {
                if let Some(h) = self.held().get_mut(&id) {
                    h.owner = Some(worker.to_string());
                    h.due = until;
                }
                Ok(Some(Job::from(row)))
            }
            Ok(None) => {
                self.reconcile(db, id, now).await?;
                Ok(None)
            }
            Err(e) => {
                self.settle(id, None, Settle::Abandon).await;
                Err(e)
            }
        }
    }

    /// Decides what a held message waits for, from its job's row: finished or gone →
    /// complete; a future retry → hold until then; leased by a live worker elsewhere →
    /// hold until the lease ends (then take over, or find it finished).
    pub(crate) async fn reconcile(&self, db: &Db, id: Uuid, now: i64) -> Result<(), sqlx::Error> {
        let job = load(db, id).await?;
        let due = match &job {
            Some(j) if j.state == JobState::Queued => Some((j.run_at.max(now), None)),
            Some(j) if j.state == JobState::Running => {
                Some((j.lease_until.unwrap_or(now), j.lease_owner.clone()))
            }
            _ => None,
        };
        match due {
            Some((due, owner)) => {
                if let Some(h) = self.held().get_mut(&id) {
                    h.owner = owner;
                    h.due = due;
                }
            }
            None => self.settle(id, None, Settle::Complete).await,
        }
        Ok(())
    }

    /// Settles the message held for job `id` — only when `worker` (if given) still owns
    /// it here, so a worker that lost its job cannot settle its successor's message.
    pub(crate) async fn settle(&self, id: Uuid, worker: Option<&str>, how: Settle) {
        let held = {
            let mut map = self.held();
            match map.get(&id) {
                Some(h) if worker.is_none() || h.owner.as_deref() == worker => map.remove(&id),
                _ => None,
            }
        };
        if let Some(h) = held {
            self.broker.settle(&h.lane, h.info, how).await;
        }
    }

    /// The lease of `id` was extended to `until`.
    pub(crate) fn extended(&self, id: Uuid, worker: &str, until: i64) {
        if let Some(h) = self.held().get_mut(&id)
            && h.owner.as_deref() == Some(worker)
        {
            h.due = until;
        }
    }

    /// Messages held by this process (tests, metrics).
    pub fn held_count(&self) -> usize {
        self.held().len()
    }

    /// Sends the message of every job that needs one: queued jobs without a message
    /// (inserted in another transaction), and — after `redispatch_after_secs` — ready or
    /// lease-expired jobs whose message went missing. Returns how many were sent.
    pub async fn dispatch(&self, db: &Db, now: i64) -> Result<usize, sqlx::Error> {
        const PENDING: &str = "SELECT id, kind, subject, run_at FROM jobs \
             WHERE (state = 'queued' AND dispatched_at IS NULL) \
                OR (dispatched_at < $1 AND ((state = 'queued' AND run_at < $1) \
                    OR (state = 'running' AND lease_until < $1))) \
             ORDER BY run_at LIMIT 200";
        const MARK: &str = "UPDATE jobs SET dispatched_at = $2 WHERE id = $1 \
             AND (dispatched_at IS NULL OR dispatched_at < $3)";
        const UNMARK: &str =
            "UPDATE jobs SET dispatched_at = NULL WHERE id = $1 AND dispatched_at = $2";
        let stale = now.saturating_sub(
            i64::try_from(self.broker.config.redispatch_after_secs)
                .unwrap_or(i64::MAX)
                .saturating_mul(1000),
        );
        let rows: Vec<(Uuid, String, Option<String>, i64)> =
            with_db!(db, |pool| sqlx::query_as(PENDING)
                .bind(stale)
                .fetch_all(pool)
                .await)?;
        let mut sent = 0;
        for (id, kind, subject, run_at) in rows {
            // Mark first: of two dispatchers, only one sends.
            let marked = with_db!(db, |pool| sqlx::query(MARK)
                .bind(id)
                .bind(now)
                .bind(stale)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() == 1))?;
            if !marked {
                continue;
            }
            let not_before = (run_at > now).then_some(run_at);
            if let Err(e) = self
                .broker
                .publish(&kind, id, subject.as_deref(), now, not_before)
                .await
            {
                let _ = with_db!(db, |pool| sqlx::query(UNMARK)
                    .bind(id)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected()));
                return Err(e.into());
            }
            sent += 1;
        }
        Ok(sent)
    }

    /// Sends job `id`'s message now and records it (enqueue, retry).
    pub(crate) async fn send(
        &self,
        db: &Db,
        job: (&str, Uuid, Option<&str>),
        run_at: i64,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        const MARK: &str = "UPDATE jobs SET dispatched_at = $2 WHERE id = $1";
        let (kind, id, subject) = job;
        let not_before = (run_at > now).then_some(run_at);
        self.broker
            .publish(kind, id, subject, now, not_before)
            .await?;
        with_db!(db, |pool| sqlx::query(MARK)
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }
}

async fn claim_row(
    db: &Db,
    id: Uuid,
    worker: &str,
    until: i64,
    now: i64,
) -> Result<Option<JobRow>, sqlx::Error> {
    use super::conn::JobConnection;
    let sql = format!("{CLAIM_ONE}{JOB_COLUMNS}");
    with_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query_as::<_, JobRow>(&sql)
            .bind(id)
            .bind(worker)
            .bind(until)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(r) = &row {
            tx.append_event(r.id, now).await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(row)
    })
}

async fn load(db: &Db, id: Uuid) -> Result<Option<Job>, sqlx::Error> {
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
    with_db!(db, |pool| sqlx::query_as::<_, JobRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map(|r| r.map(Job::from)))
}
