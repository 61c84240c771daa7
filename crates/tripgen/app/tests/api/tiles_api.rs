//! The base map over HTTP (issue 20): tile sets built from a bundled extract by the real
//! import step (tilemaker), then `/tiles/style.json`, TileJSON and the tiles themselves
//! through the gateway — gzip as stored, ETag, cache headers, 204, 404 and problem+json.
//! The tile routes read files, not the catalogue, so one backend covers them.

use std::io::Read;

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use tripgen_location::basemap::{BasemapBuilder, build_all};
use tripgen_platform::progress::Progress;

/// The XYZ tile holding `lon`/`lat` at zoom `z`.
fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let r = lat.to_radians();
    let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    (x as u32, y as u32)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzip tile");
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The tile build needs tilemaker (a Debian package, installed by `.ci/run`); without it
/// this test fails with the install command rather than passing without proving anything.
fn require_tilemaker(builder: &BasemapBuilder) {
    assert!(
        builder.tool_available(),
        "tilemaker is not installed: apt-get install tilemaker"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tiles_built_at_import_are_served_by_the_gateway() {
    let Some((_s, app)) = start(Backend::Sqlite).await else {
        return;
    };
    let locations = app.contexts.locations.clone().expect("location context");
    let builder = locations.basemap_builder();
    require_tilemaker(&builder);
    let pbf = osm_data("city-extracts-2020/munchen.osm.pbf");
    let reports = build_all(&builder, &[pbf], &Progress::hidden()).await;
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(r.error, None, "{r:?}");
    assert_eq!(r.tileset.as_deref(), Some("munchen"));
    assert!(r.tiles > 4 && r.bytes > 10_000, "{r:?}");
    assert!(builder.is_current(&osm_data("city-extracts-2020/munchen.osm.pbf")));

    // The style: the repository's layers over this tile set, labels in the asked language.
    let style: Value = app
        .get("/tiles/style.json?lang=ko", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(style["version"], 8);
    assert_eq!(
        style["sources"]["tiles-munchen"]["tiles"][0],
        "/tiles/munchen/{z}/{x}/{y}.pbf"
    );
    assert!(
        style["sources"]["tiles-munchen"]["attribution"]
            .as_str()
            .unwrap()
            .contains("OpenStreetMap")
    );
    let ids: Vec<&str> = style["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["id"].as_str())
        .collect();
    for layer in [
        "munchen:water",
        "munchen:park",
        "munchen:building",
        "munchen:road-minor",
        "munchen:place-name",
    ] {
        assert!(ids.contains(&layer), "{layer} in {ids:?}");
    }
    assert!(
        style.get("glyphs").is_none(),
        "labels use local fonts: no glyph server"
    );
    let p = problem(
        app.get("/tiles/style.json?lang=xx", None).await,
        StatusCode::BAD_REQUEST,
        "INVALID_TILE_ADDRESS",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![("lang".to_string(), "UNSUPPORTED".to_string())]
    );

    // TileJSON.
    let tj: Value = app
        .get("/tiles/munchen.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tj["tilejson"], "3.0.0");
    assert_eq!(tj["maxzoom"], 14);
    let b: Vec<f64> = serde_json::from_value(tj["bounds"].clone()).unwrap();
    assert!(
        b[0] > 11.5 && b[2] < 11.7 && b[1] > 48.1 && b[3] < 48.2,
        "{b:?}"
    );
    let layers = tj["vector_layers"].to_string();
    assert!(
        layers.contains("transportation") && layers.contains("building"),
        "{layers}"
    );

    // A tile of the old town (Marienplatz): gzip as stored, cacheable, revalidated by ETag.
    let (x, y) = tile_of(11.5755, 48.1374, 14);
    let url = app.url(&format!("/tiles/munchen/14/{x}/{y}.pbf"));
    let resp = app
        .http
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers().clone();
    assert_eq!(h["content-encoding"], "gzip");
    assert_eq!(h["content-type"], "application/vnd.mapbox-vector-tile");
    assert!(h["cache-control"].to_str().unwrap().contains("max-age="));
    let etag = h["etag"].to_str().unwrap().to_string();
    let gz = resp.bytes().await.unwrap();
    let tile = gunzip(&gz);
    for layer in [&b"transportation"[..], b"building", b"poi"] {
        assert!(
            contains(&tile, layer),
            "layer {} in the tile",
            String::from_utf8_lossy(layer)
        );
    }
    assert!(
        contains(&tile, "Marienplatz".as_bytes()),
        "street and place names"
    );
    let again = app
        .http
        .get(&url)
        .header("accept-encoding", "gzip")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // A client without gzip gets the same tile, plain.
    let plain = app.http.get(&url).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), tile.as_slice());

    // Outside the extract: no content. Unknown set: 404. Bad addresses: 400 naming the part.
    let empty = app.get("/tiles/munchen/14/0/0.pbf", None).await;
    assert_eq!(empty.status(), StatusCode::NO_CONTENT);
    assert!(empty.headers().get("cache-control").is_some());
    problem(
        app.get("/tiles/atlantis/14/0/0.pbf", None).await,
        StatusCode::NOT_FOUND,
        "TILESET_NOT_FOUND",
    )
    .await;
    problem(
        app.get("/tiles/atlantis.json", None).await,
        StatusCode::NOT_FOUND,
        "TILESET_NOT_FOUND",
    )
    .await;
    for (path, field) in [
        ("/tiles/munchen/25/0/0.pbf", "z"),
        ("/tiles/munchen/-1/0/0.pbf", "z"),
        ("/tiles/munchen/2/4/0.pbf", "x"),
        ("/tiles/munchen/2/x/0.pbf", "x"),
        ("/tiles/munchen/2/0/4.pbf", "y"),
        ("/tiles/munchen/2/0/1.png", "y"),
        ("/tiles/munchen/2/0/99999999999999999999.pbf", "y"),
    ] {
        let p = problem(
            app.get(path, None).await,
            StatusCode::BAD_REQUEST,
            "INVALID_TILE_ADDRESS",
        )
        .await;
        assert_eq!(
            field_codes(&p),
            vec![(field.to_string(), "OUT_OF_RANGE".to_string())],
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_tiles_the_map_has_a_plain_background_and_imports_still_work() {
    let Some((_s, app)) = start(Backend::Sqlite).await else {
        return;
    };
    let style: Value = app
        .get("/tiles/style.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(style["sources"], serde_json::json!({}));
    assert_eq!(style["metadata"]["tripgen:tilesets"], serde_json::json!([]));
    assert_eq!(
        style["layers"].as_array().unwrap().len(),
        1,
        "the background only"
    );
    problem(
        app.get("/tiles/munchen/14/8718/5685.pbf", None).await,
        StatusCode::NOT_FOUND,
        "TILESET_NOT_FOUND",
    )
    .await;

    // No tilemaker: the places are imported, the base map says why it is missing.
    let report = app.import(&["city-extracts-2020/monaco.osm.pbf"]).await;
    assert!(report.changed() > 0);
    let locations = app.contexts.locations.clone().expect("location context");
    let dir = locations.basemap_builder().dir().to_path_buf();
    let missing = BasemapBuilder::with_tool(dir, "/nonexistent/tilemaker");
    let reports = build_all(
        &missing,
        &[
            osm_data("city-extracts-2020/monaco.osm.pbf"),
            osm_data("city-extracts-2020/andorra.osm.pbf"),
        ],
        &Progress::hidden(),
    )
    .await;
    assert_eq!(reports.len(), 2);
    for r in &reports {
        assert!(r.tool_missing, "{r:?}");
        assert!(
            r.line().contains("apt-get install tilemaker"),
            "{}",
            r.line()
        );
    }
    let cities = app.get("/api/v1/locations/cities", None).await;
    assert_eq!(cities.status(), StatusCode::OK);
    app.stop().await;
}

/// Helsinki's extract is clipped (ways name nodes cut away), which tilemaker alone aborts
/// on: the import cleans a copy first (osmium-tool, basemap/clean.rs) and serves its tiles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clipped_extract_gets_its_base_map() {
    let Some((_s, app)) = start(Backend::Sqlite).await else {
        return;
    };
    let locations = app.contexts.locations.clone().expect("location context");
    let builder = locations.basemap_builder();
    require_tilemaker(&builder);
    let pbf = osm_data("helsinki-centre/Helsinki.osm.pbf");
    let reports = build_all(&builder, &[pbf], &Progress::hidden()).await;
    let r = &reports[0];
    assert_eq!(r.error, None, "{r:?}");
    assert_eq!(r.tileset.as_deref(), Some("helsinki"));
    // The city centre by the station and the Senate Square: streets with their names.
    let (x, y) = tile_of(24.9458, 60.1699, 14);
    let resp = app
        .http
        .get(app.url(&format!("/tiles/helsinki/14/{x}/{y}.pbf")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let tile = resp.bytes().await.unwrap();
    for needle in [
        &b"transportation"[..],
        b"building",
        "Aleksanterinkatu".as_bytes(),
    ] {
        assert!(
            contains(&tile, needle),
            "{} in the tile",
            String::from_utf8_lossy(needle)
        );
    }
    app.stop().await;
}
