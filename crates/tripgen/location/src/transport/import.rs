//! `tripgen import osm`: each `.osm.pbf`'s transport network, read on a blocking thread
//! while the places are read on another, stored when the file imported well.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use tripgen_platform::SharedClock;

use super::{HubKind, TransportNetwork, read_transport};
use crate::error::ImportError;
use crate::import::{FileFormat, dataset_name};
use crate::importer::ImportInput;
use crate::store::PlaceStore;

/// What one file's transport network holds (the import report's line).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransportReport {
    pub stations: usize,
    pub ferry_terminals: usize,
    pub ferry_routes: usize,
    pub build_ms: u64,
    /// Set when the file's network could not be read; the places are imported all the same.
    pub error: Option<String>,
}

impl TransportReport {
    pub fn line(&self) -> String {
        match &self.error {
            Some(e) => format!("  transport points not read: {e}"),
            None => format!(
                "  transport: {} stations, {} ferry terminals, {} ferry routes; {} ms",
                self.stations, self.ferry_terminals, self.ferry_routes, self.build_ms
            ),
        }
    }
}

/// The network being read and how long it took, in ms.
pub type TransportTask = tokio::task::JoinHandle<(Result<TransportNetwork, ImportError>, u64)>;

/// Reads the network of an `.osm.pbf` (GeoJSON layers have none).
pub fn spawn(path: &Path) -> Option<TransportTask> {
    if FileFormat::from_path(path) != Some(FileFormat::OsmPbf) {
        return None;
    }
    let path = path.to_path_buf();
    Some(tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let network = read_transport(&path);
        (network, started.elapsed().as_millis() as u64)
    }))
}

/// Stores the network read by `task` under the file's dataset name.
pub async fn finish(
    store: &PlaceStore,
    clock: &SharedClock,
    input: &ImportInput,
    task: TransportTask,
) -> anyhow::Result<TransportReport> {
    let (network, build_ms) = match task.await {
        Ok(done) => done,
        Err(e) => (
            Err(ImportError::pbf(
                &input.path,
                format!("transport points: {e}"),
            )),
            0,
        ),
    };
    let mut report = TransportReport {
        build_ms,
        ..TransportReport::default()
    };
    match network {
        Ok(n) => {
            let count = |k| n.hubs.iter().filter(|h| h.kind == k).count();
            report.stations = count(HubKind::Station);
            report.ferry_terminals = count(HubKind::FerryTerminal);
            report.ferry_routes = n.ferries.len();
            store
                .save_transport_network(&dataset_name(&input.path), &input.source, &n, clock.now())
                .await?;
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    Ok(report)
}
