//! Share links, stored as hashes of their tokens.

use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use super::*;

impl TripRepo {
    // --- sharing ------------------------------------------------------------------------

    /// Revokes earlier links of the trip and stores a new one (its hash opens it; the token
    /// itself is kept so the owner can see the current link again).
    pub async fn create_share(
        &self,
        trip_id: Uuid,
        token: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(REVOKE_SHARES)
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO trip_shares (token_hash, trip_id, created_at, token) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(trip_id)
            .bind(now)
            .bind(token)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    pub async fn revoke_shares(&self, trip_id: Uuid, now: i64) -> Result<u64, sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query(REVOKE_SHARES)
            .bind(trip_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }

    /// The trip's live link: its token and creation time (ms). Links made before tokens were
    /// kept have none and are not shown (the owner can still revoke or rotate them).
    pub async fn current_share(&self, trip_id: Uuid) -> Result<Option<(String, i64)>, sqlx::Error> {
        const SQL: &str = "SELECT token, created_at FROM trip_shares \
             WHERE trip_id = $1 AND revoked_at IS NULL AND token IS NOT NULL \
             ORDER BY created_at DESC LIMIT 1";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (String, i64)>(SQL)
            .bind(trip_id)
            .fetch_optional(pool)
            .await)
    }

    /// The trip a live share token opens.
    pub async fn shared_trip(&self, token_hash: &str) -> Result<Option<Uuid>, sqlx::Error> {
        const SQL: &str =
            "SELECT trip_id FROM trip_shares WHERE token_hash = $1 AND revoked_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (Uuid,)>(SQL)
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map(|r| r.map(|(id,)| id)))
    }
}
