//! Rule tests of the itinerary layer (fast, debug-mode friendly).

use std::collections::HashSet;

use super::category::Category;
use super::model::*;
use super::plan::{plan_trip, replan_day};
use super::synthetic;
use super::travel::{StraightLine, haversine_m};
use super::validator::validate_plan;

const CENTRE: LatLon = LatLon {
    lat: 48.137,
    lon: 11.575,
};

pub(super) fn request(health: &[Health], n_days: usize, seed: u64) -> TripRequest {
    let first = Date {
        year: 2026,
        month: 6,
        day: 1,
    };
    let days = synthetic::days(first, n_days, CENTRE);
    let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
    TripRequest {
        candidates: synthetic::city(seed, CENTRE, 400, 2500.0, &dates),
        days,
        group: GroupProfile {
            members: health.iter().map(|&health| Member { health }).collect(),
        },
        transport: Transport::Public,
        interests: vec![],
        constraints: Constraints::default(),
        options: PlanOptions {
            seed: 1,
            max_iterations: 150,
            time_limit_ms: 5_000,
            max_candidates: 0,
        },
    }
}

fn plan_ok(req: &TripRequest) -> TripPlan {
    let plan = plan_trip(req, &StraightLine::default()).unwrap();
    let violations = validate_plan(req, &plan);
    assert!(violations.is_empty(), "{violations:#?}");
    plan
}

fn visits(day: &DayPlan) -> usize {
    day.stops
        .iter()
        .filter(|s| s.kind == StopKind::Visit)
        .count()
}

#[test]
fn good_group_gets_full_days_with_meals() {
    let req = request(&[Health::Good, Health::Excellent], 2, 7);
    let plan = plan_ok(&req);
    for day in &plan.days {
        assert!(visits(day) >= 4 && visits(day) <= 6, "{}", visits(day));
        for s in &day.stops {
            match s.kind {
                StopKind::Lunch => {
                    assert!(s.category.is_food());
                    assert!(s.start >= 690 && s.end <= 840);
                }
                StopKind::Dinner => {
                    assert!(s.category.is_food());
                    assert!(s.start >= 1080 && s.end <= 1260);
                }
                _ => {}
            }
        }
        assert_eq!(
            day.stops
                .iter()
                .filter(|s| s.kind == StopKind::Lunch)
                .count(),
            1
        );
        assert_eq!(
            day.stops
                .iter()
                .filter(|s| s.kind == StopKind::Dinner)
                .count(),
            1
        );
    }
}

#[test]
fn limited_group_rules() {
    let req = request(&[Health::Good, Health::Limited], 2, 11);
    let plan = plan_ok(&req);
    for day in &plan.days {
        assert!(visits(day) <= 3);
        let rests = day
            .stops
            .iter()
            .filter(|s| s.kind == StopKind::Rest)
            .count();
        assert!(
            rests == 3
                || day
                    .warnings
                    .iter()
                    .any(|w| w.code == WarningCode::RestShortfall),
            "{rests}"
        );
        for leg in &day.legs {
            if leg.mode == Mode::Walk {
                assert!(leg.metres <= 500);
            } else {
                assert_eq!(leg.mode, Mode::Taxi);
            }
        }
        for s in &day.stops {
            assert!(s.accessibility_note.is_some());
            // What another language renders the note and the reason from.
            assert!(s.access.is_some());
            assert_eq!(s.reason.params.get("name"), Some(&s.name));
            assert_eq!(s.reason.params.get("category"), Some(&s.category.key()));
            assert!(!s.category.is_strenuous());
        }
    }
}

/// A model with a slower step-free variant (stairs avoided = detours), to see which one
/// the planner's matrices came from.
struct WithStairs {
    any: StraightLine,
    step_free: StraightLine,
}

impl super::travel::TravelModel for WithStairs {
    fn estimate(&self, from: LatLon, to: LatLon, mode: Mode) -> Option<super::travel::LegEstimate> {
        self.any.estimate(from, to, mode)
    }

    fn step_free(&self) -> Option<Box<dyn super::travel::TravelModel + '_>> {
        Some(Box::new(self.step_free.clone()))
    }
}

#[test]
fn limited_group_walks_are_planned_on_the_step_free_model() {
    let any = StraightLine::default();
    let step_free = StraightLine {
        walk_kmh: any.walk_kmh / 2.0,
        ..StraightLine::default()
    };
    let model = WithStairs {
        any: any.clone(),
        step_free: step_free.clone(),
    };
    let limited = request(&[Health::Good, Health::Limited], 1, 11);
    let plan = plan_trip(&limited, &model).unwrap();
    let walks = plan.days[0]
        .legs
        .iter()
        .filter(|l| l.mode == Mode::Walk && l.metres > 0);
    assert!(walks.count() > 0);
    // Every walk holds on the slower step-free model …
    assert!(super::validate_travel(&plan, &step_free).is_empty());
    // … at its pace: minutes per metre walked twice the other model's plan.
    let pace = |p: &TripPlan| {
        let walks = p.days[0].legs.iter().filter(|l| l.mode == Mode::Walk);
        let (min, m) = walks.fold((0.0, 0.0), |(a, b), l| {
            (a + f64::from(l.minutes), b + f64::from(l.metres))
        });
        min / m
    };
    let other = plan_trip(&limited, &any).unwrap();
    assert!(
        pace(&plan) > 1.5 * pace(&other),
        "{} {}",
        pace(&plan),
        pace(&other)
    );
    // A group without a limited member plans on the model itself.
    let good = request(&[Health::Good], 1, 11);
    assert_eq!(
        plan_trip(&good, &model).unwrap().days,
        plan_trip(&good, &any).unwrap().days
    );
}

