//! Configuration: defaults < optional TOML file < `TRIPGEN_*` environment variables
//! (< command-line flags, applied by the binary). Secrets may come from files
//! (`TRIPGEN_<KEY>_FILE`), which is how Key Vault CSI mounts hand them over.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal (local runs).
    #[default]
    Pretty,
    /// One JSON object per line (production, log shippers).
    Json,
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
    pub auth: AuthConfig,
    pub security: SecurityConfig,
    pub http: HttpConfig,
    pub rate_limit: RateLimitConfig,
    pub mail: MailConfig,
    pub storage: StorageConfig,
    pub gateway: GatewayConfig,
    pub location: LocationConfig,
    /// `[ai]`: the optional language-model provider of the AI context.
    pub ai: AiConfig,
    /// `[jobs]`: the job queue's delivery (database or Service Bus).
    pub jobs: crate::jobs::JobsConfig,
}

/// `ai.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum AiProviderKind {
    /// No language model: the deterministic request parser and template texts (the
    /// embedded default).
    #[default]
    #[serde(rename = "none")]
    None,
    /// An OpenAI-compatible chat-completions API (OpenAI, Azure OpenAI, vLLM, Ollama,
    /// llama.cpp server …).
    #[serde(rename = "openai")]
    OpenAi,
    /// The Anthropic Messages API.
    #[serde(rename = "anthropic")]
    Anthropic,
}

impl AiProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AiProviderKind::None => "none",
            AiProviderKind::OpenAi => "openai",
            AiProviderKind::Anthropic => "anthropic",
        }
    }

    /// The provider's public endpoint, used when `ai.base_url` is not set.
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            AiProviderKind::None => None,
            AiProviderKind::OpenAi => Some("https://api.openai.com/v1"),
            AiProviderKind::Anthropic => Some("https://api.anthropic.com"),
        }
    }
}

/// `[ai]` — env `TRIPGEN_AI__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiConfig {
    /// `none` (default), `openai` (any OpenAI-compatible chat-completions API) or `anthropic`.
    pub provider: AiProviderKind,
    /// API base URL. `openai`: the part before `/chat/completions`, e.g.
    /// `https://api.openai.com/v1` (default), `http://localhost:11434/v1` (Ollama),
    /// `https://{resource}.openai.azure.com/openai/deployments/{deployment}` (Azure).
    /// `anthropic`: the part before `/v1/messages` (default `https://api.anthropic.com`).
    pub base_url: Option<String>,
    /// Model name (`gpt-4o-mini`, `claude-…`, the model a local server loaded). Required
    /// when a provider is set.
    pub model: Option<String>,
    /// API key (secret; also `TRIPGEN_AI__API_KEY_FILE`). Sent as `Authorization: Bearer`
    /// (OpenAI-compatible), `api-key` (Azure) or `x-api-key` (Anthropic). Required for
    /// `anthropic`, for Azure and for the public OpenAI endpoint; local servers need none.
    pub api_key: Option<String>,
    /// Azure OpenAI: the `api-version` query parameter (e.g. `2024-10-21`); setting it
    /// switches to Azure's `api-key` header.
    pub azure_api_version: Option<String>,
    /// Per-request timeout (connect + answer), milliseconds, 100–120000.
    pub timeout_ms: u64,
    /// Upper bound of the answer's tokens, 16–32000.
    pub max_tokens: u32,
    /// Extra attempts after a timeout, connection error, 429 or 5xx answer (0–3).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit breaker (≥ 1).
    pub failure_threshold: u32,
    /// Seconds an open circuit short-circuits calls before one probe (1–3600).
    pub cooldown_secs: u64,
    /// Jobs (generations, notifications) one process of the `all`/`ai` target runs at
    /// once (1–64).
    pub worker_concurrency: usize,
}

