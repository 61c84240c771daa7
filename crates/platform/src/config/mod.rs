//! Configuration, product-neutral: the layered loader ([`loader`]), the sections every
//! product shares ([`sections`]) and [`PlatformConfig`], what the platform itself needs to
//! build a process's shared resources. Each product's binary owns its configuration type
//! (`tripgen::config::Config`, `healthsync::config::HealthSyncConfig`), composed of these
//! shared sections and the sections its contexts own, and hands the platform its part.

pub mod loader;
pub mod sections;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use loader::{ConfigError, Sources, env_var, hide, load, redact_url};
pub use sections::{
    DatabaseConfig, HttpConfig, LogConfig, LogFormat, MailConfig, MailTransport, RateLimitConfig,
    RedisConfig, SecurityConfig, StorageConfig, TokenConfig, validate_listen,
};

use crate::jobs::JobsConfig;

/// Which product a process belongs to: names its embedded database file and its
/// environment variables in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    /// `tripgen`, `healthsync`: the embedded database is `<name>.db` in the data dir.
    pub name: &'static str,
    /// `TRIPGEN_`, `HEALTHSYNC_`.
    pub env_prefix: &'static str,
}

impl Product {
    pub const TRIPGEN: Product = Product {
        name: "tripgen",
        env_prefix: "TRIPGEN_",
    };
    pub const HEALTHSYNC: Product = Product {
        name: "healthsync",
        env_prefix: "HEALTHSYNC_",
    };

    /// The table inside a backup of the embedded store that carries the generated keys.
    pub fn backup_files_table(self) -> String {
        format!("{}_backup_files", self.name)
    }

    /// The environment variable of a dotted key, for messages.
    pub fn env_var(self, key: &str) -> String {
        env_var(self.env_prefix, key)
    }
}

/// What the platform needs to build one process's shared resources ([`crate::Platform`]):
/// storage, cache, tokens, mail, objects, jobs, HTTP limits. Composed by the product's
/// binary from its own configuration (never read from a file directly).
#[derive(Debug, Clone)]
pub struct PlatformConfig {
    pub product: Product,
    /// Address the HTTP server binds.
    pub listen: String,
    /// Directory for the embedded database, uploads, outgoing mail and generated keys.
    pub data_dir: PathBuf,
    pub database: DatabaseConfig,
    pub redis: RedisConfig,
    pub log: LogConfig,
    pub tokens: TokenConfig,
    pub security: SecurityConfig,
    pub http: HttpConfig,
    pub rate_limit: RateLimitConfig,
    pub mail: MailConfig,
    pub storage: StorageConfig,
    pub jobs: JobsConfig,
}

impl PlatformConfig {
    /// The defaults of every shared section for `product` (tests and tools start here).
    pub fn new(product: Product) -> PlatformConfig {
        PlatformConfig {
            product,
            listen: "127.0.0.1:0".into(),
            data_dir: PathBuf::from("./data"),
            database: DatabaseConfig::default(),
            redis: RedisConfig::default(),
            log: LogConfig::default(),
            tokens: TokenConfig {
                jwt_secret: None,
                issuer: product.name.into(),
                access_token_minutes: 30,
            },
            security: SecurityConfig::default(),
            http: HttpConfig::default(),
            rate_limit: RateLimitConfig::default(),
            mail: MailConfig::default(),
            storage: StorageConfig::default(),
            jobs: JobsConfig::default(),
        }
    }

    /// Rules of the shared sections that types alone cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate_listen(&self.listen)?;
        self.database.validate()?;
        self.redis.validate()?;
        self.tokens.validate()?;
        self.security.validate()?;
        self.http.validate()?;
        self.rate_limit.validate()?;
        self.mail.validate()?;
        if let Some((key, problem)) = self.jobs.problem() {
            return Err(ConfigError::new(key, problem));
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> SocketAddr {
        // validate() guarantees this parses; fall back to loopback rather than panic.
        self.listen
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The embedded SQLite database (used when `database.url` is empty).
    pub fn embedded_db_path(&self) -> PathBuf {
        self.data_dir.join(format!("{}.db", self.product.name))
    }

    pub fn objects_dir(&self) -> PathBuf {
        self.storage
            .local_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("objects"))
    }
}
