//! The rules' 3-line diagnosis (HS-AI-010, spec §7): (1) overall state from score and
//! risk, (2) the group with the largest penalty naming item, value and normal band (a
//! recheck with a doctor for danger; praise when all is normal), (3) occupation advice
//! (tag × top group). Texts describe bands; they never name a disease.

use crate::domain::texts::{clip, pattern_name, risk_name};
use crate::ports::{CheckupFacts, ItemFact};

pub const LINE_MIN: usize = 10;
pub const LINE_MAX: usize = 120;

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnosis {
    pub lines: [String; 3],
    pub considerations: Vec<String>,
}

fn risk_word(risk: &str, en: bool) -> &'static str {
    match (risk, en) {
        ("high", true) => "high risk",
        ("moderate", true) => "moderate risk",
        (_, true) => "low risk",
        ("high", false) => "위험도 높음",
        ("moderate", false) => "위험도 보통",
        (_, false) => "위험도 낮음",
    }
}

/// The flagged group with the largest penalty (ties: danger first, then name order).
pub fn top_group(c: &CheckupFacts) -> Option<&str> {
    c.penalties
        .iter()
        .filter(|(_, p)| **p > 0)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(g, _)| g.as_str())
}

/// The worst item of `group` (danger before warning).
fn worst_item<'a>(c: &'a CheckupFacts, group: &str) -> Option<&'a ItemFact> {
    let rank = |s: &str| match s {
        "danger" => 2,
        "warning" => 1,
        _ => 0,
    };
    c.items
        .iter()
        .filter(|i| i.group == group && rank(&i.status) > 0)
        .max_by_key(|i| rank(&i.status))
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Two sentences per occupation: the work pattern and what to do about the top group.
fn occupation_line(code: &str, top: Option<&str>, en: bool) -> String {
    let focus = top.map(|g| risk_name(g, if en { "en" } else { "ko" }));
    let (ko, en_text) = match code {
        "developer" => (
            "오래 앉아 화면을 보는 개발 업무는 목·어깨와 허리에 부담을 줘요.",
            "Long hours at a screen load your neck, shoulders and back.",
        ),
        "product_manager" => (
            "회의가 많은 기획 업무는 식사가 불규칙해지기 쉬워요.",
            "Meeting-heavy planning work makes meals irregular.",
        ),
        "marketing" => (
            "마감과 야근이 잦은 마케팅 업무는 스트레스가 쌓이기 쉬워요.",
            "Deadlines and late hours in marketing build up stress.",
        ),
        "sales" => (
            "외식과 술자리가 잦은 영업 업무는 식단 관리가 어려워요.",
            "Sales work with frequent dinners and drinks makes diet hard.",
        ),
        "infra_ops" => (
            "야간 근무가 있는 운영 업무는 수면 리듬이 깨지기 쉬워요.",
            "Operations work with night shifts disturbs your sleep rhythm.",
        ),
        "customer_service" => (
            "감정 노동과 긴 통화가 많은 상담 업무는 피로가 쌓이기 쉬워요.",
            "Emotional labour and long calls in customer service add up.",
        ),
        _ => (
            "바쁜 업무 중에도 작은 습관을 꾸준히 지키는 것이 중요해요.",
            "In a busy job, small steady habits matter most.",
        ),
    };
    let second = match (focus, en) {
        (Some(f), true) => format!(" Fit a short daily habit for {f} into your workday."),
        (Some(f), false) => format!(" 업무 중 짧은 습관으로 {f} 관리를 시작해 보세요."),
        (None, true) => " Keep a short daily habit to stay where you are.".into(),
        (None, false) => " 지금의 좋은 상태를 짧은 습관으로 유지해 보세요.".into(),
    };
    clip(
        format!("{}{second}", if en { en_text } else { ko }),
        LINE_MAX,
    )
}

/// Advice per work-pattern tag of the occupation (1–3).
pub fn considerations(tags: &[String], en: bool) -> Vec<String> {
    let lang = if en { "en" } else { "ko" };
    let mut out: Vec<String> = tags
        .iter()
        .take(3)
        .map(|t| {
            let p = pattern_name(t, lang);
            if en {
                format!("Work with {p}: plan a small break for it every day.")
            } else {
                format!("{p} 업무 패턴: 매일 짧은 휴식과 습관으로 균형을 맞춰 보세요.")
            }
        })
        .collect();
    if out.is_empty() {
        out.push(if en {
            "Keep small daily habits whatever your work pattern.".into()
        } else {
            "업무 패턴과 관계없이 작은 습관을 꾸준히 이어 가세요.".into()
        });
    }
    out
}

