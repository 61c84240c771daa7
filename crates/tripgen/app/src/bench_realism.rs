//! `tripgen bench realism`: do plans visit what travellers come for? For every city of the
//! realism yardstick (`data/eval/landmarks.json`) a 3-night culture & sightseeing trip
//! (2 adults, good health, public transport, lodging at the city centre) is generated through
//! the production pipeline — `tripgen import osm` into a fresh embedded catalogue, the AI
//! context's place port, `plan_input::trip_request`, `plan_trip`, `validate_plan` — and
//! measured against the city's list: listed landmarks visited, share of visit stops that are
//! listed, physical duplicates. The list is a yardstick only: nothing else reads it.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::config::Config;
use chrono::NaiveDate;
use serde::Serialize;
use tripgen_ai::generation::city_places;
use tripgen_ai::plan_input;
use tripgen_ai::ports::PlacePort;
use tripgen_ai::requests::RequestIntent;
use tripgen_location::LocationService;
use tripgen_location::service::CityLookup;
use tripgen_planner::itinerary::candidates::{SAME_PLACE_M, same_place_key};
use tripgen_planner::itinerary::{
    DayPlan, LatLon, PlanOptions, StopKind, haversine_m, plan_trip, validate_plan,
};

use crate::adapters::ai_location_local::LocalPlaces;

/// A Tuesday in early summer: long opening hours, no public holiday in the bundled cities.
const FIRST_DAY: (i32, u32, u32) = (2027, 6, 8);
const NIGHTS: u64 = 3;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CityRow {
    pub city: String,
    pub listed: usize,
    /// Listed landmarks the plan visits (any stop, a lunch in a listed beer hall included).
    pub landmarks_visited: usize,
    pub visits: usize,
    /// Visit stops that are listed landmarks.
    pub listed_visits: usize,
    pub listed_share_pct: f64,
    /// Stops that repeat a physical place (same id, or same name within 150 m).
    pub duplicates: usize,
    pub violations: usize,
    pub plan_ms: u64,
    pub visited: Vec<String>,
    pub stops: Vec<String>,
    /// Why the city could not be planned, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Landmarks of one city: each entry is `|`-separated alternatives, matched
/// case-insensitively as substrings of a stop's name.
struct Yardstick {
    cities: Vec<(String, Vec<Vec<String>>)>,
}

fn read_yardstick(path: &Path) -> anyhow::Result<Yardstick> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let Some(map) = v["cities"].as_object() else {
        anyhow::bail!("{}: no \"cities\" object", path.display());
    };
    let cities = map
        .iter()
        .map(|(city, list)| {
            let entries = list
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e.as_str())
                        .map(|e| e.split('|').map(|alt| alt.to_lowercase()).collect())
                        .collect()
                })
                .unwrap_or_default();
            (city.clone(), entries)
        })
        .collect();
    Ok(Yardstick { cities })
}

fn matches(entry: &[String], name: &str) -> bool {
    let name = name.to_lowercase();
    entry
        .iter()
        .any(|alt| !alt.is_empty() && name.contains(alt.as_str()))
}

/// Stops that repeat a physical place already in the plan.
fn duplicates(days: &[DayPlan]) -> usize {
    let stops: Vec<_> = days.iter().flat_map(|d| d.stops.iter()).collect();
    (0..stops.len())
        .filter(|&j| {
            stops[..j].iter().any(|a| {
                let b = stops[j];
                a.place_id == b.place_id
                    || (same_place_key(&a.name) == same_place_key(&b.name)
                        && haversine_m(a.position, b.position) <= SAME_PLACE_M)
            })
        })
        .count()
}

