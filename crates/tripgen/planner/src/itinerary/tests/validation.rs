//! The independent validator, serialisation, and inputs that must not panic.

use super::*;

#[test]
fn plan_serialises_camel_case_and_is_deterministic() {
    let req = request(&[Health::Good], 1, 29);
    let a = plan_ok(&req);
    let b = plan_ok(&req);
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    assert!(json.contains("\"returnTime\"") && json.contains("\"placeId\""));
    let back: TripPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn validator_catches_broken_plans() {
    let req = request(&[Health::Limited], 1, 31);
    let plan = plan_ok(&req);
    let mut bad = plan.clone();
    // Visit a closed place, twice.
    if let Some(first) = bad.days[0].stops.first().cloned() {
        let mut dup = first.clone();
        dup.start = 23 * 60;
        dup.end = 23 * 60 + 30;
        bad.days[0].stops.push(dup);
        let leg0 = bad.days[0].legs[0].clone();
        bad.days[0].legs.push(leg0);
        let rules: Vec<String> = validate_plan(&req, &bad)
            .into_iter()
            .map(|v| v.rule)
            .collect();
        assert!(rules.contains(&"PLACE_TWICE".to_string()), "{rules:?}");
        assert!(rules.contains(&"CLOSED".to_string()) || rules.contains(&"TIME_ORDER".to_string()));
    }
    let mut long_walk = plan.clone();
    long_walk.days[0].legs[0].mode = Mode::Walk;
    long_walk.days[0].legs[0].metres = 900;
    assert!(
        validate_plan(&req, &long_walk)
            .iter()
            .any(|v| v.rule == "WALK_LIMIT")
    );
}

#[test]
fn empty_and_degenerate_inputs_do_not_panic() {
    let mut req = request(&[], 1, 1);
    req.candidates.clear();
    let plan = plan_ok(&req);
    assert!(plan.days[0].stops.is_empty());
    let mut req = request(&[Health::Good], 1, 1);
    req.days[0].end.time = req.days[0].start.time; // zero-length day
    req.candidates[0].position.lat = f64::NAN;
    plan_ok(&req);
    assert!(replan_day(&req, &StraightLine::default(), &plan, 5, 1).is_err());
}

#[test]
fn validator_reads_raw_hours_itself() {
    let mut req = request(&[Health::Good], 1, 37);
    let plan = plan_ok(&req);
    let Some(stop) = plan.days[0]
        .stops
        .iter()
        .find(|s| s.kind == StopKind::Visit)
        .cloned()
    else {
        return;
    };
    let c = req
        .candidates
        .iter_mut()
        .find(|c| c.id == stop.place_id)
        .unwrap();
    // The builder's hours say open; the raw value (a comma-space weekday list the crate
    // once misread as "open all day") says this Monday is closed: the validator sees it.
    c.opening_hours = Some("Tu-We, Fr-Su 10:00-12:00".into());
    let rules: Vec<String> = validate_plan(&req, &plan)
        .into_iter()
        .map(|v| v.rule)
        .collect();
    assert!(rules.contains(&"CLOSED".to_string()), "{rules:?}");
    // Unknown hours need an always-open place and the note on the day.
    let c = req
        .candidates
        .iter_mut()
        .find(|c| c.id == stop.place_id)
        .unwrap();
    c.opening_hours = Some("\"by appointment\"".into());
    let rules: Vec<String> = validate_plan(&req, &plan)
        .into_iter()
        .map(|v| v.rule)
        .collect();
    assert!(rules.contains(&"HOURS_UNKNOWN".to_string()), "{rules:?}");
}
