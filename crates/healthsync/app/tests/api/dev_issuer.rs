//! The development issuer (spec §6): off unless `serve --dev-issuer`; then a real OIDC
//! provider at `/dev-oidc` that the app's own relying party signs in against, PKCE
//! enforced, stated in `/health/ready`; refused on PostgreSQL and for split targets.

use std::sync::Arc;

use chrono::Utc;
use healthsync::topology::ServeOptions;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tripgen_platform::clock::ManualClock;

use crate::common::{Backend, TestApp};

/// The `(name, value)` pairs of the page's hidden inputs.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split_once(r#"value=""#)?.1.split_once('"')?.0;
            Some((name.to_string(), value.replace("&amp;", "&")))
        })
        .collect()
}

struct DevApp {
    base: String,
    http: Client,
    server: healthsync::server::RunningServer,
    _dir: tempfile::TempDir,
}

async fn start_dev() -> DevApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let config = healthsync::config::HealthSyncConfig {
        listen: addr.to_string(),
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let app = healthsync::app::build_with(
        config,
        Arc::new(ManualClock::new(Utc::now())),
        ServeOptions {
            dev_issuer: true,
            ..Default::default()
        },
    )
    .await
    .expect("builds with the dev issuer");
    let server = healthsync::server::start_on(app, listener)
        .await
        .expect("serves");
    DevApp {
        base: format!("http://{addr}"),
        http: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        server,
        _dir: dir,
    }
}

impl DevApp {
    /// The whole browser flow for `email`; returns the callback's status and body.
    async fn sign_in(&self, email: &str) -> (StatusCode, Value) {
        let start: Value = self
            .http
            .post(format!("{}/api/v1/auth/oidc/start", self.base))
            .json(&json!({}))
            .send()
            .await
            .expect("start")
            .json()
            .await
            .expect("json");
        let url = start["authorizationUrl"].as_str().expect("url").to_string();
        assert!(
            url.starts_with(&format!("{}/dev-oidc/authorize?", self.base)),
            "{url}"
        );
        let page = self.http.get(&url).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("html");
        assert!(
            html.contains("Development sign-in — not Google"),
            "labelled"
        );
        let mut form = hidden_fields(&html);
        assert!(form.iter().any(|(k, _)| k == "code_challenge"), "{form:?}");
        form.push(("email".into(), email.into()));
        form.push(("name".into(), "개발자".into()));
        let back = self
            .http
            .post(format!("{}/dev-oidc/authorize", self.base))
            .form(&form)
            .send()
            .await
            .expect("authorize");
        assert_eq!(back.status(), StatusCode::SEE_OTHER);
        let location = back.headers()[reqwest::header::LOCATION]
            .to_str()
            .expect("location")
            .to_string();
        let back = url::Url::parse(&location).expect("redirect");
        let get = |k: &str| {
            back.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        assert_eq!(get("state"), start["state"].as_str().unwrap_or_default());
        let resp = self
            .http
            .post(format!("{}/api/v1/auth/oidc/callback", self.base))
            .json(&json!({ "code": get("code"), "state": get("state") }))
            .send()
            .await
            .expect("callback");
        (resp.status(), resp.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_issuer_signs_in_over_the_real_protocol() {
    let app = start_dev().await;
    let (status, first) = app.sign_in("dev@example.test").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["isNewUser"], true);
    assert_eq!(first["user"]["email"], "dev@example.test");
    let (status, again) = app.sign_in("DEV@example.test").await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        again["isNewUser"], false,
        "the same e-mail is the same account"
    );
    assert_eq!(again["user"]["id"], first["user"]["id"]);

    // PKCE is enforced and codes are single-use at the token endpoint.
    let start: Value = app
        .http
        .post(format!("{}/api/v1/auth/oidc/start", app.base))
        .json(&json!({}))
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("json");
    let url = start["authorizationUrl"].as_str().expect("url");
    let html = app
        .http
        .get(url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let mut form = hidden_fields(&html);
    let redirect_uri = form
        .iter()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    form.push(("email".into(), "pkce@example.test".into()));
    let back = app
        .http
        .post(format!("{}/dev-oidc/authorize", app.base))
        .form(&form)
        .send()
        .await
        .expect("authorize");
    let location = url::Url::parse(
        back.headers()[reqwest::header::LOCATION]
            .to_str()
            .expect("location"),
    )
    .expect("url");
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let token = |verifier: &'static str| {
        app.http
            .post(format!("{}/dev-oidc/token", app.base))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect_uri.as_str()),
                ("client_id", "healthsync-dev"),
                ("code_verifier", verifier),
            ])
            .send()
    };
    let resp = token("not-the-verifier").await.expect("token");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error"], "invalid_grant");
    let resp = token("not-the-verifier").await.expect("token");
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["error_description"], "unknown, used or expired code");
    // A request without PKCE is refused before any page is shown.
    let resp = app
        .http
        .get(format!(
            "{}/dev-oidc/authorize?response_type=code&client_id=x&redirect_uri=http://127.0.0.1/cb",
            app.base
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // Readiness states it.
    let ready: Value = app
        .http
        .get(format!("{}/health/ready", app.base))
        .send()
        .await
        .expect("ready")
        .json()
        .await
        .expect("json");
    assert!(
        ready["notices"]["devIssuer"]
            .as_str()
            .is_some_and(|s| s.contains("not for production")),
        "{ready}"
    );
    app.server.shutdown().await.expect("stops");
}

#[tokio::test]
async fn dev_issuer_is_off_by_default_and_refused_where_it_does_not_belong() {
    let Some(app) = TestApp::start(Backend::Sqlite).await else {
        return;
    };
    let resp = app
        .get("/dev-oidc/.well-known/openid-configuration", None)
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let ready: Value = app
        .get("/health/ready", None)
        .await
        .json()
        .await
        .expect("json");
    assert!(ready.get("notices").is_none(), "{ready}");
    app.stop().await;

    let options = || ServeOptions {
        dev_issuer: true,
        ..Default::default()
    };
    let mut pg = healthsync::config::HealthSyncConfig::default();
    pg.database.url = Some("postgres://u@127.0.0.1:1/db".into());
    let err = healthsync::app::build_with(pg, Arc::new(tripgen_platform::SystemClock), options())
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("embedded default"), "{err}");
    let health = healthsync::config::HealthSyncConfig {
        target: healthsync::config::Target::Health,
        ..Default::default()
    };
    let mut o = options();
    o.upstreams.user = Some("http://127.0.0.1:1".into());
    o.upstreams.goal = Some("http://127.0.0.1:1".into());
    o.upstreams.intelligence = Some("http://127.0.0.1:1".into());
    let err = healthsync::app::build_with(health, Arc::new(tripgen_platform::SystemClock), o)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("all or user"), "{err}");
}
