//! Imports every `.osm.pbf` / `.json` file under the OSM data folder and prints per-file
//! kept/skipped counts, timings and throughput.
//!
//! Usage: `cargo run --release --example import_stats [DATA_DIR]`
//! (default: `$TRIPGEN_DATA_ROOT/osm`, else `../../../data/osm` from the crate).
//! Measure peak RSS with `/usr/bin/time -v target/release/examples/import_stats`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use tripgen_location::import::{FileFormat, ImportEvent, import_file};
use tripgen_location::{Category, GazetteerBuilder};

fn data_dir() -> PathBuf {
    if let Some(arg) = std::env::args().nth(1) {
        return PathBuf::from(arg);
    }
    let root = std::env::var_os("TRIPGEN_DATA_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data"));
    root.join("osm")
}

fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if FileFormat::from_path(&path).is_some() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn main() -> ExitCode {
    let dir = data_dir();
    let paths = match files(&dir) {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => {
            eprintln!("no .osm.pbf/.json files under {}", dir.display());
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("cannot list {}: {e} (set TRIPGEN_DATA_ROOT)", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let (mut all_places, mut all_bytes) = (0u64, 0u64);
    println!(
        "{:<28} {:>8} {:>7} {:>7} {:>6} {:>9} {:>9} {:>10}  skipped by reason",
        "file", "records", "places", "skipped", "cities", "oh/bad", "ms", "places/s"
    );
    for path in &paths {
        let mut gazetteer = GazetteerBuilder::new();
        let mut by_category: BTreeMap<Category, u64> = BTreeMap::new();
        let result = import_file(path, &mut |event| match event {
            ImportEvent::Place(p) => {
                *by_category.entry(p.category).or_default() += 1;
                gazetteer.add_place(&p);
            }
            ImportEvent::City(c) => gazetteer.add_city(c),
            _ => {}
        });
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match result {
            Ok(s) => {
                let secs = s.elapsed.as_secs_f64();
                all_places += s.places;
                all_bytes += std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                println!(
                    "{:<28} {:>8} {:>7} {:>7} {:>6} {:>4}/{:<4} {:>9.1} {:>10.0}  {:?}",
                    name,
                    s.records_read,
                    s.places,
                    s.skipped_total(),
                    s.cities,
                    s.opening_hours_tagged,
                    s.opening_hours_malformed,
                    secs * 1000.0,
                    s.places as f64 / secs.max(1e-9),
                    s.skipped
                );
                println!("    categories: {by_category:?}");
                for city in gazetteer.build().cities() {
                    println!(
                        "    city: {} ({:?}) en={:?} ko={:?} tz={:?} places={} centre=({:.4},{:.4})",
                        city.name,
                        city.kind,
                        city.name_en,
                        city.name_ko,
                        city.time_zone,
                        city.place_count,
                        city.centre.lat(),
                        city.centre.lon()
                    );
                }
            }
            Err(e) => println!("{name:<28} ERROR {e}"),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "total: {} files, {all_places} places, {:.1} MB in {:.2} s = {:.0} places/s, {:.1} MB/s",
        paths.len(),
        all_bytes as f64 / 1e6,
        secs,
        all_places as f64 / secs,
        all_bytes as f64 / 1e6 / secs
    );
    ExitCode::SUCCESS
}
