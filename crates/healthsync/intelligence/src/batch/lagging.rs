//! Who is falling behind on the evaluated day E (spec §8.1): an active goal existed on E
//! and either the completion rate over E−2…E (days the goal was active) is < 50 % or
//! nothing was completed on E. Urgency score = (1 − rate) × 50 + consecutive missed days ×
//! 20 + min(days since last completion × 5, 30); urgency `high` if rate < 30 % or ≥ 3
//! missed days, `medium` if < 50 % or ≥ 2, else `low`. Motivation by the 7-day rate:
//! `achievement` ≥ 80 %, `habit_formation` ≥ 50 %, else `health_benefit`.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

/// One goal of the user overlapping the window.
#[derive(Debug, Clone)]
pub struct GoalSpan {
    pub start: NaiveDate,
    /// Its last active day (the day it ended), `None` while active.
    pub end: Option<NaiveDate>,
    /// (mission id, ko title, en title).
    pub missions: Vec<(String, String, String)>,
}

/// A user's goals and completions in E−6…E.
#[derive(Debug, Clone)]
pub struct UserWindow {
    pub user_id: Uuid,
    pub goals: Vec<GoalSpan>,
    pub completions: Vec<(String, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub user_id: Uuid,
    pub lagging: bool,
    /// E−2…E completion rate (0–1).
    pub rate: f64,
    pub missed_days: i64,
    pub days_since_completion: i64,
    pub score: f64,
    pub urgency: &'static str,
    pub motivation: &'static str,
    /// E−6…E completion rate (0–1).
    pub rate7: f64,
    /// Missions done on E, of those active on E.
    pub done_on_e: i64,
    pub active_on_e: i64,
    /// A mission of the goal not done on E (for `{mission}`): (ko, en).
    pub mission: (String, String),
}

fn active_on(g: &GoalSpan, d: NaiveDate) -> bool {
    g.start <= d && g.end.is_none_or(|e| d <= e)
}

/// (completed, active) mission-days on `d`.
fn day(w: &UserWindow, d: NaiveDate) -> (i64, i64) {
    let active: BTreeSet<&str> = w
        .goals
        .iter()
        .filter(|g| active_on(g, d))
        .flat_map(|g| g.missions.iter().map(|m| m.0.as_str()))
        .collect();
    let done = w
        .completions
        .iter()
        .filter(|(m, cd)| *cd == d && active.contains(m.as_str()))
        .count() as i64;
    (done, active.len() as i64)
}

fn rate(w: &UserWindow, from: NaiveDate, to: NaiveDate) -> Option<f64> {
    let (mut c, mut a) = (0, 0);
    let mut d = from;
    while d <= to {
        let (dc, da) = day(w, d);
        c += dc;
        a += da;
        d += Duration::days(1);
    }
    (a > 0).then(|| c as f64 / a as f64)
}

/// `None` when the user had no active goal on `e`, or the goal started on `run_date`.
pub fn assess(w: &UserWindow, e: NaiveDate, run_date: NaiveDate) -> Option<Assessment> {
    let goal = w
        .goals
        .iter()
        .filter(|g| active_on(g, e))
        .max_by_key(|g| g.start)?;
    if goal.start == run_date {
        return None;
    }
    let rate3 = rate(w, e - Duration::days(2), e).unwrap_or(0.0);
    let (done_e, active_e) = day(w, e);
    let mut missed = 0;
    let mut d = e;
    while missed < 7 {
        let (c, a) = day(w, d);
        if a == 0 || c > 0 {
            break;
        }
        missed += 1;
        d -= Duration::days(1);
    }
    let last = w
        .completions
        .iter()
        .map(|(_, d)| *d)
        .filter(|d| *d <= e)
        .max();
    let since = match last {
        Some(l) => (e - l).num_days(),
        None => (e - goal.start).num_days() + 1,
    };
    let score = (1.0 - rate3) * 50.0 + missed as f64 * 20.0 + ((since * 5).min(30)) as f64;
    let urgency = if rate3 < 0.3 || missed >= 3 {
        "high"
    } else if rate3 < 0.5 || missed >= 2 {
        "medium"
    } else {
        "low"
    };
    let rate7 = rate(w, e - Duration::days(6), e).unwrap_or(0.0);
    let motivation = if rate7 >= 0.8 {
        "achievement"
    } else if rate7 >= 0.5 {
        "habit_formation"
    } else {
        "health_benefit"
    };
    let done_today: BTreeSet<&str> = w
        .completions
        .iter()
        .filter(|(_, d)| *d == e)
        .map(|(m, _)| m.as_str())
        .collect();
    let mission = goal
        .missions
        .iter()
        .find(|m| !done_today.contains(m.0.as_str()))
        .or(goal.missions.first())
        .map(|m| (m.1.clone(), m.2.clone()))
        .unwrap_or_default();
    Some(Assessment {
        user_id: w.user_id,
        lagging: rate3 < 0.5 || done_e == 0,
        rate: rate3,
        missed_days: missed,
        days_since_completion: since,
        score,
        urgency,
        motivation,
        rate7,
        done_on_e: done_e,
        active_on_e: active_e,
        mission,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn window(start: &str, done: &[(&str, &str)]) -> UserWindow {
        UserWindow {
            user_id: Uuid::from_u128(1),
            goals: vec![GoalSpan {
                start: d(start),
                end: None,
                missions: vec![
                    ("a".into(), "가".into(), "A".into()),
                    ("b".into(), "나".into(), "B".into()),
                ],
            }],
            completions: done
                .iter()
                .map(|(m, day)| (m.to_string(), d(day)))
                .collect(),
        }
    }

    #[test]
    fn nothing_done_on_e_is_lagging_even_with_a_good_rate() {
        let w = window(
            "2027-03-01",
            &[
                ("a", "2027-03-08"),
                ("b", "2027-03-08"),
                ("a", "2027-03-09"),
                ("b", "2027-03-09"),
            ],
        );
        let a = assess(&w, d("2027-03-10"), d("2027-03-11"));
        let Some(a) = a else { panic!("active goal") };
        assert!(a.lagging);
        assert!((a.rate - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!((a.missed_days, a.days_since_completion), (1, 1));
        assert_eq!(a.urgency, "low");
        // (1 − 2/3) × 50 + 1 × 20 + 5
        assert!((a.score - (50.0 / 3.0 + 25.0)).abs() < 1e-9);
    }

    #[test]
    fn on_track_is_not_lagging_and_new_goals_are_skipped() {
        let w = window(
            "2027-03-01",
            &[
                ("a", "2027-03-08"),
                ("a", "2027-03-09"),
                ("b", "2027-03-09"),
                ("a", "2027-03-10"),
                ("b", "2027-03-10"),
            ],
        );
        let a = assess(&w, d("2027-03-10"), d("2027-03-11"));
        assert!(a.is_some_and(|a| !a.lagging));
        let fresh = window("2027-03-11", &[]);
        assert_eq!(assess(&fresh, d("2027-03-11"), d("2027-03-11")), None);
        assert_eq!(
            assess(&fresh, d("2027-03-10"), d("2027-03-11")),
            None,
            "no goal on E"
        );
    }

    #[test]
    fn three_missed_days_are_high_urgency() {
        let w = window("2027-03-01", &[("a", "2027-03-06")]);
        let a = assess(&w, d("2027-03-10"), d("2027-03-11"));
        let Some(a) = a else { panic!("active goal") };
        assert_eq!(
            (a.missed_days, a.urgency, a.motivation),
            (4, "high", "health_benefit")
        );
        assert_eq!(a.days_since_completion, 4);
        assert_eq!(a.score, 50.0 + 80.0 + 20.0);
    }
}
