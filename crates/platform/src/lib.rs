//! The platform both products are built on (TripGen and HealthSync): configuration,
//! storage, auth tokens, sessions, problem+json, jobs, telemetry, outbound HTTP. Contexts
//! depend on this crate; it depends on none of them and knows no product's domain.

pub mod auth;
pub mod backup;
pub mod cache;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod data_dir_lock;
pub mod db;
pub mod error;
pub mod gateway;
/// The one geographic point type and distance (a leaf crate, so the pure planner can use it).
pub use platform_geo as geo;
pub mod health;
pub mod http;
pub mod i18n;
pub mod internal;
pub mod jobs;
pub mod json_shape;
pub mod lang_ko;
pub mod mail;
pub mod objects;
pub mod openapi;
pub mod outbound;
pub mod progress;
pub mod secrets;
pub mod server;
pub mod sessions;
pub mod telemetry;
pub mod text;

use std::sync::Arc;

use chrono::Duration;

pub use auth::{AuthUser, Authenticator};
pub use clock::{Clock, SharedClock, SystemClock};
pub use config::{PlatformConfig, Product};
pub use db::Db;
pub use error::{ApiError, ApiResult, FieldError, Problem};
pub use http::ApiJson;

/// The shared resources of one process, built once at start and handed to each context.
pub struct Platform {
    pub config: PlatformConfig,
    pub db: Db,
    pub redis: Option<redis::aio::ConnectionManager>,
    pub clock: SharedClock,
    pub auth: Arc<Authenticator>,
    pub mailer: Arc<dyn mail::Mailer>,
    pub objects: objects::ObjectStorage,
    pub cipher: crypto::FieldCipher,
    pub started: health::Started,
    /// Stated by every `/health/ready` answer.
    pub notices: health::Notices,
}

impl Platform {
    /// Connects storage and builds every adapter the configuration selects.
    pub async fn build(config: PlatformConfig, clock: SharedClock) -> anyhow::Result<Platform> {
        let db = Db::connect(&config).await?;
        let redis = match &config.redis.url {
            Some(url) => {
                let client = redis::Client::open(url.as_str())
                    .map_err(|e| anyhow::anyhow!("redis.url: {e}"))?;
                // Fail fast when Redis is away: every user of it falls back (cache → the
                // loader, deny-list → the database, rate limits → open), so a request must
                // not wait out the default reconnect schedule (~13 s of retries).
                let fast = redis::aio::ConnectionManagerConfig::new()
                    .set_number_of_retries(1)
                    .set_max_delay(200)
                    .set_connection_timeout(std::time::Duration::from_millis(500))
                    .set_response_timeout(std::time::Duration::from_millis(500));
                let conn = tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    redis::aio::ConnectionManager::new_with_config(client, fast),
                )
                .await
                .map_err(|_| anyhow::anyhow!("cannot connect to Redis: timed out"))?
                .map_err(|e| anyhow::anyhow!("cannot connect to Redis: {e}"))?;
                Some(conn)
            }
            None => None,
        };
        let secrets = secrets::Secrets::resolve(&config, &db)?;
        let deny_list: Arc<dyn auth::DenyList> = match &redis {
            Some(conn) => Arc::new(auth::RedisDenyList::new(conn.clone(), db.clone())),
            None => Arc::new(auth::DbDenyList::new(db.clone())),
        };
        let auth = Arc::new(Authenticator::new(
            secrets.jwt_secret.as_bytes(),
            &config.tokens.issuer,
            Duration::minutes(i64::from(config.tokens.access_token_minutes)),
            clock.clone(),
            deny_list,
        ));
        let mailer = Arc::new(mail::LettreMailer::from_config(
            &config.mail,
            config.data_dir.join("outbox"),
        )?);
        let objects = objects::ObjectStorage::local(&config.objects_dir())?;
        Ok(Platform {
            db,
            redis,
            clock,
            auth,
            mailer,
            objects,
            cipher: secrets.cipher,
            started: health::Started::default(),
            notices: health::Notices::default(),
            config,
        })
    }

    /// Applies the platform's own migrations.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.db.migrate(&mut db::platform_migrations()).await
    }
}
