//! What a group gets: meals, rests, pace and modes by health and transport.

use super::*;

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

impl crate::itinerary::travel::TravelModel for WithStairs {
    fn estimate(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
    ) -> Option<crate::itinerary::travel::LegEstimate> {
        self.any.estimate(from, to, mode)
    }

    fn step_free(&self) -> Option<Box<dyn crate::itinerary::travel::TravelModel + '_>> {
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
    assert!(crate::itinerary::validate_travel(&plan, &step_free).is_empty());
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
