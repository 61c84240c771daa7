//! Storage of the place catalogue and the gazetteer.
//!
//! Plain reads and writes use one SQL text on both backends (see `tripgen_platform::db`).
//! Spatial and text search use each backend's own index: SQLite's R*Tree and FTS5
//! (trigram), PostgreSQL's PostGIS geography (GiST) and `pg_trgm` (GIN). The contract tests
//! drive both through the HTTP API.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::to_millis;
use tripgen_platform::db::{ContextMigrations, Db, WritePool};
use tripgen_platform::with_db;

use crate::gazetteer::{City, CityEntry};
use crate::geo::{BoundingBox, GeoPoint};
use crate::place::{Place, PlaceSummary, SourceRecord};
use crate::significance::MODEL_VERSION;

pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "location",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}

/// A summary with the review data a provider may have joined in.
#[derive(Debug, Clone)]
pub struct StoredSummary {
    pub summary: PlaceSummary,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
}

/// What an upsert did to one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Inserted,
    Updated,
    /// The stored record is as new or newer ("newer version wins").
    Unchanged,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    summary: String,
    rating: Option<f64>,
    review_count: Option<i64>,
}

impl SummaryRow {
    fn decode(self) -> Option<StoredSummary> {
        match serde_json::from_str::<PlaceSummary>(&self.summary) {
            Ok(summary) => Some(StoredSummary {
                summary,
                rating: self.rating.map(|r| r as f32),
                review_count: self.review_count.and_then(|n| u32::try_from(n).ok()),
            }),
            Err(e) => {
                tracing::error!(error = %e, "stored place summary is unreadable; skipped");
                None
            }
        }
    }
}

#[derive(Clone)]
pub struct PlaceStore {
    db: Db,
}

impl PlaceStore {
    pub fn new(db: Db) -> Self {
        PlaceStore { db }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Upserts a batch in one transaction, keeping the newer record of each element.
    pub async fn upsert_batch(
        &self,
        places: &[Place],
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<UpsertOutcome>> {
        if places.is_empty() {
            return Ok(Vec::new());
        }
        let existing = self.sources(places.iter().map(|p| p.id.as_str())).await?;
        let mut outcomes = Vec::with_capacity(places.len());
        const INSERT: &str = "INSERT INTO places (id, name, name_en, name_ko, category, lat, lon, \
             source, summary, doc, updated_at, significance, wikidata, model) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
        const UPDATE: &str = "UPDATE places SET name = $2, name_en = $3, name_ko = $4, category = $5, \
             lat = $6, lon = $7, source = $8, summary = $9, doc = $10, updated_at = $11, \
             significance = $12, wikidata = $13, model = $14 WHERE id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            for place in places {
                let outcome = match existing.get(place.id.as_str()) {
                    None => UpsertOutcome::Inserted,
                    Some((old, _)) if place.source.supersedes(old) => UpsertOutcome::Updated,
                    // Same OSM version, read by an older importer: refresh what it derived.
                    Some((old, model))
                        if *model < i64::from(MODEL_VERSION) && !old.supersedes(&place.source) =>
                    {
                        UpsertOutcome::Updated
                    }
                    Some(_) => UpsertOutcome::Unchanged,
                };
                outcomes.push(outcome);
                let sql = match outcome {
                    UpsertOutcome::Inserted => INSERT,
                    UpsertOutcome::Updated => UPDATE,
                    UpsertOutcome::Unchanged => continue,
                };
                let summary = serde_json::to_string(&PlaceSummary::from(place))?;
                sqlx::query(sql)
                    .bind(place.id.as_str())
                    .bind(&place.names.local)
                    .bind(place.names.en.as_deref())
                    .bind(place.names.ko.as_deref())
                    .bind(place.category.as_str())
                    .bind(place.position.lat())
                    .bind(place.position.lon())
                    .bind(serde_json::to_string(&place.source)?)
                    .bind(summary)
                    .bind(serde_json::to_string(place)?)
                    .bind(to_millis(now))
                    .bind(i64::from(place.significance.score))
                    .bind(place.wikidata.as_deref())
                    .bind(i64::from(place.significance.model))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            anyhow::Ok(())
        })?;
        Ok(outcomes)
    }

