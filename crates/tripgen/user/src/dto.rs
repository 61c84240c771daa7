//! Request and response bodies of the user API (camelCase, PRODUCT.md §5 names).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::password_policy::Strength;

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    pub name: Option<String>,
    pub email: Option<String>,
    /// Korean `010-1234-5678` or E.164 `+821012345678`.
    pub phone: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_confirm: Option<String>,
    pub terms_accepted: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    pub username: Option<String>,
    pub password: Option<String>,
    /// "Keep me signed in": a 30-day instead of a 7-day refresh token.
    #[serde(default)]
    pub remember_me: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access-token lifetime, seconds.
    pub expires_in: i64,
    /// Refresh-token lifetime, seconds.
    pub refresh_expires_in: i64,
    pub user: Profile,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: Option<String>,
}

#[derive(Debug, Serialize, ToSchema, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: uuid::Uuid,
    pub username: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Relative URL of the avatar thumbnail, when one was uploaded.
    pub avatar_url: Option<String>,
    /// `user` or `admin`.
    pub role: String,
    /// A new address awaiting its confirmation code.
    pub pending_email: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProfileRequest {
    pub name: Option<String>,
    pub phone: Option<String>,
    /// A different address starts the e-mail change (a code is sent to it).
    pub email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailChangeRequest {
    pub email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailChangeResponse {
    pub pending_email: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailVerifyRequest {
    /// The 6-digit code sent to the new address.
    pub code: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChangeRequest {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    pub new_password_confirm: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub available: bool,
    pub message: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCheckRequest {
    pub password: Option<String>,
    pub username: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCheck {
    pub strength: Strength,
    pub valid: bool,
    pub errors: Vec<tripgen_platform::FieldError>,
}
