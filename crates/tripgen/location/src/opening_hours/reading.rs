//! How a raw OSM `opening_hours` value is read so that it means what opening_hours.js —
//! the reference evaluator of the syntax — says it means, where the `opening-hours` crate
//! reads it differently. See docs/opening-hours.md for the rules and why.
//!
//! The value is parsed with `opening-hours-syntax`, the rules are adjusted (comments make a
//! rule unknown, open ends become unknown stretches), and the adjusted expression is written
//! back out for the evaluating crate. Anything that does not survive that round trip is
//! unknown, never open.

use std::sync::Arc;

use opening_hours_syntax::ExtendedTime;
use opening_hours_syntax::rules::time::{Time, TimeSelector, TimeSpan};
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleKind, RuleOperator, RuleSequence};

/// What a raw value amounts to before any date is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reading {
    /// An expression in the evaluating crate's syntax, with the reference's meaning, and the
    /// comment of a final `|| "comment"` fallback: the reference makes every minute the
    /// rules leave closed *unknown* with that comment.
    Expr {
        text: String,
        fallback: Option<String>,
    },
    /// Free text saying the place is closed ("Wegen Umbau geschlossen"): closed until the
    /// data changes.
    ClosedByText,
    /// Not readable as opening hours (free text, typos): unknown.
    Unreadable(String),
}

/// Comment shown on open-end stretches (`18:00+`), as opening_hours.js does.
pub const OPEN_END_NOTE: &str = "open end: closing time not given";

/// Words that, in a comment without hours, say the place is closed. Lower case; compared
/// against the lower-cased comment as whole words.
const CLOSED_WORDS: &[&str] = &[
    "closed",
    "geschlossen",
    "fermé",
    "fermée",
    "ferme",
    "chiuso",
    "chiusa",
    "encerrado",
    "encerrada",
    "fechado",
    "fechada",
    "cerrado",
    "cerrada",
    "tancat",
    "tancada",
    "suljettu",
    "suljettuna",
    "stängt",
    "gesloten",
    "zamknięte",
];

/// True when free text says "closed" in one of the languages of the bundled cities' data.
pub fn says_closed(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| CLOSED_WORDS.contains(&w))
}

pub(super) fn read(raw: &str) -> Reading {
    let text = normalise(&super::typos::correct(raw));
    // School holidays are not known here (the reference knows them per region): a value
    // that depends on them is unknown rather than read as if no day were one.
    if mentions_school_holidays(&text) {
        return Reading::Unreadable("school holidays (SH) are not known".to_owned());
    }
    let parsed = opening_hours_syntax::parse(&text).or_else(|err| {
        // Mappers often write ranges with spaces ("Mo - Fr 08:00 - 18:30"), which the strict
        // grammar rejects; retry once with only that unambiguous fix.
        let tight = text
            .replace(" - ", "-")
            .replace(" -", "-")
            .replace("- ", "-");
        if tight == text {
            Err(err)
        } else {
            opening_hours_syntax::parse(&tight).map_err(|_| err)
        }
    });
    match parsed {
        Ok(expr) => {
            let (expr, fallback) = adjust(expr, explicit_open_with_comment(&text));
            Reading::Expr {
                text: expr.to_string(),
                fallback,
            }
        }
        Err(_) if !raw.chars().any(|c| c.is_ascii_digit()) && says_closed(raw) => {
            Reading::ClosedByText
        }
        Err(err) => Reading::Unreadable(err.to_string()),
    }
}

/// Real-world forms the crate misreads, rewritten to what the reference reads:
/// a weekday list written with a comma and a space (`Mo-Fr, Su 11:00-14:30`,
/// `Mo-Su, PH 08:00-20:00`) is one selector, not an all-day rule followed by another.
fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_comment = false;
    let chars: Vec<char> = raw.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            in_comment = !in_comment;
        }
        out.push(c);
        i += 1;
        if c == ',' && !in_comment && ends_with_day_token(&out[..out.len() - 1]) {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if j > i && starts_with_day_token(&chars[j..]) {
                i = j;
            }
        }
    }
    out
}

fn mentions_school_holidays(text: &str) -> bool {
    text.split('"').step_by(2).any(|part| {
        part.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "SH")
    })
}

const DAY_TOKENS: &[&str] = &["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH", "SH"];