impl Default for AiConfig {
    fn default() -> Self {
        AiConfig {
            provider: AiProviderKind::None,
            base_url: None,
            model: None,
            api_key: None,
            azure_api_version: None,
            timeout_ms: 8_000,
            max_tokens: 1_024,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            worker_concurrency: 4,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationConfig {
    /// Folders of OSM extracts (`.osm.pbf`, GeoJSON) imported at start when the place
    /// catalogue is empty. Relative paths are relative to the working directory.
    pub seed_dirs: Vec<PathBuf>,
    /// `[location.travel]`: which routing service answers travel times.
    pub travel: LocationTravelConfig,
    /// `[location.weather]`: which forecast service answers weather questions.
    pub weather: LocationWeatherConfig,
}

impl Default for LocationConfig {
    fn default() -> Self {
        LocationConfig {
            seed_dirs: vec![PathBuf::from("data/osm")],
            travel: LocationTravelConfig::default(),
            weather: LocationWeatherConfig::default(),
        }
    }
}

/// `location.travel.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TravelProviderKind {
    /// The calibrated in-process model; no network (the embedded default).
    #[default]
    #[serde(rename = "straight-line")]
    StraightLine,
    /// A self-hosted OSRM server (walk and car; transit stays on the straight-line model).
    #[serde(rename = "osrm")]
    Osrm,
    /// Google Routes API v2 (walk, transit, car); needs `google_api_key`.
    #[serde(rename = "google")]
    Google,
}

impl TravelProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TravelProviderKind::StraightLine => "straight-line",
            TravelProviderKind::Osrm => "osrm",
            TravelProviderKind::Google => "google",
        }
    }
}

/// `[location.travel]` — env `TRIPGEN_LOCATION__TRAVEL__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationTravelConfig {
    /// `straight-line` (default), `osrm` or `google`.
    pub provider: TravelProviderKind,
    /// Base URL of the OSRM server, e.g. `http://osrm:5000`; used for every mode unless
    /// `osrm_walk_url` / `osrm_car_url` override it (one `osrm-routed` serves one profile,
    /// so self-hosters often run one server per profile).
    pub osrm_url: Option<String>,
    /// OSRM server for walking (profile `osrm_walk_profile`).
    pub osrm_walk_url: Option<String>,
    /// OSRM server for driving (profile `osrm_car_profile`).
    pub osrm_car_url: Option<String>,
    /// Profile path segment for walking requests (`/table/v1/<profile>/…`), default `foot`.
    pub osrm_walk_profile: String,
    /// Profile path segment for driving requests, default `car`.
    pub osrm_car_profile: String,
    /// The server's `--max-table-size` (osrm-routed default 100): matrices are split into
    /// blocks of at most this many sources and destinations.
    pub osrm_max_table_size: u32,
    /// Google Maps Platform key with the Routes API enabled (secret; also
    /// `TRIPGEN_LOCATION__TRAVEL__GOOGLE_API_KEY_FILE`). Required for `provider = google`.
    pub google_api_key: Option<String>,
    /// Base URL of the Routes API (tests point it at a local fake).
    pub google_base_url: String,
    /// Per-request timeout (connect + response + body), milliseconds, 100–60000.
    pub timeout_ms: u64,
    /// Extra attempts after a timeout, connection error or 5xx answer (0–3).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit breaker (≥ 1).
    pub failure_threshold: u32,
    /// Seconds an open circuit short-circuits calls before one probe is let through (1–3600).
    pub cooldown_secs: u64,
    /// Maximum number of route entries kept in process (L1); Redis holds the rest.
    pub cache_capacity: u64,
}

impl Default for LocationTravelConfig {
    fn default() -> Self {
        LocationTravelConfig {
            provider: TravelProviderKind::StraightLine,
            osrm_url: None,
            osrm_walk_url: None,
            osrm_car_url: None,
            osrm_walk_profile: "foot".into(),
            osrm_car_profile: "car".into(),
            osrm_max_table_size: 100,
            google_api_key: None,
            google_base_url: "https://routes.googleapis.com".into(),
            timeout_ms: 5_000,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            cache_capacity: 100_000,
        }
    }
}

