//! Storage of links, checkup rows (read side) and judged checkups.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::{from_millis, to_millis};
use tripgen_platform::{Db, with_db};
use uuid::Uuid;

use tripgen_platform::db::WritePool;
use tripgen_platform::jobs::event::{DomainEvent, first_delivery};

use crate::nhis::columns::COLUMNS;
use crate::nhis::row::VALUE_COLUMNS;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub user_id: Uuid,
    pub dataset: String,
    pub member_serial: i64,
    pub rule: String,
    pub matched_sex: i64,
    pub matched_age_band: i64,
    pub reference_year: i64,
    pub linked_at: i64,
}

/// One source row of a linked person, as the sync reads it.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub dataset: String,
    pub reference_year: i64,
    pub member_serial: i64,
    pub sex: i64,
    pub age_band: i64,
    /// (item code, value) of the non-null item columns.
    pub values: Vec<(&'static str, f64)>,
    pub row_hash: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckupRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub reference_year: i64,
    pub source: String,
    pub source_ref: String,
    pub row_hash: i64,
    pub items: String,
    pub bmi: Option<f64>,
    pub egfr: Option<f64>,
    pub groups: String,
    pub health_score: i64,
    pub risk_level: String,
    pub sex: i64,
    pub age_band: i64,
    pub ranges_version: i64,
    pub synced_at: i64,
}

const CHECKUP_COLS: &str = "id, user_id, reference_year, source, source_ref, row_hash, items, bmi, egfr, \
     groups, health_score, risk_level, sex, age_band, ranges_version, synced_at";

#[derive(Clone)]
pub struct HealthRepo {
    pub db: Db,
}

/// The `checkup_rows` column of an item code (they share names, except the BMI inputs).
fn item_columns() -> impl Iterator<Item = &'static str> {
    COLUMNS[VALUE_COLUMNS].iter().map(|c| c.field)
}

impl HealthRepo {
    pub fn new(db: Db) -> Self {
        HealthRepo { db }
    }