fn ends_with_day_token(s: &str) -> bool {
    let s = s.trim_end();
    DAY_TOKENS.iter().any(|t| {
        s.ends_with(t)
            && s[..s.len() - t.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn starts_with_day_token(rest: &[char]) -> bool {
    let head: String = rest.iter().take(3).collect();
    DAY_TOKENS.iter().any(|t| {
        head.starts_with(t)
            && head
                .chars()
                .nth(2)
                .is_none_or(|c| !c.is_alphanumeric() || c == '[')
    })
}

/// `… open "comment"`: the mapper said "open" explicitly, so the reference keeps it open.
fn explicit_open_with_comment(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("open \"") || lower.contains("open\"")
}

/// The reference's meaning, rule by rule:
/// - a rule with a comment and no explicit state is *unknown* (`Mo 10:00-12:00 "summer"`,
///   `"by appointment"`, `|| "nach Vereinbarung"`); a comment without hours that says the
///   place is closed makes it *closed*;
/// - an open end (`18:00+`) is *unknown* from its start until the reference's guessed
///   closing time (midnight for starts before 17:00, +10 h from 17:00, +8 h from 22:00);
/// - hours past midnight of a rule count on the next day even where an earlier rule
///   matched that day ([`with_spill_over`]);
/// - a final all-day fallback without an explicit state (`|| "by appointment"`) is
///   returned apart: every minute the rules leave closed is unknown.
fn adjust(
    expr: OpeningHoursExpression,
    explicit_open: bool,
) -> (OpeningHoursExpression, Option<String>) {
    let mut rules = Vec::with_capacity(expr.rules.len());
    let mut fallback = None;
    let mut previous_has_days = false;
    let count = expr.rules.len();
    for (i, mut rule) in expr.rules.into_iter().enumerate() {
        if i + 1 == count
            && i > 0
            && rule.operator == RuleOperator::Fallback
            && rule.day_selector.is_empty()
            && all_day(&rule.time_selector)
            && rule.kind == RuleKind::Open
            && !rule.comment.is_empty()
            && !explicit_open
        {
            fallback = Some(rule.comment.to_string());
            continue;
        }
        // A rule of hours only after other rules (`Mo-Fr 11:00-14:30; 17:00-22:00`) adds to
        // the days before instead of replacing them, as the reference reads it.
        // (After a rule of hours only it replaces, `11:00-13:00; 14:00-18:00`.)
        if previous_has_days
            && rule.operator == RuleOperator::Normal
            && rule.day_selector.is_empty()
            && !all_day(&rule.time_selector)
        {
            rule.operator = RuleOperator::Additional;
        }
        previous_has_days = !rule.day_selector.is_empty();
        if !rule.comment.is_empty() && rule.kind == RuleKind::Open && !explicit_open {
            rule.kind = if all_day(&rule.time_selector) && says_closed(&rule.comment) {
                RuleKind::Closed
            } else {
                RuleKind::Unknown
            };
        }
        if rule.kind == RuleKind::Closed || !rule.time_selector.spans.iter().any(|s| s.open_end) {
            rules.push(rule);
            continue;
        }
        let (mut fixed, mut guessed) = (Vec::new(), Vec::new());
        for span in rule.time_selector.spans.iter().cloned() {
            if !span.open_end {
                fixed.push(span);
                continue;
            }
            match open_end_from(&span) {
                // `11:00-23:00+`: open until the close, an open end from there.
                Some(close) => {
                    fixed.push(TimeSpan {
                        range: span.range.start..close,
                        open_end: false,
                        repeats: span.repeats,
                    });
                    guessed.push(guess_close(TimeSpan {
                        range: close..close,
                        open_end: true,
                        repeats: None,
                    }));
                }
                None => guessed.push(guess_close(span)),
            }
        }
        let note: Arc<str> = if rule.comment.is_empty() {
            Arc::from(OPEN_END_NOTE)
        } else {
            rule.comment.clone()
        };
        if fixed.is_empty() {
            rule.time_selector = TimeSelector::new(guessed);
            rule.kind = RuleKind::Unknown;
            rule.comment = note;
            rules.push(rule);
        } else {
            let extra = RuleSequence {
                day_selector: rule.day_selector.clone(),
                time_selector: TimeSelector::new(guessed),
                kind: RuleKind::Unknown,
                operator: RuleOperator::Additional,
                comment: note,
            };
            rule.time_selector = TimeSelector::new(fixed);
            // The guessed stretch yields to the rule's own hours (`12:00+,15:00-04:00`).
            let again = RuleSequence {
                operator: RuleOperator::Additional,
                ..rule.clone()
            };
            rules.push(rule);
            rules.push(extra);
            rules.push(again);
        }
    }
    (with_spill_over(rules), fallback)
}

/// The evaluating crate drops the hours past midnight of a rule (`Mo-Th 17:00-01:00`) on a
/// day an earlier rule matched (`Fr-Sa 17:00-02:00; Mo-Th 17:00-01:00` → Friday 00:00–01:00
/// lost); the reference keeps them. An additional copy of such a rule right after it adds
/// them back: on the days the rule matches it repeats what the rule set, on the next day
/// it adds only the hours past midnight.
fn with_spill_over(rules: Vec<RuleSequence>) -> OpeningHoursExpression {
    let mut out = Vec::with_capacity(rules.len());
    for rule in rules {
        let copy = (rule.operator == RuleOperator::Normal
            && rule.kind != RuleKind::Closed
            && rule.time_selector.spans.iter().any(past_midnight))
        .then(|| RuleSequence {
            operator: RuleOperator::Additional,
            ..rule.clone()
        });
        out.push(rule);
        out.extend(copy);
    }
    OpeningHoursExpression { rules: out }
}

/// A span that may reach into the next day (sun times: possibly).
fn past_midnight(span: &TimeSpan) -> bool {
    match (&span.range.start, &span.range.end) {
        (Time::Fixed(start), Time::Fixed(end)) => *end > ExtendedTime::MIDNIGHT_24 || end <= start,
        _ => true,
    }
}

/// A rule without hours (the grammar's default selector is 00:00-24:00).
fn all_day(selector: &TimeSelector) -> bool {
    *selector == TimeSelector::default()
}

/// The close of `10:00-24:00+` as typos.rs marks it (the grammar reads `10:00+` as
/// 10:00-24:00 with an open end).
const OPEN_END_AT_MIDNIGHT: u16 = 24 * 60 + 1;

/// Where the unknown stretch of an open end starts: the range's close when one was written
/// (`17:00-01:00+`, `10:00-24:00+` marked as 24:01), else its start (`18:00+`).
fn open_end_from(span: &TimeSpan) -> Option<Time> {
    match (&span.range.start, &span.range.end) {
        (Time::Fixed(start), Time::Fixed(end)) => {
            let (s, e) = (start.mins_from_midnight(), end.mins_from_midnight());
            if e == OPEN_END_AT_MIDNIGHT {
                Some(Time::Fixed(ExtendedTime::MIDNIGHT_24))
            } else if *end == ExtendedTime::MIDNIGHT_24 {
                None
            } else if e <= s {
                ExtendedTime::from_mins_from_midnight(e + 24 * 60).map(Time::Fixed)
            } else {
                Some(Time::Fixed(*end))
            }
        }
        _ => None,
    }
}

fn guess_close(span: TimeSpan) -> TimeSpan {
    let end = match span.range.start {
        Time::Fixed(t) => {
            let m = t.mins_from_midnight();
            let end = if m >= 22 * 60 {
                m + 8 * 60
            } else if m >= 17 * 60 {
                m + 10 * 60
            } else {
                24 * 60
            };
            ExtendedTime::from_mins_from_midnight(end.min(48 * 60))
                .unwrap_or(ExtendedTime::MIDNIGHT_24)
        }
        Time::Variable(_) => ExtendedTime::MIDNIGHT_24,
    };
    TimeSpan {
        range: span.range.start..Time::Fixed(end),
        open_end: false,
        repeats: span.repeats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(raw: &str) -> String {
        match read(raw) {
            Reading::Expr { text, .. } => text,
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn comma_space_weekday_lists_are_one_selector() {
        assert_eq!(normalise("Mo-Su, PH 08:00-20:00"), "Mo-Su,PH 08:00-20:00");
        assert_eq!(
            normalise("Mo-Fr, Su 11:00-14:30, 17:00-21:00; Sa 17:00-21:00"),
            "Mo-Fr,Su 11:00-14:30, 17:00-21:00; Sa 17:00-21:00"
        );
        assert_eq!(
            normalise("Mo-We, Fr-Su 10:00-12:00"),
            "Mo-We,Fr-Su 10:00-12:00"
        );
        // An additional rule after hours stays one.
        assert_eq!(
            normalise("Mo-Fr 10:00-18:00, Sa 10:00-14:00"),
            "Mo-Fr 10:00-18:00, Sa 10:00-14:00"
        );
        // Comments are left alone.
        assert_eq!(normalise("\"Mo, Tu\""), "\"Mo, Tu\"");
        assert!(!expr("Mo-Su, PH 08:00-20:00").contains(';'));
    }

    #[test]
    fn comments_make_rules_unknown_or_closed() {
        assert_eq!(
            expr("\"by appointment\""),
            "24/7 unknown \"by appointment\""
        );
        assert_eq!(
            expr("\"Wegen Umbau geschlossen\""),
            "24/7 closed \"Wegen Umbau geschlossen\""
        );
        assert_eq!(read("Wegen Umbau geschlossen"), Reading::ClosedByText);
        assert!(matches!(
            read("Nur nach Vereinbarung"),
            Reading::Unreadable(_)
        ));
        // An explicit state is kept.
        assert_eq!(
            expr("Mo-Fr 10:00-12:00 open \"summer\""),
            "Mo-Fr 10:00-12:00 \"summer\""
        );
    }

    #[test]
    fn open_ends_are_unknown_until_the_guessed_close() {
        assert_eq!(
            expr("10:00+"),
            "10:00-24:00 unknown \"open end: closing time not given\""
        );
        let e = expr("Mo-Fr 12:00-14:30,18:00+");
        assert!(
            e.starts_with("Mo-Fr 12:00-14:30, Mo-Fr 18:00-28:00 unknown"),
            "{e}"
        );
        assert!(expr("Sa 22:30+").contains("22:30-30:30"));
    }

    #[test]
    fn open_end_after_a_range_is_open_until_its_close() {
        let e = expr("Mo-Sa 11:00-23:00+");
        assert!(
            e.starts_with("Mo-Sa 11:00-23:00, Mo-Sa 23:00-31:00 unknown"),
            "{e}"
        );
        let e = expr("Mo-Su 10:00-24:00+");
        assert!(
            e.starts_with("Mo-Su 10:00-24:00, Mo-Su 24:00-32:00 unknown"),
            "{e}"
        );
        let e = expr("Fr 17:00-01:00+");
        assert!(
            e.starts_with("Fr 17:00-25:00, Fr 17:00-25:00, Fr 25:00-33:00 unknown"),
            "{e}"
        );
    }

    #[test]
    fn hours_past_midnight_get_an_additional_copy() {
        assert_eq!(
            expr("Fr-Sa 17:00-02:00; Mo-Th 17:00-01:00"),
            "Fr-Sa 17:00-02:00, Fr-Sa 17:00-02:00; Mo-Th 17:00-01:00, Mo-Th 17:00-01:00"
        );
        // Hours within the day need none.
        assert_eq!(expr("Mo-Fr 10:00-18:00"), "Mo-Fr 10:00-18:00");
    }

    #[test]
    fn hours_only_rule_adds_to_the_days_before() {
        assert_eq!(
            expr("Mo-Fr 11:00-14:30; 17:00-22:00"),
            "Mo-Fr 11:00-14:30, Mo-Su 17:00-22:00"
        );
        assert_eq!(expr("11:00-13:00; 14:00-18:00"), "11:00-13:00; 14:00-18:00");
    }

    #[test]
    fn fallback_comment_is_kept_apart() {
        match read("We-Fr 14:00-18:00 || \"nach Vereinbarung\"") {
            Reading::Expr { text, fallback } => {
                assert_eq!(text, "We-Fr 14:00-18:00");
                assert_eq!(fallback.as_deref(), Some("nach Vereinbarung"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn closed_words() {
        assert!(says_closed(
            "temporarily closed because of construction work"
        ));
        assert!(says_closed("Bis auf weiteres GESCHLOSSEN"));
        assert!(says_closed("fermé"));
        assert!(!says_closed("Opening soon"));
        assert!(!says_closed("closedown")); // whole words only
    }
}
