//! TripGen's configuration: the platform's shared sections, the sections each context owns
//! (`[auth]` of the user context, `[location]`, `[ai]`) and the binary's own (`target`,
//! `[gateway]`). Loaded by the platform's layered loader: defaults < optional TOML file <
//! `TRIPGEN_*` environment variables (< command-line flags, applied by `main`); the
//! variable of `a.b` is `TRIPGEN_A__B`, secrets may come from files (`TRIPGEN_<KEY>_FILE`,
//! how Key Vault CSI mounts hand them over).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tripgen_ai::config::AiConfig;
use tripgen_location::config::LocationConfig;
use tripgen_platform::config::{
    self as platform_config, ConfigError, DatabaseConfig, HttpConfig, LogConfig, MailConfig,
    PlatformConfig, Product, RateLimitConfig, RedisConfig, SecurityConfig, Sources, StorageConfig,
    hide, redact_url,
};
use tripgen_platform::jobs::JobsConfig;
use tripgen_user::config::AuthConfig;

/// Which part of TripGen a process runs (`tripgen serve --target`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// gateway + every context + workers in one process
    #[default]
    All,
    Gateway,
    User,
    Trip,
    Ai,
    Location,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::All => "all",
            Target::Gateway => "gateway",
            Target::User => "user",
            Target::Trip => "trip",
            Target::Ai => "ai",
            Target::Location => "location",
        }
    }
}

impl std::str::FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "all" => Ok(Target::All),
            "gateway" => Ok(Target::Gateway),
            "user" => Ok(Target::User),
            "trip" => Ok(Target::Trip),
            "ai" => Ok(Target::Ai),
            "location" => Ok(Target::Location),
            other => Err(format!(
                "unknown target `{other}` (expected all, gateway, user, trip, ai or location)"
            )),
        }
    }
}

/// The whole effective configuration. Field names are the TOML keys; the environment
/// variable of `a.b` is `TRIPGEN_A__B` (double underscore between sections).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server binds (`--listen`, `TRIPGEN_LISTEN`).
    pub listen: String,
    /// Directory for the embedded database, uploads, outgoing mail and generated keys.
    pub data_dir: PathBuf,
    pub target: Target,
    pub database: DatabaseConfig,
    pub redis: RedisConfig,
    pub log: LogConfig,
    /// `[auth]`: the user context's tokens, sessions, lockout and password hashing.
    pub auth: AuthConfig,
    pub security: SecurityConfig,
    pub http: HttpConfig,
    pub rate_limit: RateLimitConfig,
    pub mail: MailConfig,
    pub storage: StorageConfig,
    pub gateway: GatewayConfig,
    /// `[location]`: seed extracts, routing and forecast services.
    pub location: LocationConfig,
    /// `[ai]`: the optional language-model provider of the AI context.
    pub ai: AiConfig,
    /// `[jobs]`: the job queue's delivery (database or Service Bus).
    pub jobs: JobsConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct GatewayConfig {
    /// Base URLs of separately deployed targets, used by `--target gateway`.
    pub user_url: Option<String>,
    pub trip_url: Option<String>,
    pub ai_url: Option<String>,
    pub location_url: Option<String>,
    /// Directory with the built web app; empty = the embedded copy, else `web/dist`.
    pub web_dir: Option<PathBuf>,
    /// An external base map for the web app instead of the built-in one (the tiles
    /// `tripgen import osm` builds, served at `/tiles/`): a raster tile URL template
    /// (`https://…/{z}/{x}/{y}.png`) or a MapLibre style (`https://…/style.json`).
    pub tile_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            target: Target::All,
            database: DatabaseConfig::default(),
            redis: RedisConfig::default(),
            log: LogConfig::default(),
            auth: AuthConfig::default(),
            security: SecurityConfig::default(),
            http: HttpConfig::default(),
            rate_limit: RateLimitConfig::default(),
            mail: MailConfig::default(),
            storage: StorageConfig::default(),
            gateway: GatewayConfig::default(),
            location: LocationConfig::default(),
            ai: AiConfig::default(),
            jobs: JobsConfig::default(),
        }
    }
}

/// Keys whose value may be given as a file path in `TRIPGEN_<KEY>_FILE`.
const SECRET_KEYS: &[&str] = &[
    "auth.jwt_secret",
    "security.field_encryption_key",
    "database.url",
    "redis.url",
    "mail.smtp_url",
    "location.travel.google_api_key",
    "location.weather.open_meteo_api_key",
    "location.weather.openweathermap_api_key",
    "ai.api_key",
    "jobs.servicebus.url",
];

