//! The validator's reading against the reference's answers on common values.

use super::calendar::*;
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
