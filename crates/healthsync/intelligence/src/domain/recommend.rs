//! The rules' mission recommendation (spec §7): rank every catalogue mission by the
//! user's flagged groups and work pattern, then take the top 5 with at most 2 per
//! category; `hard` only at `low` risk; ties broken by SHA-256(user id, date, mission).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::catalogue::Mission;

pub const MISSIONS_PER_RECOMMENDATION: usize = 5;
pub const MAX_PER_CATEGORY: usize = 2;

/// What the rules know of the user.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub user_id: Uuid,
    /// Work-pattern tags of the user's occupation.
    pub occupation_tags: Vec<String>,
    /// Status (`normal`/`warning`/`danger`) of each measured scoring group; empty
    /// without a checkup.
    pub groups: BTreeMap<String, String>,
    /// `low`/`moderate`/`high`; `None` without a checkup.
    pub risk_level: Option<String>,
}

/// A chosen mission with why it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub mission_id: String,
    /// The mission's risk tags that the checkup flagged (warning or danger).
    pub risk_factors: Vec<String>,
    /// The user's work-pattern tags the mission suits.
    pub occupation_match: Vec<String>,
    pub score: f64,
}

pub fn score(m: &Mission, s: &Subject) -> (f64, Vec<String>, Vec<String>) {
    let mut score = 0.0;
    let mut factors = Vec::new();
    for tag in &m.risk_tags {
        match s.groups.get(tag).map(String::as_str) {
            Some("danger") => {
                score += 3.0;
                factors.push(tag.clone());
            }
            Some("warning") => {
                score += 1.0;
                factors.push(tag.clone());
            }
            _ => {}
        }
    }
    let occupation: Vec<String> = m
        .occupation_tags
        .iter()
        .filter(|t| s.occupation_tags.contains(t))
        .cloned()
        .collect();
    if !occupation.is_empty() {
        score += 1.0;
    }
    if m.risk_tags.iter().any(|t| t == "general") {
        score += 0.5;
    }
    (score, factors, occupation)
}

fn tie_key(user: Uuid, day: NaiveDate, mission: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(user.as_bytes());
    h.update(day.to_string().as_bytes());
    h.update(mission.as_bytes());
    h.finalize().into()
}

/// The ranked candidates (best first) a recommendation chooses from, without `excluded`
/// and without `hard` unless the risk is `low`.
pub fn ranked(missions: &[Mission], s: &Subject, day: NaiveDate, excluded: &[String]) -> Vec<Pick> {
    let hard_ok = s.risk_level.as_deref() == Some("low");
    let mut picks: Vec<(Pick, [u8; 32])> = missions
        .iter()
        .filter(|m| !excluded.contains(&m.id))
        .filter(|m| hard_ok || m.difficulty != "hard")
        .map(|m| {
            let (score, risk_factors, occupation_match) = score(m, s);
            (
                Pick {
                    mission_id: m.id.clone(),
                    risk_factors,
                    occupation_match,
                    score,
                },
                tie_key(s.user_id, day, &m.id),
            )
        })
        .collect();
    picks.sort_by(|(a, ka), (b, kb)| b.score.total_cmp(&a.score).then_with(|| ka.cmp(kb)));
    picks.into_iter().map(|(p, _)| p).collect()
}

/// The top 5 of `ranked` with at most 2 per category.
pub fn choose(missions: &[Mission], ranked: &[Pick]) -> Vec<Pick> {
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for p in ranked {
        let Some(m) = missions.iter().find(|m| m.id == p.mission_id) else {
            continue;
        };
        let n = per_category.entry(m.category.as_str()).or_default();
        if *n >= MAX_PER_CATEGORY {
            continue;
        }
        *n += 1;
        out.push(p.clone());
        if out.len() == MISSIONS_PER_RECOMMENDATION {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::catalogue;

    fn subject(groups: &[(&str, &str)], risk: Option<&str>) -> Subject {
        Subject {
            user_id: Uuid::from_u128(7),
            occupation_tags: vec!["sitting".into(), "screen".into(), "neck_shoulder".into()],
            groups: groups
                .iter()
                .map(|(g, s)| (g.to_string(), s.to_string()))
                .collect(),
            risk_level: risk.map(str::to_string),
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
    }

    #[test]
    fn five_distinct_at_most_two_per_category_no_hard_unless_low_risk() {
        let c = catalogue();
        let s = subject(
            &[("blood_pressure", "danger"), ("obesity", "warning")],
            Some("moderate"),
        );
        let picks = choose(&c.missions, &ranked(&c.missions, &s, day(), &[]));
        assert_eq!(picks.len(), 5);
        let mut ids: Vec<&str> = picks.iter().map(|p| p.mission_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 5);
        for cat in ["exercise", "diet", "lifestyle"] {
            let n = picks
                .iter()
                .filter(|p| {
                    c.missions
                        .iter()
                        .any(|m| m.id == p.mission_id && m.category == cat)
                })
                .count();
            assert!(n <= 2, "{cat}: {n}");
        }
        assert!(picks.iter().all(|p| {
            c.missions
                .iter()
                .any(|m| m.id == p.mission_id && m.difficulty != "hard")
        }));
        // The danger group leads: the first pick targets blood pressure.
        assert!(
            picks[0]
                .risk_factors
                .contains(&"blood_pressure".to_string())
        );
    }

    #[test]
    fn danger_counts_three_warning_one_occupation_one_general_half() {
        let c = catalogue();
        let s = subject(
            &[("blood_sugar", "danger"), ("obesity", "warning")],
            Some("moderate"),
        );
        let walk = c.missions.iter().find(|m| m.id == "walk-after-lunch");
        let Some(walk) = walk else {
            panic!("walk-after-lunch is in the catalogue");
        };
        // blood_sugar danger 3 + obesity warning 1 + sitting 1 + general 0.5
        assert_eq!(score(walk, &s).0, 5.5);
    }

    #[test]
    fn excluded_missions_and_ties_are_deterministic() {
        let c = catalogue();
        let s = subject(&[], Some("low"));
        let a = choose(&c.missions, &ranked(&c.missions, &s, day(), &[]));
        let b = choose(&c.missions, &ranked(&c.missions, &s, day(), &[]));
        assert_eq!(a, b);
        let gone: Vec<String> = a.iter().map(|p| p.mission_id.clone()).collect();
        let next = choose(&c.missions, &ranked(&c.missions, &s, day(), &gone));
        assert_eq!(next.len(), 5);
        assert!(next.iter().all(|p| !gone.contains(&p.mission_id)));
    }
}
