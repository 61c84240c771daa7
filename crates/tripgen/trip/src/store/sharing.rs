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
        expires_at: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(REVOKE_SHARES)
                .bind(trip_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO trip_shares (token_hash, trip_id, created_at, token, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(trip_id)
            .bind(now)
            .bind(token)
            .bind(expires_at)
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

    /// The trip's live link: its token, creation and expiry time (ms). Links made before
    /// tokens were kept have none and are not shown (the owner can still revoke or rotate
    /// them); an expired link is not live.
    pub async fn current_share(
        &self,
        trip_id: Uuid,
        now: i64,
    ) -> Result<Option<(String, i64, Option<i64>)>, sqlx::Error> {
        const SQL: &str = "SELECT token, created_at, expires_at FROM trip_shares \
             WHERE trip_id = $1 AND revoked_at IS NULL AND token IS NOT NULL \
             AND (expires_at IS NULL OR expires_at > $2) \
             ORDER BY created_at DESC LIMIT 1";
        with_db!(&self.db, |pool| sqlx::query_as::<
            _,
            (String, i64, Option<i64>),
        >(SQL)
        .bind(trip_id)
        .bind(now)
        .fetch_optional(pool)
        .await)
    }

    /// The trip an unrevoked share token opens, and when the link expires (ms).
    pub async fn shared_trip(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Uuid, Option<i64>)>, sqlx::Error> {
        const SQL: &str = "SELECT trip_id, expires_at FROM trip_shares \
             WHERE token_hash = $1 AND revoked_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (Uuid, Option<i64>)>(
            SQL
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
    }
}
