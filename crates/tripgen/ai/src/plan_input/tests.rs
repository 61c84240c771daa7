use super::*;
use crate::ports::{MemberFacts, Stay};
use tripgen_planner::itinerary::{Category, Health, LatLon, Transport};
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn stay(start: &str, end: &str) -> Stay {
    Stay {
        destination_id: Uuid::nil(),
        city: "X".into(),
        time_zone: "UTC".into(),
        centre: LatLon { lat: 0.0, lon: 0.0 },
        lodging: LatLon { lat: 0.0, lon: 0.0 },
        lodging_name: "Hotel".into(),
        start_date: d(start),
        end_date: d(end),
        check_in: 15 * 60,
        check_out: 11 * 60,
    }
}

#[test]
fn one_strong_place_outweighs_several_weak_ones() {
    assert!(sight_value(80.0) > 4.0 * sight_value(50.0));
    assert!(sight_value(60.0) > 2.0 * sight_value(45.0));
    assert!(sight_value(61.0) > sight_value(60.0));
    assert_eq!(sight_value(0.0), 1.0);
    assert_eq!(sight_value(150.0), 100.0);
}

fn sight(category: Category, significance: u8, opening_hours: Option<&str>) -> PlaceFacts {
    PlaceFacts {
        id: "p".into(),
        name: "Residenz".into(),
        names: vec![],
        category,
        kind: "tourism=museum".into(),
        position: LatLon { lat: 0.0, lon: 0.0 },
        visit_minutes: 90,
        indoor: None,
        access: Access::Unknown,
        rating: None,
        review_count: None,
        hours: vec![None, None],
        opening_hours: opening_hours.map(str::to_owned),
        significance,
        cuisine: vec![],
    }
}

#[test]
fn a_major_sight_without_hours_is_planned_within_assumed_daytime_hours() {
    let c = candidate(&sight(Category::Museum, 80, None)).unwrap();
    assert!(c.hours_assumed && !c.always_open);
    assert_eq!(c.hours, vec![Some(vec![SIGHT_DAYTIME]); 2]);
    // A minor museum without hours stays out; one whose value cannot be read is read
    // by the validator itself, so nothing is assumed for it.
    let minor = candidate(&sight(Category::Museum, 40, None)).unwrap();
    assert!(!minor.hours_assumed && minor.hours.iter().all(Option::is_none));
    let unread = candidate(&sight(Category::Museum, 80, Some("by appointment"))).unwrap();
    assert!(!unread.hours_assumed);
    // Open-air sights need no assumption.
    let mut ruin = sight(Category::Historic, 80, None);
    ruin.indoor = Some(false);
    let ruin = candidate(&ruin).unwrap();
    assert!(!ruin.hours_assumed && ruin.always_open);
}

#[test]
fn a_theatre_is_no_daytime_sight_unless_a_landmark_or_asked() {
    let mut theatre = sight(Category::Attraction, 61, Some("Mo-Sa 18:00-23:00"));
    theatre.kind = "amenity=theatre".into();
    theatre.id = "theatre".into();
    let mut opera = theatre.clone();
    opera.significance = 80;
    opera.id = "opera".into();
    let museum = sight(Category::Museum, 50, Some("Mo-Su 10:00-18:00"));
    let places = [theatre, opera, museum];
    let ids = |v: Vec<&PlaceFacts>| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(visit_worthy(&places, 10, |_| false)), ["opera", "p"]);
    let asked = ids(visit_worthy(&places, 10, |p| p.id == "theatre"));
    assert!(asked.contains(&"theatre".to_string()), "{asked:?}");
}

#[test]
fn slots_chain_cities() {
    let facts = TripFacts {
        id: Uuid::nil(),
        owner_id: Uuid::nil(),
        name: "Trip".into(),
        transport: Transport::Public,
        members: vec![MemberFacts {
            age: 40,
            health: Health::Good,
            interests: vec![],
        }],
        stays: vec![
            stay("2026-06-01", "2026-06-03"),
            stay("2026-06-03", "2026-06-05"),
        ],
        arrival: None,
        departure: None,
        generation_request_id: None,
        missing: vec![],
    };
    let s = day_slots(&facts, 9 * 60);
    // Day 3 changes city: a morning in the first city until its check-out, the
    // evening in the second from its check-in.
    assert_eq!(s.len(), 6);
    assert_eq!(s[0].kind, DayKind::Arrival);
    assert_eq!((s[0].stay, s[0].start), (0, 540));
    assert_eq!(s[1].kind, DayKind::Full);
    assert_eq!(
        (s[2].index, s[2].stay, s[2].part, s[2].end),
        (2, 0, DayPart::BeforeJourney, 660)
    );
    assert_eq!(
        (s[3].index, s[3].stay, s[3].start, s[3].kind, s[3].part),
        (2, 1, 900, DayKind::Arrival, DayPart::AfterJourney)
    );
    assert_eq!(s[2].journey, s[3].journey);
    assert_eq!((s[5].kind, s[5].end), (DayKind::Departure, 660));
}
