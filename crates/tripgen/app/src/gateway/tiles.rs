//! The base map over HTTP (docs/maps.md): the tile sets `tripgen import osm` built in
//! `<data_dir>/tiles`, served by the edge so no map request leaves the server.
//!
//! - `GET /tiles/style.json?lang=en|ko`: the repository's style over every tile set;
//! - `GET /tiles/{tileset}.json`: TileJSON 3.0 of one tile set;
//! - `GET /tiles/{tileset}/{z}/{x}/{y}.pbf`: a vector tile, gzip as stored, with an ETag
//!   and `Cache-Control`; 204 where the set has no tile, 404 for an unknown set, a
//!   problem+json 400 naming the parameter for a bad `z`, `x` or `y`.
//!
//! The OpenAPI document describes them (tag `maps`, `openapi.rs`).
//!
//! These routes sit outside the per-IP rate limit: one map view fetches dozens of tiles.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use md5::{Digest, Md5};
use tripgen_location::basemap::{Language, TileLookup, TileSets, style_json};
use tripgen_platform::error::Problem;
use tripgen_platform::{ApiError, FieldError};

/// Tiles change only when an import rebuilds them; the ETag revalidates after an hour.
const TILE_CACHE: &str = "public, max-age=3600, stale-while-revalidate=86400";
/// The deepest zoom any tile URL may name (MapLibre overzooms past a set's maxzoom).
const MAX_ZOOM: u8 = 24;

pub fn router(tiles: Arc<TileSets>) -> Router {
    Router::new()
        .route("/tiles/style.json", get(style))
        .route("/tiles/{file}", get(tilejson))
        .route("/tiles/{tileset}/{z}/{x}/{y}", get(tile))
        .with_state(tiles)
}

/// The map style (MapLibre style spec v8) over every tile set of the server: the
/// repository's OpenMapTiles layers repeated per set, labels in the local language with
/// the reader's (`lang`) on a second line. No `glyphs` and no sprite: the web map draws
/// labels with the device's fonts, so no request leaves the server.
#[utoipa::path(get, path = "/tiles/style.json", tag = "maps",
    params(("lang" = Option<String>, Query, description = "`en` (default) or `ko`")),
    responses((status = 200, body = Object, content_type = "application/json",
               description = "MapLibre style; `metadata.tripgen:tilesets` lists the tile sets (empty: background only)"),
              (status = 400, body = Problem, description = "INVALID_TILE_ADDRESS naming `lang`")))]
pub async fn style(
    State(tiles): State<Arc<TileSets>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = match query.get("lang").map(String::as_str) {
        None => Language::En,
        Some(code) => match Language::parse(code) {
            Some(l) => l,
            None => {
                return bad_param("lang", "UNSUPPORTED", "lang must be `en` or `ko`.");
            }
        },
    };
    json_response(&style_json(&tiles.list().await, lang))
}

/// TileJSON 3.0 of one tile set: bounds, zooms, vector layers, attribution.
#[utoipa::path(get, path = "/tiles/{tileset}.json", tag = "maps",
    params(("tileset" = String, Path, description = "the extract's name, e.g. `munchen`")),
    responses((status = 200, body = Object, content_type = "application/json", description = "TileJSON 3.0.0"),
              (status = 404, body = Problem, description = "TILESET_NOT_FOUND")))]
pub async fn tilejson(State(tiles): State<Arc<TileSets>>, Path(file): Path<String>) -> Response {
    let Some(id) = file.strip_suffix(".json") else {
        return unknown(&file);
    };
    match tiles.get(id).await {
        Ok(Some(set)) => {
            let i = &set.info;
            json_response(&serde_json::json!({
                "tilejson": "3.0.0",
                "name": i.id,
                "scheme": "xyz",
                "tiles": [format!("/tiles/{}/{{z}}/{{x}}/{{y}}.pbf", i.id)],
                "bounds": i.bounds,
                "minzoom": i.minzoom,
                "maxzoom": i.maxzoom,
                "vector_layers": i.vector_layers,
                "attribution": tripgen_location::OSM_ATTRIBUTION_HTML,
            }))
        }
        Ok(None) => unknown(id),
        Err(e) => unreadable(id, e),
    }
}