/// `location.weather.provider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum WeatherProviderKind {
    /// No forecast: answers say "forecast unavailable".
    #[serde(rename = "none")]
    None,
    /// Open-Meteo (16 days, European AQI); no key needed for non-commercial use, so a
    /// fresh install is weather-aware out of the box (the default).
    #[default]
    #[serde(rename = "open-meteo")]
    OpenMeteo,
    /// OpenWeatherMap One Call 3.0 (8 days, official alerts, air pollution); needs a key.
    #[serde(rename = "openweathermap")]
    OpenWeatherMap,
}

impl WeatherProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WeatherProviderKind::None => "none",
            WeatherProviderKind::OpenMeteo => "open-meteo",
            WeatherProviderKind::OpenWeatherMap => "openweathermap",
        }
    }
}

/// `[location.weather]` — env `TRIPGEN_LOCATION__WEATHER__<KEY>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocationWeatherConfig {
    /// `open-meteo` (default), `openweathermap` or `none`.
    pub provider: WeatherProviderKind,
    /// Forecast API base URL (commercial plans use `https://customer-api.open-meteo.com`).
    pub open_meteo_url: String,
    /// Air-quality API base URL.
    pub open_meteo_air_quality_url: String,
    /// Commercial Open-Meteo key, sent as `apikey` (secret; also
    /// `TRIPGEN_LOCATION__WEATHER__OPEN_METEO_API_KEY_FILE`). Empty for the free API.
    pub open_meteo_api_key: Option<String>,
    /// OpenWeatherMap base URL (One Call 3.0 and air pollution).
    pub openweathermap_url: String,
    /// OpenWeatherMap `appid` (secret; also
    /// `TRIPGEN_LOCATION__WEATHER__OPENWEATHERMAP_API_KEY_FILE`). Required for that provider.
    pub openweathermap_api_key: Option<String>,
    /// Per-request timeout, milliseconds, 100–60000.
    pub timeout_ms: u64,
    /// Extra attempts after a timeout, connection error or 5xx answer (0–3).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit breaker (≥ 1).
    pub failure_threshold: u32,
    /// Seconds an open circuit short-circuits calls before one probe (1–3600).
    pub cooldown_secs: u64,
    /// Maximum number of (place, day) forecasts kept in process (L1).
    pub cache_capacity: u64,
}

impl Default for LocationWeatherConfig {
    fn default() -> Self {
        LocationWeatherConfig {
            provider: WeatherProviderKind::OpenMeteo,
            open_meteo_url: "https://api.open-meteo.com".into(),
            open_meteo_air_quality_url: "https://air-quality-api.open-meteo.com".into(),
            open_meteo_api_key: None,
            openweathermap_url: "https://api.openweathermap.org".into(),
            openweathermap_api_key: None,
            timeout_ms: 5_000,
            retries: 1,
            failure_threshold: 5,
            cooldown_secs: 30,
            cache_capacity: 20_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://…` for production; empty = SQLite file `tripgen.db` in the data dir.
    pub url: Option<String>,
    pub max_connections: u32,
    /// Apply migrations when a server starts (always true for the embedded SQLite store).
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RedisConfig {
    /// `redis://…`; when set, token deny-list and rate limits are shared through Redis.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// `tracing` env-filter directive, e.g. `info,tripgen=debug`.
    pub level: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// HMAC key for access tokens (secret). Empty = generated once and kept in the data dir.
    pub jwt_secret: Option<String>,
    pub jwt_issuer: String,
    /// Access-token lifetime in minutes (15–60).
    pub access_token_minutes: u32,
    pub refresh_token_days: u32,
    /// Refresh-token lifetime with "keep me signed in".
    pub remember_me_days: u32,
    pub max_failed_logins: u32,
    pub lockout_minutes: u32,
    /// Argon2id cost (OWASP: m=19 MiB, t=2, p=1).
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// 32-byte AES-256-GCM key, base64, for fields encrypted at rest (secret).
    /// Empty = generated once and kept in the data dir.
    pub field_encryption_key: Option<String>,
    /// Trust `X-Forwarded-For` for the client address (only behind a known proxy).
    pub trust_forwarded_for: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Largest JSON body accepted, bytes.
    pub body_limit_bytes: usize,
    /// Largest upload (avatar) body, bytes.
    pub upload_limit_bytes: usize,
    pub request_timeout_secs: u64,
    /// Browser origins allowed by CORS; empty = same-origin only.
    pub cors_origins: Vec<String>,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_grace_secs: u64,
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

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// Directory for uploaded objects; empty = `<data_dir>/objects`.
    pub local_dir: Option<PathBuf>,
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
    /// Map tile URL template for the web app (`https://…/{z}/{x}/{y}.png`); empty = no
    /// tiles, routes drawn on a plain background.
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
            jobs: crate::jobs::JobsConfig::default(),
        }
    }
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

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Pretty,
            level: "info".into(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            jwt_secret: None,
            jwt_issuer: "tripgen".into(),
            access_token_minutes: 30,
            refresh_token_days: 7,
            remember_me_days: 30,
            max_failed_logins: 5,
            lockout_minutes: 30,
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
            argon2_parallelism: 1,
        }
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
        }
    }
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

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            transport: MailTransport::File,
            from: "TripGen <no-reply@tripgen.local>".into(),
            smtp_url: None,
        }
    }
}

