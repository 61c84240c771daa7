//! Goal use cases (HS-GOAL-010…060). Every "day" is a calendar day in `app.time_zone`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::json;
use tripgen_platform::SharedClock;
use tripgen_platform::clock::to_millis;
use tripgen_platform::error::{ApiError, ApiResult, FieldError};
use tripgen_platform::jobs::event::DomainEvent;
use uuid::Uuid;

use crate::domain::stats::percent;
use crate::domain::streak::{celebration, current_streak};
use crate::dto::*;
use crate::ports::{MissionFacts, Recommendations};
use crate::repo::{Ending, GoalMissionRow, GoalRepo, GoalRow};

pub const MAX_MISSIONS: usize = 5;
pub const RECOMMENDATION_VALID_HOURS: i64 = 24;
pub const NOTES_MAX: usize = 200;
pub const RESETS_PER_DAY: i64 = 3;
pub const RESET_REASONS: [&str; 5] = ["too_hard", "too_easy", "not_relevant", "no_time", "other"];

pub const EVENT_GOAL_SET: &str = "goal-set";
pub const EVENT_MISSION_COMPLETED: &str = "mission-completed";
pub const EVENT_MISSION_RESET: &str = "mission-reset";

pub struct GoalService {
    pub repo: GoalRepo,
    pub recommendations: Arc<dyn Recommendations>,
    pub clock: SharedClock,
    pub time_zone: Tz,
    /// Answers of `GET /goals/history`; every write below invalidates the user's.
    pub history_cache: crate::history_cache::HistoryCache,
}

pub fn day_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A `YYYY-MM-DD` day in years 1900–9999 (so day arithmetic never leaves chrono's range).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=9999).contains(&d.year()))
}

fn no_goal() -> ApiError {
    ApiError::not_found(
        "NO_ACTIVE_GOAL",
        "You have no goal yet: choose missions first.",
    )
}

fn mission_not_found() -> ApiError {
    ApiError::not_found(
        "MISSION_NOT_FOUND",
        "This mission is not part of your current goal.",
    )
}

fn unprocessable(code: &'static str, field: &str, detail: &str) -> ApiError {
    ApiError {
        errors: vec![FieldError::new(field, code, detail)],
        ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
    }
}

pub fn title<'a>(m: &'a GoalMissionRow, language: &str) -> &'a str {
    if language == "en" {
        &m.title_en
    } else {
        &m.title_ko
    }
}

fn goal_mission_dto(m: &GoalMissionRow, language: &str) -> GoalMission {
    GoalMission {
        mission_id: m.mission_id.clone(),
        title: title(m, language).to_string(),
        description: if language == "en" {
            &m.description_en
        } else {
            &m.description_ko
        }
        .clone(),
        category: m.category.clone(),
        difficulty: m.difficulty.clone(),
        minutes: m.minutes,
    }
}

