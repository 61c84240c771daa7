//! Schedule export (TRIP-100) over HTTP on a schedule generated from the real OSM
//! catalogue (Munich, Porto), every format read back by an independent parser: PDF by
//! poppler's `pdftotext`/`pdfinfo`, PNG by the `image` decoder, ZIP by the `zip` reader,
//! iCalendar by the `icalendar` parser, GPX by the `gpx` crate. Also: file names with
//! Korean, a slash and a dot, an emptied day, another user's trip, a share link, and
//! the input errors. Every test runs on SQLite and PostgreSQL.

use crate::common;

use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(export_every_format, export_access_and_errors);

/// "뮌헨/포르투 v1.2": Munich 2 nights (hotel), Porto 1 night; 4 days from 2027-06-01.
async fn generated_trip(app: &TestApp, tok: &str) -> String {
    let id = app
        .create_trip(
            tok,
            json!({ "tripName": "뮌헨/포르투 v1.2", "transportMode": "public", "members": [
                { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture"] },
                { "name": "Tom", "age": 40, "gender": "male", "healthStatus": "good", "preferences": ["sightseeing"] }
            ]}),
        )
        .await;
    app.set_destinations(
        tok,
        &id,
        json!({ "startDate": "2027-06-01", "destinations": [
            { "destinationName": "뮌헨", "nights": 2, "accommodation": "Bayerischer Hof" },
            { "destinationName": "Porto", "nights": 1 }
        ]}),
    )
    .await;
    id
}

async fn days(app: &TestApp, tok: &str, id: &str) -> Vec<Value> {
    let s: Value = app
        .get(&format!("/api/v1/trips/{id}/schedules"), Some(tok))
        .await
        .json()
        .await
        .unwrap();
    s["days"].as_array().unwrap().clone()
}

fn stop_names(day: &Value) -> Vec<String> {
    day["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

/// A downloaded file: body, content type and the name from `Content-Disposition`.
struct Download {
    bytes: Vec<u8>,
    content_type: String,
    disposition: String,
}

impl Download {
    /// The UTF-8 name (`filename*`), percent-decoded.
    fn utf8_name(&self) -> String {
        let enc = self
            .disposition
            .split("filename*=UTF-8''")
            .nth(1)
            .expect("filename* present");
        let bytes = enc.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&enc[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    fn ascii_name(&self) -> String {
        self.disposition
            .split("filename=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("ascii filename present")
            .to_string()
    }
}

async fn export(app: &TestApp, path: &str, body: Value, tok: Option<&str>) -> Download {
    let r = app.post(path, body.clone(), tok).await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    let h = |n: &str| {
        r.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let content_type = h("content-type");
    let disposition = h("content-disposition");
    Download {
        bytes: r.bytes().await.unwrap().to_vec(),
        content_type,
        disposition,
    }
}

fn prop<'a>(
    c: &'a icalendar::parser::Component<'a>,
    n: &str,
) -> &'a icalendar::parser::Property<'a> {
    c.properties
        .iter()
        .find(|p| p.name == n)
        .unwrap_or_else(|| panic!("{n}"))
}

/// Runs a poppler tool on a PDF; CI installs poppler-utils (`.ci/run`).
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} not runnable ({e}): apt-get install poppler-utils"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// GPX route points of a day as the export draws them: lodging → stops (a journey from
/// one hotel to the next) → lodging,
/// repeated consecutive points once.
fn route_len(day: &Value) -> usize {
    let pt = |v: &Value| (v["lat"].as_f64().unwrap(), v["lon"].as_f64().unwrap());
    let mut pts = vec![pt(&day["start"]["position"])];
    for s in day["stops"].as_array().unwrap() {
        pts.push(pt(&s["position"]));
        // A journey (the travel day, docs/journeys.md) ends at the next city's hotel.
        if s["kind"] == "journey" {
            pts.push(pt(&s["journey"]["to"]["position"]));
        }
    }
    pts.push(pt(&day["end"]["position"]));
    pts.dedup();
    pts.len()
}

async fn export_every_format(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let (tok, _) = app.user("exporter1").await;
    let id = generated_trip(&app, &tok).await;
    let path = format!("/api/v1/trips/{id}/schedules/export");
    // Nothing generated yet: a clear conflict, not an empty file.
    let p = problem(
        app.post(&path, json!({ "format": "pdf" }), Some(&tok))
            .await,
        StatusCode::CONFLICT,
        "NO_SCHEDULE",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("generate"), "{p}");
    app.generate(&tok, &id, json!({ "startTime": "09:30" }))
        .await;

    // Empty the last day (departure day) through the edit API.
    let before = days(&app, &tok, &id).await;
    assert_eq!(before.len(), 4);
    let r = app
        .put(
            &format!("/api/v1/trips/{id}/schedules/days/4?force=true"),
            json!({ "placeIds": [] }),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let sched = days(&app, &tok, &id).await;
    assert!(sched[3]["stops"].as_array().unwrap().is_empty());
    let names: Vec<Vec<String>> = sched.iter().map(stop_names).collect();
    let total: usize = names.iter().map(Vec::len).sum();
    assert!(total >= 8, "a real plan: {names:?}");

    // PDF: A4 pages, cover + at least a page per day, every stop name as real text.
    let t0 = Instant::now();
    let pdf = export(
        &app,
        &path,
        json!({ "format": "pdf", "language": "ko" }),
        Some(&tok),
    )
    .await;
    eprintln!(
        "{backend:?}: PDF of 4 days in {:?}, {} bytes",
        t0.elapsed(),
        pdf.bytes.len()
    );
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.utf8_name(), "뮌헨_포르투 v1.2_20270601.pdf");
    assert_eq!(pdf.ascii_name(), "v1.2_20270601.pdf");
    assert!(pdf.disposition.starts_with("attachment; "));
    let info = poppler("pdfinfo", &[], &pdf.bytes);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!(
        (5..=9).contains(&pages),
        "cover + 4 days: {pages} pages\n{info}"
    );
    assert!(info.contains("A4"), "{info}");
    let text = squash(&poppler("pdftotext", &["-layout"], &pdf.bytes));
    for name in names.iter().flatten() {
        assert!(text.contains(&squash(name)), "{name} in the PDF text");
    }
    for needle in [
        "뮌헨/포르투 v1.2",
        "1일차",
        "4일차",
        "여행자 2명",
        "OpenStreetMap contributors",
        "Munich",
        "Porto",
    ] {
        assert!(text.contains(needle), "{needle} in the PDF text");
    }
    assert!(
        text.contains("이 날은 계획된 장소가 없습니다"),
        "the emptied day says so"
    );
    let last_page = poppler(
        "pdftotext",
        &["-f", &pages.to_string(), "-l", &pages.to_string()],
        &pdf.bytes,
    );
    assert!(
        last_page
            .replace(' ', "")
            .contains(&format!("{pages}/{pages}")),
        "page numbers: {last_page}"
    );
    // Without the map the file is smaller and says the same.
    let plain = export(
        &app,
        &path,
        json!({ "format": "pdf", "includeMap": false, "days": [1] }),
        Some(&tok),
    )
    .await;
    let plain_text = squash(&poppler("pdftotext", &[], &plain.bytes));
    assert!(plain_text.contains(&squash(&names[0][0])));
    assert!(plain.bytes.len() < pdf.bytes.len());

    // PNG: one day is a picture, 1080×1920.
    let png = export(
        &app,
        &path,
        json!({ "format": "png", "days": [2] }),
        Some(&tok),
    )
    .await;
    assert_eq!(png.content_type, "image/png");
    assert_eq!(png.utf8_name(), "뮌헨_포르투 v1.2_Day2_20270602.png");
    let img = image::load_from_memory(&png.bytes).expect("PNG decodes");
    assert_eq!((img.width(), img.height()), (1080, 1920));
    // Several days: a ZIP with one picture per day, named per day.
    let zip = export(
        &app,
        &path,
        json!({ "format": "png", "days": [1, 3, 4] }),
        Some(&tok),
    )
    .await;
    assert_eq!(zip.content_type, "application/zip");
    assert_eq!(zip.utf8_name(), "뮌헨_포르투 v1.2_20270601.zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes)).expect("ZIP reads");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut buf).unwrap();
        let img = image::load_from_memory(&buf).expect("entry is a PNG");
        assert_eq!((img.width(), img.height()), (1080, 1920));
        entries.push(f.name().expect("entry name").to_string());
    }
    assert_eq!(
        entries,
        [
            "뮌헨_포르투 v1.2_Day1_20270601.png",
            "뮌헨_포르투 v1.2_Day3_20270603.png",
            "뮌헨_포르투 v1.2_Day4_20270604.png"
        ]
    );

    // iCalendar: an event per stop in the city's zone, with its VTIMEZONE; stable UIDs.
    let ics = export(&app, &path, json!({ "format": "ics" }), Some(&tok)).await;
    assert!(ics.content_type.starts_with("text/calendar"));
    assert_eq!(ics.utf8_name(), "뮌헨_포르투 v1.2_20270601.ics");
    let body = String::from_utf8(ics.bytes).unwrap();
    let unfolded = icalendar::parser::unfold(&body);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("iCalendar parses");
    let comps = &cal.components;
    let zones: HashSet<String> = comps
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .flat_map(|c| {
            c.properties
                .iter()
                .filter(|p| p.name == "TZID")
                .map(|p| p.val.as_str().to_string())
        })
        .collect();
    // A VTIMEZONE for every zone with events: Munich's days are in Europe/Berlin, Porto's
    // in Europe/Lisbon.
    let with_stops: Vec<&Value> = sched
        .iter()
        .filter(|d| !d["stops"].as_array().unwrap().is_empty())
        .collect();
    let expected: HashSet<String> = with_stops
        .iter()
        .map(|d| d["timeZone"].as_str().unwrap().to_string())
        .collect();
    assert!(expected.contains("Europe/Berlin"), "{expected:?}");
    assert_eq!(zones, expected);
    let events: Vec<_> = comps.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(events.len(), total, "an event per stop");
    let mut uids = HashSet::new();
    let mut summaries = Vec::new();
    for e in &events {
        let start = prop(e, "DTSTART");
        let tzid = start
            .params
            .iter()
            .find(|p| p.key == "TZID")
            .and_then(|p| p.val.clone())
            .expect("TZID");
        assert!(zones.contains(tzid.as_str()));
        assert!(
            start.val.as_str().starts_with("202706"),
            "{}",
            start.val.as_str()
        );
        assert!(prop(e, "DTEND").val.as_str() > start.val.as_str());
        assert!(prop(e, "GEO").val.as_str().contains(';'));
        assert!(!prop(e, "LOCATION").val.as_str().is_empty());
        uids.insert(prop(e, "UID").val.as_str().to_string());
        summaries.push(
            prop(e, "SUMMARY")
                .val
                .as_str()
                .replace("\\,", ",")
                .replace("\\;", ";"),
        );
    }
    assert_eq!(uids.len(), total, "UIDs are distinct");
    for name in names.iter().flatten() {
        assert!(summaries.contains(name), "{name} is an event");
    }
    for d in &with_stops {
        let start = format!(
            "DTSTART;TZID={}:{}T",
            d["timeZone"].as_str().unwrap(),
            d["date"].as_str().unwrap().replace('-', "")
        );
        assert!(body.contains(&start), "{start}");
    }
    assert!(body.contains("DESCRIPTION:"), "leg to the next stop");
    let again = export(&app, &path, json!({ "format": "ics" }), Some(&tok)).await;
    let again = String::from_utf8(again.bytes).unwrap();
    let uids_again: HashSet<String> = again
        .lines()
        .filter_map(|l| l.strip_prefix("UID:"))
        .map(str::to_string)
        .collect();
    assert_eq!(uids_again, uids, "re-imports update the same events");

    // GPX 1.1: a waypoint per stop, a route per day along its legs.
    let gpx = export(&app, &path, json!({ "format": "gpx" }), Some(&tok)).await;
    assert_eq!(gpx.content_type, "application/gpx+xml");
    assert_eq!(gpx.utf8_name(), "뮌헨_포르투 v1.2_20270601.gpx");
    let g = gpx::read(std::io::Cursor::new(gpx.bytes)).expect("GPX parses");
    assert_eq!(g.version, gpx::GpxVersion::Gpx11);
    assert_eq!(g.waypoints.len(), total);
    assert!(
        g.waypoints
            .iter()
            .all(|w| w.time.is_some() && w.name.is_some())
    );
    assert_eq!(g.routes.len(), 4);
    for (route, day) in g.routes.iter().zip(&sched) {
        assert_eq!(route.points.len(), route_len(day), "{:?}", route.name);
    }
    app.stop().await;
}

async fn export_access_and_errors(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.import(&[
        "city-extracts-2020/munchen.osm.pbf",
        "city-extracts-2020/porto.osm.pbf",
    ])
    .await;
    let (tok, _) = app.user("exporter2").await;
    let (other, _) = app.user("stranger2").await;
    let id = generated_trip(&app, &tok).await;
    app.generate(&tok, &id, json!({ "startTime": "09:30" }))
        .await;
    let path = format!("/api/v1/trips/{id}/schedules/export");

    // Another user's trip is not there; neither is a malformed id.
    problem(
        app.post(&path, json!({ "format": "pdf" }), Some(&other))
            .await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    problem(
        app.post(
            "/api/v1/trips/nope/schedules/export",
            json!({ "format": "pdf" }),
            Some(&tok),
        )
        .await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    problem(
        app.post(&path, json!({}), Some(&other)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    let r = app.post(&path, json!({ "format": "pdf" }), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Both routes are in the OpenAPI document.
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for p in [
        "/api/v1/trips/{id}/schedules/export",
        "/api/v1/trips/shared/{token}/schedules/export",
    ] {
        assert!(doc["paths"][p]["post"].is_object(), "{p} documented");
    }

    // Input errors name their fields.
    let p = problem(
        app.post(
            &path,
            json!({ "format": "docx", "days": [0], "language": "de" }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        [
            ("format".to_string(), "INVALID_VALUE".to_string()),
            ("days[0]".to_string(), "INVALID_VALUE".to_string()),
            ("language".to_string(), "INVALID_VALUE".to_string())
        ]
    );
    let p = problem(
        app.post(&path, json!({}), Some(&tok)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        [("format".to_string(), "REQUIRED".to_string())]
    );
    let p = problem(
        app.post(
            &path,
            json!({ "format": "gpx", "days": [2, 9] }),
            Some(&tok),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        [("days[1]".to_string(), "DAY_NOT_FOUND".to_string())]
    );
    let p = problem(
        app.post(&path, json!({ "format": "pdf", "days": "all" }), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "days", "{p}");

    // A share link's holder exports without signing in; a revoked link stops working.
    let share: Value = app
        .post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    let token = share["token"].as_str().unwrap();
    let shared = format!("/api/v1/trips/shared/{token}/schedules/export");
    let ics = export(&app, &shared, json!({ "format": "ics", "days": [1] }), None).await;
    let body = String::from_utf8(ics.bytes).unwrap();
    let first_day = days(&app, &tok, &id).await[0]["stops"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(body.matches("BEGIN:VEVENT").count(), first_day);
    // Korean labels follow Accept-Language when the body names no language.
    let r = app
        .http
        .post(app.url(&shared))
        .header("Accept-Language", "ko-KR,ko;q=0.9")
        .json(&json!({ "format": "pdf", "days": [1], "includeMap": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = poppler("pdftotext", &[], &r.bytes().await.unwrap());
    assert!(text.contains("1일차"), "Korean labels from Accept-Language");
    let r = app
        .delete(&format!("/api/v1/trips/{id}/share"), Some(&tok))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    problem(
        app.post(&shared, json!({ "format": "ics" }), None).await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    app.stop().await;
}