/// A Mapbox vector tile (OpenMapTiles schema) in XYZ numbering, gzip as stored
/// (`Content-Encoding: gzip`; plain for a client that does not accept gzip), with an
/// `ETag` (304 on `If-None-Match`) and `Cache-Control`. Outside the rate limit.
#[utoipa::path(get, path = "/tiles/{tileset}/{z}/{x}/{y}.pbf", tag = "maps",
    params(("tileset" = String, Path, description = "the extract's name, e.g. `munchen`"),
           ("z" = u8, Path, description = "zoom 0–24 (past the set's maxzoom: overzoom the parent)"),
           ("x" = u32, Path, description = "column, below 2^z"),
           ("y" = u32, Path, description = "row from the north, below 2^z")),
    responses((status = 200, content_type = "application/vnd.mapbox-vector-tile", body = Vec<u8>, description = "the tile"),
              (status = 204, description = "the set has no tile there"),
              (status = 304, description = "not modified (ETag)"),
              (status = 400, body = Problem, description = "INVALID_TILE_ADDRESS naming `z`, `x` or `y`"),
              (status = 404, body = Problem, description = "TILESET_NOT_FOUND")))]
pub async fn tile(
    State(tiles): State<Arc<TileSets>>,
    Path((tileset, z, x, y)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let z = match z.parse::<u8>() {
        Ok(z) if z <= MAX_ZOOM => z,
        _ => {
            return bad_param(
                "z",
                "OUT_OF_RANGE",
                format!("z must be a whole number from 0 to {MAX_ZOOM}."),
            );
        }
    };
    let side = 1u32 << z;
    let x = match x.parse::<u32>() {
        Ok(x) if x < side => x,
        _ => {
            return bad_param(
                "x",
                "OUT_OF_RANGE",
                format!("x must be a whole number below {side} at zoom {z}."),
            );
        }
    };
    let y = match y.strip_suffix(".pbf").map(str::parse::<u32>) {
        Some(Ok(y)) if y < side => y,
        _ => {
            return bad_param(
                "y",
                "OUT_OF_RANGE",
                format!("y must be a whole number below {side} at zoom {z}, followed by `.pbf`."),
            );
        }
    };
    let set = match tiles.get(&tileset).await {
        Ok(Some(set)) => set,
        Ok(None) => return unknown(&tileset),
        Err(e) => return unreadable(&tileset, e),
    };
    let (data, gzip) = match set.tile(z, x, y).await {
        Ok(TileLookup::Tile { data, gzip }) => (data, gzip),
        Ok(TileLookup::Empty) => {
            return (
                StatusCode::NO_CONTENT,
                [(header::CACHE_CONTROL, TILE_CACHE)],
            )
                .into_response();
        }
        Err(e) => return unreadable(&tileset, e),
    };
    let etag = format!("\"{:x}\"", Md5::digest(&data));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(TILE_CACHE));
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, v);
    }
    if matches {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.mapbox-vector-tile"),
    );
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if gzip && accepts_gzip {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        return (out, data).into_response();
    }
    if !gzip {
        return (out, data).into_response();
    }
    // A client that cannot take gzip gets the plain tile.
    let mut plain = Vec::with_capacity(data.len().saturating_mul(3));
    match flate2::read::GzDecoder::new(data.as_slice()).read_to_end(&mut plain) {
        Ok(_) => (out, plain).into_response(),
        Err(e) => unreadable(&tileset, e.into()),
    }
}

fn json_response(value: &serde_json::Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        value.to_string(),
    )
        .into_response()
}

fn bad_param(field: &str, code: &str, message: impl Into<String>) -> Response {
    let message = message.into();
    let mut e = ApiError::bad_request("INVALID_TILE_ADDRESS", message.clone());
    e.errors = vec![FieldError::new(field, code, message)];
    e.into_response()
}

fn unknown(tileset: &str) -> Response {
    ApiError::not_found(
        "TILESET_NOT_FOUND",
        format!("There is no tile set `{tileset}`: `tripgen import osm` builds one per extract."),
    )
    .into_response()
}

fn unreadable(tileset: &str, e: anyhow::Error) -> Response {
    tracing::error!(%tileset, error = %e, "tile set unreadable");
    ApiError::internal().into_response()
}
