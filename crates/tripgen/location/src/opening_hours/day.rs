//! How one reading of a value gives a local day: evaluation through the crate (guarded
//! against its panics), DST-safe local times, holiday variants and uncertain minutes.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use opening_hours::localization::Country;
use opening_hours::{Context, ContextHolidays, RuleKind};

use super::{DaySchedule, Expr, MINUTES_PER_DAY, MinuteRange};

/// One reading's day schedule (see [`OpeningHours::day_schedule`]).
pub(super) fn schedule_of(expr: &Expr, tz: Tz, date: NaiveDate) -> DaySchedule {
    let start = date.and_time(NaiveTime::MIN);
    let (Some(from), Some(to)) = (
        to_zoned(tz, start),
        start
            .checked_add_signed(Duration::days(1))
            .and_then(|end| to_zoned(tz, end)),
    ) else {
        return DaySchedule::all_unknown(date);
    };
    let ranges = guarded(|| {
        expr.iter_range(from, to)
            .map(|r| {
                (
                    r.kind,
                    r.range.start.naive_local(),
                    r.range.end.naive_local(),
                    r.comment,
                )
            })
            .collect::<Vec<_>>()
    });
    let Some(ranges) = ranges else {
        return DaySchedule::all_unknown(date);
    };
    let mut day = DaySchedule {
        date,
        open: Vec::new(),
        unknown: Vec::new(),
        notes: Vec::new(),
    };
    for (kind, s, e, comment) in ranges {
        let range = MinuteRange {
            start: minutes_since(start, s),
            end: minutes_since(start, e),
        };
        if range.is_empty() {
            continue;
        }
        if !comment.is_empty() && !day.notes.iter().any(|n| **n == *comment) {
            day.notes.push(comment.to_string());
        }
        match kind {
            RuleKind::Open => push_merged(&mut day.open, range),
            RuleKind::Unknown => push_merged(&mut day.unknown, range),
            RuleKind::Closed => {}
        }
    }
    day
}

/// The expression with `date` as one more public holiday.
pub(super) fn with_extra_holiday(expr: &Expr, date: NaiveDate) -> Expr {
    let ctx = expr.get_context();
    let mut public = ctx.holidays.get_public().clone();
    public.insert(date);
    let holidays = ContextHolidays::new(
        Arc::new(public),
        Arc::new(ctx.holidays.get_school().clone()),
    );
    expr.clone().with_context(
        Context::default()
            .with_holidays(holidays)
            .with_locale(ctx.locale.clone()),
    )
}

/// `… || "comment"`: the minutes the rules leave closed are unknown, with the comment.
pub(super) fn closed_as_unknown(day: DaySchedule, note: &str) -> DaySchedule {
    let mut covered: Vec<MinuteRange> = day.open.iter().chain(&day.unknown).copied().collect();
    covered.sort_by_key(|r| r.start);
    let mut unknown = day.unknown.clone();
    let mut at = 0;
    for r in covered.iter().chain(std::iter::once(&MinuteRange {
        start: MINUTES_PER_DAY,
        end: MINUTES_PER_DAY,
    })) {
        if r.start > at {
            unknown.push(MinuteRange {
                start: at,
                end: r.start,
            });
        }
        at = at.max(r.end);
    }
    unknown.sort_by_key(|r| r.start);
    let mut merged = Vec::with_capacity(unknown.len());
    for r in unknown {
        push_merged(&mut merged, r);
    }
    let mut notes = day.notes;
    if !notes.iter().any(|n| n == note) {
        notes.push(note.to_owned());
    }
    DaySchedule {
        unknown: merged,
        notes,
        ..day
    }
}

/// Minutes whose state differs between two readings become unknown.
pub(super) fn merge_uncertain(a: DaySchedule, b: &DaySchedule) -> DaySchedule {
    fn states(d: &DaySchedule) -> Vec<u8> {
        let mut s = vec![0u8; usize::from(MINUTES_PER_DAY)];
        for (ranges, v) in [(&d.open, 2u8), (&d.unknown, 1u8)] {
            for r in ranges {
                for m in s
                    .iter_mut()
                    .take(usize::from(r.end))
                    .skip(usize::from(r.start))
                {
                    *m = v;
                }
            }
        }
        s
    }
    let (sa, sb) = (states(&a), states(b));
    let mut out = DaySchedule {
        date: a.date,
        open: Vec::new(),
        unknown: Vec::new(),
        notes: a.notes.clone(),
    };
    for (m, (x, y)) in (0u16..).zip(sa.iter().zip(sb.iter())) {
        let v = if x == y { *x } else { 1 };
        let range = MinuteRange {
            start: m,
            end: m + 1,
        };
        match v {
            2 => push_merged(&mut out.open, range),
            1 => push_merged(&mut out.unknown, range),
            _ => {}
        }
    }
    out
}

/// The country's holidays with the regional ones added, and the regional-only dates;
/// built once per country.
pub(super) fn regional_holidays(country: Country) -> (ContextHolidays, ContextHolidays) {
    static CACHE: LazyLock<Mutex<HashMap<Country, (ContextHolidays, ContextHolidays)>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let build = || {
        let national = country.holidays();
        let regional = country.holidays_regional();
        let mut all = national.get_public().clone();
        for d in regional.get_public().iter() {
            all.insert(d);
        }
        let school = Arc::new(national.get_school().clone());
        (
            ContextHolidays::new(Arc::new(all), school.clone()),
            // A date of both lists is a holiday in both readings: no difference there.
            ContextHolidays::new(Arc::new(regional.get_public().clone()), school),
        )
    };
    match CACHE.lock() {
        Ok(mut cache) => cache.entry(country).or_insert_with(build).clone(),
        Err(_) => build(),
    }
}

/// The parsers are third-party code fed with arbitrary user text: contain any panic.
pub(super) fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

/// Runs third-party evaluation code; a panic (the crate asserts internally) becomes `None`.
pub(super) fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

/// Local wall-clock time → zoned time; a time inside a DST gap moves forward to the first
/// valid minute (as a clock would), an ambiguous one takes the earlier offset.
pub(super) fn to_zoned(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Tz>> {
    let mut t = local;
    for _ in 0..=180 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return Some(dt);
        }
        t = t.checked_add_signed(Duration::minutes(1))?;
    }
    None
}

fn minutes_since(midnight: NaiveDateTime, t: NaiveDateTime) -> u16 {
    let minutes = (t - midnight)
        .num_minutes()
        .clamp(0, i64::from(MINUTES_PER_DAY));
    u16::try_from(minutes).unwrap_or(MINUTES_PER_DAY)
}

fn push_merged(ranges: &mut Vec<MinuteRange>, range: MinuteRange) {
    if let Some(last) = ranges.last_mut()
        && last.end >= range.start
    {
        last.end = last.end.max(range.end);
        return;
    }
    ranges.push(range);
}
