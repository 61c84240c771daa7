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

/// The validator has no holiday calendar: a day is a possible public holiday when it is one
/// in many countries (fixed dates, and Easter-based ones from Good Friday to Corpus
/// Christi). On such a day a value whose `PH` rules change the day cannot be told.
fn possible_holiday(d: Date) -> bool {
    const FIXED: [(u8, u8); 10] = [
        (1, 1),
        (1, 6),
        (5, 1),
        (8, 15),
        (11, 1),
        (12, 8),
        (12, 24),
        (12, 25),
        (12, 26),
        (12, 31),
    ];
    if FIXED.contains(&(d.month, d.day)) {
        return true;
    }
    let Some(easter) = easter_ordinal(d.year) else {
        return false;
    };
    let offset = ordinal(d) as i64 - easter as i64;
    [-2, 0, 1, 39, 49, 50, 60].contains(&offset)
}

/// Day of the year (1-based) of Easter Sunday (anonymous Gregorian algorithm).
fn easter_ordinal(year: i32) -> Option<u32> {
    let y = year;
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = u8::try_from((h + l - 7 * m + 114) / 31).ok()?;
    let day = u8::try_from((h + l - 7 * m + 114) % 31 + 1).ok()?;
    Some(ordinal(Date { year, month, day }))
}

fn ordinal(d: Date) -> u32 {
    let mut n = u32::from(d.day);
    let mut m = Date { day: 1, ..d };
    while m.month > 1 {
        m = previous(m);
        n += u32::from(m.day);
        m = Date { day: 1, ..m };
    }
    n
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Closed,
    Unknown,
}

#[derive(Debug, Clone, Default)]
struct Rule {
    additional: bool,
    /// Months 0 = January … 11 = December; empty = every month.
    months: Vec<u8>,
    /// Weekdays 0 = Monday … 6 = Sunday; empty together with `holiday` false = every day.
    weekdays: Vec<u8>,
    holiday: bool,
    /// Minute spans from the rule's day's midnight (end up to 48 h); empty = all day.
    spans: Vec<(usize, usize, bool)>,
    kind: Option<Kind>,
    comment: bool,
}

impl Rule {
    fn kind(&self) -> Kind {
        match self.kind {
            Some(k) => k,
            None if self.comment => Kind::Unknown,
            None => Kind::Open,
        }
    }

