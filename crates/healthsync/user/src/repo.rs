//! Storage of users, sign-in attempts and audit events. Sessions and refresh tokens go
//! through the platform's `SessionStore`.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::to_millis;
use tripgen_platform::db::WritePool;
use tripgen_platform::{Db, with_db};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub oidc_issuer: String,
    pub oidc_subject: String,
    pub email_enc: String,
    pub email_verified: bool,
    pub name_enc: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub occupation_code: Option<String>,
    pub status: String,
    pub role: String,
    pub language: String,
    pub notifications_enabled: bool,
    pub ai_consent: bool,
    pub health_consent_at: Option<i64>,
    pub created_at: i64,
    pub last_login_at: i64,
    pub profile_completed_at: Option<i64>,
}

const USER_COLS: &str = "id, oidc_issuer, oidc_subject, email_enc, email_verified, name_enc, birth_date, sex, \
     occupation_code, status, role, language, notifications_enabled, ai_consent, health_consent_at, created_at, \
     last_login_at, profile_completed_at";

/// A stored sign-in attempt, taken once.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub nonce: String,
    pub code_verifier_enc: String,
    pub next: Option<String>,
}

#[derive(Clone)]
pub struct UserRepo {
    pub db: Db,
}

/// The profile fields a completion writes.
pub struct ProfileWrite<'a> {
    pub name_enc: &'a str,
    pub birth_date: &'a str,
    pub sex: &'a str,
    pub occupation_code: &'a str,
    pub ai_consent: bool,
    pub now: DateTime<Utc>,
}

impl UserRepo {
    pub fn new(db: Db) -> Self {
        UserRepo { db }
    }

    pub async fn by_oidc(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<UserRow>, sqlx::Error> {
        let sql =
            format!("SELECT {USER_COLS} FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(issuer)
            .bind(subject)
            .fetch_optional(pool)
            .await)
    }

    pub async fn by_id(&self, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        with_db!(&self.db, |pool| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Inserts a new user and, in the same transaction, the `user-registered` event
    /// (outbox). `false` when (issuer, subject) already exists (a concurrent first sign-in).
    pub async fn insert(
        &self,
        u: &UserRow,
        event: &tripgen_platform::jobs::event::DomainEvent,
    ) -> Result<bool, sqlx::Error> {
        let sql = format!(
            "INSERT INTO users ({USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT (oidc_issuer, oidc_subject) DO NOTHING"
        );
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(&sql)
                .bind(u.id)
                .bind(&u.oidc_issuer)
                .bind(&u.oidc_subject)
                .bind(&u.email_enc)
                .bind(u.email_verified)
                .bind(&u.name_enc)
                .bind(&u.birth_date)
                .bind(&u.sex)
                .bind(&u.occupation_code)
                .bind(&u.status)
                .bind(&u.role)
                .bind(&u.language)
                .bind(u.notifications_enabled)
                .bind(u.ai_consent)
                .bind(u.health_consent_at)
                .bind(u.created_at)
                .bind(u.last_login_at)
                .bind(u.profile_completed_at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if inserted {
                event.write(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(inserted)
        })
    }

    pub async fn touch_login(
        &self,
        id: Uuid,
        email_enc: &str,
        role: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            sqlx::query(
            "UPDATE users SET last_login_at = $2, email_enc = $3, email_verified = TRUE, role = $4 WHERE id = $1"
        )
        .bind(id)
        .bind(to_millis(now))
        .bind(email_enc)
        .bind(role)
        .execute(pool)
        .await
        .map(|_| ())
        })
    }

    pub async fn complete_profile(
        &self,
        id: Uuid,
        p: &ProfileWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        let now = to_millis(p.now);
        with_db!(&self.db, |pool| {
            sqlx::query(
            "UPDATE users SET name_enc = $2, birth_date = $3, sex = $4, occupation_code = $5, ai_consent = $6, \
             status = 'active', health_consent_at = COALESCE(health_consent_at, $7), \
             profile_completed_at = COALESCE(profile_completed_at, $7) WHERE id = $1"
        )
        .bind(id)
        .bind(p.name_enc)
        .bind(p.birth_date)
        .bind(p.sex)
        .bind(p.occupation_code)
        .bind(p.ai_consent)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
        })
    }

    pub async fn update_settings(
        &self,
        id: Uuid,
        language: &str,
        notifications: bool,
        ai_consent: bool,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            sqlx::query(
            "UPDATE users SET language = $2, notifications_enabled = $3, ai_consent = $4 WHERE id = $1"
        )
        .bind(id)
        .bind(language)
        .bind(notifications)
        .bind(ai_consent)
        .execute(pool)
        .await
        .map(|_| ())
        })
    }

    /// Deletes the user (sessions and tokens cascade) and writes `user-deleted` in the same
    /// transaction, so the other contexts erase their data.
    pub async fn delete(
        &self,
        id: Uuid,
        event: &tripgen_platform::jobs::event::DomainEvent,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            event.write(&mut *tx).await?;
            tx.commit().await
        })
    }

    pub async fn insert_attempt(
        &self,
        state_hash: &str,
        nonce: &str,
        verifier_enc: &str,
        next: Option<&str>,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            // Expired attempts are of no use to anyone: drop them as new ones arrive.
            sqlx::query("DELETE FROM oidc_login_attempts WHERE expires_at < $1")
                .bind(to_millis(now) - 3_600_000)
                .execute(pool)
                .await?;
            sqlx::query(
                "INSERT INTO oidc_login_attempts (state_hash, nonce, code_verifier_enc, next, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(state_hash)
            .bind(nonce)
            .bind(verifier_enc)
            .bind(next)
            .bind(to_millis(now))
            .bind(to_millis(expires))
            .execute(pool)
            .await
            .map(|_| ())
        })
    }

    /// Marks the attempt used, atomically; `None` when unknown, used or expired.
    pub async fn take_attempt(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AttemptRow>, sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query_as(
            "UPDATE oidc_login_attempts SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL \
             AND expires_at > $2 RETURNING nonce, code_verifier_enc, next"
        )
        .bind(state_hash)
        .bind(to_millis(now))
        .fetch_optional(pool)
        .await)
    }

    pub async fn audit(
        &self,
        user_id: Option<Uuid>,
        kind: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| sqlx::query(
            "INSERT INTO audit_events (id, user_id, kind, detail, at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(kind)
        .bind(detail)
        .bind(to_millis(now))
        .execute(pool)
        .await
        .map(|_| ()))
    }
}

/// What the daily batch needs of every user (no personal data).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct RecipientRow {
    pub id: Uuid,
    pub status: String,
    pub notifications_enabled: bool,
    pub language: String,
    pub occupation_code: Option<String>,
}

impl UserRepo {
    pub async fn recipients(&self) -> Result<Vec<RecipientRow>, sqlx::Error> {
        let sql = "SELECT id, status, notifications_enabled, language, occupation_code FROM users";
        with_db!(&self.db, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }

    /// The recipients after `after` by id, at most `limit` (the batch over HTTP pages).
    pub async fn recipients_page(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<RecipientRow>, sqlx::Error> {
        let sql = "SELECT id, status, notifications_enabled, language, occupation_code FROM users \
                   WHERE id > $1 ORDER BY id LIMIT $2";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(after.unwrap_or_else(Uuid::nil))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await)
    }
}