pub fn rules(c: &CheckupFacts, occupation: &str, tags: &[String], language: &str) -> Diagnosis {
    let en = language == "en";
    let danger = c.items.iter().filter(|i| i.status == "danger").count();
    let warning = c.items.iter().filter(|i| i.status == "warning").count();
    let line1 = if en {
        format!(
            "Health score {} — {}: {danger} item{} in danger, {warning} in warning.",
            c.health_score,
            risk_word(&c.risk_level, true),
            if danger == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "건강 점수 {}점 — {}: 위험 {danger}개, 주의 {warning}개 항목이 있어요.",
            c.health_score,
            risk_word(&c.risk_level, false)
        )
    };
    let top = top_group(c);
    let line2 = match top.and_then(|g| worst_item(c, g)) {
        Some(i) => {
            let name = if en { &i.name_en } else { &i.name_ko };
            let v = number(i.value);
            match (i.status.as_str(), en) {
                ("danger", true) => format!(
                    "{name} {v} {} is in the danger band (normal {}): please have it rechecked by a doctor.",
                    i.unit, i.normal_band
                ),
                ("danger", false) => format!(
                    "{name} {v}{}은(는) 위험 범위예요(정상 {}). 의사와 상담해 재검사를 받아 보세요.",
                    i.unit, i.normal_band
                ),
                (_, true) => format!(
                    "{name} {v} {} is in the warning band (normal {}): small daily habits can bring it back.",
                    i.unit, i.normal_band
                ),
                (_, false) => format!(
                    "{name} {v}{}은(는) 주의 범위예요(정상 {}). 생활 습관으로 관리해 보세요.",
                    i.unit, i.normal_band
                ),
            }
        }
        None if en => {
            "Every measured item is in the normal band: well done, keep your habits going.".into()
        }
        None => "측정한 모든 항목이 정상 범위예요. 지금의 생활 습관을 잘 유지해 주세요.".into(),
    };
    Diagnosis {
        lines: [
            clip(line1, LINE_MAX),
            clip(line2, LINE_MAX),
            occupation_line(occupation, top, en),
        ],
        considerations: considerations(tags, en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn facts() -> CheckupFacts {
        CheckupFacts {
            health_score: 75,
            risk_level: "moderate".into(),
            penalties: BTreeMap::from([("blood_pressure".into(), 20), ("obesity".into(), 5)]),
            items: vec![
                ItemFact {
                    code: "sbp".into(),
                    name_ko: "수축기 혈압".into(),
                    name_en: "Systolic blood pressure".into(),
                    value: 142.0,
                    unit: "mmHg".into(),
                    status: "danger".into(),
                    group: "blood_pressure".into(),
                    normal_band: "≤ 119".into(),
                },
                ItemFact {
                    code: "bmi".into(),
                    name_ko: "체질량지수".into(),
                    name_en: "BMI".into(),
                    value: 24.0,
                    unit: "kg/m²".into(),
                    status: "warning".into(),
                    group: "obesity".into(),
                    normal_band: "18.5–22.9".into(),
                },
            ],
            ..CheckupFacts::default()
        }
    }

    #[test]
    fn the_spec_example_in_both_languages() {
        let tags = vec!["sitting".to_string(), "screen".to_string()];
        let en = rules(&facts(), "developer", &tags, "en");
        assert_eq!(
            en.lines[0],
            "Health score 75 — moderate risk: 1 item in danger, 1 in warning."
        );
        assert!(
            en.lines[1].contains("142") && en.lines[1].contains("doctor"),
            "{}",
            en.lines[1]
        );
        assert!(en.lines[2].contains("blood pressure"));
        let ko = rules(&facts(), "developer", &tags, "ko");
        assert!(ko.lines[1].contains("142mmHg") && ko.lines[1].contains("재검사"));
        for d in [&en, &ko] {
            for l in &d.lines {
                let n = l.chars().count();
                assert!(
                    (LINE_MIN..=LINE_MAX).contains(&n) && !l.contains('\n'),
                    "{l}"
                );
            }
            assert!((1..=3).contains(&d.considerations.len()));
        }
    }

    #[test]
    fn all_normal_is_praise() {
        let c = CheckupFacts {
            health_score: 100,
            risk_level: "low".into(),
            ..CheckupFacts::default()
        };
        let d = rules(&c, "other", &["general".into()], "ko");
        assert!(d.lines[1].contains("정상 범위"));
    }
}
