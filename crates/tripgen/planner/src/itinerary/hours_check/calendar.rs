//! The calendar the validator needs without a holiday table: days that are public holidays
//! in many countries, Easter, and the day before a date.

use crate::itinerary::model::Date;

/// The validator has no holiday calendar: a day is a possible public holiday when it is one
/// in many countries (fixed dates, and Easter-based ones from Good Friday to Corpus
/// Christi). On such a day a value whose `PH` rules change the day cannot be told.
pub(super) fn possible_holiday(d: Date) -> bool {
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
pub(super) fn easter_ordinal(year: i32) -> Option<u32> {
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

pub(super) fn ordinal(d: Date) -> u32 {
    let mut n = u32::from(d.day);
    let mut m = Date { day: 1, ..d };
    while m.month > 1 {
        m = previous(m);
        n += u32::from(m.day);
        m = Date { day: 1, ..m };
    }
    n
}

pub(super) fn previous(d: Date) -> Date {
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
