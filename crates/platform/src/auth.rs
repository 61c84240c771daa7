//! Access tokens (HS256 JWT) and the session deny-list every context checks.
//!
//! An access token names its session (`sid`). Ending a session (logout, password change,
//! refresh-token reuse) puts the session id on the deny-list, so the access token stops
//! working at once on every replica, not only when it expires.

use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::{SharedClock, from_millis, to_millis};
use crate::db::Db;
use crate::error::ApiError;
use crate::with_db;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    /// Session (refresh-token family) the token belongs to.
    pub sid: Uuid,
    pub role: String,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

/// The authenticated caller, as handlers see it.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub role: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is malformed or its signature is invalid")]
    Invalid,
    #[error("the token has expired")]
    Expired,
    #[error("the session has ended")]
    Revoked,
}

/// Where ended sessions are remembered: the database, or Redis (backed by the database) when
/// configured.
#[async_trait]
pub trait DenyList: Send + Sync + 'static {
    async fn revoke(&self, session_id: Uuid, until: DateTime<Utc>) -> anyhow::Result<()>;
    async fn is_revoked(&self, session_id: Uuid, now: DateTime<Utc>) -> anyhow::Result<bool>;
}

pub struct DbDenyList {
    db: Db,
}

impl DbDenyList {
    pub fn new(db: Db) -> Self {
        DbDenyList { db }
    }
}

#[async_trait]
impl DenyList for DbDenyList {
    async fn revoke(&self, session_id: Uuid, until: DateTime<Utc>) -> anyhow::Result<()> {
        const SQL: &str = "INSERT INTO revoked_sessions (session_id, expires_at) VALUES ($1, $2) \
             ON CONFLICT (session_id) DO UPDATE SET expires_at = EXCLUDED.expires_at";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(session_id)
            .bind(to_millis(until))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        // Opportunistic clean-up keeps the table as small as the set of live tokens.
        const PURGE: &str = "DELETE FROM revoked_sessions WHERE expires_at < $1";
        let now = to_millis(Utc::now()) - 86_400_000;
        let _ = with_db!(&self.db, |pool| sqlx::query(PURGE)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()));
        Ok(())
    }

    async fn is_revoked(&self, session_id: Uuid, now: DateTime<Utc>) -> anyhow::Result<bool> {
        const SQL: &str =
            "SELECT expires_at FROM revoked_sessions WHERE session_id = $1 AND expires_at > $2";
        let row: Option<(i64,)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(session_id)
            .bind(to_millis(now))
            .fetch_optional(pool)
            .await)?;
        Ok(row.is_some())
    }
}

/// Redis for sharing and speed, the database as the record (issue 21, "Redis down"): an
/// ended session is written to both, and read from Redis — or from the database while Redis
/// does not answer, so an outage costs a query per request instead of a 503 for every
/// signed-in request, and never lets an ended session through. A revocation Redis missed is
/// replayed into it once it answers again (until then this replica reads it from the
/// database only if Redis fails too: the replay follows the next Redis round trip).
pub struct RedisDenyList {
    conn: redis::aio::ConnectionManager,
    db: DbDenyList,
    missed: std::sync::Mutex<Vec<(Uuid, DateTime<Utc>)>>,
}

/// How long a deny-list read waits for Redis before asking the database.
const REDIS_DENY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(300);

impl RedisDenyList {
    pub fn new(conn: redis::aio::ConnectionManager, db: Db) -> Self {
        RedisDenyList {
            conn,
            db: DbDenyList::new(db),
            missed: Default::default(),
        }
    }
    fn key(session_id: Uuid) -> String {
        format!("auth:revoked-session:{session_id}")
    }

    async fn set(&self, session_id: Uuid, until: DateTime<Utc>) -> anyhow::Result<()> {
        let ttl = (until - Utc::now()).num_seconds().max(1) as u64;
        let mut conn = self.conn.clone();
        let mut cmd = redis::cmd("SET");
        cmd.arg(Self::key(session_id))
            .arg(to_millis(until))
            .arg("EX")
            .arg(ttl);
        let set = cmd.query_async::<()>(&mut conn);
        tokio::time::timeout(REDIS_DENY_TIMEOUT, set)
            .await
            .map_err(|_| anyhow::anyhow!("Redis did not answer in time"))??;
        Ok(())
    }