/// A configuration that cannot be used, with the key at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration `{key}`: {reason}")]
pub struct ConfigError {
    pub key: String,
    pub reason: String,
}

impl ConfigError {
    fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// Keys whose value may be given as a file path in `TRIPGEN_<KEY>_FILE`.
const SECRET_FILE_KEYS: &[(&str, &str)] = &[
    ("TRIPGEN_AUTH__JWT_SECRET_FILE", "auth.jwt_secret"),
    (
        "TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY_FILE",
        "security.field_encryption_key",
    ),
    ("TRIPGEN_DATABASE__URL_FILE", "database.url"),
    ("TRIPGEN_REDIS__URL_FILE", "redis.url"),
    ("TRIPGEN_MAIL__SMTP_URL_FILE", "mail.smtp_url"),
    (
        "TRIPGEN_LOCATION__TRAVEL__GOOGLE_API_KEY_FILE",
        "location.travel.google_api_key",
    ),
    (
        "TRIPGEN_LOCATION__WEATHER__OPEN_METEO_API_KEY_FILE",
        "location.weather.open_meteo_api_key",
    ),
    (
        "TRIPGEN_LOCATION__WEATHER__OPENWEATHERMAP_API_KEY_FILE",
        "location.weather.openweathermap_api_key",
    ),
    ("TRIPGEN_AI__API_KEY_FILE", "ai.api_key"),
    ("TRIPGEN_JOBS__SERVICEBUS__URL_FILE", "jobs.servicebus.url"),
];

/// `TRIPGEN_*` variables that are not configuration keys (tooling and tests).
const NOT_CONFIG_KEYS: &[&str] = &[
    "TRIPGEN_TEST_",
    "TRIPGEN_CONFIG",
    "TRIPGEN_DATA_ROOT",
    "TRIPGEN_BIN",
    "TRIPGEN_URL",
    // Progress display of CLI commands (`tripgen_platform::progress`).
    "TRIPGEN_PROGRESS",
];

impl Config {
    /// Loads defaults < `file` (if given) < environment. `env` is injectable for tests.
    pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::new(
                    "config",
                    format!("file {} does not exist", path.display()),
                ));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        // Env: TRIPGEN_LISTEN, TRIPGEN_DATABASE__URL … ; *_FILE handled below.
        let pairs: Vec<(String, String)> = env
            .iter()
            .filter(|(k, _)| {
                k.starts_with("TRIPGEN_")
                    && !k.ends_with("_FILE")
                    && !NOT_CONFIG_KEYS.iter().any(|p| k.starts_with(p))
            })
            .cloned()
            .collect();
        figment = figment.merge(env_provider(pairs));
        for (var, key) in SECRET_FILE_KEYS {
            if let Some((_, path)) = env.iter().find(|(k, _)| k == var) {
                let value = std::fs::read_to_string(path).map_err(|e| {
                    ConfigError::new(*key, format!("cannot read secret file {path} ({var}): {e}"))
                })?;
                figment = figment.merge((*key, value.trim().to_string()));
            }
        }
        let config: Config = figment.extract().map_err(|e| {
            let key = e.path.join(".");
            ConfigError::new(
                if key.is_empty() { "config".into() } else { key },
                e.kind.to_string(),
            )
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Rules that types alone cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen.parse::<SocketAddr>().map_err(|e| {
            ConfigError::new(
                "listen",
                format!("`{}` is not an address: {e}", self.listen),
            )
        })?;
        if let Some(url) = &self.database.url
            && !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
        {
            return Err(ConfigError::new(
                "database.url",
                "must start with postgres://, postgresql:// or sqlite:",
            ));
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError::new("database.max_connections", "must be ≥ 1"));
        }
        if let Some(url) = &self.redis.url
            && !(url.starts_with("redis://") || url.starts_with("rediss://"))
        {
            return Err(ConfigError::new(
                "redis.url",
                "must start with redis:// or rediss://",
            ));
        }
        let a = &self.auth;
        if !(15..=60).contains(&a.access_token_minutes) {
            return Err(ConfigError::new(
                "auth.access_token_minutes",
                "must be between 15 and 60",
            ));
        }
        if a.refresh_token_days == 0 || a.remember_me_days < a.refresh_token_days {
            return Err(ConfigError::new(
                "auth.remember_me_days",
                "must be ≥ auth.refresh_token_days ≥ 1",
            ));
        }
        if let Some(secret) = &a.jwt_secret
            && secret.len() < 32
        {
            return Err(ConfigError::new(
                "auth.jwt_secret",
                "must be at least 32 characters",
            ));
        }
        if a.argon2_memory_kib < 8 * a.argon2_parallelism.max(1) || a.argon2_iterations == 0 {
            return Err(ConfigError::new(
                "auth.argon2_memory_kib",
                "argon2 cost too low",
            ));
        }
        if let Some(key) = &self.security.field_encryption_key {
            crate::crypto::FieldCipher::from_base64(key)
                .map_err(|e| ConfigError::new("security.field_encryption_key", e.to_string()))?;
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_url.is_none() {
            return Err(ConfigError::new(
                "mail.smtp_url",
                "required when mail.transport = smtp",
            ));
        }
        for (key, url) in [
            ("gateway.user_url", &self.gateway.user_url),
            ("gateway.trip_url", &self.gateway.trip_url),
            ("gateway.ai_url", &self.gateway.ai_url),
            ("gateway.location_url", &self.gateway.location_url),
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
        if let Some(u) = self.gateway.tile_url.as_deref().map(str::trim)
            && !u.is_empty()
            && !((u.starts_with("https://") || u.starts_with("http://"))
                && ["{z}", "{x}", "{y}"].iter().all(|p| u.contains(p)))
        {
            return Err(ConfigError::new(
                "gateway.tile_url",
                "must be an http(s) URL template with {z}, {x} and {y}",
            ));
        }
        if self.rate_limit.per_user_per_minute == 0 || self.rate_limit.per_ip_per_minute == 0 {
            return Err(ConfigError::new("rate_limit", "limits must be ≥ 1"));
        }
        self.validate_location_providers()?;
        self.validate_ai()?;
        if let Some((key, problem)) = self.jobs.problem() {
            return Err(ConfigError::new(key, problem));
        }
        Ok(())
    }

    fn validate_ai(&self) -> Result<(), ConfigError> {
        let a = &self.ai;
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if let Some(u) = &a.base_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ConfigError::new(
                "ai.base_url",
                "must be an http:// or https:// URL",
            ));
        }
        if !(100..=120_000).contains(&a.timeout_ms) {
            return Err(ConfigError::new(
                "ai.timeout_ms",
                "must be between 100 and 120000",
            ));
        }
        if !(16..=32_000).contains(&a.max_tokens) {
            return Err(ConfigError::new(
                "ai.max_tokens",
                "must be between 16 and 32000",
            ));
        }
        if a.retries > 3 {
            return Err(ConfigError::new("ai.retries", "must be between 0 and 3"));
        }
        if a.failure_threshold == 0 {
            return Err(ConfigError::new("ai.failure_threshold", "must be ≥ 1"));
        }
        if !(1..=3_600).contains(&a.cooldown_secs) {
            return Err(ConfigError::new(
                "ai.cooldown_secs",
                "must be between 1 and 3600",
            ));
        }
        if !(1..=64).contains(&a.worker_concurrency) {
            return Err(ConfigError::new(
                "ai.worker_concurrency",
                "must be between 1 and 64",
            ));
        }
        if a.azure_api_version.is_some() && blank(&a.azure_api_version) {
            return Err(ConfigError::new(
                "ai.azure_api_version",
                "must not be empty when set",
            ));
        }
        if a.provider == AiProviderKind::None {
            return Ok(());
        }
        let provider = a.provider.as_str();
        if blank(&a.model) {
            return Err(ConfigError::new(
                "ai.model",
                format!("required when ai.provider = {provider}"),
            ));
        }
        match a.provider {
            AiProviderKind::Anthropic if a.azure_api_version.is_some() => {
                return Err(ConfigError::new(
                    "ai.azure_api_version",
                    "only for ai.provider = openai (Azure OpenAI)",
                ));
            }
            AiProviderKind::Anthropic if blank(&a.api_key) => {
                return Err(ConfigError::new(
                    "ai.api_key",
                    "required when ai.provider = anthropic",
                ));
            }
            AiProviderKind::OpenAi if a.azure_api_version.is_some() && a.base_url.is_none() => {
                return Err(ConfigError::new(
                    "ai.base_url",
                    "required for Azure OpenAI (…/openai/deployments/{deployment})",
                ));
            }
            AiProviderKind::OpenAi
                if blank(&a.api_key) && (a.base_url.is_none() || a.azure_api_version.is_some()) =>
            {
                return Err(ConfigError::new(
                    "ai.api_key",
                    "required for the public OpenAI endpoint and for Azure OpenAI",
                ));
            }
            _ => {}
        }
        Ok(())
    }

