//! User use cases: OIDC sign-in (HS-USER-010), tokens and sign-out (050), profile (020,
//! 030), occupations (040), settings (060), account deletion (070).

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use tripgen_platform::auth::Authenticator;
use tripgen_platform::clock::{from_millis, to_millis};
use tripgen_platform::crypto::{FieldCipher, random_token, sha256_hex};
use tripgen_platform::error::{ApiError, ApiResult, FieldError};
use tripgen_platform::jobs::event::DomainEvent;
use tripgen_platform::sessions::{RefreshOutcome, SessionStore};
use tripgen_platform::{AuthUser, Db, SharedClock};
use uuid::Uuid;

use crate::domain::occupations::{OCCUPATIONS, occupation};
use crate::domain::profile::{ProfileInput, age_on, validate};
use crate::dto::*;
use crate::oidc::{OidcClient, OidcError, code_challenge};
use crate::repo::{ProfileWrite, UserRepo, UserRow};

pub const EVENT_USER_REGISTERED: &str = "user-registered";
pub const EVENT_USER_DELETED: &str = "user-deleted";
const ATTEMPT_TTL_MINUTES: i64 = 10;

/// Told when sex or birth date changed: the checkup link and derived data must go.
#[async_trait::async_trait]
pub trait ProfileChanged: Send + Sync + 'static {
    async fn relink(&self, user_id: Uuid) -> anyhow::Result<()>;
}

pub struct UserSettings {
    pub admin_emails: Vec<String>,
    pub time_zone: Tz,
}

pub struct UserService {
    pub repo: UserRepo,
    pub sessions: SessionStore,
    pub auth: Arc<Authenticator>,
    pub cipher: FieldCipher,
    pub clock: SharedClock,
    pub oidc: OidcClient,
    pub settings: UserSettings,
    pub profile_changed: Option<Arc<dyn ProfileChanged>>,
}

fn oidc_error(e: OidcError) -> ApiError {
    match e {
        OidcError::Unavailable(detail) => {
            tracing::warn!(%detail, "OIDC provider unavailable");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "OIDC_PROVIDER_UNAVAILABLE",
                "The sign-in provider cannot be reached; try again in a moment.",
            )
        }
        OidcError::TokenInvalid(check) => {
            tracing::warn!(check, "ID token rejected");
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "OIDC_TOKEN_INVALID",
                format!("The sign-in could not be verified (failed check: {check})."),
            )
            .with_extra(serde_json::json!({ "check": check }))
        }
    }
}

fn state_invalid() -> ApiError {
    ApiError::bad_request(
        "OIDC_STATE_INVALID",
        "This sign-in attempt is unknown, already used or expired; start again.",
    )
}

impl UserService {
    pub fn db(&self) -> &Db {
        &self.repo.db
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn today(&self) -> NaiveDate {
        self.now()
            .with_timezone(&self.settings.time_zone)
            .date_naive()
    }

    /// POST /auth/oidc/start.
    pub async fn start(&self, req: StartRequest) -> ApiResult<StartResponse> {
        let next = match req.next.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            None => None,
            Some(n)
                if n.starts_with('/')
                    && !n.starts_with("//")
                    && !n.contains('\\')
                    && n.len() <= 512 =>
            {
                Some(n.to_string())
            }
            Some(_) => {
                return Err(ApiError::field(
                    "next",
                    "INVALID_VALUE",
                    "next must be a path on this site",
                ));
            }
        };
        let now = self.now();
        let state = random_token();
        let nonce = random_token();
        let verifier = random_token();
        let url = self
            .oidc
            .authorization_url(&state, &nonce, &code_challenge(&verifier))
            .await
            .map_err(oidc_error)?;
        let expires = now + Duration::minutes(ATTEMPT_TTL_MINUTES);
        self.repo
            .insert_attempt(
                &sha256_hex(&state),
                &nonce,
                &self.cipher.encrypt(&verifier),
                next.as_deref(),
                now,
                expires,
            )
            .await?;
        Ok(StartResponse {
            authorization_url: url,
            state,
            expires_at: expires,
        })
    }