impl GoalService {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.time_zone).date_naive()
    }

    /// Seconds until the next local midnight (Retry-After of the daily limits).
    fn until_tomorrow(&self, now: DateTime<Utc>) -> u64 {
        let next = self
            .today(now)
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| self.time_zone.from_local_datetime(&t).earliest());
        next.map(|t| (t.with_timezone(&Utc) - now).num_seconds().max(1) as u64)
            .unwrap_or(3600)
    }

    async fn active(&self, user_id: Uuid) -> ApiResult<(GoalRow, Vec<GoalMissionRow>)> {
        let goal = self.repo.active_goal(user_id).await?.ok_or_else(no_goal)?;
        let missions = self.repo.missions(goal.id).await?;
        Ok((goal, missions))
    }

    /// HS-GOAL-010: 1–5 distinct missions of a fresh recommendation (or the current goal).
    pub async fn set_goal(
        &self,
        user_id: Uuid,
        req: SetGoalRequest,
        language: &str,
    ) -> ApiResult<GoalCreated> {
        let rec_id = Uuid::parse_str(req.recommendation_id.trim()).map_err(|_| {
            ApiError::validation(vec![FieldError::new(
                "recommendationId",
                "INVALID_VALUE",
                "recommendationId must be the id of a recommendation",
            )])
        })?;
        if req.mission_ids.is_empty() || req.mission_ids.len() > MAX_MISSIONS {
            return Err(ApiError::validation(vec![FieldError::new(
                "missionIds",
                "OUT_OF_RANGE",
                "choose 1 to 5 missions",
            )]));
        }
        let mut seen = HashSet::new();
        if !req.mission_ids.iter().all(|m| seen.insert(m.as_str())) {
            return Err(unprocessable(
                "DUPLICATE_MISSION",
                "missionIds",
                "Each mission can be chosen once.",
            ));
        }
        let now = self.now();
        let offer = self
            .recommendations
            .offer(user_id, rec_id)
            .await?
            .ok_or_else(|| {
                ApiError::not_found("RECOMMENDATION_NOT_FOUND", "No such recommendation.")
            })?;
        if now - offer.created_at > Duration::hours(RECOMMENDATION_VALID_HOURS) {
            return Err(ApiError::new(
                StatusCode::GONE,
                "RECOMMENDATION_EXPIRED",
                "This recommendation is more than 24 hours old: ask for new recommendations.",
            ));
        }
        let current = match self.repo.active_goal(user_id).await? {
            Some(g) => self.repo.missions(g.id).await?,
            None => Vec::new(),
        };
        let today = day_str(self.today(now));
        let goal_id = Uuid::now_v7();
        let mut rows = Vec::new();
        for (i, id) in req.mission_ids.iter().enumerate() {
            let facts: MissionFacts = if let Some(f) = offer.missions.iter().find(|m| &m.id == id) {
                f.clone()
            } else if let Some(c) = current.iter().find(|m| &m.mission_id == id) {
                MissionFacts {
                    id: c.mission_id.clone(),
                    title_ko: c.title_ko.clone(),
                    title_en: c.title_en.clone(),
                    description_ko: c.description_ko.clone(),
                    description_en: c.description_en.clone(),
                    category: c.category.clone(),
                    difficulty: c.difficulty.clone(),
                    minutes: c.minutes,
                }
            } else {
                return Err(unprocessable(
                    "MISSION_NOT_RECOMMENDED",
                    &format!("missionIds[{i}]"),
                    "Choose missions from the recommendation or your current goal.",
                ));
            };
            rows.push(GoalMissionRow {
                goal_id,
                mission_id: facts.id,
                position: i as i64,
                title_ko: facts.title_ko,
                title_en: facts.title_en,
                description_ko: facts.description_ko,
                description_en: facts.description_en,
                category: facts.category,
                difficulty: facts.difficulty,
                minutes: facts.minutes,
                added_on: today.clone(),
                removed_on: None,
            });
        }
        let goal = GoalRow {
            id: goal_id,
            user_id,
            recommendation_id: rec_id,
            status: "active".into(),
            start_date: today.clone(),
            created_at: to_millis(now),
            ended_at: None,
            end_date: None,
            end_reason: None,
        };
        let event = DomainEvent::new(
            EVENT_GOAL_SET,
            Some(user_id),
            json!({ "goalId": goal_id, "missionIds": req.mission_ids }),
            now,
        );
        let ending = Ending {
            reason: "replaced",
            reset_reason: None,
            reset_comment: None,
            at: to_millis(now),
            day: &today,
        };
        self.repo
            .replace_goal(&goal, &rows, &ending, &event)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_unique_violation() => ApiError::conflict(
                    "CONFLICT",
                    "Another change to your goal happened at the same time; try again.",
                ),
                _ => e.into(),
            })?;
        self.history_cache.invalidate(user_id).await;
        Ok(GoalCreated {
            goal_id,
            start_date: self.today(now),
            missions: rows.iter().map(|m| goal_mission_dto(m, language)).collect(),
        })
    }

    /// HS-GOAL-020: today's missions with streaks, totals and points.
    pub async fn current(&self, user_id: Uuid, language: &str) -> ApiResult<CurrentGoal> {
        let (goal, missions) = self.active(user_id).await?;
        let now = self.now();
        let today = self.today(now);
        let summary = self.summary(user_id, today, &missions).await?;
        let (points_today, points_total) = self.repo.points(user_id, &day_str(today)).await?;
        let items: Vec<TodayMission> = missions
            .iter()
            .map(|m| {
                let s = summary.get(&m.mission_id).copied().unwrap_or_default();
                let dto = goal_mission_dto(m, language);
                TodayMission {
                    mission_id: dto.mission_id,
                    title: dto.title,
                    description: dto.description,
                    category: dto.category,
                    difficulty: dto.difficulty,
                    minutes: dto.minutes,
                    completed_today: s.done_today,
                    current_streak: s.current,
                    best_streak: s.best,
                    total_completed: s.total,
                }
            })
            .collect();
        let done = items.iter().filter(|m| m.completed_today).count() as i64;
        let total = items.len() as i64;
        Ok(CurrentGoal {
            goal_id: goal.id,
            start_date: parse_day(&goal.start_date).unwrap_or(today),
            date: today,
            missions: items,
            total_missions: total,
            today_completed: done,
            today_rate: percent(done, total).unwrap_or(0.0),
            points: Points {
                today: points_today,
                total: points_total,
            },
        })
    }

    /// Per mission of `missions`: done today, current and best streak, total.
    pub(crate) async fn summary(
        &self,
        user_id: Uuid,
        today: NaiveDate,
        missions: &[GoalMissionRow],
    ) -> ApiResult<BTreeMap<String, MissionSummary>> {
        let t = day_str(today);
        let y = today.pred_opt().map(day_str).unwrap_or_default();
        let recent = self.repo.completions_on(user_id, &[&t, &y]).await?;
        let totals = self.repo.mission_totals(user_id).await?;
        let mut out = BTreeMap::new();
        for m in missions {
            let mine = |d: &str| {
                recent
                    .iter()
                    .find(|c| c.mission_id == m.mission_id && c.date == d)
            };
            let latest = mine(&t)
                .map(|c| (today, c.streak))
                .or_else(|| mine(&y).and_then(|c| Some((today.pred_opt()?, c.streak))));
            let tot = totals.iter().find(|x| x.mission_id == m.mission_id);
            out.insert(
                m.mission_id.clone(),
                MissionSummary {
                    done_today: mine(&t).is_some(),
                    current: current_streak(today, latest),
                    best: tot.map(|x| x.best_streak).unwrap_or(0),
                    total: tot.map(|x| x.total).unwrap_or(0),
                },
            );
        }
        Ok(out)
    }

    /// HS-GOAL-030: check off today (idempotent) or undo today's check-off.
    pub async fn set_completion(
        &self,
        user_id: Uuid,
        mission_id: &str,
        completed: bool,
        notes: Option<String>,
        language: &str,
    ) -> ApiResult<CompletionAnswer> {
        let notes = notes
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        if notes
            .as_ref()
            .is_some_and(|n| n.chars().count() > NOTES_MAX)
        {
            return Err(ApiError::validation(vec![FieldError::new(
                "notes",
                "TOO_LONG",
                "notes are at most 200 characters",
            )]));
        }
        let (goal, missions) = self.active(user_id).await?;
        let mission = missions
            .iter()
            .find(|m| m.mission_id == mission_id)
            .ok_or_else(mission_not_found)?;
        let now = self.now();
        let today = self.today(now);
        let (t, y) = (
            day_str(today),
            today.pred_opt().map(day_str).unwrap_or_default(),
        );
        let (earned, streak_made) = if completed {
            let check = crate::completions_repo::CheckOff {
                user_id,
                goal_id: goal.id,
                mission_id,
                day: &t,
                yesterday: &y,
                notes: notes.as_deref(),
                at: to_millis(now),
            };
            let (row, _created) = self
                .repo
                .complete(&check, |streak, points| {
                    DomainEvent::new(
                        EVENT_MISSION_COMPLETED,
                        Some(user_id),
                        json!({ "missionId": mission_id, "date": t, "streak": streak, "points": points }),
                        now,
                    )
                })
                .await?;
            (row.points, Some(row.streak))
        } else {
            let removed = self
                .repo
                .undo(user_id, mission_id, &t, to_millis(now))
                .await?;
            (removed.map(|p| -p).unwrap_or(0), None)
        };
        self.history_cache.invalidate(user_id).await;
        let summary = self.summary(user_id, today, &missions).await?;
        let s = summary.get(mission_id).copied().unwrap_or_default();
        let (_, total_points) = self.repo.points(user_id, &t).await?;
        Ok(CompletionAnswer {
            mission_id: mission_id.to_string(),
            date: today,
            completed,
            streak: s.current,
            best_streak: s.best,
            total_completed: s.total,
            earned_points: earned,
            total_points,
            today_completed: summary.values().filter(|s| s.done_today).count() as i64,
            total_missions: missions.len() as i64,
            celebration: streak_made
                .and_then(|st| celebration(st, title(mission, language), language))
                .map(|(message, badge)| Celebration { message, badge }),
        })
    }

    /// HS-GOAL-050: end the goal with a reason; new recommendations without its missions.
    pub async fn reset(
        &self,
        user_id: Uuid,
        req: ResetRequest,
        language: &str,
    ) -> ApiResult<ResetAnswer> {
        let reason = req.reason.trim();
        let comment = req
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let mut errors = Vec::new();
        if !RESET_REASONS.contains(&reason) {
            errors.push(FieldError::new(
                "reason",
                "INVALID_VALUE",
                "reason is one of too_hard, too_easy, not_relevant, no_time, other",
            ));
        }
        if comment.is_some_and(|c| c.chars().count() > NOTES_MAX) {
            errors.push(FieldError::new(
                "comment",
                "TOO_LONG",
                "comment is at most 200 characters",
            ));
        } else if reason == "other" && comment.is_none() {
            errors.push(FieldError::new(
                "comment",
                "REQUIRED",
                "say why when the reason is `other`",
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let (goal, missions) = self.active(user_id).await?;
        let now = self.now();
        let today = day_str(self.today(now));
        if self.repo.resets_on(user_id, &today).await? >= RESETS_PER_DAY {
            return Err(ApiError::too_many(
                "RESET_LIMIT",
                self.until_tomorrow(now),
                "You can reset your missions 3 times a day.",
            ));
        }
        let ids: Vec<String> = missions.iter().map(|m| m.mission_id.clone()).collect();
        let event = DomainEvent::new(
            EVENT_MISSION_RESET,
            Some(user_id),
            json!({ "goalId": goal.id, "reason": reason, "missionIds": ids }),
            now,
        );
        let ending = Ending {
            reason: "reset",
            reset_reason: Some(reason),
            reset_comment: comment,
            at: to_millis(now),
            day: &today,
        };
        if !self
            .repo
            .reset_goal(user_id, goal.id, &ending, &event)
            .await?
        {
            return Err(no_goal());
        }
        self.history_cache.invalidate(user_id).await;
        let recommendation = self
            .recommendations
            .after_reset(user_id, &ids, language)
            .await?;
        Ok(ResetAnswer {
            reset_at: now,
            recommendation,
        })
    }
}

impl GoalService {
    /// `user-deleted`: erases the user's goals, completions and ledger and their cached
    /// statistics. Idempotent.
    pub async fn erase_user(&self, user_id: Uuid) -> Result<(), sqlx::Error> {
        self.repo.erase_user(user_id).await?;
        self.history_cache.invalidate(user_id).await;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct MissionSummary {
    pub done_today: bool,
    pub current: i64,
    pub best: i64,
    pub total: i64,
}
