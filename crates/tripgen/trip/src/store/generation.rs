//! The generation of a trip's schedule (AI context): claiming it idempotently with its
//! job, running, failing, cancelling, and saving its result once.

use sqlx::types::Json;
use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::schedule::DayPlan;

use super::*;

impl TripRepo {
    /// Enqueues `job` and marks the trip's generation queued in one transaction, unless
    /// the idempotency key was used already or a generation is in progress.
    pub async fn start_generation(
        &self,
        trip_id: Uuid,
        job: &tripgen_platform::jobs::NewJob,
        now: i64,
    ) -> Result<Option<GenerationStart>, sqlx::Error> {
        use tripgen_platform::jobs::JobConnection;
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            if let Some(key) = &job.dedupe_key
                && let Some(id) = tx.job_by_dedupe_key(key).await?
            {
                return Ok(Some(GenerationStart::Existing(id)));
            }
            let claimed = sqlx::query(CLAIM_GENERATION)
                .bind(trip_id)
                .bind(job.id.to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if !claimed {
                let row: Option<(Option<String>, Option<i64>)> = sqlx::query_as(
                    "SELECT generation_request_id, deleted_at FROM trips WHERE id = $1",
                )
                .bind(trip_id)
                .fetch_optional(&mut *tx)
                .await?;
                return Ok(match row {
                    Some((Some(rid), None)) => {
                        Uuid::parse_str(&rid).ok().map(GenerationStart::Existing)
                    }
                    _ => None,
                });
            }
            if !tx.insert_job(job, now).await? {
                // The same key won a race: the trip update is rolled back with this tx.
                let key = job.dedupe_key.as_deref().unwrap_or_default();
                let existing = tx.job_by_dedupe_key(key).await?;
                return Ok(existing.map(GenerationStart::Existing));
            }
            tx.commit().await?;
            Ok(Some(GenerationStart::Created(job.id)))
        })
    }

    /// Cancels request `rid`: the trip's generation becomes `cancelled` (so a late result
    /// is refused) and the job is cancelled, in one transaction. Returns the job's state
    /// after the call and whether this call cancelled it (`None`: no such job).
    pub async fn cancel_generation(
        &self,
        trip_id: Uuid,
        rid: Uuid,
        now: i64,
    ) -> Result<Option<(tripgen_platform::jobs::JobState, bool)>, sqlx::Error> {
        use tripgen_platform::jobs::JobConnection;
        const TRIP: &str = "UPDATE trips SET generation_state = 'cancelled', updated_at = $3 \
             WHERE id = $1 AND generation_request_id = $2 AND generation_state IN ('queued', 'running')";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let state = tx
                .cancel_job(rid, "Cancelled; the previous schedule is unchanged.", now)
                .await?;
            if matches!(state, Some((_, true))) {
                sqlx::query(TRIP)
                    .bind(trip_id)
                    .bind(rid.to_string())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(state)
        })
    }

    /// Moves request `rid` from queued to running; `false` when it is no longer the
    /// trip's generation in progress (cancelled or superseded).
    pub async fn generation_running(
        &self,
        trip_id: Uuid,
        rid: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET generation_state = 'running', updated_at = $3 \
             WHERE id = $1 AND generation_request_id = $2 AND generation_state IN ('queued', 'running') \
             AND deleted_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(trip_id)
            .bind(rid)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    /// Ends request `rid` as `failed` (dead-lettered); no-op when it is not in progress.
    pub async fn generation_failed(
        &self,
        trip_id: Uuid,
        rid: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET generation_state = 'failed', updated_at = $3 \
             WHERE id = $1 AND generation_request_id = $2 AND generation_state IN ('queued', 'running')";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(trip_id)
            .bind(rid)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    /// Saves the result of request `rid` (every day for a trip generation, or the
    /// regenerated days) as new versions, if `rid` is still in progress; `false` otherwise
    /// (already saved by an earlier attempt, or cancelled): nothing is written then.
    pub async fn save_generation_result(
        &self,
        trip_id: Uuid,
        rid: &str,
        days: &[DayPlan],
        whole_trip: bool,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let source = if whole_trip {
            "generated"
        } else {
            "regenerated"
        };
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(FINISH_GENERATION)
                .bind(trip_id)
                .bind(rid)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            if whole_trip {
                sqlx::query(
                    "DELETE FROM trip_schedule_days WHERE trip_id = $1 AND day_index >= $2",
                )
                .bind(trip_id)
                .bind(days.len() as i64)
                .execute(&mut *tx)
                .await?;
            }
            for d in days {
                push_version!(tx, trip_id, d.day_index as i64, d, source, now);
            }
            tx.commit().await?;
            Ok(true)
        })
    }
}
