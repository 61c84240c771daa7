//! `VTIMEZONE` components (RFC 5545 §3.6.5) from the IANA database in chrono-tz: the
//! offset in force at the start of the covered years, then one observance per transition
//! inside them, each with its exact local start, offsets and abbreviation. Explicit
//! transitions (no `RRULE`) are valid for any zone, including ones whose rules changed.

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// Total offset from UTC in seconds at `t`.
fn offset_at(tz: Tz, t: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&t.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The first second at which the offset differs from the one at `a` (known to change
/// before `b`).
fn transition(tz: Tz, mut a: DateTime<Utc>, mut b: DateTime<Utc>) -> DateTime<Utc> {
    let before = offset_at(tz, a);
    while b - a > TimeDelta::seconds(1) {
        let mid = a + (b - a) / 2;
        if offset_at(tz, mid) == before {
            a = mid;
        } else {
            b = mid;
        }
    }
    b
}

fn fmt_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let s = secs.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

struct Observance {
    daylight: bool,
    /// Local time (in the offset before the change) when it starts.
    local_start: chrono::NaiveDateTime,
    from: i32,
    to: i32,
    name: Option<String>,
}

fn observance(tz: Tz, at: DateTime<Utc>, from: i32) -> Observance {
    let off = tz.offset_from_utc_datetime(&at.naive_utc());
    Observance {
        daylight: !off.dst_offset().is_zero(),
        local_start: at.naive_utc() + TimeDelta::seconds(i64::from(from)),
        from,
        to: off.fix().local_minus_utc(),
        name: off.abbreviation().map(str::to_string),
    }
}

/// Content lines of the `VTIMEZONE` of `tz` covering the years `first..=last` dates.
pub fn lines(tz: Tz, first: NaiveDate, last: NaiveDate) -> Vec<String> {
    let year0 = first.year();
    let year1 = last.year().max(year0);
    let start = Utc
        .with_ymd_and_hms(year0, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let end = Utc
        .with_ymd_and_hms(year1 + 1, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(start);
    let initial = offset_at(tz, start);
    let mut obs = vec![observance(tz, start, initial)];
    // Day steps find every change (zones change at most a few times a year).
    let mut t = start;
    let mut current = initial;
    while t < end {
        let next = t + TimeDelta::days(1);
        let o = offset_at(tz, next);
        if o != current {
            let at = transition(tz, t, next);
            obs.push(observance(tz, at, current));
            current = o;
        }
        t = next;
    }
    let mut out = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    for o in obs {
        let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
        out.push(format!("BEGIN:{kind}"));
        out.push(format!("DTSTART:{}", o.local_start.format("%Y%m%dT%H%M%S")));
        out.push(format!("TZOFFSETFROM:{}", fmt_offset(o.from)));
        out.push(format!("TZOFFSETTO:{}", fmt_offset(o.to)));
        if let Some(n) = o.name {
            out.push(format!("TZNAME:{}", crate::ics::escape(&n)));
        }
        out.push(format!("END:{kind}"));
    }
    out.push("END:VTIMEZONE".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn berlin_has_its_two_changes_at_the_right_local_times() {
        let l = lines(chrono_tz::Europe::Berlin, d(2027, 6, 1), d(2027, 6, 5)).join("\n");
        assert!(l.contains("TZID:Europe/Berlin"));
        // 2027: summer time from 28 March 02:00 CET, back on 31 October 03:00 CEST.
        assert!(l.contains("BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST"), "{l}");
        assert!(
            l.contains("DTSTART:20271031T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET"),
            "{l}"
        );
    }

    #[test]
    fn seoul_is_one_standard_observance() {
        let l = lines(chrono_tz::Asia::Seoul, d(2027, 6, 1), d(2027, 6, 5));
        assert_eq!(
            l.iter().filter(|x| x.starts_with("BEGIN:STANDARD")).count(),
            1
        );
        assert!(!l.iter().any(|x| x.contains("DAYLIGHT")));
        assert!(l.contains(&"TZOFFSETTO:+0900".to_string()));
        assert!(l.contains(&"TZNAME:KST".to_string()));
    }
}
