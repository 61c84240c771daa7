//! Storage of recommendations (SQLite and PostgreSQL, one contract).

use tripgen_platform::{Db, with_db};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecommendationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub input_hash: String,
    pub missions: String,
    pub flagged: String,
    pub based_on_checkup: i64,
    pub generated_by: String,
    pub refreshed: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

const COLS: &str = "id, user_id, input_hash, missions, flagged, based_on_checkup, generated_by, \
                    refreshed, created_at, expires_at";

#[derive(Clone)]
pub struct IntelligenceRepo {
    pub db: Db,
}

impl IntelligenceRepo {
    pub fn new(db: Db) -> Self {
        IntelligenceRepo { db }
    }

    pub async fn insert(&self, r: &RecommendationRow) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO recommendations ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        with_db!(&self.db, |pool| sqlx::query(&sql)
            .bind(r.id)
            .bind(r.user_id)
            .bind(&r.input_hash)
            .bind(&r.missions)
            .bind(&r.flagged)
            .bind(r.based_on_checkup)
            .bind(&r.generated_by)
            .bind(r.refreshed)
            .bind(r.created_at)
            .bind(r.expires_at)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    pub async fn latest(&self, user_id: Uuid) -> Result<Option<RecommendationRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLS} FROM recommendations WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_optional(pool)
            .await)
    }

    /// The user's recommendation `id` (another user's is `None`).
    pub async fn get(
        &self,
        user_id: Uuid,
        id: Uuid,
    ) -> Result<Option<RecommendationRow>, sqlx::Error> {
        let sql = format!("SELECT {COLS} FROM recommendations WHERE user_id = $1 AND id = $2");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Refreshes asked since `since_ms` (the start of the local day).
    pub async fn refreshes_since(&self, user_id: Uuid, since_ms: i64) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM recommendations WHERE user_id = $1 AND refreshed = 1 AND created_at >= $2";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(user_id)
            .bind(since_ms)
            .fetch_one(pool)
            .await)
    }

    /// Erases the user's recommendations (`user-deleted`).
    pub async fn erase_user(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query(
            "DELETE FROM recommendations WHERE user_id = $1"
        )
        .bind(user_id)
        .execute(pool)
        .await
        .map(|_| ()))
    }
}
