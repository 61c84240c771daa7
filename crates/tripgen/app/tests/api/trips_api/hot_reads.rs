//! Hot reads (issue 29) over HTTP: the whole schedule is stored rendered and gzip-compressed
//! and still reads as the same JSON; schedule, `?day=`, trip and profile answers carry a
//! weak `ETag` and answer 304 to `If-None-Match`; an edit changes the schedule's `ETag` at
//! once. Runs on SQLite and on PostgreSQL (+ Redis, where the stored body lives in Redis).

use std::io::Read;

use super::*;
use crate::common;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};

on_both_backends!(
    schedule_is_stored_revalidated_and_fresh_after_an_edit,
    trip_and_profile_answer_304_until_they_change,
);

struct Answer {
    status: StatusCode,
    etag: Option<String>,
    cache_control: Option<String>,
    encoding: Option<String>,
    vary: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    /// The body as the client reads it (gzip decoded).
    fn json(&self) -> Vec<u8> {
        match self.encoding.as_deref() {
            Some("gzip") => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut out)
                    .expect("valid gzip");
                out
            }
            _ => self.body.clone(),
        }
    }
}

async fn read(app: &TestApp, tok: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut r = app.http.get(app.url(path)).bearer_auth(tok);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let resp = r.send().await.expect("request");
    let h = |name| {
        resp.headers()
            .get(name)
            .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_string())
    };
    Answer {
        status: resp.status(),
        etag: h(ETAG),
        cache_control: h(CACHE_CONTROL),
        encoding: h(CONTENT_ENCODING),
        vary: h(VARY),
        content_type: h(CONTENT_TYPE),
        body: resp.bytes().await.expect("body").to_vec(),
    }
}

async fn schedule_is_stored_revalidated_and_fresh_after_an_edit(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("hot001").await;
    let id = munich_trip(&app, &tok, "Munich").await;
    let path = format!("/api/v1/trips/{id}/schedules");
    generate(&app, &id).await;

    let plain = read(&app, &tok, &path, &[]).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.content_type.as_deref(), Some("application/json"));
    assert_eq!(plain.encoding, None);
    assert_eq!(plain.cache_control.as_deref(), Some("private, no-cache"));
    let etag = plain.etag.clone().expect("an ETag");
    assert!(etag.starts_with("W/\""), "{etag}");
    let v: Value = serde_json::from_slice(&plain.body).unwrap();
    assert_eq!(v["days"].as_array().unwrap().len(), 4);

    // Read again (from the stored body), with gzip: the same JSON, the same validator.
    let gz = read(&app, &tok, &path, &[(ACCEPT_ENCODING.as_str(), "gzip, br")]).await;
    assert_eq!(gz.status, StatusCode::OK);
    assert_eq!(gz.encoding.as_deref(), Some("gzip"));
    assert!(
        gz.vary
            .as_deref()
            .is_some_and(|v| v.contains("accept-encoding"))
    );
    assert!(gz.body.len() < plain.body.len(), "compressed");
    assert_eq!(gz.json(), plain.body, "byte-identical JSON");
    assert_eq!(gz.etag.as_deref(), Some(etag.as_str()));
    let again = read(&app, &tok, &path, &[]).await;
    assert_eq!(again.body, plain.body);

    // Revalidation: 304 without a body, for the ETag with or without its weak prefix.
    for tag in [etag.clone(), etag.trim_start_matches("W/").to_string()] {
        let r = read(&app, &tok, &path, &[(IF_NONE_MATCH.as_str(), tag.as_str())]).await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        assert!(r.body.is_empty());
        assert_eq!(r.etag.as_deref(), Some(etag.as_str()));
    }
    let other = read(&app, &tok, &path, &[(IF_NONE_MATCH.as_str(), "W/\"0\"")]).await;
    assert_eq!(other.status, StatusCode::OK);

    // Korean texts are another representation with their own validator.
    let ko = read(&app, &tok, &format!("{path}?lang=ko"), &[]).await;
    assert_eq!(ko.status, StatusCode::OK);
    assert_eq!(
        ko.etag.as_deref() == Some(etag.as_str()),
        ko.body == plain.body
    );

    // One day: rendered per request, revalidated all the same.
    let d2 = read(&app, &tok, &format!("{path}?day=2"), &[]).await;
    let d2_tag = d2.etag.clone().expect("an ETag for one day");
    let r = read(
        &app,
        &tok,
        &format!("{path}?day=2"),
        &[(IF_NONE_MATCH.as_str(), d2_tag.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);

    // An edit shows in the very next read, and the old validator no longer matches.
    let day2: Value = serde_json::from_slice(&d2.body).unwrap();
    let mut ids = stop_ids(&day2["days"][0]);
    ids.reverse();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let resp = edit(&app, &tok, &id, 2, &ids, true).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let after = read(
        &app,
        &tok,
        &path,
        &[(IF_NONE_MATCH.as_str(), etag.as_str())],
    )
    .await;
    assert_eq!(after.status, StatusCode::OK, "changed: sent again");
    assert_ne!(after.etag.as_deref(), Some(etag.as_str()));
    let v: Value = serde_json::from_slice(&after.body).unwrap();
    assert_eq!(v["days"][1]["version"], 2);
    assert_eq!(
        v["days"][1],
        day_of(&app, &tok, &id, 2).await,
        "as rendered fresh"
    );
    let gz = read(&app, &tok, &path, &[(ACCEPT_ENCODING.as_str(), "gzip")]).await;
    assert_eq!(
        gz.json(),
        after.body,
        "the stored gzip body follows the edit"
    );
    let r = read(
        &app,
        &tok,
        &format!("{path}?day=2"),
        &[(IF_NONE_MATCH.as_str(), d2_tag.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);

    // Someone else's trip: 404 as before, never a 304.
    let (other_tok, _) = app.user("hot002").await;
    let r = read(&app, &other_tok, &path, &[(IF_NONE_MATCH.as_str(), "*")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn trip_and_profile_answer_304_until_they_change(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("hot003").await;
    let id = munich_trip(&app, &tok, "Munich").await;
    let path = format!("/api/v1/trips/{id}");
    let first = read(&app, &tok, &path, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.cache_control.as_deref(), Some("private, no-cache"));
    let etag = first.etag.clone().expect("an ETag");
    let r = read(
        &app,
        &tok,
        &path,
        &[(IF_NONE_MATCH.as_str(), etag.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let resp = app
        .put(&path, json!({ "tripName": "Munich 2" }), Some(&tok))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let r = read(
        &app,
        &tok,
        &path,
        &[(IF_NONE_MATCH.as_str(), etag.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["tripName"], "Munich 2");

    // The profile: personal data stays `no-store`, but a client may revalidate it.
    let p = read(&app, &tok, "/api/v1/users/profile", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.cache_control.as_deref(), Some("no-store"));
    let tag = p.etag.clone().expect("an ETag");
    let r = read(
        &app,
        &tok,
        "/api/v1/users/profile",
        &[(IF_NONE_MATCH.as_str(), tag.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert_eq!(r.cache_control.as_deref(), Some("no-store"));
    let resp = app
        .put(
            "/api/v1/users/profile",
            json!({ "name": "Hot Reader" }),
            Some(&tok),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let r = read(
        &app,
        &tok,
        "/api/v1/users/profile",
        &[(IF_NONE_MATCH.as_str(), tag.as_str())],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    app.stop().await;
}
