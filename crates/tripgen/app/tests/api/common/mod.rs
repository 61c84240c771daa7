//! Test harness: starts the real app (same code path as `tripgen serve`) on an
//! ephemeral port, against SQLite in a temp dir or PostgreSQL (+ Redis) when
//! TRIPGEN_TEST_PG_URL / TRIPGEN_TEST_REDIS_URL are set.
#![allow(dead_code)]

mod fake_meteo;
mod split;
mod trip_steps;

pub use fake_meteo::{FIRST, FakeMeteo, fair};
pub use split::SplitApps;

use std::sync::Arc;

use chrono::Utc;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tripgen::config::Config;
use tripgen::config::Target;
use tripgen::server::RunningServer;
use tripgen_platform::Platform;
use tripgen_platform::clock::ManualClock;

pub use platform_test_support::{Api, Backend};

pub const JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";
pub const FIELD_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// The shared store of one test: a data dir and, for PostgreSQL, a fresh schema.
pub struct Store {
    pub backend: Backend,
    pub data_dir: tempfile::TempDir,
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
}

impl Store {
    /// `None` = this backend is not available here (the caller prints SKIPPED).
    pub async fn new(backend: Backend) -> Option<Store> {
        let data_dir = tempfile::tempdir().expect("tempdir");
        match backend {
            Backend::Sqlite => Some(Store {
                backend,
                data_dir,
                database_url: None,
                redis_url: None,
            }),
            Backend::Postgres => {
                let database_url = Some(
                    platform_test_support::fresh_postgres_schema(&["TRIPGEN_TEST_PG_URL"], "t")
                        .await?,
                );
                Some(Store {
                    backend,
                    data_dir,
                    database_url,
                    redis_url: std::env::var("TRIPGEN_TEST_REDIS_URL").ok(),
                })
            }
        }
    }

    pub fn config(&self) -> Config {
        let mut c = Config {
            listen: "127.0.0.1:0".into(),
            data_dir: self.data_dir.path().to_path_buf(),
            ..Config::default()
        };
        c.database.url = self.database_url.clone();
        c.database.max_connections = 5;
        c.redis.url = self.redis_url.clone();
        c.auth.jwt_secret = Some(JWT_SECRET.into());
        c.security.field_encryption_key = Some(FIELD_KEY.into());
        c.rate_limit.per_ip_per_minute = 100_000;
        c.rate_limit.per_user_per_minute = 100_000;
        // Metrics on their own internal listener, as deployed (never the public one).
        c.http.metrics_listen = Some("127.0.0.1:0".into());
        // Plans bound by the planner's iteration budget, not by the clock: the same plan
        // whatever the load of the machine running the suite.
        c.ai.planner_time_limit_ms = 10_000;
        c.log.level = "warn".into();
        // Tests import exactly the data they need.
        c.location.seed_dirs = Vec::new();
        // Never the real Open-Meteo (the default): tests that need weather start a local
        // server speaking its API and point the provider there.
        c.location.weather.provider = tripgen_location::config::WeatherProviderKind::None;
        c
    }
}

/// The running app; its [`Api`] (`base`, `http`, `get`/`post`/`put`/`delete`) is reached
/// through `Deref`, so a test reads `app.post(…)`.
pub struct TestApp {
    pub api: Api,
    pub clock: ManualClock,
    pub platform: Arc<Platform>,
    /// The trip context's service, when this target runs it.
    pub trips: Option<Arc<tripgen_trip::TripService>>,
    /// The context services of the process under test.
    pub contexts: tripgen::app::Contexts,
    /// `http://…` of the internal metrics listener, when configured.
    pub metrics_base: Option<String>,
    server: Option<RunningServer>,
}

impl std::ops::Deref for TestApp {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

impl TestApp {
    pub async fn start(config: Config, clock: ManualClock) -> TestApp {
        tripgen_platform::telemetry::init_logging(&config.log);
        let _ = tripgen_platform::telemetry::metrics_handle();
        let app = tripgen::app::build(config, Arc::new(clock.clone()))
            .await
            .expect("app builds");
        let platform = app.platform.clone();
        let contexts = app.contexts.clone();
        let trips = contexts.trips.clone();
        let server = tripgen::server::start(app, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("server starts");
        TestApp {
            api: Api::new(format!("http://{}", server.addr), Client::new()),
            clock,
            platform,
            trips,
            contexts,
            metrics_base: server.metrics_addr.map(|a| format!("http://{a}")),
            server: Some(server),
        }
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await.expect("clean shutdown");
        }
    }

