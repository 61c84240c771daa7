//! HS-AI-030: the health assistant's chat, answered by the rules' FAQ (red flags get the
//! fixed referral, symptoms a doctor referral). Sessions close after 24 h idle; 20
//! messages per 10 minutes and 100 per 24 hours per user.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::SharedClock;
use tripgen_platform::clock::{from_millis, to_millis};
use tripgen_platform::crypto::FieldCipher;
use tripgen_platform::error::{ApiError, ApiResult, FieldError};
use uuid::Uuid;

use crate::chat_repo::{NewMessage, SessionRow};
use crate::domain::faq::{self, Verdict};
use crate::repo::IntelligenceRepo;

pub const MESSAGE_MAX: usize = 1000;
pub const IDLE_HOURS: i64 = 24;
pub const PER_10_MIN: i64 = 20;
pub const PER_DAY: i64 = 100;

pub struct Chat {
    pub repo: IntelligenceRepo,
    pub cipher: FieldCipher,
    pub clock: SharedClock,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatRequest {
    pub session_id: Option<String>,
    /// 1–1000 characters after trimming.
    pub message: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatReply {
    pub session_id: Uuid,
    pub message_id: Uuid,
    /// At most 300 characters.
    pub reply: String,
    /// `answer`, `referral` or `refusal`.
    pub response_type: String,
    pub suggested_questions: Vec<String>,
    pub generated_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionItem {
    pub session_id: Uuid,
    pub last_activity_at: DateTime<Utc>,
    pub message_count: i64,
    pub open: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionPage {
    pub items: Vec<SessionItem>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageItem {
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub items: Vec<MessageItem>,
    pub next_cursor: Option<String>,
}

fn session_not_found() -> ApiError {
    ApiError::not_found(
        "CHAT_SESSION_NOT_FOUND",
        "This chat session is closed or does not exist.",
    )
}

pub fn parse_cursor(c: Option<&str>) -> ApiResult<Option<(i64, Uuid)>> {
    let Some(c) = c.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let bad = || {
        ApiError::validation(vec![FieldError::new(
            "cursor",
            "INVALID_VALUE",
            "cursor must be a nextCursor of an earlier page",
        )])
    };
    let (at, id) = c.split_once('.').ok_or_else(bad)?;
    Ok(Some((
        at.parse().map_err(|_| bad())?,
        Uuid::parse_str(id).map_err(|_| bad())?,
    )))
}

pub fn parse_limit(l: Option<&str>, default: i64, max: i64) -> ApiResult<i64> {
    match l.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                ApiError::validation(vec![FieldError::new(
                    "limit",
                    "OUT_OF_RANGE",
                    format!("limit is 1 to {max}"),
                )])
            }),
    }
}

impl Chat {
    fn open(&self, s: &SessionRow, now: DateTime<Utc>) -> bool {
        now - from_millis(s.last_activity_at) < Duration::hours(IDLE_HOURS)
    }

    pub async fn send(
        &self,
        user_id: Uuid,
        req: ChatRequest,
        language: &str,
    ) -> ApiResult<ChatReply> {
        let message = req.message.trim().to_string();
        let n = message.chars().count();
        if n == 0 || n > MESSAGE_MAX {
            return Err(ApiError::validation(vec![FieldError::new(
                "message",
                if n == 0 { "REQUIRED" } else { "TOO_LONG" },
                "a message is 1 to 1000 characters",
            )]));
        }
        let now = self.clock.now();
        let (session, is_new) = match req
            .session_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(id) => {
                let id = Uuid::parse_str(id).map_err(|_| session_not_found())?;
                let s = self
                    .repo
                    .session(user_id, id)
                    .await?
                    .ok_or_else(session_not_found)?;
                if !self.open(&s, now) {
                    return Err(session_not_found());
                }
                (s, false)
            }
            None => (
                SessionRow {
                    id: Uuid::now_v7(),
                    user_id,
                    created_at: to_millis(now),
                    last_activity_at: to_millis(now),
                    message_count: 0,
                },
                true,
            ),
        };
        let recent = self
            .repo
            .user_messages_since(user_id, to_millis(now - Duration::minutes(10)))
            .await?;
        let day = self
            .repo
            .user_messages_since(user_id, to_millis(now - Duration::hours(24)))
            .await?;
        if recent >= PER_10_MIN || day >= PER_DAY {
            return Err(ApiError::too_many(
                "AI_RATE_LIMITED",
                if recent >= PER_10_MIN { 600 } else { 3600 },
                "You have sent many messages: try again later.",
            ));
        }
        let (reply, response_type, topic) = match faq::answer(&message, language) {
            Verdict::Profanity => {
                return Err(ApiError {
                    errors: vec![FieldError::new(
                        "message",
                        "INAPPROPRIATE_MESSAGE",
                        "please rephrase",
                    )],
                    ..ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "INAPPROPRIATE_MESSAGE",
                        "Please rephrase your message.",
                    )
                });
            }
            Verdict::RedFlag => (
                faq::red_flag_reply(language).to_string(),
                "referral",
                "default",
            ),
            Verdict::Answer {
                text,
                topic,
                referral,
            } => (text, if referral { "referral" } else { "answer" }, topic),
        };
        // Ids are UUIDv7: the question's before the answer's keeps the order written.
        let question_id = Uuid::now_v7();
        let message_id = Uuid::now_v7();
        let at = to_millis(now);
        let turn = [
            NewMessage {
                id: question_id,
                role: "user",
                content_enc: self.cipher.encrypt(&message),
                response_type: None,
                generated_by: None,
                at,
            },
            NewMessage {
                id: message_id,
                role: "assistant",
                content_enc: self.cipher.encrypt(&reply),
                response_type: Some(response_type),
                generated_by: Some("rules"),
                at: at + 1,
            },
        ];
        self.repo.save_turn(&session, is_new, &turn).await?;
        Ok(ChatReply {
            session_id: session.id,
            message_id,
            reply,
            response_type: response_type.into(),
            suggested_questions: faq::follow_ups(topic, language)
                .iter()
                .map(|q| q.to_string())
                .collect(),
            generated_by: "rules".into(),
            created_at: now,
        })
    }

