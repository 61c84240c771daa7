//! A split deployment in one test: the `user`, `health`, `goal`, `intelligence`, `batch`
//! and `gateway` targets, each its own app on its own port over the one database, wired by
//! their URLs like `serve --target … --user-url … --health-url … --goal-url …
//! --intelligence-url …`. The returned [`TestApp`] talks to the gateway.

use std::sync::Arc;

use chrono::Utc;
use healthsync::config::{HealthSyncConfig, Target};
use healthsync::server::RunningServer;
use healthsync::topology::{ServeOptions, Upstreams};
use tokio::net::TcpListener;
use tripgen_platform::clock::ManualClock;

use super::{Api, Backend, OidcProvider, TestApp, test_config};

/// The targets behind the gateway, in start order.
const BEHIND: [Target; 5] = [
    Target::User,
    Target::Health,
    Target::Goal,
    Target::Intelligence,
    Target::Batch,
];

/// The targets behind the gateway.
pub struct Targets {
    pub user_base: String,
    pub health_base: String,
    pub goal_base: String,
    pub intelligence_base: String,
    pub batch_base: String,
    servers: Vec<(Target, RunningServer)>,
}

impl Targets {
    pub async fn stop_target(&mut self, target: Target) {
        if let Some(i) = self.servers.iter().position(|(t, _)| *t == target) {
            let (_, s) = self.servers.remove(i);
            s.shutdown()
                .await
                .unwrap_or_else(|e| panic!("{} stops: {e:#}", target.as_str()));
        }
    }

    pub async fn stop_health(&mut self) {
        self.stop_target(Target::Health).await;
    }

    pub async fn stop(mut self) {
        for target in BEHIND.iter().rev() {
            self.stop_target(*target).await;
        }
    }
}

async fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind")
}

pub async fn start_split(backend: Backend) -> Option<(TestApp, Targets)> {
    start_split_with(backend, |_| {}).await
}

/// [`start_split`] with every target's configuration tuned alike.
pub async fn start_split_with(
    backend: Backend,
    tune: impl Fn(&mut HealthSyncConfig),
) -> Option<(TestApp, Targets)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new(Utc::now());
    let provider = OidcProvider::start(clock.clone()).await;
    let mut base = test_config(backend, &provider, dir.path()).await?;
    tune(&mut base);
    tripgen_platform::telemetry::init_logging(&base.log);
    let _ = tripgen_platform::telemetry::metrics_handle();
    let mut listeners = Vec::new();
    for target in BEHIND.into_iter().chain([Target::Gateway]) {
        listeners.push((target, listener().await));
    }
    let url_of = |target: Target| {
        listeners
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, l)| format!("http://{}", l.local_addr().expect("addr")))
    };
    let upstreams = Upstreams {
        user: url_of(Target::User),
        health: url_of(Target::Health),
        goal: url_of(Target::Goal),
        intelligence: url_of(Target::Intelligence),
    };
    let batch_base = url_of(Target::Batch).unwrap_or_default();
    // One after the other: each migrates the shared database on the embedded default.
    let mut servers = Vec::new();
    let mut gateway = None;
    for (target, l) in listeners {
        let mut c = base.clone();
        c.target = target;
        let options = ServeOptions {
            upstreams: upstreams.clone(),
            dev_issuer: false,
        };
        let app = healthsync::app::build_with(c, Arc::new(clock.clone()), options)
            .await
            .unwrap_or_else(|e| panic!("{} target builds: {e:#}", target.as_str()));
        let platform = app.platform.clone();
        let server = healthsync::server::start_on(app, l)
            .await
            .expect("server starts");
        if target == Target::Gateway {
            gateway = Some((server, platform));
        } else {
            servers.push((target, server));
        }
    }
    let (gateway, gateway_platform) = gateway.expect("gateway");
    let app = TestApp {
        api: Api::new(format!("http://{}", gateway.addr), super::client()),
        clock,
        provider,
        app: None,
        platform: gateway_platform,
        config: base,
        metrics_base: gateway.metrics_addr.map(|a| format!("http://{a}")),
        server: Some(gateway),
        _dir: dir,
    };
    let targets = Targets {
        user_base: upstreams.user.clone().unwrap_or_default(),
        health_base: upstreams.health.clone().unwrap_or_default(),
        goal_base: upstreams.goal.clone().unwrap_or_default(),
        intelligence_base: upstreams.intelligence.clone().unwrap_or_default(),
        batch_base,
        servers,
    };
    Some((app, targets))
}
