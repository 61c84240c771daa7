//! HealthSync's configuration: the platform's shared sections (`database`, `redis`, `log`,
//! `security`, `http`, `rate_limit`, `jobs`) and HealthSync's own (`target`, `[app]`,
//! `[auth]`, `[health]`), loaded by the platform's layered loader: defaults < TOML file
//! (`--config`) < `HEALTHSYNC_*` environment (`HEALTHSYNC_SECTION__KEY`) < flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tripgen_platform::config::{
    self as platform_config, ConfigError, DatabaseConfig, HttpConfig, LogConfig, PlatformConfig,
    Product, RateLimitConfig, RedisConfig, SecurityConfig, Sources, TokenConfig, hide, redact_url,
};
use tripgen_platform::jobs::JobsConfig;

pub const ENV_PREFIX: &str = Product::HEALTHSYNC.env_prefix;

/// `serve --target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    #[default]
    All,
    Gateway,
    User,
    Health,
    Goal,
    Intelligence,
    Batch,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::All => "all",
            Target::Gateway => "gateway",
            Target::User => "user",
            Target::Health => "health",
            Target::Goal => "goal",
            Target::Intelligence => "intelligence",
            Target::Batch => "batch",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthSyncConfig {
    /// `--listen`, `HEALTHSYNC_LISTEN`.
    pub listen: String,
    /// `--data-dir`: embedded database (`healthsync.db`), objects, generated secrets.
    pub data_dir: PathBuf,
    pub target: Target,
    pub app: AppConfig,
    pub database: DatabaseConfig,
    pub redis: RedisConfig,
    pub log: LogConfig,
    pub auth: AuthConfig,
    pub security: SecurityConfig,
    pub http: HttpConfig,
    pub rate_limit: RateLimitConfig,
    pub jobs: JobsConfig,
    pub health: HealthConfig,
    /// `[ai]` (spec §7): `provider = "none"` (default) lets the rules answer everything.
    pub ai: healthsync_intelligence::ai::AiSettings,
    /// `[batch]` (spec §8.1): the daily nudge.
    pub batch: BatchConfig,
    /// `[gateway]`: where the other targets of a split deployment answer.
    pub gateway: GatewayConfig,
    /// `[analytics]` (spec §9): the analytics stream (JSON-lines files or Event Hubs).
    pub analytics: crate::analytics::AnalyticsConfig,
}

/// `[gateway]` (`HEALTHSYNC_GATEWAY__USER_URL` …; `serve --user-url/--health-url/--goal-url/
/// --intelligence-url` override): base URLs of the split targets, needed by the targets
/// that call them (see `topology::Upstreams::check`), and
/// the built web app (`HEALTHSYNC_GATEWAY__WEB_DIR`; default `web-healthsync/dist`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatewayConfig {
    pub user_url: Option<String>,
    pub health_url: Option<String>,
    pub goal_url: Option<String>,
    pub intelligence_url: Option<String>,
    pub web_dir: Option<PathBuf>,
}

/// `[auth.dev_issuer]`: the built-in development sign-in provider at `/dev-oidc`
/// (`serve --dev-issuer` sets `enabled`). Refused on PostgreSQL and split targets.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DevIssuerConfig {
    pub enabled: bool,
}

/// `[batch]`: when the daily nudge runs, in `app.time_zone`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchConfig {
    /// Six-field cron (sec min hour day month weekday); only `0 M H * * *` is supported.
    pub cron: String,
    /// A run starting at or after this local time evaluates the run date, else the day before.
    pub same_day_after: String,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            cron: "0 0 9 * * *".into(),
            same_day_after: "18:00".into(),
        }
    }
}

/// `[auth]`: HealthSync's tokens and sessions (sign-in is Google's, so no passwords here).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// HMAC key of access tokens (secret). Empty = generated once into the data dir
    /// (SQLite only; required with PostgreSQL so replicas agree).
    pub jwt_secret: Option<String>,
    /// Access-token lifetime (HS-USER-050: 30 minutes).
    pub access_token_minutes: u32,
    /// Each refresh token lives this long, rotated on every use (30 days).
    pub refresh_token_days: u32,
    /// A session never outlives this (90 days).
    pub session_max_days: u32,
    /// Verified e-mails that get the `admin` role.
    pub admin_emails: Vec<String>,
    /// `[auth.oidc]`: the issuer (Google by default) and this client's registration.
    pub oidc: healthsync_user::oidc::OidcConfig,
    /// `[auth.dev_issuer]`: DEVELOPMENT ONLY sign-in without Google.
    pub dev_issuer: DevIssuerConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    /// Every "day" is a calendar day here (IANA name).
    pub time_zone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthConfig {
    /// The dataset users are linked to (§4.4); empty = `sample`, else the latest year's.
    pub link_dataset: Option<String>,
    /// Import the bundled sample on first start into an empty checkup store.
    pub import_sample: bool,
}

