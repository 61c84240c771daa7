//! Running builds: in order with a progress display (`tripgen import osm`), or in the
//! background for extracts that have no current tile set yet (a server's start).

use std::path::PathBuf;

use tripgen_platform::progress::Progress;

use super::{BasemapBuilder, BasemapReport};
use crate::import::FileFormat;

fn pbf_files(files: &[PathBuf]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| FileFormat::from_path(f) == Some(FileFormat::OsmPbf))
        .cloned()
        .collect()
}

/// Builds the tile set of every `.osm.pbf` among `files`, one after the other, showing the
/// tiles written on `progress`. A missing tilemaker is reported once, for every file.
pub async fn build_all(
    builder: &BasemapBuilder,
    files: &[PathBuf],
    progress: &Progress,
) -> Vec<BasemapReport> {
    let files = pbf_files(files);
    let builder = builder.clone();
    let progress = progress.clone();
    let task = tokio::task::spawn_blocking(move || {
        let mut reports = Vec::with_capacity(files.len());
        if let Err(e) = std::fs::create_dir_all(builder.dir()) {
            return files
                .into_iter()
                .map(|file| BasemapReport {
                    file,
                    error: Some(format!("{}: {e}", builder.dir().display())),
                    ..BasemapReport::default()
                })
                .collect();
        }
        for file in files {
            if reports.iter().any(|r: &BasemapReport| r.tool_missing) {
                let first = reports.iter().find(|r| r.tool_missing).cloned();
                reports.push(BasemapReport {
                    file,
                    ..first.unwrap_or_default()
                });
                continue;
            }
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            progress.set_message(format!("{name}: reading"));
            progress.set_position(0);
            let r = builder.build(&file, &mut |done, total| {
                progress.set_length(total);
                progress.set_position(done);
                progress.set_message(format!("{name}: tiles"));
            });
            reports.push(r);
        }
        reports
    });
    task.await.unwrap_or_default()
}

/// Starts building, on a background thread, the tile sets that `files` lack or that are
/// older than their extract; progress and the outcome go to the log.
pub fn spawn_missing(builder: BasemapBuilder, files: Vec<PathBuf>) {
    // One core: the server is answering requests on the other.
    let builder = builder.with_threads(1);
    let missing: Vec<PathBuf> = pbf_files(&files)
        .into_iter()
        .filter(|f| !builder.is_current(f))
        .collect();
    if missing.is_empty() {
        return;
    }
    if !builder.tool_available() {
        tracing::warn!(
            files = missing.len(),
            "base map tiles not built: tilemaker is not installed (Debian: apt-get install tilemaker); maps show routes without a base layer"
        );
        return;
    }
    std::thread::spawn(move || {
        if let Err(e) = std::fs::create_dir_all(builder.dir()) {
            tracing::error!(dir = %builder.dir().display(), error = %e, "tile folder not writable");
            return;
        }
        for file in missing {
            tracing::info!(file = %file.display(), "building base map tiles");
            let r = builder.build(&file, &mut |_, _| {});
            match &r.error {
                None => tracing::info!(
                    tileset = r.tileset.as_deref().unwrap_or(""),
                    tiles = r.tiles,
                    bytes = r.bytes,
                    ms = r.build_ms,
                    "base map tiles built"
                ),
                Some(e) => {
                    tracing::warn!(file = %file.display(), error = %e, "base map tiles not built")
                }
            }
        }
    });
}