    pub async fn link(&self, user_id: Uuid) -> Result<Option<LinkRow>, sqlx::Error> {
        let sql = "SELECT user_id, dataset, member_serial, rule, matched_sex, matched_age_band, \
                   reference_year, linked_at FROM checkup_links WHERE user_id = $1";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .fetch_optional(pool)
            .await)
    }

    pub async fn save_link(&self, l: &LinkRow) -> Result<(), sqlx::Error> {
        let sql = "INSERT INTO checkup_links (user_id, dataset, member_serial, rule, matched_sex, \
                   matched_age_band, reference_year, linked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                   ON CONFLICT (user_id) DO UPDATE SET dataset = excluded.dataset, \
                   member_serial = excluded.member_serial, rule = excluded.rule, \
                   matched_sex = excluded.matched_sex, matched_age_band = excluded.matched_age_band, \
                   reference_year = excluded.reference_year, linked_at = excluded.linked_at";
        with_db!(&self.db, |pool| sqlx::query(sql)
            .bind(l.user_id)
            .bind(&l.dataset)
            .bind(l.member_serial)
            .bind(&l.rule)
            .bind(l.matched_sex)
            .bind(l.matched_age_band)
            .bind(l.reference_year)
            .bind(l.linked_at)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// The dataset users link to: `preferred` if it has rows, else `sample`, else the one
    /// with the latest year. With its latest year.
    pub async fn link_dataset(
        &self,
        preferred: Option<&str>,
    ) -> Result<Option<(String, i64)>, sqlx::Error> {
        let by_name = "SELECT dataset, MAX(reference_year) FROM checkup_rows WHERE dataset = $1 GROUP BY dataset";
        for name in preferred.into_iter().chain(["sample"]) {
            let found: Option<(String, i64)> = with_db!(&self.db, |pool| sqlx::query_as(by_name)
                .bind(name)
                .fetch_optional(pool)
                .await)?;
            if found.is_some() {
                return Ok(found);
            }
        }
        let latest = "SELECT dataset, MAX(reference_year) AS y FROM checkup_rows GROUP BY dataset \
                      ORDER BY y DESC, dataset LIMIT 1";
        with_db!(&self.db, |pool| sqlx::query_as(latest)
            .fetch_optional(pool)
            .await)
    }

    /// Age bands with at least one person of `sex` in (dataset, year).
    pub async fn bands(&self, dataset: &str, year: i64, sex: i64) -> Result<Vec<i64>, sqlx::Error> {
        let sql = "SELECT DISTINCT age_band FROM checkup_rows WHERE dataset = $1 AND reference_year = $2 \
                   AND sex = $3 ORDER BY age_band";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(dataset)
            .bind(year)
            .bind(sex)
            .fetch_all(pool)
            .await)
    }

    pub async fn candidate_count(
        &self,
        dataset: &str,
        year: i64,
        sex: i64,
        band: i64,
    ) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM checkup_rows WHERE dataset = $1 AND reference_year = $2 \
                   AND sex = $3 AND age_band = $4";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(dataset)
            .bind(year)
            .bind(sex)
            .bind(band)
            .fetch_one(pool)
            .await)
    }

    /// The member serial at `index` among the candidates ordered by member serial.
    pub async fn candidate_at(
        &self,
        dataset: &str,
        year: i64,
        sex: i64,
        band: i64,
        index: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let sql = "SELECT member_serial FROM checkup_rows WHERE dataset = $1 AND reference_year = $2 \
                   AND sex = $3 AND age_band = $4 ORDER BY member_serial LIMIT 1 OFFSET $5";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(dataset)
            .bind(year)
            .bind(sex)
            .bind(band)
            .bind(index)
            .fetch_optional(pool)
            .await)
    }

    /// A person's rows in a dataset, newest year first.
    pub async fn person_rows(
        &self,
        dataset: &str,
        serial: i64,
    ) -> Result<Vec<SourceRow>, sqlx::Error> {
        let cols: Vec<&str> = item_columns().collect();
        let sql = format!(
            "SELECT dataset, reference_year, member_serial, sex, age_band, row_hash, {} FROM checkup_rows \
             WHERE dataset = $1 AND member_serial = $2 ORDER BY reference_year DESC",
            cols.join(", ")
        );
        let rows = with_db!(&self.db, |pool| {
            use sqlx::Row;
            let rows = sqlx::query(&sql)
                .bind(dataset)
                .bind(serial)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let mut values = Vec::new();
                    for (i, col) in cols.iter().enumerate() {
                        if let Some(v) = r.try_get::<Option<f64>, _>(6 + i)? {
                            values.push((*col, v));
                        }
                    }
                    Ok(SourceRow {
                        dataset: r.try_get(0)?,
                        reference_year: r.try_get(1)?,
                        member_serial: r.try_get(2)?,
                        sex: r.try_get(3)?,
                        age_band: r.try_get(4)?,
                        row_hash: r.try_get(5)?,
                        values,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }

    pub async fn checkups(&self, user_id: Uuid) -> Result<Vec<CheckupRecord>, sqlx::Error> {
        let sql = format!(
            "SELECT {CHECKUP_COLS} FROM checkups WHERE user_id = $1 ORDER BY reference_year DESC"
        );
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_all(pool)
            .await)
    }

    pub async fn checkup(
        &self,
        user_id: Uuid,
        id: Uuid,
    ) -> Result<Option<CheckupRecord>, sqlx::Error> {
        let sql = format!("SELECT {CHECKUP_COLS} FROM checkups WHERE user_id = $1 AND id = $2");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Stores the judged records and, in the same transaction, `health-synced` (outbox).
    pub async fn save_sync(
        &self,
        records: &[CheckupRecord],
        event: &DomainEvent,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let sql = upsert_sql();
            for c in records {
                sqlx::query(&sql)
                    .bind(c.id)
                    .bind(c.user_id)
                    .bind(c.reference_year)
                    .bind(&c.source)
                    .bind(&c.source_ref)
                    .bind(c.row_hash)
                    .bind(&c.items)
                    .bind(c.bmi)
                    .bind(c.egfr)
                    .bind(&c.groups)
                    .bind(c.health_score)
                    .bind(&c.risk_level)
                    .bind(c.sex)
                    .bind(c.age_band)
                    .bind(c.ranges_version)
                    .bind(c.synced_at)
                    .execute(&mut *tx)
                    .await?;
            }
            event.write(&mut *tx).await?;
            tx.commit().await
        })
    }

    /// Erases everything of a user this context holds (the `user-deleted` consumer):
    /// once per event, in one transaction with the processed-event record. Returns the
    /// `false` when this event was already handled.
    pub async fn erase_user(
        &self,
        user_id: Uuid,
        event_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            if !first_delivery(&mut *tx, event_id, "health", now).await? {
                tx.rollback().await?;
                return Ok(false);
            }
            for sql in [
                "DELETE FROM checkups WHERE user_id = $1",
                "DELETE FROM checkup_links WHERE user_id = $1",
                "DELETE FROM checkup_files WHERE user_id = $1",
                "DELETE FROM health_sync_log WHERE user_id = $1",
            ] {
                sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn file_keys(&self, user_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query_scalar(
            "SELECT object_key FROM checkup_files WHERE user_id = $1"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)
    }
}

fn upsert_sql() -> String {
    format!(
        "INSERT INTO checkups ({CHECKUP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             ON CONFLICT (user_id, reference_year) DO UPDATE SET source = excluded.source, \
             source_ref = excluded.source_ref, row_hash = excluded.row_hash, items = excluded.items, \
             bmi = excluded.bmi, egfr = excluded.egfr, groups = excluded.groups, \
             health_score = excluded.health_score, risk_level = excluded.risk_level, sex = excluded.sex, \
             age_band = excluded.age_band, ranges_version = excluded.ranges_version, synced_at = excluded.synced_at"
    )
}

impl HealthRepo {
    /// Drops the link and every derived checkup (profile change of sex or birth date).
    pub async fn forget_link(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            sqlx::query("DELETE FROM checkups WHERE user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await?;
            sqlx::query("DELETE FROM checkup_links WHERE user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}

pub fn now_ms(t: DateTime<Utc>) -> i64 {
    to_millis(t)
}

pub fn instant(ms: i64) -> DateTime<Utc> {
    from_millis(ms)
}
