//! The subset of the `opening_hours` syntax the validator reads, as rules: tokens, then
//! selectors, time spans and a state per rule (anything else: `None`).

use super::DAY;
use crate::itinerary::model::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Open,
    Closed,
    Unknown,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Rule {
    pub(super) additional: bool,
    /// Months 0 = January … 11 = December; empty = every month.
    pub(super) months: Vec<u8>,
    /// Weekdays 0 = Monday … 6 = Sunday; empty together with `holiday` false = every day.
    pub(super) weekdays: Vec<u8>,
    pub(super) holiday: bool,
    /// Minute spans from the rule's day's midnight (end up to 48 h); empty = all day.
    pub(super) spans: Vec<(usize, usize, bool)>,
    pub(super) kind: Option<Kind>,
    pub(super) comment: bool,
}

impl Rule {
    pub(super) fn kind(&self) -> Kind {
        match self.kind {
            Some(k) => k,
            None if self.comment => Kind::Unknown,
            None => Kind::Open,
        }
    }

    pub(super) fn matches(&self, date: Date, holiday: bool) -> bool {
        if !self.months.is_empty() && !self.months.contains(&date.month.saturating_sub(1)) {
            return false;
        }
        if self.weekdays.is_empty() && !self.holiday {
            return true;
        }
        self.weekdays.contains(&date.weekday()) || (self.holiday && holiday)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Time(usize),
    Dash,
    Comma,
    /// A comma followed by white space.
    CommaSpace,
    Semi,
    Plus,
    Comment,
}

const WEEKDAYS: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn tokens(raw: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = raw.trim().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if chars[i..].starts_with(&['2', '4', '/', '7']) {
            out.push(Tok::Word("24/7".into()));
            i += 4;
            continue;
        }
        match c {
            ' ' | '\t' => i += 1,
            '"' => {
                let close = chars[i + 1..].iter().position(|&c| c == '"')?;
                out.push(Tok::Comment);
                i += close + 2;
            }
            '-' | '–' => {
                out.push(Tok::Dash);
                i += 1;
            }
            ',' => {
                let spaced = chars.get(i + 1).is_some_and(|c| c.is_whitespace());
                out.push(if spaced { Tok::CommaSpace } else { Tok::Comma });
                i += 1;
            }
            ';' => {
                out.push(Tok::Semi);
                i += 1;
            }
            '+' => {
                out.push(Tok::Plus);
                i += 1;
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ':') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let (h, m) = text.split_once(':')?;
                if h.is_empty() || h.len() > 2 || m.len() != 2 {
                    return None;
                }
                let (h, m): (usize, usize) = (h.parse().ok()?, m.parse().ok()?);
                if h > 48 || m > 59 {
                    return None;
                }
                out.push(Tok::Time(h * 60 + m));
            }
            c if c.is_alphabetic() => {
                let start = i;
                while i < chars.len() && chars[i].is_alphabetic() {
                    i += 1;
                }
                out.push(Tok::Word(
                    chars[start..i].iter().collect::<String>().to_lowercase(),
                ));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The rules of a value, or `None` when it uses anything outside the subset.
pub(super) fn parse(raw: &str) -> Option<Vec<Rule>> {
    let toks = tokens(raw)?;
    let mut rules = Vec::new();
    let mut rule = Rule::default();
    let mut i = 0;
    let mut stage = 0; // 0 selectors, 1 times, 2 state/comment
    let mut last_was_day = false;
    while i < toks.len() {
        let tok = &toks[i];
        match tok {
            Tok::Semi => {
                rules.push(std::mem::take(&mut rule));
                stage = 0;
                last_was_day = false;
                i += 1;
                continue;
            }
            Tok::CommaSpace | Tok::Comma if stage >= 1 => {
                // After hours: another span (`10:00-12:00, 14:00-18:00`) or an additional
                // rule (`…, Sa 10:00-14:00`).
                if matches!(toks.get(i + 1), Some(Tok::Time(_))) && stage == 1 {
                    i += 1;
                    continue;
                }
                rules.push(std::mem::take(&mut rule));
                rule.additional = true;
                stage = 0;
                last_was_day = false;
                i += 1;
                continue;
            }
            Tok::CommaSpace | Tok::Comma => {
                if !last_was_day {
                    return None;
                }
                i += 1;
                continue;
            }
            Tok::Word(w) if w == "off" || w == "closed" => {
                rule.kind = Some(Kind::Closed);
                stage = 2;
            }
            Tok::Word(w) if w == "open" => {
                rule.kind = Some(Kind::Open);
                stage = 2;
            }
            Tok::Word(w) if w == "unknown" => {
                rule.kind = Some(Kind::Unknown);
                stage = 2;
            }
            Tok::Comment => {
                rule.comment = true;
                stage = 2;
            }
            Tok::Word(w) if stage == 0 && w == "ph" => {
                rule.holiday = true;
                last_was_day = true;
            }
            Tok::Word(w) if stage == 0 && WEEKDAYS.contains(&w.as_str()) => {
                let from = index(&WEEKDAYS, w)?;
                let (to, used) = range_end(&toks, i, &WEEKDAYS)?;
                push_cyclic(&mut rule.weekdays, from, to, 7);
                i += used;
                last_was_day = true;
                continue;
            }
            Tok::Word(w) if stage == 0 && MONTHS.contains(&w.as_str()) => {
                if !rule.weekdays.is_empty() || rule.holiday {
                    return None;
                }
                let from = index(&MONTHS, w)?;
                let (to, used) = range_end(&toks, i, &MONTHS)?;
                push_cyclic(&mut rule.months, from, to, 12);
                i += used;
                last_was_day = true;
                continue;
            }
            Tok::Word(w) if stage == 0 && w == "24/7" => {
                stage = 1;
                last_was_day = false;
            }
            Tok::Time(a) if stage <= 1 => {
                stage = 1;
                last_was_day = false;
                match (toks.get(i + 1), toks.get(i + 2)) {
                    (Some(Tok::Dash), Some(Tok::Time(b))) => {
                        let b = if b <= a { b + DAY } else { *b };
                        rule.spans.push((*a, b, false));
                        if toks.get(i + 3) == Some(&Tok::Plus) {
                            // `11:00-23:00+`: open until 23:00, then an open end.
                            rule.spans.push((b, guessed_close(b), true));
                            i += 4;
                        } else {
                            i += 3;
                        }
                        continue;
                    }
                    (Some(Tok::Plus), _) => {
                        rule.spans.push((*a, guessed_close(*a), true));
                        i += 2;
                        continue;
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
        i += 1;
    }
    rules.push(rule);
    // A rule of hours only after other rules (`Mo-Fr 11:00-14:30; 17:00-22:00`) adds to the
    // days before, as the reference reads it.
    // (After a rule of hours only it replaces: `11:00-13:00; 14:00-18:00`.)
    let mut previous_has_days = false;
    for rule in rules.iter_mut() {
        let has_days = !rule.months.is_empty() || !rule.weekdays.is_empty() || rule.holiday;
        if previous_has_days && !has_days && !rule.spans.is_empty() {
            rule.additional = true;
        }
        previous_has_days = has_days;
    }
    Some(rules)
}

/// Open end (`18:00+`): unknown until the reference's guess — midnight for starts before
/// 17:00, 10 hours from 17:00, 8 hours from 22:00.
fn guessed_close(start: usize) -> usize {
    if start >= 22 * 60 {
        start + 8 * 60
    } else if start >= 17 * 60 {
        start + 10 * 60
    } else {
        DAY
    }
}

fn index(names: &[&str], w: &str) -> Option<u8> {
    names.iter().position(|n| *n == w).map(|p| p as u8)
}

/// `Mo-Fr` → (Fr, tokens used); a single `Mo` → (Mo, 1).
fn range_end(toks: &[Tok], i: usize, names: &[&str]) -> Option<(u8, usize)> {
    let Tok::Word(w) = &toks[i] else { return None };
    let from = index(names, w)?;
    match (toks.get(i + 1), toks.get(i + 2)) {
        (Some(Tok::Dash), Some(Tok::Word(to))) => Some((index(names, to)?, 3)),
        (Some(Tok::Dash), _) => None,
        _ => Some((from, 1)),
    }
}

fn push_cyclic(out: &mut Vec<u8>, from: u8, to: u8, n: u8) {
    let mut d = from;
    loop {
        if !out.contains(&(d % n)) {
            out.push(d % n);
        }
        if d % n == to % n {
            break;
        }
        d = (d + 1) % n;
    }
}
