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
    // Metrics on the internal listener only; the public one answers 404 (issue 21).
    let internal = app.metrics_base.clone().expect("metrics listener");
    let metrics = app
        .http
        .get(format!("{internal}/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.expect("text");
    assert!(text.contains("http_requests_total"), "{text}");
    let (status, _) = problem(app.get("/metrics", None).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
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
    // Generated clients (the web app's openapi-typescript types) need unique operation ids.
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .filter_map(|p| p.as_object())
        .flat_map(|ops| ops.values().filter_map(|op| op["operationId"].as_str()))
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        all,
        "duplicate operationId in the OpenAPI document"
    );
    assert_eq!(app.get("/api/docs/", None).await.status(), StatusCode::OK);
    // The gateway serves the web app (or, unbuilt, a page saying so) and its runtime settings.
    let config: Value = app
        .get("/app-config.json", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(config["devIssuer"], false);
    let root = app.get("/", None).await;
    assert_eq!(root.status(), StatusCode::OK);
    assert!(root.headers().contains_key("content-security-policy"));
    let (status, body) = problem(app.get("/api/v1/nothing-here", None).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "NOT_FOUND");
    // A body whose type is an object must be a JSON object: serde would read a struct
    // from an array of its fields by position (issue 21).
    for (path, body) in [
        ("/api/v1/auth/token/refresh", r#"["not-a-token"]"#),
        ("/api/v1/auth/oidc/callback", r#"["code","state"]"#),
    ] {
        let resp = app
            .http
            .post(app.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("send");
        let (status, p) = problem(resp).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {p}");
        assert_eq!(p["code"], "VALIDATION_FAILED");
        assert_eq!(p["errors"][0]["field"], "body", "{p}");
        assert_eq!(p["errors"][0]["code"], "EXPECTED_OBJECT", "{p}");
    }
    app.stop().await;
}
