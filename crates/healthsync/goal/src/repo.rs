//! Storage of goals, their missions, completions and the points ledger (SQLite and
//! PostgreSQL, one contract). Writes that change goal data carry their domain event in
//! the same transaction (the outbox).

use tripgen_platform::db::WritePool;
use tripgen_platform::jobs::event::DomainEvent;
use tripgen_platform::{Db, with_db};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GoalRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub recommendation_id: Uuid,
    pub status: String,
    pub start_date: String,
    pub created_at: i64,
    pub ended_at: Option<i64>,
    pub end_date: Option<String>,
    pub end_reason: Option<String>,
}

const GOAL_COLS: &str = "id, user_id, recommendation_id, status, start_date, created_at, ended_at, end_date, end_reason";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GoalMissionRow {
    pub goal_id: Uuid,
    pub mission_id: String,
    pub position: i64,
    pub title_ko: String,
    pub title_en: String,
    pub description_ko: String,
    pub description_en: String,
    pub category: String,
    pub difficulty: String,
    pub minutes: i64,
    pub added_on: String,
    pub removed_on: Option<String>,
}

const MISSION_COLS: &str = "goal_id, mission_id, position, title_ko, title_en, description_ko, \
     description_en, category, difficulty, minutes, added_on, removed_on";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompletionRow {
    pub mission_id: String,
    pub date: String,
    pub streak: i64,
    pub points: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub id: Uuid,
    pub mission_id: String,
    pub date: String,
    pub points: i64,
    pub reason: String,
    pub at: i64,
}

/// Per mission of a user: best streak and total completions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MissionTotals {
    pub mission_id: String,
    pub best_streak: i64,
    pub total: i64,
}

#[derive(Clone)]
pub struct GoalRepo {
    pub db: Db,
}

/// How a goal ends.
pub struct Ending<'a> {
    pub reason: &'a str,
    pub reset_reason: Option<&'a str>,
    pub reset_comment: Option<&'a str>,
    pub at: i64,
    pub day: &'a str,
}

impl GoalRepo {
    pub fn new(db: Db) -> Self {
        GoalRepo { db }
    }

    pub async fn active_goal(&self, user_id: Uuid) -> Result<Option<GoalRow>, sqlx::Error> {
        let sql = format!("SELECT {GOAL_COLS} FROM goals WHERE user_id = $1 AND status = 'active'");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_optional(pool)
            .await)
    }

    pub async fn goals(&self, user_id: Uuid) -> Result<Vec<GoalRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {GOAL_COLS} FROM goals WHERE user_id = $1 ORDER BY start_date, created_at"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_all(pool)
            .await)
    }

    pub async fn missions(&self, goal_id: Uuid) -> Result<Vec<GoalMissionRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {MISSION_COLS} FROM goal_missions WHERE goal_id = $1 ORDER BY position"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(goal_id)
            .fetch_all(pool)
            .await)
    }

    /// Every goal mission of the user (all goals), for statistics.
    pub async fn all_missions(&self, user_id: Uuid) -> Result<Vec<GoalMissionRow>, sqlx::Error> {
        let cols = MISSION_COLS
            .split(", ")
            .map(|c| format!("gm.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM goal_missions gm JOIN goals g ON g.id = gm.goal_id \
             WHERE g.user_id = $1 ORDER BY gm.added_on, gm.position"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_all(pool)
            .await)
    }

    /// Ends the active goal (if any) as `replaced` and starts `goal` with `missions`, with
    /// the `goal-set` event, in one transaction.
    pub async fn replace_goal(
        &self,
        goal: &GoalRow,
        missions: &[GoalMissionRow],
        ending: &Ending<'_>,
        event: &DomainEvent,
    ) -> Result<(), sqlx::Error> {
        let end = "UPDATE goals SET status = 'ended', ended_at = $2, end_date = $3, end_reason = $4 \
                   WHERE user_id = $1 AND status = 'active'";
        let insert =
            format!("INSERT INTO goals ({GOAL_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        let insert_mission = format!(
            "INSERT INTO goal_missions ({MISSION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        );
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(end)
                .bind(goal.user_id)
                .bind(ending.at)
                .bind(ending.day)
                .bind(ending.reason)
                .execute(&mut *tx)
                .await?;
            sqlx::query(&insert)
                .bind(goal.id)
                .bind(goal.user_id)
                .bind(goal.recommendation_id)
                .bind(&goal.status)
                .bind(&goal.start_date)
                .bind(goal.created_at)
                .bind(goal.ended_at)
                .bind(&goal.end_date)
                .bind(&goal.end_reason)
                .execute(&mut *tx)
                .await?;
            for m in missions {
                sqlx::query(&insert_mission)
                    .bind(m.goal_id)
                    .bind(&m.mission_id)
                    .bind(m.position)
                    .bind(&m.title_ko)
                    .bind(&m.title_en)
                    .bind(&m.description_ko)
                    .bind(&m.description_en)
                    .bind(&m.category)
                    .bind(&m.difficulty)
                    .bind(m.minutes)
                    .bind(&m.added_on)
                    .bind(&m.removed_on)
                    .execute(&mut *tx)
                    .await?;
            }
            event.write(&mut *tx).await?;
            tx.commit().await
        })
    }

    /// Ends the active goal `goal_id` as `reset` with the `mission-reset` event. `false`
    /// when it was no longer active.
    pub async fn reset_goal(
        &self,
        user_id: Uuid,
        goal_id: Uuid,
        ending: &Ending<'_>,
        event: &DomainEvent,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE goals SET status = 'ended', ended_at = $3, end_date = $4, end_reason = $5, \
                   reset_reason = $6, reset_comment = $7 WHERE user_id = $1 AND id = $2 AND status = 'active'";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(sql)
                .bind(user_id)
                .bind(goal_id)
                .bind(ending.at)
                .bind(ending.day)
                .bind(ending.reason)
                .bind(ending.reset_reason)
                .bind(ending.reset_comment)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            event.write(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Goals the user reset on local day `day`.
    pub async fn resets_on(&self, user_id: Uuid, day: &str) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM goals WHERE user_id = $1 AND end_reason = 'reset' AND end_date = $2";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(user_id)
            .bind(day)
            .fetch_one(pool)
            .await)
    }
}

