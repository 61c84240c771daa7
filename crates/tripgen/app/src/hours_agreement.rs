//! The import report's opening-hours line: how many distinct `opening_hours` values the
//! location context's evaluation (the `opening-hours` crate, read as opening_hours.js reads
//! it) and the plan validator's own reading (`tripgen_planner::itinerary::hours_check`)
//! read differently, day by day over the coming year. The two share no evaluation code, so
//! a value they disagree on is one to look at; the full check against opening_hours.js
//! itself is `make hours-diff` (docs/opening-hours.md).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tripgen_location::{DaySchedule, OpeningHours};
use tripgen_planner::itinerary::Date;
use tripgen_planner::itinerary::hours_check::{self, DayReading};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoursAgreement {
    /// Distinct values compared.
    pub values: usize,
    /// Values the validator's reading could read on at least one day (the rest use sun
    /// times, dates, week numbers … outside its subset).
    pub readable: usize,
    /// Values read differently on at least one day.
    pub read_differently: usize,
    /// A few of them, with the first date they differ.
    pub examples: Vec<String>,
}

impl HoursAgreement {
    pub fn line(&self) -> String {
        format!(
            "opening hours: {} values read differently from the reference reading ({} distinct values, {} within the validator's subset; full check: make hours-diff)",
            self.read_differently, self.values, self.readable
        )
    }
}

fn states(day: &DaySchedule) -> [u8; 1440] {
    let mut s = [hours_check::CLOSED; 1440];
    for (ranges, value) in [
        (&day.open, hours_check::OPEN),
        (&day.unknown, hours_check::UNKNOWN),
    ] {
        for r in ranges {
            for m in s
                .iter_mut()
                .take(usize::from(r.end))
                .skip(usize::from(r.start))
            {
                *m = value;
            }
        }
    }
    s
}

/// Words that make a value's reading depend on more than the weekday: months, holidays,
/// week numbers, Easter, sun times.
const DATED_WORDS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "ph", "sh",
    "easter", "week", "sunrise", "sunset", "dawn", "dusk",
];

/// A value both readings read the same on every date of a weekday: only weekdays, times
/// and comments (no dates, months, holidays, weeks or sun times). Conservative: any digit
/// outside an `hh:mm` time, or any of [`DATED_WORDS`] even inside a comment, says dated.
fn weekly(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let time = b.len() >= i + 5
                && b[i + 1].is_ascii_digit()
                && b[i + 2] == b':'
                && b[i + 3].is_ascii_digit()
                && b[i + 4].is_ascii_digit()
                && b.get(i + 5).is_none_or(|c| !c.is_ascii_digit());
            if !time {
                return false;
            }
            i += 5;
        } else {
            i += 1;
        }
    }
    !DATED_WORDS.iter().any(|w| lower.contains(w))
}

/// Compares the two readings of each value on `days` days from `first` (a week of them for
/// a [`weekly`] value: the rest repeat it). Without a place's country `PH` never matches in
/// the location evaluation, and the validator's reading treats a possible holiday whose
/// rules change the day as unreadable, so holidays do not count as differences. The values
/// are shared out over the machine's cores (an import report of a city compares thousands).
pub fn compare<'a>(
    values: impl IntoIterator<Item = &'a str>,
    first: NaiveDate,
    days: u32,
) -> HoursAgreement {
    let values: Vec<&str> = values.into_iter().collect();
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = values.len().div_ceil(workers).max(1);
    let parts: Vec<HoursAgreement> = std::thread::scope(|scope| {
        let handles: Vec<_> = values
            .chunks(chunk)
            .map(|part| scope.spawn(move || compare_part(part, first, days)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out = HoursAgreement::default();
    for p in parts {
        out.values += p.values;
        out.readable += p.readable;
        out.read_differently += p.read_differently;
        for e in p.examples {
            if out.examples.len() < 10 {
                out.examples.push(e);
            }
        }
    }
    out
}

fn compare_part(values: &[&str], first: NaiveDate, days: u32) -> HoursAgreement {
    let mut out = HoursAgreement::default();
    for &raw in values {
        out.values += 1;
        let ours = OpeningHours::parse(raw);
        let mut readable = false;
        let mut differs = None;
        let days = if weekly(raw) { days.min(7) } else { days };
        for date in first.iter_days().take(days as usize) {
            let planner_date = Date {
                year: date.year(),
                month: date.month() as u8,
                day: date.day() as u8,
            };
            let DayReading::States(theirs) = hours_check::read_day(raw, planner_date) else {
                continue;
            };
            readable = true;
            if states(&ours.day_schedule(date)) != *theirs {
                differs = Some(date);
                break;
            }
        }
        out.readable += usize::from(readable);
        if let Some(date) = differs {
            out.read_differently += 1;
            if out.examples.len() < 10 {
                out.examples.push(format!("{raw:?} (from {date})"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_values_are_those_without_dates() {
        assert!(weekly("Mo-Fr 10:00-18:00; Sa 10:00-14:00"));
        assert!(weekly("Mo-Sa 11:00-23:00+; Su off"));
        assert!(!weekly("24/7"));
        assert!(!weekly("Mo-Su, PH 08:00-20:00"));
        assert!(!weekly("Apr-Oct Mo-Su 09:00-18:00"));
        assert!(!weekly("Mo-Fr 09:00-17:00; Dec 24 off"));
        assert!(!weekly("week 1-53/2 Fr 09:00-12:00"));
        assert!(!weekly("sunrise-sunset"));
        assert!(!weekly("Mo-Fr 9:00-17:00"));
    }

    #[test]
    fn agreeing_and_differing_values() {
        let first = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let a = compare(
            [
                "Mo-Fr 10:00-18:00; Sa 10:00-14:00",
                "Mo-Su, PH 08:00-20:00",
                "Mo-Fr 12:00-14:30,18:00+",
                "\"by appointment\"",
                "sunrise-sunset",
                // Hours past midnight where the next day has its own rule, open ends after
                // a range, rules of hours only (the Helsinki import's differences before
                // both readers followed the reference here).
                "Mo-Fr 11:00-02:00; Sa-Su 12:00-02:00",
                "Mo-Sa 10:00-05:00; Su 11:00-05:00",
                "Mo,Tu 15:00-23:00; We,Th 15:00-01:00; Fr,Sa 15:00-02:00",
                "Mo-Sa 11:00-23:00+",
                "Mo-Fr 11:00-14:30; 17:00-22:00",
            ],
            first,
            60,
        );
        assert_eq!(
            (a.values, a.readable, a.read_differently),
            (10, 9, 0),
            "{a:?}"
        );
        assert!(
            a.line()
                .starts_with("opening hours: 0 values read differently")
        );
    }
}
