//! Unit tests of the rule-based recommendation.

use super::*;
use crate::ports::MemberFacts;
use tripgen_planner::itinerary::{Access, Interest, OpenInterval};

fn trip(health: Health, interests: Vec<Interest>) -> TripFacts {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    TripFacts {
        id: Uuid::nil(),
        owner_id: Uuid::nil(),
        name: "T".into(),
        transport: Transport::Public,
        members: vec![
            MemberFacts {
                age: 40,
                health: Health::Good,
                interests: interests.clone(),
            },
            MemberFacts {
                age: 75,
                health,
                interests: vec![],
            },
        ],
        stays: vec![Stay {
            destination_id: Uuid::nil(),
            city: "Munich".into(),
            time_zone: "Europe/Berlin".into(),
            centre: LatLon {
                lat: 48.137,
                lon: 11.575,
            },
            lodging: LatLon {
                lat: 48.14,
                lon: 11.57,
            },
            lodging_name: "Hotel".into(),
            start_date: d("2027-06-01"),
            end_date: d("2027-06-02"),
            check_in: 900,
            check_out: 660,
        }],
        arrival: None,
        departure: None,
        generation_request_id: None,
        missing: vec![],
        links: vec![],
    }
}

fn museum(hours: Vec<Option<Vec<OpenInterval>>>, access: Access) -> PlaceFacts {
    PlaceFacts {
        id: "osm:way:1".into(),
        name: "Museum".into(),
        names: vec!["Museum".into()],
        category: Category::Museum,
        kind: "museum".into(),
        position: LatLon {
            lat: 48.13,
            lon: 11.58,
        },
        visit_minutes: 90,
        indoor: Some(true),
        access,
        rating: None,
        review_count: None,
        hours,
        opening_hours: None,
        significance: 60,
        cuisine: vec![],
    }
}

fn run(t: &TripFacts, p: &PlaceFacts, rain: bool) -> Recommendation {
    run_in(t, p, rain, Language::En)
}

fn run_in(t: &TripFacts, p: &PlaceFacts, rain: bool, lang: Language) -> Recommendation {
    let dates: Vec<NaiveDate> = vec!["2027-06-01".parse().unwrap(), "2027-06-02".parse().unwrap()];
    let forecasts: Vec<Option<DayForecast>> = dates
        .iter()
        .map(|d| {
            rain.then(|| DayForecast {
                date: *d,
                sky: tripgen_planner::itinerary::Sky::Rain,
                min_temp_c: Some(10.0),
                max_temp_c: Some(15.0),
                air: None,
                warnings: vec![],
            })
        })
        .collect();
    recommend(
        &Facts {
            trip: t,
            stay: &t.stays[0],
            dates: &dates,
            place: p,
            forecasts: &forecasts,
            alternative: None,
            minutes_from_lodging: Some(12.0),
            lang,
        },
        Utc::now(),
    )
}

fn codes(r: &Recommendation) -> Vec<&str> {
    r.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

#[test]
fn korean_texts_with_the_same_content() {
    let open = vec![
        Some(vec![OpenInterval {
            open: 600,
            close: 1080,
        }]),
        None,
    ];
    let t = trip(Health::Limited, vec![Interest::Culture]);
    let p = museum(open, Access::StepFree);
    let (en, ko) = (run(&t, &p, true), run_in(&t, &p, true, Language::Ko));
    assert_eq!(codes(&en), codes(&ko));
    assert_eq!(
        (en.fit, en.tips.duration_minutes),
        (ko.fit, ko.tips.duration_minutes)
    );
    for r in &ko.reasons {
        assert!(hangul(&r.text), "{}", r.text);
    }
    let interest = ko
        .reasons
        .iter()
        .find(|r| r.code == "INTEREST_MATCH")
        .unwrap();
    assert_eq!(
        interest.text,
        "여행자 2명 중 1명의 관심사(문화)와 맞습니다."
    );
    assert_eq!(
        ko.tips.best_time.text,
        "2027-06-01(화) 10:00부터(개장 10:00, 폐장 18:00). 이른 시간이 가장 한산합니다."
    );
    assert_eq!(ko.tips.duration, "약 2시간 15분");
    assert_eq!(en.tips.duration, "about 2 h 15");
    for t in [&ko.tips.accessibility, &ko.tips.weather, &ko.summary] {
        assert!(hangul(t), "{t}");
    }
    assert!(!hangul(&en.summary), "{}", en.summary);
}

#[test]
fn tailored_to_interests_health_and_weather() {
    let open = vec![
        Some(vec![]),
        Some(vec![OpenInterval {
            open: 600,
            close: 1080,
        }]),
    ];
    let t = trip(Health::Limited, vec![Interest::Culture]);
    let r = run(&t, &museum(open.clone(), Access::StepFree), true);
    let c = codes(&r);
    for want in ["INTEREST_MATCH", "STEP_FREE", "NEAR_LODGING", "RAIN_PROOF"] {
        assert!(c.contains(&want), "{want} in {c:?}");
    }
    // Closed the first day: the best time is the second, right after opening.
    assert_eq!(r.tips.best_time.date, Some("2027-06-02".parse().unwrap()));
    assert_eq!(r.tips.best_time.from.as_deref(), Some("10:00"));
    // Limited health: one and a half times the usual visit.
    assert_eq!(r.tips.duration_minutes, 135);
    assert!(r.tips.weather.contains("indoor"), "{}", r.tips.weather);

    let r2 = run(&t, &museum(open, Access::NotStepFree), false);
    assert!(codes(&r2).contains(&"NOT_STEP_FREE"));
    assert!(r2.fit < r.fit);
}

#[test]
fn closed_for_the_whole_stay_is_a_caveat() {
    let t = trip(Health::Good, vec![]);
    let r = run(
        &t,
        &museum(vec![Some(vec![]), Some(vec![])], Access::Unknown),
        false,
    );
    assert!(codes(&r).contains(&"CLOSED_DURING_STAY"));
    assert_eq!(r.tips.best_time.date, None);
}

#[test]
fn profile_key_ignores_member_order() {
    let mut a = trip(Health::Good, vec![Interest::Culture]);
    let k1 = profile_key(&a, &a.stays[0].clone());
    a.members.reverse();
    assert_eq!(k1, profile_key(&a, &a.stays[0].clone()));
    a.members[0].age += 1;
    assert_ne!(k1, profile_key(&a, &a.stays[0].clone()));
}
