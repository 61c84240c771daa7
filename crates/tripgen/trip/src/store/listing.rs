//! The trip list (filters, sorts, keyset pages) and the dashboard counts.

use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::calendar::TripStatus;

use super::*;

impl TripRepo {
    // --- list and dashboard -------------------------------------------------------------

    pub async fn list(&self, f: &ListFilter) -> Result<Vec<TripRow>, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!("SELECT {TRIP_COLUMNS}"));
            push_filter!(qb, f);
            push_after!(qb, f);
            qb.push(order_by(f.sort));
            qb.push(" LIMIT ").push_bind(f.limit);
            if f.offset > 0 {
                qb.push(" OFFSET ").push_bind(f.offset);
            }
            qb.build_query_as::<TripRow>().fetch_all(pool).await
        })
    }

    pub async fn count(&self, f: &ListFilter) -> Result<i64, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::new("SELECT COUNT(*)");
            push_filter!(qb, f);
            let (n,): (i64,) = qb.build_query_as().fetch_one(pool).await?;
            Ok(n)
        })
    }

    /// `(planning, ongoing, completed)` counts of the owner's live trips at `now`.
    pub async fn status_counts(
        &self,
        owner: Uuid,
        now: i64,
    ) -> Result<(i64, i64, i64), sqlx::Error> {
        const SQL: &str = "SELECT \
               COALESCE(SUM(CASE WHEN starts_at IS NULL OR starts_at > $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN starts_at <= $2 AND ends_at > $2 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN ends_at <= $2 THEN 1 ELSE 0 END), 0) \
             FROM trips WHERE owner_id = $1 AND deleted_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (i64, i64, i64)>(SQL)
            .bind(owner)
            .bind(now)
            .fetch_one(pool)
            .await)
    }

    /// The next instant after `now` at which one of the owner's trips changes status.
    pub async fn next_status_change(
        &self,
        owner: Uuid,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        const SQL: &str = "SELECT MIN(CASE WHEN starts_at > $2 THEN starts_at ELSE ends_at END) \
             FROM trips WHERE owner_id = $1 AND deleted_at IS NULL AND ends_at > $2";
        with_db!(&self.db, |pool| sqlx::query_as::<_, (Option<i64>,)>(SQL)
            .bind(owner)
            .bind(now)
            .fetch_one(pool)
            .await
            .map(|(v,)| v))
    }
}
