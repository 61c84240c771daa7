//! Response compression at the gateway over HTTP: with `Accept-Encoding: gzip`, JSON and
//! the web app's index and hashed assets come back `Content-Encoding: gzip` and decode to
//! the very bytes sent without it; tiny bodies, server-sent events (generation progress,
//! notices) and already compressed export files (PDF, PNG) are sent as they are, and the
//! event streams still deliver their events. Runs on SQLite and PostgreSQL.

use crate::common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use serde_json::{Value, json};

on_both_backends!(gzip_for_json_and_web_not_for_streams_or_files);

/// A response fetched twice: as is, and with `Accept-Encoding: gzip`.
struct Both {
    plain: Vec<u8>,
    encoding: Option<String>,
    vary: Option<String>,
    content_type: String,
    sent: Vec<u8>,
}

impl Both {
    /// What a browser sees: the gzip body decoded, or the body as sent.
    fn decoded(&self) -> Vec<u8> {
        match self.encoding.as_deref() {
            Some("gzip") => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&self.sent[..])
                    .read_to_end(&mut out)
                    .expect("valid gzip");
                out
            }
            _ => self.sent.clone(),
        }
    }
}

async fn fetch_both(app: &TestApp, path: &str, tok: Option<&str>) -> Both {
    let get = |gzip: bool| {
        let mut r = app.http.get(app.url(path));
        if let Some(t) = tok {
            r = r.bearer_auth(t);
        }
        if gzip {
            r = r.header(ACCEPT_ENCODING, "gzip, deflate, br");
        }
        r.send()
    };
    let plain = get(false).await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK, "{path}");
    assert!(plain.headers().get(CONTENT_ENCODING).is_none(), "{path}");
    let plain = plain.bytes().await.unwrap().to_vec();
    let r = get(true).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let header = |h| {
        r.headers()
            .get(h)
            .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_string())
    };
    let encoding = header(CONTENT_ENCODING);
    let vary = header(VARY);
    let content_type = header(CONTENT_TYPE).unwrap_or_default();
    Both {
        plain,
        encoding,
        vary,
        content_type,
        sent: r.bytes().await.unwrap().to_vec(),
    }
}

/// Asserts a gzip answer that decodes to the uncompressed one and is smaller.
fn assert_gzip(b: &Both, what: &str) {
    assert_eq!(b.encoding.as_deref(), Some("gzip"), "{what}");
    assert!(
        b.vary
            .as_deref()
            .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
        "{what}: Vary"
    );
    assert_eq!(b.decoded(), b.plain, "{what}: same bytes");
    assert!(
        b.sent.len() < b.plain.len(),
        "{what}: {} of {} bytes",
        b.sent.len(),
        b.plain.len()
    );
}

/// A web app folder like `vite build` makes: index, a hashed script, a tiny icon.
fn web_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir(&assets).unwrap();
    let mut index = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>TripGen</title>\
         <script type=\"module\" src=\"/assets/index-Ab12Cd34.js\"></script></head><body>",
    );
    for i in 0..40 {
        index.push_str(&format!("<p class=\"row\">Line {i} of the app shell</p>\n"));
    }
    index.push_str("</body></html>\n");
    std::fs::write(dir.path().join("index.html"), index).unwrap();
    let mut js = String::new();
    for i in 0..400 {
        js.push_str(&format!(
            "export function step{i}(trip) {{ return trip.days.map((d) => d.stops.length + {i}); }}\n"
        ));
    }
    std::fs::write(assets.join("index-Ab12Cd34.js"), js).unwrap();
    std::fs::write(
        dir.path().join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    )
    .unwrap();
    dir
}

