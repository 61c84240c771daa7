//! `tripgen import osm FILE|DIR|URL…` and `tripgen cities`: filling the place catalogue
//! from local files or downloads, and listing what it holds.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use tripgen_location::catalogue::{catalogue_cities, render_cities};
use tripgen_location::importer::{ImportInput, data_files, render_report};
use tripgen_location::{LocationService, PlaceStore, ReadOptions};
use tripgen_platform::progress::{Progress, Unit};
use tripgen_platform::{Platform, SystemClock};

use crate::download;

/// Downloads every URL first (so a failed transfer leaves the catalogue untouched), then
/// imports every file in the order given. Returns an error when any file failed.
/// `tripgen import gtfs FILE.zip` (see `tripgen_location::transit::import`).
pub async fn import_gtfs(config: Config, file: &Path, json: bool) -> anyhow::Result<()> {
    let platform = Arc::new(Platform::build(config.platform(), Arc::new(SystemClock)).await?);
    crate::app::migrate(&platform).await?;
    let service = LocationService::new(platform.clone(), &config.location.travel);
    let progress = Progress::new("gtfs", Some(3), Unit::Items("steps"));
    let result = service.import_gtfs(file, &progress).await;
    if result.is_err() {
        progress.abandon();
    }
    platform.db.close().await;
    let r = result?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        println!(
            "{}: {} stops ({} in {}), {} lines, {} trips in {} patterns, {} services; \
             typical day {}; catalogue version {} ({} ms)",
            r.feed,
            r.stops,
            r.stops_in_city,
            r.city_name,
            r.lines,
            r.trips,
            r.patterns,
            r.services,
            r.typical_day
                .map_or_else(|| "none".to_string(), |d| d.to_string()),
            r.catalogue_version,
            r.millis
        );
    }
    Ok(())
}

pub async fn import_osm(
    config: Config,
    args: &[String],
    options: ReadOptions,
    json: bool,
) -> anyhow::Result<()> {
    let downloads_dir = config.data_dir.join("downloads");
    let mut inputs = Vec::new();
    let mut downloaded = Vec::new();
    let client = if args.iter().any(|a| download::is_url(a)) {
        Some(download::client()?)
    } else {
        None
    };
    for arg in args {
        match &client {
            Some(client) if download::is_url(arg) => {
                let d = download::download(client, arg, &downloads_dir).await?;
                eprintln!(
                    "downloaded {} ({} bytes{})",
                    d.url,
                    d.bytes,
                    match &d.md5 {
                        Some(m) => format!(", md5 {m} verified"),
                        None => ", no checksum published".into(),
                    }
                );
                inputs.push(ImportInput {
                    path: d.path.clone(),
                    source: d.url.clone(),
                    options,
                });
                downloaded.push(d.path);
            }
            _ => inputs.extend(local_inputs(Path::new(arg))?.into_iter().map(|mut i| {
                i.options = options;
                i
            })),
        }
    }

    // The world gazetteer (which city a place belongs to) is parsed on the other core while
    // the first file is read, rather than in front of it.
    let gazetteer = std::thread::spawn(|| tripgen_location::world().len());
    let platform = Arc::new(Platform::build(config.platform(), Arc::new(SystemClock)).await?);
    crate::app::migrate(&platform).await?;
    let service = LocationService::new(platform.clone(), &config.location.travel);
    let progress = Progress::new("importing", None, Unit::Bytes);
    let result = service.import_inputs(&inputs, &progress).await;
    match &result {
        Ok(report) => progress.finish(format!("{} places new or updated", report.changed())),
        Err(_) => progress.abandon(),
    }
    // The base map of every extract read, from the same file (before downloads are removed).
    let basemaps = if result.is_ok() {
        let files: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
        let progress = Progress::new("base map", None, Unit::Items("tiles"));
        let reports =
            tripgen_location::basemap::build_all(&service.basemap_builder(), &files, &progress)
                .await;
        let built = reports.iter().filter(|r| r.error.is_none()).count();
        progress.finish(format!("{built} of {} tile sets built", reports.len()));
        reports
    } else {
        Vec::new()
    };
    platform.db.close().await;
    // The catalogue holds the places now (or the import failed): the extracts can go.
    for path in downloaded {
        let _ = tokio::fs::remove_file(&path).await;
    }
    let report = result?;
    let _ = gazetteer.join();
    // Both independent opening-hours evaluators over every distinct value of this import.
    let values: std::collections::BTreeSet<&str> = report
        .files
        .iter()
        .flat_map(|f| f.opening_hours_values.iter().map(String::as_str))
        .collect();
    let hours = crate::hours_agreement::compare(values, chrono::Utc::now().date_naive(), 366);
    if json {
        let mut value = serde_json::to_value(&report)?;
        value["openingHours"] = serde_json::to_value(&hours)?;
        value["basemaps"] = serde_json::to_value(&basemaps)?;
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", render_report(&report));
        println!("{}", hours.line());
        for b in &basemaps {
            println!("{}\n{}", b.file.display(), b.line());
        }
    }
    if report.failed_files() > 0 {
        anyhow::bail!("{} file(s) could not be imported", report.failed_files());
    }
    Ok(())
}

/// A file, or every data file of a folder; a path that does not exist is an error.
fn local_inputs(path: &Path) -> anyhow::Result<Vec<ImportInput>> {
    if path.is_dir() {
        let files: Vec<PathBuf> = data_files(path);
        if files.is_empty() {
            anyhow::bail!(
                "{}: no .osm.pbf, .geojson or .json files in this folder",
                path.display()
            );
        }
        Ok(files.into_iter().map(ImportInput::file).collect())
    } else {
        // A missing or unreadable file is reported by the importer with the others.
        Ok(vec![ImportInput::file(path.to_path_buf())])
    }
}

/// Prints the catalogue's cities (a table, or JSON).
pub async fn cities(config: Config, json: bool) -> anyhow::Result<()> {
    let platform = Arc::new(Platform::build(config.platform(), Arc::new(SystemClock)).await?);
    crate::app::migrate(&platform).await?;
    // Straight from the store: no need to load the search index for a listing.
    let store = PlaceStore::new(platform.db.clone());
    let cities = catalogue_cities(&store.cities().await?, &store.imports().await?);
    platform.db.close().await;
    if json {
        println!("{}", serde_json::to_string_pretty(&cities)?);
    } else {
        print!("{}", render_cities(&cities));
    }
    Ok(())
}
