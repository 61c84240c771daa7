//! History and achievement statistics (HS-GOAL-040), computed from the days each mission
//! belonged to the active goal and the days it was completed.
//!
//! Active days of a mission = days on which it belonged to the active goal, up to today.
//! Mission rate = completed ÷ active days; period rate = Σ completions ÷ Σ active days;
//! day rate = completed ÷ missions active that day. One decimal; no active days → null.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Days [from, to] (inclusive) a mission belonged to one goal.
#[derive(Debug, Clone)]
pub struct Span {
    pub mission_id: String,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Completion {
    pub mission_id: String,
    pub date: NaiveDate,
    pub streak: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MissionStat {
    pub mission_id: String,
    pub title: String,
    pub achievement_rate: Option<f64>,
    pub completed_days: i64,
    pub active_days: i64,
    pub best_streak: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DayStat {
    pub date: NaiveDate,
    pub completed: i64,
    pub active: i64,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Insight {
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub total_achievement_rate: Option<f64>,
    pub period_achievement_rate: Option<f64>,
    pub best_streak: i64,
    pub missions: Vec<MissionStat>,
    pub daily: Vec<DayStat>,
    /// Weeks start on Monday; `date` is the week's Monday (clipped to the period).
    pub weekly: Vec<DayStat>,
    pub insights: Vec<Insight>,
}

pub fn percent(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| ((num as f64) * 1000.0 / (den as f64)).round() / 10.0)
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// mission → active days within [from, to] (already clipped to today by the caller).
fn active_days(
    spans: &[Span],
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeMap<&str, BTreeSet<NaiveDate>> {
    let mut out: BTreeMap<&str, BTreeSet<NaiveDate>> = BTreeMap::new();
    for s in spans {
        let a = s.from.max(from);
        let b = s.to.min(to);
        let set = out.entry(s.mission_id.as_str()).or_default();
        if a <= b {
            set.extend(days(a, b));
        }
    }
    out
}

/// (Σ completions on active days, Σ active days) over [from, to].
fn totals(
    spans: &[Span],
    done: &BTreeSet<(&str, NaiveDate)>,
    from: NaiveDate,
    to: NaiveDate,
) -> (i64, i64) {
    let mut c = 0;
    let mut a = 0;
    for (m, set) in active_days(spans, from, to) {
        a += set.len() as i64;
        c += set.iter().filter(|d| done.contains(&(m, **d))).count() as i64;
    }
    (c, a)
}

fn weekday_name(w: Weekday, language: &str) -> &'static str {
    let i = w.num_days_from_monday() as usize;
    if language == "en" {
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][i]
    } else {
        [
            "월요일",
            "화요일",
            "수요일",
            "목요일",
            "금요일",
            "토요일",
            "일요일",
        ][i]
    }
}

/// The statistics of [from, to] (to ≤ today) over `spans` (already filtered by mission).
pub fn history(
    spans: &[Span],
    completions: &[Completion],
    from: NaiveDate,
    to: NaiveDate,
    language: &str,
) -> History {
    let done: BTreeSet<(&str, NaiveDate)> = completions
        .iter()
        .map(|c| (c.mission_id.as_str(), c.date))
        .collect();
    let active = active_days(spans, from, to);
    let mut missions = Vec::new();
    for (m, set) in &active {
        let title = spans
            .iter()
            .rev()
            .find(|s| s.mission_id == *m)
            .map(|s| s.title.clone())
            .unwrap_or_default();
        let completed = set.iter().filter(|d| done.contains(&(*m, **d))).count() as i64;
        let best = completions
            .iter()
            .filter(|c| c.mission_id == *m && c.date >= from && c.date <= to)
            .map(|c| c.streak)
            .max()
            .unwrap_or(0);
        if set.is_empty() && completed == 0 {
            continue;
        }
        missions.push(MissionStat {
            mission_id: m.to_string(),
            title,
            achievement_rate: percent(completed, set.len() as i64),
            completed_days: completed,
            active_days: set.len() as i64,
            best_streak: best,
        });
    }
    let daily: Vec<DayStat> = days(from, to)
        .map(|d| {
            let act = active.values().filter(|s| s.contains(&d)).count() as i64;
            let comp = active
                .iter()
                .filter(|(m, s)| s.contains(&d) && done.contains(&(**m, d)))
                .count() as i64;
            DayStat {
                date: d,
                completed: comp,
                active: act,
                rate: percent(comp, act),
            }
        })
        .collect();
    let mut weekly: Vec<DayStat> = Vec::new();
    for d in &daily {
        let monday = d.date - Duration::days(i64::from(d.date.weekday().num_days_from_monday()));
        let start = monday.max(from);
        match weekly.last_mut() {
            Some(w) if w.date == start => {
                w.completed += d.completed;
                w.active += d.active;
            }
            _ => weekly.push(DayStat {
                date: start,
                completed: d.completed,
                active: d.active,
                rate: None,
            }),
        }
    }
    for w in &mut weekly {
        w.rate = percent(w.completed, w.active);
    }
    let (pc, pa) = totals(spans, &done, from, to);
    let first = spans.iter().map(|s| s.from).min();
    let (tc, ta) = match first {
        Some(f) => totals(spans, &done, f, to),
        None => (0, 0),
    };
    let period_rate = percent(pc, pa);
    let len = (to - from).num_days() + 1;
    let prev_to = from.pred_opt();
    let prev_from = from.checked_sub_signed(Duration::days(len));
    let previous = match (prev_from, prev_to) {
        (Some(a), Some(b)) => {
            let (c, a) = totals(spans, &done, a, b);
            percent(c, a)
        }
        _ => None,
    };
    let insights = insights(&daily, &missions, period_rate, previous, language);
    History {
        total_achievement_rate: percent(tc, ta),
        period_achievement_rate: period_rate,
        best_streak: missions.iter().map(|m| m.best_streak).max().unwrap_or(0),
        missions,
        daily,
        weekly,
        insights,
    }
}

/// 1–3 rule insights: best weekday, best/worst mission, trend against the previous period.
fn insights(
    daily: &[DayStat],
    missions: &[MissionStat],
    rate: Option<f64>,
    previous: Option<f64>,
    language: &str,
) -> Vec<Insight> {
    let en = language == "en";
    let mut out = Vec::new();
    let mut by_weekday: BTreeMap<u32, (i64, i64, Weekday)> = BTreeMap::new();
    for d in daily.iter().filter(|d| d.active > 0) {
        let e = by_weekday
            .entry(d.date.weekday().num_days_from_monday())
            .or_insert((0, 0, d.date.weekday()));
        e.0 += d.completed;
        e.1 += d.active;
    }
    let best_day = by_weekday
        .values()
        .filter_map(|(c, a, w)| percent(*c, *a).map(|r| (r, *w)))
        .max_by(|x, y| {
            x.0.total_cmp(&y.0)
                .then(y.1.num_days_from_monday().cmp(&x.1.num_days_from_monday()))
        });
    if by_weekday.len() >= 2
        && let Some((r, w)) = best_day
        && r > 0.0
    {
        let day = weekday_name(w, language);
        out.push(Insight {
            kind: "best_weekday",
            message: if en {
                format!("You keep your missions best on {day} ({r}%).")
            } else {
                format!("{day}에 미션을 가장 잘 지켰어요 ({r}%).")
            },
        });
    }
    let rated: Vec<(&MissionStat, f64)> = missions
        .iter()
        .filter_map(|m| m.achievement_rate.map(|r| (m, r)))
        .collect();
    let best = rated.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let worst = rated.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    if let (Some(b), Some(w)) = (best, worst)
        && rated.len() >= 2
        && b.1 > w.1
    {
        out.push(Insight {
            kind: "best_worst_mission",
            message: if en {
                format!(
                    "Best: '{}' ({}%). Needs attention: '{}' ({}%).",
                    b.0.title, b.1, w.0.title, w.1
                )
            } else {
                format!(
                    "'{}' 달성률이 가장 높고({}%), '{}'는 조금 더 힘을 내 봐요({}%).",
                    b.0.title, b.1, w.0.title, w.1
                )
            },
        });
    }
    if let (Some(now), Some(before)) = (rate, previous) {
        let diff = ((now - before) * 10.0).round() / 10.0;
        let message = match (diff, en) {
            (d, true) if d >= 5.0 => {
                format!("Up {d} points on the previous period ({before}% → {now}%).")
            }
            (d, false) if d >= 5.0 => format!("지난 기간보다 {d}%p 올랐어요 ({before}% → {now}%)."),
            (d, true) if d <= -5.0 => format!(
                "Down {} points on the previous period ({before}% → {now}%).",
                -d
            ),
            (d, false) if d <= -5.0 => {
                format!("지난 기간보다 {}%p 내려갔어요 ({before}% → {now}%).", -d)
            }
            (_, true) => format!("Steady compared with the previous period ({before}% → {now}%)."),
            (_, false) => format!("지난 기간과 비슷하게 유지하고 있어요 ({before}% → {now}%)."),
        };
        out.push(Insight {
            kind: "trend",
            message,
        });
    }
    if out.is_empty() {
        out.push(Insight {
            kind: "getting_started",
            message: if en {
                "Keep checking off missions: insights appear as your record grows.".into()
            } else {
                "미션 기록이 쌓이면 요일별·미션별 분석을 보여 드려요.".into()
            },
        });
    }
    out.truncate(3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn span(m: &str, a: &str, b: &str) -> Span {
        Span {
            mission_id: m.into(),
            title: m.into(),
            from: d(a),
            to: d(b),
        }
    }

    fn done(m: &str, day: &str, streak: i64) -> Completion {
        Completion {
            mission_id: m.into(),
            date: d(day),
            streak,
        }
    }

    #[test]
    fn rates_count_only_days_the_mission_was_in_the_goal() {
        // `a` in the goal 1–10 March, `b` only from 6 March (a replacement kept `a`).
        let spans = [
            span("a", "2026-03-01", "2026-03-05"),
            span("a", "2026-03-06", "2026-03-10"),
            span("b", "2026-03-06", "2026-03-10"),
        ];
        let comps = [
            done("a", "2026-03-01", 1),
            done("a", "2026-03-02", 2),
            done("b", "2026-03-06", 1),
            done("b", "2026-03-07", 2),
        ];
        let h = history(&spans, &comps, d("2026-03-01"), d("2026-03-10"), "ko");
        let a = &h.missions[0];
        assert_eq!(
            (
                a.completed_days,
                a.active_days,
                a.achievement_rate,
                a.best_streak
            ),
            (2, 10, Some(20.0), 2)
        );
        let b = &h.missions[1];
        assert_eq!(
            (b.completed_days, b.active_days, b.achievement_rate),
            (2, 5, Some(40.0))
        );
        // 4 completions over 15 active days.
        assert_eq!(h.period_achievement_rate, Some(26.7));
        assert_eq!(h.daily[0].rate, Some(100.0));
        assert_eq!(h.daily[5].active, 2);
        assert_eq!(h.daily[5].rate, Some(50.0));
        assert_eq!(h.daily.len(), 10);
        // 1 March 2026 is a Sunday: weeks start 1, 2 and 9 March.
        let starts: Vec<NaiveDate> = h.weekly.iter().map(|w| w.date).collect();
        assert_eq!(starts, [d("2026-03-01"), d("2026-03-02"), d("2026-03-09")]);
        assert!((1..=3).contains(&h.insights.len()));
    }

    #[test]
    fn no_active_days_is_null_and_one_insight() {
        let h = history(&[], &[], d("2026-03-01"), d("2026-03-10"), "en");
        assert_eq!(h.period_achievement_rate, None);
        assert_eq!(h.total_achievement_rate, None);
        assert_eq!(h.insights.len(), 1);
        assert_eq!(h.insights[0].kind, "getting_started");
    }

    #[test]
    fn trend_against_the_previous_period() {
        let spans = [span("a", "2026-02-01", "2026-03-10")];
        let comps: Vec<Completion> = (1..=10)
            .map(|i| done("a", &format!("2026-03-{i:02}"), i))
            .collect();
        let h = history(&spans, &comps, d("2026-03-01"), d("2026-03-10"), "en");
        let trend = h.insights.iter().find(|i| i.kind == "trend");
        assert!(
            trend.is_some_and(|t| t.message.starts_with("Up 100")),
            "{:?}",
            h.insights
        );
        assert_eq!(h.total_achievement_rate, Some(26.3));
    }
}
