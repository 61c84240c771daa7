//! `batch bench --over-http`: the `user` and `goal` targets served in this process on
//! loopback ports over the benchmark's database, and the split `batch` target's source
//! (`HttpBatchSource`) reading them page by page, exactly as deployed but without
//! starting processes.

use std::sync::Arc;

use healthsync_intelligence::batch::ports::BatchSource;
use tripgen_platform::internal::InternalClient;
use tripgen_platform::server::RunningServer;

use crate::adapters::batch_http::HttpBatchSource;
use crate::analytics::AnalyticsBackend;
use crate::config::{HealthSyncConfig, Target};
use crate::topology::{ServeOptions, Upstreams};

pub struct SplitSource {
    pub source: Arc<dyn BatchSource>,
    servers: Vec<RunningServer>,
}

/// Nothing listens here: the bench makes no call that would need it.
const UNUSED: &str = "http://127.0.0.1:9";

impl SplitSource {
    pub async fn start(config: &HealthSyncConfig) -> anyhow::Result<SplitSource> {
        let mut servers = Vec::new();
        let mut urls = Vec::new();
        let mut auth = None;
        for target in [Target::User, Target::Goal] {
            let mut c = config.clone();
            c.target = target;
            c.listen = "127.0.0.1:0".into();
            c.health.import_sample = false;
            c.analytics.backend = AnalyticsBackend::Off;
            let upstreams = Upstreams {
                health: Some(UNUSED.into()),
                intelligence: Some(UNUSED.into()),
                ..Upstreams::default()
            };
            let app = crate::app::build_with(
                c,
                Arc::new(tripgen_platform::SystemClock),
                ServeOptions {
                    upstreams,
                    ..ServeOptions::default()
                },
            )
            .await?;
            auth.get_or_insert_with(|| app.platform.auth.clone());
            let server = crate::server::start(app, "127.0.0.1:0".parse()?).await?;
            urls.push(format!("http://{}", server.addr));
            servers.push(server);
        }
        let (Some(auth), [user, goal]) = (auth, urls.as_slice()) else {
            anyhow::bail!("the user and goal targets did not start");
        };
        let source = Arc::new(HttpBatchSource {
            goal: InternalClient::new("goal", goal, auth.clone())?,
            user: InternalClient::new("user", user, auth)?,
        });
        Ok(SplitSource { source, servers })
    }

    pub async fn stop(self) {
        for s in self.servers {
            let _ = s.shutdown().await;
        }
    }
}
