//! Bounded fuzzing of the opening-hours reader (issue 21): `opening_hours` tags are outside
//! input (OSM, imports, providers). Values built from the grammar's own tokens reach deep
//! into the parser; arbitrary text covers the rest. Whatever the value, reading and
//! evaluating it never panics, a day's schedule stays inside the day in order, and a value
//! that could not be read is never open. Runs in `make test` (a fixed number of cases).

use chrono::{Duration, NaiveDate, NaiveTime};
use proptest::prelude::*;

use super::*;

const TOKENS: &[&str] = &[
    "Mo",
    "Tu",
    "We",
    "Th",
    "Fr",
    "Sa",
    "Su",
    "PH",
    "SH",
    "Jan",
    "Feb",
    "Mar",
    "Dec",
    "week",
    "01",
    "24",
    "53",
    "2026",
    "00:00",
    "09:30",
    "12:00",
    "18:00",
    "24:00",
    "25:00",
    "26:30",
    "-",
    ",",
    ";",
    " ",
    "||",
    ":",
    "+",
    "off",
    "closed",
    "open",
    "unknown",
    "24/7",
    "sunrise",
    "sunset",
    "dawn",
    "dusk",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\"by appointment\"",
    "easter",
    "/",
    "1",
    "-1",
    "5",
    "Mo[1]",
    "Su[-1]",
    "May 1",
    "10:00-",
    "+",
    " days",
    "01:00-02:00",
    "\u{200b}",
    "월",
    "휴무",
    "\u{0}",
];

fn grammar_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..24).prop_map(|t| t.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop::string::string_regex("(?s).{0,80}").expect("regex")
}

fn check(value: &str, first: NaiveDate) {
    let oh = OpeningHours::parse(value);
    for d in 0..9 {
        let date = first + Duration::days(d);
        let day = oh.day_schedule(date);
        for ranges in [&day.open, &day.unknown] {
            let mut end = 0;
            for r in ranges.iter() {
                assert!(r.start < r.end && r.end <= 1440, "{value:?} {date}: {r:?}");
                assert!(
                    r.start >= end,
                    "{value:?} {date}: ranges overlap or unsorted"
                );
                end = r.end;
            }
        }
        for minute in [0u32, 1, 599, 720, 1439] {
            let t = NaiveTime::from_num_seconds_from_midnight_opt(minute * 60, 0)
                .unwrap_or(NaiveTime::MIN);
            let at = date.and_time(t);
            let open = oh.is_open_at(at);
            if oh.is_malformed() || oh.is_missing() {
                assert!(!open, "{value:?}: unreadable yet open at {at}");
            }
            let _ = oh.next_change(at);
        }
    }
    let _ = oh.week(first);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn grammar_like_values_never_panic(value in grammar_like(), offset in 0i64..800) {
        check(&value, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default() + Duration::days(offset));
    }

    #[test]
    fn arbitrary_text_never_panics(value in any_text()) {
        check(&value, NaiveDate::from_ymd_opt(2026, 2, 23).unwrap_or_default());
    }
}

/// The edges of the dates a trip may have (1900–2200, `OUT_OF_RANGE` beyond).
#[test]
fn edge_dates_do_not_overflow() {
    for value in [
        "Mo-Su 09:00-18:00",
        "24/7",
        "sunrise-sunset",
        "Dec 25 off; Su[-1] 10:00-12:00",
        "week 1-53/2 Mo 08:00+",
        "easter -2 days off",
    ] {
        for (y, m, d) in [(1900, 1, 1), (2200, 12, 20)] {
            check(value, NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default());
        }
    }
}
