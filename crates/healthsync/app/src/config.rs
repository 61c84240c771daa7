//! HealthSync's configuration: defaults < TOML file (`--config`) < `HEALTHSYNC_*`
//! environment (`HEALTHSYNC_SECTION__KEY`) < flags, loaded with figment like TripGen's.
//!
//! TEMPORARY: this module exists only until the platform's generic loader lands
//! (`crates/platform/src/config.rs` with the env prefix as a parameter and each context
//! owning its section). Then `HealthSyncConfig::load` becomes a call of that loader with
//! prefix `HEALTHSYNC_`, and the shared sections (`database`, `log`, `auth`'s token keys)
//! come from the platform's types; see docs/healthsync/decisions.md ("Config").

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

pub const ENV_PREFIX: &str = "HEALTHSYNC_";

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
    /// `--data-dir`: embedded database, objects, generated secrets.
    pub data_dir: PathBuf,
    pub target: Target,
    pub app: AppConfig,
    pub database: DatabaseConfig,
    pub redis: tripgen_platform::config::RedisConfig,
    pub log: tripgen_platform::config::LogConfig,
    pub auth: AuthConfig,
    pub security: SecurityConfig,
    pub health: HealthConfig,
}

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
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// 32-byte AES-256-GCM key, base64 (secret); generated into the data dir when empty.
    pub field_encryption_key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    /// Every "day" is a calendar day here (IANA name).
    pub time_zone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://…`; empty = SQLite `healthsync.db` in the data dir.
    pub url: Option<String>,
    pub max_connections: u32,
    pub migrate_on_start: bool,
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
            app: AppConfig {
                time_zone: "Asia/Seoul".into(),
            },
            database: DatabaseConfig {
                url: None,
                max_connections: 8,
                migrate_on_start: true,
            },
            redis: Default::default(),
            log: tripgen_platform::config::LogConfig::default(),
            auth: AuthConfig {
                jwt_secret: None,
                access_token_minutes: 30,
                refresh_token_days: 30,
                session_max_days: 90,
                admin_emails: Vec::new(),
                oidc: Default::default(),
            },
            security: SecurityConfig::default(),
            health: HealthConfig {
                link_dataset: None,
                import_sample: true,
            },
        }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        HealthSyncConfig::default().app
    }
}
impl Default for DatabaseConfig {
    fn default() -> Self {
        HealthSyncConfig::default().database
    }
}
impl Default for AuthConfig {
    fn default() -> Self {
        HealthSyncConfig::default().auth
    }
}
impl Default for HealthConfig {
    fn default() -> Self {
        HealthSyncConfig::default().health
    }
}

/// Secrets that may be given as a file path in `HEALTHSYNC_<KEY>_FILE`.
const SECRET_FILE_KEYS: &[(&str, &str)] = &[
    ("HEALTHSYNC_AUTH__JWT_SECRET_FILE", "auth.jwt_secret"),
    (
        "HEALTHSYNC_SECURITY__FIELD_ENCRYPTION_KEY_FILE",
        "security.field_encryption_key",
    ),
    ("HEALTHSYNC_DATABASE__URL_FILE", "database.url"),
    ("HEALTHSYNC_REDIS__URL_FILE", "redis.url"),
    (
        "HEALTHSYNC_AUTH__OIDC__CLIENT_SECRET_FILE",
        "auth.oidc.client_secret",
    ),
];

/// `HEALTHSYNC_*` variables that are not configuration keys.
const NOT_CONFIG_KEYS: &[&str] = &["HEALTHSYNC_TEST_", "HEALTHSYNC_CONFIG", "HEALTHSYNC_BIN"];

