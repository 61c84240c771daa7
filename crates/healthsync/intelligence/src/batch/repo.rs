//! Storage of the batch: the lease, run reports and the nudges (SQLite and PostgreSQL).

use serde::Serialize;
use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::repo::IntelligenceRepo;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchRunRow {
    pub id: Uuid,
    pub run_date: String,
    pub evaluated_day: String,
    /// `running`, `succeeded` or `failed`.
    pub state: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub candidates: i64,
    pub lagging: i64,
    pub notified: i64,
    pub skipped: i64,
    pub failed: i64,
    pub ai_templates: i64,
    pub fallback_templates: i64,
    pub error: Option<String>,
}

const RUN_COLS: &str = "id, run_date, evaluated_day, state, started_at, finished_at, candidates, lagging, \
     notified, skipped, failed, ai_templates, fallback_templates, error";

/// One nudge to insert.
pub struct Nudge {
    pub user_id: Uuid,
    pub params: String,
    pub urgency: &'static str,
    pub motivation: &'static str,
}

impl IntelligenceRepo {
    /// Takes (or renews, for the same owner) the lease `name` until `until_ms` unless
    /// another owner holds it past `now_ms`.
    pub async fn take_lease(
        &self,
        name: &str,
        owner: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        let sql = "INSERT INTO batch_leases (name, owner, until) VALUES ($1, $2, $3) \
                   ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until \
                   WHERE batch_leases.until < $4 OR batch_leases.owner = excluded.owner";
        let n = with_db!(&self.db, |pool| sqlx::query(sql)
            .bind(name)
            .bind(owner)
            .bind(until_ms)
            .bind(now_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn release_lease(&self, name: &str, owner: &str) -> Result<(), sqlx::Error> {
        let sql = "UPDATE batch_leases SET until = 0 WHERE name = $1 AND owner = $2";
        with_db!(&self.db, |pool| sqlx::query(sql)
            .bind(name)
            .bind(owner)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    pub async fn save_run(&self, r: &BatchRunRow) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO batch_runs ({RUN_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (id) DO UPDATE SET evaluated_day = excluded.evaluated_day, state = excluded.state, \
             finished_at = excluded.finished_at, candidates = excluded.candidates, lagging = excluded.lagging, \
             notified = excluded.notified, skipped = excluded.skipped, failed = excluded.failed, \
             ai_templates = excluded.ai_templates, fallback_templates = excluded.fallback_templates, \
             error = excluded.error"
        );
        with_db!(&self.db, |pool| sqlx::query(&sql)
            .bind(r.id)
            .bind(&r.run_date)
            .bind(&r.evaluated_day)
            .bind(&r.state)
            .bind(r.started_at)
            .bind(r.finished_at)
            .bind(r.candidates)
            .bind(r.lagging)
            .bind(r.notified)
            .bind(r.skipped)
            .bind(r.failed)
            .bind(r.ai_templates)
            .bind(r.fallback_templates)
            .bind(&r.error)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    pub async fn runs(&self, limit: i64) -> Result<Vec<BatchRunRow>, sqlx::Error> {
        let sql =
            format!("SELECT {RUN_COLS} FROM batch_runs ORDER BY started_at DESC, id DESC LIMIT $1");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(limit)
            .fetch_all(pool)
            .await)
    }

    pub async fn run(&self, id: Uuid) -> Result<Option<BatchRunRow>, sqlx::Error> {
        let sql = format!("SELECT {RUN_COLS} FROM batch_runs WHERE id = $1");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Inserts the page's nudges for `date`; one per user and day (a repeat inserts
    /// nothing). Returns how many were new.
    pub async fn insert_nudges(
        &self,
        date: &str,
        nudges: &[Nudge],
        at: i64,
    ) -> Result<u64, sqlx::Error> {
        let sql = "INSERT INTO notifications (id, user_id, kind, date, code, params, urgency, \
                   motivation_type, generated_by, created_at) \
                   VALUES ($1, $2, 'daily_nudge', $3, 'daily_nudge', $4, $5, $6, 'rules', $7) \
                   ON CONFLICT DO NOTHING";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut n = 0;
            for x in nudges {
                n += sqlx::query(sql)
                    .bind(Uuid::now_v7())
                    .bind(x.user_id)
                    .bind(date)
                    .bind(&x.params)
                    .bind(x.urgency)
                    .bind(x.motivation)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(n)
        })
    }
}
