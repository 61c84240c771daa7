//! The rules' nudge texts (≤ 80 chars): an opening by urgency and a push by motivation
//! type, in Korean or English, with `{mission}` and `{rate}` filled per user.

use crate::domain::texts::clip;

pub const NUDGE_MAX: usize = 80;

fn opening(urgency: &str, en: bool) -> &'static str {
    match (urgency, en) {
        ("high", false) => "며칠째 미션이 멈춰 있어요.",
        ("medium", false) => "최근 3일 달성률이 {rate}%예요.",
        (_, false) => "어제 미션을 놓쳤어요.",
        ("high", true) => "Your missions have paused for days.",
        ("medium", true) => "Your 3-day rate is {rate}%.",
        (_, true) => "You missed yesterday's missions.",
    }
}

fn push(motivation: &str, en: bool) -> &'static str {
    match (motivation, en) {
        ("achievement", false) => " 잘해 왔으니 오늘 '{mission}'로 이어 가요!",
        ("habit_formation", false) => " 습관이 자라는 중이에요. 오늘 '{mission}' 하나만!",
        (_, false) => " '{mission}' 하나가 건강에 힘이 돼요.",
        ("achievement", true) => " You've done well: continue with '{mission}' today!",
        ("habit_formation", true) => " The habit is forming: just '{mission}' today.",
        (_, true) => " '{mission}' is a small step for your health.",
    }
}

/// The template of a (urgency, motivation, language) group.
pub fn template(urgency: &str, motivation: &str, language: &str) -> String {
    let en = language == "en";
    format!("{}{}", opening(urgency, en), push(motivation, en))
}

/// The template with the user's values, cut to 80 characters.
pub fn render(template: &str, mission: &str, rate_percent: i64) -> String {
    let mission: String = mission.chars().take(24).collect();
    clip(
        template
            .replace("{mission}", &mission)
            .replace("{rate}", &rate_percent.to_string())
            .replace("{name}", "")
            .replace("{streak}", ""),
        NUDGE_MAX,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_fits_80_characters() {
        for u in ["high", "medium", "low"] {
            for m in ["achievement", "habit_formation", "health_benefit"] {
                for l in ["ko", "en"] {
                    let t = render(&template(u, m, l), "목·어깨 스트레칭 3세트를 매일 하기", 33);
                    assert!(t.chars().count() <= NUDGE_MAX, "{t}");
                    assert!(!t.contains('{'), "{t}");
                }
            }
        }
    }
}
