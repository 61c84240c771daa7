//! A synthetic trip of any size (Munich, Europe/Berlin, from 1 June 2027), for the
//! renderers' unit tests and the export benchmark. Names mix Korean and Latin letters
//! that need the fallback font.

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};

use crate::model::*;

const NAMES: [&str; 10] = [
    "Marienplatz",
    "성모 교회 (Frauenkirche)",
    "Viktualienmarkt",
    "Residenz München",
    "Deutsches Museum",
    "영국 정원 Englischer Garten",
    "Café São Bento",
    "Alte Pinakothek",
    "Hofbräuhaus",
    "님펜부르크 궁전",
];

fn kind_of(i: usize, n: usize) -> (StopKind, &'static str) {
    if n >= 5 && i == 2 {
        (StopKind::Lunch, "restaurant")
    } else if n >= 6 && i == n - 1 {
        (StopKind::Dinner, "restaurant")
    } else if n >= 7 && i == 4 {
        (StopKind::Rest, "cafe")
    } else {
        (StopKind::Visit, "museum")
    }
}

/// Day `number` with `stops` stops around central Munich.
pub fn day(number: usize, stops: usize) -> ExportDay {
    let date = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap_or_default()
        + TimeDelta::days(number as i64 - 1);
    let hotel = GeoPoint::new(48.1402, 11.5735);
    let mut t = 9 * 60;
    let mut out = Vec::new();
    let mut legs = Vec::new();
    let mut prev = hotel;
    for i in 0..stops {
        let a = (number * 7 + i) as f64;
        let p = GeoPoint::new(
            48.137 + 0.012 * (a * 1.3).sin() + 0.002 * i as f64,
            11.575 + 0.018 * (a * 0.7).cos(),
        );
        let metres =
            ((p.lat - prev.lat).abs() * 111_000.0 + (p.lon - prev.lon).abs() * 74_000.0) as u32;
        let (mode, minutes) = if metres <= 500 {
            (LegMode::Walk, metres / 70 + 1)
        } else {
            (LegMode::Transit, metres / 250 + 6)
        };
        legs.push(ExportLeg {
            mode,
            depart: t,
            minutes,
            metres,
            geometry: vec![prev, p],
        });
        t += minutes;
        let (kind, category) = kind_of(i, stops);
        let len = if kind == StopKind::Rest { 30 } else { 75 };
        out.push(ExportStop {
            place_id: format!("osm:node:{}", 1000 + number * 100 + i),
            name: NAMES[(number + i) % NAMES.len()].to_string(),
            kind,
            category: category.into(),
            position: p,
            start: t,
            end: t + len,
            notes: vec!["Matches the group's interests.".into()],
            warnings: Vec::new(),
            start_zone: None,
            end_zone: None,
            journey: None,
        });
        t += len;
        prev = p;
    }
    let metres = ((hotel.lat - prev.lat).abs() * 111_000.0) as u32;
    legs.push(ExportLeg {
        mode: LegMode::Transit,
        depart: t,
        minutes: 15,
        metres,
        geometry: vec![prev, hotel],
    });
    t += 15;
    let anchor = |time| Anchor {
        name: "Bayerischer Hof".into(),
        position: hotel,
        time,
    };
    ExportDay {
        number,
        date,
        city: Some("Munich".into()),
        time_zone: chrono_tz::Europe::Berlin,
        version: 1,
        weather: Some(Weather {
            sky: "cloudy".into(),
            min_temp_c: Some(12.0),
            max_temp_c: Some(21.0),
            air: None,
        }),
        notes: vec!["Showers likely in the afternoon: indoor places first.".into()],
        start: anchor(9 * 60),
        end: anchor(t),
        stops: out,
        legs,
        walking_metres: 2300,
        base_map: Vec::new(),
    }
}

/// A trip of `days` days with `stops` stops each.
pub fn trip(days: usize, stops: usize) -> ExportTrip {
    let days: Vec<ExportDay> = (1..=days).map(|n| day(n, stops)).collect();
    ExportTrip {
        id: "0190f0a8-0000-7000-8000-000000000001".into(),
        name: "뮌헨 여행 Munich".into(),
        start_date: days.first().map(|d| d.date).unwrap_or_default(),
        end_date: days.last().map(|d| d.date).unwrap_or_default(),
        members: 3,
        cities: vec!["Munich".into()],
        days,
        generated_at: Utc
            .with_ymd_and_hms(2027, 5, 1, 12, 0, 0)
            .single()
            .unwrap_or_default(),
    }
}

/// A synthetic base map around central Munich (a river, a park, a block of buildings, a
/// grid of streets), for the renderers' tests and the benchmark: what the trip context
/// passes from the real tiles, in the same classes.
pub fn base_map() -> Vec<BaseShape> {
    let p = GeoPoint::new;
    let rect = |s: f64, w: f64, n: f64, e: f64| vec![p(s, w), p(s, e), p(n, e), p(n, w), p(s, w)];
    let mut out = vec![
        BaseShape {
            class: BaseClass::Park,
            parts: vec![rect(48.140, 11.580, 48.152, 11.592)],
        },
        BaseShape {
            // The river, a band across the whole area.
            class: BaseClass::Water,
            parts: vec![rect(48.110, 11.583, 48.170, 11.589)],
        },
    ];
    for i in 0..12 {
        for j in 0..12 {
            let (s, w) = (48.124 + 0.002 * f64::from(i), 11.556 + 0.003 * f64::from(j));
            out.push(BaseShape {
                class: BaseClass::Building,
                parts: vec![rect(s, w, s + 0.0012, w + 0.002)],
            });
        }
    }
    for i in 0..8 {
        let lat = 48.120 + 0.005 * f64::from(i);
        let lon = 11.550 + 0.007 * f64::from(i);
        out.push(BaseShape {
            class: if i % 3 == 0 {
                BaseClass::MajorRoad
            } else {
                BaseClass::MinorRoad
            },
            parts: vec![
                vec![p(lat, 11.54), p(lat, 11.61)],
                vec![p(48.11, lon), p(48.17, lon)],
            ],
        });
    }
    out.sort_by_key(|s| s.class);
    out
}
