//! `tripgen import osm`: streams files through the domain readers into the store in
//! batches, applying "newer version wins", then rebuilds the gazetteer.
//!
//! The reader runs on a blocking thread and hands places over a bounded channel, so memory
//! stays bounded by the batch size whatever the file size. A broken record is skipped and
//! counted; a file that cannot be read at all is reported and the next file goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tripgen_platform::SharedClock;
use tripgen_platform::progress::Progress;

use crate::duplicates::{DuplicateCandidate, absorb, find_duplicates};
use crate::error::ImportError;
use crate::gazetteer::{CityEntry, GazetteerBuilder};
use crate::geo::BoundingBox;
use crate::import::{ImportEvent, ImportProgress, ReadOptions, SkipReason, import_file_with};
use crate::place::Place;
use crate::roads::{RoadGraph, RoadMode, build_road_graph};
use crate::store::{PlaceStore, UpsertOutcome};

const BATCH: usize = 500;

/// What one file did to the catalogue.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    pub file: PathBuf,
    /// Where the file came from: its path, or the URL it was downloaded from.
    pub source: String,
    /// The OSM snapshot time the file states (PBF header), if any.
    pub snapshot_at: Option<DateTime<Utc>>,
    /// Box around the places read (what `tripgen cities` matches imports to cities by).
    #[serde(skip)]
    pub bbox: Option<BoundingBox>,
    pub places_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub cities: u64,
    pub skipped: BTreeMap<String, u64>,
    pub elapsed_ms: u64,
    /// Set when the file could not be read at all.
    pub error: Option<String>,
    /// The distinct raw `opening_hours` values read (for the hours agreement line).
    #[serde(skip)]
    pub opening_hours_values: BTreeSet<String>,
    /// The street graph built from an `.osm.pbf` (absent for GeoJSON).
    pub roads: Option<RoadReport>,
    /// Stations, ferry terminals and ferry routes of an `.osm.pbf` (absent for GeoJSON).
    pub transport: Option<crate::transport::import::TransportReport>,
}

/// What the street graph of one file holds (docs/location.md, *Street graph*).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoadReport {
    pub nodes: usize,
    pub edges: usize,
    /// Nodes in the largest connected part of each mode (where places snap to).
    pub foot_nodes: usize,
    pub bike_nodes: usize,
    pub car_nodes: usize,
    pub stops: usize,
    /// Reading, splitting and ordering the graph.
    pub build_ms: u64,
    /// Set when the graph could not be built; the places are imported all the same.
    pub error: Option<String>,
}

/// The street graph being built (or why not) and how long it took, in ms.
type RoadTask = tokio::task::JoinHandle<(Result<Option<RoadGraph>, ImportError>, u64)>;

/// Builds the street graph of an `.osm.pbf` on a blocking thread (while the places are
/// read on another) and stores it; GeoJSON files have no streets.
fn spawn_road_graph(path: &Path) -> Option<RoadTask> {
    if crate::import::FileFormat::from_path(path) != Some(crate::import::FileFormat::OsmPbf) {
        return None;
    }
    let path = path.to_path_buf();
    Some(tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let graph = build_road_graph(&path);
        (graph, started.elapsed().as_millis() as u64)
    }))
}

async fn finish_road_graph(
    store: &PlaceStore,
    clock: &SharedClock,
    input: &ImportInput,
    task: RoadTask,
) -> anyhow::Result<Option<RoadReport>> {
    let (graph, build_ms) = match task.await {
        Ok(done) => done,
        Err(e) => (
            Err(ImportError::pbf(&input.path, format!("road graph: {e}"))),
            0,
        ),
    };
    let mut report = RoadReport {
        build_ms,
        ..RoadReport::default()
    };
    match graph {
        Ok(Some(g)) => {
            report.nodes = g.node_count();
            report.edges = g.edges.len();
            report.foot_nodes = g.component_size(RoadMode::Foot);
            report.bike_nodes = g.component_size(RoadMode::Bike);
            report.car_nodes = g.component_size(RoadMode::Car);
            report.stops = g.stops.len();
            let dataset = crate::import::dataset_name(&input.path);
            store
                .save_road_graph(&dataset, &input.source, &g, clock.now())
                .await?;
        }
        Ok(None) => return Ok(None),
        Err(e) => report.error = Some(e.to_string()),
    }
    Ok(Some(report))
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    pub cities_in_gazetteer: usize,
    pub catalogue_version: i64,
}

impl ImportReport {
    pub fn changed(&self) -> u64 {
        self.files.iter().map(|f| f.inserted + f.updated).sum()
    }
    pub fn failed_files(&self) -> usize {
        self.files.iter().filter(|f| f.error.is_some()).count()
    }
}

enum Msg {
    Place(Box<Place>),
    City(Box<CityEntry>),
    Skipped(SkipReason),
    Progress(ImportProgress),
}

/// A file to import and the source recorded for it (its path, or the URL it came from).
#[derive(Debug, Clone)]
pub struct ImportInput {
    pub path: PathBuf,
    pub source: String,
    pub options: ReadOptions,
}