impl HealthSyncConfig {
    /// Loads defaults < `file` < environment (`env` injectable for tests).
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(HealthSyncConfig::default()));
        if let Some(path) = file {
            anyhow::ensure!(
                path.exists(),
                "invalid configuration `config`: file {} does not exist",
                path.display()
            );
            figment = figment.merge(Toml::file_exact(path));
        }
        for (var, key) in SECRET_FILE_KEYS {
            if let Some((_, path)) = env.iter().find(|(k, _)| k == var) {
                let value = std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!(
                        "invalid configuration `{key}`: cannot read {path} ({var}): {e}"
                    )
                })?;
                figment = figment.merge((*key, value.trim().to_string()));
            }
        }
        let mut root = toml::Table::new();
        for (k, v) in env {
            let Some(rest) = k.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            if k.ends_with("_FILE") || NOT_CONFIG_KEYS.iter().any(|p| k.starts_with(p)) {
                continue;
            }
            let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
            insert_path(&mut root, &path, env_value(v));
        }
        figment = figment.merge(Serialized::defaults(root));
        let config: HealthSyncConfig = figment.extract().map_err(|e| {
            let key = e.path.join(".");
            anyhow::anyhow!(
                "invalid configuration `{}`: {}",
                if key.is_empty() { "config".into() } else { key },
                e.kind
            )
        })?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        self.listen.parse::<SocketAddr>().map_err(|e| {
            anyhow::anyhow!(
                "invalid configuration `listen`: `{}` is not an address: {e}",
                self.listen
            )
        })?;
        if let Some(url) = &self.database.url {
            anyhow::ensure!(
                url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite:"),
                "invalid configuration `database.url`: expected postgres://… or sqlite:…"
            );
        }
        self.app.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
            anyhow::anyhow!(
                "invalid configuration `app.time_zone`: `{}` is not an IANA time zone",
                self.app.time_zone
            )
        })?;
        Ok(())
    }

    /// The platform's configuration for this process. TEMPORARY adapter until the platform's
    /// generic loader lands: the platform still reads TripGen's config type, so HealthSync's
    /// sections are copied into it (the SQLite file is named by URL: `healthsync.db`).
    pub fn platform_config(&self) -> tripgen_platform::Config {
        let mut p = tripgen_platform::Config {
            listen: self.listen.clone(),
            data_dir: self.data_dir.clone(),
            ..Default::default()
        };
        p.database.url = Some(self.database.url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("healthsync.db").display()
            )
        }));
        p.database.max_connections = self.database.max_connections;
        p.database.migrate_on_start = self.database.migrate_on_start;
        p.redis = self.redis.clone();
        p.log = self.log.clone();
        p.auth.jwt_secret = self.auth.jwt_secret.clone();
        p.auth.jwt_issuer = "healthsync".into();
        p.auth.access_token_minutes = self.auth.access_token_minutes;
        p.security.field_encryption_key = self.security.field_encryption_key.clone();
        p
    }

    pub fn listen_addr(&self) -> SocketAddr {
        self.listen
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8090)))
    }

    /// The configuration as TOML with secrets hidden.
    pub fn redacted_toml(&self) -> String {
        let mut c = self.clone();
        for secret in [
            &mut c.auth.jwt_secret,
            &mut c.security.field_encryption_key,
            &mut c.auth.oidc.client_secret,
        ] {
            if secret.is_some() {
                *secret = Some("***".into());
            }
        }
        c.redis.url = c
            .redis
            .url
            .as_deref()
            .map(tripgen_platform::config::redact_url);
        c.database.url = c
            .database
            .url
            .as_deref()
            .map(tripgen_platform::config::redact_url);
        toml::to_string_pretty(&c).unwrap_or_else(|e| format!("# cannot render: {e}"))
    }
}

fn insert_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    match path {
        [] => {}
        [last] => {
            table.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = table
                .entry(first.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(t) = entry {
                insert_path(t, rest, value);
            }
        }
    }
}

fn env_value(v: &str) -> toml::Value {
    let t = v.trim();
    if let Ok(b) = t.parse::<bool>() {
        return toml::Value::Boolean(b);
    }
    if let Ok(i) = t.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    if t.starts_with('[')
        && let Ok(mut table) = format!("x = {t}").parse::<toml::Table>()
        && let Some(list @ toml::Value::Array(_)) = table.remove("x")
    {
        return list;
    }
    toml::Value::String(v.to_string())
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
