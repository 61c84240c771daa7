use super::*;
use crate::itinerary::model::{
    Constraints, Date, DayKind, DaySpec, GroupProfile, Health, Member, PlanOptions, TripRequest,
};
use crate::itinerary::plan::plan_trip;
use crate::itinerary::synthetic;
use crate::itinerary::travel::StraightLine;
use crate::itinerary::validator::validate_plan;
use crate::itinerary::validator_journey::{DayStay, validate_journeys};

const MUNICH: LatLon = LatLon {
    lat: 48.137,
    lon: 11.575,
};
const PORTO: LatLon = LatLon {
    lat: 41.146,
    lon: -8.611,
};
const LONDON: LatLon = LatLon {
    lat: 51.507,
    lon: -0.128,
};
const SALZBURG: LatLon = LatLon {
    lat: 47.800,
    lon: 13.045,
};

fn end(city: &str, position: LatLon, zone: &str, offset: i32) -> JourneyEnd {
    JourneyEnd {
        name: format!("Hotel {city}"),
        city: city.into(),
        position,
        time_zone: zone.into(),
        utc_offset_minutes: offset,
    }
}

fn munich() -> JourneyEnd {
    end("Munich", MUNICH, "Europe/Berlin", 120)
}

fn porto() -> JourneyEnd {
    end("Porto", PORTO, "Europe/Lisbon", 60)
}

#[test]
fn modes_follow_distance_transport_and_rail() {
    let m = JourneyModel::default();
    let public = Transport::Public;
    let flight = m.estimate(MUNICH, PORTO, public, true);
    assert_eq!(flight.mode, JourneyMode::Flight);
    // ≈ 1 780 km: 45 + 90 + (30 + 137) + 30 + 45 minutes.
    assert!(
        (1_700_000..1_850_000).contains(&flight.metres),
        "{}",
        flight.metres
    );
    assert!((360..400).contains(&flight.minutes), "{}", flight.minutes);
    let train = m.estimate(MUNICH, SALZBURG, public, true);
    assert_eq!(train.mode, JourneyMode::Train);
    assert!((140..200).contains(&train.minutes), "{}", train.minutes);
    assert_eq!(
        m.estimate(PORTO, LONDON, public, true).mode,
        JourneyMode::Flight
    );
    // The same 120 km across the sea (rail not plausible): flown.
    assert_eq!(
        m.estimate(MUNICH, SALZBURG, public, false).mode,
        JourneyMode::Flight
    );
    assert_eq!(
        m.estimate(MUNICH, SALZBURG, Transport::Car, true).mode,
        JourneyMode::Car
    );
    let near = LatLon {
        lat: 48.25,
        lon: 11.65,
    };
    assert_eq!(
        m.estimate(MUNICH, near, public, true).mode,
        JourneyMode::Transit
    );
    for e in [flight, train] {
        assert_eq!(e.minutes, e.parts.iter().map(|p| p.minutes).sum::<u32>());
    }
}

#[test]
fn rail_needs_one_continent_and_no_island() {
    assert!(rail_plausible("Europe/Berlin", "Europe/Vienna"));
    assert!(rail_plausible("Europe/London", "Europe/Paris"));
    assert!(!rail_plausible("Europe/Lisbon", "Atlantic/Madeira"));
    assert!(!rail_plausible("Europe/Dublin", "Europe/London"));
    assert!(!rail_plausible("Europe/Paris", "America/New_York"));
    assert!(rail_plausible("Asia/Tokyo", "Asia/Tokyo"));
}

#[test]
fn times_hold_in_both_time_zones() {
    let j = JourneyModel::default().journey(
        JourneyKind::Transfer,
        munich(),
        porto(),
        11 * 60,
        15 * 60,
        Transport::Public,
    );
    // Leaves 11:00 in Munich (UTC+2) = 09:00 UTC; arrives `minutes` later, Porto is UTC+1.
    assert_eq!(j.arrive, 11 * 60 + j.minutes - 60);
    assert_eq!(j.ready, j.arrive.max(15 * 60));
    assert!(j.estimate);
    assert_eq!(local_arrival(30, 60, 0, -300), 0, "clamped before midnight");
}

fn date(day: u8) -> Date {
    Date {
        year: 2026,
        month: 6,
        day,
    }
}

