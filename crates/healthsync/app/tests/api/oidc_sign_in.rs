//! HS-USER-010 and spec §6 against the local OIDC provider: success for a new and a
//! returning user, and every failure the spec names.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, Identity, TestApp, Tweaks, problem};
use crate::on_both_backends;

on_both_backends!(
    new_then_returning_user,
    bad_signature_wrong_iss_aud_expired_nonce,
    unknown_kid_after_rotation,
    reused_expired_and_unknown_state,
    wrong_pkce_verifier,
    unverified_email,
    provider_down,
);

async fn new_then_returning_user(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let first = app.sign_in(Identity::new("google-123")).await;
    assert_eq!(first["isNewUser"], true);
    assert_eq!(first["profileComplete"], false);
    assert_eq!(first["next"], "/profile");
    assert_eq!(first["user"]["status"], "pending");
    assert_eq!(first["user"]["email"], "google-123@example.com");
    assert_eq!(first["user"]["language"], "ko");
    assert!(first["expiresIn"].as_i64().is_some_and(|s| s == 1800));
    let refresh = first["refreshToken"].as_str().unwrap_or_default();
    assert!(refresh.len() >= 43, "256-bit refresh token");
    // The same (issuer, sub) signs in again: same user, not new.
    let again = app.sign_in(Identity::new("google-123")).await;
    assert_eq!(again["isNewUser"], false);
    assert_eq!(again["user"]["id"], first["user"]["id"]);
    // user-registered was written to the outbox exactly once.
    let registered: i64 = tripgen_platform::with_db!(&app.platform.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'user-registered'"
    )
    .fetch_one(pool)
    .await)
    .expect("count");
    assert_eq!(registered, 1);
    // The refresh cookie is set with the spec's attributes.
    app.provider.next_identity(Identity::new("google-cookie"));
    let (code, state) = app.authorize().await;
    let resp = app.callback(&code, &state).await;
    let cookie = resp.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap_or_default()
        .to_string();
    for attr in [
        "hs_refresh=",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/api/v1/auth/token",
    ] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    app.stop().await;
}

