//! USER-020 and USER-040: sign-in (with the per-account lockout), token refresh with
//! rotation and reuse detection, sign-out.

use chrono::Duration;
use tripgen_platform::AuthUser;
use tripgen_platform::crypto::{random_token, sha256_hex};
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use uuid::Uuid;

use super::{UserService, invalid_credentials, invalid_refresh, locked, text};
use crate::dto::*;
use crate::repo::{LoginClaim, UserRow, ms};

impl UserService {
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
            self.hasher.verify(password, None).await?;
            self.repo
                .audit(None, "login.unknown_user", ip, "", now)
                .await;
            return Err(invalid_credentials());
        };
        // The lock decision and the password check are one step per account: the attempt
        // is claimed (and counted) before its password is checked, so a burst of parallel
        // guesses gets at most `max_failed_logins` checks, and a right password checked
        // while the account was being locked is still refused.
        let cfg = &self.auth;
        let max = i64::from(cfg.max_failed_logins);
        let lock_until = now + Duration::minutes(i64::from(cfg.lockout_minutes));
        if let LoginClaim::Locked {
            until,
            now: locked_now,
        } = self
            .repo
            .claim_login_attempt(user.id, max, now, lock_until)
            .await?
        {
            let event = if locked_now {
                "account.locked"
            } else {
                "login.locked"
            };
            self.repo.audit(Some(user.id), event, ip, "", now).await;
            return Err(locked(until));
        }
        if !self
            .hasher
            .verify(password, Some(user.password_hash.clone()))
            .await?
        {
            if let Some(until) = self
                .repo
                .lock_if_exhausted(user.id, max, lock_until)
                .await?
            {
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
        if !self.repo.confirm_login(user.id, now).await? {
            self.repo
                .audit(Some(user.id), "login.locked", ip, "", now)
                .await;
            // The lock another attempt set while this password was being checked.
            let until = self
                .repo
                .by_id(user.id)
                .await?
                .and_then(|u| u.locked_until)
                .map_or(lock_until, ms);
            return Err(locked(until));
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
}
