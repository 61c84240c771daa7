//! USER-030: the signed-in user's own account — profile, e-mail change with a mailed
//! code, password change, avatar.

use axum::http::StatusCode;
use bytes::Bytes;
use chrono::Duration;
use rand::Rng;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use tripgen_platform::mail::OutgoingMail;
use uuid::Uuid;

use super::{UserService, code_hash, conflict_field, text};
use crate::avatar::{self, AvatarError};
use crate::domain::{password_policy, rules};
use crate::dto::*;
use crate::repo::{UserRow, ms};

const EMAIL_CODE_MINUTES: i64 = 10;
const EMAIL_CODE_MAX_ATTEMPTS: i64 = 5;

impl UserService {
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
            .await?
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
