use std::io::{Cursor, Write};

use chrono::NaiveDate;

use super::feed::{FeedError, parse_time, read_feed};
use super::raptor::Network;
use super::timetable::{self, Line, Pattern, Service, Timetable, TransitStop, Trip};

fn hm(h: u32, m: u32) -> u32 {
    h * 3600 + m * 60
}

fn stop(id: &str, lat: f64, lon: f64) -> TransitStop {
    TransitStop {
        id: id.into(),
        name: id.into(),
        lat,
        lon,
    }
}

/// A: s0 → s1 → s2 every 10 min from 08:00 (5 min per hop); B: s2 → s3 every 15 min from
/// 08:03 (4 min); C: s4 → s3 at 08:30 only; s1 and s4 are a 2-minute walk apart.
/// Weekdays of 2026 only.
fn tiny() -> Network {
    let a: Vec<Trip> = (0..12)
        .map(|i| {
            let t = hm(8, 0) + i * 600;
            Trip {
                service: 0,
                times: vec![(t, t), (t + 300, t + 300), (t + 600, t + 600)],
            }
        })
        .collect();
    let b: Vec<Trip> = (0..8)
        .map(|i| {
            let t = hm(8, 3) + i * 900;
            Trip {
                service: 0,
                times: vec![(t, t), (t + 240, t + 240)],
            }
        })
        .collect();
    let c = vec![Trip {
        service: 0,
        times: vec![(hm(8, 30), hm(8, 30)), (hm(8, 33), hm(8, 33))],
    }];
    let mut transfers = vec![Vec::new(); 5];
    transfers[1].push((4, 120));
    transfers[4].push((1, 120));
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).map_or(0, |d| d.num_days_from_ce());
    use chrono::Datelike;
    Network::new(Timetable {
        feed: "tiny.zip".into(),
        city_id: "c".into(),
        city_name: "C".into(),
        stops: (0..5)
            .map(|i| stop(&format!("s{i}"), 48.0 + f64::from(i) * 0.01, 11.0))
            .collect(),
        lines: ["A", "B", "C"]
            .iter()
            .map(|n| Line {
                id: (*n).into(),
                name: (*n).into(),
                kind: 3,
            })
            .collect(),
        services: vec![Service {
            id: "wk".into(),
            weekdays: 0b001_1111,
            start: day(2026, 1, 1),
            end: day(2026, 12, 31),
            added: vec![],
            removed: vec![day(2026, 12, 25)],
        }],
        patterns: vec![
            Pattern {
                line: 0,
                stops: vec![0, 1, 2],
                trips: a,
            },
            Pattern {
                line: 1,
                stops: vec![2, 3],
                trips: b,
            },
            Pattern {
                line: 2,
                stops: vec![4, 3],
                trips: c,
            },
        ],
        transfers,
    })
}

fn wednesday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
}

#[test]
fn raptor_waits_for_the_next_departure() {
    let n = tiny();
    let active = n.timetable.active_services(wednesday());
    // Ready at s0 at 08:01: the 08:10 trip, at s2 at 08:20.
    let a = n.earliest(&active, &[(0, hm(8, 1))]);
    assert_eq!(a.at(2), Some(hm(8, 20)));
    let rides = n.rides(&a, 2);
    assert_eq!(rides.len(), 1);
    assert_eq!(n.timetable.patterns[rides[0].pattern as usize].line, 0);
    assert_eq!(rides[0].trip, 1);
}

