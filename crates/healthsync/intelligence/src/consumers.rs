//! Event consumers of the intelligence context (spec §8.2): `mission-completed` stores a
//! `celebration` notification at milestone streaks (3, 7, 14, 30, 60, 100), once per
//! user, mission and milestone, with the event recorded in `processed_events`.

use async_trait::async_trait;
use serde_json::{Value, json};
use tripgen_platform::SharedClock;
use tripgen_platform::clock::to_millis;
use tripgen_platform::db::WritePool;
use tripgen_platform::jobs::event::{envelope_of, first_delivery};
use tripgen_platform::jobs::{Job, JobContext, JobError, JobHandler};
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::domain::catalogue::mission;
use crate::domain::texts::clip;
use crate::repo::IntelligenceRepo;

pub const MISSION_COMPLETED: &str = "mission-completed";
pub const MILESTONES: [i64; 6] = [3, 7, 14, 30, 60, 100];
const CONSUMER: &str = "intelligence";

/// The rules' celebration texts (≤ 100 chars) in both languages.
pub fn celebration_texts(title_ko: &str, title_en: &str, streak: i64) -> (String, String) {
    (
        clip(
            format!("{title_ko} {streak}일 연속 달성! 정말 멋져요."),
            100,
        ),
        clip(
            format!("{streak} days in a row of {title_en}! Brilliant."),
            100,
        ),
    )
}

pub struct MissionCompleted {
    pub repo: IntelligenceRepo,
    pub clock: SharedClock,
}

#[async_trait]
impl JobHandler for MissionCompleted {
    fn kind(&self) -> &'static str {
        MISSION_COMPLETED
    }

    async fn run(&self, job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let e = envelope_of(&job.payload)
            .ok_or_else(|| JobError::Permanent("not an event envelope".into()))?;
        let user = e
            .user_id
            .ok_or_else(|| JobError::Permanent("mission-completed without userId".into()))?;
        let streak = e.data["streak"].as_i64().unwrap_or(0);
        let mission_id = e.data["missionId"].as_str().unwrap_or_default().to_string();
        let date = e.data["date"].as_str().unwrap_or_default().to_string();
        if !MILESTONES.contains(&streak) || mission_id.is_empty() {
            return Ok(Some(json!({ "celebration": false })));
        }
        let (ko, en) = match mission(&mission_id) {
            Some(m) => celebration_texts(&m.title.ko, &m.title.en, streak),
            None => celebration_texts(&mission_id, &mission_id, streak),
        };
        let params =
            json!({ "messageKo": ko, "messageEn": en, "badge": format!("streak_{streak}") })
                .to_string();
        let now = self.clock.now();
        let stored = store(
            &self.repo,
            e.event_id,
            user,
            &date,
            &mission_id,
            streak,
            &params,
            to_millis(now),
            now,
        )
        .await
        .map_err(|e| JobError::Retry(format!("celebration: {e}")))?;
        let Some(stored) = stored else {
            return Ok(Some(json!({ "celebration": "already" })));
        };
        Ok(Some(json!({ "celebration": stored })))
    }
}

/// Stores the celebration once per event (`None`: this event was handled before) and
/// once per user, mission and milestone (`Some(false)`: it exists).
#[allow(clippy::too_many_arguments)]
async fn store(
    repo: &IntelligenceRepo,
    event_id: Uuid,
    user: Uuid,
    date: &str,
    mission_id: &str,
    streak: i64,
    params: &str,
    at: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<bool>, sqlx::Error> {
    let sql = "INSERT INTO notifications (id, user_id, kind, date, mission_id, milestone, code, params, \
               generated_by, created_at) VALUES ($1, $2, 'celebration', $3, $4, $5, 'celebration', $6, 'rules', $7) \
               ON CONFLICT DO NOTHING";
    with_db!(&repo.db, |pool| {
        let mut tx = pool.begin_write().await?;
        if !first_delivery(&mut *tx, event_id, CONSUMER, now).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let n = sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(user)
            .bind(date)
            .bind(mission_id)
            .bind(streak)
            .bind(params)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Some(n == 1))
    })
}

/// `user-registered` → `welcome`, `health-synced` → `checkup_synced`: one notification
/// per event (the event id is recorded in `processed_events`).
pub struct NoticeOnEvent {
    pub repo: IntelligenceRepo,
    pub clock: SharedClock,
    /// The event kind consumed.
    pub event: &'static str,
    /// The notification kind stored.
    pub notification: &'static str,
}

#[async_trait]
impl JobHandler for NoticeOnEvent {
    fn kind(&self) -> &'static str {
        self.event
    }

    async fn run(&self, job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let e = envelope_of(&job.payload)
            .ok_or_else(|| JobError::Permanent("not an event envelope".into()))?;
        let user = e
            .user_id
            .ok_or_else(|| JobError::Permanent(format!("{} without userId", self.event)))?;
        let now = self.clock.now();
        let params =
            json!({ "latestYear": e.data["latestYear"], "riskLevel": e.data["riskLevel"] })
                .to_string();
        let stored = notice(
            &self.repo,
            e.event_id,
            user,
            self.notification,
            &params,
            now,
        )
        .await
        .map_err(|err| JobError::Retry(format!("{}: {err}", self.notification)))?;
        Ok(Some(json!({ "stored": stored })))
    }
}

async fn notice(
    repo: &IntelligenceRepo,
    event_id: Uuid,
    user: Uuid,
    kind: &str,
    params: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, sqlx::Error> {
    let sql = "INSERT INTO notifications (id, user_id, kind, date, code, params, generated_by, created_at) \
               VALUES ($1, $2, $3, $4, $3, $5, 'rules', $6)";
    with_db!(&repo.db, |pool| {
        let mut tx = pool.begin_write().await?;
        if !first_delivery(&mut *tx, event_id, CONSUMER, now).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(user)
            .bind(kind)
            .bind(now.date_naive().to_string())
            .bind(params)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    })
}