fn spec(at: LatLon, start: Minutes, end: Minutes, kind: DayKind) -> DaySpec {
    let anchor = |time| Anchor {
        name: "Hotel".into(),
        position: at,
        time,
    };
    DaySpec {
        date: date(3),
        start: anchor(start),
        end: anchor(end),
        kind,
        weather: None,
    }
}

fn request(centre: LatLon, day: DaySpec, seed: u64) -> TripRequest {
    TripRequest {
        candidates: synthetic::city(seed, centre, 300, 2500.0, &[day.date]),
        days: vec![day],
        group: GroupProfile {
            members: vec![Member {
                health: Health::Good,
            }],
        },
        transport: Transport::Public,
        interests: vec![],
        constraints: Constraints::default(),
        options: PlanOptions {
            seed: 1,
            max_iterations: 100,
            time_limit_ms: 5_000,
            max_candidates: 0,
        },
    }
}

fn stay(a: &str, at: LatLon, b: &str, bt: LatLon) -> DayStay {
    DayStay {
        woke_in: a.into(),
        woke_at: at,
        sleeps_in: b.into(),
        sleeps_at: bt,
    }
}

/// Munich morning until check-out, the flight, the Porto evening from check-in.
fn split_day() -> (DayPlan, Journey) {
    let j = JourneyModel::default().journey(
        JourneyKind::Transfer,
        munich(),
        porto(),
        11 * 60,
        15 * 60,
        Transport::Public,
    );
    let morning = request(
        MUNICH,
        spec(MUNICH, 8 * 60, j.depart, DayKind::Departure),
        3,
    );
    let evening = request(
        PORTO,
        spec(PORTO, j.ready, 21 * 60 + 30, DayKind::Arrival),
        4,
    );
    let plan = |r: &TripRequest| {
        let p = plan_trip(r, &StraightLine::default()).unwrap();
        assert!(validate_plan(r, &p).is_empty());
        p.days.into_iter().next().unwrap()
    };
    let day = travel_day(Some(plan(&morning)), &j, Some(plan(&evening))).unwrap();
    (day, j)
}

#[test]
fn a_travel_day_is_morning_journey_evening() {
    let (day, j) = split_day();
    assert_eq!(day.legs.len(), day.stops.len() + 1);
    let k = day
        .stops
        .iter()
        .position(|s| s.kind == StopKind::Journey)
        .unwrap();
    assert!(k > 0, "a morning in Munich before the journey");
    assert!(k + 1 < day.stops.len(), "an evening in Porto after it");
    assert_eq!((day.stops[k].start, day.stops[k].end), (j.depart, j.ready));
    assert!(day.stops[..k].iter().all(|s| s.end <= j.depart));
    assert!(day.stops[k + 1..].iter().all(|s| s.arrival >= j.ready));
    assert_eq!(day.start.position, MUNICH);
    assert_eq!(day.end.position, PORTO);
    let stays = [stay("Munich", MUNICH, "Porto", PORTO)];
    let found = validate_journeys(std::slice::from_ref(&day), &stays);
    assert!(found.is_empty(), "{found:#?}");
    assert!(day.stops[k].reason.text.contains("estimate"));
}

#[test]
fn the_validator_catches_broken_journeys() {
    let (day, _) = split_day();
    let stays = [stay("Munich", MUNICH, "Porto", PORTO)];
    let rules = |d: &DayPlan, s: &[DayStay]| -> Vec<String> {
        validate_journeys(std::slice::from_ref(d), s)
            .into_iter()
            .map(|v| v.rule)
            .collect()
    };
    // A morning visit running past the departure.
    let mut late = day.clone();
    late.stops[0].end = late.stops[0].end.max(11 * 60 + 5);
    assert!(rules(&late, &stays).contains(&"VISIT_AFTER_DEPARTURE".to_string()));
    // Arrival time inconsistent with the zones.
    let mut zones = day.clone();
    let k = zones
        .stops
        .iter()
        .position(|s| s.journey.is_some())
        .unwrap();
    if let Some(j) = zones.stops[k].journey.as_mut() {
        j.to.utc_offset_minutes = 120;
    }
    assert!(rules(&zones, &stays).contains(&"JOURNEY_TIME_ZONES".to_string()));
    // No journey on a day that changes city; one on a day that does not.
    let mut none = day.clone();
    none.stops.remove(k);
    none.legs.remove(k);
    assert!(rules(&none, &stays).contains(&"JOURNEY_MISSING".to_string()));
    let same = [stay("Porto", PORTO, "Porto", PORTO)];
    assert!(rules(&day, &same).contains(&"JOURNEY_COUNT".to_string()));
    // A day that ends elsewhere than the night's hotel.
    let mut elsewhere = day.clone();
    elsewhere.end.position = LONDON;
    assert!(rules(&elsewhere, &stays).contains(&"DAY_END_NOT_HOTEL".to_string()));
}