    fn matches(&self, date: Date, holiday: bool) -> bool {
        if !self.months.is_empty() && !self.months.contains(&date.month.saturating_sub(1)) {
            return false;
        }
        if self.weekdays.is_empty() && !self.holiday {
            return true;
        }
        self.weekdays.contains(&date.weekday()) || (self.holiday && holiday)
    }
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

fn previous(d: Date) -> Date {
    if d.day > 1 {
        return Date {
            day: d.day - 1,
            ..d
        };
    }
    let (year, month) = if d.month <= 1 {
        (d.year - 1, 12)
    } else {
        (d.year, d.month - 1)
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let day = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Date { year, month, day }
}

// --- parsing -------------------------------------------------------------------------

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
fn parse(raw: &str) -> Option<Vec<Rule>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-06-01 is a Monday.
    fn day(d: u8) -> Date {
        Date {
            year: 2026,
            month: 6,
            day: d,
        }
    }

    #[test]
    fn weekday_lists_with_comma_space() {
        let raw = "Mo-Fr, Su 11:00-14:30, 17:00-21:00; Sa 17:00-21:00";
        assert_eq!(visit(raw, day(1), 12 * 60, 13 * 60), Visit::Open);
        assert_eq!(visit(raw, day(1), 15 * 60, 16 * 60), Visit::Closed);
        assert_eq!(visit(raw, day(6), 12 * 60, 13 * 60), Visit::Closed);
        assert_eq!(visit(raw, day(7), 12 * 60, 13 * 60), Visit::Open);
        let raw = "Mo-We, Fr-Su 10:00-12:00, 16:00-18:30";
        assert_eq!(visit(raw, day(1), 9 * 60 + 30, 10 * 60 + 30), Visit::Closed);
        assert_eq!(visit(raw, day(4), 10 * 60 + 30, 11 * 60), Visit::Closed);
        assert_eq!(visit(raw, day(5), 10 * 60 + 30, 11 * 60), Visit::Open);
    }

    #[test]
    fn holidays_comments_open_ends() {
        // On an ordinary Monday, PH makes no difference; it would on a holiday.
        assert_eq!(
            visit("Mo-Su, PH 08:00-20:00", day(1), 600, 660),
            Visit::Open
        );
        assert_eq!(
            visit("Mo-Sa 10:00-18:00; PH off", day(1), 600, 660),
            Visit::Open
        );
        // 2026-06-04 is Corpus Christi, a holiday in some countries.
        assert_eq!(
            visit("Mo-Sa 10:00-18:00; PH off", day(4), 600, 660),
            Visit::CannotTell
        );
        assert_eq!(easter_ordinal(2026), Some(95)); // 5 April
        assert_eq!(
            ordinal(Date {
                year: 2026,
                month: 12,
                day: 31
            }),
            365
        );
        assert_eq!(
            visit("\"by appointment\"", day(1), 600, 660),
            Visit::Unknown
        );
        assert_eq!(
            visit(
                "Mo-Sa 09:00-22:00; \"bei schönem Wetter auch sonntags\"",
                day(1),
                600,
                660
            ),
            Visit::Unknown
        );
        assert_eq!(visit("10:00+", day(1), 600, 660), Visit::Unknown);
        assert_eq!(
            visit("Mo-Fr 12:00-14:30,18:00+", day(1), 19 * 60, 20 * 60),
            Visit::Unknown
        );
        assert_eq!(
            visit("Mo-Fr 12:00-14:30,18:00+", day(1), 12 * 60, 13 * 60),
            Visit::Open
        );
        assert_eq!(
            visit("We-Fr 14:00-18:00 || \"x\"", day(3), 900, 960),
            Visit::CannotTell
        );
    }

    #[test]
    fn hours_past_midnight_as_the_reference() {
        // 2026-06-05 is a Friday: Thursday's hours past midnight count although the
        // Friday rule comes first.
        let raw = "Fr-Sa 17:00-02:00; Mo-Th 17:00-01:00";
        assert_eq!(visit(raw, day(5), 0, 60), Visit::Open);
        assert_eq!(visit(raw, day(5), 60, 90), Visit::Closed);
        // A later rule for the day removes them (Sunday's hours past midnight on Monday).
        let raw = "Tu-Su 15:00-03:00; Mo 15:00-23:00";
        assert_eq!(visit(raw, day(1), 60, 90), Visit::Closed);
        assert_eq!(visit(raw, day(2), 60, 90), Visit::Closed);
        assert_eq!(visit(raw, day(3), 60, 90), Visit::Open);
        // …but not the hours past midnight of the replaced day (Thursday 00:00-03:00).
        let raw = "Mo-Su 20:00-03:00; We 10:00-12:00";
        assert_eq!(visit(raw, day(3), 60, 90), Visit::Closed);
        assert_eq!(visit(raw, day(4), 60, 90), Visit::Open);
        // A rule of hours only adds to the days before.
        let raw = "Mo-Fr 11:00-14:30; 17:00-22:00";
        assert_eq!(visit(raw, day(1), 12 * 60, 13 * 60), Visit::Open);
        assert_eq!(visit(raw, day(6), 12 * 60, 13 * 60), Visit::Closed);
        assert_eq!(visit(raw, day(6), 18 * 60, 19 * 60), Visit::Open);
        let raw = "11:00-13:00; 14:00-18:00";
        assert_eq!(visit(raw, day(1), 12 * 60, 13 * 60), Visit::Closed);
        // An open end after a range: open until its close, unknown after.
        let raw = "Mo-Sa 11:00-23:00+";
        assert_eq!(visit(raw, day(1), 22 * 60, 23 * 60), Visit::Open);
        assert_eq!(visit(raw, day(1), 23 * 60, 24 * 60), Visit::Unknown);
        assert_eq!(visit(raw, day(2), 6 * 60, 7 * 60), Visit::Unknown);
        assert_eq!(visit(raw, day(2), 7 * 60, 8 * 60), Visit::Closed);
    }

    #[test]
    fn months_overnight_off_and_24_7() {
        let raw = "Apr-Oct Mo-Su 10:00-18:00; Nov-Mar Mo-Su 10:00-16:00";
        assert_eq!(visit(raw, day(1), 16 * 60, 17 * 60), Visit::Open);
        let dec = Date {
            year: 2026,
            month: 12,
            day: 1,
        };
        assert_eq!(visit(raw, dec, 16 * 60, 17 * 60), Visit::Closed);
        assert_eq!(visit("Fr 20:00-02:00", day(6), 60, 90), Visit::Open);
        assert_eq!(visit("Fr 20:00-02:00", day(6), 180, 200), Visit::Closed);
        assert_eq!(
            visit("Mo-Fr 08:00-18:00; We off", day(3), 600, 660),
            Visit::Closed
        );
        assert_eq!(
            visit("Mo-Fr 08:00-18:00; We 12:00-13:00 off", day(3), 600, 660),
            Visit::Open
        );
        assert_eq!(
            visit("Mo-Fr 08:00-18:00; We 12:00-13:00 off", day(3), 720, 750),
            Visit::Closed
        );
        assert_eq!(visit("24/7", day(1), 0, 1440), Visit::Open);
        assert_eq!(visit("sunrise-sunset", day(1), 600, 660), Visit::CannotTell);
        assert_eq!(
            visit("Mo-Fr 9 bis 18 Uhr", day(1), 600, 660),
            Visit::CannotTell
        );
        assert_eq!(
            previous(Date {
                year: 2024,
                month: 3,
                day: 1
            })
            .day,
            29
        );
    }
}
