//! `[auth]`: the user context's configuration section (env `TRIPGEN_AUTH__<KEY>`): access
//! tokens (handed to the platform's authenticator), refresh sessions, lockout and the
//! password hash's cost.

use serde::{Deserialize, Serialize};
use tripgen_platform::config::{ConfigError, TokenConfig};

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
    /// Password hashes computed at once (0 = one per CPU core); each holds
    /// `argon2_memory_kib` of memory while it runs.
    pub hash_concurrency: u32,
    /// How long a sign-in waits for a hashing slot before it is answered 503 + `Retry-After`.
    pub hash_queue_ms: u32,
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
            hash_concurrency: 0,
            hash_queue_ms: 5_000,
        }
    }
}

impl AuthConfig {
    /// What the platform's authenticator needs.
    pub fn tokens(&self) -> TokenConfig {
        TokenConfig {
            jwt_secret: self.jwt_secret.clone(),
            issuer: self.jwt_issuer.clone(),
            access_token_minutes: self.access_token_minutes,
        }
    }

    /// Rules of `[auth]` that types alone cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(15..=60).contains(&self.access_token_minutes) {
            return Err(ConfigError::new(
                "auth.access_token_minutes",
                "must be between 15 and 60",
            ));
        }
        if self.refresh_token_days == 0 || self.remember_me_days < self.refresh_token_days {
            return Err(ConfigError::new(
                "auth.remember_me_days",
                "must be ≥ auth.refresh_token_days ≥ 1",
            ));
        }
        if self.argon2_memory_kib < 8 * self.argon2_parallelism.max(1)
            || self.argon2_iterations == 0
        {
            return Err(ConfigError::new(
                "auth.argon2_memory_kib",
                "argon2 cost too low",
            ));
        }
        self.tokens().validate()
    }
}
