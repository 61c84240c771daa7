//! The base map over HTTP (docs/maps.md): the tile sets `tripgen import osm` built in
//! `<data_dir>/tiles`, served by the edge so no map request leaves the server.
//!
//! - `GET /tiles/style.json?lang=en|ko`: the repository's style over every tile set;
//! - `GET /tiles/{tileset}.json`: TileJSON 3.0 of one tile set;
//! - `GET /tiles/{tileset}/{z}/{x}/{y}.pbf`: a vector tile, gzip as stored, with an ETag
//!   and `Cache-Control`; 204 where the set has no tile, 404 for an unknown set, a
//!   problem+json 400 naming the parameter for a bad `z`, `x` or `y`.
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
use tripgen_platform::{ApiError, FieldError};

/// Tiles change only when an import rebuilds them; the ETag revalidates after an hour.
const TILE_CACHE: &str = "public, max-age=3600, stale-while-revalidate=86400";
/// The deepest zoom any tile URL may name (MapLibre overzooms past a set's maxzoom).
const MAX_ZOOM: u8 = 24;

pub fn router(tiles: Arc<TileSets>) -> Router {
    Router::new()
        .route("/tiles/{file}", get(json_document))
        .route("/tiles/{tileset}/{z}/{x}/{y}", get(tile))
        .with_state(tiles)
}

/// `style.json` or `{tileset}.json`.
async fn json_document(
    State(tiles): State<Arc<TileSets>>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if file == "style.json" {
        let lang = match query.get("lang").map(String::as_str) {
            None => Language::En,
            Some(code) => match Language::parse(code) {
                Some(l) => l,
                None => {
                    return bad_param("lang", "UNSUPPORTED", "lang must be `en` or `ko`.");
                }
            },
        };
        let style = style_json(&tiles.list().await, lang);
        return json_response(&style);
    }
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

async fn tile(
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
