//! The queue's statements on one connection, so a context can enqueue or cancel a job in
//! the same transaction as its own state change (`&mut *tx` of either backend).

use futures::future::BoxFuture;
use uuid::Uuid;

use super::model::{JOB_COLUMNS, Job, JobRow, JobState, NewJob};

pub trait JobConnection: Send {
    /// Inserts the job; `false` when its idempotency key is already taken.
    fn insert_job<'a>(
        &'a mut self,
        job: &'a NewJob,
        now: i64,
    ) -> BoxFuture<'a, Result<bool, sqlx::Error>>;

    /// The job holding an idempotency key.
    fn job_by_dedupe_key<'a>(
        &'a mut self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Uuid>, sqlx::Error>>;

    fn load_job(&mut self, id: Uuid) -> BoxFuture<'_, Result<Option<Job>, sqlx::Error>>;

    /// Cancels a queued or running job (a running worker loses its lease at its next
    /// write). Returns the state after the call and whether this call cancelled it;
    /// `None` for an unknown job.
    fn cancel_job<'a>(
        &'a mut self,
        id: Uuid,
        message: &'a str,
        now: i64,
    ) -> BoxFuture<'a, Result<Option<(JobState, bool)>, sqlx::Error>>;

    /// Records the job's current status as its next event; returns the event number.
    fn append_event(&mut self, id: Uuid, now: i64) -> BoxFuture<'_, Result<i64, sqlx::Error>>;
}

pub(crate) const INSERT_JOB: &str = "INSERT INTO jobs (id, kind, state, payload, subject, topic, \
     dedupe_key, attempts, max_attempts, run_at, progress, event_seq, created_at, updated_at) \
     VALUES ($1, $2, 'queued', $3, $4, $9, $5, 0, $6, $7, 0, 0, $8, $8) \
     ON CONFLICT (dedupe_key) DO NOTHING";

macro_rules! impl_job_connection {
    ($conn:ty) => {
        impl JobConnection for $conn {
            fn insert_job<'a>(
                &'a mut self,
                job: &'a NewJob,
                now: i64,
            ) -> BoxFuture<'a, Result<bool, sqlx::Error>> {
                Box::pin(async move {
                    let n = sqlx::query(INSERT_JOB)
                        .bind(job.id)
                        .bind(&job.kind)
                        .bind(job.payload.to_string())
                        .bind(&job.subject)
                        .bind(&job.dedupe_key)
                        .bind(i64::from(job.max_attempts.max(1)))
                        .bind(job.run_at)
                        .bind(now)
                        .bind(&job.topic)
                        .execute(&mut *self)
                        .await?
                        .rows_affected();
                    if n == 1 {
                        self.append_event(job.id, now).await?;
                    }
                    Ok(n == 1)
                })
            }

            fn job_by_dedupe_key<'a>(
                &'a mut self,
                key: &'a str,
            ) -> BoxFuture<'a, Result<Option<Uuid>, sqlx::Error>> {
                Box::pin(async move {
                    sqlx::query_as::<_, (Uuid,)>("SELECT id FROM jobs WHERE dedupe_key = $1")
                        .bind(key)
                        .fetch_optional(&mut *self)
                        .await
                        .map(|r| r.map(|(id,)| id))
                })
            }

            fn load_job(&mut self, id: Uuid) -> BoxFuture<'_, Result<Option<Job>, sqlx::Error>> {
                Box::pin(async move {
                    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
                    sqlx::query_as::<_, JobRow>(&sql)
                        .bind(id)
                        .fetch_optional(&mut *self)
                        .await
                        .map(|r| r.map(Job::from))
                })
            }

            fn cancel_job<'a>(
                &'a mut self,
                id: Uuid,
                message: &'a str,
                now: i64,
            ) -> BoxFuture<'a, Result<Option<(JobState, bool)>, sqlx::Error>> {
                Box::pin(async move {
                    const SQL: &str = "UPDATE jobs SET state = 'cancelled', lease_owner = NULL, \
                         lease_until = NULL, eta_secs = NULL, message = $3, finished_at = $2, updated_at = $2 \
                         WHERE id = $1 AND state IN ('queued', 'running')";
                    let n = sqlx::query(SQL)
                        .bind(id)
                        .bind(now)
                        .bind(message)
                        .execute(&mut *self)
                        .await?
                        .rows_affected();
                    if n == 1 {
                        self.append_event(id, now).await?;
                        return Ok(Some((JobState::Cancelled, true)));
                    }
                    sqlx::query_as::<_, (String,)>("SELECT state FROM jobs WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *self)
                        .await
                        .map(|r| r.map(|(s,)| (JobState::parse(&s), false)))
                })
            }

            fn append_event(&mut self, id: Uuid, now: i64) -> BoxFuture<'_, Result<i64, sqlx::Error>> {
                Box::pin(async move {
                    let sql = format!(
                        "UPDATE jobs SET event_seq = event_seq + 1 WHERE id = $1 RETURNING {JOB_COLUMNS}"
                    );
                    let row = sqlx::query_as::<_, JobRow>(&sql)
                        .bind(id)
                        .fetch_one(&mut *self)
                        .await?;
                    let seq = row.event_seq;
                    let data = serde_json::to_string(&Job::from(row).status())
                        .unwrap_or_else(|_| "{}".into());
                    sqlx::query("INSERT INTO job_events (job_id, seq, at, data) VALUES ($1, $2, $3, $4)")
                        .bind(id)
                        .bind(seq)
                        .bind(now)
                        .bind(data)
                        .execute(&mut *self)
                        .await?;
                    Ok(seq)
                })
            }
        }
    };
}

impl_job_connection!(sqlx::SqliteConnection);
impl_job_connection!(sqlx::PgConnection);