/// A goal overlapping a window, with its missions' ids and titles (for the batch).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct WindowGoalRow {
    pub goal_id: Uuid,
    pub user_id: Uuid,
    pub start_date: String,
    pub end_date: Option<String>,
    pub mission_id: String,
    pub title_ko: String,
    pub title_en: String,
}

/// One page of the batch's window (see [`GoalRepo::window_page`]).
#[derive(Debug, Clone, Default)]
pub struct WindowPage {
    pub goals: Vec<WindowGoalRow>,
    pub completions: Vec<(Uuid, String, String)>,
    pub next: Option<Uuid>,
}

impl GoalRepo {
    /// Every goal mission of goals overlapping [from, to] (local days), by user.
    pub async fn window_goals(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<WindowGoalRow>, sqlx::Error> {
        let sql = "SELECT g.id AS goal_id, g.user_id, g.start_date, g.end_date, gm.mission_id, gm.title_ko, gm.title_en \
                   FROM goals g JOIN goal_missions gm ON gm.goal_id = g.id \
                   WHERE g.start_date <= $2 AND (g.end_date IS NULL OR g.end_date >= $1) \
                   ORDER BY g.user_id, g.start_date, gm.position";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await)
    }

    /// One user's goal missions of goals overlapping [from, to].
    pub async fn user_window_goals(
        &self,
        user_id: Uuid,
        from: &str,
        to: &str,
    ) -> Result<Vec<WindowGoalRow>, sqlx::Error> {
        let sql = "SELECT g.id AS goal_id, g.user_id, g.start_date, g.end_date, gm.mission_id, gm.title_ko, gm.title_en \
                   FROM goals g JOIN goal_missions gm ON gm.goal_id = g.id \
                   WHERE g.user_id = $3 AND g.start_date <= $2 AND (g.end_date IS NULL OR g.end_date >= $1) \
                   ORDER BY g.start_date, gm.position";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .bind(user_id)
            .fetch_all(pool)
            .await)
    }

    /// One page of [`window_goals`](Self::window_goals) and its completions: the users
    /// after `after` (by id) with a goal overlapping [from, to], at most `users` of them.
    /// The last user of the page is the next page's `after`; `None` when this was the last.
    pub async fn window_page(
        &self,
        from: &str,
        to: &str,
        after: Option<Uuid>,
        users: u32,
    ) -> Result<WindowPage, sqlx::Error> {
        let after = after.unwrap_or_else(Uuid::nil);
        let ids = "SELECT DISTINCT user_id FROM goals \
                   WHERE start_date <= $2 AND (end_date IS NULL OR end_date >= $1) AND user_id > $3 \
                   ORDER BY user_id LIMIT $4";
        let page: Vec<Uuid> = with_db!(&self.db, |pool| sqlx::query_scalar(ids)
            .bind(from)
            .bind(to)
            .bind(after)
            .bind(i64::from(users))
            .fetch_all(pool)
            .await)?;
        let Some(last) = page.last().copied() else {
            return Ok(WindowPage::default());
        };
        let goals = "SELECT g.id AS goal_id, g.user_id, g.start_date, g.end_date, gm.mission_id, gm.title_ko, gm.title_en \
                     FROM goals g JOIN goal_missions gm ON gm.goal_id = g.id \
                     WHERE g.user_id > $3 AND g.user_id <= $4 \
                     AND g.start_date <= $2 AND (g.end_date IS NULL OR g.end_date >= $1) \
                     ORDER BY g.user_id, g.start_date, gm.position";
        let completions = "SELECT user_id, mission_id, date FROM mission_completions \
                           WHERE user_id > $3 AND user_id <= $4 AND date >= $1 AND date <= $2";
        let (goals, completions) = with_db!(&self.db, |pool| {
            let g = sqlx::query_as(goals)
                .bind(from)
                .bind(to)
                .bind(after)
                .bind(last)
                .fetch_all(pool)
                .await?;
            let c = sqlx::query_as(completions)
                .bind(from)
                .bind(to)
                .bind(after)
                .bind(last)
                .fetch_all(pool)
                .await?;
            Ok::<_, sqlx::Error>((g, c))
        })?;
        Ok(WindowPage {
            goals,
            completions,
            next: (page.len() as u64 >= u64::from(users)).then_some(last),
        })
    }

    /// (user, mission, day) of every completion in [from, to].
    pub async fn window_completions(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
        let sql = "SELECT user_id, mission_id, date FROM mission_completions WHERE date >= $1 AND date <= $2";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await)
    }
}