    fn validate_location_providers(&self) -> Result<(), ConfigError> {
        let t = &self.location.travel;
        let w = &self.location.weather;
        for (key, url) in [
            ("location.travel.osrm_url", t.osrm_url.as_deref()),
            ("location.travel.osrm_walk_url", t.osrm_walk_url.as_deref()),
            ("location.travel.osrm_car_url", t.osrm_car_url.as_deref()),
            (
                "location.travel.google_base_url",
                Some(t.google_base_url.as_str()),
            ),
            (
                "location.weather.open_meteo_url",
                Some(w.open_meteo_url.as_str()),
            ),
            (
                "location.weather.open_meteo_air_quality_url",
                Some(w.open_meteo_air_quality_url.as_str()),
            ),
            (
                "location.weather.openweathermap_url",
                Some(w.openweathermap_url.as_str()),
            ),
        ] {
            if let Some(u) = url
                && !(u.starts_with("http://") || u.starts_with("https://"))
            {
                return Err(ConfigError::new(key, "must be an http:// or https:// URL"));
            }
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        match t.provider {
            TravelProviderKind::Osrm
                if t.osrm_url.is_none()
                    && (t.osrm_walk_url.is_none() || t.osrm_car_url.is_none()) =>
            {
                return Err(ConfigError::new(
                    "location.travel.osrm_url",
                    "required when location.travel.provider = osrm \
                     (or set both osrm_walk_url and osrm_car_url)",
                ));
            }
            TravelProviderKind::Google if blank(&t.google_api_key) => {
                return Err(ConfigError::new(
                    "location.travel.google_api_key",
                    "required when location.travel.provider = google",
                ));
            }
            _ => {}
        }
        if t.osrm_walk_profile.trim().is_empty() || t.osrm_car_profile.trim().is_empty() {
            return Err(ConfigError::new(
                "location.travel.osrm_walk_profile",
                "OSRM profiles must not be empty",
            ));
        }
        if t.osrm_max_table_size < 2 {
            return Err(ConfigError::new(
                "location.travel.osrm_max_table_size",
                "must be ≥ 2",
            ));
        }
        if w.provider == WeatherProviderKind::OpenWeatherMap && blank(&w.openweathermap_api_key) {
            return Err(ConfigError::new(
                "location.weather.openweathermap_api_key",
                "required when location.weather.provider = openweathermap",
            ));
        }
        for (section, timeout_ms, retries, threshold, cooldown, capacity) in [
            (
                "location.travel",
                t.timeout_ms,
                t.retries,
                t.failure_threshold,
                t.cooldown_secs,
                t.cache_capacity,
            ),
            (
                "location.weather",
                w.timeout_ms,
                w.retries,
                w.failure_threshold,
                w.cooldown_secs,
                w.cache_capacity,
            ),
        ] {
            if !(100..=60_000).contains(&timeout_ms) {
                return Err(ConfigError::new(
                    format!("{section}.timeout_ms"),
                    "must be between 100 and 60000",
                ));
            }
            if retries > 3 {
                return Err(ConfigError::new(
                    format!("{section}.retries"),
                    "must be between 0 and 3",
                ));
            }
            if threshold == 0 {
                return Err(ConfigError::new(
                    format!("{section}.failure_threshold"),
                    "must be ≥ 1",
                ));
            }
            if !(1..=3_600).contains(&cooldown) {
                return Err(ConfigError::new(
                    format!("{section}.cooldown_secs"),
                    "must be between 1 and 3600",
                ));
            }
            if capacity == 0 {
                return Err(ConfigError::new(
                    format!("{section}.cache_capacity"),
                    "must be ≥ 1",
                ));
            }
        }
        Ok(())
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
        let hide = |v: &mut Option<String>| {
            if v.is_some() {
                *v = Some("***".into());
            }
        };
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

    pub fn objects_dir(&self) -> PathBuf {
        self.storage
            .local_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("objects"))
    }
}

/// `scheme://user:password@host/db` → `scheme://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".into();
    };
    match rest.rsplit_once('@') {
        Some((cred, host)) => {
            let user = cred.split(':').next().unwrap_or("");
            if cred.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_string(),
    }
}

