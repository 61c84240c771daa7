//! Streaks, points and celebrations (spec §2.3, decision 10).
//!
//! A streak belongs to a user and a mission id: the consecutive days with a completion
//! ending today, or yesterday while today is not yet done. Each completion stores the
//! streak it made, so the streak of day D is the streak of D−1 plus one.

use chrono::NaiveDate;

pub const MILESTONES: [i64; 6] = [3, 7, 14, 30, 60, 100];

/// The streak a completion on `day` makes, given the mission's completion of the day
/// before (its stored streak), if any.
pub fn streak_on(previous_day_streak: Option<i64>) -> i64 {
    previous_day_streak.unwrap_or(0).saturating_add(1)
}

/// Points of one completion: 10, 20 when the streak including today is 3–6, 30 at ≥ 7.
pub fn points(streak: i64) -> i64 {
    match streak {
        s if s >= 7 => 30,
        3..=6 => 20,
        _ => 10,
    }
}

/// The current streak shown for a mission: the latest completion's streak if it was
/// today or yesterday, else 0.
pub fn current_streak(today: NaiveDate, latest: Option<(NaiveDate, i64)>) -> i64 {
    match latest {
        Some((day, streak)) if day == today => streak,
        Some((day, streak)) if today.pred_opt() == Some(day) => streak,
        _ => 0,
    }
}

pub fn is_milestone(streak: i64) -> bool {
    MILESTONES.contains(&streak)
}

/// The rules' celebration of a milestone: (message ≤ 100 chars, badge `streak_<n>`).
pub fn celebration(streak: i64, mission_title: &str, language: &str) -> Option<(String, String)> {
    if !is_milestone(streak) {
        return None;
    }
    let message = if language == "en" {
        format!("{streak} days in a row: {mission_title}! Keep the habit going.")
    } else {
        format!("{mission_title} {streak}일 연속 달성! 좋은 습관이 자리 잡고 있어요.")
    };
    let message = if message.chars().count() > 100 {
        message.chars().take(100).collect()
    } else {
        message
    };
    Some((message, format!("streak_{streak}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn points_are_10_20_30_not_cumulative() {
        let got: Vec<i64> = (1..=9).map(points).collect();
        assert_eq!(got, [10, 10, 20, 20, 20, 20, 30, 30, 30]);
        assert_eq!(points(100), 30);
    }

    #[test]
    fn streak_continues_from_yesterday_and_lapses_after_a_gap() {
        assert_eq!(streak_on(None), 1);
        assert_eq!(streak_on(Some(6)), 7);
        let today = d("2026-03-10");
        assert_eq!(current_streak(today, Some((d("2026-03-10"), 4))), 4);
        assert_eq!(current_streak(today, Some((d("2026-03-09"), 4))), 4);
        assert_eq!(current_streak(today, Some((d("2026-03-08"), 4))), 0);
        assert_eq!(current_streak(today, None), 0);
    }

    #[test]
    fn celebrations_only_at_milestones() {
        let at: Vec<i64> = (1..=100)
            .filter(|s| celebration(*s, "x", "ko").is_some())
            .collect();
        assert_eq!(at, MILESTONES);
        let (msg, badge) = celebration(7, "물 8잔 마시기", "ko").unwrap_or_default();
        assert_eq!(badge, "streak_7");
        assert!(msg.contains("7일") && msg.chars().count() <= 100);
    }
}
