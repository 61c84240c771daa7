//! The validator's own reading of a raw OSM `opening_hours` value. It shares no code with
//! the evaluation that built the candidates' hours (the location context's wrapper around
//! the `opening-hours` crate), so a misreading in one is caught by the other.
//!
//! It reads the common subset of the syntax the way opening_hours.js (the reference) does:
//! rules separated by `;` (a later matching rule replaces the day, except an `off` rule
//! with hours, which removes those hours), additional rules after `, `, month and weekday
//! selectors (weekday lists also with a comma and a space), `HH:MM-HH:MM` spans (past
//! midnight too), `24/7`, `off`/`closed`/`unknown`/`open`, comments (a rule with a
//! comment and no explicit state is unknown), open ends (`18:00+`: unknown), `PH`
//! (evaluated as a holiday and as not one: where the two differ, it cannot tell). Anything
//! else (sun times, dates, week numbers, `||`, school holidays …) → [`DayReading::CannotTell`].

use super::model::Date;

mod calendar;
mod syntax;
#[cfg(test)]
mod tests;

use calendar::{possible_holiday, previous};
use syntax::{Kind, Rule, parse};

const DAY: usize = 1440;
/// Minute states of [`DayReading::States`].
pub const CLOSED: u8 = 0;
pub const UNKNOWN: u8 = 1;
pub const OPEN: u8 = 2;

/// The state of every minute of a local day ([`CLOSED`], [`UNKNOWN`], [`OPEN`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayReading {
    States(Box<[u8; DAY]>),
    CannotTell,
}

/// What a minute range of a day looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    Open,
    /// Some minute is closed.
    Closed,
    /// No minute is closed, some is unknown.
    Unknown,
    CannotTell,
}

/// The state of `[start, end)` (minutes since midnight) on `date`.
pub fn visit(raw: &str, date: Date, start: u32, end: u32) -> Visit {
    let DayReading::States(states) = read_day(raw, date) else {
        return Visit::CannotTell;
    };
    let (a, b) = (start as usize, (end as usize).min(DAY));
    let range = states.get(a..b.max(a)).unwrap_or(&[]);
    if range.contains(&CLOSED) || (a == b && states.get(a) == Some(&CLOSED)) {
        Visit::Closed
    } else if range.contains(&UNKNOWN) {
        Visit::Unknown
    } else {
        Visit::Open
    }
}

pub fn read_day(raw: &str, date: Date) -> DayReading {
    let Some(rules) = parse(raw) else {
        return DayReading::CannotTell;
    };
    let as_workday = evaluate(&rules, date, false, false);
    // Today and yesterday (hours past midnight) as a holiday or not, where either may be one.
    let (today, yesterday) = (possible_holiday(date), possible_holiday(previous(date)));
    for (t, y) in [(true, false), (false, true), (true, true)] {
        if (!t || today) && (!y || yesterday) && evaluate(&rules, date, t, y) != as_workday {
            return DayReading::CannotTell;
        }
    }
    DayReading::States(Box::new(as_workday))
}

/// States of the minutes of `date`, rule by rule as the reference does: a rule (not
/// additional, not `off`) that matches the day replaces what earlier rules set for it,
/// hours past midnight of a rule that matched the day before are set on top (so a later
/// rule for the day removes them, a later rule for another day does not).
fn evaluate(rules: &[Rule], date: Date, holiday: bool, holiday_before: bool) -> [u8; DAY] {
    let before = previous(date);
    let mut out = [CLOSED; DAY];
    for rule in rules {
        let today = rule.matches(date, holiday);
        let spill = rule.matches(before, holiday_before);
        if !today && !spill {
            continue;
        }
        let kind = rule.kind();
        let value = match kind {
            Kind::Open => OPEN,
            Kind::Unknown => UNKNOWN,
            Kind::Closed => CLOSED,
        };
        if today && !rule.additional && kind != Kind::Closed {
            out = [CLOSED; DAY];
        }
        let spans: Vec<(usize, usize, bool)> = if rule.spans.is_empty() {
            vec![(0, DAY, false)]
        } else {
            rule.spans.clone()
        };
        for (a, b, open_end) in spans {
            let v = if open_end && value == OPEN {
                UNKNOWN
            } else {
                value
            };
            if today {
                for s in out.iter_mut().take(b.min(DAY)).skip(a) {
                    *s = v;
                }
            }
            if spill && b > DAY {
                for s in out
                    .iter_mut()
                    .take(b.min(2 * DAY) - DAY)
                    .skip(a.saturating_sub(DAY))
                {
                    *s = v;
                }
            }
        }
    }
    out
}
