//! Nearby search on the in-memory catalogue index, the path `POST /search/nearby` takes
//! after validation: every Munich place from the repository's `data/osm` (both extracts), then
//! the same catalogue grown to ≥ 100,000 places by copying each place 25× with a
//! deterministic jitter of up to 3 km (as `bench/synthetic_catalogue.py` does for the
//! HTTP benchmark). Prints p50/p99 per sort, mode and budget from Marienplatz, for the
//! reference full scan and for the index's strategies (`CatalogueIndex::nearby`).
//!
//! `cargo bench -p tripgen-location --bench nearby` (TRIPGEN_DATA_ROOT overrides the
//! data folder).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tripgen_location::catalogue_index::CatalogueIndex;
use tripgen_location::nearby::{NearbyPage, NearbySort, search_nearby_indexed};
use tripgen_location::store::StoredSummary;
use tripgen_location::{
    ElementRef, GeoPoint, ImportEvent, NearbyQuery, PlaceId, PlaceSummary, StraightLineModel,
    TimeBudget, TravelMode, import_file, search_radius_metres,
};

const COPIES: usize = 25;
const ROUNDS: usize = 200;

fn data_dir() -> PathBuf {
    std::env::var_os("TRIPGEN_DATA_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data"))
}

fn munich_places() -> Vec<PlaceSummary> {
    let osm = data_dir().join("osm");
    let mut files = vec![osm.join("city-extracts-2020/munchen.osm.pbf")];
    if let Ok(dir) = std::fs::read_dir(osm.join("munich-overpass-2025")) {
        files.extend(
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json")),
        );
    }
    let mut by_id = std::collections::BTreeMap::new();
    for file in files {
        let mut on_event = |event: ImportEvent| {
            if let ImportEvent::Place(place) = event {
                by_id.insert(place.id.clone(), PlaceSummary::from(place.as_ref()));
            }
        };
        if let Err(e) = import_file(&file, &mut on_event) {
            eprintln!("skipping {}: {e}", file.display());
        }
    }
    by_id.into_values().collect()
}

/// Deterministic jitter in [-1, 1) from a counter (SplitMix64), so runs are comparable.
fn jitter(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn grown(places: &[PlaceSummary]) -> Vec<PlaceSummary> {
    let mut out = Vec::with_capacity(places.len() * COPIES);
    let mut n = 0u64;
    for copy in 0..COPIES {
        for p in places {
            n += 1;
            let mut q = p.clone();
            if copy > 0 {
                // ≤ 3 km: 0.027° of latitude, 0.04° of longitude at 48° N.
                let lat = p.position.lat() + 0.027 * jitter(2 * n);
                let lon = p.position.lon() + 0.04 * jitter(2 * n + 1);
                let Ok(pos) = GeoPoint::new(lat, lon) else {
                    continue;
                };
                q.position = pos;
                // A distinct id per copy: OSM ids stay below 10^13.
                let Some(element) = p.id.element() else {
                    continue;
                };
                q.id = PlaceId::from_element(ElementRef {
                    kind: element.kind,
                    id: element.id + copy as i64 * 10_000_000_000_000,
                });
            }
            out.push(q);
        }
    }
    out
}

fn index_of(places: Vec<PlaceSummary>) -> CatalogueIndex {
    CatalogueIndex::new(
        1,
        places
            .into_iter()
            .map(|summary| StoredSummary {
                summary,
                rating: None,
                review_count: None,
            })
            .collect(),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// p50 and p99 of `ROUNDS` runs of `search`, and the last page's total.
fn time(mut search: impl FnMut() -> NearbyPage) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(ROUNDS);
    let mut total = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let page = search();
        times.push(started.elapsed());
        total = page.total;
        std::hint::black_box(page);
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99), total)
}

fn run(label: &str, index: &CatalogueIndex) {
    let model = StraightLineModel::default();
    let origin = GeoPoint::new(48.1374, 11.5755).expect("Marienplatz");
    for sort in [NearbySort::TravelTime, NearbySort::Name] {
        for budget in [TimeBudget::Min10, TimeBudget::Min30, TimeBudget::Min60] {
            for mode in [TravelMode::Walk, TravelMode::Transit, TravelMode::Car] {
                let mut query = NearbyQuery::new(origin, mode, budget);
                query.sort = sort;
                let radius = search_radius_metres(&model, mode, budget);
                // The reference: every place within reach, one by one.
                let (scan50, scan99, scan_total) = time(|| {
                    let candidates = index.around_indexed(origin, radius);
                    search_nearby_indexed(&query, candidates, |i| index.candidate(i), &model)
                        .expect("valid query")
                });
                // What the service runs: grid counts + nearest-first / presorted walks.
                let (p50, p99, total) = time(|| index.nearby(&query, &model).expect("valid query"));
                assert_eq!(total, scan_total, "the strategies disagree on the total");
                println!(
                    "{label:<13} {:<10} {mode:<8} {:>2} min reachable={total:<7} scan p50={scan50:>9.2?} p99={scan99:>9.2?}  index p50={p50:>9.2?} p99={p99:>9.2?}  ×{:.1}",
                    sort.as_str(),
                    budget.minutes(),
                    scan50.as_secs_f64() / p50.as_secs_f64().max(1e-9),
                );
            }
        }
    }
}

fn main() {
    let places = munich_places();
    if places.is_empty() {
        eprintln!("SKIPPED: no Munich data under {}", data_dir().display());
        return;
    }
    let n = places.len();
    run(&format!("munich {n}"), &index_of(places.clone()));
    let big = grown(&places);
    let m = big.len();
    run(&format!("grown {m}"), &index_of(big));
}
