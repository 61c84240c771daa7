//! Deterministic synthetic cities for tests, property tests and the itinerary bench:
//! places scattered around a centre with a realistic category mix, opening hours that
//! depend on the weekday, some unknown hours, visit durations and access flags.

use super::category::Category;
use super::model::*;
use crate::rng::Rng;

/// Category mix roughly like an OSM city-centre extract (weights).
const MIX: [(Category, f64); 17] = [
    (Category::Attraction, 6.0),
    (Category::Museum, 5.0),
    (Category::Gallery, 3.0),
    (Category::Viewpoint, 2.0),
    (Category::Park, 5.0),
    (Category::Nature, 1.5),
    (Category::Religious, 4.0),
    (Category::Historic, 5.0),
    (Category::Shopping, 8.0),
    (Category::Restaurant, 22.0),
    (Category::Cafe, 12.0),
    (Category::Bar, 7.0),
    (Category::Laundry, 1.0),
    (Category::Parking, 3.0),
    (Category::Lodging, 4.0),
    (Category::Sports, 1.5),
    (Category::Bench, 10.0),
];

fn hours_for(cat: Category, weekday: u8, rng: &mut Rng) -> Option<Vec<OpenInterval>> {
    let iv = |open: u32, close: u32| OpenInterval { open, close };
    Some(match cat {
        Category::Museum | Category::Gallery => {
            if weekday == 0 {
                vec![]
            } else {
                vec![iv(600, 1080)]
            }
        }
        Category::Restaurant => vec![iv(690, 900), iv(1050, 1380)],
        Category::Cafe => vec![iv(480, 1140)],
        Category::Bar => vec![iv(1020, 1439)],
        Category::Shopping => {
            if weekday == 6 {
                vec![]
            } else {
                vec![iv(600, 1200)]
            }
        }
        Category::Religious => vec![iv(480 + 30 * rng.below(3) as u32, 1080)],
        Category::Attraction | Category::Historic | Category::Sports => vec![iv(540, 1080)],
        Category::Laundry => vec![iv(420, 1320)],
        _ => vec![iv(360, 1320)],
    })
}

fn visit_minutes(cat: Category) -> Minutes {
    match cat {
        Category::Museum => 90,
        Category::Gallery => 60,
        Category::Attraction => 60,
        Category::Viewpoint => 20,
        Category::Park => 45,
        Category::Nature => 120,
        Category::Religious => 30,
        Category::Historic => 40,
        Category::Shopping => 45,
        Category::Sports => 90,
        _ => 30,
    }
}

/// `n` places around `centre`, ~`radius_m` spread, hours evaluated for `dates`.
pub fn city(seed: u64, centre: LatLon, n: usize, radius_m: f64, dates: &[Date]) -> Vec<Candidate> {
    let mut rng = Rng::new(seed);
    let weights: Vec<f64> = MIX.iter().map(|m| m.1).collect();
    let m_per_deg_lat = 111_195.0;
    let m_per_deg_lon = m_per_deg_lat * centre.lat.to_radians().cos().max(0.1);
    (0..n)
        .map(|i| {
            let cat = MIX[rng.weighted(&weights)].0;
            // Denser centre: radius ~ r * sqrt(u) * u' keeps many places close by.
            let r = radius_m * rng.f64().sqrt() * (0.3 + 0.7 * rng.f64());
            let a = rng.f64() * std::f64::consts::TAU;
            let position = LatLon {
                lat: centre.lat + r * a.sin() / m_per_deg_lat,
                lon: centre.lon + r * a.cos() / m_per_deg_lon,
            };
            let always_open = matches!(cat, Category::Park | Category::Viewpoint | Category::Bench)
                || (cat == Category::Nature && rng.f64() < 0.7);
            let unknown = !always_open && rng.f64() < 0.15;
            let hours = dates
                .iter()
                .map(|d| {
                    if unknown {
                        None
                    } else {
                        hours_for(cat, d.weekday(), &mut rng)
                    }
                })
                .collect();
            let access = match rng.below(4) {
                0 => Access::StepFree,
                1 => Access::NotStepFree,
                2 => Access::Limited,
                _ => Access::Unknown,
            };
            let popular = rng.f64();
            Candidate {
                id: format!("p{i}"),
                name: format!("{} {i}", cat.label()),
                position,
                category: cat,
                hours,
                always_open,
                hours_assumed: false,
                opening_hours: None,
                visit_minutes: visit_minutes(cat),
                score: (100.0 * popular * popular).round().max(1.0),
                indoor: None,
                access,
            }
        })
        .collect()
}

/// Consecutive full days from `first` (hotel at `hotel`, 09:00–21:00).
pub fn days(first: Date, count: usize, hotel: LatLon) -> Vec<DaySpec> {
    (0..count)
        .map(|i| {
            let mut date = first;
            date.day = first.day.saturating_add(i as u8).min(28);
            let anchor = |time| Anchor {
                name: "Hotel".into(),
                position: hotel,
                time,
            };
            DaySpec {
                date,
                start: anchor(9 * 60),
                end: anchor(21 * 60),
                kind: DayKind::Full,
                weather: None,
            }
        })
        .collect()
}
