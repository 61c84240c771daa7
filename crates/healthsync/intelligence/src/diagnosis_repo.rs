//! Storage of diagnoses and of the model-call log (no content).

use tripgen_platform::with_db;
use uuid::Uuid;

use crate::repo::IntelligenceRepo;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DiagnosisRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub checkup_id: Uuid,
    pub input_hash: String,
    pub language: String,
    pub lines: String,
    pub considerations: String,
    pub generated_by: String,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub latency_ms: i64,
    pub refreshed: i64,
    pub created_at: i64,
}

const COLS: &str = "id, user_id, checkup_id, input_hash, language, lines, considerations, \
                    generated_by, provider, model, latency_ms, refreshed, created_at";

impl IntelligenceRepo {
    pub async fn insert_diagnosis(&self, r: &DiagnosisRow) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO diagnoses ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        with_db!(&self.db, |pool| sqlx::query(&sql)
            .bind(r.id)
            .bind(r.user_id)
            .bind(r.checkup_id)
            .bind(&r.input_hash)
            .bind(&r.language)
            .bind(&r.lines)
            .bind(&r.considerations)
            .bind(&r.generated_by)
            .bind(&r.provider)
            .bind(&r.model)
            .bind(r.latency_ms)
            .bind(r.refreshed)
            .bind(r.created_at)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// The newest diagnosis with these inputs made at or after `since_ms`.
    pub async fn fresh_diagnosis(
        &self,
        user_id: Uuid,
        input_hash: &str,
        since_ms: i64,
    ) -> Result<Option<DiagnosisRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLS} FROM diagnoses WHERE user_id = $1 AND input_hash = $2 AND created_at >= $3 \
             ORDER BY created_at DESC LIMIT 1"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(input_hash)
            .bind(since_ms)
            .fetch_optional(pool)
            .await)
    }

    pub async fn diagnosis_refreshes_since(
        &self,
        user_id: Uuid,
        since_ms: i64,
    ) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM diagnoses WHERE user_id = $1 AND refreshed = 1 AND created_at >= $2";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(user_id)
            .bind(since_ms)
            .fetch_one(pool)
            .await)
    }

    /// One model call, without content.
    pub async fn log_call(
        &self,
        purpose: &str,
        provider: &str,
        outcome: &str,
        latency_ms: i64,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        let sql = "INSERT INTO ai_calls (id, purpose, provider, model, outcome, latency_ms, at) \
                   VALUES ($1, $2, $3, NULL, $4, $5, $6)";
        with_db!(&self.db, |pool| sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(purpose)
            .bind(provider)
            .bind(outcome)
            .bind(latency_ms)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    pub async fn erase_diagnoses(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query(
            "DELETE FROM diagnoses WHERE user_id = $1"
        )
        .bind(user_id)
        .execute(pool)
        .await
        .map(|_| ()))
    }
}