impl Default for HealthSyncConfig {
    fn default() -> Self {
        HealthSyncConfig {
            listen: "127.0.0.1:8090".into(),
            data_dir: PathBuf::from("./healthsync-data"),
            target: Target::All,
            app: AppConfig::default(),
            database: DatabaseConfig {
                max_connections: 8,
                ..DatabaseConfig::default()
            },
            redis: RedisConfig::default(),
            log: LogConfig::default(),
            auth: AuthConfig::default(),
            security: SecurityConfig::default(),
            http: HttpConfig::default(),
            rate_limit: RateLimitConfig::default(),
            jobs: JobsConfig::default(),
            health: HealthConfig::default(),
            ai: Default::default(),
            batch: BatchConfig::default(),
            gateway: GatewayConfig::default(),
            analytics: Default::default(),
        }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            time_zone: "Asia/Seoul".into(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            jwt_secret: None,
            access_token_minutes: 30,
            refresh_token_days: 30,
            session_max_days: 90,
            admin_emails: Vec::new(),
            oidc: Default::default(),
            dev_issuer: DevIssuerConfig::default(),
        }
    }
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            link_dataset: None,
            import_sample: true,
        }
    }
}

/// Secrets that may be given as a file path in `HEALTHSYNC_<KEY>_FILE`.
const SECRET_KEYS: &[&str] = &[
    "auth.jwt_secret",
    "security.field_encryption_key",
    "database.url",
    "redis.url",
    "auth.oidc.client_secret",
    "jobs.servicebus.url",
    "ai.api_key",
    "analytics.eventhub.url",
];

impl HealthSyncConfig {
    /// Loads defaults < `file` < environment (`env` injectable for tests).
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Self, ConfigError> {
        let config: HealthSyncConfig = platform_config::load(&Sources {
            env_prefix: ENV_PREFIX,
            file,
            env,
            secret_keys: SECRET_KEYS,
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The platform's shared rules, then HealthSync's own.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.platform_config().validate()?;
        if self.auth.refresh_token_days == 0
            || self.auth.session_max_days < self.auth.refresh_token_days
        {
            return Err(ConfigError::new(
                "auth.session_max_days",
                "must be ≥ auth.refresh_token_days ≥ 1",
            ));
        }
        if healthsync_intelligence::batch::schedule::daily_time(&self.batch.cron).is_none() {
            return Err(ConfigError::new(
                "batch.cron",
                format!(
                    "`{}` is not a daily schedule `S M H * * *`",
                    self.batch.cron
                ),
            ));
        }
        if healthsync_intelligence::batch::schedule::time_of_day(&self.batch.same_day_after)
            .is_none()
        {
            return Err(ConfigError::new(
                "batch.same_day_after",
                format!("`{}` is not a time HH:MM", self.batch.same_day_after),
            ));
        }
        if self.ai.provider != healthsync_intelligence::ai::Provider::None
            && self.ai.model.as_deref().is_none_or(|m| m.trim().is_empty())
        {
            return Err(ConfigError::new(
                "ai.model",
                "required when ai.provider is set",
            ));
        }
        if let Some((key, problem)) = self.analytics.problem() {
            return Err(ConfigError::new(key, problem));
        }
        self.app.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
            ConfigError::new(
                "app.time_zone",
                format!("`{}` is not an IANA time zone", self.app.time_zone),
            )
        })?;
        Ok(())
    }

    /// The platform's part of this configuration.
    pub fn platform_config(&self) -> PlatformConfig {
        PlatformConfig {
            product: Product::HEALTHSYNC,
            listen: self.listen.clone(),
            data_dir: self.data_dir.clone(),
            database: self.database.clone(),
            redis: self.redis.clone(),
            log: self.log.clone(),
            tokens: TokenConfig {
                jwt_secret: self.auth.jwt_secret.clone(),
                issuer: Product::HEALTHSYNC.name.into(),
                access_token_minutes: self.auth.access_token_minutes,
            },
            security: self.security.clone(),
            http: self.http.clone(),
            rate_limit: self.rate_limit.clone(),
            // HealthSync sends no mail: its nudges are in-app notifications.
            mail: Default::default(),
            storage: Default::default(),
            jobs: self.jobs.clone(),
        }
    }

