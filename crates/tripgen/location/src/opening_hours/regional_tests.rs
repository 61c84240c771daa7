use super::*;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[test]
fn as_the_reference_reads_them() {
    // 2026-06-05 is a Friday: Thursday's hours past midnight.
    let oh = OpeningHours::parse("Fr-Sa 17:00-02:00; Mo-Th 17:00-01:00");
    assert_eq!(oh.state_at(at("2026-06-05 00:30")), OpeningState::Open);
    assert_eq!(oh.state_at(at("2026-06-05 01:30")), OpeningState::Closed);
    // Open end after a range.
    let oh = OpeningHours::parse("Mo-Sa 11:00-23:00+");
    assert_eq!(oh.state_at(at("2026-06-01 22:30")), OpeningState::Open);
    assert_eq!(oh.state_at(at("2026-06-01 23:30")), OpeningState::Unknown);
    // `|| "comment"`: closed minutes are unknown, with the comment.
    let oh = OpeningHours::parse("We-Fr 14:00-18:00 || \"nach Vereinbarung\"");
    assert_eq!(oh.state_at(at("2026-06-03 15:00")), OpeningState::Open);
    assert_eq!(oh.state_at(at("2026-06-03 19:00")), OpeningState::Unknown);
    let day = oh.day_schedule(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
    assert_eq!(
        day.unknown,
        vec![MinuteRange {
            start: 0,
            end: 1440
        }]
    );
    assert!(day.notes.iter().any(|n| n == "nach Vereinbarung"));
    // A slip the reference corrects.
    let oh = OpeningHours::parse("Mi-So 10:00-18:00;\nMo off");
    assert!(!oh.is_malformed());
    assert_eq!(oh.state_at(at("2026-06-03 12:00")), OpeningState::Open);
}

#[test]
fn regional_holiday_hours_past_midnight_are_unknown_the_day_after() {
    // Epiphany (6 January) is a holiday in Bavaria only: the next morning's hours past
    // midnight depend on it.
    let oh = OpeningHours::parse("Mo-Su 17:00-23:00; PH 17:00-01:00").localized(&OpeningContext {
        time_zone: Some(chrono_tz::Europe::Berlin),
        position: GeoPoint::new(48.137, 11.575).ok(),
        country: Some("DE".into()),
    });
    assert_eq!(oh.state_at(at("2026-01-07 00:30")), OpeningState::Unknown);
    assert_eq!(oh.state_at(at("2026-01-08 00:30")), OpeningState::Closed);
}

#[test]
fn regional_only_holiday_is_unknown() {
    let (all, only) = regional_holidays(Country::DE);
    let epiphany = NaiveDate::from_ymd_opt(2026, 1, 6).unwrap();
    assert!(only.get_public().contains(epiphany), "regional list");
    assert!(all.get_public().contains(epiphany), "union");
    let oh = OpeningHours::parse("Mo-Sa 09:00-18:00; Su, PH off").localized(&OpeningContext {
        time_zone: Some(chrono_tz::Europe::Berlin),
        position: GeoPoint::new(48.137, 11.575).ok(),
        country: Some("DE".into()),
    });
    let day = oh.day_schedule(epiphany);
    assert!(day.open.is_empty(), "{day:?}");
}
