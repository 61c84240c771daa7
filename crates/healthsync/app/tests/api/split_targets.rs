//! `serve --target gateway|user|health` (spec §1): the same API as target `all`, through
//! the gateway to separately running targets that call each other's `/internal/v1` with
//! service tokens; internal paths are never routed by the gateway.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_platform::internal::SERVICE_ROLE;
use uuid::Uuid;

use crate::common::split::start_split;
use crate::common::{Backend, Identity, problem};
use crate::on_both_backends;

const SYNC: &str = "/api/v1/health/checkups/sync";
const LATEST: &str = "/api/v1/health/checkups/latest";

async fn gateway_routes_to_split_targets(backend: Backend) {
    let Some((app, mut targets)) = start_split(backend).await else {
        return;
    };
    // Sign-in and profile through the gateway (user target); sync through the gateway
    // (health target, which asks the user target for the profile facts).
    let pending = app.sign_in(Identity::new("split-pending")).await;
    let pending = pending["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (status, body) = problem(app.post(SYNC, json!({}), Some(&pending)).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::CONFLICT, json!("PROFILE_INCOMPLETE"))
    );
    let token = app.active_user("split-user", "male", "1988-05-20").await;
    let resp = app.post(SYNC, json!({}), Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let synced: Value = resp.json().await.expect("json");
    assert_eq!(synced["status"], "synced");
    assert_eq!(synced["link"]["matchedSex"], "male");
    let resp = app.get(LATEST, Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let occupations = app.get("/api/v1/users/occupations", None).await;
    assert_eq!(occupations.status(), StatusCode::OK);

    // A change of sex on the user target drops the health target's link (HS-USER-020).
    let resp = app
        .put(
            "/api/v1/users/me/profile",
            crate::common::profile("female", "1988-05-20"),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, body) = problem(app.get(LATEST, Some(&token)).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("CHECKUP_NOT_FOUND"))
    );
    let resp = app.post(SYNC, json!({}), Some(&token)).await;
    let relinked: Value = resp.json().await.expect("json");
    assert_eq!(relinked["link"]["matchedSex"], "female", "{relinked}");

    // /internal/v1 is not routed by the gateway …
    let me: Value = app
        .get("/api/v1/users/me", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let user_id = me["id"].as_str().unwrap_or_default().to_string();
    let facts_path = format!("/internal/v1/users/{user_id}/profile-facts");
    let (status, body) = problem(app.get(&facts_path, Some(&token)).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("NOT_FOUND"))
    );
    // … and at the target it takes service tokens only.
    let direct = format!("{}{facts_path}", targets.user_base);
    let (status, _) = problem(app.http.get(&direct).send().await.expect("request")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = problem(
        app.http
            .get(&direct)
            .bearer_auth(&token)
            .send()
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::FORBIDDEN, json!("FORBIDDEN"))
    );
    let (service, _) = app
        .platform
        .auth
        .issue(Uuid::nil(), Uuid::nil(), SERVICE_ROLE)
        .expect("service token");
    let resp = app
        .http
        .get(&direct)
        .bearer_auth(&service)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::OK);
    let facts: Value = resp.json().await.expect("json");
    assert_eq!(facts["state"], "active");
    assert_eq!(facts["sex"], "female");
    let health_direct = format!(
        "{}/internal/v1/health/users/{user_id}/link",
        targets.health_base
    );
    let resp = app
        .http
        .delete(&health_direct)
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The user target does not serve the health API, nor the health target the user API.
    let resp = app
        .http
        .get(format!("{}{LATEST}", targets.user_base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);

    // Every target answers its probes; the gateway's API description covers every context.
    for base in [&app.base, &targets.user_base, &targets.health_base] {
        let resp = app
            .http
            .get(format!("{base}/health/ready"))
            .send()
            .await
            .expect("probe");
        assert_eq!(resp.status(), StatusCode::OK, "{base}");
    }
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .expect("json");
    for path in ["/api/v1/auth/oidc/start", "/api/v1/users/me", SYNC] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }

    // A target that is down: the gateway answers 503 problem+json, not a hang or a 500.
    targets.stop_health().await;
    let (status, body) = problem(app.get(LATEST, Some(&token)).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!("UPSTREAM_UNAVAILABLE")
        )
    );
    app.stop().await;
    targets.stop().await;
}

on_both_backends!(gateway_routes_to_split_targets);

#[tokio::test]
async fn a_split_target_without_its_peers_is_refused_clearly() {
    let config = healthsync::config::HealthSyncConfig {
        target: healthsync::config::Target::Gateway,
        ..Default::default()
    };
    let err = healthsync::app::build(config, std::sync::Arc::new(tripgen_platform::SystemClock))
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("--user-url and --health-url and --goal-url and --intelligence-url"),
        "{err}"
    );
    for (target, flags) in [
        (healthsync::config::Target::Goal, "needs --intelligence-url"),
        (
            healthsync::config::Target::Intelligence,
            "needs --user-url and --health-url and --goal-url",
        ),
        (
            healthsync::config::Target::Batch,
            "needs --user-url and --goal-url",
        ),
    ] {
        let config = healthsync::config::HealthSyncConfig {
            target,
            ..Default::default()
        };
        let err =
            healthsync::app::build(config, std::sync::Arc::new(tripgen_platform::SystemClock))
                .await
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
        assert!(err.contains(flags), "{err}");
    }
}

/// When the user context's notice of a profile change is lost (split targets with the health
/// target down at that moment), the next sync sees the link no longer fits and relinks.
async fn a_lost_relink_notice_is_healed_by_the_next_sync(backend: Backend) {
    let Some(app) = crate::common::TestApp::start(backend).await else {
        return;
    };
    let token = app.active_user("lost-notice", "male", "1990-03-03").await;
    let first: Value = app
        .post(SYNC, json!({}), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["link"]["matchedSex"], "male");
    let me: Value = app
        .get("/api/v1/users/me", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let id = Uuid::parse_str(me["id"].as_str().unwrap_or_default()).expect("uuid");
    // The profile changes behind the health context's back (no relink notice).
    tripgen_platform::with_db!(&app.platform.db, |pool| sqlx::query(
        "UPDATE users SET sex = 'female', birth_date = '1960-03-03' WHERE id = $1"
    )
    .bind(id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))
    .expect("update");
    let resp = app.post(SYNC, json!({}), Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let healed: Value = resp.json().await.expect("json");
    assert_eq!(healed["link"]["matchedSex"], "female", "{healed}");
    assert_ne!(
        healed["link"]["matchedAgeBand"], first["link"]["matchedAgeBand"],
        "{healed}"
    );
    app.stop().await;
}

on_both_backends!(a_lost_relink_notice_is_healed_by_the_next_sync);
