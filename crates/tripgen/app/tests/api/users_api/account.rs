//! The signed-in user's account (USER-030): profile, e-mail change, password change, avatar.

use crate::common;

use chrono::Duration;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    profile_update_and_isolation,
    email_change_with_code,
    password_change_ends_other_sessions,
    avatar_upload_checked_by_content,
);

async fn profile_update_and_isolation(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (alice, _) = app.user("alice001").await;
    let (bob, _) = app.user("bobby001").await;
    let resp = app
        .put(
            "/api/v1/users/profile",
            json!({ "name": "Alice Kim", "phone": "01098765432" }),
            Some(&alice),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["name"], "Alice Kim");
    assert_eq!(v["phone"], "010-9876-5432");
    let p = problem(
        app.put(
            "/api/v1/users/profile",
            json!({ "name": "1", "phone": "x" }),
            Some(&alice),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(field_codes(&p).len(), 2);
    // Bob's token only ever reaches Bob's account.
    let vb: Value = app
        .get("/api/v1/users/profile", Some(&bob))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(vb["username"], "bobby001");
    assert_eq!(vb["name"], "김민지");
    app.put(
        "/api/v1/users/profile",
        json!({ "name": "Bob" }),
        Some(&bob),
    )
    .await;
    let va: Value = app
        .get("/api/v1/users/profile", Some(&alice))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(va["name"], "Alice Kim");
    // Phones are encrypted at rest: the stored value is not the number.
    let stored = app.stored_phone("alice001").await;
    assert!(
        stored.starts_with("v1:") && !stored.contains("9876"),
        "{stored}"
    );
    problem(
        app.get("/api/v1/users/profile", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    app.stop().await;
}

async fn email_change_with_code(backend: Backend) {
    let Some((store, app)) = start(backend).await else {
        return;
    };
    let (token, _) = app.user("mailer01").await;
    app.register("mailer02").await;
    // Taken and invalid addresses.
    problem(
        app.post(
            "/api/v1/users/profile/email-change",
            json!({ "email": "mailer02@example.com" }),
            Some(&token),
        )
        .await,
        StatusCode::CONFLICT,
        "ALREADY_EXISTS",
    )
    .await;
    problem(
        app.post(
            "/api/v1/users/profile/email-change",
            json!({ "email": "nope" }),
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    let resp = app
        .post(
            "/api/v1/users/profile/email-change",
            json!({ "email": "new.mailer@example.com" }),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let code = last_code(&store, "new.mailer@example.com");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let p = problem(
        app.post(
            "/api/v1/users/profile/email-verify",
            json!({ "code": wrong }),
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![("code".into(), "INVALID_CODE".into())]
    );
    let v: Value = app
        .get("/api/v1/users/profile", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["email"], "mailer01@example.com",
        "no change before the code"
    );
    assert_eq!(v["pendingEmail"], "new.mailer@example.com");
    let resp = app
        .post(
            "/api/v1/users/profile/email-verify",
            json!({ "code": code }),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["email"], "new.mailer@example.com");
    // A code older than 10 minutes is refused.
    app.post(
        "/api/v1/users/profile/email-change",
        json!({ "email": "later@example.com" }),
        Some(&token),
    )
    .await;
    let code = last_code(&store, "later@example.com");
    app.clock.advance(Duration::minutes(11));
    let (token, _) = {
        // The access token expired too by now? 11 min < 30 min: still valid.
        (token, ())
    };
    let p = problem(
        app.post(
            "/api/v1/users/profile/email-verify",
            json!({ "code": code }),
            Some(&token),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(field_codes(&p), vec![("code".into(), "EXPIRED".into())]);
    app.stop().await;
}

async fn password_change_ends_other_sessions(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (phone_session, phone_refresh) = app.user("passwd01").await;
    let v: Value = app.login("passwd01", PASSWORD).await.json().await.unwrap();
    let laptop = v["accessToken"].as_str().unwrap().to_string();
    let p = problem(
        app.put(
            "/api/v1/users/profile/password",
            json!({ "currentPassword": "Wrong2026!", "newPassword": "NewTrip2027#", "newPasswordConfirm": "NewTrip2027#" }),
            Some(&laptop),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(
        field_codes(&p),
        vec![("currentPassword".into(), "INCORRECT".into())]
    );
    let p = problem(
        app.put(
            "/api/v1/users/profile/password",
            json!({ "currentPassword": PASSWORD, "newPassword": "weak", "newPasswordConfirm": "weak" }),
            Some(&laptop),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(field_codes(&p).iter().all(|(f, _)| f == "newPassword"));
    let resp = app
        .put(
            "/api/v1/users/profile/password",
            json!({ "currentPassword": PASSWORD, "newPassword": "NewTrip2027#", "newPasswordConfirm": "NewTrip2027#" }),
            Some(&laptop),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/users/profile", Some(&laptop))
            .await
            .status(),
        StatusCode::OK,
        "this session stays"
    );
    problem(
        app.get("/api/v1/users/profile", Some(&phone_session)).await,
        StatusCode::UNAUTHORIZED,
        "SESSION_ENDED",
    )
    .await;
    problem(
        app.post(
            "/api/v1/users/token/refresh",
            json!({ "refreshToken": phone_refresh }),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;
    problem(
        app.login("passwd01", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(
        app.login("passwd01", "NewTrip2027#").await.status(),
        StatusCode::OK
    );
    app.stop().await;
}

async fn avatar_upload_checked_by_content(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let (token, _) = app.user("avatar01").await;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name)
            .mime_str("image/png")
            .unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        app.http
            .post(app.url("/api/v1/users/profile/avatar"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
    };
    // A real PNG with a text chunk (metadata) — re-encoded to a 256×256 JPEG.
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let resp = upload(png.into_inner(), "me.png").await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    let url = v["avatarUrl"].as_str().unwrap().to_string();
    let got = app.get(&url, None).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.headers()["content-type"], "image/jpeg");
    let bytes = got.bytes().await.unwrap();
    let thumb = image::load_from_memory(&bytes).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (256, 256));
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "no metadata");
    // Text renamed .png.
    let resp = upload(b"#!/bin/sh\necho not an image\n".to_vec(), "evil.png")
        .await
        .unwrap();
    problem(
        resp,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_IMAGE",
    )
    .await;
    // Over 5 MB.
    let resp = upload(vec![0x89; 5 * 1024 * 1024 + 10], "big.png")
        .await
        .unwrap();
    problem(resp, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE").await;
    // Wrong field name.
    let form = reqwest::multipart::Form::new().text("other", "x");
    let resp = app
        .http
        .post(app.url("/api/v1/users/profile/avatar"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    problem(resp, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    problem(
        app.get("/api/v1/users/avatars/x/y.jpg", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    app.stop().await;
}

/// The newest confirmation code mailed to `to` (file transport writes `.eml` files).
fn last_code(store: &Store, to: &str) -> String {
    let outbox = store.data_dir.path().join("outbox");
    let mut mails: Vec<_> = std::fs::read_dir(&outbox)
        .expect("outbox exists")
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.metadata().unwrap().modified().unwrap(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .filter(|(_, text)| text.contains(to))
        .collect();
    mails.sort_by_key(|(t, _)| *t);
    let raw = &mails.last().expect("a mail to the new address").1;
    let text = mail_body(raw);
    let i = text.find("code is ").expect("code in mail") + "code is ".len();
    text[i..i + 6].to_string()
}

trait Extra {
    async fn stored_phone(&self, username: &str) -> String;
}

impl Extra for TestApp {
    async fn stored_phone(&self, username: &str) -> String {
        let repo = tripgen_user::repo::UserRepo::new(self.platform.db.clone());
        repo.by_username(username).await.unwrap().unwrap().phone_enc
    }
}

/// The text body of an .eml, decoding base64 transfer encoding (used for non-ASCII mail).
fn mail_body(raw: &str) -> String {
    use base64::Engine;
    let (headers, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    if headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .expect("base64 body");
        String::from_utf8(bytes).expect("utf-8 body")
    } else {
        body.to_string()
    }
}