async fn gzip_for_json_and_web_not_for_streams_or_files(backend: Backend) {
    let web = web_dir();
    let web_path = web.path().to_path_buf();
    let Some((_s, app)) = start_with(backend, move |c| c.gateway.web_dir = Some(web_path)).await
    else {
        return;
    };

    // JSON: the OpenAPI document (large) is compressed, the app config (tiny) is not.
    let doc = fetch_both(&app, "/api/openapi.json", None).await;
    assert!(doc.content_type.starts_with("application/json"));
    assert_gzip(&doc, "openapi.json");
    serde_json::from_slice::<Value>(&doc.decoded()).expect("JSON after decoding");
    let tiny = fetch_both(&app, "/app-config.json", None).await;
    assert!(tiny.plain.len() < 1024);
    assert_eq!(tiny.encoding, None, "below the size threshold");
    assert_eq!(tiny.sent, tiny.plain);

    // The web app: index (also for a client-side route) and a hashed asset.
    for path in ["/", "/trips/new", "/assets/index-Ab12Cd34.js"] {
        let b = fetch_both(&app, path, None).await;
        assert_gzip(&b, path);
    }
    let icon = fetch_both(&app, "/favicon.svg", None).await;
    assert_eq!(icon.encoding, None, "tiny file");

    // A generated schedule (Porto, 1 night) for the API, stream and export checks.
    app.import(&["city-extracts-2020/porto.osm.pbf"]).await;
    let (tok, _) = app.user("gzipuser1").await;
    let r = app
        .post(
            "/api/v1/trips",
            json!({ "tripName": "Porto", "transportMode": "public", "members": [
                { "name": "민지", "age": 38, "gender": "female", "healthStatus": "good", "preferences": ["culture"] }
            ]}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .put(
            &format!("/api/v1/trips/{id}/destinations/batch"),
            json!({ "startDate": "2027-06-01", "destinations": [
                { "destinationName": "Porto", "nights": 1 }
            ]}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post(
            &format!("/api/v1/trips/{id}/schedules/generate"),
            json!({}),
            Some(&tok),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let accepted: Value = r.json().await.unwrap();
    let events_url = accepted["eventsUrl"].as_str().unwrap().to_string();

    // Generation progress with gzip accepted: an uncompressed event stream, read event by
    // event as it is written, ending with the final state.
    let mut resp = app
        .http
        .get(app.url(&events_url))
        .bearer_auth(&tok)
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert!(
        resp.headers().get(CONTENT_ENCODING).is_none(),
        "SSE is not compressed"
    );
    let mut body = String::new();
    let t0 = Instant::now();
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(60), resp.chunk())
        .await
        .expect("events keep coming")
        .unwrap()
    {
        body.push_str(std::str::from_utf8(&chunk).expect("plain text, not gzip"));
        assert!(
            t0.elapsed() < Duration::from_secs(180),
            "stream did not end"
        );
    }
    assert!(body.contains("data:"), "{body}");
    assert!(body.contains("\"completed\""), "ends completed: {body}");

    // The schedule JSON (authenticated) is compressed and decodes to the same document.
    let sched = fetch_both(&app, &format!("/api/v1/trips/{id}/schedules"), Some(&tok)).await;
    assert_gzip(&sched, "schedule");

    // Notices stream: open, not compressed; the headers arrive while the stream stays open.
    let notices = tokio::time::timeout(
        Duration::from_secs(10),
        app.http
            .get(app.url(&format!("/api/v1/trips/{id}/notices/events")))
            .bearer_auth(&tok)
            .header(ACCEPT_ENCODING, "gzip")
            .send(),
    )
    .await
    .expect("headers without waiting for the stream's end")
    .unwrap();
    assert_eq!(notices.status(), StatusCode::OK);
    assert!(
        notices.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert!(notices.headers().get(CONTENT_ENCODING).is_none());
    drop(notices);

    // Exports that are compressed already go out as they are.
    for (format, ty) in [("pdf", "application/pdf"), ("png", "")] {
        let r = app
            .http
            .post(app.url(&format!("/api/v1/trips/{id}/schedules/export")))
            .bearer_auth(&tok)
            .header(ACCEPT_ENCODING, "gzip")
            .json(&json!({ "format": format }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{format}");
        let ct = r.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(ct.starts_with(ty), "{format}: {ct}");
        assert!(
            r.headers().get(CONTENT_ENCODING).is_none(),
            "{format}: {ct}"
        );
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.len() > 1024, "{format}");
        let magic: &[u8] = match ct.as_str() {
            "application/pdf" => b"%PDF",
            "image/png" => b"\x89PNG",
            _ => b"PK",
        };
        assert!(bytes.starts_with(magic), "{format}: {ct}");
    }
    app.stop().await;
}
