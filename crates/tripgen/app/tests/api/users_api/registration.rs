//! Sign-up (USER-010): field rules, duplicates, availability and password strength.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    register_reports_every_invalid_field,
    duplicates_are_conflicts,
    availability_and_strength,
);

async fn register_reports_every_invalid_field(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let resp = app
        .post(
            "/api/v1/users/register",
            json!({
                "name": "J", "email": "not-an-email", "phone": "12345",
                "username": "ab_c", "password": "short", "passwordConfirm": "other",
                "termsAccepted": false
            }),
            None,
        )
        .await;
    let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    let codes = field_codes(&p);
    for (field, code) in [
        ("name", "TOO_SHORT"),
        ("email", "INVALID_FORMAT"),
        ("phone", "INVALID_FORMAT"),
        ("username", "INVALID_CHARACTERS"),
        ("password", "TOO_SHORT"),
        ("password", "MISSING_DIGIT"),
        ("password", "MISSING_SPECIAL"),
        ("passwordConfirm", "MISMATCH"),
        ("termsAccepted", "REQUIRED"),
    ] {
        assert!(
            codes.contains(&(field.to_string(), code.to_string())),
            "{field}/{code} missing in {codes:?}"
        );
    }
    // Missing fields are REQUIRED, not a deserialisation error.
    let resp = app.post("/api/v1/users/register", json!({}), None).await;
    let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
    let fields: Vec<_> = field_codes(&p).into_iter().map(|(f, _)| f).collect();
    for f in [
        "name",
        "email",
        "phone",
        "username",
        "password",
        "termsAccepted",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    // Wrong JSON type names the field.
    let mut body = registration("typeerr1");
    body["termsAccepted"] = json!("yes");
    let p = problem(
        app.post("/api/v1/users/register", body, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "termsAccepted", "{p}");
    // International phone numbers are accepted; Korean ones are canonicalised.
    let mut body = registration("intl0001");
    body["phone"] = json!("+49 151 2345678");
    let resp = app.post("/api/v1/users/register", body, None).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["phone"], "+491512345678");
    assert!(v.get("password").is_none() && v.get("passwordHash").is_none());
    app.stop().await;
}

async fn duplicates_are_conflicts(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.register("traveller1").await;
    // Same username in another case.
    let mut body = registration("TRAVELLER1");
    body["email"] = json!("other@example.com");
    let p = problem(
        app.post("/api/v1/users/register", body, None).await,
        StatusCode::CONFLICT,
        "ALREADY_EXISTS",
    )
    .await;
    assert_eq!(field_codes(&p), vec![("username".into(), "TAKEN".into())]);
    // Same e-mail (case-insensitive).
    let mut body = registration("traveller2");
    body["email"] = json!("Traveller1@Example.com");
    let p = problem(
        app.post("/api/v1/users/register", body, None).await,
        StatusCode::CONFLICT,
        "ALREADY_EXISTS",
    )
    .await;
    assert_eq!(field_codes(&p), vec![("email".into(), "TAKEN".into())]);
    app.stop().await;
}

async fn availability_and_strength(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    app.register("checker01").await;
    let v: Value = app
        .get("/api/v1/users/check/username/Checker01", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["available"], false);
    let v: Value = app
        .get("/api/v1/users/check/username/freename1", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["available"], true);
    let v: Value = app
        .get("/api/v1/users/check/username/ab", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["available"], false);
    let v: Value = app
        .get("/api/v1/users/check/email/checker01@example.com", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["available"], false);
    let v: Value = app
        .get("/api/v1/users/check/email/new@example.com", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["available"], true);
    for (pw, strength) in [
        ("abc", "weak"),
        ("abcdef1!", "medium"),
        ("Abcdef1!ghij", "strong"),
    ] {
        let v: Value = app
            .post(
                "/api/v1/users/check/password",
                json!({ "password": pw }),
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["strength"], strength, "{pw}: {v}");
    }
    app.stop().await;
}
