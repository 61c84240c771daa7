//! The configuration sections every product shares (TOML tables of the same name in each
//! product's file), each with its own validation. Product- and context-specific sections
//! live with their context (e.g. `tripgen_location::config`).

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::ConfigError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal (local runs).
    #[default]
    Pretty,
    /// One JSON object per line (production, log shippers).
    Json,
}

/// `listen`: the address the HTTP server binds.
pub fn validate_listen(listen: &str) -> Result<SocketAddr, ConfigError> {
    listen
        .parse::<SocketAddr>()
        .map_err(|e| ConfigError::new("listen", format!("`{listen}` is not an address: {e}")))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://…` for production; empty = the product's SQLite file in the data dir.
    pub url: Option<String>,
    pub max_connections: u32,
    /// Apply migrations when a server starts (always true for the embedded SQLite store).
    pub migrate_on_start: bool,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: None,
            max_connections: 16,
            migrate_on_start: true,
        }
    }
}

impl DatabaseConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.url
            && !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
        {
            return Err(ConfigError::new(
                "database.url",
                "must start with postgres://, postgresql:// or sqlite:",
            ));
        }
        if self.max_connections == 0 {
            return Err(ConfigError::new("database.max_connections", "must be ≥ 1"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RedisConfig {
    /// `redis://…`; when set, token deny-list, rate limits and caches are shared through Redis.
    pub url: Option<String>,
}

impl RedisConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.url
            && !(url.starts_with("redis://") || url.starts_with("rediss://"))
        {
            return Err(ConfigError::new(
                "redis.url",
                "must start with redis:// or rediss://",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// `tracing` env-filter directive, e.g. `info,tripgen=debug`.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Pretty,
            level: "info".into(),
        }
    }
}

/// The access tokens the platform's authenticator signs and checks (keys of the product's
/// `[auth]` table; the rest of that table belongs to the product's user context).
#[derive(Debug, Clone)]
pub struct TokenConfig {
    /// HMAC key for access tokens (secret). Empty = generated once and kept in the data dir.
    pub jwt_secret: Option<String>,
    pub issuer: String,
    /// Access-token lifetime in minutes.
    pub access_token_minutes: u32,
}

impl TokenConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(secret) = &self.jwt_secret
            && secret.len() < 32
        {
            return Err(ConfigError::new(
                "auth.jwt_secret",
                "must be at least 32 characters",
            ));
        }
        if !(5..=24 * 60).contains(&self.access_token_minutes) {
            return Err(ConfigError::new(
                "auth.access_token_minutes",
                "must be between 5 and 1440",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// 32-byte AES-256-GCM key, base64, for fields encrypted at rest (secret).
    /// Empty = generated once and kept in the data dir.
    pub field_encryption_key: Option<String>,
    /// Trust `X-Forwarded-For` for the client address (only behind a known proxy).
    pub trust_forwarded_for: bool,
    /// `Strict-Transport-Security: max-age=…` on every answer; 0 = not sent. Set it where
    /// every client reaches the service over HTTPS (behind the TLS ingress), so browsers
    /// never try plain HTTP again.
    pub hsts_max_age_secs: u64,
}

impl SecurityConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(key) = &self.field_encryption_key {
            crate::crypto::FieldCipher::from_base64(key)
                .map_err(|e| ConfigError::new("security.field_encryption_key", e.to_string()))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Largest JSON body accepted, bytes.
    pub body_limit_bytes: usize,
    /// Largest upload body, bytes.
    pub upload_limit_bytes: usize,
    pub request_timeout_secs: u64,
    /// Browser origins allowed by CORS; empty = same-origin only.
    pub cors_origins: Vec<String>,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
    /// Address of the internal listener serving `/metrics` (Prometheus), e.g.
    /// `0.0.0.0:9464`; empty = no metrics endpoint. Kept off the public listener so the
    /// gateway and the ingress can never route it.
    pub metrics_listen: Option<String>,
}

impl HttpConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(addr) = &self.metrics_listen {
            addr.parse::<SocketAddr>().map_err(|e| {
                ConfigError::new(
                    "http.metrics_listen",
                    format!("`{addr}` is not an address: {e}"),
                )
            })?;
        }
        Ok(())
    }

    /// The metrics listener's address, when one is configured (validated at load).
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listen.as_deref().and_then(|a| a.parse().ok())
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            body_limit_bytes: 256 * 1024,
            upload_limit_bytes: 5 * 1024 * 1024 + 64 * 1024,
            request_timeout_secs: 30,
            cors_origins: Vec::new(),
            shutdown_grace_secs: 20,
            metrics_listen: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    pub enabled: bool,
    /// Requests per minute for an authenticated user (seed: 100).
    pub per_user_per_minute: u32,
    /// Requests per minute per client IP on unauthenticated requests.
    pub per_ip_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            per_user_per_minute: 100,
            per_ip_per_minute: 120,
        }
    }
}

impl RateLimitConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.per_user_per_minute == 0 || self.per_ip_per_minute == 0 {
            return Err(ConfigError::new("rate_limit", "limits must be ≥ 1"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// Write mail to the log (masked) only.
    Log,
    /// Write each mail as an `.eml` file under `<data_dir>/outbox`.
    #[default]
    File,
    Smtp,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    pub transport: MailTransport,
    pub from: String,
    /// `smtps://user:pass@host:465` or `smtp://host:587` (STARTTLS) — secret.
    pub smtp_url: Option<String>,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: MailTransport::File,
            from: "TripGen <no-reply@tripgen.local>".into(),
            smtp_url: None,
        }
    }
}

impl MailConfig {
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.transport == MailTransport::Smtp && self.smtp_url.is_none() {
            return Err(ConfigError::new(
                "mail.smtp_url",
                "required when mail.transport = smtp",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// Directory for uploaded objects; empty = `<data_dir>/objects`.
    pub local_dir: Option<PathBuf>,
}