#[test]
fn raptor_changes_lines_and_walks_between_stops() {
    let n = tiny();
    let active = n.timetable.active_services(wednesday());
    // s0 08:00 → A → s2 08:10; B leaves s2 at 08:18 → s3 08:22.
    let a = n.earliest(&active, &[(0, hm(8, 0))]);
    assert_eq!(a.at(3), Some(hm(8, 22)));
    let lines: Vec<u32> = n
        .rides(&a, 3)
        .iter()
        .map(|r| n.timetable.patterns[r.pattern as usize].line)
        .collect();
    assert_eq!(lines, vec![0, 1]);
    // From 08:21 at s0: A (08:30) to s1 08:35, s2 08:40; the walk s1 → s4 (08:37) misses
    // C (08:30), so s3 is reached by B (08:48) at 08:52.
    let a = n.earliest(&active, &[(0, hm(8, 21))]);
    assert_eq!(a.at(3), Some(hm(8, 52)));
    // From 08:10 at s0: A at s1 08:15, walk to s4 08:17, C 08:30 → s3 08:33 beats B (08:37).
    let a = n.earliest(&active, &[(0, hm(8, 10))]);
    assert_eq!(a.at(4), Some(hm(8, 17)));
    assert_eq!(a.at(3), Some(hm(8, 33)));
    let lines: Vec<u32> = n
        .rides(&a, 3)
        .iter()
        .map(|r| n.timetable.patterns[r.pattern as usize].line)
        .collect();
    assert_eq!(lines, vec![0, 2]);
}

#[test]
fn raptor_finds_nothing_without_service() {
    let n = tiny();
    let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).expect("date");
    let sunday = NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
    for day in [christmas, sunday] {
        let active = n.timetable.active_services(day);
        let a = n.earliest(&active, &[(0, hm(8, 0))]);
        assert_eq!(a.at(0), Some(hm(8, 0)));
        assert_eq!(a.at(2), None, "{day}");
        assert!(n.rides(&a, 2).is_empty());
    }
    // After the last departure.
    let active = n.timetable.active_services(wednesday());
    let a = n.earliest(&active, &[(0, hm(23, 0))]);
    assert_eq!(a.at(1), None);
}

#[test]
fn timetables_round_trip_and_damaged_rows_are_errors() {
    let t = tiny().timetable;
    let bytes = timetable::encode(&t).expect("encode");
    assert_eq!(timetable::decode(&bytes).expect("decode"), t);
    assert!(timetable::decode(&bytes[..bytes.len() / 2]).is_err());
    let mut bad = t.clone();
    bad.patterns[0].stops[1] = 99;
    let bytes = timetable::encode(&bad).expect("encode");
    assert!(timetable::decode(&bytes).is_err());
    assert_eq!(t.typical_day(), NaiveDate::from_ymd_opt(2026, 1, 1));
}

fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        w.write_all(text.as_bytes()).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

const STOPS: &str = "stop_id,stop_name,stop_lat,stop_lon,location_type\n\
    P,Parent,48.1,11.5,1\na,Alpha,48.10,11.50,0\nb,Beta,48.11,11.50,\nc,Gamma,48.12,11.50,0\n";
const ROUTES: &str = "route_id,route_short_name,route_long_name,route_type\nr1,U9,,1\n";
const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,\
    start_date,end_date\nwk,1,1,1,1,1,0,0,20260101,20261231\n";
const TRIPS: &str = "route_id,service_id,trip_id\nr1,wk,t1\nr1,wk,t2\n";
const STOP_TIMES: &str = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
    t1,08:00:00,08:00:00,a,1\nt1,,,b,2\nt1,08:10:00,08:10:00,c,3\n\
    t2,25:00:00,25:00:00,a,1\nt2,25:04:00,25:04:00,b,2\nt2,25:08:00,25:08:00,c,3\n";

fn feed(replace: Option<(&str, &str)>) -> Vec<u8> {
    let mut files = vec![
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("calendar.txt", CALENDAR),
        ("trips.txt", TRIPS),
        ("stop_times.txt", STOP_TIMES),
    ];
    if let Some((name, text)) = replace {
        files.retain(|(n, _)| *n != name);
        if !text.is_empty() {
            files.push((name, text));
        }
    }
    zip_of(&files)
}

