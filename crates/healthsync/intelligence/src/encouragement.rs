//! HS-AI-040: the home screen's encouragement from today's progress, the 7-day rate and
//! the urgency of §8.1 — rules templates by motivation type (message ≤ 100, tip ≤ 80).
//! Computed on each request from the goal data, so it follows every completion and day.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;
use tripgen_platform::SharedClock;
use tripgen_platform::error::{ApiError, ApiResult};
use uuid::Uuid;

use crate::batch::lagging::assess;
use crate::batch::ports::BatchSource;
use crate::domain::texts::clip;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Encouragement {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tip: Option<String>,
    /// `achievement`, `habit_formation` or `health_benefit`.
    pub motivation_type: String,
    /// `low`, `medium` or `high`.
    pub urgency: String,
    pub generated_by: String,
    pub date: NaiveDate,
}

pub struct Encourager {
    pub source: Arc<dyn BatchSource>,
    pub clock: SharedClock,
    pub time_zone: Tz,
}

impl Encourager {
    pub async fn today(&self, user_id: Uuid, language: &str) -> ApiResult<Encouragement> {
        let today = self.clock.now().with_timezone(&self.time_zone).date_naive();
        let no_goal = || {
            ApiError::not_found(
                "NO_ACTIVE_GOAL",
                "You have no goal yet: choose missions first.",
            )
        };
        let w = self
            .source
            .user_window(user_id, today - Duration::days(6), today)
            .await?
            .ok_or_else(no_goal)?;
        let a = assess(&w, today, today + Duration::days(1)).ok_or_else(no_goal)?;
        let en = language == "en";
        let left = (a.active_on_e - a.done_on_e).max(0);
        let rate7 = (a.rate7 * 100.0).round() as i64;
        let mission = if en { &a.mission.1 } else { &a.mission.0 };
        let message = match (left, a.motivation, en) {
            (0, _, false) => "오늘 미션을 모두 끝냈어요! 내일도 이 흐름을 이어 가요.".to_string(),
            (0, _, true) => {
                "All of today's missions are done! Keep the streak going tomorrow.".to_string()
            }
            (_, "achievement", false) => {
                format!("최근 7일 달성률 {rate7}%! 오늘 남은 미션 {left}개도 끝내 볼까요?")
            }
            (_, "achievement", true) => {
                format!("{rate7}% over the last 7 days! Finish the {left} left today?")
            }
            (_, "habit_formation", false) => {
                format!("습관이 자리 잡고 있어요. 오늘 남은 미션 {left}개, 하나씩 해 봐요.")
            }
            (_, "habit_formation", true) => {
                format!("The habit is forming. {left} to go today, one at a time.")
            }
            (_, _, false) => {
                format!("작은 미션 하나가 건강을 바꿔요. 오늘은 '{mission}'부터 시작해 볼까요?")
            }
            (_, _, true) => {
                format!("One small mission helps your health. Start with '{mission}' today?")
            }
        };
        let tip = match (a.motivation, en) {
            ("achievement", false) => "같은 시간에 미션을 하면 습관이 더 단단해져요.",
            ("achievement", true) => "Doing missions at the same time each day locks the habit in.",
            ("habit_formation", false) => "미션을 알람이나 일정에 넣어 두면 잊지 않아요.",
            ("habit_formation", true) => "Put your missions in your calendar so you don't forget.",
            (_, false) => "가장 쉬운 미션부터 시작하면 부담이 줄어요.",
            (_, true) => "Start with the easiest mission to make it lighter.",
        };
        Ok(Encouragement {
            message: clip(message, 100),
            tip: Some(clip(tip.to_string(), 80)),
            motivation_type: a.motivation.into(),
            urgency: a.urgency.into(),
            generated_by: "rules".into(),
            date: today,
        })
    }
}
