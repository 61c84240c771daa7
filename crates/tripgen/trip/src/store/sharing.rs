//! Share links, stored as hashes of their tokens.

use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use super::*;

impl TripRepo {
    // --- sharing ------------------------------------------------------------------------

    /// Revokes earlier links of the trip and stores a new one.
    pub async fn create_share(
        &self,
        trip_id: Uuid,
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
                "INSERT INTO trip_shares (token_hash, trip_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(token_hash)
            .bind(trip_id)
            .bind(now)
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
