use super::*;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn missing_and_malformed_are_unknown_never_open() {
    for oh in [
        OpeningHours::missing(),
        OpeningHours::parse(""),
        OpeningHours::parse("Mo-Fr 9 bis 18 Uhr"),
        OpeningHours::parse("25:99-99:00"),
        OpeningHours::parse("Mo-Fr 10:00-"),
    ] {
        assert_eq!(
            oh.state_at(at("2025-11-24 12:00")),
            OpeningState::Unknown,
            "{oh:?}"
        );
        assert!(!oh.is_open_at(at("2025-11-24 12:00")));
        assert_eq!(oh.next_change(at("2025-11-24 12:00")), None);
        let d = oh.day_schedule(day("2025-11-24"));
        assert!(d.open.is_empty());
        assert_eq!(
            d.unknown,
            vec![MinuteRange {
                start: 0,
                end: 1440
            }]
        );
    }
    assert!(OpeningHours::parse("Mo-Fr 9 bis 18 Uhr").is_malformed());
    // Spaced ranges are accepted, the raw text is kept as tagged.
    let spaced = OpeningHours::parse("Mo - Fr 08:00 - 18:30");
    assert!(!spaced.is_malformed());
    assert_eq!(spaced.raw(), Some("Mo - Fr 08:00 - 18:30"));
    assert!(spaced.is_open_at(at("2025-11-24 08:00")));
    assert!(OpeningHours::missing().is_missing());
}

#[test]
fn evaluates_state_intervals_and_next_change() {
    let oh = OpeningHours::parse("Mo-Fr 10:00-18:00; Sa 10:00-14:00; Su off");
    // 2025-11-24 is a Monday.
    assert_eq!(oh.state_at(at("2025-11-24 09:59")), OpeningState::Closed);
    assert_eq!(oh.state_at(at("2025-11-24 10:00")), OpeningState::Open);
    assert_eq!(
        oh.next_change(at("2025-11-24 12:00")),
        Some(at("2025-11-24 18:00"))
    );
    assert_eq!(
        oh.day_schedule(day("2025-11-29")).open,
        vec![MinuteRange {
            start: 600,
            end: 840
        }]
    );
    assert!(oh.day_schedule(day("2025-11-30")).is_closed_all_day());
    let week = oh.week(day("2025-11-24"));
    assert_eq!(week.len(), 7);
    assert_eq!(
        week.iter().map(DaySchedule::open_minutes).sum::<u32>(),
        5 * 480 + 240
    );
}

#[test]
fn overnight_spills_into_next_day_and_split_hours_stay_split() {
    let oh = OpeningHours::parse("Fr 20:00-02:00");
    // 2025-11-28 Friday, 2025-11-29 Saturday.
    assert_eq!(
        oh.day_schedule(day("2025-11-28")).open,
        vec![MinuteRange {
            start: 1200,
            end: 1440
        }]
    );
    assert_eq!(
        oh.day_schedule(day("2025-11-29")).open,
        vec![MinuteRange { start: 0, end: 120 }]
    );
    let split = OpeningHours::parse("Mo-Su 11:30-14:30,17:30-23:00");
    assert_eq!(split.day_schedule(day("2025-11-24")).open.len(), 2);
}

#[test]
fn unknown_rules_are_reported_as_unknown() {
    let oh = OpeningHours::parse("Mo-Fr 10:00-18:00; Sa unknown \"by appointment\"");
    assert_eq!(oh.state_at(at("2025-11-29 12:00")), OpeningState::Unknown);
    assert_eq!(oh.day_schedule(day("2025-11-29")).unknown.len(), 1);
}

#[test]
fn localized_uses_holidays_and_time_zone() {
    let oh = OpeningHours::parse("Mo-Sa 10:00-18:00; PH off");
    // 2025-12-25 (Thursday) is a public holiday in Germany.
    let christmas = at("2025-12-25 12:00");
    assert_eq!(oh.state_at(christmas), OpeningState::Open);
    let de = oh.localized(&OpeningContext {
        time_zone: Some(chrono_tz::Europe::Berlin),
        position: GeoPoint::new(48.137, 11.575).ok(),
        country: Some("de".into()),
    });
    assert_eq!(de.state_at(christmas), OpeningState::Closed);
    // 10:30 UTC is 11:30 in Munich in winter.
    let instant = chrono::Utc
        .with_ymd_and_hms(2025, 11, 24, 9, 30, 0)
        .unwrap();
    assert_eq!(
        de.state_at_instant(&instant, chrono_tz::Europe::Berlin),
        OpeningState::Open
    );
}

#[test]
fn sun_events_follow_position_when_localized() {
    let oh = OpeningHours::parse("sunrise-sunset");
    let munich = oh.localized(&OpeningContext {
        time_zone: Some(chrono_tz::Europe::Berlin),
        position: GeoPoint::new(48.137, 11.575).ok(),
        country: None,
    });
    // Late December: sunset in Munich is around 16:20 local time.
    let d = munich.day_schedule(day("2025-12-21"));
    let end = d.open.first().map(|r| r.end).unwrap_or_default();
    assert!((16 * 60..17 * 60).contains(&end), "sunset at minute {end}");
}

#[test]
fn dst_gap_moves_forward() {
    let oh = OpeningHours::parse("24/7").localized(&OpeningContext {
        time_zone: Some(chrono_tz::Europe::Berlin),
        ..OpeningContext::default()
    });
    // 2025-03-30 02:30 does not exist in Berlin.
    assert_eq!(oh.state_at(at("2025-03-30 02:30")), OpeningState::Open);
}

#[test]
fn serde_roundtrip_keeps_raw_text() {
    let oh = OpeningHours::parse("Mo-Fr 08:00-12:00");
    let json = serde_json::to_string(&oh).unwrap();
    assert_eq!(json, "\"Mo-Fr 08:00-12:00\"");
    let back: OpeningHours = serde_json::from_str(&json).unwrap();
    assert_eq!(back, oh);
    assert_eq!(back.state_at(at("2025-11-24 09:00")), OpeningState::Open);
    let none: OpeningHours = serde_json::from_str("null").unwrap();
    assert!(none.is_missing());
}