    fn take_missed(&self) -> Vec<(Uuid, DateTime<Utc>)> {
        std::mem::take(&mut *self.missed.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Writes the revocations Redis missed (Redis answered again).
    async fn replay_missed(&self) {
        for (sid, until) in self.take_missed() {
            if until <= Utc::now() {
                continue;
            }
            if self.set(sid, until).await.is_err() {
                self.missed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((sid, until));
            }
        }
    }
}

#[async_trait]
impl DenyList for RedisDenyList {
    async fn revoke(&self, session_id: Uuid, until: DateTime<Utc>) -> anyhow::Result<()> {
        self.db.revoke(session_id, until).await?;
        if let Err(e) = self.set(session_id, until).await {
            tracing::warn!(error = %e, "deny-list: Redis missed a revocation; replayed when it answers");
            self.missed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((session_id, until));
        }
        Ok(())
    }

    async fn is_revoked(&self, session_id: Uuid, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let mut conn = self.conn.clone();
        let mut cmd = redis::cmd("GET");
        cmd.arg(Self::key(session_id));
        let get = cmd.query_async::<Option<i64>>(&mut conn);
        match tokio::time::timeout(REDIS_DENY_TIMEOUT, get).await {
            Ok(Ok(v)) => {
                let pending = !self
                    .missed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .is_empty();
                if pending {
                    self.replay_missed().await;
                    // This one may be among them: the database decides.
                    return self.db.is_revoked(session_id, now).await;
                }
                // The stored expiry (not only Redis' TTL) decides, so an injected clock is honoured.
                Ok(v.is_some_and(|until| from_millis(until) > now))
            }
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "deny-list: Redis unavailable; reading the database");
                self.db.is_revoked(session_id, now).await
            }
            Err(_) => self.db.is_revoked(session_id, now).await,
        }
    }
}

/// Issues and verifies access tokens.
pub struct Authenticator {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    access_ttl: Duration,
    clock: SharedClock,
    deny_list: Arc<dyn DenyList>,
}

impl Authenticator {
    pub fn new(
        secret: &[u8],
        issuer: &str,
        access_ttl: Duration,
        clock: SharedClock,
        deny_list: Arc<dyn DenyList>,
    ) -> Self {
        Authenticator {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_string(),
            access_ttl,
            clock,
            deny_list,
        }
    }

    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// Now on the clock tokens are issued and checked by (callers caching a token compare
    /// its expiry with this, not the wall clock).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        role: &str,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let now = self.clock.now();
        let exp = now + self.access_ttl;
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            role: role.to_string(),
            iss: self.issuer.clone(),
            iat: now.timestamp(),
            exp: exp.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, exp))
    }

    /// Checks signature, issuer and expiry (against our clock), not the deny-list.
    pub fn decode(&self, token: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[self.issuer.as_str()]);
        // Expiry is checked against the injectable clock below.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "iss", "sub"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?;
        if data.claims.exp <= self.clock.now().timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(data.claims)
    }

    /// Full check: signature, expiry and the deny-list.
    pub async fn verify(&self, token: &str) -> Result<AuthUser, AuthFailure> {
        let claims = self.decode(token).map_err(AuthFailure::Token)?;
        let revoked = self
            .deny_list
            .is_revoked(claims.sid, self.clock.now())
            .await
            .map_err(AuthFailure::Store)?;
        if revoked {
            return Err(AuthFailure::Token(TokenError::Revoked));
        }
        Ok(AuthUser {
            user_id: claims.sub,
            session_id: claims.sid,
            role: claims.role,
            expires_at: from_millis(claims.exp * 1000),
        })
    }

    /// Ends a session for access tokens: remembered as long as any of its tokens can live.
    pub async fn revoke_session(&self, session_id: Uuid) -> anyhow::Result<()> {
        let until = self.clock.now() + self.access_ttl + Duration::minutes(1);
        self.deny_list.revoke(session_id, until).await
    }
}

#[derive(Debug)]
pub enum AuthFailure {
    Token(TokenError),
    Store(anyhow::Error),
}

impl From<AuthFailure> for ApiError {
    fn from(f: AuthFailure) -> Self {
        match f {
            AuthFailure::Token(TokenError::Expired) => {
                let mut e = ApiError::unauthorized("The access token has expired; refresh it.");
                e.code = "TOKEN_EXPIRED";
                e
            }
            AuthFailure::Token(TokenError::Revoked) => {
                let mut e = ApiError::unauthorized("This session has ended; sign in again.");
                e.code = "SESSION_ENDED";
                e
            }
            AuthFailure::Token(TokenError::Invalid) => {
                ApiError::unauthorized("The access token is invalid.")
            }
            AuthFailure::Store(err) => {
                tracing::error!(error = %err, "deny-list unavailable");
                ApiError::unavailable("Cannot verify the session right now; try again.")
            }
        }
    }
}

/// The bearer token of a request, if any.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let auth = parts
            .extensions
            .get::<Arc<Authenticator>>()
            .cloned()
            .ok_or_else(ApiError::internal)?;
        let token = bearer_token(parts)
            .ok_or_else(|| ApiError::unauthorized("Sign in first: a bearer token is required."))?;
        let user = auth.verify(token).await.map_err(ApiError::from)?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}
