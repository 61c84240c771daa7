//! Storage of completions and the points ledger: a check-off writes the completion, its
//! ledger line and `mission-completed` in one transaction; an undo deletes it and writes
//! the reversing line.

use tripgen_platform::db::WritePool;
use tripgen_platform::jobs::event::DomainEvent;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::streak::{points, streak_on};
use crate::repo::{CompletionRow, GoalRepo, LedgerRow, MissionTotals};

/// One check-off to store.
pub struct CheckOff<'a> {
    pub user_id: Uuid,
    pub goal_id: Uuid,
    pub mission_id: &'a str,
    pub day: &'a str,
    pub yesterday: &'a str,
    pub notes: Option<&'a str>,
    pub at: i64,
}

impl GoalRepo {
    /// Stores the completion of `c.day` unless it exists. Returns the stored (or
    /// existing) completion and whether this call created it. `event` is built from the
    /// new completion's (streak, points).
    pub async fn complete(
        &self,
        c: &CheckOff<'_>,
        event: impl FnOnce(i64, i64) -> DomainEvent,
    ) -> Result<(CompletionRow, bool), sqlx::Error> {
        let previous = "SELECT streak FROM mission_completions WHERE user_id = $1 AND mission_id = $2 AND date = $3";
        let insert = "INSERT INTO mission_completions (user_id, mission_id, date, goal_id, completed_at, notes, streak, points) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, mission_id, date) DO NOTHING";
        let existing = "SELECT mission_id, date, streak, points FROM mission_completions \
                        WHERE user_id = $1 AND mission_id = $2 AND date = $3";
        let ledger = "INSERT INTO points_ledger (id, user_id, mission_id, date, points, reason, at) \
                      VALUES ($1, $2, $3, $4, $5, 'completion', $6)";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let prev: Option<i64> = sqlx::query_scalar(previous)
                .bind(c.user_id)
                .bind(c.mission_id)
                .bind(c.yesterday)
                .fetch_optional(&mut *tx)
                .await?;
            let streak = streak_on(prev);
            let earned = points(streak);
            let inserted = sqlx::query(insert)
                .bind(c.user_id)
                .bind(c.mission_id)
                .bind(c.day)
                .bind(c.goal_id)
                .bind(c.at)
                .bind(c.notes)
                .bind(streak)
                .bind(earned)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if !inserted {
                let row: CompletionRow = sqlx::query_as(existing)
                    .bind(c.user_id)
                    .bind(c.mission_id)
                    .bind(c.day)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.rollback().await?;
                return Ok((row, false));
            }
            sqlx::query(ledger)
                .bind(Uuid::now_v7())
                .bind(c.user_id)
                .bind(c.mission_id)
                .bind(c.day)
                .bind(earned)
                .bind(c.at)
                .execute(&mut *tx)
                .await?;
            event(streak, earned).write(&mut *tx).await?;
            tx.commit().await?;
            Ok((
                CompletionRow {
                    mission_id: c.mission_id.to_string(),
                    date: c.day.to_string(),
                    streak,
                    points: earned,
                },
                true,
            ))
        })
    }

    /// Removes the completion of `day` and reverses exactly its points. `None` when
    /// there was none.
    pub async fn undo(
        &self,
        user_id: Uuid,
        mission_id: &str,
        day: &str,
        at: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let delete = "DELETE FROM mission_completions WHERE user_id = $1 AND mission_id = $2 AND date = $3 RETURNING points";
        let ledger = "INSERT INTO points_ledger (id, user_id, mission_id, date, points, reason, at) \
                      VALUES ($1, $2, $3, $4, $5, 'undo', $6)";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let removed: Option<i64> = sqlx::query_scalar(delete)
                .bind(user_id)
                .bind(mission_id)
                .bind(day)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(p) = removed else {
                tx.rollback().await?;
                return Ok(None);
            };
            sqlx::query(ledger)
                .bind(Uuid::now_v7())
                .bind(user_id)
                .bind(mission_id)
                .bind(day)
                .bind(-p)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(p))
        })
    }

    /// Completions of the user on the given days.
    pub async fn completions_on(
        &self,
        user_id: Uuid,
        days: &[&str],
    ) -> Result<Vec<CompletionRow>, sqlx::Error> {
        let sql = "SELECT mission_id, date, streak, points FROM mission_completions \
                   WHERE user_id = $1 AND date >= $2 AND date <= $3";
        let (Some(lo), Some(hi)) = (days.iter().min(), days.iter().max()) else {
            return Ok(Vec::new());
        };
        let rows: Vec<CompletionRow> = with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .bind(*lo)
            .bind(*hi)
            .fetch_all(pool)
            .await)?;
        Ok(rows
            .into_iter()
            .filter(|r| days.contains(&r.date.as_str()))
            .collect())
    }

    /// Completions of the user in [from, to] (local days).
    pub async fn completions_between(
        &self,
        user_id: Uuid,
        from: &str,
        to: &str,
    ) -> Result<Vec<CompletionRow>, sqlx::Error> {
        let sql = "SELECT mission_id, date, streak, points FROM mission_completions \
                   WHERE user_id = $1 AND date >= $2 AND date <= $3 ORDER BY date";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await)
    }

    pub async fn mission_totals(&self, user_id: Uuid) -> Result<Vec<MissionTotals>, sqlx::Error> {
        let sql = "SELECT mission_id, MAX(streak) AS best_streak, COUNT(*) AS total FROM mission_completions \
                   WHERE user_id = $1 GROUP BY mission_id";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .fetch_all(pool)
            .await)
    }

    /// (points of local day `day`, total points).
    pub async fn points(&self, user_id: Uuid, day: &str) -> Result<(i64, i64), sqlx::Error> {
        // SUM of BIGINT is NUMERIC on PostgreSQL: cast back to a 64-bit integer.
        let sql = "SELECT CAST(COALESCE(SUM(CASE WHEN date = $2 THEN points ELSE 0 END), 0) AS BIGINT), \
                   CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger WHERE user_id = $1";
        let row: (i64, i64) = with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .bind(day)
            .fetch_one(pool)
            .await)?;
        Ok(row)
    }

    /// Ledger lines newest first, after the cursor `(at, id)` if given.
    pub async fn ledger(
        &self,
        user_id: Uuid,
        after: Option<(i64, Uuid)>,
        limit: i64,
    ) -> Result<Vec<LedgerRow>, sqlx::Error> {
        let cols = "id, mission_id, date, points, reason, at";
        let (at, id) = after.unwrap_or((i64::MAX, Uuid::max()));
        let sql = format!(
            "SELECT {cols} FROM points_ledger WHERE user_id = $1 AND (at < $2 OR (at = $2 AND id < $3)) \
             ORDER BY at DESC, id DESC LIMIT $4"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(at)
            .bind(id)
            .bind(limit)
            .fetch_all(pool)
            .await)
    }

    /// Erases everything of the user this context holds (`user-deleted`).
    pub async fn erase_user(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            for sql in [
                "DELETE FROM goal_missions WHERE goal_id IN (SELECT id FROM goals WHERE user_id = $1)",
                "DELETE FROM goals WHERE user_id = $1",
                "DELETE FROM mission_completions WHERE user_id = $1",
                "DELETE FROM points_ledger WHERE user_id = $1",
            ] {
                sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }
}