    pub async fn sessions(
        &self,
        user_id: Uuid,
        cursor: Option<&str>,
        limit: Option<&str>,
    ) -> ApiResult<SessionPage> {
        let after = parse_cursor(cursor)?;
        let limit = parse_limit(limit, 20, 50)?;
        let mut rows = self.repo.sessions(user_id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let now = self.clock.now();
        Ok(SessionPage {
            next_cursor: more
                .then(|| {
                    rows.last()
                        .map(|r| format!("{}.{}", r.last_activity_at, r.id.simple()))
                })
                .flatten(),
            items: rows
                .iter()
                .map(|r| SessionItem {
                    session_id: r.id,
                    last_activity_at: from_millis(r.last_activity_at),
                    message_count: r.message_count,
                    open: self.open(r, now),
                })
                .collect(),
        })
    }

    pub async fn messages(
        &self,
        user_id: Uuid,
        id: &str,
        cursor: Option<&str>,
        limit: Option<&str>,
    ) -> ApiResult<MessagePage> {
        let id = Uuid::parse_str(id).map_err(|_| session_not_found())?;
        self.repo
            .session(user_id, id)
            .await?
            .ok_or_else(session_not_found)?;
        let after = parse_cursor(cursor)?;
        let limit = parse_limit(limit, 20, 100)?;
        let mut rows = self.repo.messages(id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Ok(MessagePage {
            next_cursor: more
                .then(|| {
                    rows.last()
                        .map(|r| format!("{}.{}", r.created_at, r.id.simple()))
                })
                .flatten(),
            items: rows
                .iter()
                .map(|r| MessageItem {
                    role: r.role.clone(),
                    content: self.cipher.decrypt(&r.content_enc).unwrap_or_default(),
                    created_at: from_millis(r.created_at),
                })
                .collect(),
        })
    }

    pub async fn delete(&self, user_id: Uuid, id: &str) -> ApiResult<()> {
        let id = Uuid::parse_str(id).map_err(|_| session_not_found())?;
        if self.repo.delete_session(user_id, id).await? {
            Ok(())
        } else {
            Err(session_not_found())
        }
    }
}