    /// The Prometheus text of the internal metrics listener.
    pub async fn metrics(&self) -> String {
        let base = self.metrics_base.as_deref().expect("metrics listener");
        let resp = self.http.get(format!("{base}/metrics")).send().await;
        resp.expect("metrics").text().await.expect("metrics text")
    }

    /// Registers `username` with valid defaults (overridable) and returns the profile.
    pub async fn register(&self, username: &str) -> Value {
        let resp = self
            .post("/api/v1/users/register", registration(username), None)
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED, "register {username}");
        resp.json().await.unwrap()
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/v1/users/login",
            json!({ "username": username, "password": password }),
            None,
        )
        .await
    }

    /// Registers and signs in; returns (access, refresh).
    pub async fn user(&self, username: &str) -> (String, String) {
        self.register(username).await;
        let resp = self.login(username, PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let v: Value = resp.json().await.unwrap();
        (
            v["accessToken"].as_str().unwrap().to_string(),
            v["refreshToken"].as_str().unwrap().to_string(),
        )
    }
}

pub const PASSWORD: &str = "Travel2026!";

pub fn registration(username: &str) -> Value {
    json!({
        "name": "김민지",
        "email": format!("{username}@example.com"),
        "phone": "010-1234-5678",
        "username": username,
        "password": PASSWORD,
        "passwordConfirm": PASSWORD,
        "termsAccepted": true
    })
}

pub async fn start(backend: Backend) -> Option<(Store, TestApp)> {
    let store = Store::new(backend).await?;
    let app = TestApp::start(store.config(), ManualClock::new(Utc::now())).await;
    Some((store, app))
}

pub async fn start_with(
    backend: Backend,
    tweak: impl FnOnce(&mut Config),
) -> Option<(Store, TestApp)> {
    let store = Store::new(backend).await?;
    let mut config = store.config();
    tweak(&mut config);
    let app = TestApp::start(config, ManualClock::new(Utc::now())).await;
    Some((store, app))
}

/// Asserts a problem+json response and returns it.
pub async fn problem(resp: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(resp.status(), status, "status");
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json", "content type");
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["code"], code, "problem: {v}");
    assert_eq!(v["status"], status.as_u16());
    v
}

pub fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn target(t: Target) -> impl FnOnce(&mut Config) {
    move |c| c.target = t
}

/// The repository's OSM data folder (`data/osm`; `$TRIPGEN_DATA_ROOT` overrides the root).
pub fn osm_data(rel: &str) -> std::path::PathBuf {
    let root = std::env::var_os("TRIPGEN_DATA_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data"));
    let p = root.join("osm").join(rel);
    assert!(
        p.exists(),
        "test data {} not found: the repository ships it under data/ (or set TRIPGEN_DATA_ROOT)",
        p.display()
    );
    p
}

impl TestApp {
    /// Imports OSM files into this app's catalogue through the location service.
    pub async fn import(&self, rel_paths: &[&str]) -> tripgen_location::importer::ImportReport {
        let files: Vec<_> = rel_paths.iter().map(|r| osm_data(r)).collect();
        self.contexts
            .locations
            .as_ref()
            .expect("this target runs the location context")
            .import(&files, &tripgen_platform::progress::Progress::hidden())
            .await
            .expect("import")
    }
}

/// A file under `crates/tripgen/app/tests/fixtures` (our own test data, not OSM extracts).
pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl TestApp {
    /// Imports files given by path (e.g. [`fixture`]s) into the catalogue.
    pub async fn import_paths(
        &self,
        files: &[std::path::PathBuf],
    ) -> tripgen_location::importer::ImportReport {
        self.contexts
            .locations
            .as_ref()
            .expect("this target runs the location context")
            .import(files, &tripgen_platform::progress::Progress::hidden())
            .await
            .expect("import")
    }
}
