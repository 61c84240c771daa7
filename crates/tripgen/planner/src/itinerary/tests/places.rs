//! Which places a plan holds: opening hours, must-visits, exclusions, weather, zones.

use super::*;

#[test]
fn closed_places_are_never_visited() {
    let mut req = request(&[Health::Good], 2, 3);
    // Close every museum on day 0 and make museums the most attractive category.
    for c in &mut req.candidates {
        if c.category == Category::Museum {
            c.score = 500.0;
            if let Some(h) = c.hours.get_mut(0) {
                *h = Some(vec![]);
            }
        }
    }
    let plan = plan_ok(&req);
    assert!(
        plan.days[0]
            .stops
            .iter()
            .all(|s| s.category != Category::Museum)
    );
    // Unknown hours are never scheduled either.
    for day in &plan.days {
        for s in &day.stops {
            let c = req.candidates.iter().find(|c| c.id == s.place_id).unwrap();
            assert!(c.always_open || c.hours[day.day_index].is_some());
        }
    }
}

#[test]
fn must_visit_is_honoured() {
    let mut req = request(&[Health::Good], 2, 9);
    // A low-scored museum far from the best places, open on day 1.
    let target = req
        .candidates
        .iter()
        .filter(|c| {
            c.category == Category::Museum
                && c.hours
                    .get(1)
                    .is_some_and(|h| h.as_ref().is_some_and(|v| !v.is_empty()))
        })
        .min_by(|a, b| a.score.total_cmp(&b.score))
        .map(|c| c.id.clone())
        .unwrap();
    req.constraints.must_visit = vec![target.clone(), "does-not-exist".into()];
    let plan = plan_ok(&req);
    assert!(
        plan.days
            .iter()
            .any(|d| d.stops.iter().any(|s| s.place_id == target))
    );
    let missing = plan
        .warnings
        .iter()
        .find(|w| w.place_id.as_deref() == Some("does-not-exist"))
        .expect("warned");
    assert_eq!(
        missing.params.get("why").map(String::as_str),
        Some("NOT_IN_LIST")
    );
}

#[test]
fn exclusion_reasons_have_codes() {
    use crate::itinerary::candidates::exclusion_reason;
    use crate::itinerary::group_rules::group_rules;
    let mut req = request(&[Health::Caution], 1, 3);
    let c = req.candidates[0].clone();
    req.constraints.avoid_places = vec![c.id.clone()];
    let rules = group_rules(&req.group, req.constraints.pace, req.transport);
    let why = exclusion_reason(&c, &req, &rules).expect("excluded");
    assert_eq!(crate::itinerary::plan::exclusion_code(why), "AVOIDED_PLACE");
    for text in [
        "its category is avoided",
        "it is too strenuous for the group",
        "its data is invalid",
    ] {
        assert_ne!(
            crate::itinerary::plan::exclusion_code(text),
            "EXCLUDED",
            "{text}"
        );
    }
}

#[test]
fn regenerate_day_excludes_other_days_and_varies_with_seed() {
    let req = request(&[Health::Good], 3, 21);
    let plan = plan_ok(&req);
    let other: HashSet<String> = plan
        .days
        .iter()
        .filter(|d| d.day_index != 1)
        .flat_map(|d| d.stops.iter().map(|s| s.place_id.clone()))
        .collect();
    let a = replan_day(&req, &StraightLine::default(), &plan, 1, 100).unwrap();
    let b = replan_day(&req, &StraightLine::default(), &plan, 1, 200).unwrap();
    for p in [&a, &b] {
        assert!(
            validate_plan(&req, p).is_empty(),
            "{:#?}",
            validate_plan(&req, p)
        );
        assert_eq!(p.days[0], plan.days[0]);
        assert_eq!(p.days[2], plan.days[2]);
        assert!(p.days[1].stops.iter().all(|s| !other.contains(&s.place_id)));
    }
    let ids = |p: &TripPlan| -> Vec<String> {
        p.days[1].stops.iter().map(|s| s.place_id.clone()).collect()
    };
    assert_ne!(ids(&a), ids(&b));
    // Similar quality: same number of sightseeing stops give or take one.
    assert!((visits(&a.days[1]) as i64 - visits(&b.days[1]) as i64).abs() <= 1);
}

