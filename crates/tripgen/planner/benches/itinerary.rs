//! Itinerary bench (no criterion): plans a 7-day, 3-city trip on synthetic cities
//! (800 / 1 500 / 2 000 places) and reports p50/p95 of the whole-trip planning time.
//! Run: `cargo bench --bench itinerary` (optionally `-- RUNS`).

use std::time::Instant;

use tripgen_planner::itinerary::synthetic;
use tripgen_planner::itinerary::*;

fn city_request(
    seed: u64,
    centre: LatLon,
    places: usize,
    first: Date,
    n_days: usize,
    health: Health,
) -> TripRequest {
    let mut days = synthetic::days(first, n_days, centre);
    // Arrival afternoon and departure morning make the first/last day shorter.
    days[0].kind = DayKind::Arrival;
    days[0].start.time = 14 * 60;
    if n_days > 1 {
        let last = n_days - 1;
        days[last].kind = DayKind::Departure;
        days[last].end.time = 16 * 60;
    }
    if n_days > 2 {
        days[1].weather = Some(Weather {
            sky: Sky::Rain,
            max_temp_c: Some(12.0),
            min_temp_c: None,
            air: None,
        });
    }
    let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
    TripRequest {
        candidates: synthetic::city(seed, centre, places, 4000.0, &dates),
        days,
        group: GroupProfile {
            members: vec![
                Member {
                    health: Health::Excellent,
                },
                Member { health },
            ],
        },
        transport: Transport::Public,
        interests: vec![Interest::Culture, Interest::Sightseeing],
        constraints: Constraints::default(),
        options: PlanOptions {
            seed,
            ..PlanOptions::default()
        },
    }
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30);
    let model = StraightLine::default();
    let cities = [
        (
            LatLon {
                lat: 48.137,
                lon: 11.575,
            },
            800,
            2usize,
        ),
        (
            LatLon {
                lat: 41.150,
                lon: -8.610,
            },
            1500,
            2,
        ),
        (
            LatLon {
                lat: 51.507,
                lon: -0.128,
            },
            2000,
            3,
        ),
    ];
    let healths = [Health::Good, Health::Caution, Health::Limited];
    let mut times = Vec::with_capacity(runs);
    let mut stops = 0usize;
    let mut violations = 0usize;
    for run in 0..runs {
        let first = Date {
            year: 2026,
            month: 6,
            day: 1,
        };
        let reqs: Vec<TripRequest> = cities
            .iter()
            .enumerate()
            .map(|(i, (c, n, d))| {
                city_request(
                    run as u64 * 7 + i as u64,
                    *c,
                    *n,
                    first,
                    *d,
                    healths[run % 3],
                )
            })
            .collect();
        let t0 = Instant::now();
        let plans: Vec<TripPlan> = reqs
            .iter()
            .map(|r| {
                plan_trip(r, &model).unwrap_or(TripPlan {
                    days: vec![],
                    warnings: vec![],
                })
            })
            .collect();
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        for (r, p) in reqs.iter().zip(&plans) {
            stops += p.days.iter().map(|d| d.stops.len()).sum::<usize>();
            violations += validate_plan(r, p).len();
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "itinerary bench: {runs} runs of a 7-day 3-city trip (800/1500/2000 places): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; {:.1} stops per trip; validator violations: {violations}",
        pct(0.5),
        pct(0.95),
        pct(1.0),
        stops as f64 / runs as f64
    );
}
