//! The `transit_timetables` table: one encoded timetable per imported GTFS feed.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::to_millis;
use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;

use super::timetable::{self, Timetable};
use crate::store::PlaceStore;

impl PlaceStore {
    /// Stores (or replaces) the timetable of its feed and bumps the catalogue version (so
    /// every process reloads its travel model), in one transaction. Returns the version.
    pub async fn save_timetable(&self, t: &Timetable, now: DateTime<Utc>) -> anyhow::Result<i64> {
        let bytes = timetable::encode(t)?;
        const SQL: &str = "INSERT INTO transit_timetables (feed, city_id, format, stops, trips, \
             imported_at, timetable) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (feed) DO UPDATE SET city_id = excluded.city_id, \
             format = excluded.format, stops = excluded.stops, trips = excluded.trips, \
             imported_at = excluded.imported_at, timetable = excluded.timetable";
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let version = with_db!(self.db(), |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(SQL)
                .bind(&t.feed)
                .bind(&t.city_id)
                .bind(i64::from(timetable::FORMAT_VERSION))
                .bind(count(t.stops.len()))
                .bind(count(t.trip_count()))
                .bind(to_millis(now))
                .bind(&bytes)
                .execute(&mut *tx)
                .await?;
            let (v,): (i64,) = sqlx::query_as(
                "UPDATE catalogue_meta SET value = value + 1 WHERE key = 'version' RETURNING value",
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            anyhow::Ok(v)
        })?;
        Ok(version)
    }

    /// Every stored timetable in the current format; unreadable rows are logged and left
    /// out (the headway model covers their city until a re-import).
    pub async fn timetables(&self) -> anyhow::Result<Vec<Timetable>> {
        let rows: Vec<(String, Vec<u8>)> = with_db!(self.db(), |pool| {
            sqlx::query_as(
                "SELECT feed, timetable FROM transit_timetables WHERE format = $1 ORDER BY feed",
            )
            .bind(i64::from(timetable::FORMAT_VERSION))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(feed, bytes)| match timetable::decode(&bytes) {
                Ok(t) => Some(t),
                Err(e) => {
                    tracing::error!(%feed, error = %e, "stored timetable unreadable; skipped");
                    None
                }
            })
            .collect())
    }
}