#[test]
fn rain_gives_indoor_alternatives() {
    let mut req = request(&[Health::Good], 1, 13);
    req.days[0].weather = Some(Weather {
        sky: Sky::Rain,
        max_temp_c: Some(14.0),
        min_temp_c: None,
        air: None,
    });
    let plan = plan_ok(&req);
    let day = &plan.days[0];
    assert!(!day.weather_notes.is_empty());
    assert_eq!(day.weather_note_codes, ["RAIN"]);
    for s in day
        .stops
        .iter()
        .filter(|s| s.kind == StopKind::Visit && !s.indoor)
    {
        assert!(
            s.indoor_alternative.is_some()
                || day
                    .warnings
                    .iter()
                    .any(|w| w.code == WarningCode::NoIndoorAlternative)
        );
    }
    let indoor = day
        .stops
        .iter()
        .filter(|s| s.kind == StopKind::Visit && s.indoor)
        .count();
    assert!(indoor * 2 >= visits(day), "indoor first on a wet day");
}

#[test]
fn unknown_hours_place_is_planned_only_with_the_note() {
    let mut req = request(&[Health::Good], 1, 41);
    // Every candidate's hours unknown; parks stay open-air by nature, a museum is asked for.
    for c in &mut req.candidates {
        c.hours = vec![None];
        c.opening_hours = Some("\"nach Vereinbarung\"".into());
        c.always_open = matches!(c.category, Category::Park | Category::Viewpoint);
    }
    let plan = plan_ok(&req);
    assert!(!plan.days[0].stops.is_empty());
    for stop in &plan.days[0].stops {
        assert!(
            plan.days[0]
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::HoursUnknown
                    && w.place_id.as_deref() == Some(stop.place_id.as_str())),
            "{} has no note",
            stop.name
        );
    }
}

#[test]
fn zones_split_a_city_between_long_days_and_duplicates_are_visited_once() {
    use crate::itinerary::candidates::{same_place_key, select};
    use crate::itinerary::group_rules::group_rules;
    let mut req = request(&[Health::Good], 3, 9);
    // Two far-apart groups of strong places: each long day prefers one of them.
    let places: Vec<(usize, f64)> = (0..20)
        .map(|i| {
            let c = &mut req.candidates[i];
            c.position.lat = CENTRE.lat + if i % 2 == 0 { 0.03 } else { -0.03 };
            (i, 90.0 - i as f64)
        })
        .collect();
    let zones = crate::itinerary::zones::day_zones(&req, &[0, 1, 2], &places);
    assert_eq!(zones.place_zone.len(), 20);
    assert_ne!(zones.place_zone[0], zones.place_zone[1]);
    // No zone mixes the north and the south group.
    let z = &zones.place_zone;
    assert!((0..20).all(|a| (0..20).all(|b| a % 2 == b % 2 || z[a] != z[b])));
    // The same statue mapped twice (two ids, one name, 40 m apart) is one candidate.
    let twin = {
        let mut t = req.candidates[0].clone();
        t.id = "twin".into();
        t.name = format!("{}!", t.name.to_uppercase());
        t.position.lat += 0.0003;
        t
    };
    req.candidates.push(twin);
    let rules = group_rules(&req.group, Pace::Normal, req.transport);
    let sel = select(&req, &rules, &[0, 1, 2], &HashSet::new());
    let keys: Vec<String> = sel
        .places
        .iter()
        .map(|&i| same_place_key(&req.candidates[i].name))
        .collect();
    let first = same_place_key(&req.candidates[0].name);
    assert!(keys.iter().filter(|k| **k == first).count() <= 1);
}

#[test]
fn at_most_two_of_a_kind_a_day_unless_asked_for_more() {
    // A city of churches and a few cafés: without a request a day visits two churches
    // at most; asking for more of them lifts the limit.
    let mut req = request(&[Health::Good], 2, 11);
    for c in req.candidates.iter_mut() {
        if c.category.is_visitable() && c.category != Category::Cafe {
            c.category = Category::Religious;
            c.indoor = Some(true);
        }
    }
    let per_day_max = |plan: &TripPlan| {
        plan.days
            .iter()
            .map(|d| {
                d.stops
                    .iter()
                    .filter(|s| s.kind == StopKind::Visit && s.category == Category::Religious)
                    .count()
            })
            .max()
            .unwrap_or(0)
    };
    let plan = plan_ok(&req);
    assert_eq!(per_day_max(&plan), 2);
    let mut more = req.clone();
    more.constraints.more_of.push(Category::Religious);
    let plan = plan_ok(&more);
    assert!(per_day_max(&plan) > 2);
    // The validator states the rule on its own: that plan breaks it without the request.
    let rules: Vec<String> = validate_plan(&req, &plan)
        .into_iter()
        .map(|v| v.rule)
        .collect();
    assert!(rules.contains(&"SAME_KIND".to_string()), "{rules:?}");
}
