//! Share links, ownership on every route, cache invalidation, covers.

use super::*;
use crate::common;

on_both_backends!(
    share_links_are_read_only,
    share_links_expire,
    ownership_on_every_route,
    cache_is_invalidated_on_writes,
    covers_are_generated,
);

/// A link made with `expiresAt` answers 410 `SHARE_EXPIRED` from then on, and the owner's
/// panel no longer shows it; the expiry must lie after now and within 366 days (issue 21).
async fn share_links_expire(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("expiry01").await;
    let id = new_trip(&app, &tok, "Expiring").await;
    let share = format!("/api/v1/trips/{id}/share");
    // Clock: 2026-05-01T08:00:00Z.
    for (at, why) in [
        ("2026-05-01T07:59:59Z", "in the past"),
        ("2026-05-01T08:00:00Z", "now"),
        ("2027-05-03T08:00:00Z", "beyond 366 days"),
    ] {
        let p = problem(
            app.post(&share, json!({ "expiresAt": at }), Some(&tok))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
        )
        .await;
        assert_eq!(
            field_codes(&p),
            [("expiresAt".to_string(), "OUT_OF_RANGE".to_string())],
            "{why}"
        );
    }
    let p = problem(
        app.post(&share, json!({ "expiresAt": "tomorrow" }), Some(&tok))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(field_codes(&p)[0].0, "expiresAt");
    // No body at all, as before: a link without expiry.
    let resp = app
        .http
        .post(app.url(&share))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    let open = json_of(resp, StatusCode::CREATED).await;
    assert_eq!(open["expiresAt"], Value::Null);

    let s = json_of(
        app.post(
            &share,
            json!({ "expiresAt": "2026-05-01T09:00:00.123456Z" }),
            Some(&tok),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        s["expiresAt"], "2026-05-01T09:00:00.123Z",
        "stored to the ms"
    );
    let token = s["token"].as_str().unwrap().to_string();
    let link = format!("/api/v1/trips/shared/{token}");
    json_of(app.get(&link, None).await, StatusCode::OK).await;
    let cur = json_of(app.get(&share, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(cur["expiresAt"], s["expiresAt"]);
    let trip = format!("/api/v1/trips/{id}");
    let t = json_of(app.get(&trip, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(t["shared"], true, "a live link counts");

    app.clock.advance(Duration::minutes(61));
    for path in [
        link.clone(),
        format!("{link}/schedules"),
        format!("{link}/route"),
    ] {
        problem(
            app.get(&path, None).await,
            StatusCode::GONE,
            "SHARE_EXPIRED",
        )
        .await;
    }
    // The owner's panel shows no live link (signed in again: the old token has expired).
    let login = json_of(app.login("expiry01", PASSWORD).await, StatusCode::OK).await;
    let tok = login["accessToken"].as_str().unwrap().to_string();
    problem(
        app.get(&share, Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    // Nor does the trip count as shared any more (the cached detail included: no write
    // happened when the link expired).
    let t = json_of(app.get(&trip, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(t["shared"], false, "an expired link does not count");
    app.stop().await;
}

async fn share_links_are_read_only(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("jack001").await;
    let id = munich_trip(&app, &tok, "Shared").await;
    generate(&app, &id).await;
    let s = json_of(
        app.post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token = s["token"].as_str().unwrap().to_string();
    assert_eq!(s["path"], format!("/api/v1/trips/shared/{token}"));
    // Reading the current link (the Share panel opening) returns it unchanged and keeps it
    // working, however often it is read.
    for _ in 0..2 {
        let cur = json_of(
            app.get(&format!("/api/v1/trips/{id}/share"), Some(&tok))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(cur["token"], s["token"]);
        assert_eq!(cur["path"], s["path"]);
    }
    let (other, _) = app.user("jill002").await;
    problem(
        app.get(&format!("/api/v1/trips/{id}/share"), Some(&other))
            .await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    let t = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["shared"], true);
    // Readable without signing in: trip (no member details), schedule, route.
    let base = format!("/api/v1/trips/shared/{token}");
    let v = json_of(app.get(&base, None).await, StatusCode::OK).await;
    assert_eq!(
        (v["tripName"].as_str(), v["memberCount"].as_i64()),
        (Some("Shared"), Some(2))
    );
    assert!(v.get("members").is_none());
    let v = json_of(
        app.get(&format!("{base}/schedules?day=2"), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["days"][0]["day"], 2);
    let r = app.get(&format!("{base}/route"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Nothing else: not a bearer token, no other reads, no writes.
    problem(
        app.get(&format!("/api/v1/trips/{id}"), Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    problem(
        app.get("/api/v1/trips", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    for path in [
        format!("{base}/members"),
        format!("{base}/destinations"),
        format!("{base}/schedules/days/1/versions"),
    ] {
        let st = app.get(&path, None).await.status();
        assert!(
            st == StatusCode::NOT_FOUND || st == StatusCode::UNAUTHORIZED,
            "{path}: {st}"
        );
    }
    let st = app
        .put(&base, json!({ "tripName": "Hacked" }), None)
        .await
        .status();
    assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED);
    let st = app
        .put(
            &format!("{base}/schedules/days/1"),
            json!({ "placeIds": [] }),
            None,
        )
        .await
        .status();
    assert!(
        st == StatusCode::NOT_FOUND || st == StatusCode::UNAUTHORIZED,
        "{st}"
    );
    problem(
        app.get("/api/v1/trips/shared/not-a-token", None).await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    // A new link replaces the old one; DELETE revokes.
    let s2 = json_of(
        app.post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let token2 = s2["token"].as_str().unwrap().to_string();
    problem(
        app.get(&base, None).await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    json_of(
        app.get(&format!("/api/v1/trips/shared/{token2}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        app.delete(&format!("/api/v1/trips/{id}/share"), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&format!("/api/v1/trips/shared/{token2}/schedules"), None)
            .await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    let t = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t["shared"], false);
    problem(
        app.get(&format!("/api/v1/trips/{id}/share"), Some(&tok))
            .await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    // A deleted trip is not readable through its link either.
    let s3 = json_of(
        app.post(&format!("/api/v1/trips/{id}/share"), json!({}), Some(&tok))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        app.delete(&format!("/api/v1/trips/{id}"), Some(&tok))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(
            &format!(
                "/api/v1/trips/shared/{}/route",
                s3["token"].as_str().unwrap()
            ),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "SHARE_NOT_FOUND",
    )
    .await;
    app.stop().await;
}

async fn ownership_on_every_route(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (alice, _) = app.user("kate001").await;
    let (mallory, _) = app.user("mallory1").await;
    let id = munich_trip(&app, &alice, "Private").await;
    generate(&app, &id).await;
    let t = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&alice)).await,
        StatusCode::OK,
    )
    .await;
    let mid = t["members"][0]["id"].as_str().unwrap().to_string();
    let did = t["destinations"][0]["id"].as_str().unwrap().to_string();
    // A generation request of the owner's, cancelled at once: its id is part of the matrix.
    let g = json_of(
        app.post(
            &format!("/api/v1/trips/{id}/schedules/generate"),
            json!({}),
            Some(&alice),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    let rid = g["requestId"].as_str().unwrap().to_string();
    let cancel = app
        .delete(
            &format!("/api/v1/trips/{id}/schedules/generate/{rid}"),
            Some(&alice),
        )
        .await;
    assert!(cancel.status().is_success(), "{}", cancel.status());
    // Every route naming a trip or a generation request (`{id}`, `{tid}`, `{rid}`), from the
    // OpenAPI document the app serves: a new route is in the matrix the day it is added.
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !(path.starts_with("/api/v1/trips/{id}")
            || path.contains("{tid}")
            || path.contains("{rid}"))
        {
            continue;
        }
        for method in ["get", "put", "post", "delete"] {
            if item.get(method).is_some() {
                let url = path
                    .replace("{id}", &id)
                    .replace("{tid}", &id)
                    .replace("{rid}", &rid)
                    // The trip has no notice yet: any id (the trip is checked first).
                    .replace("{nid}", &uuid::Uuid::now_v7().to_string())
                    .replace("{mid}", &mid)
                    .replace("{did}", &did)
                    .replace("{day}", "1")
                    .replace("{v}", "1");
                routes.push((method, url));
            }
        }
    }
    assert!(routes.len() >= 28, "{routes:?}");
    assert!(
        routes.iter().all(|(_, url)| !url.contains('{')),
        "every path parameter filled: {routes:?}"
    );
    let send = |method: &str, url: &str, tok: Option<&str>| {
        let mut r = match method {
            "get" => app.http.get(app.url(url)),
            "put" => app.http.put(app.url(url)).json(&json!({})),
            "post" => app.http.post(app.url(url)).json(&json!({})),
            _ => app.http.delete(app.url(url)),
        };
        if let Some(t) = tok {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    for (method, url) in &routes {
        let resp = send(method, url, Some(&mallory)).await.unwrap();
        if url.starts_with("/api/v1/trips/") {
            problem(resp, StatusCode::NOT_FOUND, "TRIP_NOT_FOUND").await;
        } else {
            assert_eq!(
                resp.status(),
                StatusCode::NOT_FOUND,
                "{method} {url} as another user"
            );
        }
        let resp = send(method, url, None).await.unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {url} without a token"
        );
    }
    // The owner still has everything, unchanged.
    let t2 = json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&alice)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(t2["members"], t["members"]);
    assert_eq!(t2["destinations"], t["destinations"]);
    assert_eq!(t2["shared"], false);
    assert_eq!(day_of(&app, &alice, &id, 1).await["version"], 1);
    // Lists, dashboard and multi-delete only see the caller's trips.
    let l = json_of(
        app.get("/api/v1/trips?q=private", Some(&mallory)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(l["total"], 0);
    let s = json_of(
        app.get("/api/v1/trips/summary", Some(&mallory)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["planning"]["count"], 0);
    let v = json_of(
        app.post(
            "/api/v1/trips/delete",
            json!({ "ids": [id] }),
            Some(&mallory),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["notFound"], json!([id]));
    // Another trip's member and destination ids do not work under one's own trip.
    let own = munich_trip(&app, &mallory, "Mine").await;
    problem(
        app.get(
            &format!("/api/v1/trips/{own}/members/{mid}"),
            Some(&mallory),
        )
        .await,
        StatusCode::NOT_FOUND,
        "MEMBER_NOT_FOUND",
    )
    .await;
    problem(
        app.delete(
            &format!("/api/v1/trips/{own}/destinations/{did}"),
            Some(&mallory),
        )
        .await,
        StatusCode::NOT_FOUND,
        "DESTINATION_NOT_FOUND",
    )
    .await;
    json_of(
        app.get(&format!("/api/v1/trips/{id}"), Some(&alice)).await,
        StatusCode::OK,
    )
    .await;
    app.stop().await;
}

async fn cache_is_invalidated_on_writes(backend: Backend) {
    let Some((store, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("liam001").await;
    let id = munich_trip(&app, &tok, "Before").await;
    generate(&app, &id).await;
    let url = format!("/api/v1/trips/{id}");
    // Warm the caches.
    json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    json_of(
        app.get(&format!("{url}/schedules"), Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    // With Redis (PostgreSQL runs), a second replica shares the store: a write there is
    // seen here at once. SQLite is a single-process store, so the write stays local.
    let other = if backend == Backend::Postgres {
        Some(TestApp::start(store.config(), app.clock.clone()).await)
    } else {
        None
    };
    let writer = other.as_ref().unwrap_or(&app);
    json_of(
        writer
            .put(&url, json!({ "tripName": "After" }), Some(&tok))
            .await,
        StatusCode::OK,
    )
    .await;
    json_of(
        edit(writer, &tok, &id, 2, &[RESIDENZ], false).await,
        StatusCode::OK,
    )
    .await;
    let t = json_of(app.get(&url, Some(&tok)).await, StatusCode::OK).await;
    assert_eq!(t["tripName"], "After");
    let d2 = day_of(&app, &tok, &id, 2).await;
    assert_eq!(stop_ids(&d2), [RESIDENZ]);
    let s = json_of(
        app.get("/api/v1/trips/summary", Some(&tok)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(s["planning"]["items"][0]["tripName"], "After");
    assert_eq!(
        writer.delete(&url, Some(&tok)).await.status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get(&url, Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    problem(
        app.get(&format!("{url}/schedules"), Some(&tok)).await,
        StatusCode::NOT_FOUND,
        "TRIP_NOT_FOUND",
    )
    .await;
    if let Some(o) = other {
        o.stop().await;
    }
    app.stop().await;
}

async fn covers_are_generated(backend: Backend) {
    let Some((_s, app)) = boot(backend).await else {
        return;
    };
    let (tok, _) = app.user("mona001").await;
    let a = new_trip(&app, &tok, "Spring Trip").await;
    let b = new_trip(&app, &tok, "Spring Trip").await;
    let c = new_trip(&app, &tok, "Autumn").await;
    let cover = |id: String| {
        let app = &app;
        let tok = &tok;
        async move {
            json_of(
                app.get(&format!("/api/v1/trips/{id}"), Some(tok)).await,
                StatusCode::OK,
            )
            .await["cover"]
                .clone()
        }
    };
    let (ca, cb, cc) = (cover(a.clone()).await, cover(b).await, cover(c).await);
    assert_eq!(ca, cb);
    assert_ne!(ca, cc);
    assert_eq!(ca["initials"], "ST");
    let resp = app
        .get(&format!("/api/v1/trips/{a}/cover.svg"), Some(&tok))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    let svg = resp.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(&format!("hsl({},", ca["hue"])));
    app.stop().await;
}