#[test]
fn a_feed_reads_into_patterns_with_interpolated_times() {
    let t = read_feed(Cursor::new(feed(None)), "f.zip").expect("feed");
    assert_eq!(t.stops.len(), 3, "the parent station is not a stop");
    assert_eq!(t.lines[0].name, "U9");
    assert_eq!(t.patterns.len(), 1);
    let p = &t.patterns[0];
    assert_eq!(p.trips.len(), 2);
    assert_eq!(p.trips[0].times[1], (hm(8, 5), hm(8, 5)), "interpolated");
    assert_eq!(p.trips[1].times[0].1, hm(25, 0), "past midnight kept");
    // 1.1 km apart: no walking transfer.
    assert!(t.transfers.iter().all(Vec::is_empty));
    assert_eq!(parse_time("7:05:09"), Some(7 * 3600 + 5 * 60 + 9));
    assert_eq!(parse_time("7:65:00"), None);
}

#[test]
fn frequencies_repeat_a_template_trip() {
    let freq = "trip_id,start_time,end_time,headway_secs\nt1,06:00:00,07:00:00,600\n";
    let mut files = vec![
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("calendar.txt", CALENDAR),
        ("trips.txt", TRIPS),
        ("stop_times.txt", STOP_TIMES),
    ];
    files.push(("frequencies.txt", freq));
    let t = read_feed(Cursor::new(zip_of(&files)), "f.zip").expect("feed");
    // Six repetitions of t1 (06:00 … 06:50) and t2.
    assert_eq!(t.trip_count(), 7);
    let p = &t.patterns[0];
    assert_eq!(p.trips[0].times[0].1, hm(6, 0));
    assert_eq!(p.trips[5].times[2].0, hm(7, 0));
}

#[test]
fn damaged_feeds_are_clear_errors() {
    // Not a zip, a truncated zip.
    assert!(matches!(
        read_feed(Cursor::new(b"stop_id,stop_name\n".to_vec()), "x.zip"),
        Err(FeedError::Zip(_))
    ));
    let good = feed(None);
    for cut in [good.len() / 3, good.len() - 10] {
        assert!(read_feed(Cursor::new(good[..cut].to_vec()), "x.zip").is_err());
    }
    let err = read_feed(Cursor::new(feed(Some(("stop_times.txt", "")))), "x.zip");
    assert_eq!(
        err.err(),
        Some(FeedError::MissingFile {
            file: "stop_times.txt"
        })
    );
    let bad_stop = "stop_id,stop_name,stop_lat,stop_lon\na,A,48.1,11.5\nb,B,north,11.5\n";
    let err = read_feed(Cursor::new(feed(Some(("stops.txt", bad_stop)))), "x.zip")
        .err()
        .expect("error");
    assert_eq!(err.field().as_deref(), Some("stops.txt:stop_lat"));
    assert!(err.to_string().contains("line 3"), "{err}");
    let unknown_trip = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
        zz,08:00:00,08:00:00,a,1\n";
    let err = read_feed(
        Cursor::new(feed(Some(("stop_times.txt", unknown_trip)))),
        "x.zip",
    )
    .err()
    .expect("error");
    assert_eq!(err.field().as_deref(), Some("stop_times.txt:trip_id"));
    let backwards = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n\
        t1,08:00:00,08:00:00,a,1\nt1,07:00:00,07:00:00,b,2\n";
    assert!(matches!(
        read_feed(Cursor::new(feed(Some(("stop_times.txt", backwards)))), "x.zip"),
        Err(FeedError::Invalid { .. })
    ));
    let no_column = "stop_id,stop_name,stop_lat\na,A,48.1\n";
    assert_eq!(
        read_feed(Cursor::new(feed(Some(("stops.txt", no_column)))), "x.zip").err(),
        Some(FeedError::MissingColumn {
            file: "stops.txt",
            column: "stop_lon"
        })
    );
}

#[test]
fn random_bytes_never_panic_the_reader() {
    let good = feed(None);
    let mut state = 0x2545_f491_u32;
    for _ in 0..200 {
        let mut bytes = good.clone();
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let i = state as usize % bytes.len();
            bytes[i] = (state >> 8) as u8;
        }
        // Either a timetable or an error; never a panic.
        let _ = read_feed(Cursor::new(bytes), "fuzz.zip");
    }
}
