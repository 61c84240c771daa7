//! Times of day in a request: "start at 11", "11시에 시작", "back by 6 pm", "오후 6시까지".
//! A time belongs to the day's start or end by the words around it; hours without am/pm
//! are read the way a traveller means them (back by 6 → 18:00).

/// Which end of the day a time sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

const START_WORDS: &[&str] = &[
    "start",
    "begin",
    "leave",
    "depart",
    "head out",
    "set off",
    "from ",
    "not before",
    "after ",
    "wake",
    "sleep in",
    "시작",
    "출발",
    "부터",
    "나가",
    "나서",
    "이후",
    "일어나",
];
const END_WORDS: &[&str] = &[
    "back",
    "end",
    "finish",
    "until",
    "till",
    "by ",
    "return",
    "before ",
    "no later",
    "done",
    "까지",
    "전에",
    "돌아",
    "귀가",
    "끝",
    "들어가",
    "들어오",
    "복귀",
];
/// Without a time: a late start or an early end.
const LATE_START: &[&str] = &[
    "start late",
    "late start",
    "sleep in",
    "lie in",
    "늦게 시작",
    "늦잠",
    "늦게 출발",
];
const EARLY_END: &[&str] = &[
    "early night",
    "back early",
    "finish early",
    "end early",
    "일찍 들어",
    "일찍 끝",
    "일찍 돌아",
    "일찍 숙소",
];
pub const LATE_START_AT: u32 = 10 * 60;
pub const EARLY_END_AT: u32 = 18 * 60;

/// A time found in a clause: minutes since midnight, and whether the clause said am/pm.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Found {
    minutes: u32,
    meridiem: Option<bool>, // Some(true) = pm
    at: usize,
}

