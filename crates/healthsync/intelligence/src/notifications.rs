//! HS-AI-060: in-app notifications — newest first (cursor, ≤ 50), unread count, mark one
//! or all read, kept 90 days. Rules texts render in the request's language from the
//! stored code and params.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::Value;
use tripgen_platform::SharedClock;
use tripgen_platform::clock::{from_millis, to_millis};
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::batch::templates::{render, template};
use crate::chat::{parse_cursor, parse_limit};
use crate::repo::IntelligenceRepo;

pub const KEEP_DAYS: i64 = 90;

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: Uuid,
    kind: String,
    params: String,
    body: Option<String>,
    urgency: Option<String>,
    motivation_type: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationItem {
    pub notification_id: Uuid,
    /// `daily_nudge`, `celebration`, `checkup_synced` or `welcome`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationPage {
    pub items: Vec<NotificationItem>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnreadCount {
    pub count: i64,
}

pub struct Notifications {
    pub repo: IntelligenceRepo,
    pub clock: SharedClock,
}

fn text(r: &Row, language: &str) -> (String, String) {
    let en = language == "en";
    let p: Value = serde_json::from_str(&r.params).unwrap_or(Value::Null);
    match r.kind.as_str() {
        "daily_nudge" => {
            let mission = p[if en { "missionEn" } else { "missionKo" }]
                .as_str()
                .unwrap_or_default();
            let rate = p["rate"].as_i64().unwrap_or(0);
            let t = template(
                r.urgency.as_deref().unwrap_or("low"),
                r.motivation_type.as_deref().unwrap_or("health_benefit"),
                language,
            );
            let title = if en {
                "Today's missions"
            } else {
                "오늘의 미션"
            };
            (
                title.into(),
                r.body.clone().unwrap_or_else(|| render(&t, mission, rate)),
            )
        }
        "celebration" => {
            let title = if en {
                "Congratulations!"
            } else {
                "축하해요!"
            };
            let body = p[if en { "messageEn" } else { "messageKo" }]
                .as_str()
                .unwrap_or_default();
            (
                title.into(),
                r.body.clone().unwrap_or_else(|| body.to_string()),
            )
        }
        "welcome" => {
            let (t, b) = if en {
                (
                    "Welcome to HealthSync",
                    "Link your checkup and choose a few small daily missions to start.",
                )
            } else {
                (
                    "HealthSync에 오신 것을 환영해요",
                    "검진 결과를 연동하고 매일 할 작은 미션을 골라 시작해 보세요.",
                )
            };
            (t.into(), b.into())
        }
        "checkup_synced" => {
            let year = p["latestYear"]
                .as_i64()
                .map(|y| y.to_string())
                .unwrap_or_default();
            let (t, b) = if en {
                (
                    "Checkup updated",
                    format!("Your {year} checkup is ready: see your diagnosis and new missions."),
                )
            } else {
                (
                    "검진 결과 업데이트",
                    format!("{year}년 검진 결과가 준비됐어요. 진단과 새 미션을 확인해 보세요."),
                )
            };
            (t.into(), b)
        }
        other => (other.to_string(), r.body.clone().unwrap_or_default()),
    }
}

impl Notifications {
    fn oldest_kept(&self) -> i64 {
        to_millis(self.clock.now() - Duration::days(KEEP_DAYS))
    }

    pub async fn list(
        &self,
        user_id: Uuid,
        cursor: Option<&str>,
        limit: Option<&str>,
        unread: bool,
        language: &str,
    ) -> ApiResult<NotificationPage> {
        let after = parse_cursor(cursor)?;
        let limit = parse_limit(limit, 20, 50)?;
        let (at, id) = after.unwrap_or((i64::MAX, Uuid::max()));
        let sql = format!(
            "SELECT id, kind, params, body, urgency, motivation_type, created_at, read_at FROM notifications \
             WHERE user_id = $1 AND created_at >= $2 AND (created_at < $3 OR (created_at = $3 AND id < $4)) {} \
             ORDER BY created_at DESC, id DESC LIMIT $5",
            if unread { "AND read_at IS NULL" } else { "" }
        );
        let mut rows: Vec<Row> = with_db!(&self.repo.db, |pool| sqlx::query_as(&sql)
            .bind(user_id)
            .bind(self.oldest_kept())
            .bind(at)
            .bind(id)
            .bind(limit + 1)
            .fetch_all(pool)
            .await)?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Ok(NotificationPage {
            next_cursor: more
                .then(|| {
                    rows.last()
                        .map(|r| format!("{}.{}", r.created_at, r.id.simple()))
                })
                .flatten(),
            items: rows
                .iter()
                .map(|r| {
                    let (title, body) = text(r, language);
                    NotificationItem {
                        notification_id: r.id,
                        kind: r.kind.clone(),
                        title,
                        body,
                        created_at: from_millis(r.created_at),
                        read_at: r.read_at.map(from_millis),
                    }
                })
                .collect(),
        })
    }

    pub async fn unread(&self, user_id: Uuid) -> ApiResult<UnreadCount> {
        let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL AND created_at >= $2";
        let count: i64 = with_db!(&self.repo.db, |pool| sqlx::query_scalar(sql)
            .bind(user_id)
            .bind(self.oldest_kept())
            .fetch_one(pool)
            .await)?;
        Ok(UnreadCount { count })
    }

    /// Marks one (`Some(id)`) or every unread notification read.
    pub async fn mark_read(&self, user_id: Uuid, id: Option<&str>) -> ApiResult<StatusCode> {
        let now = to_millis(self.clock.now());
        match id {
            Some(id) => {
                let not_found = || ApiError::not_found("NOT_FOUND", "No such notification.");
                let id = Uuid::parse_str(id).map_err(|_| not_found())?;
                let sql = "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE user_id = $1 AND id = $2";
                let n = with_db!(&self.repo.db, |pool| sqlx::query(sql)
                    .bind(user_id)
                    .bind(id)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected()))?;
                if n == 0 {
                    return Err(not_found());
                }
            }
            None => {
                let sql =
                    "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";
                with_db!(&self.repo.db, |pool| sqlx::query(sql)
                    .bind(user_id)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|_| ()))?;
            }
        }
        Ok(StatusCode::NO_CONTENT)
    }
}
