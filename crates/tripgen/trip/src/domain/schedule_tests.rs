//! Unit tests of the stored day: leg choice, recompute after an edit, the hard-rule check.

use super::*;

fn p(lat: f64, lon: f64) -> LatLon {
    LatLon { lat, lon }
}

fn stop(id: &str, minutes: u32) -> DraftStop {
    DraftStop {
        stop: Stop {
            place_id: id.into(),
            name: id.into(),
            kind: StopKind::Visit,
            category: "museum".into(),
            position: p(0.0, 0.0),
            arrival: 0,
            start: 0,
            end: 0,
            indoor: true,
            reason: Reason {
                code: "X".into(),
                text: String::new(),
                params: TextParams::new(),
            },
            accessibility_note: None,
            access: None,
            indoor_alternative: None,
            parking: None,
            warnings: vec![],
            journey: None,
        },
        minutes,
        hours: None,
    }
}

fn day() -> DayPlan {
    DayPlan {
        day_index: 0,
        date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        city: None,
        destination_id: None,
        start: Anchor {
            name: "Hotel".into(),
            position: p(0.0, 0.0),
            time: 540,
        },
        end: Anchor {
            name: "Hotel".into(),
            position: p(0.0, 0.0),
            time: 1200,
        },
        stops: vec![],
        legs: vec![],
        return_time: 540,
        walking_metres: 0,
        walking_kcal: 0,
        weather: None,
        weather_notes: vec![],
        weather_note_codes: vec![],
        warnings: vec![],
    }
}

fn leg(mode: Mode, minutes: u32, metres: u32) -> (Mode, LegEstimate) {
    (mode, LegEstimate { minutes, metres })
}

#[test]
fn mode_choice() {
    let w = |minutes, metres| Some(LegEstimate { minutes, metres });
    let fit_public = LegPolicy::for_group(&[Health::Good], TransportMode::Public);
    let fit_car = LegPolicy::for_group(&[Health::Good], TransportMode::Car);
    assert_eq!(
        fit_public.choose(w(5, 400), w(12, 400)).unwrap().0,
        Mode::Walk
    );
    assert_eq!(fit_car.choose(w(9, 700), w(12, 700)).unwrap().0, Mode::Car);
    // A limited member: 14 minutes' walk becomes 21 (over 20), so a taxi.
    let limited = LegPolicy::for_group(&[Health::Good, Health::Limited], TransportMode::Public);
    assert_eq!(limited.choose(w(14, 450), w(9, 450)).unwrap().0, Mode::Taxi);
    // No motor estimate: the walk it is, at the group's pace.
    assert_eq!(
        limited.choose(w(30, 2000), None).unwrap(),
        (
            Mode::Walk,
            LegEstimate {
                minutes: 45,
                metres: 2000
            }
        )
    );
}

#[test]
fn recompute_chains_times_and_waits_for_opening() {
    let mut b = stop("b", 60);
    b.hours = Some(vec![OpenInterval {
        open: 660,
        close: 1020,
    }]);
    let d = recompute(
        &day(),
        vec![stop("a", 90), b],
        &[
            leg(Mode::Walk, 10, 400),
            leg(Mode::Transit, 20, 3000),
            leg(Mode::Transit, 25, 4000),
        ],
    );
    assert_eq!(
        (d.stops[0].arrival, d.stops[0].start, d.stops[0].end),
        (550, 550, 640)
    );
    // Arrives 660 exactly: b opens at 11:00.
    assert_eq!(
        (d.stops[1].arrival, d.stops[1].start, d.stops[1].end),
        (660, 660, 720)
    );
    assert_eq!(d.return_time, 745);
    assert_eq!(d.legs.len(), 3);
    assert_eq!(d.walking_metres, 400);
    assert_eq!(d.legs[0].kcal, Some(22));
    assert!(check_day(&d, &HashMap::new(), &Default::default()).is_empty());
}

#[test]
fn closed_and_overrun_are_reported_on_stops() {
    let mut a = stop("a", 600);
    a.hours = Some(vec![OpenInterval {
        open: 600,
        close: 960,
    }]);
    let hours: HashMap<_, _> = [("a".to_string(), a.hours.clone())].into();
    let mut d = recompute(
        &day(),
        vec![a, stop("b", 60)],
        &[
            leg(Mode::Walk, 5, 300),
            leg(Mode::Walk, 5, 300),
            leg(Mode::Car, 70, 50_000),
        ],
    );
    let v = check_day(&d, &hours, &["b".to_string()].into());
    let rules: Vec<_> = v.iter().map(|v| (v.rule.as_str(), v.stop_index)).collect();
    assert!(
        rules.contains(&("CLOSED_AT_THAT_TIME", Some(0))),
        "{rules:?}"
    );
    assert!(rules.contains(&("DUPLICATE_PLACE", Some(1))));
    assert!(rules.contains(&("LEG_TOO_LONG", Some(1))));
    assert!(rules.contains(&("DAY_OVERRUN", Some(1))));
    attach(&mut d, &v);
    assert!(
        d.stops[0]
            .warnings
            .iter()
            .any(|w| w.code == "CLOSED_AT_THAT_TIME")
    );
    assert_eq!(d.warnings.len(), v.len());
}
