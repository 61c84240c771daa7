//! The gazetteer's two targets, measured the same way by `tripgen bench gazetteer` (on the
//! release binary users run) and `cargo bench --bench gazetteer`: load time of the shipped
//! file (gunzip + parse + the name index folded at build time) and city lookup latency over the whole gazetteer —
//! the path `GET /locations/geocode` and trip destinations take (`lookup::find_cities`,
//! catalogue cities included). Queries: full names, Korean names, other alternate names and
//! 3–4-letter prefixes of cities picked evenly through the file, plus names nothing matches.

use std::time::{Duration, Instant};

use serde::Serialize;

use super::lookup::{CatalogueCities, find_cities};
use super::world::{parse_shipped, shipped_size, world};
use crate::{City, name_key};

/// What one run measured; times in milliseconds.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GazetteerBench {
    pub file_bytes: usize,
    pub cities: usize,
    pub load_runs: usize,
    pub load_median_ms: f64,
    pub load_max_ms: f64,
    pub lookups: usize,
    pub lookup_p50_ms: f64,
    pub lookup_p99_ms: f64,
    pub lookup_max_ms: f64,
    /// Share of lookups with at least one city, percent.
    pub found_pct: f64,
}

/// Parses the shipped file `load_runs` times and looks every query up `rounds` times.
pub fn measure(load_runs: usize, rounds: usize) -> anyhow::Result<GazetteerBench> {
    let mut loads = Vec::with_capacity(load_runs.max(1));
    for _ in 0..load_runs.max(1) {
        let t = Instant::now();
        let parsed = parse_shipped()?;
        loads.push(t.elapsed());
        anyhow::ensure!(!parsed.is_empty(), "the shipped gazetteer is empty");
    }
    loads.sort();

    let w = world();
    // A catalogue like the bundled one: six cities with places (Munich, Porto, London,
    // Helsinki, Lisbon, Toulouse by GeoNames id).
    let catalogue = CatalogueCities::new(
        [2867714, 2735943, 2643743, 658225, 2993458, 3041563]
            .into_iter()
            .filter_map(|id| w.by_id(id))
            .map(|c| City {
                place_count: 1000,
                ..City::from_world(c)
            })
            .collect(),
    );
    let queries = queries();
    let mut times = Vec::with_capacity(queries.len() * rounds.max(1));
    let mut found = 0usize;
    for _ in 0..rounds.max(1) {
        for q in &queries {
            let t = Instant::now();
            let hits = find_cities(&catalogue, q, 10);
            times.push(t.elapsed());
            found += usize::from(!hits.is_empty());
        }
    }
    times.sort();
    Ok(GazetteerBench {
        file_bytes: shipped_size(),
        cities: w.len(),
        load_runs: loads.len(),
        load_median_ms: ms(percentile(&loads, 0.5)),
        load_max_ms: ms(loads.last().copied().unwrap_or_default()),
        lookups: times.len(),
        lookup_p50_ms: ms(percentile(&times, 0.5)),
        lookup_p99_ms: ms(percentile(&times, 0.99)),
        lookup_max_ms: ms(times.last().copied().unwrap_or_default()),
        found_pct: 100.0 * found as f64 / times.len().max(1) as f64,
    })
}

/// The report as two lines.
pub fn render(b: &GazetteerBench) -> String {
    format!(
        "gazetteer file: {} bytes; load (gunzip+parse+index) median {:.1} ms, max {:.1} ms over {} runs\n\
         lookup over {} cities ({} lookups): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {:.1}% found\n",
        b.file_bytes,
        b.load_median_ms,
        b.load_max_ms,
        b.load_runs,
        b.cities,
        b.lookups,
        b.lookup_p50_ms,
        b.lookup_p99_ms,
        b.lookup_max_ms,
        b.found_pct
    )
}

fn queries() -> Vec<String> {
    let w = world();
    let mut queries = Vec::new();
    for (i, c) in w.cities().iter().enumerate().step_by(17) {
        queries.push(c.name.clone());
        if let Some(ko) = c.name_ko() {
            queries.push(ko.to_owned());
        }
        let others: Vec<&str> = c.names_other().collect();
        if let Some(other) = others.get(i % others.len().max(1)) {
            queries.push((*other).to_owned());
        }
        queries.push(name_key(&c.name).chars().take(3 + i % 2).collect());
    }
    queries.extend(["Xqzzyvillex", "qq", "a", "서", "Mos"].map(str::to_owned));
    queries
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