fn env_provider(pairs: Vec<(String, String)>) -> figment::providers::Serialized<toml::Table> {
    // Figment's Env provider reads the process environment; we take an explicit list so
    // tests can inject variables. Build the nested table ourselves: TRIPGEN_A__B=v → a.b=v.
    let mut root = toml::Table::new();
    for (k, v) in pairs {
        let Some(rest) = k.strip_prefix("TRIPGEN_") else {
            continue;
        };
        let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
        insert_path(&mut root, &path, parse_env_value(&v));
    }
    Serialized::defaults(root)
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

/// Environment values are strings; numbers, booleans and `[a, b]` lists are typed so that
/// `TRIPGEN_RATE_LIMIT__ENABLED=false` works like the TOML key.
fn parse_env_value(v: &str) -> toml::Value {
    let trimmed = v.trim();
    if let Ok(b) = trimmed.parse::<bool>() {
        return toml::Value::Boolean(b);
    }
    if let Ok(i) = trimmed.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    if trimmed.starts_with('[')
        && let Ok(toml::Value::Array(a)) = format!("x = {trimmed}")
            .parse::<toml::Table>()
            .map(|mut t| t.remove("x").unwrap_or(toml::Value::Array(vec![])))
    {
        return toml::Value::Array(a);
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
}
