//! The Goal API's request and response shapes (camelCase JSON).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SetGoalRequest {
    pub recommendation_id: String,
    /// 1–5 distinct mission ids from that recommendation or the current goal.
    pub mission_ids: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GoalMission {
    pub mission_id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub difficulty: String,
    pub minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GoalCreated {
    pub goal_id: Uuid,
    pub start_date: NaiveDate,
    pub missions: Vec<GoalMission>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TodayMission {
    pub mission_id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub difficulty: String,
    pub minutes: i64,
    pub completed_today: bool,
    pub current_streak: i64,
    pub best_streak: i64,
    pub total_completed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Points {
    pub today: i64,
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrentGoal {
    pub goal_id: Uuid,
    pub start_date: NaiveDate,
    /// Today, in `app.time_zone`.
    pub date: NaiveDate,
    pub missions: Vec<TodayMission>,
    pub total_missions: i64,
    pub today_completed: i64,
    /// Percent with 1 decimal.
    pub today_rate: f64,
    pub points: Points,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CompletionRequest {
    /// At most 200 characters.
    pub notes: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Celebration {
    pub message: String,
    /// `streak_<n>`.
    pub badge: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompletionAnswer {
    pub mission_id: String,
    pub date: NaiveDate,
    pub completed: bool,
    pub streak: i64,
    pub best_streak: i64,
    pub total_completed: i64,
    /// Points this call earned (negative for an undo, the same on a repeat).
    pub earned_points: i64,
    pub total_points: i64,
    pub today_completed: i64,
    pub total_missions: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub celebration: Option<Celebration>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// `YYYY-MM-DD`, default 29 days before `to`.
    pub from: Option<String>,
    /// `YYYY-MM-DD` ≤ today, default today.
    pub to: Option<String>,
    /// Comma-separated mission ids.
    pub mission_ids: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionStats {
    pub mission_id: String,
    pub title: String,
    pub achievement_rate: Option<f64>,
    pub completed_days: i64,
    pub active_days: i64,
    pub best_streak: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DailyPoint {
    pub date: NaiveDate,
    pub completed: i64,
    pub active: i64,
    pub rate: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeeklyPoint {
    /// The week's Monday, or the period's first day.
    pub week_start: NaiveDate,
    pub completed: i64,
    pub active: i64,
    pub rate: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Insight {
    /// `best_weekday`, `best_worst_mission`, `trend` or `getting_started`.
    pub kind: String,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryAnswer {
    pub period: Period,
    pub total_achievement_rate: Option<f64>,
    pub period_achievement_rate: Option<f64>,
    pub best_streak: i64,
    pub missions: Vec<MissionStats>,
    pub daily: Vec<DailyPoint>,
    pub weekly: Vec<WeeklyPoint>,
    pub insights: Vec<Insight>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    /// `too_hard`, `too_easy`, `not_relevant`, `no_time` or `other`.
    pub reason: String,
    /// At most 200 characters; required for `other`.
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResetAnswer {
    pub reset_at: DateTime<Utc>,
    /// New recommendations without the ended missions (the intelligence `Recommendation`).
    #[schema(value_type = Object)]
    pub recommendation: serde_json::Value,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub cursor: Option<String>,
    /// 1–50, default 20.
    pub limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LedgerItem {
    pub points: i64,
    /// `completion` or `undo`.
    pub reason: String,
    pub mission_id: String,
    pub date: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PointsPage {
    pub total: i64,
    pub items: Vec<LedgerItem>,
    pub next_cursor: Option<String>,
}
