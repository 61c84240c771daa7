//! Cross-cutting behaviour over real HTTP: problem+json for every kind of bad request,
//! probes, metrics, OpenAPI and docs, rate limits, split mode through the gateway,
//! target refusal, graceful shutdown, and the CLI.

use crate::common;

use std::process::Command;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen::config::Target;

on_both_backends!(
    bad_requests_are_problems,
    probes_metrics_and_docs,
    per_ip_rate_limit,
    per_user_rate_limit,
);

async fn bad_requests_are_problems(backend: Backend) {
    let Some((_s, app)) = start(backend).await else {
        return;
    };
    let send = |body: &'static str, ct: &'static str| {
        app.http
            .post(app.url("/api/v1/users/login"))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    problem(
        send("{\"username\": ", "application/json").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "MALFORMED_JSON",
    )
    .await;
    problem(
        send("[1,2,3]", "application/json").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_FAILED",
    )
    .await;
    // serde would read a struct from an array of its fields by position: a body whose
    // type is an object must be a JSON object (issue 21).
    app.register("arrayuser").await;
    for (path, body) in [
        ("/api/v1/users/login", r#"["arrayuser","Travel2026!"]"#),
        (
            "/api/v1/users/check/password",
            r#"["Travel2026!","arrayuser"]"#,
        ),
        ("/api/v1/users/check/password", r#" [null, null] "#),
    ] {
        let resp = app
            .http
            .post(app.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_FAILED").await;
        assert_eq!(
            field_codes(&p),
            [("body".to_string(), "EXPECTED_OBJECT".to_string())],
            "{path} {body}"
        );
    }
    // The same bodies as objects are accepted.
    let resp = app
        .post(
            "/api/v1/users/check/password",
            json!({ "password": "Travel2026!" }),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        app.login("arrayuser", "Travel2026!").await.status(),
        StatusCode::OK
    );
    problem(
        send("username=x", "text/plain").await.unwrap(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await;
    // A 2 MB JSON body is over the limit.
    let huge = format!("{{\"username\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
    // (A fresh client: the server closes a connection whose body it refused to read.)
    let resp = reqwest::Client::new()
        .post(app.url("/api/v1/users/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    problem(resp, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE").await;
    problem(
        app.get("/api/v1/nothing-here", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    let resp = app
        .http
        .delete(app.url("/api/v1/users/login"))
        .send()
        .await
        .unwrap();
    problem(resp, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED").await;
    problem(
        app.get("/api/v1/users/profile", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    // Every response carries a request id and security headers.
    let resp = app.get("/health/live", None).await;
    assert!(resp.headers().contains_key("x-request-id"));
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert!(
        !resp.headers().contains_key("strict-transport-security"),
        "no HSTS unless the deployment is behind TLS (security.hsts_max_age_secs)"
    );
    assert!(resp.headers().contains_key("content-security-policy"));
    let resp = app
        .http
        .get(app.url("/health/live"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["x-request-id"],
        "abc-123",
        "a caller's request id is kept"
    );
    app.stop().await;
}

async fn probes_metrics_and_docs(backend: Backend) {
    // As deployed behind the TLS ingress: HSTS on (deploy/k8s/base/tripgen.env).
    let Some((store, app)) =
        start_with(backend, |c| c.security.hsts_max_age_secs = 31_536_000).await
    else {
        return;
    };
    for p in ["/health/live", "/api/v1/nothing-here", "/"] {
        assert_eq!(
            app.get(p, None).await.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{p}"
        );
    }
    for p in ["/health/live", "/health/startup", "/health/ready"] {
        assert_eq!(app.get(p, None).await.status(), StatusCode::OK, "{p}");
    }
    let ready: Value = app.get("/health/ready", None).await.json().await.unwrap();
    assert_eq!(ready["checks"]["database"]["status"], "up");
    let expected_redis = if store.redis_url.is_some() {
        "up"
    } else {
        "not-configured"
    };
    assert_eq!(ready["checks"]["redis"]["status"], expected_redis);
    app.get("/api/v1/users/check/username/metric01", None).await;
    let text = app.metrics().await;
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(
        text.contains("route=\"/api/v1/users/check/username/{username}\""),
        "per-route label"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "latency histogram"
    );
    // Metrics are served on the internal listener only: the public one (the gateway's,
    // the one the ingress routes) answers 404 (issue 21).
    problem(
        app.get("/metrics", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    let internal = app.metrics_base.clone().unwrap_or_default();
    let resp = app
        .http
        .get(format!("{internal}/api/v1/users/check/username/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::NOT_FOUND,
        "the internal listener serves nothing of the API"
    );
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/users/register",
        "/api/v1/users/login",
        "/api/v1/users/token/refresh",
        "/api/v1/users/profile",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
    // Errors are documented as they are sent (issue 21): problem+json only, 401 on every
    // secured operation, 429 everywhere, a description on every answer.
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let answers = op["responses"].as_object().unwrap();
            for (status, answer) in answers {
                assert!(
                    answer["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status}: description"
                );
                if status.starts_with('4') || status.starts_with('5') {
                    let types: Vec<&String> =
                        answer["content"].as_object().unwrap().keys().collect();
                    assert_eq!(
                        types,
                        ["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
            assert!(answers.contains_key("429"), "{method} {path}: 429");
            if op.get("security").is_some() {
                assert!(answers.contains_key("401"), "{method} {path}: 401");
            }
        }
    }
    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"), "docs page served from the binary");
    assert!(
        !html.contains("https://"),
        "no CDN: the docs page works offline"
    );
    let root = app.get("/", None).await.text().await.unwrap();
    assert!(
        root.contains("OpenStreetMap contributors"),
        "attribution on the landing page"
    );
    app.stop().await;
}

async fn per_ip_rate_limit(backend: Backend) {
    let Some((_s, app)) = start_with(backend, |c| c.rate_limit.per_ip_per_minute = 5).await else {
        return;
    };
    let mut limited = None;
    for _ in 0..12 {
        let resp = app.get("/api/v1/users/check/username/someone1", None).await;
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(resp);
            break;
        }
    }
    let resp = limited.expect("the per-IP limit answers 429");
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    problem(resp, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
    // Probes are never limited.
    assert_eq!(app.get("/health/live", None).await.status(), StatusCode::OK);
    app.stop().await;
}

async fn per_user_rate_limit(backend: Backend) {
    let Some((_s, app)) = start_with(backend, |c| c.rate_limit.per_user_per_minute = 5).await
    else {
        return;
    };
    let (token, _) = app.user("ratelim01").await;
    let (other, _) = app.user("ratelim02").await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(
            app.get("/api/v1/users/profile", Some(&token))
                .await
                .status(),
        );
    }
    assert_eq!(&statuses[..5], &[StatusCode::OK; 5], "{statuses:?}");
    assert!(
        statuses[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Another user has a budget of their own.
    assert_eq!(
        app.get("/api/v1/users/profile", Some(&other))
            .await
            .status(),
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_mode_gateway_forwards_to_user_target() {
    let store = Store::new(Backend::Sqlite).await.unwrap();
    let mut user_cfg = store.config();
    user_cfg.target = Target::User;
    let clock = tripgen_platform::clock::ManualClock::new(chrono::Utc::now());
    let user = TestApp::start(user_cfg, clock.clone()).await;
    let mut gw_cfg = store.config();
    gw_cfg.target = Target::Gateway;
    gw_cfg.gateway.user_url = Some(user.base.clone());
    let gw = TestApp::start(gw_cfg, clock).await;
    gw.register("splitmode1").await;
    let (token, _) = {
        let v: Value = gw.login("splitmode1", PASSWORD).await.json().await.unwrap();
        (v["accessToken"].as_str().unwrap().to_string(), ())
    };
    let v: Value = gw
        .get("/api/v1/users/profile", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["username"], "splitmode1");
    // Errors pass through unchanged; a forged token is stopped at the edge.
    problem(
        gw.login("splitmode1", "Wrong2026!").await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    problem(
        gw.get("/api/v1/users/profile", Some("abc.def.ghi")).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    // The user target alone serves no web app and no gateway fallbacks.
    problem(
        user.get("/", None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    // When the user target is down, the gateway says so in problem+json.
    user.stop().await;
    problem(
        gw.get("/api/v1/users/profile", Some(&token)).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "UPSTREAM_UNAVAILABLE",
    )
    .await;
    gw.stop().await;
}

#[tokio::test]
async fn targets_without_their_upstreams_are_refused() {
    let store = Store::new(Backend::Sqlite).await.unwrap();
    // Every context is built in; a split target needs the URLs of the ones it calls.
    for t in [Target::Ai, Target::Trip] {
        let mut cfg = store.config();
        cfg.target = t;
        let err = tripgen::app::build(cfg, std::sync::Arc::new(tripgen_platform::SystemClock))
            .await
            .err()
            .expect("refused");
        assert!(err.to_string().contains("gateway.location_url"), "{err}");
    }
    let mut cfg = store.config();
    cfg.target = Target::Gateway;
    let err = tripgen::app::build(cfg, std::sync::Arc::new(tripgen_platform::SystemClock))
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("gateway.user_url"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_in_flight_requests() {
    // A deliberately slow password hash keeps the login in flight while we stop.
    let Some((_s, app)) = start_with(Backend::Sqlite, |c| {
        c.auth.argon2_memory_kib = 65_536;
        c.auth.argon2_iterations = 12;
    })
    .await
    else {
        return;
    };
    app.register("graceful1").await;
    let http = app.http.clone();
    let url = app.url("/api/v1/users/login");
    let in_flight = tokio::spawn(async move {
        http.post(url)
            .json(&json!({"username": "graceful1", "password": PASSWORD}))
            .send()
            .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let base = app.base.clone();
    app.stop().await;
    let resp = in_flight
        .await
        .unwrap()
        .expect("in-flight request completed");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        reqwest::get(format!("{base}/health/live")).await.is_err(),
        "no new connections after shutdown"
    );
}

fn tripgen_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tripgen"))
}

#[test]
fn cli_config_prints_effective_redacted_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tripgen.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9999\"\n[auth]\naccess_token_minutes = 20\n",
    )
    .unwrap();
    let out = tripgen_bin()
        .args(["config", "--config"])
        .arg(&file)
        .args(["--data-dir", "/tmp/tg-data"])
        .env("TRIPGEN_AUTH__ACCESS_TOKEN_MINUTES", "40")
        .env(
            "TRIPGEN_AUTH__JWT_SECRET",
            "a-very-long-secret-value-0123456789abcdef",
        )
        .env("TRIPGEN_DATABASE__URL", "postgres://app:hunter2@db/tripgen")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("listen = \"127.0.0.1:9999\""), "{text}");
    assert!(
        text.contains("access_token_minutes = 40"),
        "env beats file: {text}"
    );
    assert!(
        text.contains("data_dir = \"/tmp/tg-data\""),
        "flag beats env: {text}"
    );
    assert!(!text.contains("a-very-long-secret"), "secret redacted");
    assert!(!text.contains("hunter2"), "password in URL redacted");
}

#[test]
fn cli_invalid_config_names_the_key() {
    let out = tripgen_bin()
        .args(["config"])
        .env("TRIPGEN_RATE_LIMIT__PER_USER_PER_MINUTE", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rate_limit.per_user_per_minute"), "{err}");
    let out = tripgen_bin()
        .args(["serve", "--listen", "not-an-address"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`listen`"));
    let out = tripgen_bin()
        .args(["serve", "--target", "planner"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown target"));
}

#[test]
fn cli_serve_starts_migrates_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = tripgen_bin()
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir.path())
        .env("TRIPGEN_LOG__FORMAT", "json")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = false;
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            ready = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(ready, "server listens");
    assert!(
        dir.path().join("tripgen.db").exists(),
        "SQLite store created in the data dir"
    );
    // SIGTERM → graceful exit with status 0.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let logs = String::from_utf8_lossy(&out.stdout);
    assert!(logs.contains("\"shutdown requested"), "JSON logs: {logs}");
    let migrate = tripgen_bin()
        .args(["migrate", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(migrate.status.success());
    assert!(String::from_utf8_lossy(&migrate.stdout).contains("migrations applied (sqlite)"));
}
