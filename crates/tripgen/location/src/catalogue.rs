//! What the catalogue holds: its cities with their place counts, and for each the last
//! import that brought places there (source and time). Read by `tripgen cities` and by
//! `GET /locations/cities` (the web app's destination picker).

use chrono::{DateTime, Utc};
use serde::Serialize;
use tripgen_platform::clock::{from_millis, to_millis};
use tripgen_platform::with_db;
use utoipa::ToSchema;

use crate::gazetteer::City;
use crate::geo::BoundingBox;
use crate::importer::FileReport;
use crate::store::PlaceStore;

/// One imported file, as the import log keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportRecord {
    /// File path or the URL it was downloaded from.
    pub source: String,
    /// File name.
    pub dataset: String,
    pub imported_at: DateTime<Utc>,
    /// OSM data timestamp the file states, if any.
    pub snapshot_at: Option<DateTime<Utc>>,
    pub places_read: u64,
    pub inserted: u64,
    pub updated: u64,
    #[serde(skip)]
    #[schema(ignore)]
    pub bbox: Option<BoundingBox>,
}

/// A city of the catalogue with what a user needs to pick it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueCity {
    pub id: String,
    /// Local name (OSM `name`).
    pub name: String,
    pub name_en: Option<String>,
    pub name_ko: Option<String>,
    /// ISO country code.
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub lat: f64,
    pub lon: f64,
    /// Places of the catalogue assigned to this city.
    pub place_count: u64,
    /// The most recent import whose places reach this city.
    pub last_import: Option<ImportRecord>,
}

/// Matches each city to the latest import whose places' box holds the city's centre;
/// `imports` come newest first, as [`PlaceStore::imports`] returns them.
pub fn catalogue_cities(cities: &[City], imports: &[ImportRecord]) -> Vec<CatalogueCity> {
    let mut out: Vec<CatalogueCity> = cities
        .iter()
        .map(|c| CatalogueCity {
            id: c.id.clone(),
            name: c.name.clone(),
            name_en: c.name_en.clone(),
            name_ko: c.name_ko.clone(),
            country: c.country.clone(),
            time_zone: c.time_zone.clone(),
            lat: c.centre.lat(),
            lon: c.centre.lon(),
            place_count: c.place_count,
            // `imports` is newest first (the store's order).
            last_import: imports
                .iter()
                .find(|i| i.bbox.is_some_and(|b| b.contains(c.centre)))
                .cloned(),
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |c: &CatalogueCity| c.name_en.clone().unwrap_or_else(|| c.name.clone());
        key(a).to_lowercase().cmp(&key(b).to_lowercase())
    });
    out
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    source: String,
    dataset: String,
    imported_at: i64,
    snapshot_at: Option<i64>,
    places_read: i64,
    inserted: i64,
    updated: i64,
    min_lat: Option<f64>,
    min_lon: Option<f64>,
    max_lat: Option<f64>,
    max_lon: Option<f64>,
}

impl From<ImportRow> for ImportRecord {
    fn from(r: ImportRow) -> Self {
        let bbox = match (r.min_lat, r.min_lon, r.max_lat, r.max_lon) {
            (Some(min_lat), Some(min_lon), Some(max_lat), Some(max_lon)) => Some(BoundingBox {
                min_lat,
                min_lon,
                max_lat,
                max_lon,
            }),
            _ => None,
        };
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        ImportRecord {
            source: r.source,
            dataset: r.dataset,
            imported_at: from_millis(r.imported_at),
            snapshot_at: r.snapshot_at.map(from_millis),
            places_read: count(r.places_read),
            inserted: count(r.inserted),
            updated: count(r.updated),
            bbox,
        }
    }
}

