//! Wire types of the User context (camelCase JSON).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartRequest {
    /// Where the web app goes after sign-in (a path on this site, e.g. `/home`).
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartResponse {
    pub authorization_url: String,
    pub state: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallbackRequest {
    pub code: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    /// Or the `hs_refresh` cookie with header `X-HealthSync-CSRF: 1`.
    pub refresh_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OccupationDto {
    pub code: String,
    pub name: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationList {
    pub items: Vec<OccupationDto>,
}

/// HS-USER-030.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: Uuid,
    pub email: String,
    pub name: Option<String>,
    pub birth_date: Option<String>,
    /// Full years today (in `app.time_zone`).
    pub age: Option<i64>,
    pub sex: Option<String>,
    pub occupation: Option<OccupationDto>,
    /// `pending` until the profile is complete, then `active`.
    pub status: String,
    pub role: String,
    pub language: String,
    pub notifications_enabled: bool,
    pub ai_consent: bool,
    pub registered_at: DateTime<Utc>,
    pub last_login_at: DateTime<Utc>,
    pub profile_completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInResponse {
    pub access_token: String,
    /// Seconds.
    pub expires_in: i64,
    pub refresh_token: String,
    pub is_new_user: bool,
    pub profile_complete: bool,
    /// Where to go next: the `next` of the sign-in start, or `/profile` when incomplete.
    pub next: Option<String>,
    pub user: Profile,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub role: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SettingsRequest {
    /// `ko` or `en`.
    pub language: Option<String>,
    pub notifications_enabled: Option<bool>,
    pub ai_consent: Option<bool>,
}
