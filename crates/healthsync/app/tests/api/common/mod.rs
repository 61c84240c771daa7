//! The HealthSync test harness: a real `healthsync` app on an ephemeral port over SQLite
//! or PostgreSQL (when `TRIPGEN_TEST_PG_URL` / `HEALTHSYNC_TEST_PG_URL` is set; SKIPPED
//! loudly otherwise), and a local OIDC provider speaking the real protocol.

#![allow(dead_code)]

pub mod oidc_provider;
pub mod split;

use std::sync::Arc;

use chrono::Utc;
use healthsync::config::HealthSyncConfig;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tripgen_platform::clock::ManualClock;

pub use oidc_provider::{Identity, OidcProvider, Tweaks};

pub const JWT_SECRET: &str = "healthsync-test-jwt-secret-0123456789abcdef";
pub const FIELD_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

pub use platform_test_support::{Api, Backend};

/// The running app; its [`Api`] (`base`, `http`, `get`/`post`/`put`/`delete`) is reached
/// through `Deref`, so a test reads `app.post(…)`.
pub struct TestApp {
    pub api: Api,
    pub clock: ManualClock,
    pub provider: OidcProvider,
    pub app: Option<healthsync::app::Contexts>,
    pub platform: Arc<tripgen_platform::Platform>,
    /// The configuration the app was built with.
    pub config: HealthSyncConfig,
    /// `http://…` of the internal metrics listener, when configured.
    pub metrics_base: Option<String>,
    server: Option<healthsync::server::RunningServer>,
    _dir: tempfile::TempDir,
}

async fn database_url(backend: Backend) -> Option<Option<String>> {
    match backend {
        Backend::Sqlite => Some(None),
        Backend::Postgres => Some(Some(
            platform_test_support::fresh_postgres_schema(
                &["HEALTHSYNC_TEST_PG_URL", "TRIPGEN_TEST_PG_URL"],
                "hs",
            )
            .await?,
        )),
    }
}

/// A client that shows redirects instead of following them (the OIDC flow checks them).
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The configuration every test app starts from: `backend`'s database (a fresh schema on
/// PostgreSQL), fixed keys, `provider` as the OIDC issuer, data in `data_dir`.
pub async fn test_config(
    backend: Backend,
    provider: &OidcProvider,
    data_dir: &std::path::Path,
) -> Option<HealthSyncConfig> {
    let url = database_url(backend).await?;
    let mut c = HealthSyncConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: data_dir.to_path_buf(),
        ..HealthSyncConfig::default()
    };
    c.database.url = url;
    c.database.max_connections = 5;
    c.auth.jwt_secret = Some(JWT_SECRET.into());
    c.security.field_encryption_key = Some(FIELD_KEY.into());
    c.auth.oidc.issuer = provider.issuer.clone();
    c.auth.oidc.client_id = oidc_provider::CLIENT_ID.into();
    c.auth.oidc.client_secret = Some(oidc_provider::CLIENT_SECRET.into());
    c.auth.oidc.redirect_uri = oidc_provider::REDIRECT_URI.into();
    c.log.level = "warn".into();
    // Metrics on their own internal listener, as deployed (never the public one).
    c.http.metrics_listen = Some("127.0.0.1:0".into());
    Some(c)
}

impl std::ops::Deref for TestApp {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

impl TestApp {
    /// `None` when the backend is not available here.
    pub async fn start(backend: Backend) -> Option<TestApp> {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(
        backend: Backend,
        tune: impl FnOnce(&mut HealthSyncConfig),
    ) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = ManualClock::new(Utc::now());
        let provider = OidcProvider::start(clock.clone()).await;
        let mut c = test_config(backend, &provider, dir.path()).await?;
        tune(&mut c);
        tripgen_platform::telemetry::init_logging(&c.log);
        let _ = tripgen_platform::telemetry::metrics_handle();
        let app = healthsync::app::build(c, Arc::new(clock.clone()))
            .await
            .expect("app builds");
        let platform = app.platform.clone();
        let contexts = app.contexts.clone();
        let config = app.config.clone();
        let server = healthsync::server::start(app, "127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("server starts");
        Some(TestApp {
            api: Api::new(format!("http://{}", server.addr), client()),
            clock,
            provider,
            app: Some(contexts),
            platform,
            config,
            metrics_base: server.metrics_addr.map(|a| format!("http://{a}")),
            server: Some(server),
            _dir: dir,
        })
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await.expect("clean shutdown");
        }
    }

    /// `/oidc/start`, then the provider's authorization endpoint: (code, state).
    pub async fn authorize(&self) -> (String, String) {
        let resp = self.post("/api/v1/auth/oidc/start", json!({}), None).await;
        assert_eq!(resp.status(), StatusCode::OK, "start");
        let start: Value = resp.json().await.expect("json");
        let url = start["authorizationUrl"]
            .as_str()
            .expect("authorizationUrl")
            .to_string();
        let resp = self.http.get(&url).send().await.expect("authorize");
        assert_eq!(resp.status(), StatusCode::FOUND, "provider redirects back");
        let location = resp.headers()[reqwest::header::LOCATION]
            .to_str()
            .expect("location")
            .to_string();
        let back = url::Url::parse(&location).expect("redirect url");
        let get = |k: &str| {
            back.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
                .expect("query parameter")
        };
        assert_eq!(get("state"), start["state"].as_str().expect("state"));
        (get("code"), get("state"))
    }

    pub async fn callback(&self, code: &str, state: &str) -> Response {
        self.post(
            "/api/v1/auth/oidc/callback",
            json!({ "code": code, "state": state }),
            None,
        )
        .await
    }

    /// Signs `identity` in through the whole flow; returns the callback's answer.
    pub async fn sign_in(&self, identity: Identity) -> Value {
        self.provider.next_identity(identity);
        let (code, state) = self.authorize().await;
        let resp = self.callback(&code, &state).await;
        assert_eq!(resp.status(), StatusCode::OK, "callback");
        resp.json().await.expect("json")
    }

    /// Signs in and completes the profile; returns the access token.
    pub async fn active_user(&self, sub: &str, sex: &str, birth_date: &str) -> String {
        let answer = self.sign_in(Identity::new(sub)).await;
        let token = answer["accessToken"].as_str().expect("token").to_string();
        let resp = self
            .put(
                "/api/v1/users/me/profile",
                profile(sex, birth_date),
                Some(&token),
            )
            .await;
        assert_eq!(resp.status(), StatusCode::OK, "profile");
        token
    }
}

pub fn profile(sex: &str, birth_date: &str) -> Value {
    json!({
        "name": "김하나",
        "birthDate": birth_date,
        "sex": sex,
        "occupationCode": "developer",
        "healthDataConsent": true,
        "aiConsent": false,
    })
}

pub async fn problem(resp: Response) -> (StatusCode, Value) {
    let status = resp.status();
    let ct = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        assert!(
            ct.starts_with("application/problem+json"),
            "{status} {ct} {body}"
        );
    }
    (status, body)
}
