//! Building a dataset's tile set with tilemaker: the repository's config and Lua are written
//! next to the tile sets, tilemaker writes `.<id>.building.mbtiles`, and only a complete
//! file is renamed over `<id>.mbtiles` (a failed build leaves the previous tiles serving).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use super::tileset_id;

/// The tool's command name (looked up on `PATH`).
pub const TILEMAKER: &str = "tilemaker";

const CONFIG: &str = include_str!("../../basemap/tilemaker-config.json");
const PROCESS: &str = include_str!("../../basemap/tilemaker-process.lua");

/// What building one file's base map did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BasemapReport {
    pub file: PathBuf,
    /// The tile set's name in `/tiles/{tileset}/…`.
    pub tileset: Option<String>,
    pub tiles: u64,
    pub bytes: u64,
    pub build_ms: u64,
    /// tilemaker is not installed: nothing was built, maps have no base layer.
    pub tool_missing: bool,
    /// Why no tile set was built (the previous one, if any, is kept).
    pub error: Option<String>,
}

impl BasemapReport {
    /// One line for the import report.
    pub fn line(&self) -> String {
        match (&self.tileset, &self.error) {
            (_, Some(e)) => format!("  base map not built: {e}"),
            (Some(id), None) => format!(
                "  base map: tile set `{id}`, {} tiles, {:.2} MB; {} ms",
                self.tiles,
                self.bytes as f64 / 1_000_000.0,
                self.build_ms
            ),
            (None, None) => "  base map not built".into(),
        }
    }
}

/// Builds tile sets into one folder with one tilemaker binary.
#[derive(Debug, Clone)]
pub struct BasemapBuilder {
    dir: PathBuf,
    tool: PathBuf,
    /// tilemaker's worker threads; 0 = one per core.
    threads: u16,
}

impl BasemapBuilder {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self::with_tool(dir, TILEMAKER)
    }

    /// With another tilemaker binary (tests, unusual installs).
    pub fn with_tool(dir: impl Into<PathBuf>, tool: impl Into<PathBuf>) -> Self {
        BasemapBuilder {
            dir: dir.into(),
            tool: tool.into(),
            threads: 0,
        }
    }

    /// Limits tilemaker to `threads` (a background build beside a serving process).
    pub fn with_threads(mut self, threads: u16) -> Self {
        self.threads = threads;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the tool can be started at all.
    pub fn tool_available(&self) -> bool {
        Command::new(&self.tool)
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    /// Whether `pbf` already has a tile set at least as new as the file.
    pub fn is_current(&self, pbf: &Path) -> bool {
        let Some(id) = tileset_id(pbf) else {
            return false;
        };
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        match (
            modified(&self.dir.join(format!("{id}.mbtiles"))),
            modified(pbf),
        ) {
            (Some(tiles), Some(source)) => tiles >= source,
            _ => false,
        }
    }

    /// Builds the tile set of one `.osm.pbf`; `on_tile(done, total)` follows tilemaker's
    /// tile writing. Never panics; every failure is in the report.
    pub fn build(&self, pbf: &Path, on_tile: &mut dyn FnMut(u64, u64)) -> BasemapReport {
        let started = Instant::now();
        let mut report = BasemapReport {
            file: pbf.to_path_buf(),
            ..BasemapReport::default()
        };
        let Some(id) = tileset_id(pbf) else {
            report.error = Some(format!(
                "{}: no usable tile set name in this file name",
                pbf.display()
            ));
            return report;
        };
        match self.run(pbf, &id, on_tile) {
            Ok((tiles, bytes)) => {
                report.tileset = Some(id);
                report.tiles = tiles;
                report.bytes = bytes;
            }
            Err(BuildError::ToolMissing) => {
                report.tool_missing = true;
                report.error = Some(format!(
                    "`{}` is not installed (Debian: apt-get install tilemaker); maps show routes without a base layer",
                    self.tool.display()
                ));
            }
            Err(BuildError::Failed(e)) => report.error = Some(e),
        }
        report.build_ms = started.elapsed().as_millis() as u64;
        report
    }

    fn run(
        &self,
        pbf: &Path,
        id: &str,
        on_tile: &mut dyn FnMut(u64, u64),
    ) -> Result<(u64, u64), BuildError> {
        let io = |what: &str, e: std::io::Error| BuildError::Failed(format!("{what}: {e}"));
        let pbf = std::path::absolute(pbf).map_err(|e| io("input path", e))?;
        let work = self.dir.join(".tilemaker");
        std::fs::create_dir_all(&work).map_err(|e| io(&work.display().to_string(), e))?;
        let config = work.join("config.json");
        let process = work.join("process.lua");
        std::fs::write(&config, CONFIG).map_err(|e| io("writing the tilemaker config", e))?;
        std::fs::write(&process, PROCESS).map_err(|e| io("writing the tilemaker script", e))?;
        let partial = self.dir.join(format!(".{id}.building.mbtiles"));
        let _ = std::fs::remove_file(&partial);
        // Clipped extracts name nodes they lack, which tilemaker cannot skip: it reads a
        // copy without those references (clean.rs). Without osmium it reads the file as is.
        let cleaned = work.join(format!("{id}.clean.osm.pbf"));
        let (input, note) = if !super::clean::osmium_available() {
            (
                pbf.clone(),
                " (osmium-tool is not installed: clipped extracts are not cleaned)",
            )
        } else {
            match super::clean::clean_extract(&pbf, &cleaned) {
                Ok(_) => (cleaned.clone(), ""),
                Err(e) => {
                    tracing::warn!(file = %pbf.display(), error = %e, "extract not cleaned; tilemaker reads it as is");
                    (pbf.clone(), " (the extract could not be cleaned first)")
                }
            }
        };
        // The cleaned copy has no header: the original's box keeps the tile set's bounds.
        let bbox = if input == pbf {
            None
        } else {
            super::clean::header_bbox(&pbf)
        };
        let files = (
            input.as_path(),
            partial.as_path(),
            config.as_path(),
            process.as_path(),
        );
        let result = self.tilemaker(files, bbox.as_deref(), &work, on_tile);
        let _ = std::fs::remove_file(&cleaned);
        let tiles = result.map_err(|e| match e {
            BuildError::Failed(msg) => BuildError::Failed(format!(
                "tilemaker failed on {}: {msg}{note}",
                pbf.display()
            )),
            other => other,
        })?;
        let bytes = std::fs::metadata(&partial)
            .map_err(|e| io("tilemaker wrote no tile set", e))?
            .len();
        let target = self.dir.join(format!("{id}.mbtiles"));
        std::fs::rename(&partial, &target).map_err(|e| io("storing the tile set", e))?;
        Ok((tiles, bytes))
    }

    /// Runs tilemaker on `input` (with `bbox` when its header has none) into `partial`; the
    /// number of tiles it wrote.
    fn tilemaker(
        &self,
        (input, partial, config, process): (&Path, &Path, &Path, &Path),
        bbox: Option<&str>,
        work: &Path,
        on_tile: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, BuildError> {
        let io = |what: &str, e: std::io::Error| BuildError::Failed(format!("{what}: {e}"));
        let mut command = Command::new(&self.tool);
        if let Some(b) = bbox {
            command.arg("--bbox").arg(b);
        }
        let mut child = match command
            .arg("--input")
            .arg(input)
            .arg("--output")
            .arg(partial)
            .arg("--config")
            .arg(config)
            .arg("--process")
            .arg(process)
            .arg("--skip-integrity")
            .arg("--threads")
            .arg(self.threads.to_string())
            .current_dir(work)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(BuildError::ToolMissing);
            }
            Err(e) => return Err(io("starting tilemaker", e)),
        };
        // stderr on its own thread (its last lines explain a failure), stdout here: tilemaker
        // rewrites "writing tile i of n" with carriage returns.
        let stderr = child.stderr.take().map(|mut s| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = s.read_to_string(&mut text);
                text
            })
        });
        let mut tiles = 0u64;
        if let Some(out) = child.stdout.take() {
            let mut reader = BufReader::new(out);
            let mut chunk = Vec::new();
            while reader.read_until(b'\r', &mut chunk).unwrap_or(0) > 0 {
                for line in String::from_utf8_lossy(&chunk).split('\n') {
                    if let Some((done, total)) = tile_progress(line) {
                        tiles = total;
                        on_tile(done, total);
                    }
                }
                chunk.clear();
            }
        }
        let status = child.wait().map_err(|e| io("waiting for tilemaker", e))?;
        let errors = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
        if !status.success() {
            let _ = std::fs::remove_file(partial);
            return Err(BuildError::Failed(format!(
                "{status}: {}",
                last_lines(&errors, 2)
            )));
        }
        Ok(tiles)
    }
}

