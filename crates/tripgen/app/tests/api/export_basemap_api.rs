//! The base map in exports (issue 20): with Munich's tiles built by the real import step
//! (tilemaker), the PNG and PDF of a generated Munich day draw buildings and streets under
//! the route — read back by independent decoders (the `image` crate; poppler's
//! `pdftoppm` rasterises the PDF page) and counted by the web style's colours. Without
//! tiles, or without the map, the same exports have none of them. Tile sets are files, so
//! one backend covers them.

use std::process::Command;

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_location::basemap::{BasemapBuilder, build_all};
use tripgen_platform::progress::Progress;

/// The web style's (and the export's) building fill and major-road colour.
const BUILDING: [u8; 3] = [0xdc, 0xd6, 0xcb];
const ROAD_CASING: [u8; 3] = [0xcf, 0xc6, 0xb8];

fn share_of(img: &image::RgbImage, colour: [u8; 3]) -> f64 {
    let n = img
        .pixels()
        .filter(|p| p.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 4))
        .count();
    n as f64 / f64::from(img.width() * img.height())
}

async fn export(app: &TestApp, tok: &str, id: &str, body: Value) -> Vec<u8> {
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/export"),
            body.clone(),
            Some(tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    r.bytes().await.unwrap().to_vec()
}

/// Page `page` of a PDF rasterised by poppler (CI installs poppler-utils).
fn pdf_page(pdf: &[u8], page: u32) -> image::RgbImage {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.pdf");
    std::fs::write(&path, pdf).unwrap();
    let p = page.to_string();
    let out = Command::new("pdftoppm")
        .args(["-r", "72", "-png", "-f", &p, "-l", &p, "-singlefile"])
        .arg(&path)
        .arg(dir.path().join("page"))
        .output()
        .unwrap_or_else(|e| panic!("pdftoppm not runnable ({e}): apt-get install poppler-utils"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    image::open(dir.path().join("page.png")).unwrap().to_rgb8()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_draw_the_base_map_under_the_route() {
    let Some((_s, app)) = start(Backend::Sqlite).await else {
        return;
    };
    app.import(&["city-extracts-2020/munchen.osm.pbf"]).await;
    let (tok, _) = app.user("mapprinter").await;
    let id = app
        .create_trip(
            &tok,
            json!({ "tripName": "Munich map", "transportMode": "public", "members": [
                { "name": "Ana", "age": 35, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
        )
        .await;
    app.set_destinations(
        &tok,
        &id,
        json!({ "startDate": "2027-06-01", "destinations": [
            { "destinationName": "München", "nights": 1, "accommodation": "Bayerischer Hof" }
        ]}),
    )
    .await;
    app.generate(&tok, &id, json!({ "startTime": "09:30" }))
        .await;
    let png = |include_map: bool| json!({ "format": "png", "days": [1], "includeMap": include_map, "language": "en" });

    // No tile set yet: the export works as before, on a plain background.
    let before = image::load_from_memory(&export(&app, &tok, &id, png(true)).await)
        .unwrap()
        .to_rgb8();
    assert!(share_of(&before, BUILDING) < 0.001);

    // The tiles, as `tripgen import osm` builds them.
    let locations = app.contexts.locations.clone().expect("location context");
    let builder: BasemapBuilder = locations.basemap_builder();
    assert!(
        builder.tool_available(),
        "tilemaker is not installed: apt-get install tilemaker"
    );
    let pbf = osm_data("city-extracts-2020/munchen.osm.pbf");
    let reports = build_all(&builder, &[pbf], &Progress::hidden()).await;
    assert_eq!(reports[0].error, None, "{:?}", reports[0]);

    let img = image::load_from_memory(&export(&app, &tok, &id, png(true)).await)
        .unwrap()
        .to_rgb8();
    let (b, r) = (share_of(&img, BUILDING), share_of(&img, ROAD_CASING));
    assert!(
        b > 0.03,
        "buildings cover {:.1} % of the picture",
        b * 100.0
    );
    assert!(
        r > 0.002,
        "road casings cover {:.2} % of the picture",
        r * 100.0
    );
    let no_map = image::load_from_memory(&export(&app, &tok, &id, png(false)).await)
        .unwrap()
        .to_rgb8();
    assert!(share_of(&no_map, BUILDING) < 0.001);

    // PDF: the day's page (after the cover) has the base map under the route, and the
    // attribution as text.
    let pdf = export(
        &app,
        &tok,
        &id,
        json!({ "format": "pdf", "days": [1], "language": "en" }),
    )
    .await;
    let page = pdf_page(&pdf, 2);
    let b = share_of(&page, BUILDING);
    assert!(
        b > 0.01,
        "buildings cover {:.1} % of the PDF page",
        b * 100.0
    );
    let text = Command::new("pdftotext")
        .arg("-")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&pdf)?;
            c.wait_with_output()
        })
        .expect("pdftotext");
    assert!(String::from_utf8_lossy(&text.stdout).contains("OpenStreetMap"));
}