#[test]
fn first_and_last_day_journeys_open_and_close_the_day() {
    let arrival = JourneyModel::default().journey(
        JourneyKind::Arrival,
        end(
            "Munich Airport",
            LatLon::new(48.354, 11.786),
            "Europe/Berlin",
            120,
        ),
        munich(),
        10 * 60,
        0,
        Transport::Public,
    );
    let evening = request(
        MUNICH,
        spec(MUNICH, arrival.ready, 21 * 60, DayKind::Arrival),
        5,
    );
    let p = plan_trip(&evening, &StraightLine::default()).unwrap();
    let day = travel_day(None, &arrival, p.days.into_iter().next()).unwrap();
    assert_eq!(day.stops[0].kind, StopKind::Journey);
    assert_eq!(arrival.mode, JourneyMode::Transit);
    let stays = [stay("Munich", MUNICH, "Munich", MUNICH)];
    let found = validate_journeys(std::slice::from_ref(&day), &stays);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_hotel_change_inside_a_city_is_a_short_journey() {
    let other = LatLon {
        lat: 48.150,
        lon: 11.545,
    };
    let j = JourneyModel::default().journey(
        JourneyKind::Transfer,
        munich(),
        end("Munich", other, "Europe/Berlin", 120),
        11 * 60,
        15 * 60,
        Transport::Public,
    );
    assert_eq!(j.mode, JourneyMode::Transit);
    assert!(j.minutes < 40, "{}", j.minutes);
    let morning = request(
        MUNICH,
        spec(MUNICH, 8 * 60, j.depart, DayKind::Departure),
        6,
    );
    let evening = request(other, spec(other, j.ready, 21 * 60, DayKind::Arrival), 6);
    let plan = |r: &TripRequest| {
        plan_trip(r, &StraightLine::default())
            .unwrap()
            .days
            .into_iter()
            .next()
    };
    let day = travel_day(plan(&morning), &j, plan(&evening)).unwrap();
    let stays = [stay("Munich", MUNICH, "Munich", other)];
    let found = validate_journeys(std::slice::from_ref(&day), &stays);
    assert!(found.is_empty(), "{found:#?}");
    // Without the journey the change of hotel is reported.
    let same = [stay("Munich", MUNICH, "Munich", MUNICH)];
    assert!(!validate_journeys(std::slice::from_ref(&day), &same).is_empty());
}

#[test]
fn sea_crossings_go_by_ferry_or_by_air() {
    let m = JourneyModel::default();
    let barcelona = LatLon::new(41.387, 2.170);
    let palma = LatLon::new(39.570, 2.650);
    let valencia = LatLon::new(39.470, -0.376);
    // Same zone, 200 km: no train to Mallorca — the ferry.
    let ferry = m.estimate(barcelona, palma, Transport::Public, true);
    assert_eq!(ferry.mode, JourneyMode::Ferry);
    // ≈ 206 km: 30 + 60 + 206 × 1.1 / 30 km/h (≈ 453) + 30 + 30 minutes.
    assert!((580..630).contains(&ferry.minutes), "{}", ferry.minutes);
    assert_eq!(
        ferry.parts.iter().map(|p| p.minutes).sum::<Minutes>(),
        ferry.minutes
    );
    // A car trip takes the car on board.
    assert_eq!(
        m.estimate(palma, barcelona, Transport::Car, true).mode,
        JourneyMode::Ferry
    );
    // Along the coast on the mainland: the train, as before.
    assert_eq!(
        m.estimate(barcelona, valencia, Transport::Public, true)
            .mode,
        JourneyMode::Train
    );
    // Beyond the ferry range across the sea: flown (Munich → Palma, 1 000 km).
    assert_eq!(
        m.estimate(MUNICH, palma, Transport::Public, true).mode,
        JourneyMode::Flight
    );
    let short = JourneyModel {
        ferry_max_km: 100.0,
        ..JourneyModel::default()
    };
    assert_eq!(
        short
            .estimate(barcelona, palma, Transport::Public, true)
            .mode,
        JourneyMode::Flight
    );
}