enum BuildError {
    ToolMissing,
    Failed(String),
}

/// `Zoom level 14, writing tile 18 of 19` → (18, 19).
fn tile_progress(line: &str) -> Option<(u64, u64)> {
    let rest = line.split("writing tile ").nth(1)?;
    let mut parts = rest.split_whitespace();
    let done = parts.next()?.parse().ok()?;
    if parts.next()? != "of" {
        return None;
    }
    let total = parts.next()?.parse().ok()?;
    Some((done, total))
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Block "))
        .collect();
    let from = lines.len().saturating_sub(n);
    let tail = lines.get(from..).unwrap_or_default().join(" / ");
    if tail.is_empty() {
        "no message".into()
    } else {
        tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tile_progress() {
        assert_eq!(
            tile_progress("Zoom level 14, writing tile 18 of 19               "),
            Some((18, 19))
        );
        assert_eq!(tile_progress("Sorting nodes"), None);
        assert_eq!(tile_progress("writing tile x of 3"), None);
    }

    #[test]
    fn explains_a_failure_by_its_last_lines() {
        let err = "Layer place\nBlock 1/7\rterminate called\n  what():  Could not find node 1\n";
        assert_eq!(
            last_lines(err, 2),
            "terminate called / what():  Could not find node 1"
        );
        assert_eq!(last_lines("", 2), "no message");
    }

    #[test]
    fn a_missing_tool_is_reported_not_raised() {
        let dir = std::env::temp_dir().join(format!("basemap-missing-{}", std::process::id()));
        let b = BasemapBuilder::with_tool(&dir, "/nonexistent/tilemaker");
        assert!(!b.tool_available());
        let r = b.build(Path::new("munchen.osm.pbf"), &mut |_, _| {});
        assert!(r.tool_missing);
        assert!(
            r.error
                .as_deref()
                .unwrap_or("")
                .contains("apt-get install tilemaker")
        );
        assert!(r.line().contains("base map not built"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