    /// POST /auth/oidc/callback: returns the answer and the raw refresh token (cookie).
    pub async fn callback(
        &self,
        req: CallbackRequest,
        language: &str,
    ) -> ApiResult<SignInResponse> {
        let code = req.code.as_deref().map(str::trim).unwrap_or("");
        let state = req.state.as_deref().map(str::trim).unwrap_or("");
        let mut errors = Vec::new();
        if code.is_empty() {
            errors.push(FieldError::new("code", "REQUIRED", "code is required"));
        }
        if state.is_empty() {
            errors.push(FieldError::new("state", "REQUIRED", "state is required"));
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let now = self.now();
        let attempt = self
            .repo
            .take_attempt(&sha256_hex(state), now)
            .await?
            .ok_or_else(state_invalid)?;
        let verifier = self
            .cipher
            .decrypt(&attempt.code_verifier_enc)
            .map_err(|e| anyhow::anyhow!("attempt verifier: {e}"))?;
        let id_token = self
            .oidc
            .exchange(code, &verifier)
            .await
            .map_err(oidc_error)?;
        let claims = self
            .oidc
            .verify(&id_token, &attempt.nonce)
            .await
            .map_err(oidc_error)?;
        let email = claims.email.clone().unwrap_or_default();
        if !claims.email_is_verified() || email.is_empty() {
            self.repo
                .audit(None, "sign_in_unverified_email", "", now)
                .await?;
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "EMAIL_NOT_VERIFIED",
                "Your e-mail address is not verified with the sign-in provider.",
            ));
        }
        let issuer = self.oidc.config.issuer.clone();
        let role = if self
            .settings
            .admin_emails
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&email))
        {
            "admin"
        } else {
            "user"
        };
        let existing = self.repo.by_oidc(&issuer, &claims.sub).await?;
        let (user, is_new) = match existing {
            Some(u) => {
                self.repo
                    .touch_login(u.id, &self.cipher.encrypt(&email), role, now)
                    .await?;
                (
                    self.repo.by_id(u.id).await?.ok_or_else(state_invalid)?,
                    false,
                )
            }
            None => {
                let row = UserRow {
                    id: Uuid::now_v7(),
                    oidc_issuer: issuer.clone(),
                    oidc_subject: claims.sub.clone(),
                    email_enc: self.cipher.encrypt(&email),
                    email_verified: true,
                    name_enc: None,
                    birth_date: None,
                    sex: None,
                    occupation_code: None,
                    status: "pending".into(),
                    role: role.into(),
                    language: language.into(),
                    notifications_enabled: true,
                    ai_consent: false,
                    health_consent_at: None,
                    created_at: to_millis(now),
                    last_login_at: to_millis(now),
                    profile_completed_at: None,
                };
                let event = DomainEvent::new(
                    EVENT_USER_REGISTERED,
                    Some(row.id),
                    serde_json::json!({ "language": language }),
                    now,
                );
                let inserted = self.repo.insert(&row, &event).await?;
                if inserted {
                    tripgen_platform::jobs::wake_workers();
                    (row, true)
                } else {
                    // A concurrent first sign-in of the same identity won.
                    let u = self
                        .repo
                        .by_oidc(&issuer, &claims.sub)
                        .await?
                        .ok_or_else(state_invalid)?;
                    (u, false)
                }
            }
        };
        self.repo.audit(Some(user.id), "sign_in", "", now).await?;
        let issued = self.sessions.start(user.id, now).await?;
        let (access, _) = self.auth.issue(user.id, issued.session_id, &user.role)?;
        let profile = self.profile_of(&user, &user.language)?;
        let complete = user.status == "active";
        Ok(SignInResponse {
            access_token: access,
            expires_in: self.auth.access_ttl().num_seconds(),
            refresh_token: issued.token,
            is_new_user: is_new,
            profile_complete: complete,
            next: if complete {
                attempt.next
            } else {
                Some("/profile".into())
            },
            user: profile,
        })
    }

    /// POST /auth/token/refresh: rotation; reuse ends the session.
    pub async fn refresh(&self, token: &str) -> ApiResult<TokenResponse> {
        let invalid = || {
            let mut e = ApiError::unauthorized(
                "The refresh token is invalid or has expired; sign in again.",
            );
            e.code = "REFRESH_TOKEN_INVALID";
            e
        };
        if token.is_empty() {
            return Err(invalid());
        }
        match self.sessions.refresh(token, self.now()).await? {
            RefreshOutcome::Invalid => Err(invalid()),
            RefreshOutcome::Reused { session_id } => {
                self.auth.revoke_session(session_id).await?;
                self.repo
                    .audit(
                        None,
                        "refresh_token_reuse",
                        &session_id.to_string(),
                        self.now(),
                    )
                    .await?;
                let mut e = ApiError::unauthorized(
                    "This refresh token was already used; the session has been ended for safety. Sign in again.",
                );
                e.code = "REFRESH_TOKEN_REUSED";
                Err(e)
            }
            RefreshOutcome::Rotated {
                session_id,
                user_id,
                token,
                ..
            } => {
                let user = self.repo.by_id(user_id).await?.ok_or_else(invalid)?;
                let (access, _) = self.auth.issue(user.id, session_id, &user.role)?;
                Ok(TokenResponse {
                    access_token: access,
                    expires_in: self.auth.access_ttl().num_seconds(),
                    refresh_token: token,
                })
            }
        }
    }

    /// POST /auth/logout: the session ends, its access tokens stop on every replica.
    pub async fn logout(&self, who: &AuthUser) -> ApiResult<()> {
        self.sessions
            .revoke(who.session_id, "logout", self.now())
            .await?;
        self.auth.revoke_session(who.session_id).await?;
        self.repo
            .audit(Some(who.user_id), "logout", "", self.now())
            .await?;
        Ok(())
    }

    pub async fn session(&self, who: &AuthUser) -> ApiResult<SessionInfo> {
        let s = self
            .sessions
            .session(who.session_id)
            .await?
            .ok_or_else(|| ApiError::unauthorized("This session has ended; sign in again."))?;
        Ok(SessionInfo {
            user_id: who.user_id,
            session_id: who.session_id,
            role: who.role.clone(),
            issued_at: from_millis(s.created_at),
            expires_at: from_millis(s.expires_at),
        })
    }

    async fn user(&self, who: &AuthUser) -> ApiResult<UserRow> {
        self.repo
            .by_id(who.user_id)
            .await?
            .ok_or_else(|| ApiError::unauthorized("This account no longer exists."))
    }

    pub fn profile_of(&self, u: &UserRow, language: &str) -> ApiResult<Profile> {
        let decrypt = |v: &str| {
            self.cipher
                .decrypt(v)
                .map_err(|e| ApiError::from(anyhow::anyhow!("stored field: {e}")))
        };
        let birth = u
            .birth_date
            .as_deref()
            .and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok());
        Ok(Profile {
            id: u.id,
            email: decrypt(&u.email_enc)?,
            name: u.name_enc.as_deref().map(decrypt).transpose()?,
            birth_date: u.birth_date.clone(),
            age: birth.map(|b| age_on(b, self.today())),
            sex: u.sex.clone(),
            occupation: u
                .occupation_code
                .as_deref()
                .and_then(occupation)
                .map(|o| OccupationDto {
                    code: o.code.into(),
                    name: o.name(language).into(),
                    tags: o.tags.iter().map(|t| t.to_string()).collect(),
                }),
            status: u.status.clone(),
            role: u.role.clone(),
            language: u.language.clone(),
            notifications_enabled: u.notifications_enabled,
            ai_consent: u.ai_consent,
            registered_at: from_millis(u.created_at),
            last_login_at: from_millis(u.last_login_at),
            profile_completed_at: u.profile_completed_at.map(from_millis),
        })
    }

    pub async fn me(&self, who: &AuthUser, language: &str) -> ApiResult<Profile> {
        let u = self.user(who).await?;
        self.profile_of(&u, language)
    }

    /// PUT /users/me/profile (first completion and later edits).
    pub async fn complete_profile(
        &self,
        who: &AuthUser,
        input: ProfileInput,
        language: &str,
    ) -> ApiResult<Profile> {
        let u = self.user(who).await?;
        let p = validate(&input, self.today()).map_err(ApiError::validation)?;
        let birth = p.birth_date.format("%Y-%m-%d").to_string();
        let relink = u.status == "active"
            && (u.sex.as_deref() != Some(p.sex.as_str())
                || u.birth_date.as_deref() != Some(birth.as_str()));
        self.repo
            .complete_profile(
                u.id,
                &ProfileWrite {
                    name_enc: &self.cipher.encrypt(&p.name),
                    birth_date: &birth,
                    sex: &p.sex,
                    occupation_code: &p.occupation_code,
                    ai_consent: p.ai_consent,
                    now: self.now(),
                },
            )
            .await?;
        if relink && let Some(listener) = &self.profile_changed {
            listener.relink(u.id).await?;
        }
        self.me(who, language).await
    }

    /// PUT /users/me/settings.
    pub async fn update_settings(
        &self,
        who: &AuthUser,
        req: SettingsRequest,
        language: &str,
    ) -> ApiResult<Profile> {
        let u = self.user(who).await?;
        let lang = match req.language.as_deref() {
            None => u.language.clone(),
            Some(l @ ("ko" | "en")) => l.to_string(),
            Some(_) => {
                return Err(ApiError::field(
                    "language",
                    "INVALID_VALUE",
                    "language must be ko or en",
                ));
            }
        };
        self.repo
            .update_settings(
                u.id,
                &lang,
                req.notifications_enabled.unwrap_or(u.notifications_enabled),
                req.ai_consent.unwrap_or(u.ai_consent),
            )
            .await?;
        self.me(who, language).await
    }

    /// DELETE /users/me: the account goes now; every context erases the rest through
    /// `user-deleted`. Live sessions stop at once.
    pub async fn delete(&self, who: &AuthUser) -> ApiResult<()> {
        let u = self.user(who).await?;
        let now = self.now();
        let live = self.sessions.live_sessions(u.id, now).await?;
        let event = DomainEvent::new(EVENT_USER_DELETED, Some(u.id), serde_json::json!({}), now);
        self.repo.delete(u.id, &event).await?;
        tripgen_platform::jobs::wake_workers();
        for s in live {
            self.auth.revoke_session(s).await?;
        }
        self.repo
            .audit(Some(u.id), "account_deleted", "", now)
            .await?;
        Ok(())
    }

    pub fn occupations(&self, language: &str) -> OccupationList {
        OccupationList {
            items: OCCUPATIONS
                .iter()
                .map(|o| OccupationDto {
                    code: o.code.into(),
                    name: o.name(language).into(),
                    tags: o.tags.iter().map(|t| t.to_string()).collect(),
                })
                .collect(),
        }
    }

    /// What the health context needs (its `Profiles` port).
    pub async fn profile_state(&self, user_id: Uuid) -> anyhow::Result<ProfileFacts> {
        let Some(u) = self.repo.by_id(user_id).await? else {
            return Ok(ProfileFacts::Unknown);
        };
        let birth = u
            .birth_date
            .as_deref()
            .and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok());
        match (u.status.as_str(), birth, u.sex.as_deref()) {
            ("active", Some(birth), Some(sex)) => Ok(ProfileFacts::Active {
                issuer: u.oidc_issuer,
                subject: u.oidc_subject,
                sex: sex.to_string(),
                birth_date: birth,
            }),
            _ => {
                let mut missing = Vec::new();
                if u.name_enc.is_none() {
                    missing.push("name".to_string());
                }
                if birth.is_none() {
                    missing.push("birthDate".into());
                }
                if u.sex.is_none() {
                    missing.push("sex".into());
                }
                if u.occupation_code.is_none() {
                    missing.push("occupationCode".into());
                }
                if u.health_consent_at.is_none() {
                    missing.push("healthDataConsent".into());
                }
                Ok(ProfileFacts::Incomplete { missing })
            }
        }
    }
}

/// The user facts other contexts ask for (in-process, or as JSON over `/internal/v1`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ProfileFacts {
    Active {
        issuer: String,
        subject: String,
        sex: String,
        birth_date: NaiveDate,
    },
    Incomplete {
        missing: Vec<String>,
    },
    Unknown,
}
