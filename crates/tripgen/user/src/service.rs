//! Application service of the user context: every use case of USER-010..040.

use crate::config::AuthConfig;
use std::sync::Arc;

use axum::http::StatusCode;
use bytes::Bytes;
use chrono::Duration;
use rand::Rng;
use tripgen_platform::crypto::{random_token, sha256_hex};
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use tripgen_platform::mail::OutgoingMail;
use tripgen_platform::telemetry::mask_name;
use tripgen_platform::{AuthUser, Platform};
use uuid::Uuid;

use crate::avatar::{self, AvatarError};
use crate::domain::password_policy;
use crate::domain::rules;
use crate::dto::*;
use crate::password_hash::Hasher;
use crate::repo::{InsertOutcome, NewUser, UserRepo, UserRow, ms};

const EMAIL_CODE_MINUTES: i64 = 10;
const EMAIL_CODE_MAX_ATTEMPTS: i64 = 5;

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

    // --- USER-010 -------------------------------------------------------------------

    pub async fn register(&self, req: RegisterRequest, ip: Option<&str>) -> ApiResult<Profile> {
        let mut v = Validator::new();
        if let Err((c, m)) = rules::check_name(text(&req.name)) {
            v.add("name", c, m);
        }
        let email = rules::normalize_email(text(&req.email))
            .map_err(|(c, m)| v.add("email", c, m))
            .ok();
        let phone = rules::normalize_phone(text(&req.phone))
            .map_err(|(c, m)| v.add("phone", c, m))
            .ok();
        let username = text(&req.username).trim().to_string();
        if let Err((c, m)) = rules::check_username(&username) {
            v.add("username", c, m);
        }
        let password = text(&req.password).to_string();
        for (c, m) in password_policy::violations(&password) {
            v.add("password", c, m);
        }
        if req.password_confirm.as_deref() != Some(password.as_str()) {
            v.add(
                "passwordConfirm",
                "MISMATCH",
                "The confirmation does not match the password.",
            );
        }
        if req.terms_accepted != Some(true) {
            v.add("termsAccepted", "REQUIRED", "Accept the terms to continue.");
        }
        // Duplicates are reported with the other field errors when we can tell early.
        if !v.has("username") && self.repo.username_exists(&username).await? {
            v.add("username", "TAKEN", "This username is already taken.");
        }
        if let Some(e) = &email
            && self.repo.email_exists(e).await?
        {
            v.add(
                "email",
                "TAKEN",
                "This e-mail address is already registered.",
            );
        }
        // Only duplicates left: that is a conflict (409), not invalid input (422).
        if v.all_have_code("TAKEN") {
            let mut err = ApiError::conflict(
                "ALREADY_EXISTS",
                "An account with these details already exists.",
            );
            err.errors = v.into_errors();
            return Err(err);
        }
        v.finish()?;
        let (Some(email), Some(phone)) = (email, phone) else {
            return Err(ApiError::internal());
        };
        let hash = self.hasher.hash(password).await?;
        let now = self.now();
        let id = Uuid::now_v7();
        let name = text(&req.name).trim().to_string();
        let phone_enc = self.platform.cipher.encrypt(&phone);
        let outcome = self
            .repo
            .insert(NewUser {
                id,
                username: &username,
                name: &name,
                email: &email,
                phone_enc: &phone_enc,
                password_hash: &hash,
                now,
            })
            .await?;
        match outcome {
            InsertOutcome::Inserted => {}
            InsertOutcome::UsernameTaken => {
                return Err(conflict_field(
                    "username",
                    "This username is already taken.",
                ));
            }
            InsertOutcome::EmailTaken => {
                return Err(conflict_field(
                    "email",
                    "This e-mail address is already registered.",
                ));
            }
        }
        self.repo
            .audit(Some(id), "user.registered", ip, "", now)
            .await;
        tracing::info!(user = %mask_name(&username), "account created");
        let row = self.repo.by_id(id).await?.ok_or_else(ApiError::internal)?;
        Ok(self.profile_of(&row, None))
    }

    pub async fn username_availability(&self, username: &str) -> ApiResult<Availability> {
        if let Err((_, m)) = rules::check_username(username) {
            return Ok(Availability {
                available: false,
                message: m.into(),
            });
        }
        let taken = self.repo.username_exists(username).await?;
        Ok(Availability {
            available: !taken,
            message: if taken {
                "This username is already taken."
            } else {
                "This username is available."
            }
            .into(),
        })
    }

    pub async fn email_availability(&self, email: &str) -> ApiResult<Availability> {
        let email = match rules::normalize_email(email) {
            Ok(e) => e,
            Err((_, m)) => {
                return Ok(Availability {
                    available: false,
                    message: m.into(),
                });
            }
        };
        let taken = self.repo.email_exists(&email).await?;
        Ok(Availability {
            available: !taken,
            message: if taken {
                "This e-mail address is already registered."
            } else {
                "This e-mail address is available."
            }
            .into(),
        })
    }

    pub fn password_check(&self, req: &PasswordCheckRequest) -> PasswordCheck {
        let pw = text(&req.password);
        let errors = password_policy::violations(pw)
            .into_iter()
            .map(|(c, m)| tripgen_platform::FieldError::new("password", c, m))
            .collect::<Vec<_>>();
        PasswordCheck {
            strength: password_policy::strength(pw, req.username.as_deref()),
            valid: errors.is_empty(),
            errors,
        }
    }

    // --- USER-020 -------------------------------------------------------------------

    pub async fn login(&self, req: LoginRequest, ip: Option<&str>) -> ApiResult<TokenResponse> {
        let mut v = Validator::new();
        v.check(
            !text(&req.username).is_empty(),
            "username",
            "REQUIRED",
            "Enter your username.",
        );
        v.check(
            !text(&req.password).is_empty(),
            "password",
            "REQUIRED",
            "Enter your password.",
        );
        v.finish()?;
        let username = text(&req.username).trim().to_string();
        let password = text(&req.password).to_string();
        let now = self.now();
        let user = self.repo.by_username(&username).await?;
        let Some(user) = user else {
            // Same work and the same answer as a wrong password.
            self.hasher.verify(password, None).await;
            self.repo
                .audit(None, "login.unknown_user", ip, "", now)
                .await;
            return Err(invalid_credentials());
        };
        if let Some(until) = user.locked_until.map(ms)
            && until > now
        {
            self.repo
                .audit(Some(user.id), "login.locked", ip, "", now)
                .await;
            return Err(locked(until));
        }
        if !self
            .hasher
            .verify(password, Some(user.password_hash.clone()))
            .await
        {
            let cfg = &self.auth;
            let lock_until = now + Duration::minutes(i64::from(cfg.lockout_minutes));
            let locked_now = self
                .repo
                .record_failed_login(user.id, i64::from(cfg.max_failed_logins), lock_until)
                .await?;
            if let Some(until) = locked_now {
                self.repo
                    .audit(Some(user.id), "account.locked", ip, "", now)
                    .await;
                return Err(locked(until));
            }
            self.repo
                .audit(Some(user.id), "login.failed", ip, "", now)
                .await;
            return Err(invalid_credentials());
        }
        if user.failed_logins != 0 || user.locked_until.is_some() {
            self.repo.reset_failed_logins(user.id).await?;
        }
        let tokens = self.start_session(&user, req.remember_me).await?;
        self.repo
            .audit(Some(user.id), "login.succeeded", ip, "", now)
            .await;
        Ok(tokens)
    }

    fn refresh_lifetime(&self, remember: bool) -> Duration {
        let a = &self.auth;
        Duration::days(i64::from(if remember {
            a.remember_me_days
        } else {
            a.refresh_token_days
        }))
    }

    async fn start_session(&self, user: &UserRow, remember: bool) -> ApiResult<TokenResponse> {
        let now = self.now();
        let session_id = Uuid::now_v7();
        let refresh = random_token();
        let lifetime = self.refresh_lifetime(remember);
        self.repo
            .create_session(
                session_id,
                user.id,
                remember,
                &sha256_hex(&refresh),
                now,
                now + lifetime,
            )
            .await?;
        self.tokens(user, session_id, refresh, lifetime)
    }

    fn tokens(
        &self,
        user: &UserRow,
        session_id: Uuid,
        refresh: String,
        lifetime: Duration,
    ) -> ApiResult<TokenResponse> {
        let (access, _exp) = self.platform.auth.issue(user.id, session_id, &user.role)?;
        Ok(TokenResponse {
            access_token: access,
            refresh_token: refresh,
            token_type: "Bearer",
            expires_in: self.platform.auth.access_ttl().num_seconds(),
            refresh_expires_in: lifetime.num_seconds(),
            user: self.profile_of(user, None),
        })
    }

    /// Rotates a refresh token. A token used twice means it leaked: the whole family
    /// (session) is revoked, so both the thief and the user must sign in again.
    pub async fn refresh(&self, req: RefreshRequest, ip: Option<&str>) -> ApiResult<TokenResponse> {
        let token = text(&req.refresh_token);
        if token.is_empty() {
            return Err(ApiError::field(
                "refreshToken",
                "REQUIRED",
                "The refresh token is missing.",
            ));
        }
        let now = self.now();
        let hash = sha256_hex(token);
        let Some(row) = self.repo.find_refresh(&hash).await? else {
            return Err(invalid_refresh());
        };
        if row.used_at.is_some() {
            self.end_session(row.session_id, "refresh_token_reuse")
                .await?;
            self.repo
                .audit(Some(row.user_id), "token.reuse_detected", ip, "", now)
                .await;
            let mut e = ApiError::unauthorized(
                "This refresh token was already used; the session has been ended for safety. Sign in again.",
            );
            e.code = "REFRESH_TOKEN_REUSED";
            return Err(e);
        }
        if row.revoked_at.is_some()
            || ms(row.token_expires_at) <= now
            || ms(row.session_expires_at) <= now
        {
            return Err(invalid_refresh());
        }
        let next = random_token();
        let lifetime = self.refresh_lifetime(row.remember);
        let rotated = self
            .repo
            .rotate_refresh(
                &hash,
                &sha256_hex(&next),
                row.session_id,
                now,
                now + lifetime,
            )
            .await?;
        if !rotated {
            // Lost a race with another use of the same token: treat as reuse.
            self.end_session(row.session_id, "refresh_token_reuse")
                .await?;
            self.repo
                .audit(Some(row.user_id), "token.reuse_detected", ip, "", now)
                .await;
            let mut e =
                ApiError::unauthorized("This refresh token was already used; sign in again.");
            e.code = "REFRESH_TOKEN_REUSED";
            return Err(e);
        }
        let user = self
            .repo
            .by_id(row.user_id)
            .await?
            .ok_or_else(invalid_refresh)?;
        self.tokens(&user, row.session_id, next, lifetime)
    }

    async fn end_session(&self, session_id: Uuid, reason: &str) -> ApiResult<()> {
        self.repo
            .revoke_session(session_id, reason, self.now())
            .await?;
        self.platform.auth.revoke_session(session_id).await?;
        Ok(())
    }

    // --- USER-040 -------------------------------------------------------------------

    pub async fn logout(&self, who: &AuthUser, ip: Option<&str>) -> ApiResult<()> {
        self.end_session(who.session_id, "logout").await?;
        self.repo
            .audit(Some(who.user_id), "logout", ip, "", self.now())
            .await;
        Ok(())
    }

    // --- USER-030 -------------------------------------------------------------------

    async fn current(&self, who: &AuthUser) -> ApiResult<UserRow> {
        self.repo
            .by_id(who.user_id)
            .await?
            .ok_or_else(|| ApiError::unauthorized("This account no longer exists."))
    }

    async fn pending_email(&self, user_id: Uuid) -> ApiResult<Option<String>> {
        let now = self.now();
        Ok(self
            .repo
            .email_change(user_id)
            .await?
            .filter(|c| ms(c.expires_at) > now)
            .map(|c| c.new_email))
    }

    pub async fn profile(&self, who: &AuthUser) -> ApiResult<Profile> {
        let u = self.current(who).await?;
        let pending = self.pending_email(u.id).await?;
        Ok(self.profile_of(&u, pending))
    }

    pub async fn update_profile(
        &self,
        who: &AuthUser,
        req: UpdateProfileRequest,
        ip: Option<&str>,
    ) -> ApiResult<Profile> {
        let u = self.current(who).await?;
        let mut v = Validator::new();
        let name = match &req.name {
            Some(n) => {
                if let Err((c, m)) = rules::check_name(n) {
                    v.add("name", c, m);
                }
                n.trim().to_string()
            }
            None => u.name.clone(),
        };
        let phone_enc = match &req.phone {
            Some(p) => match rules::normalize_phone(p) {
                Ok(p) => self.platform.cipher.encrypt(&p),
                Err((c, m)) => {
                    v.add("phone", c, m);
                    String::new()
                }
            },
            None => u.phone_enc.clone(),
        };
        let new_email = match &req.email {
            Some(e) => match rules::normalize_email(e) {
                Ok(e) if e != u.email => Some(e),
                Ok(_) => None,
                Err((c, m)) => {
                    v.add("email", c, m);
                    None
                }
            },
            None => None,
        };
        v.finish()?;
        if let Some(email) = new_email {
            self.start_email_change(who, EmailChangeRequest { email: Some(email) }, ip)
                .await?;
        }
        self.repo
            .update_profile(u.id, &name, &phone_enc, self.now())
            .await?;
        self.profile(who).await
    }

    pub async fn start_email_change(
        &self,
        who: &AuthUser,
        req: EmailChangeRequest,
        ip: Option<&str>,
    ) -> ApiResult<EmailChangeResponse> {
        let u = self.current(who).await?;
        let email = rules::normalize_email(text(&req.email))
            .map_err(|(c, m)| ApiError::field("email", c, m))?;
        if email == u.email {
            return Err(ApiError::field(
                "email",
                "UNCHANGED",
                "This is already your e-mail address.",
            ));
        }
        if self.repo.email_exists(&email).await? {
            return Err(conflict_field(
                "email",
                "This e-mail address is already registered.",
            ));
        }
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
        let now = self.now();
        let expires = now + Duration::minutes(EMAIL_CODE_MINUTES);
        self.repo
            .put_email_change(u.id, &email, &code_hash(u.id, &code), expires)
            .await?;
        self.platform
            .mailer
            .send(OutgoingMail {
                to: email.clone(),
                subject: "TripGen: confirm your new e-mail address / 이메일 주소 확인".into(),
                body: format!(
                    "Your TripGen confirmation code is {code}. It is valid for {EMAIL_CODE_MINUTES} minutes.\n\
                     TripGen 확인 코드는 {code} 입니다. {EMAIL_CODE_MINUTES}분 동안 유효합니다.\n"
                ),
            })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "confirmation mail not sent");
                ApiError::unavailable("The confirmation e-mail could not be sent; try again.")
            })?;
        self.repo
            .audit(Some(u.id), "email.change_requested", ip, "", now)
            .await;
        Ok(EmailChangeResponse {
            pending_email: email,
            expires_at: expires,
        })
    }

    pub async fn verify_email_change(
        &self,
        who: &AuthUser,
        req: EmailVerifyRequest,
        ip: Option<&str>,
    ) -> ApiResult<Profile> {
        let code = text(&req.code).trim().to_string();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(ApiError::field(
                "code",
                "INVALID_FORMAT",
                "Enter the 6-digit code.",
            ));
        }
        let now = self.now();
        let Some(pending) = self.repo.email_change(who.user_id).await? else {
            return Err(ApiError::field(
                "code",
                "NO_PENDING_CHANGE",
                "Request a new code first.",
            ));
        };
        if ms(pending.expires_at) <= now {
            self.repo.delete_email_change(who.user_id).await?;
            return Err(ApiError::field(
                "code",
                "EXPIRED",
                "The code has expired; request a new one.",
            ));
        }
        if pending.attempts >= EMAIL_CODE_MAX_ATTEMPTS {
            self.repo.delete_email_change(who.user_id).await?;
            return Err(ApiError::field(
                "code",
                "TOO_MANY_ATTEMPTS",
                "Too many wrong codes; request a new one.",
            ));
        }
        if pending.code_hash != code_hash(who.user_id, &code) {
            self.repo.bump_email_attempts(who.user_id).await?;
            return Err(ApiError::field(
                "code",
                "INVALID_CODE",
                "The code is not correct.",
            ));
        }
        if !self
            .repo
            .set_email(who.user_id, &pending.new_email, now)
            .await?
        {
            self.repo.delete_email_change(who.user_id).await?;
            return Err(conflict_field(
                "email",
                "This e-mail address is already registered.",
            ));
        }
        self.repo.delete_email_change(who.user_id).await?;
        self.repo
            .audit(Some(who.user_id), "email.changed", ip, "", now)
            .await;
        self.profile(who).await
    }

    /// Needs the current password; ends every other session of the user.
    pub async fn change_password(
        &self,
        who: &AuthUser,
        req: PasswordChangeRequest,
        ip: Option<&str>,
    ) -> ApiResult<()> {
        let u = self.current(who).await?;
        let mut v = Validator::new();
        let current = text(&req.current_password).to_string();
        v.check(
            !current.is_empty(),
            "currentPassword",
            "REQUIRED",
            "Enter your current password.",
        );
        let new = text(&req.new_password).to_string();
        for (c, m) in password_policy::violations(&new) {
            v.add("newPassword", c, m);
        }
        if req.new_password_confirm.as_deref() != Some(new.as_str()) {
            v.add(
                "newPasswordConfirm",
                "MISMATCH",
                "The confirmation does not match the new password.",
            );
        }
        v.finish()?;
        if !self
            .hasher
            .verify(current, Some(u.password_hash.clone()))
            .await
        {
            self.repo
                .audit(Some(u.id), "password.change_denied", ip, "", self.now())
                .await;
            return Err(ApiError::field(
                "currentPassword",
                "INCORRECT",
                "The current password is not correct.",
            ));
        }
        let hash = self.hasher.hash(new).await?;
        let now = self.now();
        self.repo.set_password(u.id, &hash, now).await?;
        let ended = self
            .repo
            .revoke_other_sessions(u.id, who.session_id, "password_changed", now)
            .await?;
        for sid in ended {
            self.platform.auth.revoke_session(sid).await?;
        }
        self.repo
            .audit(Some(u.id), "password.changed", ip, "", now)
            .await;
        Ok(())
    }

    pub async fn upload_avatar(&self, who: &AuthUser, bytes: Bytes) -> ApiResult<Profile> {
        let u = self.current(who).await?;
        let thumb = tokio::task::spawn_blocking(move || avatar::make_thumbnail(&bytes))
            .await
            .map_err(|e| anyhow::anyhow!("avatar task: {e}"))?
            .map_err(|e| match e {
                AvatarError::TooLarge => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "PAYLOAD_TOO_LARGE",
                    "An avatar is at most 5 MB.",
                ),
                AvatarError::NotAnImage => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_IMAGE",
                    "Upload a JPG or PNG image.",
                ),
                AvatarError::Undecodable => {
                    ApiError::field("file", "UNREADABLE_IMAGE", "The image could not be read.")
                }
            })?;
        let key = format!("avatars/{}/{}.jpg", u.id, Uuid::now_v7());
        self.platform.objects.put(&key, Bytes::from(thumb)).await?;
        if let Some(old) = self.repo.set_avatar(u.id, &key, self.now()).await? {
            let _ = self.platform.objects.delete(&old).await;
        }
        self.profile(who).await
    }

    pub async fn avatar(&self, key: &str) -> ApiResult<Bytes> {
        self.platform
            .objects
            .get(key)
            .await?
            .ok_or_else(|| ApiError::not_found("NOT_FOUND", "No such avatar."))
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
