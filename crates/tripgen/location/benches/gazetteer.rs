//! The world gazetteer: load time of the shipped file (gunzip + parse + fold + sort) and
//! city lookup latency over the whole gazetteer — the path `GET /locations/geocode` and
//! trip destinations take (`gazetteer::lookup::find_cities`, catalogue cities included).
//! Queries: full names, Korean names, other alternate names and 3–4-letter prefixes of
//! cities picked evenly through the file, plus names nothing matches.
//!
//! `cargo bench -p tripgen-location --bench gazetteer`

use std::time::{Duration, Instant};

use tripgen_location::gazetteer::lookup::{CatalogueCities, find_cities};
use tripgen_location::gazetteer::world::{parse_shipped, shipped_size, world};
use tripgen_location::{City, name_key};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    // Load: fresh parses of the embedded file.
    let mut loads: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let w = parse_shipped().expect("shipped gazetteer parses");
            let d = t.elapsed();
            assert!(w.len() > 30_000);
            d
        })
        .collect();
    loads.sort();
    println!(
        "gazetteer file: {} bytes; load (gunzip+parse+fold+sort) median {:.1} ms, max {:.1} ms over {} runs",
        shipped_size(),
        percentile(&loads, 0.5).as_secs_f64() * 1e3,
        loads.last().unwrap().as_secs_f64() * 1e3,
        loads.len()
    );

    let w = world();
    // A catalogue like the bundled one: six cities with places.
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
    let mut queries: Vec<String> = Vec::new();
    for (i, c) in w.cities().iter().enumerate().step_by(17) {
        queries.push(c.name.clone());
        if let Some(ko) = c.name_ko() {
            queries.push(ko.to_owned());
        }
        let others: Vec<&str> = c.names_other().collect();
        if let Some(other) = others.get(i % others.len().max(1)) {
            queries.push((*other).to_owned());
        }
        let key = name_key(&c.name);
        queries.push(key.chars().take(3 + i % 2).collect());
    }
    queries.extend(["Xqzzyvillex", "qq", "a", "서", "Mos"].map(str::to_owned));
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len() * 3);
    let mut found = 0usize;
    for _round in 0..3 {
        for q in &queries {
            let t = Instant::now();
            let hits = find_cities(&catalogue, q, 10);
            times.push(t.elapsed());
            found += usize::from(!hits.is_empty());
        }
    }
    times.sort();
    println!(
        "lookup over {} cities ({} queries × 3): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {:.1}% found",
        w.len(),
        queries.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        100.0 * found as f64 / times.len() as f64
    );
}
