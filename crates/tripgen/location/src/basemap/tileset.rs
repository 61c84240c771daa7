//! Reading the tile sets of a folder: `<id>.mbtiles` files (SQLite, TMS rows), opened
//! read-only on first use and reopened when an import replaces the file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use tokio::sync::Mutex;

use super::valid_id;

/// What a tile set says about itself (its MBTiles metadata).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TileSetInfo {
    pub id: String,
    /// west, south, east, north in degrees.
    pub bounds: [f64; 4],
    pub minzoom: u8,
    pub maxzoom: u8,
    /// The MBTiles `json` metadata's `vector_layers` (TileJSON 3).
    pub vector_layers: serde_json::Value,
    /// Bytes of the file (what a full download of the area costs).
    pub bytes: u64,
}

/// A tile as stored (`gzip` says whether the bytes are gzip-compressed), or nothing there.
#[derive(Debug, Clone, PartialEq)]
pub enum TileLookup {
    Tile { data: Vec<u8>, gzip: bool },
    Empty,
}

/// One open tile set.
pub struct TileSet {
    pool: SqlitePool,
    pub info: TileSetInfo,
}

impl TileSet {
    /// The tile at `z/x/y` in XYZ numbering (MBTiles stores TMS rows: y is flipped).
    pub async fn tile(&self, z: u8, x: u32, y: u32) -> anyhow::Result<TileLookup> {
        let Some(row) = 1u64
            .checked_shl(u32::from(z))
            .and_then(|n| n.checked_sub(1))
            .and_then(|max| max.checked_sub(u64::from(y)))
        else {
            return Ok(TileLookup::Empty);
        };
        let data: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
        )
        .bind(i64::from(z))
        .bind(i64::from(x))
        .bind(i64::try_from(row).unwrap_or(i64::MAX))
        .fetch_optional(&self.pool)
        .await?;
        Ok(match data {
            Some(d) if !d.is_empty() => {
                let gzip = d.starts_with(&[0x1f, 0x8b]);
                TileLookup::Tile { data: d, gzip }
            }
            _ => TileLookup::Empty,
        })
    }

    async fn open(id: &str, path: &std::path::Path, bytes: u64) -> anyhow::Result<TileSet> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .create_if_missing(false);
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await?;
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT name, value FROM metadata")
            .fetch_all(&pool)
            .await?;
        let meta: HashMap<String, String> = rows.into_iter().collect();
        let zoom = |k: &str, d: u8| {
            meta.get(k)
                .and_then(|v| v.trim().parse::<u8>().ok())
                .filter(|z| *z <= 24)
                .unwrap_or(d)
        };
        let bounds = meta
            .get("bounds")
            .and_then(|b| {
                let v: Vec<f64> = b.split(',').filter_map(|p| p.trim().parse().ok()).collect();
                <[f64; 4]>::try_from(v).ok()
            })
            .filter(|b| b.iter().all(|c| c.is_finite()))
            .unwrap_or([-180.0, -85.0511, 180.0, 85.0511]);
        let vector_layers = meta
            .get("json")
            .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
            .and_then(|v| v.get("vector_layers").cloned())
            .unwrap_or_else(|| serde_json::json!([]));
        Ok(TileSet {
            pool,
            info: TileSetInfo {
                id: id.to_string(),
                bounds,
                minzoom: zoom("minzoom", 0),
                maxzoom: zoom("maxzoom", 14),
                vector_layers,
                bytes,
            },
        })
    }
}

/// The tile sets of one folder.
pub struct TileSets {
    dir: PathBuf,
    open: Mutex<HashMap<String, (SystemTime, Arc<TileSet>)>>,
}

impl TileSets {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        TileSets {
            dir: dir.into(),
            open: Mutex::new(HashMap::new()),
        }
    }

    /// The tile set `id`, or `None` when there is none by that name.
    pub async fn get(&self, id: &str) -> anyhow::Result<Option<Arc<TileSet>>> {
        if !valid_id(id) {
            return Ok(None);
        }
        let path = self.dir.join(format!("{id}.mbtiles"));
        let Ok(meta) = tokio::fs::metadata(&path).await else {
            self.open.lock().await.remove(id);
            return Ok(None);
        };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let mut open = self.open.lock().await;
        if let Some((at, set)) = open.get(id)
            && *at == modified
            && set.info.bytes == meta.len()
        {
            return Ok(Some(set.clone()));
        }
        let set = Arc::new(TileSet::open(id, &path, meta.len()).await?);
        open.insert(id.to_string(), (modified, set.clone()));
        Ok(Some(set))
    }

    /// Every readable tile set, by id; unreadable files are logged and left out.
    pub async fn list(&self) -> Vec<TileSetInfo> {
        let mut ids = Vec::new();
        if let Ok(mut entries) = tokio::fs::read_dir(&self.dir).await {
            while let Ok(Some(e)) = entries.next_entry().await {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(id) = name.strip_suffix(".mbtiles")
                    && valid_id(id)
                {
                    ids.push(id.to_string());
                }
            }
        }
        ids.sort();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match self.get(&id).await {
                Ok(Some(set)) => out.push(set.info.clone()),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(tileset = %id, error = %e, "tile set unreadable; left out")
                }
            }
        }
        out
    }
}