async fn expect_token_invalid(app: &TestApp, tweaks: Tweaks, check: &str) {
    app.provider.tweak(tweaks);
    app.provider.next_identity(Identity::new("tweaked"));
    let (code, state) = app.authorize().await;
    let (status, body) = problem(app.callback(&code, &state).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{check}: {body}");
    assert_eq!(body["code"], "OIDC_TOKEN_INVALID", "{check}");
    assert_eq!(body["extra"]["check"], check, "{body}");
    app.provider.tweak(Tweaks::default());
}

async fn bad_signature_wrong_iss_aud_expired_nonce(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    expect_token_invalid(
        &app,
        Tweaks {
            forge_signature: true,
            ..Tweaks::default()
        },
        "signature",
    )
    .await;
    expect_token_invalid(
        &app,
        Tweaks {
            iss: Some("https://evil.example".into()),
            ..Tweaks::default()
        },
        "iss",
    )
    .await;
    expect_token_invalid(
        &app,
        Tweaks {
            aud: Some(json!("someone-else")),
            ..Tweaks::default()
        },
        "aud",
    )
    .await;
    // Several audiences: azp must be our client.
    expect_token_invalid(
        &app,
        Tweaks {
            aud: Some(json!([crate::common::oidc_provider::CLIENT_ID, "other"])),
            azp: Some("other".into()),
            ..Tweaks::default()
        },
        "azp",
    )
    .await;
    // Expired beyond the 60 s leeway; issued in the future beyond it.
    expect_token_invalid(
        &app,
        Tweaks {
            exp_offset: Some(-3600 - 120),
            ..Tweaks::default()
        },
        "exp",
    )
    .await;
    expect_token_invalid(
        &app,
        Tweaks {
            iat_offset: Some(120),
            ..Tweaks::default()
        },
        "iat",
    )
    .await;
    expect_token_invalid(
        &app,
        Tweaks {
            nonce: Some("not-the-nonce".into()),
            ..Tweaks::default()
        },
        "nonce",
    )
    .await;
    // Within the leeway is fine.
    app.provider.tweak(Tweaks {
        exp_offset: Some(-3600 - 30),
        ..Tweaks::default()
    });
    let ok = app.sign_in(Identity::new("leeway")).await;
    assert_eq!(ok["isNewUser"], true);
    app.stop().await;
}

async fn unknown_kid_after_rotation(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    app.sign_in(Identity::new("before-rotation")).await;
    let fetches = app.provider.jwks_fetches();
    // The provider rotates: tokens now carry a kid our cache has not seen.
    app.provider.rotate(false);
    let after = app.sign_in(Identity::new("after-rotation")).await;
    assert_eq!(after["isNewUser"], true);
    assert_eq!(
        app.provider.jwks_fetches(),
        fetches + 1,
        "refetched once for the new kid"
    );
    // A kid the issuer never published: refused, and no second refetch within a minute.
    expect_token_invalid(
        &app,
        Tweaks {
            unknown_kid: true,
            ..Tweaks::default()
        },
        "kid",
    )
    .await;
    assert_eq!(
        app.provider.jwks_fetches(),
        fetches + 1,
        "at most one refetch a minute"
    );
    app.stop().await;
}

async fn reused_expired_and_unknown_state(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let (code, state) = app.authorize().await;
    assert_eq!(app.callback(&code, &state).await.status(), StatusCode::OK);
    // The attempt is single use.
    let (status, body) = problem(app.callback(&code, &state).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("OIDC_STATE_INVALID"))
    );
    // Expired after 10 minutes.
    let (code, state) = app.authorize().await;
    app.clock.advance(chrono::Duration::minutes(11));
    let (status, body) = problem(app.callback(&code, &state).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("OIDC_STATE_INVALID"))
    );
    // A state we never issued.
    let (status, _) = problem(app.callback("any-code", "forged-state").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Missing fields are field errors.
    let (status, body) = problem(
        app.post("/api/v1/auth/oidc/callback", json!({}), None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["code", "state"]);
    // An open redirect in `next` is refused.
    let (status, body) = problem(
        app.post(
            "/api/v1/auth/oidc/start",
            json!({ "next": "//evil.example" }),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("next"))
    );
    app.stop().await;
}

async fn wrong_pkce_verifier(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    // Start two attempts; exchange the first attempt's code under the second's state, so
    // the server sends the second attempt's verifier: the provider refuses the PKCE check.
    let (code_a, _state_a) = app.authorize().await;
    let (_code_b, state_b) = app.authorize().await;
    let (status, body) = problem(app.callback(&code_a, &state_b).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "OIDC_TOKEN_INVALID");
    assert_eq!(body["extra"]["check"], "code_exchange");
    app.stop().await;
}

async fn unverified_email(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    app.provider.next_identity(Identity {
        email_verified: false,
        ..Identity::new("unverified")
    });
    let (code, state) = app.authorize().await;
    let (status, body) = problem(app.callback(&code, &state).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::FORBIDDEN, json!("EMAIL_NOT_VERIFIED"))
    );
    let users: i64 = tripgen_platform::with_db!(&app.platform.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users"
    )
    .fetch_one(pool)
    .await)
    .expect("count");
    assert_eq!(users, 0, "no account for an unverified e-mail");
    app.stop().await;
}

async fn provider_down(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    // Down before anything was cached: start cannot build the URL.
    app.provider.tweak(Tweaks {
        down: true,
        ..Tweaks::default()
    });
    let (status, body) = problem(app.post("/api/v1/auth/oidc/start", json!({}), None).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!("OIDC_PROVIDER_UNAVAILABLE")
        )
    );
    // Down between the redirect and the callback: the code exchange fails the same way.
    app.provider.tweak(Tweaks::default());
    let (code, state) = app.authorize().await;
    app.provider.tweak(Tweaks {
        down: true,
        ..Tweaks::default()
    });
    let (status, body) = problem(app.callback(&code, &state).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!("OIDC_PROVIDER_UNAVAILABLE")
        )
    );
    let _: Value = json!(null);
    app.stop().await;
}
