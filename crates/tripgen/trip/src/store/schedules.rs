//! Day plans with versions (the newest three kept per day).

use sqlx::types::Json;
use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::schedule::DayPlan;

use super::*;

impl TripRepo {
    // --- schedules ----------------------------------------------------------------------

    /// The current (newest) version of every day, in day order.
    pub async fn current_days(
        &self,
        trip_id: Uuid,
    ) -> Result<Vec<(i64, i64, DayPlan)>, sqlx::Error> {
        const SQL: &str = "SELECT s.day_index, s.version, s.plan FROM trip_schedule_days s \
             WHERE s.trip_id = $1 AND s.version = (SELECT MAX(v.version) FROM trip_schedule_days v \
               WHERE v.trip_id = s.trip_id AND v.day_index = s.day_index) \
             ORDER BY s.day_index";
        let rows: Vec<(i64, i64, Json<DayPlan>)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(trip_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(d, v, p)| (d, v, p.0)).collect())
    }

    /// Kept versions of one day, newest first.
    pub async fn day_versions(
        &self,
        trip_id: Uuid,
        day_index: i64,
    ) -> Result<Vec<VersionRow>, sqlx::Error> {
        const SQL: &str = "SELECT version, source, created_at, plan FROM trip_schedule_days \
             WHERE trip_id = $1 AND day_index = $2 ORDER BY version DESC";
        with_db!(&self.db, |pool| sqlx::query_as::<_, VersionRow>(SQL)
            .bind(trip_id)
            .bind(day_index)
            .fetch_all(pool)
            .await)
    }

    /// Stores `plan` as the next version of its day and keeps only the newest three.
    /// Returns the new version.
    pub async fn push_day_version(
        &self,
        trip_id: Uuid,
        plan: &DayPlan,
        source: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let day = plan.day_index as i64;
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            // Touch first: the trip row lock orders concurrent edits of the trip.
            sqlx::query("UPDATE trips SET updated_at = $2 WHERE id = $1")
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let v = push_version!(tx, trip_id, day, plan, source, now);
            tx.commit().await?;
            Ok(v)
        })
    }

    /// Saves every day as a new version at once (a generation), drops days past the new
    /// end, and marks the schedule ready and the generation completed.
    pub async fn save_all_days(
        &self,
        trip_id: Uuid,
        days: &[DayPlan],
        source: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        const TRIP: &str = "UPDATE trips SET schedule_state = 'ready', generation_state = 'completed', \
             generated_at = $2, updated_at = $2 WHERE id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TRIP)
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM trip_schedule_days WHERE trip_id = $1 AND day_index >= $2")
                .bind(trip_id)
                .bind(days.len() as i64)
                .execute(&mut *tx)
                .await?;
            for d in days {
                push_version!(tx, trip_id, d.day_index as i64, d, source, now);
            }
            tx.commit().await
        })
    }

    pub async fn set_generation(
        &self,
        trip_id: Uuid,
        state: &str,
        request_id: Option<&str>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET generation_state = $2, generation_request_id = $3, updated_at = $4 \
             WHERE id = $1 AND deleted_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(trip_id)
            .bind(state)
            .bind(request_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }
}
