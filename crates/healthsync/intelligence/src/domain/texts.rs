//! Rule texts of a recommendation in Korean and English: each mission's health benefit
//! (≤ 80 chars), its occupation relevance (≤ 80) and the recommendation's reason (≤ 200).

use super::catalogue::Mission;
use super::recommend::Pick;

/// (tag, ko, en) names of the risk tags.
const RISK_NAMES: &[(&str, &str, &str)] = &[
    ("blood_pressure", "혈압", "blood pressure"),
    ("blood_sugar", "혈당", "blood sugar"),
    ("obesity", "체중·비만", "body weight"),
    ("lipids", "콜레스테롤", "cholesterol"),
    ("liver", "간 기능", "liver function"),
    ("kidney", "신장 기능", "kidney function"),
    ("anemia", "빈혈", "anaemia"),
    ("smoking", "흡연", "smoking"),
    ("drinking", "음주", "drinking"),
    ("general", "전반적인 건강", "overall health"),
    ("posture", "자세", "posture"),
    ("stress", "스트레스", "stress"),
    ("eyes", "눈 피로", "eye strain"),
    ("sleep", "수면", "sleep"),
];

/// (tag, ko, en) phrases of the occupations' work-pattern tags.
const PATTERN_NAMES: &[(&str, &str, &str)] = &[
    ("sitting", "오래 앉아 일하는", "long hours sitting"),
    ("screen", "화면을 오래 보는", "long screen time"),
    (
        "neck_shoulder",
        "목·어깨가 긴장되는",
        "neck and shoulder strain",
    ),
    ("meetings", "회의가 많은", "many meetings"),
    ("stress", "스트레스가 많은", "a stressful job"),
    ("irregular_meals", "식사가 불규칙한", "irregular meals"),
    ("late_hours", "늦게까지 일하는", "late working hours"),
    ("eating_out", "외식이 잦은", "frequent eating out"),
    ("drinking", "술자리가 잦은", "frequent work drinks"),
    ("travel", "이동이 잦은", "frequent travel"),
    ("night_shift", "야간 근무가 있는", "night shifts"),
    ("sleep", "잠이 부족하기 쉬운", "short sleep"),
    ("emotional_stress", "감정 노동이 많은", "emotional labour"),
    ("voice", "말을 많이 하는", "heavy voice use"),
    ("general", "일상적인", "everyday work"),
];

fn name(table: &[(&str, &'static str, &'static str)], tag: &str, language: &str) -> String {
    table
        .iter()
        .find(|(t, _, _)| *t == tag)
        .map(|(_, ko, en)| if language == "en" { *en } else { *ko })
        .unwrap_or(tag)
        .to_string()
}

pub fn risk_name(tag: &str, language: &str) -> String {
    name(RISK_NAMES, tag, language)
}

pub fn pattern_name(tag: &str, language: &str) -> String {
    name(PATTERN_NAMES, tag, language)
}

/// Cuts to `max` characters (never inside a character).
pub fn clip(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        s
    } else {
        s.chars().take(max).collect()
    }
}

pub fn health_benefit(m: &Mission, p: &Pick, language: &str) -> String {
    let tag = p
        .risk_factors
        .first()
        .or(m.risk_tags.first())
        .map(String::as_str)
        .unwrap_or("general");
    let what = risk_name(tag, language);
    clip(
        if language == "en" {
            format!("Helps with {what}.")
        } else {
            format!("{what} 관리에 도움이 돼요.")
        },
        80,
    )
}

pub fn occupation_relevance(p: &Pick, language: &str) -> String {
    clip(
        match (p.occupation_match.first(), language) {
            (Some(t), "en") => format!("Suits work with {}.", pattern_name(t, "en")),
            (Some(t), _) => format!("{} 업무 패턴에 맞춘 미션이에요.", pattern_name(t, "ko")),
            (None, "en") => "A habit that helps in any job.".into(),
            (None, _) => "어떤 직무에서나 도움이 되는 습관이에요.".into(),
        },
        80,
    )
}

/// Why these missions: the flagged groups, else keep-up, else the occupation only.
pub fn reason(flagged: &[String], based_on_checkup: bool, language: &str) -> String {
    let names: Vec<String> = flagged
        .iter()
        .take(3)
        .map(|g| risk_name(g, language))
        .collect();
    let en = language == "en";
    clip(
        match (based_on_checkup, names.is_empty(), en) {
            (false, _, true) => "Chosen for your work pattern. Sync your checkup for missions that fit your results.".into(),
            (false, _, false) => "직무의 업무 패턴에 맞춰 골랐어요. 검진 결과를 연동하면 결과에 맞춘 미션을 받을 수 있어요.".into(),
            (true, true, true) => "Your checkup is within the normal bands, so these missions help you keep it that way.".into(),
            (true, true, false) => "검진 결과가 정상 범위라서 지금의 건강을 유지하는 미션을 골랐어요.".into(),
            (true, false, true) => format!("Your checkup flagged {}, so these small daily missions target them.", names.join(", ")),
            (true, false, false) => format!("검진에서 {} 항목이 주의 또는 위험으로 나와 이를 개선하는 작은 미션을 골랐어요.", names.join(", ")),
        },
        200,
    )
}