impl Config {
    /// Loads defaults < `file` (if given) < environment. `env` is injectable for tests.
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Config, ConfigError> {
        let config: Config = platform_config::load(&Sources {
            env_prefix: Product::TRIPGEN.env_prefix,
            file,
            env,
            secret_keys: SECRET_KEYS,
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Every section's rules: the platform's shared ones, then each context's own.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.auth.validate()?;
        self.platform().validate()?;
        self.gateway.validate()?;
        self.location.validate()?;
        self.ai.validate()
    }

    /// The platform's part: what it needs to build this process's shared resources.
    pub fn platform(&self) -> PlatformConfig {
        PlatformConfig {
            product: Product::TRIPGEN,
            listen: self.listen.clone(),
            data_dir: self.data_dir.clone(),
            database: self.database.clone(),
            redis: self.redis.clone(),
            log: self.log.clone(),
            tokens: self.auth.tokens(),
            security: self.security.clone(),
            http: self.http.clone(),
            rate_limit: self.rate_limit.clone(),
            mail: self.mail.clone(),
            storage: self.storage.clone(),
            jobs: self.jobs.clone(),
        }
    }

    pub fn listen_addr(&self) -> SocketAddr {
        // validate() guarantees this parses; fall back to the default rather than panic.
        self.listen
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    /// The configuration as TOML with every secret replaced by `***`.
    pub fn redacted_toml(&self) -> String {
        let mut c = self.clone();
        hide(&mut c.auth.jwt_secret);
        hide(&mut c.security.field_encryption_key);
        hide(&mut c.mail.smtp_url);
        hide(&mut c.location.travel.google_api_key);
        hide(&mut c.location.weather.open_meteo_api_key);
        hide(&mut c.location.weather.openweathermap_api_key);
        hide(&mut c.ai.api_key);
        c.database.url = c.database.url.as_deref().map(redact_url);
        c.redis.url = c.redis.url.as_deref().map(redact_url);
        c.jobs.servicebus.url = c.jobs.servicebus.url.as_deref().map(redact_url);
        toml::to_string_pretty(&c).unwrap_or_else(|e| format!("# cannot render: {e}"))
    }
}

impl GatewayConfig {
    /// Rules of `[gateway]`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for (key, url) in [
            ("gateway.user_url", &self.user_url),
            ("gateway.trip_url", &self.trip_url),
            ("gateway.ai_url", &self.ai_url),
            ("gateway.location_url", &self.location_url),
        ] {
            if let Some(u) = url
                && !u.starts_with("http://")
            {
                return Err(ConfigError::new(
                    key,
                    "must be an http:// URL (TLS ends at the ingress)",
                ));
            }
        }
        if let Some(u) = self.tile_url.as_deref().map(str::trim)
            && !u.is_empty()
            && !((u.starts_with("https://") || u.starts_with("http://"))
                && (["{z}", "{x}", "{y}"].iter().all(|p| u.contains(p))
                    || u.split(['?', '#'])
                        .next()
                        .is_some_and(|p| p.ends_with(".json"))))
        {
            return Err(ConfigError::new(
                "gateway.tile_url",
                "must be an http(s) URL template with {z}, {x} and {y}, or of a style ending in .json",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use tripgen_ai::config::AiProviderKind;
    use tripgen_location::config::{TravelProviderKind, WeatherProviderKind};

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_valid() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.target, Target::All);
    }

    #[test]
    fn env_overrides_file_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\n[auth]\naccess_token_minutes = 20\n",
        )
        .unwrap();
        let c = Config::load(
            Some(&file),
            &env(&[
                ("TRIPGEN_AUTH__ACCESS_TOKEN_MINUTES", "45"),
                ("TRIPGEN_RATE_LIMIT__ENABLED", "false"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.auth.access_token_minutes, 45);
        assert!(!c.rate_limit.enabled);
    }

    #[test]
    fn invalid_values_name_the_key() {
        let e = Config::load(None, &env(&[("TRIPGEN_LISTEN", "nowhere")])).unwrap_err();
        assert_eq!(e.key, "listen");
        let e =
            Config::load(None, &env(&[("TRIPGEN_AUTH__ACCESS_TOKEN_MINUTES", "5")])).unwrap_err();
        assert_eq!(e.key, "auth.access_token_minutes");
        let e =
            Config::load(None, &env(&[("TRIPGEN_DATABASE__MAX_CONNECTIONS", "many")])).unwrap_err();
        assert_eq!(e.key, "database.max_connections");
        let e = Config::load(None, &env(&[("TRIPGEN_NOPE", "1")])).unwrap_err();
        assert!(e.reason.contains("nope"), "{e}");
    }

    #[test]
    fn secrets_from_files_and_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("jwt");
        std::fs::write(&f, "0123456789abcdef0123456789abcdef-secret\n").unwrap();
        let c = Config::load(
            None,
            &env(&[
                ("TRIPGEN_AUTH__JWT_SECRET_FILE", f.to_str().unwrap()),
                ("TRIPGEN_DATABASE__URL", "postgres://app:pw@db:5432/tripgen"),
            ]),
        )
        .unwrap();
        assert_eq!(
            c.auth.jwt_secret.as_deref(),
            Some("0123456789abcdef0123456789abcdef-secret")
        );
        let shown = c.redacted_toml();
        assert!(!shown.contains("secret\""), "{shown}");
        assert!(!shown.contains(":pw@"), "{shown}");
        assert!(shown.contains("postgres://app:***@db:5432/tripgen"));
    }

    #[test]
    fn location_providers_default_offline_travel_and_open_meteo() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!(c.location.travel.provider, TravelProviderKind::StraightLine);
        assert_eq!(c.location.weather.provider, WeatherProviderKind::OpenMeteo);
        assert_eq!(c.location.travel.timeout_ms, 5_000);
    }

    #[test]
    fn location_provider_keys_from_env_files_and_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("gkey");
        std::fs::write(&f, "AIza-test-key\n").unwrap();
        let o = dir.path().join("owm");
        std::fs::write(&o, "owm-secret\n").unwrap();
        let c = Config::load(
            None,
            &env(&[
                ("TRIPGEN_LOCATION__TRAVEL__PROVIDER", "google"),
                (
                    "TRIPGEN_LOCATION__TRAVEL__GOOGLE_API_KEY_FILE",
                    f.to_str().unwrap(),
                ),
                ("TRIPGEN_LOCATION__TRAVEL__TIMEOUT_MS", "1500"),
                ("TRIPGEN_LOCATION__WEATHER__PROVIDER", "openweathermap"),
                (
                    "TRIPGEN_LOCATION__WEATHER__OPENWEATHERMAP_API_KEY_FILE",
                    o.to_str().unwrap(),
                ),
            ]),
        )
        .unwrap();
        assert_eq!(c.location.travel.provider, TravelProviderKind::Google);
        assert_eq!(
            c.location.travel.google_api_key.as_deref(),
            Some("AIza-test-key")
        );
        assert_eq!(c.location.travel.timeout_ms, 1500);
        assert_eq!(
            c.location.weather.provider,
            WeatherProviderKind::OpenWeatherMap
        );
        let shown = c.redacted_toml();
        assert!(!shown.contains("AIza-test-key"), "{shown}");
        assert!(!shown.contains("owm-secret"), "{shown}");
        assert!(shown.contains("provider = \"google\""), "{shown}");
    }

    #[test]
    fn location_provider_validation_names_the_key() {
        let e = Config::load(
            None,
            &env(&[("TRIPGEN_LOCATION__TRAVEL__PROVIDER", "google")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "location.travel.google_api_key");
        let e = Config::load(
            None,
            &env(&[("TRIPGEN_LOCATION__TRAVEL__PROVIDER", "osrm")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "location.travel.osrm_url");
        let ok = Config::load(
            None,
            &env(&[
                ("TRIPGEN_LOCATION__TRAVEL__PROVIDER", "osrm"),
                ("TRIPGEN_LOCATION__TRAVEL__OSRM_URL", "http://osrm:5000"),
            ]),
        );
        assert!(ok.is_ok(), "{ok:?}");
        let e = Config::load(
            None,
            &env(&[("TRIPGEN_LOCATION__WEATHER__PROVIDER", "openweathermap")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "location.weather.openweathermap_api_key");
        let e = Config::load(
            None,
            &env(&[("TRIPGEN_LOCATION__WEATHER__OPEN_METEO_URL", "ftp://x")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "location.weather.open_meteo_url");
        let e =
            Config::load(None, &env(&[("TRIPGEN_LOCATION__TRAVEL__TIMEOUT_MS", "5")])).unwrap_err();
        assert_eq!(e.key, "location.travel.timeout_ms");
        let e = Config::load(
            None,
            &env(&[("TRIPGEN_LOCATION__WEATHER__FAILURE_THRESHOLD", "0")]),
        )
        .unwrap_err();
        assert_eq!(e.key, "location.weather.failure_threshold");
        let e = Config::load(
            None,
            &env(&[("TRIPGEN_LOCATION__TRAVEL__PROVIDER", "kakao")]),
        )
        .unwrap_err();
        assert!(e.key.contains("provider"), "{e}");
    }

    #[test]
    fn ai_defaults_to_no_provider() {
        let c = Config::load(None, &[]).unwrap();
        assert_eq!(c.ai.provider, AiProviderKind::None);
        assert_eq!(c.ai.timeout_ms, 8_000);
        assert!(c.ai.model.is_none() && c.ai.api_key.is_none());
    }

    #[test]
    fn ai_key_from_file_and_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("llm");
        std::fs::write(&f, "sk-ant-test-secret\n").unwrap();
        let c = Config::load(
            None,
            &env(&[
                ("TRIPGEN_AI__PROVIDER", "anthropic"),
                ("TRIPGEN_AI__MODEL", "claude-test"),
                ("TRIPGEN_AI__API_KEY_FILE", f.to_str().unwrap()),
                ("TRIPGEN_AI__TIMEOUT_MS", "3000"),
            ]),
        )
        .unwrap();
        assert_eq!(c.ai.provider, AiProviderKind::Anthropic);
        assert_eq!(c.ai.api_key.as_deref(), Some("sk-ant-test-secret"));
        assert_eq!(c.ai.timeout_ms, 3000);
        let shown = c.redacted_toml();
        assert!(!shown.contains("sk-ant-test-secret"), "{shown}");
        assert!(shown.contains("provider = \"anthropic\""), "{shown}");
    }

    #[test]
    fn ai_validation_names_the_key() {
        let key = |pairs: &[(&str, &str)]| Config::load(None, &env(pairs)).unwrap_err().key;
        assert_eq!(key(&[("TRIPGEN_AI__PROVIDER", "openai")]), "ai.model");
        assert_eq!(
            key(&[
                ("TRIPGEN_AI__PROVIDER", "openai"),
                ("TRIPGEN_AI__MODEL", "gpt-4o-mini"),
            ]),
            "ai.api_key"
        );
        assert_eq!(
            key(&[
                ("TRIPGEN_AI__PROVIDER", "anthropic"),
                ("TRIPGEN_AI__MODEL", "claude"),
            ]),
            "ai.api_key"
        );
        assert_eq!(
            key(&[
                ("TRIPGEN_AI__PROVIDER", "openai"),
                ("TRIPGEN_AI__MODEL", "m"),
                ("TRIPGEN_AI__API_KEY", "k"),
                ("TRIPGEN_AI__AZURE_API_VERSION", "2024-10-21"),
            ]),
            "ai.base_url"
        );
        assert_eq!(key(&[("TRIPGEN_AI__BASE_URL", "ftp://x")]), "ai.base_url");
        assert_eq!(key(&[("TRIPGEN_AI__TIMEOUT_MS", "5")]), "ai.timeout_ms");
        assert_eq!(key(&[("TRIPGEN_AI__MAX_TOKENS", "1")]), "ai.max_tokens");
        assert_eq!(
            key(&[("TRIPGEN_AI__FAILURE_THRESHOLD", "0")]),
            "ai.failure_threshold"
        );
        assert!(key(&[("TRIPGEN_AI__PROVIDER", "gemini")]).contains("provider"));
        // A local OpenAI-compatible server needs no key.
        let ok = Config::load(
            None,
            &env(&[
                ("TRIPGEN_AI__PROVIDER", "openai"),
                ("TRIPGEN_AI__MODEL", "llama3.1"),
                ("TRIPGEN_AI__BASE_URL", "http://localhost:11434/v1"),
            ]),
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn servicebus_url_is_redacted() {
        let c = Config::load(
            None,
            &env(&[
                ("TRIPGEN_JOBS__BACKEND", "servicebus"),
                (
                    "TRIPGEN_JOBS__SERVICEBUS__URL",
                    "amqps://tripgen-app:k%2By%3D@sb-x.servicebus.windows.net",
                ),
            ]),
        )
        .unwrap();
        let shown = c.redacted_toml();
        assert!(!shown.contains("k%2By"), "{shown}");
        assert!(shown.contains("amqps://tripgen-app:***@sb-x"), "{shown}");
    }
}
