//! Trips, their members and destinations: insert, update, soft delete, restore, purge.

use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::model::{Destination, MemberInput, WireEnum};

use super::*;

const SET_POINTS: &str = "UPDATE trips SET arrival = $2, departure = $3 WHERE id = $1";

/// Runs [`TOUCH`] in a write transaction `tx` of either backend (inside `with_db!`).
macro_rules! touch {
    ($tx:ident, $trip_id:expr, $now:expr, $outdated:expr) => {
        sqlx::query(TOUCH)
            .bind($trip_id)
            .bind($now)
            .bind($outdated)
            .execute(&mut *$tx)
            .await?
    };
}

impl TripRepo {
    // --- trips --------------------------------------------------------------------------

    pub async fn insert_trip(
        &self,
        t: NewTrip<'_>,
        members: &[MemberInput],
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO trips (id, owner_id, name, name_key, transport_mode, start_key, \
             schedule_state, generation_state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'none', 'idle', $7, $7)";
        let key = t.name.to_lowercase();
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(SQL)
                .bind(t.id)
                .bind(t.owner_id)
                .bind(t.name)
                .bind(&key)
                .bind(t.transport_mode)
                .bind(NO_START_KEY)
                .bind(t.now)
                .execute(&mut *tx)
                .await?;
            for (i, m) in members.iter().enumerate() {
                sqlx::query(INSERT_MEMBER)
                    .bind(m.id.unwrap_or_else(Uuid::now_v7))
                    .bind(t.id)
                    .bind(i as i64)
                    .bind(&m.name)
                    .bind(i64::from(m.age))
                    .bind(m.gender.as_str())
                    .bind(m.health_status.as_str())
                    .bind(preferences_text(m))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    pub async fn trip(&self, id: Uuid) -> Result<Option<TripRow>, sqlx::Error> {
        let sql = format!("SELECT {TRIP_COLUMNS} FROM trips t WHERE t.id = $1");
        with_db!(&self.db, |pool| sqlx::query_as::<_, TripRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    pub async fn members(&self, trip_id: Uuid) -> Result<Vec<MemberRow>, sqlx::Error> {
        const SQL: &str = "SELECT id, trip_id, position, name, age, gender, health, preferences \
             FROM trip_members WHERE trip_id = $1 ORDER BY position, id";
        with_db!(&self.db, |pool| sqlx::query_as::<_, MemberRow>(SQL)
            .bind(trip_id)
            .fetch_all(pool)
            .await)
    }

    pub async fn destinations(&self, trip_id: Uuid) -> Result<Vec<DestinationRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {DESTINATION_COLUMNS} FROM trip_destinations WHERE trip_id = $1 ORDER BY position"
        );
        with_db!(&self.db, |pool| sqlx::query_as::<_, DestinationRow>(&sql)
            .bind(trip_id)
            .fetch_all(pool)
            .await)
    }

    /// Destinations of several trips (list and dashboard cards), in chain order.
    pub async fn destinations_of(&self, ids: &[Uuid]) -> Result<Vec<DestinationRow>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        with_db!(&self.db, |pool| {
            let mut qb = sqlx::QueryBuilder::new(format!(
                "SELECT {DESTINATION_COLUMNS} FROM trip_destinations WHERE trip_id IN ("
            ));
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY trip_id, position");
            qb.build_query_as::<DestinationRow>().fetch_all(pool).await
        })
    }

    /// Name and transport; `outdated` marks a ready schedule as outdated.
    pub async fn update_basics(
        &self,
        id: Uuid,
        name: &str,
        transport: Option<&str>,
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE trips SET name = $2, name_key = $3, transport_mode = $4, updated_at = $5, \
             schedule_state = CASE WHEN $6 AND schedule_state = 'ready' THEN 'outdated' ELSE schedule_state END \
             WHERE id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(name)
            .bind(name.to_lowercase())
            .bind(transport)
            .bind(now)
            .bind(outdated)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// Replaces the whole member list (basic-info).
    pub async fn replace_members(
        &self,
        trip_id: Uuid,
        members: &[MemberInput],
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            touch!(tx, trip_id, now, outdated);
            sqlx::query("DELETE FROM trip_members WHERE trip_id = $1")
                .bind(trip_id)
                .execute(&mut *tx)
                .await?;
            for (i, m) in members.iter().enumerate() {
                sqlx::query(INSERT_MEMBER)
                    .bind(m.id.unwrap_or_else(Uuid::now_v7))
                    .bind(trip_id)
                    .bind(i as i64)
                    .bind(&m.name)
                    .bind(i64::from(m.age))
                    .bind(m.gender.as_str())
                    .bind(m.health_status.as_str())
                    .bind(preferences_text(m))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Appends a member unless the trip already has `max`; `false` when full.
    pub async fn add_member(
        &self,
        trip_id: Uuid,
        id: Uuid,
        m: &MemberInput,
        max: i64,
        now: i64,
        outdated: bool,
    ) -> Result<bool, sqlx::Error> {
        const NEXT: &str =
            "SELECT COUNT(*), COALESCE(MAX(position), -1) FROM trip_members WHERE trip_id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            // Touch first: it locks the trip row, so concurrent adds cannot both pass the count.
            touch!(tx, trip_id, now, outdated);
            let (count, last): (i64, i64) = sqlx::query_as(NEXT)
                .bind(trip_id)
                .fetch_one(&mut *tx)
                .await?;
            if count >= max {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(INSERT_MEMBER)
                .bind(id)
                .bind(trip_id)
                .bind(last + 1)
                .bind(&m.name)
                .bind(i64::from(m.age))
                .bind(m.gender.as_str())
                .bind(m.health_status.as_str())
                .bind(preferences_text(m))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn update_member(
        &self,
        trip_id: Uuid,
        id: Uuid,
        m: &MemberInput,
        now: i64,
        outdated: bool,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trip_members SET name = $3, age = $4, gender = $5, health = $6, \
             preferences = $7 WHERE trip_id = $1 AND id = $2";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            touch!(tx, trip_id, now, outdated);
            let n = sqlx::query(SQL)
                .bind(trip_id)
                .bind(id)
                .bind(&m.name)
                .bind(i64::from(m.age))
                .bind(m.gender.as_str())
                .bind(m.health_status.as_str())
                .bind(preferences_text(m))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Deletes a member unless it is the last one. `None` = no such member.
    pub async fn delete_member(
        &self,
        trip_id: Uuid,
        id: Uuid,
        now: i64,
        outdated: bool,
    ) -> Result<Option<bool>, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            touch!(tx, trip_id, now, outdated);
            let (count, exists): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), SUM(CASE WHEN id = $2 THEN 1 ELSE 0 END) FROM trip_members WHERE trip_id = $1",
            )
            .bind(trip_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map(|(c, e): (i64, Option<i64>)| (c, e.unwrap_or(0)))?;
            if exists == 0 {
                tx.rollback().await?;
                return Ok(None);
            }
            if count <= 1 {
                tx.rollback().await?;
                return Ok(Some(false));
            }
            sqlx::query("DELETE FROM trip_members WHERE trip_id = $1 AND id = $2")
                .bind(trip_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(true))
        })
    }

    /// Replaces the destination list and the trip's dates in one transaction (and the
    /// arrival and departure points, when `points` is given).
    pub async fn replace_destinations(
        &self,
        trip_id: Uuid,
        destinations: &[Destination],
        dates: TripDates,
        points: Option<TravelPoints<'_>>,
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        const TRIP: &str = "UPDATE trips SET start_date = $2, end_date = $3, start_key = $4, \
             starts_at = $5, ends_at = $6, updated_at = $7, \
             schedule_state = CASE WHEN $8 AND schedule_state = 'ready' THEN 'outdated' ELSE schedule_state END \
             WHERE id = $1";
        const INSERT: &str = "INSERT INTO trip_destinations (id, trip_id, position, destination_name, \
             city_name, search_key, lat, lon, time_zone, country, nights, accommodation, lodging_lat, \
             lodging_lon, lodging_resolved, check_in_time, check_out_time, start_date, end_date) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(TRIP)
                .bind(trip_id)
                .bind(dates.start_date.map(date_text))
                .bind(dates.end_date.map(date_text))
                .bind(dates.start_key())
                .bind(dates.starts_at)
                .bind(dates.ends_at)
                .bind(now)
                .bind(outdated)
                .execute(&mut *tx)
                .await?;
            if let Some(p) = points {
                sqlx::query(SET_POINTS)
                    .bind(trip_id)
                    .bind(point_text(p.arrival))
                    .bind(point_text(p.departure))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM trip_destinations WHERE trip_id = $1")
                .bind(trip_id)
                .execute(&mut *tx)
                .await?;
            for (i, d) in destinations.iter().enumerate() {
                sqlx::query(INSERT)
                    .bind(d.id)
                    .bind(trip_id)
                    .bind(i as i64)
                    .bind(&d.destination_name)
                    .bind(&d.city_name)
                    .bind(format!("{} {}", d.destination_name, d.city_name).to_lowercase())
                    .bind(d.position.lat)
                    .bind(d.position.lon)
                    .bind(&d.time_zone)
                    .bind(&d.country)
                    .bind(i64::from(d.nights))
                    .bind(&d.accommodation)
                    .bind(d.lodging.lat)
                    .bind(d.lodging.lon)
                    .bind(d.lodging_resolved)
                    .bind(&d.check_in_time)
                    .bind(&d.check_out_time)
                    .bind(date_text(d.start_date))
                    .bind(date_text(d.end_date))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Sets the arrival and departure points; `outdated` marks a ready schedule as outdated.
    pub async fn set_travel_points(
        &self,
        trip_id: Uuid,
        points: TravelPoints<'_>,
        now: i64,
        outdated: bool,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            touch!(tx, trip_id, now, outdated);
            sqlx::query(SET_POINTS)
                .bind(trip_id)
                .bind(point_text(points.arrival))
                .bind(point_text(points.departure))
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
    }

    /// Soft-deletes the caller's trips among `ids`; returns the ones deleted.
    pub async fn soft_delete(
        &self,
        owner: Uuid,
        ids: &[Uuid],
        now: i64,
    ) -> Result<Vec<Uuid>, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET deleted_at = $3, updated_at = $3 \
             WHERE id = $1 AND owner_id = $2 AND deleted_at IS NULL";
        let mut done = Vec::new();
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            for id in ids {
                let n = sqlx::query(SQL)
                    .bind(*id)
                    .bind(owner)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 1 {
                    done.push(*id);
                }
            }
            tx.commit().await
        })?;
        Ok(done)
    }

    /// Restores a trip deleted at or after `since`; `false` when there is none.
    pub async fn restore(
        &self,
        owner: Uuid,
        id: Uuid,
        since: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE trips SET deleted_at = NULL, updated_at = $4 \
             WHERE id = $1 AND owner_id = $2 AND deleted_at IS NOT NULL AND deleted_at >= $3";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(owner)
            .bind(since)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
    }

    /// Removes for good the caller's trips deleted before `before` (past the restore window).
    pub async fn purge(&self, owner: Uuid, before: i64) -> Result<u64, sqlx::Error> {
        const SQL: &str =
            "DELETE FROM trips WHERE owner_id = $1 AND deleted_at IS NOT NULL AND deleted_at < $2";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(owner)
            .bind(before)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }
}
