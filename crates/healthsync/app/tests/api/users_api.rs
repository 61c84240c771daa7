//! HS-USER-020…070 over HTTP: profile, occupations, settings, tokens and sign-out,
//! account deletion with erasure through `user-deleted`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{Backend, Identity, TestApp, problem, profile};
use crate::on_both_backends;

on_both_backends!(
    profile_completion_and_me,
    occupations_and_settings,
    refresh_rotation_reuse_and_logout,
    delete_account_erases_everything,
);

async fn profile_completion_and_me(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let answer = app.sign_in(Identity::new("p1")).await;
    let token = answer["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Every invalid field at once.
    let (status, body) = problem(
        app.put(
            "/api/v1/users/me/profile",
            json!({ "name": " ", "birthDate": "1990-13-01", "sex": "x", "occupationCode": "pilot", "healthDataConsent": false }),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("VALIDATION_FAILED"))
    );
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            "name",
            "birthDate",
            "sex",
            "occupationCode",
            "healthDataConsent",
            "aiConsent"
        ]
    );
    // Malformed JSON is a 400 problem.
    let resp = app
        .http
        .put(app.url("/api/v1/users/me/profile"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .expect("send");
    let (status, _) = problem(resp).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A valid profile activates the account.
    let resp = app
        .put(
            "/api/v1/users/me/profile",
            profile("female", "1990-03-02"),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let p: Value = resp.json().await.expect("json");
    assert_eq!(p["status"], "active");
    assert_eq!(p["name"], "김하나");
    assert_eq!(p["occupation"]["code"], "developer");
    assert_eq!(p["occupation"]["name"], "개발");
    assert!(p["age"].as_i64().is_some_and(|a| a >= 35));
    let completed = p["profileCompletedAt"].clone();
    assert!(completed.is_string());
    // Later edits keep the first completion time; English on request.
    let resp = app
        .http
        .put(app.url("/api/v1/users/me/profile"))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .json(&profile("female", "1990-03-02"))
        .send()
        .await
        .expect("send");
    let p: Value = resp.json().await.expect("json");
    assert_eq!(p["profileCompletedAt"], completed);
    assert_eq!(p["occupation"]["name"], "Software development");
    let me: Value = app
        .get("/api/v1/users/me", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    for field in [
        "id",
        "email",
        "name",
        "birthDate",
        "age",
        "sex",
        "occupation",
        "status",
        "language",
        "notificationsEnabled",
        "aiConsent",
        "registeredAt",
        "lastLoginAt",
        "profileCompletedAt",
    ] {
        assert!(me.get(field).is_some(), "profile lacks {field}");
    }
    // The database holds e-mail and name encrypted.
    let stored: (String, Option<String>) =
        tripgen_platform::with_db!(&app.platform.db, |pool| sqlx::query_as(
            "SELECT email_enc, name_enc FROM users"
        )
        .fetch_one(pool)
        .await)
        .expect("row");
    assert!(!stored.0.contains("p1@example.com"));
    assert!(!stored.1.unwrap_or_default().contains("김하나"));
    // No token → 401 problem.
    let (status, body) = problem(app.get("/api/v1/users/me", None).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("UNAUTHORIZED"))
    );
    app.stop().await;
}

async fn occupations_and_settings(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let list: Value = app
        .get("/api/v1/users/occupations", None)
        .await
        .json()
        .await
        .expect("json");
    let codes: Vec<&str> = list["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|o| o["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        [
            "developer",
            "product_manager",
            "marketing",
            "sales",
            "infra_ops",
            "customer_service",
            "other"
        ]
    );
    assert_eq!(
        list["items"][3]["tags"],
        json!(["eating_out", "drinking", "travel"])
    );
    let en: Value = app
        .get("/api/v1/users/occupations?lang=en", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(en["items"][6]["name"], "Other");
    // Language at sign-up comes from Accept-Language.
    app.provider.next_identity(Identity::new("english"));
    let (code, state) = app.authorize().await;
    let resp = app
        .http
        .post(app.url("/api/v1/auth/oidc/callback"))
        .header("accept-language", "en-US,en;q=0.8")
        .json(&json!({ "code": code, "state": state }))
        .send()
        .await
        .expect("send");
    let answer: Value = resp.json().await.expect("json");
    assert_eq!(answer["user"]["language"], "en");
    let token = answer["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let resp = app
        .put(
            "/api/v1/users/me/settings",
            json!({ "language": "ko", "notificationsEnabled": false, "aiConsent": true }),
            Some(&token),
        )
        .await;
    let p: Value = resp.json().await.expect("json");
    assert_eq!(
        (
            p["language"].clone(),
            p["notificationsEnabled"].clone(),
            p["aiConsent"].clone()
        ),
        (json!("ko"), json!(false), json!(true))
    );
    let (status, body) = problem(
        app.put(
            "/api/v1/users/me/settings",
            json!({ "language": "fr" }),
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("language"))
    );
    app.stop().await;
}

async fn refresh_rotation_reuse_and_logout(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let answer = app.sign_in(Identity::new("tokens")).await;
    let access = answer["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r1 = answer["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let session: Value = app
        .get("/api/v1/auth/session", Some(&access))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(session["userId"], answer["user"]["id"]);
    assert_eq!(session["role"], "user");
    // Rotation: each refresh token works once.
    let resp = app
        .post(
            "/api/v1/auth/token/refresh",
            json!({ "refreshToken": r1 }),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let t2: Value = resp.json().await.expect("json");
    let r2 = t2["refreshToken"].as_str().unwrap_or_default().to_string();
    assert_ne!(r1, r2);
    // By cookie: needs the CSRF header.
    let cookie = format!("hs_refresh={r2}");
    let resp = app
        .http
        .post(app.url("/api/v1/auth/token/refresh"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = app
        .http
        .post(app.url("/api/v1/auth/token/refresh"))
        .header("cookie", &cookie)
        .header("x-healthsync-csrf", "1")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    let t3: Value = resp.json().await.expect("json");
    let access3 = t3["accessToken"].as_str().unwrap_or_default().to_string();
    // Reusing r1 (already used) ends the whole session.
    let (status, body) = problem(
        app.post(
            "/api/v1/auth/token/refresh",
            json!({ "refreshToken": r1 }),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("REFRESH_TOKEN_REUSED"))
    );
    let (status, body) = problem(app.get("/api/v1/users/me", Some(&access3)).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("SESSION_ENDED"))
    );
    let (_, body) = problem(
        app.post(
            "/api/v1/auth/token/refresh",
            json!({ "refreshToken": t3["refreshToken"] }),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(body["code"], "REFRESH_TOKEN_INVALID");
    let (_, body) = problem(
        app.post(
            "/api/v1/auth/token/refresh",
            json!({ "refreshToken": "garbage" }),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(body["code"], "REFRESH_TOKEN_INVALID");
    // Sign-out: the access token stops at once.
    let fresh = app.sign_in(Identity::new("tokens")).await;
    let access = fresh["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        app.post("/api/v1/auth/logout", json!({}), Some(&access))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (_, body) = problem(app.get("/api/v1/users/me", Some(&access)).await).await;
    assert_eq!(body["code"], "SESSION_ENDED");
    let (_, body) = problem(
        app.post(
            "/api/v1/auth/token/refresh",
            json!({ "refreshToken": fresh["refreshToken"] }),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(body["code"], "REFRESH_TOKEN_INVALID");
    // Access tokens expire after 30 minutes; refresh tokens after 30 days.
    let fresh = app.sign_in(Identity::new("tokens")).await;
    app.clock.advance(chrono::Duration::minutes(31));
    let (_, body) = problem(
        app.get("/api/v1/users/me", fresh["accessToken"].as_str())
            .await,
    )
    .await;
    assert_eq!(body["code"], "TOKEN_EXPIRED");
    app.clock.advance(chrono::Duration::days(30));
    let (_, body) = problem(
        app.post(
            "/api/v1/auth/token/refresh",
            json!({ "refreshToken": fresh["refreshToken"] }),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(body["code"], "REFRESH_TOKEN_INVALID");
    app.stop().await;
}

async fn delete_account_erases_everything(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let token = app.active_user("to-delete", "male", "1985-07-01").await;
    assert_eq!(
        app.post("/api/v1/health/checkups/sync", json!({}), Some(&token))
            .await
            .status(),
        StatusCode::OK
    );
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 test".to_vec()).file_name("a.pdf");
    let resp = app
        .http
        .post(app.url("/api/v1/health/checkup-files"))
        .bearer_auth(&token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(
        app.delete("/api/v1/users/me", Some(&token)).await.status(),
        StatusCode::NO_CONTENT
    );
    // The token stops at once.
    let (status, _) = problem(app.get("/api/v1/users/me", Some(&token)).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The user-deleted consumer erases the health data (well within a minute).
    let count = |sql: &'static str| {
        let db = app.platform.db.clone();
        async move {
            tripgen_platform::with_db!(&db, |pool| sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(pool)
                .await)
            .expect("count")
        }
    };
    let mut erased = false;
    for _ in 0..100 {
        let left = count("SELECT (SELECT COUNT(*) FROM checkups) + (SELECT COUNT(*) FROM checkup_links) + (SELECT COUNT(*) FROM checkup_files)").await;
        if left == 0 {
            erased = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(erased, "health data erased");
    assert_eq!(count("SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(
        count("SELECT COUNT(*) FROM processed_events WHERE consumer = 'health'").await,
        1
    );
    // Imported anonymised rows stay.
    assert_eq!(count("SELECT COUNT(*) FROM checkup_rows").await, 5000);
    assert_eq!(
        std::fs::read_dir(app.platform.config.objects_dir().join("checkup-files"))
            .map(|d| d
                .flatten()
                .map(|e| std::fs::read_dir(e.path()).map(|x| x.count()).unwrap_or(0))
                .sum::<usize>())
            .unwrap_or(0),
        0
    );
    app.stop().await;
}