impl ImportInput {
    pub fn file(path: PathBuf) -> Self {
        ImportInput {
            source: path.display().to_string(),
            path,
            options: ReadOptions::default(),
        }
    }
}

/// Imports `files` in order, showing the bytes read on `progress` (its length is set here
/// to the files' total size), and records each file in the import log.
pub async fn import_files(
    store: &PlaceStore,
    clock: &SharedClock,
    files: &[ImportInput],
    progress: &Progress,
) -> anyhow::Result<ImportReport> {
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        .collect();
    progress.set_length(sizes.iter().sum());
    let mut report = ImportReport::default();
    let mut done = 0u64;
    for (file, size) in files.iter().zip(&sizes) {
        let r = import_one(store, clock, file, progress, done, *size).await?;
        done = done.saturating_add(*size);
        progress.set_position(done);
        report.files.push(r);
    }
    let (cities, version) = rebuild_gazetteer(store).await?;
    report.cities_in_gazetteer = cities;
    report.catalogue_version = version;
    for f in report.files.iter().filter(|f| f.error.is_none()) {
        store.record_import(f, clock.now()).await?;
    }
    Ok(report)
}

async fn import_one(
    store: &PlaceStore,
    clock: &SharedClock,
    input: &ImportInput,
    progress: &Progress,
    done_before: u64,
    size: u64,
) -> anyhow::Result<FileReport> {
    let started = Instant::now();
    let file = input.path.as_path();
    let name = crate::import::dataset_name(file);
    let mut report = FileReport {
        file: file.to_path_buf(),
        source: input.source.clone(),
        ..FileReport::default()
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(BATCH * 2);
    let roads = spawn_road_graph(file);
    let transport = crate::transport::import::spawn(file);
    let path = file.to_path_buf();
    let options = input.options;
    let reader = tokio::task::spawn_blocking(move || {
        let mut on_event = |event: ImportEvent| {
            let msg = match event {
                ImportEvent::Place(p) => Msg::Place(p),
                ImportEvent::City(c) => Msg::City(Box::new(c)),
                ImportEvent::Skipped { reason, .. } => Msg::Skipped(reason),
                ImportEvent::Progress(p) => Msg::Progress(p),
            };
            // A closed channel means the writer failed; the reader just drains.
            let _ = tx.blocking_send(msg);
        };
        import_file_with(&path, options, &mut on_event)
    });

    let mut batch: Vec<Place> = Vec::with_capacity(BATCH);
    let mut cities: Vec<CityEntry> = Vec::new();
    let mut bounds: Option<BoundingBox> = None;
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Place(p) => {
                report.places_read += 1;
                if let Some(raw) = p.opening_hours.raw()
                    && !report.opening_hours_values.contains(raw)
                {
                    report.opening_hours_values.insert(raw.to_string());
                }
                match &mut bounds {
                    Some(b) => b.extend(p.position),
                    None => bounds = Some(BoundingBox::around(p.position)),
                }
                batch.push(*p);
                if batch.len() >= BATCH {
                    flush(store, clock, &mut batch, &mut report).await?;
                }
            }
            Msg::City(c) => cities.push(*c),
            Msg::Skipped(reason) => {
                *report.skipped.entry(skip_name(reason)).or_default() += 1;
            }
            Msg::Progress(p) => {
                progress.set_position(done_before.saturating_add(file_share(&p, size)));
                progress.set_message(format!("{name}: {} places", report.places_read));
            }
        }
    }
    flush(store, clock, &mut batch, &mut report).await?;
    report.cities = cities.len() as u64;
    report.bbox = bounds;
    store.upsert_city_entries(&cities).await?;
    match reader.await {
        Ok(Ok(summary)) => report.snapshot_at = summary.snapshot_at,
        Ok(Err(e)) => report.error = Some(e.to_string()),
        Err(e) => report.error = Some(format!("reader failed: {e}")),
    }
    match roads {
        // A file that failed leaves no street graph either.
        Some(task) if report.error.is_some() => task.abort(),
        Some(task) => report.roads = finish_road_graph(store, clock, input, task).await?,
        None => {}
    }
    match transport {
        Some(task) if report.error.is_some() => task.abort(),
        Some(task) => {
            report.transport =
                Some(crate::transport::import::finish(store, clock, input, task).await?);
        }
        None => {}
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Bytes of this file done, counting each pass of a multi-pass reader as a share of it.
fn file_share(p: &ImportProgress, size: u64) -> u64 {
    let passes = u64::from(p.passes.max(1));
    let pass = u64::from(p.pass.clamp(1, p.passes.max(1)));
    let total = p.bytes_total.max(1);
    let in_pass = p.bytes_read.min(total) as f64 / total as f64;
    let share = ((pass - 1) as f64 + in_pass) / passes as f64;
    (share * size as f64) as u64
}

async fn flush(
    store: &PlaceStore,
    clock: &SharedClock,
    batch: &mut Vec<Place>,
    report: &mut FileReport,
) -> anyhow::Result<()> {
    // The same element twice in one batch (e.g. a node repeated in a file): keep the last.
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<Place> = Vec::with_capacity(batch.len());
    for p in batch.drain(..).rev() {
        if seen.insert(p.id.as_str().to_string()) {
            unique.push(p);
        } else {
            report.unchanged += 1;
        }
    }
    for outcome in store.upsert_batch(&unique, clock.now()).await? {
        match outcome {
            UpsertOutcome::Inserted => report.inserted += 1,
            UpsertOutcome::Updated => report.updated += 1,
            UpsertOutcome::Unchanged => report.unchanged += 1,
        }
    }
    Ok(())
}

fn skip_name(reason: SkipReason) -> String {
    serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{reason:?}"))
}

/// Merges the duplicates of the whole catalogue (see [`crate::duplicates`]).
async fn merge_duplicates(
    store: &PlaceStore,
    candidates: &[DuplicateCandidate],
) -> anyhow::Result<()> {
    let pairs = find_duplicates(candidates);
    let mut winners: BTreeMap<usize, Place> = BTreeMap::new();
    let mut merges = Vec::with_capacity(pairs.len());
    for &(loser, winner) in &pairs {
        let (l, w) = (&candidates[loser].id, &candidates[winner].id);
        merges.push((l.clone(), w.clone()));
        let Some((loser_place, _, _)) = store.get(l).await? else {
            continue;
        };
        if let std::collections::btree_map::Entry::Vacant(slot) = winners.entry(winner) {
            let Some((p, _, _)) = store.get(w).await? else {
                continue;
            };
            slot.insert(p);
        }
        if let Some(w) = winners.get_mut(&winner) {
            absorb(w, &loser_place);
        }
    }
    let winners: Vec<Place> = winners.into_values().collect();
    store.apply_merges(&merges, &winners).await
}

/// Rebuilds the gazetteer from every stored city entry and place, merges duplicates; bumps
/// the version.
pub async fn rebuild_gazetteer(store: &PlaceStore) -> anyhow::Result<(usize, i64)> {
    let mut builder = GazetteerBuilder::new();
    for entry in store.city_entries().await? {
        builder.add_city(entry);
    }
    let mut after = String::new();
    let mut candidates: Vec<DuplicateCandidate> = Vec::new();
    loop {
        let page = store.places_after(&after, 2000).await?;
        let Some(last) = page.last() else { break };
        after = last.id.as_str().to_string();
        for p in &page {
            builder.add_place(p);
            candidates.push(DuplicateCandidate::from(p));
        }
    }
    merge_duplicates(store, &candidates).await?;
    let gazetteer = builder.build();
    let cities = gazetteer.into_cities();
    let version = store.replace_cities(&cities).await?;
    Ok((cities.len(), version))
}

/// `.osm.pbf`, `.pbf`, `.geojson` and `.json` files of a folder, sorted by name.
pub fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(data_files(&p));
        } else if crate::import::FileFormat::from_path(&p).is_some() {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The report as the CLI prints it.
pub fn render_report(r: &ImportReport) -> String {
    let mut out = String::new();
    for f in &r.files {
        out.push_str(&format!("{}\n", f.file.display()));
        if let Some(e) = &f.error {
            out.push_str(&format!("  ERROR: {e}\n"));
        }
        out.push_str(&format!(
            "  places read {}: new {}, updated {}, unchanged {}; cities {}; {} ms\n",
            f.places_read, f.inserted, f.updated, f.unchanged, f.cities, f.elapsed_ms
        ));
        if !f.skipped.is_empty() {
            let parts: Vec<String> = f.skipped.iter().map(|(k, v)| format!("{k} {v}")).collect();
            out.push_str(&format!("  skipped: {}\n", parts.join(", ")));
        }
        if let Some(g) = &f.roads {
            match &g.error {
                Some(e) => out.push_str(&format!("  street graph not built: {e}\n")),
                None => out.push_str(&format!(
                    "  street graph: {} nodes, {} edges; largest part foot {}, bike {}, car {}; {} stops; {} ms\n",
                    g.nodes, g.edges, g.foot_nodes, g.bike_nodes, g.car_nodes, g.stops, g.build_ms
                )),
            }
        }
        if let Some(t) = &f.transport {
            out.push_str(&format!("{}\n", t.line()));
        }
    }
    let new: u64 = r.files.iter().map(|f| f.inserted).sum();
    let updated: u64 = r.files.iter().map(|f| f.updated).sum();
    let unchanged: u64 = r.files.iter().map(|f| f.unchanged).sum();
    out.push_str(&format!(
        "total: new {new}, updated {updated}, unchanged {unchanged}; gazetteer {} cities; catalogue version {}\n",
        r.cities_in_gazetteer, r.catalogue_version
    ));
    out.push_str(&format!("{}\n", crate::OSM_ATTRIBUTION));
    out
}