/// Times in `s` (folded): `11`, `11:30`, `11.30`, `6 pm`, `6pm`, `오후 6시`, `10시 반`, `18h`.
fn times(s: &str) -> Vec<Found> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() || (i > 0 && (c[i - 1].is_ascii_digit() || c[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut h = 0u32;
        while j < c.len() && c[j].is_ascii_digit() && j - i < 2 {
            h = h * 10 + c[j].to_digit(10).unwrap_or(0);
            j += 1;
        }
        if j < c.len() && c[j].is_ascii_digit() {
            // three or more digits: a year, a count — not a time
            i = j;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        let mut m = 0u32;
        let mut timeish = false;
        // Minutes after `:` or `.`: exactly two digits.
        let minutes = (j + 2 < c.len() && matches!(c[j], ':' | '.'))
            .then(|| Some(c[j + 1].to_digit(10)? * 10 + c[j + 2].to_digit(10)?))
            .flatten();
        if let Some(mm) = minutes {
            m = mm;
            j += 3;
            timeish = true;
        }
        let rest: String = c[j..].iter().take(8).collect();
        let rest_t = rest.trim_start();
        let mut meridiem = None;
        if rest_t.starts_with("pm") {
            meridiem = Some(true);
            timeish = true;
        } else if rest_t.starts_with("am") {
            meridiem = Some(false);
            timeish = true;
        } else if rest_t.starts_with("o'clock") || rest.starts_with('h') {
            timeish = true;
        }
        if rest_t.starts_with('시') {
            timeish = true;
            let after: String = rest_t.chars().skip(1).take(4).collect();
            if after.trim_start().starts_with('반') {
                m = 30;
            } else if let Some(mins) = korean_minutes(&after) {
                m = mins;
            }
        }
        let before: String = c[..i]
            .iter()
            .rev()
            .take(4)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if before.contains("오후") || before.contains("저녁") || before.contains("밤") {
            meridiem = Some(true);
            timeish = true;
        } else if before.contains("오전") || before.contains("아침") {
            meridiem = Some(false);
            timeish = true;
        }
        // A bare number counts after a time word ("start at 11", "back by 6").
        let lead: String = c[..i]
            .iter()
            .rev()
            .take(6)
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if lead.ends_with("at ")
            || lead.ends_with("by ")
            || lead.ends_with("till ")
            || lead.ends_with("until ")
            || lead.ends_with("from ")
            || lead.ends_with("around ")
            || lead.ends_with("after ")
            || lead.ends_with("before ")
        {
            timeish = true;
        }
        if timeish && h <= 24 && m < 60 {
            out.push(Found {
                minutes: h * 60 + m,
                meridiem,
                at: i,
            });
        }
        i = j.max(i + 1);
    }
    out
}

fn korean_minutes(after: &str) -> Option<u32> {
    let digits: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let rest = after.trim_start().get(digits.len()..)?;
    if !digits.is_empty() && rest.starts_with('분') {
        return digits.parse().ok().filter(|m| *m < 60);
    }
    None
}

/// The wall-clock minutes a traveller means by `f` at `edge` of the day.
fn meant(f: Found, edge: Edge) -> Option<u32> {
    let (h, m) = (f.minutes / 60, f.minutes % 60);
    let h = match (f.meridiem, edge) {
        (Some(true), _) if h < 12 => h + 12,
        (Some(false), _) if h == 12 => 0,
        (None, Edge::End) if (1..=8).contains(&h) => h + 12,
        (None, Edge::Start) if (1..=4).contains(&h) => h + 12,
        _ => h,
    };
    let t = h * 60 + m;
    // Plausible only: a day starts between 05:00 and 15:00 and ends between 11:00 and 24:00.
    match edge {
        Edge::Start => (5 * 60..=15 * 60).contains(&t).then_some(t),
        Edge::End => (11 * 60..=24 * 60)
            .contains(&t)
            .then_some(t.min(23 * 60 + 59)),
    }
}

/// The day start and end a clause asks for.
pub fn day_times(clause: &str) -> Vec<(Edge, u32)> {
    let has = |words: &[&str]| words.iter().any(|w| clause.contains(w));
    let mut out = Vec::new();
    let found = times(clause);
    let edge_of = |at: usize| -> Option<Edge> {
        // The nearest edge word before the time wins; else any in the clause.
        // Korean marks the edge right after the time ("5시까지", "10시부터").
        let near: String = clause.chars().skip(at).take(8).collect();
        let near_start = START_WORDS.iter().filter_map(|w| near.find(w)).min();
        let near_end = END_WORDS.iter().filter_map(|w| near.find(w)).min();
        match (near_start, near_end) {
            (Some(s), Some(e)) => return Some(if s < e { Edge::Start } else { Edge::End }),
            (Some(_), None) => return Some(Edge::Start),
            (None, Some(_)) => return Some(Edge::End),
            (None, None) => {}
        }
        let head: String = clause.chars().take(at).collect();
        let last = |words: &[&str]| words.iter().filter_map(|w| head.rfind(w)).max();
        match (last(START_WORDS), last(END_WORDS)) {
            (Some(s), Some(e)) => Some(if s > e { Edge::Start } else { Edge::End }),
            (Some(_), None) => Some(Edge::Start),
            (None, Some(_)) => Some(Edge::End),
            (None, None) => {
                let tail: String = clause.chars().skip(at).collect();
                let first = |words: &[&str]| words.iter().filter_map(|w| tail.find(w)).min();
                match (first(START_WORDS), first(END_WORDS)) {
                    (Some(s), Some(e)) => Some(if s < e { Edge::Start } else { Edge::End }),
                    (Some(_), None) => Some(Edge::Start),
                    (None, Some(_)) => Some(Edge::End),
                    (None, None) => None,
                }
            }
        }
    };
    for f in found {
        if let Some(edge) = edge_of(f.at)
            && let Some(t) = meant(f, edge)
        {
            out.push((edge, t));
        }
    }
    if !out.iter().any(|(e, _)| *e == Edge::Start) && has(LATE_START) {
        out.push((Edge::Start, LATE_START_AT));
    }
    if !out.iter().any(|(e, _)| *e == Edge::End) && has(EARLY_END) {
        out.push((Edge::End, EARLY_END_AT));
    }
    out
}

/// `HH:MM` of minutes since midnight.
pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_and_ends() {
        assert_eq!(
            day_times(" we start late at 11:00 "),
            vec![(Edge::Start, 660)]
        );
        assert_eq!(day_times(" start at 11 "), vec![(Edge::Start, 660)]);
        assert_eq!(day_times(" 11시에 시작 "), vec![(Edge::Start, 660)]);
        assert_eq!(day_times(" back by 6 pm "), vec![(Edge::End, 1080)]);
        assert_eq!(
            day_times(" back at the hotel by 6 "),
            vec![(Edge::End, 1080)]
        );
        assert_eq!(
            day_times(" 오후 6시까지 숙소에 돌아가고 싶어요 "),
            vec![(Edge::End, 1080)]
        );
        assert_eq!(day_times(" 아침 10시 반부터 "), vec![(Edge::Start, 630)]);
        assert_eq!(
            day_times(" we like to sleep in "),
            vec![(Edge::Start, LATE_START_AT)]
        );
        assert!(day_times(" 2 museums in 2026 ").is_empty());
    }
}
