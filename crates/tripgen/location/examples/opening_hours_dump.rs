//! Dumps how TripGen evaluates every distinct `opening_hours` value of the OSM data, day by
//! day over a whole year, for the differential check against opening_hours.js
//! (`tools/opening-hours-diff`, run by `make hours-diff`).
//!
//! Usage: `cargo run -p tripgen-location --example opening_hours_dump -- [DATA_DIR] [YEAR] > ours.jsonl`
//! (default: `data/osm` of the repository, the current year).
//!
//! Each output line is one (city, value): the city's country, zone and centre (what the
//! evaluation used), and the year as `days` (one index per day into `patterns`), a pattern
//! being the day's open (`o`) and unknown (`u`) minute ranges, e.g. `o600-1080 u1080-1440`.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use opening_hours::localization::Country;
use serde_json::json;
use tripgen_location::import::{FileFormat, ImportEvent, import_file};
use tripgen_location::{City, DaySchedule, GazetteerBuilder, OpeningHours};

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

fn pattern(day: &DaySchedule) -> String {
    let mut parts: Vec<String> = day
        .open
        .iter()
        .map(|r| format!("o{}-{}", r.start, r.end))
        .collect();
    parts.extend(
        day.unknown
            .iter()
            .map(|r| format!("u{}-{}", r.start, r.end)),
    );
    parts.join(" ")
}

/// The dates of the year that are a public holiday in only some of the country's regions
/// (TripGen makes `PH` unknown on them and the day after: docs/opening-hours.md).
fn regional_holidays(country: Option<&str>, first: NaiveDate, end: NaiveDate) -> Vec<String> {
    let Some(country) = country.and_then(|c| c.to_ascii_uppercase().parse::<Country>().ok()) else {
        return Vec::new();
    };
    let (national, regional) = (country.holidays(), country.holidays_regional());
    first
        .iter_days()
        .take_while(|d| *d < end)
        .filter(|d| regional.get_public().contains(*d) && !national.get_public().contains(*d))
        .map(|d| d.to_string())
        .collect()
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data/osm"));
    let year = args
        .next()
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| chrono::Utc::now().year());
    let (Some(first), Some(next_year)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year + 1, 1, 1),
    ) else {
        eprintln!("bad year {year}");
        return ExitCode::FAILURE;
    };
    let paths = match files(&dir) {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!("no .osm.pbf/.json files under {}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    // (city, value) → hours, over all files; the city is the one the product would use.
    let mut values: BTreeMap<(String, String), (City, OpeningHours)> = BTreeMap::new();
    for path in &paths {
        let mut gazetteer = GazetteerBuilder::new();
        let mut places = Vec::new();
        let result = import_file(path, &mut |event| {
            gazetteer.add_event(&event);
            if let ImportEvent::Place(p) = event
                && p.opening_hours.raw().is_some()
            {
                places.push(p);
            }
        });
        if let Err(e) = result {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        let cities = gazetteer.build().into_cities();
        for p in places {
            let (Some(raw), Some(city)) = (
                p.opening_hours.raw(),
                cities.iter().find(|c| c.bbox.contains(p.position)),
            ) else {
                continue;
            };
            values
                .entry((city.name.clone(), raw.to_string()))
                .or_insert_with(|| (city.clone(), p.opening_hours.clone()));
        }
        eprintln!(
            "{}: {} distinct values so far",
            path.display(),
            values.len()
        );
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for ((_, raw), (city, hours)) in &values {
        let hours = hours.localized(&city.opening_context());
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut days = Vec::new();
        for date in first.iter_days().take_while(|d| *d < next_year) {
            let p = pattern(&hours.day_schedule(date));
            let next = patterns.len();
            let i = *index.entry(p.clone()).or_insert_with(|| {
                patterns.push(p);
                next
            });
            days.push(i);
        }
        let line = json!({
            "regionalHolidays": regional_holidays(city.country.as_deref(), first, next_year),
            "city": city.name,
            "country": city.country,
            "timeZone": city.time_zone,
            "lat": city.centre.lat(),
            "lon": city.centre.lon(),
            "value": raw,
            "malformed": hours.is_malformed(),
            "year": year,
            "patterns": patterns,
            "days": days,
        });
        if writeln!(out, "{line}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