#[test]
fn caution_excludes_strenuous() {
    let mut req = request(&[Health::Caution], 2, 5);
    // Make strenuous places irresistible: they must still be left out.
    for c in &mut req.candidates {
        if c.category.is_strenuous() {
            c.score = 1000.0;
        }
    }
    req.constraints.must_visit = req
        .candidates
        .iter()
        .filter(|c| c.category == Category::Sports)
        .take(1)
        .map(|c| c.id.clone())
        .collect();
    let plan = plan_ok(&req);
    for day in &plan.days {
        assert!(visits(day) <= 5);
        assert!(day.stops.iter().all(|s| !s.category.is_strenuous()));
    }
    if let Some(id) = req.constraints.must_visit.first() {
        assert!(
            plan.warnings
                .iter()
                .any(|w| w.code == WarningCode::MustVisitNotPlanned
                    && w.place_id.as_ref() == Some(id))
        );
    }
}

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
    use super::candidates::exclusion_reason;
    use super::group_rules::group_rules;
    let mut req = request(&[Health::Caution], 1, 3);
    let c = req.candidates[0].clone();
    req.constraints.avoid_places = vec![c.id.clone()];
    let rules = group_rules(&req.group, req.constraints.pace, req.transport);
    let why = exclusion_reason(&c, &req, &rules).expect("excluded");
    assert_eq!(super::plan::exclusion_code(why), "AVOIDED_PLACE");
    for text in [
        "its category is avoided",
        "it is too strenuous for the group",
        "its data is invalid",
    ] {
        assert_ne!(super::plan::exclusion_code(text), "EXCLUDED", "{text}");
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
fn car_trip_suggests_parking_and_respects_drive_limit() {
    let mut req = request(&[Health::Good], 1, 17);
    req.transport = Transport::Car;
    let plan = plan_ok(&req);
    let day = &plan.days[0];
    let mut car_legs = 0;
    for (i, s) in day.stops.iter().enumerate() {
        if day.legs[i].mode == Mode::Car {
            car_legs += 1;
            assert!(day.legs[i].minutes <= 60);
            if let Some(p) = &s.parking {
                let c = req.candidates.iter().find(|c| c.id == p.place_id).unwrap();
                assert_eq!(c.category, Category::Parking);
                assert!(haversine_m(c.position, s.position) <= 600.0);
            }
        }
    }
    assert!(car_legs == 0 || day.stops.iter().any(|s| s.parking.is_some()));
}

#[test]
fn walking_legs_have_kcal_and_modes_follow_distance() {
    let req = request(&[Health::Excellent], 1, 19);
    let plan = plan_ok(&req);
    for leg in &plan.days[0].legs {
        match leg.mode {
            Mode::Walk => assert!(leg.kcal.is_some() && leg.metres <= 500 && leg.minutes <= 20),
            _ => assert!(leg.kcal.is_none() && leg.metres > 500),
        }
    }
}

#[test]
fn heat_limits_outdoor_time_and_adds_rest() {
    let mut req = request(&[Health::Good], 1, 23);
    req.days[0].weather = Some(Weather {
        sky: Sky::Clear,
        max_temp_c: Some(34.0),
        min_temp_c: Some(22.0),
        air: None,
    });
    let plan = plan_ok(&req);
    let day = &plan.days[0];
    let outdoor: u32 = day
        .stops
        .iter()
        .filter(|s| s.kind == StopKind::Visit && !s.indoor)
        .map(|s| s.end - s.start)
        .sum();
    assert!(outdoor <= 120);
    let rests = day
        .stops
        .iter()
        .filter(|s| s.kind == StopKind::Rest)
        .count();
    assert!(
        rests >= 2
            || day
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::RestShortfall)
    );
}

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
    use super::candidates::{same_place_key, select};
    use super::group_rules::group_rules;
    let mut req = request(&[Health::Good], 3, 9);
    // Two far-apart groups of strong places: each long day prefers one of them.
    let places: Vec<(usize, f64)> = (0..20)
        .map(|i| {
            let c = &mut req.candidates[i];
            c.position.lat = CENTRE.lat + if i % 2 == 0 { 0.03 } else { -0.03 };
            (i, 90.0 - i as f64)
        })
        .collect();
    let zones = super::zones::day_zones(&req, &[0, 1, 2], &places);
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