impl PlaceStore {
    /// Adds one imported file to the import log.
    pub async fn record_import(&self, file: &FileReport, now: DateTime<Utc>) -> anyhow::Result<()> {
        const SQL: &str = "INSERT INTO catalogue_imports (source, dataset, imported_at, \
             snapshot_at, places_read, inserted, updated, min_lat, min_lon, max_lat, max_lon) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        let dataset = crate::import::dataset_name(&file.file);
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        with_db!(self.db(), |pool| {
            sqlx::query(SQL)
                .bind(&file.source)
                .bind(&dataset)
                .bind(to_millis(now))
                .bind(file.snapshot_at.map(to_millis))
                .bind(count(file.places_read))
                .bind(count(file.inserted))
                .bind(count(file.updated))
                .bind(file.bbox.map(|b| b.min_lat))
                .bind(file.bbox.map(|b| b.min_lon))
                .bind(file.bbox.map(|b| b.max_lat))
                .bind(file.bbox.map(|b| b.max_lon))
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The import log, newest first.
    pub async fn imports(&self) -> anyhow::Result<Vec<ImportRecord>> {
        let rows: Vec<ImportRow> = with_db!(self.db(), |pool| {
            sqlx::query_as(
                "SELECT source, dataset, imported_at, snapshot_at, places_read, inserted, \
                 updated, min_lat, min_lon, max_lat, max_lon FROM catalogue_imports \
                 ORDER BY imported_at DESC, id DESC",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(ImportRecord::from).collect())
    }
}

/// The table `tripgen cities` prints.
pub fn render_cities(cities: &[CatalogueCity]) -> String {
    if cities.is_empty() {
        return "The place catalogue is empty. Import a city, e.g.\n  \
                tripgen import osm https://download.geofabrik.de/europe/monaco-latest.osm.pbf\n\
                or the bundled extracts: tripgen import osm data/osm\n"
            .to_string();
    }
    let mut rows: Vec<[String; 5]> = vec![[
        "city".into(),
        "country".into(),
        "places".into(),
        "last import".into(),
        "source (data as of)".into(),
    ]];
    for c in cities {
        let name = match (&c.name_en, &c.name_ko) {
            (Some(en), Some(ko)) if en != &c.name => format!("{en} ({}, {ko})", c.name),
            (Some(en), None) if en != &c.name => format!("{en} ({})", c.name),
            (_, Some(ko)) => format!("{} ({ko})", c.name),
            _ => c.name.clone(),
        };
        let (when, source) = match &c.last_import {
            Some(i) => (
                i.imported_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                match i.snapshot_at {
                    Some(s) => format!("{} ({})", i.source, s.format("%Y-%m-%d")),
                    None => i.source.clone(),
                },
            ),
            None => ("—".into(), "—".into()),
        };
        rows.push([
            name,
            c.country.clone().unwrap_or_else(|| "—".into()),
            c.place_count.to_string(),
            when,
            source,
        ]);
    }
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        for (i, w) in widths.iter().enumerate() {
            let pad = w.saturating_sub(r[i].chars().count());
            // Numbers right-aligned, text left-aligned.
            if i == 2 {
                out.push_str(&" ".repeat(pad));
                out.push_str(&r[i]);
            } else {
                out.push_str(&r[i]);
                out.push_str(&" ".repeat(pad));
            }
            out.push_str("  ");
        }
        out.push_str(&r[4]);
        out.push('\n');
    }
    let places: u64 = cities.iter().map(|c| c.place_count).sum();
    out.push_str(&format!(
        "{} cities, {places} places. {}\n",
        cities.len(),
        crate::OSM_ATTRIBUTION
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::CityKind;
    use crate::geo::GeoPoint;

    fn city(name: &str, lat: f64, lon: f64, places: u64) -> City {
        let centre = GeoPoint::new(lat, lon).unwrap();
        City {
            id: format!("addr-city:{name}"),
            name: name.into(),
            name_en: None,
            name_ko: None,
            name_ko_source: None,
            kind: CityKind::City,
            centre,
            bbox: BoundingBox::around(centre),
            time_zone: None,
            country: Some("PT".into()),
            population: None,
            geonames_id: None,
            place_count: places,
        }
    }

    fn import(source: &str, at: i64, b: (f64, f64, f64, f64)) -> ImportRecord {
        ImportRecord {
            source: source.into(),
            dataset: source.into(),
            imported_at: from_millis(at),
            snapshot_at: None,
            places_read: 1,
            inserted: 1,
            updated: 0,
            bbox: Some(BoundingBox {
                min_lat: b.0,
                min_lon: b.1,
                max_lat: b.2,
                max_lon: b.3,
            }),
        }
    }

    #[test]
    fn each_city_gets_its_latest_covering_import() {
        let cities = [
            city("Porto", 41.15, -8.61, 900),
            city("Monaco", 43.73, 7.42, 80),
        ];
        let imports = [
            import("lisbon.pbf", 3_000, (38.6, -9.3, 38.8, -9.0)),
            import("porto-new.pbf", 2_000, (41.0, -8.7, 41.3, -8.5)),
            import("porto-old.pbf", 1_000, (41.0, -8.7, 41.3, -8.5)),
        ];
        let out = catalogue_cities(&cities, &imports);
        assert_eq!(out[0].name, "Monaco");
        assert!(out[0].last_import.is_none());
        assert_eq!(
            out[1].last_import.as_ref().map(|i| i.source.as_str()),
            Some("porto-new.pbf")
        );
        let table = render_cities(&out);
        assert!(table.contains("porto-new.pbf"), "{table}");
        assert!(table.contains("2 cities, 980 places"), "{table}");
    }

    #[test]
    fn empty_catalogue_says_how_to_import() {
        assert!(render_cities(&[]).contains("tripgen import osm"));
    }
}