    async fn sources<'a>(
        &self,
        ids: impl Iterator<Item = &'a str>,
    ) -> anyhow::Result<std::collections::HashMap<String, (SourceRecord, i64)>> {
        let ids: Vec<&str> = ids.collect();
        let rows: Vec<(String, String, i64)> = with_db!(&self.db, |pool| {
            let mut qb =
                sqlx::QueryBuilder::new("SELECT id, source, model FROM places WHERE id IN (");
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_as().fetch_all(pool).await
        })?;
        let mut map = std::collections::HashMap::with_capacity(rows.len());
        for (id, source, model) in rows {
            if let Ok(s) = serde_json::from_str::<SourceRecord>(&source) {
                map.insert(id, (s, model));
            }
        }
        Ok(map)
    }

    pub async fn get(&self, id: &str) -> anyhow::Result<Option<(Place, Option<f32>, Option<u32>)>> {
        const SQL: &str = "SELECT doc, rating, review_count FROM places WHERE id = $1";
        let row: Option<(String, Option<f64>, Option<i64>)> = with_db!(&self.db, |pool| {
            sqlx::query_as(SQL).bind(id).fetch_optional(pool).await
        })?;
        match row {
            None => Ok(None),
            Some((doc, rating, reviews)) => Ok(Some((
                serde_json::from_str(&doc)?,
                rating.map(|r| r as f32),
                reviews.and_then(|n| u32::try_from(n).ok()),
            ))),
        }
    }

    pub async fn count(&self) -> anyhow::Result<i64> {
        let (n,): (i64,) = with_db!(&self.db, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM places")
                .fetch_one(pool)
                .await
        })?;
        Ok(n)
    }

    /// Every place's summary (to build the in-memory nearby index).
    pub async fn all_summaries(&self) -> anyhow::Result<Vec<StoredSummary>> {
        const SQL: &str =
            "SELECT summary, rating, review_count FROM places WHERE merged_into IS NULL";
        let rows: Vec<SummaryRow> = with_db!(&self.db, |pool| {
            sqlx::query_as::<_, SummaryRow>(SQL).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().filter_map(SummaryRow::decode).collect())
    }

    /// Full places in pages of `limit`, ordered by id (for rebuilding the gazetteer).
    pub async fn places_after(&self, after: &str, limit: i64) -> anyhow::Result<Vec<Place>> {
        const SQL: &str = "SELECT doc FROM places WHERE id > $1 ORDER BY id LIMIT $2";
        let rows: Vec<(String,)> = with_db!(&self.db, |pool| {
            sqlx::query_as(SQL)
                .bind(after)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(doc,)| serde_json::from_str(&doc).ok())
            .collect())
    }

    /// Places within `radius_m` of `centre`, with their summaries (spatial index), the most
    /// significant first, so a `limit` keeps what travellers come for; merged duplicates
    /// are left out.
    pub async fn within(
        &self,
        centre: GeoPoint,
        radius_m: f64,
        limit: i64,
    ) -> anyhow::Result<Vec<StoredSummary>> {
        let rows: Vec<SummaryRow> = self
            .fetch_within(
                "p.summary, p.rating, p.review_count",
                centre,
                radius_m,
                limit,
            )
            .await?;
        // The box is a superset of the circle on SQLite: cut to the exact distance.
        Ok(rows
            .into_iter()
            .filter_map(SummaryRow::decode)
            .filter(|s| s.summary.position.haversine_m(&centre) <= radius_m)
            .collect())
    }

    /// `columns` (of `places p`) of the places near `centre`, the most significant first,
    /// merged duplicates left out: SQLite's R*Tree box around the circle (a superset the
    /// callers cut to the exact distance), PostGIS's exact `ST_DWithin`.
    async fn fetch_within<R>(
        &self,
        columns: &str,
        centre: GeoPoint,
        radius_m: f64,
        limit: i64,
    ) -> anyhow::Result<Vec<R>>
    where
        R: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        Ok(match &self.db {
            Db::Sqlite(pool) => {
                let b = BoundingBox::around_radius(centre, radius_m);
                let sql = format!(
                    "SELECT {columns} FROM places_rtree r JOIN places p ON p.rid = r.rid \
                     WHERE r.min_lat >= $1 AND r.max_lat <= $2 AND r.min_lon >= $3 AND r.max_lon <= $4 \
                       AND p.merged_into IS NULL \
                     ORDER BY p.significance DESC, p.rid LIMIT $5"
                );
                sqlx::query_as(&sql)
                    .bind(b.min_lat)
                    .bind(b.max_lat)
                    .bind(b.min_lon)
                    .bind(b.max_lon)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
            Db::Postgres(pool) => {
                let sql = format!(
                    "SELECT {columns} FROM places p \
                     WHERE ST_DWithin(p.geog, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3) \
                       AND p.merged_into IS NULL \
                     ORDER BY p.significance DESC, p.id LIMIT $4"
                );
                sqlx::query_as(&sql)
                    .bind(centre.lon())
                    .bind(centre.lat())
                    .bind(radius_m)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    /// The whole places (with review data) within `radius_m` of `centre`, the most
    /// significant first — [`Self::within`]'s answer read in the same query instead of one
    /// `get` per place (a generation reads ~1,500 per city).
    pub async fn within_places(
        &self,
        centre: GeoPoint,
        radius_m: f64,
        limit: i64,
    ) -> anyhow::Result<Vec<(Place, Option<f32>, Option<u32>)>> {
        let rows: Vec<(String, Option<f64>, Option<i64>)> = self
            .fetch_within("p.doc, p.rating, p.review_count", centre, radius_m, limit)
            .await?;
        let mut places = Vec::with_capacity(rows.len());
        for (doc, rating, reviews) in rows {
            let place: Place = match serde_json::from_str(&doc) {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "stored place is unreadable; skipped");
                    continue;
                }
            };
            // The box is a superset of the circle on SQLite: cut to the exact distance.
            if place.position.haversine_m(&centre) <= radius_m {
                places.push((
                    place,
                    rating.map(|r| r as f32),
                    reviews.and_then(|n| u32::try_from(n).ok()),
                ));
            }
        }
        Ok(places)
    }

    /// Places whose name (local, en or ko) contains `text`, best matches first (the
    /// better-known place first — "Hofbräuhaus" is the beer hall, not a shop named after
    /// it — then the closer textual match), optionally
    /// within `radius_m` of a point (text index, and the spatial index when given).
    pub async fn search_names(
        &self,
        text: &str,
        near: Option<(GeoPoint, f64)>,
        limit: i64,
    ) -> anyhow::Result<Vec<StoredSummary>> {
        let text = text.trim().to_lowercase();
        let rows: Vec<SummaryRow> = match &self.db {
            Db::Sqlite(pool) => {
                let (south, north, west, east) = match near {
                    Some((c, r)) => {
                        let b = BoundingBox::around_radius(c, r);
                        (b.min_lat, b.max_lat, b.min_lon, b.max_lon)
                    }
                    None => (-90.0, 90.0, -180.0, 180.0),
                };
                if text.chars().count() >= 3 {
                    // FTS5 trigram: a quoted phrase matches as a substring.
                    let phrase = format!("\"{}\"", text.replace('"', "\"\""));
                    const SQL: &str = "SELECT p.summary, p.rating, p.review_count FROM places_fts f \
                         JOIN places p ON p.rid = f.rowid \
                         WHERE places_fts MATCH $1 AND p.lat BETWEEN $2 AND $3 AND p.lon BETWEEN $4 AND $5 \
                           AND p.merged_into IS NULL \
                         ORDER BY p.significance DESC, f.rank, p.id LIMIT $6";
                    sqlx::query_as(SQL)
                        .bind(phrase)
                        .bind(south)
                        .bind(north)
                        .bind(west)
                        .bind(east)
                        .bind(limit)
                        .fetch_all(pool)
                        .await?
                } else {
                    // Trigrams need three characters; short queries (e.g. two Hangul
                    // syllables) scan the names within the box.
                    let pattern = format!("%{}%", like_escape(&text));
                    const SQL: &str = "SELECT p.summary, p.rating, p.review_count FROM places p \
                         WHERE (lower(p.name) LIKE $1 ESCAPE '\\' OR lower(coalesce(p.name_en, '')) LIKE $1 ESCAPE '\\' \
                                OR coalesce(p.name_ko, '') LIKE $1 ESCAPE '\\') \
                           AND p.lat BETWEEN $2 AND $3 AND p.lon BETWEEN $4 AND $5 \
                           AND p.merged_into IS NULL \
                         ORDER BY p.significance DESC, length(p.name), p.id LIMIT $6";
                    sqlx::query_as(SQL)
                        .bind(pattern)
                        .bind(south)
                        .bind(north)
                        .bind(west)
                        .bind(east)
                        .bind(limit)
                        .fetch_all(pool)
                        .await?
                }
            }
            Db::Postgres(pool) => {
                let pattern = format!("%{}%", like_escape(&text));
                let (lon, lat, radius) = match near {
                    Some((c, r)) => (c.lon(), c.lat(), r),
                    None => (0.0, 0.0, -1.0),
                };
                const SQL: &str = "SELECT summary, rating, review_count FROM places \
                     WHERE search_names LIKE $1 AND merged_into IS NULL \
                       AND ($4 < 0 OR ST_DWithin(geog, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4)) \
                     ORDER BY significance DESC, similarity(search_names, $5) DESC, length(name), id LIMIT $6";
                sqlx::query_as(SQL)
                    .bind(pattern)
                    .bind(lon)
                    .bind(lat)
                    .bind(radius)
                    .bind(&text)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?
            }
        };
        Ok(rows
            .into_iter()
            .filter_map(SummaryRow::decode)
            .filter(|s| near.is_none_or(|(c, r)| s.summary.position.haversine_m(&c) <= r))
            .collect())
    }

    /// Records the duplicate merges of the whole catalogue (`(loser id, winner id)`), replacing
    /// earlier ones, and stores the winners as completed from their losers.
    pub async fn apply_merges(
        &self,
        merges: &[(String, String)],
        winners: &[Place],
    ) -> anyhow::Result<()> {
        const CLEAR: &str = "UPDATE places SET merged_into = NULL WHERE merged_into IS NOT NULL";
        const MERGE: &str = "UPDATE places SET merged_into = $2 WHERE id = $1";
        const WINNER: &str = "UPDATE places SET summary = $2, doc = $3, significance = $4, \
             wikidata = $5 WHERE id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(CLEAR).execute(&mut *tx).await?;
            for (loser, winner) in merges {
                sqlx::query(MERGE)
                    .bind(loser)
                    .bind(winner)
                    .execute(&mut *tx)
                    .await?;
            }
            for place in winners {
                sqlx::query(WINNER)
                    .bind(place.id.as_str())
                    .bind(serde_json::to_string(&PlaceSummary::from(place))?)
                    .bind(serde_json::to_string(place)?)
                    .bind(i64::from(place.significance.score))
                    .bind(place.wikidata.as_deref())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            anyhow::Ok(())
        })
    }

    /// Every listed place linked to a Wikidata item.
    pub async fn linked_places(&self) -> anyhow::Result<Vec<Place>> {
        const SQL: &str =
            "SELECT doc FROM places WHERE wikidata IS NOT NULL AND merged_into IS NULL";
        let rows: Vec<(String,)> = with_db!(&self.db, |pool| {
            sqlx::query_as(SQL).fetch_all(pool).await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(doc,)| serde_json::from_str(&doc).ok())
            .collect())
    }

    /// Stores new significance figures of `places` and bumps the catalogue version (so the
    /// replicas' nearby indexes reload), atomically.
    pub async fn update_significance(&self, places: &[Place]) -> anyhow::Result<i64> {
        const SQL: &str =
            "UPDATE places SET summary = $2, doc = $3, significance = $4 WHERE id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            for place in places {
                sqlx::query(SQL)
                    .bind(place.id.as_str())
                    .bind(serde_json::to_string(&PlaceSummary::from(place))?)
                    .bind(serde_json::to_string(place)?)
                    .bind(i64::from(place.significance.score))
                    .execute(&mut *tx)
                    .await?;
            }
            let (v,): (i64,) = sqlx::query_as(
                "UPDATE catalogue_meta SET value = value + 1 WHERE key = 'version' RETURNING value",
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            anyhow::Ok(v)
        })
    }

    /// The place a merged duplicate was merged into, if it was.
    pub async fn merged_into(&self, id: &str) -> anyhow::Result<Option<String>> {
        const SQL: &str = "SELECT merged_into FROM places WHERE id = $1";
        let row: Option<(Option<String>,)> = with_db!(&self.db, |pool| {
            sqlx::query_as(SQL).bind(id).fetch_optional(pool).await
        })?;
        Ok(row.and_then(|r| r.0))
    }

    // --- gazetteer ----------------------------------------------------------------------

    pub async fn upsert_city_entries(&self, entries: &[CityEntry]) -> anyhow::Result<()> {
        const SQL: &str = "INSERT INTO city_entries (id, doc) VALUES ($1, $2) \
             ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            for e in entries {
                sqlx::query(SQL)
                    .bind(e.id.as_str())
                    .bind(serde_json::to_string(e)?)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            anyhow::Ok(())
        })
    }

    pub async fn city_entries(&self) -> anyhow::Result<Vec<CityEntry>> {
        let rows: Vec<(String,)> = with_db!(&self.db, |pool| {
            sqlx::query_as("SELECT doc FROM city_entries ORDER BY id")
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(d,)| serde_json::from_str(&d).ok())
            .collect())
    }

    /// Replaces the gazetteer and bumps the catalogue version, atomically.
    pub async fn replace_cities(&self, cities: &[City]) -> anyhow::Result<i64> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM cities").execute(&mut *tx).await?;
            for c in cities {
                sqlx::query("INSERT INTO cities (id, name, doc) VALUES ($1, $2, $3)")
                    .bind(&c.id)
                    .bind(&c.name)
                    .bind(serde_json::to_string(c)?)
                    .execute(&mut *tx)
                    .await?;
            }
            let (v,): (i64,) = sqlx::query_as(
                "UPDATE catalogue_meta SET value = value + 1 WHERE key = 'version' RETURNING value",
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            anyhow::Ok(v)
        })
    }

    pub async fn cities(&self) -> anyhow::Result<Vec<City>> {
        let rows: Vec<(String,)> = with_db!(&self.db, |pool| {
            sqlx::query_as("SELECT doc FROM cities ORDER BY name")
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(d,)| serde_json::from_str(&d).ok())
            .collect())
    }

    pub async fn version(&self) -> anyhow::Result<i64> {
        let (v,): (i64,) = with_db!(&self.db, |pool| {
            sqlx::query_as("SELECT value FROM catalogue_meta WHERE key = 'version'")
                .fetch_one(pool)
                .await
        })?;
        Ok(v)
    }
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