    pub fn listen_addr(&self) -> SocketAddr {
        self.listen
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8090)))
    }

    /// The configuration as TOML with secrets hidden.
    pub fn redacted_toml(&self) -> String {
        let mut c = self.clone();
        hide(&mut c.auth.jwt_secret);
        hide(&mut c.security.field_encryption_key);
        hide(&mut c.auth.oidc.client_secret);
        hide(&mut c.ai.api_key);
        c.redis.url = c.redis.url.as_deref().map(redact_url);
        c.database.url = c.database.url.as_deref().map(redact_url);
        c.jobs.servicebus.url = c.jobs.servicebus.url.as_deref().map(redact_url);
        c.analytics.eventhub.url = c.analytics.eventhub.url.as_deref().map(redact_url);
        toml::to_string_pretty(&c).unwrap_or_else(|e| format!("# cannot render: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_and_env_overrides() {
        let c = HealthSyncConfig::load(None, &[]).ok();
        assert_eq!(
            c.as_ref().map(|c| c.listen.as_str()),
            Some("127.0.0.1:8090")
        );
        assert_eq!(
            c.map(|c| c.data_dir),
            Some(PathBuf::from("./healthsync-data"))
        );
        let c = HealthSyncConfig::load(
            None,
            &env(&[
                ("HEALTHSYNC_TARGET", "gateway"),
                ("HEALTHSYNC_HEALTH__IMPORT_SAMPLE", "false"),
                ("HEALTHSYNC_TEST_PG_URL", "ignored"),
                ("TRIPGEN_LISTEN", "ignored"),
            ]),
        )
        .ok();
        assert_eq!(c.as_ref().map(|c| c.target), Some(Target::Gateway));
        assert_eq!(c.map(|c| c.health.import_sample), Some(false));
    }

    #[test]
    fn split_upstreams_and_the_dev_issuer_are_configuration_keys() {
        let c = HealthSyncConfig::load(
            None,
            &env(&[
                ("HEALTHSYNC_GATEWAY__USER_URL", "http://user:8091"),
                ("HEALTHSYNC_GATEWAY__HEALTH_URL", "http://health:8092"),
                ("HEALTHSYNC_AUTH__DEV_ISSUER__ENABLED", "true"),
            ]),
        )
        .expect("loads");
        assert_eq!(c.gateway.user_url.as_deref(), Some("http://user:8091"));
        assert_eq!(c.gateway.health_url.as_deref(), Some("http://health:8092"));
        assert!(c.auth.dev_issuer.enabled);
        let d = HealthSyncConfig::load(None, &[]).expect("loads");
        assert!(d.gateway.user_url.is_none() && !d.auth.dev_issuer.enabled);
    }

    #[test]
    fn the_event_hub_producer_needs_a_valid_url_and_hides_it() {
        let e =
            HealthSyncConfig::load(None, &env(&[("HEALTHSYNC_ANALYTICS__BACKEND", "eventhub")]))
                .err();
        assert!(
            e.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("analytics.eventhub.url")
        );
        let e = HealthSyncConfig::load(
            None,
            &env(&[
                ("HEALTHSYNC_ANALYTICS__BACKEND", "eventhub"),
                ("HEALTHSYNC_ANALYTICS__EVENTHUB__URL", "https://nope"),
            ]),
        )
        .err();
        assert!(e.is_some());
        let c = HealthSyncConfig::load(
            None,
            &env(&[
                ("HEALTHSYNC_ANALYTICS__BACKEND", "eventhub"),
                (
                    "HEALTHSYNC_ANALYTICS__EVENTHUB__URL",
                    "amqps://send:s3cr3t%2Bkey@ns.servicebus.windows.net",
                ),
            ]),
        )
        .expect("loads");
        assert_eq!(c.analytics.eventhub.address, "healthsync-analytics");
        assert!(!c.redacted_toml().contains("s3cr3t"));
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = HealthSyncConfig::load(None, &env(&[("HEALTHSYNC_LISTEN", "nope")])).err();
        assert!(
            e.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("`listen`")
        );
        let e =
            HealthSyncConfig::load(None, &env(&[("HEALTHSYNC_APP__TIME_ZONE", "Mars/Base")])).err();
        assert!(
            e.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("app.time_zone")
        );
        let e = HealthSyncConfig::load(None, &env(&[("HEALTHSYNC_BOGUS", "1")])).err();
        assert!(e.is_some());
    }
}
