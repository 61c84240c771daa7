//! Real-catalogue plan bench (no criterion): a 7-day, 3-city trip (Munich 3 days, Porto 2,
//! London 2) for 6 members (one with health `caution`) on the real OpenStreetMap catalogue
//! (`data/osm` of the repository: the 2020 city extracts of München, Porto, London and the 2025
//! Munich Overpass JSON), public transport, straight-line travel model.
//!
//! Inputs are built the way the generation job (`tripgen_ai::generation`) builds them:
//! `plan_input::day_slots` / `day_spec` / `group` / `interests` / `candidate`,
//! `ai_location_local::place_facts` (hours per date in the city's zone, unknown → `None`),
//! `requests::parse("").constraints(..)`, `PlanOptions::default()` with a per-request seed,
//! `plan_trip` per city with `LocationTravel(StraightLineModel::default())`, then
//! `validate_plan`, which must find nothing.
//!
//! Outside the timed region: reading the files, "newer version wins" de-duplication, the
//! gazetteer and the spatial index (the import + catalogue index of production).
//! Inside, per run (the job does this on every generation): candidate selection around
//! each hotel (4 km, 10 km if fewer than 40; at most 1 500), `place_facts` + `candidate`
//! for every selected place, the `TripRequest`, and `plan_trip` for the 3 cities.
//! `validate_plan` is timed separately. "plan" figures are `plan_trip` alone.
//!
//! Run: `CARGO_TARGET_DIR=target-bench cargo bench -p tripgen --bench plan_real`
//! (optional args: `RUNS CONCURRENT`, default `30 20`).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tripgen::adapters::ai_location_local::{LocationTravel, place_facts};
use tripgen_ai::plan_input::{self, DaySlot};
use tripgen_ai::ports::{MemberFacts, PlaceFacts, Stay, TripFacts};
use tripgen_ai::requests;
use tripgen_location::catalogue_index::CatalogueIndex;
use tripgen_location::nearby::fold;
use tripgen_location::store::StoredSummary;
use tripgen_location::{
    City, GazetteerBuilder, GeoPoint, ImportEvent, OpeningContext, Place, PlaceSummary,
    StraightLineModel, import_file,
};
use tripgen_planner::itinerary::{
    Health, Interest, LatLon, PlanOptions, Transport, TripRequest, plan_trip, validate_plan,
};
use uuid::Uuid;

// Same constants as `tripgen_ai::generation` (private there).
const RADIUS_M: f64 = 4_000.0;
const RADIUS_WIDE_M: f64 = 10_000.0;
const MIN_CANDIDATES: usize = 40;
const CANDIDATE_LIMIT: usize = 1_500;

/// The in-memory catalogue: what `tripgen import osm` would leave in the store.
struct Catalogue {
    places: Vec<Place>,
    by_id: HashMap<String, usize>,
    index: CatalogueIndex,
    cities: Vec<City>,
}

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data/osm");
    if !dir.is_dir() {
        eprintln!(
            "plan_real: OSM data folder not found at {} (expected the repository's data/osm, \
             with city-extracts-2020/ and munich-overpass-2025/)",
            dir.display()
        );
        std::process::exit(2);
    }
    dir
}

fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["munchen", "porto", "london"]
        .iter()
        .map(|c| dir.join(format!("city-extracts-2020/{c}.osm.pbf")))
        .collect();
    let overpass = dir.join("munich-overpass-2025");
    let mut json: Vec<PathBuf> = std::fs::read_dir(&overpass)
        .unwrap_or_else(|e| panic!("plan_real: cannot read {}: {e}", overpass.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    json.sort();
    files.extend(json);
    for f in &files {
        if !f.is_file() {
            eprintln!("plan_real: missing data file {}", f.display());
            std::process::exit(2);
        }
    }
    files
}

fn load(files: &[PathBuf]) -> Catalogue {
    let mut places: Vec<Place> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut gazetteer = GazetteerBuilder::new();
    let (mut read, mut replaced) = (0u64, 0u64);
    for file in files {
        let t = Instant::now();
        let before = read;
        let summary = import_file(file, &mut |event| match event {
            ImportEvent::Place(p) => {
                read += 1;
                let p = *p;
                // "Newer version wins" as `PlaceStore::upsert_batch` does.
                match by_id.get(p.id.as_str()) {
                    Some(&i) => {
                        if p.source.supersedes(&places[i].source) {
                            places[i] = p;
                            replaced += 1;
                        }
                    }
                    None => {
                        by_id.insert(p.id.as_str().to_string(), places.len());
                        places.push(p);
                    }
                }
            }
            ImportEvent::City(c) => gazetteer.add_city(c),
            _ => {}
        });
        if let Err(e) = summary {
            eprintln!("plan_real: cannot import {}: {e}", file.display());
            std::process::exit(2);
        }
        eprintln!(
            "  read {:>7} places from {} in {:.1} s",
            read - before,
            file.display(),
            t.elapsed().as_secs_f64()
        );
    }
    for p in &places {
        gazetteer.add_place(p);
    }
    let cities = gazetteer.build().into_cities();
    let summaries = places
        .iter()
        .map(|p| StoredSummary {
            summary: PlaceSummary::from(p),
            rating: None,
            review_count: None,
        })
        .collect();
    eprintln!(
        "  catalogue: {} places ({read} read, {replaced} replaced by a newer record), {} cities",
        places.len(),
        cities.len()
    );
    Catalogue {
        index: CatalogueIndex::new(1, summaries),
        places,
        by_id,
        cities,
    }
}

impl Catalogue {
    /// `LocationService::resolve_city`'s exact-name step (biggest city first).
    fn opening_context(&self, name: &str) -> OpeningContext {
        let wanted = fold(name);
        let mut sorted: Vec<&City> = self.cities.iter().collect();
        sorted.sort_by_key(|c| std::cmp::Reverse(c.place_count));
        let city = sorted
            .into_iter()
            .find(|c| {
                [Some(&c.name), c.name_en.as_ref(), c.name_ko.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|n| fold(n) == wanted)
            })
            .unwrap_or_else(|| panic!("plan_real: city {name} not in the gazetteer"));
        city.opening_context()
    }

    /// `LocalPlaces::candidates` on the in-memory index instead of the database.
    fn candidates(
        &self,
        centre: LatLon,
        radius_m: f64,
        limit: usize,
        ctx: &OpeningContext,
        dates: &[NaiveDate],
    ) -> Vec<PlaceFacts> {
        let point = GeoPoint::new(centre.lat, centre.lon).expect("valid hotel position");
        self.index
            .around(point, radius_m)
            .filter(|s| s.summary.position.haversine_m(&point) <= radius_m)
            .take(limit)
            .filter(|s| {
                !matches!(
                    s.summary.category,
                    tripgen_location::Category::Lodging | tripgen_location::Category::Laundry
                )
            })
            .filter_map(|s| self.by_id.get(s.summary.id.as_str()))
            .map(|&i| place_facts(&self.places[i], None, None, Some(ctx), dates))
            .collect()
    }

    /// Places within `radius_m` before the limit (to show whether the limit bites).
    fn count_within(&self, centre: LatLon, radius_m: f64) -> usize {
        let point = GeoPoint::new(centre.lat, centre.lon).expect("valid hotel position");
        self.index
            .around(point, radius_m)
            .filter(|s| s.summary.position.haversine_m(&point) <= radius_m)
            .count()
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn trip() -> TripFacts {
    let stay = |city: &str, tz: &str, lat: f64, lon: f64, hotel: &str, start: &str, end: &str| {
        let p = LatLon { lat, lon };
        Stay {
            destination_id: Uuid::nil(),
            city: city.into(),
            time_zone: tz.into(),
            centre: p,
            lodging: p,
            lodging_name: hotel.into(),
            start_date: d(start),
            end_date: d(end),
            // `DEFAULT_CHECK_IN` / `DEFAULT_CHECK_OUT` of the trip context.
            check_in: 15 * 60,
            check_out: 11 * 60,
        }
    };
    let interests = vec![Interest::Culture, Interest::Sightseeing, Interest::Nature];
    let member = |age, health| MemberFacts {
        age,
        health,
        interests: interests.clone(),
    };
    TripFacts {
        id: Uuid::nil(),
        owner_id: Uuid::nil(),
        name: "Bench".into(),
        transport: Transport::Public,
        members: vec![
            member(8, Health::Excellent),
            member(35, Health::Excellent),
            member(37, Health::Good),
            member(62, Health::Good),
            member(65, Health::Good),
            member(70, Health::Caution),
        ],
        stays: vec![
            // Munich 06-01..06-03, Porto 06-04..06-05, London 06-06..06-07 (7 days).
            stay(
                "Munich",
                "Europe/Berlin",
                48.1374,
                11.5755,
                "Hotel Marienplatz",
                "2026-06-01",
                "2026-06-04",
            ),
            stay(
                "Porto",
                "Europe/Lisbon",
                41.1496,
                -8.6110,
                "Hotel Porto",
                "2026-06-04",
                "2026-06-06",
            ),
            stay(
                "London",
                "Europe/London",
                51.5074,
                -0.1278,
                "Hotel London",
                "2026-06-06",
                "2026-06-07",
            ),
        ],
        arrival: None,
        departure: None,
        generation_request_id: None,
        missing: Vec::new(),
        links: Vec::new(),
    }
}

/// One city's share of the work (as `CityWork` in the generation job).
struct CityWork {
    stay: usize,
    slots: Vec<DaySlot>,
    ctx: OpeningContext,
}

struct Fixture {
    catalogue: Catalogue,
    facts: TripFacts,
    work: Vec<CityWork>,
    travel: LocationTravel,
}

#[derive(Default, Clone, Copy)]
struct RunTimes {
    select: Duration,
    plan: Duration,
    validate: Duration,
    stops: usize,
    candidates: [usize; 3],
    violations: usize,
    /// Hash of every day's stops (place, start): equal for equal plans.
    fingerprint: u64,
}

impl RunTimes {
    /// Selection + candidates + `plan_trip` (what the job does between its progress steps).
    fn total(&self) -> Duration {
        self.select + self.plan
    }
}

fn build_fixture() -> Fixture {
    let dir = data_dir();
    let t = Instant::now();
    let catalogue = load(&data_files(&dir));
    eprintln!(
        "  loading took {:.1} s (not timed)",
        t.elapsed().as_secs_f64()
    );
    let facts = trip();
    let start = 9 * 60;
    let mut work: Vec<CityWork> = Vec::new();
    for slot in plan_input::day_slots(&facts, start) {
        match work.iter_mut().find(|w| w.stay == slot.stay) {
            Some(w) => w.slots.push(slot),
            None => work.push(CityWork {
                stay: slot.stay,
                ctx: catalogue.opening_context(&facts.stays[slot.stay].city),
                slots: vec![slot],
            }),
        }
    }
    Fixture {
        catalogue,
        facts,
        work,
        travel: LocationTravel(std::sync::Arc::new(StraightLineModel::default())),
    }
}

/// One generation of the whole trip with `seed`.
fn run_once(f: &Fixture, seed: u64) -> RunTimes {
    let mut out = RunTimes::default();
    for (k, w) in f.work.iter().enumerate() {
        let t = Instant::now();
        let s = &f.facts.stays[w.stay];
        let dates: Vec<NaiveDate> = w.slots.iter().map(|d| d.date).collect();
        let mut places =
            f.catalogue
                .candidates(s.lodging, RADIUS_M, CANDIDATE_LIMIT, &w.ctx, &dates);
        if places.len() < MIN_CANDIDATES {
            places =
                f.catalogue
                    .candidates(s.lodging, RADIUS_WIDE_M, CANDIDATE_LIMIT, &w.ctx, &dates);
        }
        // `GenerationHandler::request` (private there), no forecast, no special requests.
        let days: Vec<_> = w
            .slots
            .iter()
            .filter_map(|slot| plan_input::day_spec(&f.facts, slot, None))
            .collect();
        let candidates: Vec<_> = places.iter().filter_map(plan_input::candidate).collect();
        let names: Vec<(String, Vec<String>)> = places
            .iter()
            .map(|p| (p.id.clone(), p.names.clone()))
            .collect();
        let req = TripRequest {
            days,
            candidates,
            group: plan_input::group(&f.facts),
            transport: f.facts.transport,
            interests: plan_input::interests(&f.facts),
            constraints: requests::parse("").constraints(&names),
            options: PlanOptions {
                seed: seed.max(1),
                ..PlanOptions::default()
            },
        };
        out.candidates[k] = req.candidates.len();
        out.select += t.elapsed();

        let t = Instant::now();
        let plan = plan_trip(&req, &f.travel).expect("the planner failed");
        out.plan += t.elapsed();

        let t = Instant::now();
        let violations = validate_plan(&req, &plan);
        out.validate += t.elapsed();
        for v in &violations {
            eprintln!(
                "  violation in {} (seed {seed}): {} {}",
                s.city, v.rule, v.message
            );
        }
        out.violations += violations.len();
        out.stops += plan.days.iter().map(|d| d.stops.len()).sum::<usize>();
        let mut h = DefaultHasher::new();
        (out.fingerprint, k).hash(&mut h);
        for day in &plan.days {
            for stop in &day.stops {
                (&stop.place_id, stop.start).hash(&mut h);
            }
        }
        out.fingerprint = h.finish();
    }
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Nearest-rank percentile of sorted values.
fn pct(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn summary(label: &str, mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!(
        "{label}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        pct(&v, 50.0),
        pct(&v, 95.0),
        v[v.len() - 1]
    )
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn main() {
    let mut args = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<usize>().ok());
    let runs = args.next().unwrap_or(30).max(1);
    let concurrent = args.next().unwrap_or(20).max(1);

    eprintln!("plan_real: loading the OSM catalogue …");
    let f = Arc::new(build_fixture());
    for w in &f.work {
        let s = &f.facts.stays[w.stay];
        eprintln!(
            "  {}: {} day(s), {} places within {} m of the hotel (limit {CANDIDATE_LIMIT}), tz {:?}",
            s.city,
            w.slots.len(),
            f.catalogue.count_within(s.lodging, RADIUS_M),
            RADIUS_M,
            w.ctx.time_zone.map(|z| z.name().to_string())
        );
    }

    // Warm-up (page in the catalogue, tz/holiday tables).
    let warm = run_once(&f, 1_000_003);
    assert_eq!(
        warm.violations, 0,
        "validator violations in the warm-up run"
    );

    // --- sequential ----------------------------------------------------------------------
    let load_before = loadavg();
    let seq: Vec<RunTimes> = (0..runs as u64).map(|i| run_once(&f, i + 1)).collect();
    let violations: usize = seq.iter().map(|r| r.violations).sum();
    let cands = seq[0].candidates;
    println!(
        "plan_real: {runs} runs of a 7-day 3-city trip (Munich 3 / Porto 2 / London 2, 6 members, \
         one caution, public, straight line); candidates {}/{}/{}; {:.1} stops per trip; \
         validator violations: {violations}",
        cands[0],
        cands[1],
        cands[2],
        seq.iter().map(|r| r.stops).sum::<usize>() as f64 / runs as f64
    );
    println!(
        "  {}",
        summary(
            "per run (selection + candidates + plan_trip)",
            seq.iter().map(|r| ms(r.total())).collect()
        )
    );
    println!(
        "  {}",
        summary(
            "  of which plan_trip (3 cities)",
            seq.iter().map(|r| ms(r.plan)).collect()
        )
    );
    println!(
        "  {}",
        summary(
            "  of which selection + candidates",
            seq.iter().map(|r| ms(r.select)).collect()
        )
    );
    println!(
        "  {}",
        summary(
            "validate_plan (not in the above)",
            seq.iter().map(|r| ms(r.validate)).collect()
        )
    );
    println!("  load average before/after: {load_before} / {}", loadavg());
    assert_eq!(violations, 0, "validator violations in sequential runs");

    // --- concurrent ----------------------------------------------------------------------
    let load_before = loadavg();
    let barrier = Arc::new(Barrier::new(concurrent + 1));
    let handles: Vec<_> = (0..concurrent as u64)
        .map(|i| {
            let f = Arc::clone(&f);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                let t = Instant::now();
                let r = run_once(&f, 10_001 + i);
                (t.elapsed(), r)
            })
        })
        .collect();
    barrier.wait();
    let wall = Instant::now();
    let results: Vec<(Duration, RunTimes)> = handles
        .into_iter()
        .map(|h| h.join().expect("plan thread panicked"))
        .collect();
    let wall = wall.elapsed();
    let violations: usize = results.iter().map(|(_, r)| r.violations).sum();
    println!(
        "plan_real: {concurrent} whole-trip plans on {concurrent} threads at once ({} CPUs); \
         validator violations: {violations}; {:.1} stops per trip",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        results.iter().map(|(_, r)| r.stops).sum::<usize>() as f64 / concurrent as f64
    );
    println!(
        "  {}",
        summary(
            "per-plan latency (selection + candidates + plan_trip)",
            results.iter().map(|(_, r)| ms(r.total())).collect()
        )
    );
    println!(
        "  {}",
        summary(
            "  of which plan_trip (3 cities)",
            results.iter().map(|(_, r)| ms(r.plan)).collect()
        )
    );
    println!(
        "  {}",
        summary(
            "per-plan latency incl. validate_plan",
            results.iter().map(|(d, _)| ms(*d)).collect()
        )
    );
    println!(
        "  wall time for all {concurrent} (incl. validation): {:.1} ms",
        ms(wall)
    );
    println!("  load average before/after: {load_before} / {}", loadavg());
    // The planner's 200 ms time limit is wall time: did contention cut any search short?
    let same = results
        .iter()
        .enumerate()
        .filter(|(i, (_, r))| run_once(&f, 10_001 + *i as u64).fingerprint == r.fingerprint)
        .count();
    println!(
        "  plans identical to a sequential run with the same seed (not timed): {same}/{concurrent}"
    );
    assert_eq!(violations, 0, "validator violations in concurrent runs");
}
