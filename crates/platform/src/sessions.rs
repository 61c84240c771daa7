//! Sessions and rotating refresh tokens, shared by the products' user contexts.
//!
//! A session is one sign-in: a family of refresh tokens. Tokens are random 256-bit
//! strings stored as SHA-256 hashes; each is used once and replaced (rotation); a used
//! token presented again means it leaked, so the whole session ends (reuse detection).
//! Ending a session also puts it on the [`Authenticator`](crate::auth::Authenticator)'s
//! deny-list, so its access tokens stop at once on every replica.
//!
//! The tables (`sessions (id, user_id, created_at, expires_at, revoked_at, revoked_reason)`,
//! `refresh_tokens (token_hash, session_id, issued_at, expires_at, used_at)`) belong to each
//! product's user context (they reference its `users`); this store only needs those columns.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::clock::{from_millis, to_millis};
use crate::crypto::random_token;
use crate::db::{Db, WritePool};
use crate::with_db;

/// Lifetimes of one product's sessions.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Each refresh token lives this long (rotated on every use).
    pub refresh_ttl: Duration,
    /// A session never outlives this, however often it is refreshed.
    pub session_max: Duration,
}

/// A fresh refresh token (raw, to hand to the client once) and its expiry.
#[derive(Debug, Clone)]
pub struct IssuedRefresh {
    pub session_id: Uuid,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// Rotated: the session continues with the new token.
    Rotated {
        session_id: Uuid,
        user_id: Uuid,
        token: String,
        expires_at: DateTime<Utc>,
    },
    /// Unknown, expired, or its session ended or expired.
    Invalid,
    /// Already used: the session has been revoked (the caller ends its access tokens).
    Reused { session_id: Uuid },
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    session_id: Uuid,
    user_id: Uuid,
    token_expires_at: i64,
    used_at: Option<i64>,
    session_created_at: i64,
    session_expires_at: i64,
    revoked_at: Option<i64>,
}

pub fn hash_token(token: &str) -> String {
    crate::crypto::sha256_hex(token)
}

#[derive(Clone)]
pub struct SessionStore {
    db: Db,
    policy: SessionPolicy,
}

impl SessionStore {
    pub fn new(db: Db, policy: SessionPolicy) -> Self {
        SessionStore { db, policy }
    }

    pub fn policy(&self) -> SessionPolicy {
        self.policy
    }

    /// Starts a session with its first refresh token.
    pub async fn start(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<IssuedRefresh, sqlx::Error> {
        let session_id = Uuid::now_v7();
        let token = random_token();
        let session_end = now + self.policy.session_max;
        let expires = (now + self.policy.refresh_ttl).min(session_end);
        const S: &str =
            "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
        const T: &str = "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) \
                         VALUES ($1, $2, $3, $4)";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(S)
                .bind(session_id)
                .bind(user_id)
                .bind(to_millis(now))
                .bind(to_millis(session_end))
                .execute(&mut *tx)
                .await?;
            sqlx::query(T)
                .bind(hash_token(&token))
                .bind(session_id)
                .bind(to_millis(now))
                .bind(to_millis(expires))
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })?;
        Ok(IssuedRefresh {
            session_id,
            token,
            expires_at: expires,
        })
    }

    /// Rotates a refresh token; a reused token revokes its session.
    pub async fn refresh(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<RefreshOutcome, sqlx::Error> {
        const FIND: &str = "SELECT s.id AS session_id, s.user_id, t.expires_at AS token_expires_at, t.used_at, \
             s.created_at AS session_created_at, s.expires_at AS session_expires_at, s.revoked_at \
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1";
        let hash = hash_token(token);
        let row: Option<TokenRow> = with_db!(&self.db, |pool| sqlx::query_as(FIND)
            .bind(&hash)
            .fetch_optional(pool)
            .await)?;
        let Some(row) = row else {
            return Ok(RefreshOutcome::Invalid);
        };
        if row.used_at.is_some() {
            self.revoke(row.session_id, "refresh_token_reuse", now)
                .await?;
            return Ok(RefreshOutcome::Reused {
                session_id: row.session_id,
            });
        }
        let now_ms = to_millis(now);
        if row.revoked_at.is_some()
            || row.token_expires_at <= now_ms
            || row.session_expires_at <= now_ms
        {
            return Ok(RefreshOutcome::Invalid);
        }
        let session_end = from_millis(row.session_created_at) + self.policy.session_max;
        let expires = (now + self.policy.refresh_ttl).min(session_end);
        let next = random_token();
        const USE: &str =
            "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL";
        const NEW: &str = "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) \
                           VALUES ($1, $2, $3, $4)";
        let rotated = with_db!(&self.db, |pool| async {
            let mut tx = pool.begin_write().await?;
            let used = sqlx::query(USE)
                .bind(&hash)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            if used.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok::<bool, sqlx::Error>(false);
            }
            sqlx::query(NEW)
                .bind(hash_token(&next))
                .bind(row.session_id)
                .bind(now_ms)
                .bind(to_millis(expires))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        }
        .await)?;
        if !rotated {
            // A concurrent use won the race: this presentation is a reuse.
            self.revoke(row.session_id, "refresh_token_reuse", now)
                .await?;
            return Ok(RefreshOutcome::Reused {
                session_id: row.session_id,
            });
        }
        Ok(RefreshOutcome::Rotated {
            session_id: row.session_id,
            user_id: row.user_id,
            token: next,
            expires_at: expires,
        })
    }

    /// Marks a session ended (idempotent). The caller also deny-lists it.
    pub async fn revoke(
        &self,
        session_id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE sessions SET revoked_at = $2, revoked_reason = $3 \
                           WHERE id = $1 AND revoked_at IS NULL";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(session_id)
            .bind(to_millis(now))
            .bind(reason)
            .execute(pool)
            .await
            .map(|_| ()))
    }

    pub async fn session(&self, session_id: Uuid) -> Result<Option<SessionRow>, sqlx::Error> {
        const SQL: &str =
            "SELECT id, user_id, created_at, expires_at, revoked_at FROM sessions WHERE id = $1";
        with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(session_id)
            .fetch_optional(pool)
            .await)
    }

    /// Every live session of a user (to deny-list them when the account goes away).
    pub async fn live_sessions(
        &self,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, sqlx::Error> {
        const SQL: &str =
            "SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2";
        with_db!(&self.db, |pool| sqlx::query_scalar(SQL)
            .bind(user_id)
            .bind(to_millis(now))
            .fetch_all(pool)
            .await)
    }
}
