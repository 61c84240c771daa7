//! Storage of the user context. One SQL text per query runs on SQLite and PostgreSQL
//! (see `tripgen_platform::db`); the contract tests drive both through the HTTP API.

use chrono::{DateTime, Utc};
use tripgen_platform::clock::{from_millis, to_millis};
use tripgen_platform::db::{ContextMigrations, Db, WritePool};
use tripgen_platform::with_db;
use uuid::Uuid;

pub fn migrations() -> ContextMigrations {
    ContextMigrations {
        context: "user",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub email: String,
    pub phone_enc: String,
    pub password_hash: String,
    pub role: String,
    pub avatar_key: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What [`UserRepo::claim_login_attempt`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginClaim {
    /// The password may be checked.
    Check,
    /// Locked until `until`; `now` when this very attempt locked it.
    Locked { until: DateTime<Utc>, now: bool },
}

pub struct NewUser<'a> {
    pub id: Uuid,
    pub username: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub phone_enc: &'a str,
    pub password_hash: &'a str,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshRow {
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub remember: bool,
    pub token_expires_at: i64,
    pub used_at: Option<i64>,
    pub session_expires_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EmailChangeRow {
    pub new_email: String,
    pub code_hash: String,
    pub expires_at: i64,
    pub attempts: i64,
}

/// Result of inserting a user: which unique key collided, if any.
pub enum InsertOutcome {
    Inserted,
    UsernameTaken,
    EmailTaken,
}

const USER_COLUMNS: &str = "id, username, name, email, phone_enc, password_hash, role, avatar_key, \
     failed_logins, locked_until, created_at, updated_at";

#[derive(Clone)]
pub struct UserRepo {
    db: Db,
}

impl UserRepo {
    pub fn new(db: Db) -> Self {
        UserRepo { db }
    }

    pub async fn insert(&self, u: NewUser<'_>) -> Result<InsertOutcome, sqlx::Error> {
        const SQL: &str = "INSERT INTO users (id, username, username_key, name, email, phone_enc, \
             password_hash, role, failed_logins, terms_accepted_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'user', 0, $8, $8, $8)";
        let key = crate::domain::rules::username_key(u.username);
        let res = with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(u.id)
            .bind(u.username)
            .bind(&key)
            .bind(u.name)
            .bind(u.email)
            .bind(u.phone_enc)
            .bind(u.password_hash)
            .bind(to_millis(u.now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()));
        match res {
            Ok(_) => Ok(InsertOutcome::Inserted),
            Err(e) if tripgen_platform::db::is_unique_violation(&e) => {
                // Which key collided: ask rather than parse driver-specific messages.
                if self.username_exists(u.username).await? {
                    Ok(InsertOutcome::UsernameTaken)
                } else {
                    Ok(InsertOutcome::EmailTaken)
                }
            }
            Err(e) => Err(e),
        }
    }

    pub async fn username_exists(&self, username: &str) -> Result<bool, sqlx::Error> {
        const SQL: &str = "SELECT COUNT(*) FROM users WHERE username_key = $1";
        let key = crate::domain::rules::username_key(username);
        let (n,): (i64,) = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(&key)
            .fetch_one(pool)
            .await)?;
        Ok(n > 0)
    }

    pub async fn email_exists(&self, email: &str) -> Result<bool, sqlx::Error> {
        const SQL: &str = "SELECT COUNT(*) FROM users WHERE email = $1";
        let (n,): (i64,) = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(email)
            .fetch_one(pool)
            .await)?;
        Ok(n > 0)
    }

    pub async fn by_username(&self, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username_key = $1");
        let key = crate::domain::rules::username_key(username);
        with_db!(&self.db, |pool| sqlx::query_as::<_, UserRow>(&sql)
            .bind(&key)
            .fetch_optional(pool)
            .await)
    }

    pub async fn by_id(&self, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        with_db!(&self.db, |pool| sqlx::query_as::<_, UserRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
    }

    /// Counts a failed sign-in; locks the account when the count reaches `max`.
    /// Returns the lock expiry when this failure locked it.
    /// Claims one sign-in attempt for the account before its password is checked, in one
    /// statement: so concurrent attempts cannot all read "not locked" and all be checked.
    /// Answers the lock when the account is locked (no password may be checked) — already,
    /// or because this attempt is beyond `max` unsucceeded attempts, which locks it now.
    /// An expired lock starts a fresh window.
    pub async fn claim_login_attempt(
        &self,
        id: Uuid,
        max: i64,
        now: DateTime<Utc>,
        lock_until: DateTime<Utc>,
    ) -> Result<LoginClaim, sqlx::Error> {
        // Every right-hand side sees the row as it was before this statement.
        const SQL: &str = "UPDATE users SET \
               failed_logins = CASE WHEN locked_until > $3 THEN failed_logins \
                                    WHEN locked_until IS NOT NULL THEN 1 \
                                    ELSE failed_logins + 1 END, \
               locked_until = CASE WHEN locked_until > $3 THEN locked_until \
                                   WHEN locked_until IS NULL AND failed_logins + 1 > $2 THEN $4 \
                                   ELSE NULL END \
             WHERE id = $1 RETURNING locked_until";
        let (locked,): (Option<i64>,) = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(id)
            .bind(max)
            .bind(to_millis(now))
            .bind(to_millis(lock_until))
            .fetch_one(pool)
            .await)?;
        Ok(match locked {
            Some(until) => LoginClaim::Locked {
                until: from_millis(until),
                now: until == to_millis(lock_until),
            },
            None => LoginClaim::Check,
        })
    }

    /// After a wrong password: locks the account when its claimed attempts reached `max`.
    /// Returns the lock when this call set it.
    pub async fn lock_if_exhausted(
        &self,
        id: Uuid,
        max: i64,
        lock_until: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        const SQL: &str = "UPDATE users SET locked_until = $3 \
             WHERE id = $1 AND locked_until IS NULL AND failed_logins >= $2 RETURNING id";
        let hit: Option<(Uuid,)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(id)
            .bind(max)
            .bind(to_millis(lock_until))
            .fetch_optional(pool)
            .await)?;
        Ok(hit.map(|_| lock_until))
    }

    /// After a right password: clears the attempts, unless the account was locked while
    /// the password was being checked (then the sign-in is refused: false).
    pub async fn confirm_login(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE users SET failed_logins = 0, locked_until = NULL \
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING id";
        let hit: Option<(Uuid,)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(id)
            .bind(to_millis(now))
            .fetch_optional(pool)
            .await)?;
        Ok(hit.is_some())
    }

    pub async fn update_profile(
        &self,
        id: Uuid,
        name: &str,
        phone_enc: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str =
            "UPDATE users SET name = $2, phone_enc = $3, updated_at = $4 WHERE id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(name)
            .bind(phone_enc)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn set_password(
        &self,
        id: Uuid,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(hash)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn set_avatar(
        &self,
        id: Uuid,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, sqlx::Error> {
        let old = self.by_id(id).await?.and_then(|u| u.avatar_key);
        const SQL: &str = "UPDATE users SET avatar_key = $2, updated_at = $3 WHERE id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(key)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(old)
    }

    /// Sets the e-mail; `false` when another account already uses it.
    pub async fn set_email(
        &self,
        id: Uuid,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        const SQL: &str = "UPDATE users SET email = $2, updated_at = $3 WHERE id = $1";
        let res = with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(id)
            .bind(email)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()));
        match res {
            Ok(_) => Ok(true),
            Err(e) if tripgen_platform::db::is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    // --- sessions and refresh tokens -------------------------------------------------

    pub async fn create_session(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        remember: bool,
        token_hash: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        const S: &str = "INSERT INTO sessions (id, user_id, remember, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5)";
        const T: &str = "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) \
                         VALUES ($1, $2, $3, $4)";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(S)
                .bind(session_id)
                .bind(user_id)
                .bind(remember)
                .bind(to_millis(now))
                .bind(to_millis(expires))
                .execute(&mut *tx)
                .await?;
            sqlx::query(T)
                .bind(token_hash)
                .bind(session_id)
                .bind(to_millis(now))
                .bind(to_millis(expires))
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
    }

    pub async fn find_refresh(&self, token_hash: &str) -> Result<Option<RefreshRow>, sqlx::Error> {
        const SQL: &str = "SELECT s.id AS session_id, s.user_id, u.role, s.remember, \
               t.expires_at AS token_expires_at, t.used_at, s.expires_at AS session_expires_at, s.revoked_at \
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id \
             WHERE t.token_hash = $1";
        with_db!(&self.db, |pool| sqlx::query_as::<_, RefreshRow>(SQL)
            .bind(token_hash)
            .fetch_optional(pool)
            .await)
    }

    /// Marks a refresh token used and stores its successor, atomically. `false` when the
    /// token had already been used (a concurrent or replayed refresh).
    pub async fn rotate_refresh(
        &self,
        old_hash: &str,
        new_hash: &str,
        session_id: Uuid,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        const USE: &str =
            "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL";
        const NEW: &str = "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) \
                           VALUES ($1, $2, $3, $4)";
        const SESSION: &str = "UPDATE sessions SET expires_at = $2 WHERE id = $1";
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let used = sqlx::query(USE)
                .bind(old_hash)
                .bind(to_millis(now))
                .execute(&mut *tx)
                .await?;
            if used.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(NEW)
                .bind(new_hash)
                .bind(session_id)
                .bind(to_millis(now))
                .bind(to_millis(expires))
                .execute(&mut *tx)
                .await?;
            sqlx::query(SESSION)
                .bind(session_id)
                .bind(to_millis(expires))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn revoke_session(
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
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Ends every live session of a user except `keep`; returns the ended ids.
    pub async fn revoke_other_sessions(
        &self,
        user_id: Uuid,
        keep: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, sqlx::Error> {
        const SQL: &str = "UPDATE sessions SET revoked_at = $3, revoked_reason = $4 \
             WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > $3 RETURNING id";
        let rows: Vec<(Uuid,)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(user_id)
            .bind(keep)
            .bind(to_millis(now))
            .bind(reason)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    // --- e-mail change ----------------------------------------------------------------

    pub async fn put_email_change(
        &self,
        user_id: Uuid,
        new_email: &str,
        code_hash: &str,
        expires: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        const SQL: &str = "INSERT INTO email_changes (user_id, new_email, code_hash, expires_at, attempts) \
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT (user_id) DO UPDATE SET \
             new_email = EXCLUDED.new_email, code_hash = EXCLUDED.code_hash, \
             expires_at = EXCLUDED.expires_at, attempts = 0";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(user_id)
            .bind(new_email)
            .bind(code_hash)
            .bind(to_millis(expires))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn email_change(&self, user_id: Uuid) -> Result<Option<EmailChangeRow>, sqlx::Error> {
        const SQL: &str = "SELECT new_email, code_hash, expires_at, attempts FROM email_changes WHERE user_id = $1";
        with_db!(&self.db, |pool| sqlx::query_as::<_, EmailChangeRow>(SQL)
            .bind(user_id)
            .fetch_optional(pool)
            .await)
    }

    pub async fn bump_email_attempts(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        const SQL: &str = "UPDATE email_changes SET attempts = attempts + 1 WHERE user_id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_email_change(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        const SQL: &str = "DELETE FROM email_changes WHERE user_id = $1";
        with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    // --- audit ------------------------------------------------------------------------

    pub async fn audit(
        &self,
        user_id: Option<Uuid>,
        kind: &str,
        ip: Option<&str>,
        detail: &str,
        now: DateTime<Utc>,
    ) {
        const SQL: &str = "INSERT INTO audit_events (id, user_id, kind, ip, detail, at) VALUES ($1, $2, $3, $4, $5, $6)";
        let res = with_db!(&self.db, |pool| sqlx::query(SQL)
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(kind)
            .bind(ip)
            .bind(detail)
            .bind(to_millis(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()));
        // An audit write failure must not fail the user's request, but it must be seen.
        if let Err(e) = res {
            tracing::error!(error = %e, kind, "audit event not stored");
        }
        tracing::info!(target: "audit", kind, user = ?user_id, "security event");
    }

    pub async fn audit_kinds(&self, user_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
        const SQL: &str = "SELECT kind FROM audit_events WHERE user_id = $1 ORDER BY at, id";
        let rows: Vec<(String,)> = with_db!(&self.db, |pool| sqlx::query_as(SQL)
            .bind(user_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }
}

pub fn ms(t: i64) -> DateTime<Utc> {
    from_millis(t)
}
