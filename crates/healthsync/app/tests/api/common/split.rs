//! A split deployment in one test: the `user`, `health` and `gateway` targets, each its own
//! app on its own port over the one database, wired by their URLs like `serve --target …
//! --user-url … --health-url …`. The returned [`TestApp`] talks to the gateway.

use std::sync::Arc;

use chrono::Utc;
use healthsync::config::Target;
use healthsync::server::RunningServer;
use healthsync::topology::{ServeOptions, Upstreams};
use reqwest::Client;
use tokio::net::TcpListener;
use tripgen_platform::clock::ManualClock;

use super::{Backend, OidcProvider, TestApp, test_config};

/// The targets behind the gateway.
pub struct Targets {
    pub user_base: String,
    pub health_base: String,
    pub user: Option<RunningServer>,
    pub health: Option<RunningServer>,
}

impl Targets {
    pub async fn stop_health(&mut self) {
        if let Some(s) = self.health.take() {
            s.shutdown().await.expect("health stops");
        }
    }

    pub async fn stop(mut self) {
        self.stop_health().await;
        if let Some(s) = self.user.take() {
            s.shutdown().await.expect("user stops");
        }
    }
}

async fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind")
}

pub async fn start_split(backend: Backend) -> Option<(TestApp, Targets)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new(Utc::now());
    let provider = OidcProvider::start(clock.clone()).await;
    let base = test_config(backend, &provider, dir.path()).await?;
    tripgen_platform::telemetry::init_logging(&base.log);
    let _ = tripgen_platform::telemetry::metrics_handle();
    let (user_l, health_l, gateway_l) = (listener().await, listener().await, listener().await);
    let url = |l: &TcpListener| format!("http://{}", l.local_addr().expect("addr"));
    let upstreams = Upstreams {
        user: Some(url(&user_l)),
        health: Some(url(&health_l)),
    };
    // One after the other: each migrates the shared database on the embedded default.
    let mut servers = Vec::new();
    let mut gateway_platform = None;
    for (target, l) in [
        (Target::User, user_l),
        (Target::Health, health_l),
        (Target::Gateway, gateway_l),
    ] {
        let mut c = base.clone();
        c.target = target;
        let options = ServeOptions {
            upstreams: upstreams.clone(),
            dev_issuer: false,
        };
        let app = healthsync::app::build_with(c, Arc::new(clock.clone()), options)
            .await
            .unwrap_or_else(|e| panic!("{} target builds: {e:#}", target.as_str()));
        if target == Target::Gateway {
            gateway_platform = Some(app.platform.clone());
        }
        servers.push(
            healthsync::server::start_on(app, l)
                .await
                .expect("server starts"),
        );
    }
    let gateway = servers.pop().expect("gateway");
    let health = servers.pop().expect("health");
    let user = servers.pop().expect("user");
    let app = TestApp {
        base: format!("http://{}", gateway.addr),
        http: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        clock,
        provider,
        app: None,
        platform: gateway_platform.expect("gateway platform"),
        config: base,
        server: Some(gateway),
        _dir: dir,
    };
    let targets = Targets {
        user_base: upstreams.user.clone().unwrap_or_default(),
        health_base: upstreams.health.clone().unwrap_or_default(),
        user: Some(user),
        health: Some(health),
    };
    Some((app, targets))
}