async fn plan_city(
    service: &Arc<LocationService>,
    city: &str,
    landmarks: &[Vec<String>],
) -> anyhow::Result<CityRow> {
    let found = match service
        .resolve_city(city)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        CityLookup::Found(c) => c,
        CityLookup::NotFound { .. } => anyhow::bail!("{city} is not in the gazetteer"),
    };
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
        .ok_or_else(|| anyhow::anyhow!("bad first day"))?;
    let centre = LatLon {
        lat: found.centre.lat(),
        lon: found.centre.lon(),
    };
    let zone = found.time_zone.clone().unwrap_or_else(|| "UTC".into());
    let facts = crate::bench_catalogue::couple_trip(city, centre, &zone, first, NIGHTS);
    let port = LocalPlaces {
        service: service.clone(),
    };
    let slots = plan_input::day_slots(&facts, 9 * 60);
    let dates: Vec<NaiveDate> = slots.iter().map(|s| s.date).collect();
    let started = Instant::now();
    let places = city_places(&port, &facts.stays[0], &dates).await?;
    let options = PlanOptions {
        seed: 1,
        ..PlanOptions::default()
    };
    let req = plan_input::trip_request(
        &facts,
        &slots,
        &vec![None; slots.len()],
        &places,
        &RequestIntent::default(),
        &HashSet::new(),
        options,
    );
    let travel = port.travel_model();
    let plan = plan_trip(&req, travel.as_ref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let plan_ms = started.elapsed().as_millis() as u64;
    let violations = validate_plan(&req, &plan).len();
    let all: Vec<_> = plan.days.iter().flat_map(|d| d.stops.iter()).collect();
    let visits: Vec<_> = all.iter().filter(|s| s.kind == StopKind::Visit).collect();
    let visited: Vec<String> = landmarks
        .iter()
        .filter(|entry| all.iter().any(|s| matches(entry, &s.name)))
        .map(|entry| entry.join("|"))
        .collect();
    let listed_visits = visits
        .iter()
        .filter(|s| landmarks.iter().any(|e| matches(e, &s.name)))
        .count();
    Ok(CityRow {
        city: city.to_owned(),
        listed: landmarks.len(),
        landmarks_visited: visited.len(),
        visits: visits.len(),
        listed_visits,
        listed_share_pct: if visits.is_empty() {
            0.0
        } else {
            100.0 * listed_visits as f64 / visits.len() as f64
        },
        duplicates: duplicates(&plan.days),
        violations,
        plan_ms,
        visited,
        stops: all
            .iter()
            .map(|s| format!("{:?}: {}", s.kind, s.name))
            .collect(),
        error: None,
    })
}

fn progress(done: usize, total: usize, city: &str) {
    if std::io::stderr().is_terminal() {
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width);
        eprint!(
            "\r[{}{}] {done}/{total} {city:<20}",
            "#".repeat(filled),
            "-".repeat(width - filled)
        );
        if done == total {
            eprintln!();
        }
    } else {
        eprintln!("realism: {done}/{total} cities planned ({city})");
    }
}

/// Imports `osm` into a fresh embedded catalogue under a temporary data dir, then plans and
/// measures every city of the yardstick.
pub async fn run(mut config: Config, osm: &Path, landmarks: &Path) -> anyhow::Result<Vec<CityRow>> {
    let yardstick = read_yardstick(landmarks)?;
    let dir = std::env::temp_dir().join(format!("tripgen-bench-realism-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    config.data_dir = dir.clone();
    config.database.url = None;
    config.redis.url = None;
    let result = run_in(config, osm, &yardstick).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_in(config: Config, osm: &Path, yardstick: &Yardstick) -> anyhow::Result<Vec<CityRow>> {
    let (platform, service) =
        crate::bench_catalogue::fresh_catalogue(&config, osm, "realism").await?;
    let total = yardstick.cities.len();
    let mut rows = Vec::with_capacity(total);
    for (i, (city, landmarks)) in yardstick.cities.iter().enumerate() {
        let row = plan_city(&service, city, landmarks)
            .await
            .unwrap_or_else(|e| CityRow {
                city: city.clone(),
                listed: landmarks.len(),
                landmarks_visited: 0,
                visits: 0,
                listed_visits: 0,
                listed_share_pct: 0.0,
                duplicates: 0,
                violations: 0,
                plan_ms: 0,
                visited: vec![],
                stops: vec![],
                error: Some(format!("{e:#}")),
            });
        rows.push(row);
        progress(i + 1, total, city);
    }
    platform.db.close().await;
    Ok(rows)
}

pub fn render(rows: &[CityRow]) -> String {
    let mut out = format!(
        "{:<12} {:>9} {:>7} {:>12} {:>5} {:>10} {:>8}\n",
        "city", "landmarks", "visits", "listed share", "dups", "violations", "plan ms"
    );
    for r in rows {
        if let Some(e) = &r.error {
            out.push_str(&format!("{:<12} ERROR: {e}\n", r.city));
            continue;
        }
        out.push_str(&format!(
            "{:<12} {:>4}/{:<4} {:>7} {:>11.0}% {:>5} {:>10} {:>8}\n",
            r.city,
            r.landmarks_visited,
            r.listed,
            r.visits,
            r.listed_share_pct,
            r.duplicates,
            r.violations,
            r.plan_ms
        ));
    }
    out.push_str("targets: landmarks >= 8, listed share >= 50 %, duplicates 0, violations 0\n");
    out.push_str(&format!("{}\n", tripgen_location::OSM_ATTRIBUTION));
    out
}
