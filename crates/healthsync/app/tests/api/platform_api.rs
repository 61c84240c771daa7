//! Probes, metrics, the OpenAPI document and problem+json for unknown paths.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{Backend, TestApp, problem};
use crate::on_both_backends;

on_both_backends!(probes_openapi_and_not_found);

async fn probes_openapi_and_not_found(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    for path in ["/health/live", "/health/ready", "/health/startup"] {
        assert_eq!(app.get(path, None).await.status(), StatusCode::OK, "{path}");
    }
    let ready: Value = app
        .get("/health/ready", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ready["checks"]["database"]["status"], "up");
    let metrics = app.get("/metrics", None).await;
    assert_eq!(metrics.status(), StatusCode::OK);
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(doc["info"]["title"], "HealthSync API");
    for path in [
        "/api/v1/auth/oidc/start",
        "/api/v1/auth/oidc/callback",
        "/api/v1/auth/token/refresh",
        "/api/v1/auth/logout",
        "/api/v1/auth/session",
        "/api/v1/users/me",
        "/api/v1/users/me/profile",
        "/api/v1/users/me/settings",
        "/api/v1/users/occupations",
        "/api/v1/health/checkups/sync",
        "/api/v1/health/checkups/latest",
        "/api/v1/health/checkups/{checkupId}",
        "/api/v1/health/checkups",
        "/api/v1/health/ranges",
        "/api/v1/health/checkup-files",
        "/api/v1/health/checkup-files/{fileId}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "OpenAPI lacks {path}");
    }
    assert_eq!(app.get("/api/docs/", None).await.status(), StatusCode::OK);
    let (status, body) = problem(app.get("/api/v1/nothing-here", None).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "NOT_FOUND");
    app.stop().await;
}
