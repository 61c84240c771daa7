//! Storage of chat sessions and messages (text encrypted by the caller).

use tripgen_platform::db::WritePool;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::repo::IntelligenceRepo;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: i64,
    pub last_activity_at: i64,
    pub message_count: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: Uuid,
    pub role: String,
    pub content_enc: String,
    pub created_at: i64,
}

/// One stored message.
pub struct NewMessage<'a> {
    pub id: Uuid,
    pub role: &'a str,
    pub content_enc: String,
    pub response_type: Option<&'a str>,
    pub generated_by: Option<&'a str>,
    pub at: i64,
}

impl IntelligenceRepo {
    pub async fn session(
        &self,
        user_id: Uuid,
        id: Uuid,
    ) -> Result<Option<SessionRow>, sqlx::Error> {
        let sql = "SELECT id, user_id, created_at, last_activity_at, message_count FROM chat_sessions \
                   WHERE id = $1 AND user_id = $2";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await)
    }

    /// Sessions newest activity first, after the cursor `(last_activity_at, id)`.
    pub async fn sessions(
        &self,
        user_id: Uuid,
        after: Option<(i64, Uuid)>,
        limit: i64,
    ) -> Result<Vec<SessionRow>, sqlx::Error> {
        let (at, id) = after.unwrap_or((i64::MAX, Uuid::max()));
        let sql = "SELECT id, user_id, created_at, last_activity_at, message_count FROM chat_sessions \
                   WHERE user_id = $1 AND (last_activity_at < $2 OR (last_activity_at = $2 AND id < $3)) \
                   ORDER BY last_activity_at DESC, id DESC LIMIT $4";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(user_id)
            .bind(at)
            .bind(id)
            .bind(limit)
            .fetch_all(pool)
            .await)
    }

    /// Messages in the order written (UUIDv7 ids are monotonic), after the cursor's id.
    pub async fn messages(
        &self,
        session_id: Uuid,
        after: Option<(i64, Uuid)>,
        limit: i64,
    ) -> Result<Vec<MessageRow>, sqlx::Error> {
        let id = after.map(|(_, id)| id).unwrap_or(Uuid::nil());
        let sql = "SELECT id, role, content_enc, created_at FROM chat_messages WHERE session_id = $1 \
                   AND id > $2 ORDER BY id LIMIT $3";
        with_db!(&self.db, |pool| sqlx::query_as(sql)
            .bind(session_id)
            .bind(id)
            .bind(limit)
            .fetch_all(pool)
            .await)
    }

    /// The user's messages since `since_ms` (the rate limits).
    pub async fn user_messages_since(
        &self,
        user_id: Uuid,
        since_ms: i64,
    ) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM chat_messages WHERE user_id = $1 AND role = 'user' AND created_at >= $2";
        with_db!(&self.db, |pool| sqlx::query_scalar(sql)
            .bind(user_id)
            .bind(since_ms)
            .fetch_one(pool)
            .await)
    }

    /// Stores a turn (creating the session when new) in one transaction.
    pub async fn save_turn(
        &self,
        session: &SessionRow,
        is_new: bool,
        turn: &[NewMessage<'_>],
    ) -> Result<(), sqlx::Error> {
        let last = turn
            .last()
            .map(|m| m.at)
            .unwrap_or(session.last_activity_at);
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            if is_new {
                sqlx::query(
                    "INSERT INTO chat_sessions (id, user_id, created_at, last_activity_at, message_count) \
                     VALUES ($1, $2, $3, $3, 0)",
                )
                .bind(session.id)
                .bind(session.user_id)
                .bind(session.created_at)
                .execute(&mut *tx)
                .await?;
            }
            for m in turn {
                sqlx::query(
                    "INSERT INTO chat_messages (id, session_id, user_id, role, content_enc, response_type, \
                     generated_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(m.id)
                .bind(session.id)
                .bind(session.user_id)
                .bind(m.role)
                .bind(&m.content_enc)
                .bind(m.response_type)
                .bind(m.generated_by)
                .bind(m.at)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE chat_sessions SET last_activity_at = $2, message_count = message_count + $3 WHERE id = $1",
            )
            .bind(session.id)
            .bind(last)
            .bind(turn.len() as i64)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    pub async fn delete_session(&self, user_id: Uuid, id: Uuid) -> Result<bool, sqlx::Error> {
        with_db!(&self.db, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("DELETE FROM chat_sessions WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM chat_messages WHERE session_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    pub async fn erase_chat(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        with_db!(&self.db, |pool| {
            sqlx::query("DELETE FROM chat_messages WHERE user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await?;
            sqlx::query("DELETE FROM chat_sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await?;
            sqlx::query("DELETE FROM notifications WHERE user_id = $1")
                .bind(user_id)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }
}
