//! Application service of the user context: every use case of USER-010..040, a room per
//! area — `registration` (USER-010), `sessions` (USER-020/040: sign-in, refresh, sign-out,
//! lockout), `account` (USER-030: profile, e-mail, password, avatar). Shared here: the
//! service itself, the profile view and the errors several areas answer.

use std::sync::Arc;

use axum::http::StatusCode;
use tripgen_platform::Platform;
use tripgen_platform::crypto::sha256_hex;
use tripgen_platform::error::ApiError;
use uuid::Uuid;

use crate::config::AuthConfig;
use crate::dto::Profile;
use crate::password_hash::Hasher;
use crate::repo::{UserRepo, UserRow, ms};

mod account;
mod registration;
mod sessions;

pub struct UserService {
    pub platform: Arc<Platform>,
    pub repo: UserRepo,
    hasher: Hasher,
    /// `[auth]`: session lifetimes and lockout.
    auth: AuthConfig,
}

/// Missing text fields become "" so the rules report them as REQUIRED.
fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

impl UserService {
    pub fn new(platform: Arc<Platform>, auth: AuthConfig) -> anyhow::Result<Self> {
        let hasher = Hasher::new(&auth)?;
        Ok(UserService {
            repo: UserRepo::new(platform.db.clone()),
            hasher,
            auth,
            platform,
        })
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.platform.clock.now()
    }

    pub fn profile_of(&self, u: &UserRow, pending_email: Option<String>) -> Profile {
        // A phone that cannot be decrypted (key rotated without re-encryption) is shown
        // empty rather than failing the whole profile.
        let phone = self
            .platform
            .cipher
            .decrypt(&u.phone_enc)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "phone not decryptable");
                String::new()
            });
        Profile {
            id: u.id,
            username: u.username.clone(),
            name: u.name.clone(),
            email: u.email.clone(),
            phone,
            avatar_url: u.avatar_key.as_ref().map(|k| format!("/api/v1/users/{k}")),
            role: u.role.clone(),
            pending_email,
            created_at: ms(u.created_at),
        }
    }
}

/// Codes are stored hashed with the user id as context.
fn code_hash(user_id: Uuid, code: &str) -> String {
    sha256_hex(&format!("{user_id}:{code}"))
}

fn conflict_field(field: &str, message: &str) -> ApiError {
    let mut e = ApiError::conflict("ALREADY_EXISTS", message);
    e.errors = vec![tripgen_platform::FieldError::new(field, "TAKEN", message)];
    e
}

fn invalid_credentials() -> ApiError {
    let mut e = ApiError::unauthorized("The username or password is not correct.");
    e.code = "INVALID_CREDENTIALS";
    e
}

fn invalid_refresh() -> ApiError {
    let mut e =
        ApiError::unauthorized("The refresh token is invalid or has expired; sign in again.");
    e.code = "INVALID_REFRESH_TOKEN";
    e
}

fn locked(until: chrono::DateTime<chrono::Utc>) -> ApiError {
    ApiError::new(
        StatusCode::LOCKED,
        "ACCOUNT_LOCKED",
        format!(
            "Too many failed sign-ins. The account is locked until {}.",
            until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    )
    .with_extra(serde_json::json!({
        "lockedUntil": until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }))
}
