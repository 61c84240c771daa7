//! HS-HEALTH-010's limit: at most 10 syncs per user per rolling hour, counted in the
//! database so every replica agrees.

use chrono::{DateTime, Duration, Utc};
use tripgen_platform::error::ApiError;
use tripgen_platform::{Db, with_db};
use uuid::Uuid;

use crate::repo::now_ms;

pub const SYNCS_PER_HOUR: i64 = 10;

/// 429 `RATE_LIMITED` (with `Retry-After`) when the user already synced 10 times in the
/// last hour; otherwise records this attempt.
pub async fn check_and_record(db: &Db, user_id: Uuid, now: DateTime<Utc>) -> Result<(), ApiError> {
    let since = now_ms(now - Duration::hours(1));
    let (count, oldest): (i64, Option<i64>) = with_db!(db, |pool| sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM health_sync_log WHERE user_id = $1 AND at > $2"
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(pool)
    .await)?;
    if count >= SYNCS_PER_HOUR {
        let retry = oldest
            .map(|o| ((o - since) / 1000).max(1))
            .and_then(|s| u64::try_from(s).ok())
            .unwrap_or(60);
        return Err(ApiError::too_many(
            "RATE_LIMITED",
            retry,
            "At most 10 syncs per hour; try again later.",
        ));
    }
    with_db!(db, |pool| {
        sqlx::query("DELETE FROM health_sync_log WHERE user_id = $1 AND at <= $2")
            .bind(user_id)
            .bind(since)
            .execute(pool)
            .await?;
        sqlx::query("INSERT INTO health_sync_log (user_id, at) VALUES ($1, $2)")
            .bind(user_id)
            .bind(now_ms(now))
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
