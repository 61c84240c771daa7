//! The pre-pass before tilemaker: a clipped extract (a city centre cut out of a region) has
//! ways and relations that name nodes and ways the clip dropped, and tilemaker 2.2 aborts on
//! them (`Could not find node …` while it sorts multipolygon ways) even with
//! `--skip-integrity`. The pre-pass writes a copy that keeps only references to elements in
//! the file: osmium (Debian `osmium-tool`) turns the PBF into OPL text, [`OplCleaner`] drops
//! the dangling references line by line, osmium writes the result back as PBF.
//!
//! Streaming, one pass: a sorted extract lists nodes, then ways, then relations, so every
//! element is known before anything refers to it; memory is the set of element ids. A way
//! left with fewer than two nodes is dropped (it draws nothing); relation members that are
//! nodes or ways missing from the file are dropped, relation members stay (tilemaker skips
//! those itself).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The tool's command name (looked up on `PATH`).
pub const OSMIUM: &str = "osmium";

/// What the pre-pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CleanStats {
    pub ways_dropped: u64,
    pub node_refs_dropped: u64,
    pub members_dropped: u64,
}

/// Drops references to elements not in the file, one OPL line at a time.
#[derive(Debug, Default)]
pub struct OplCleaner {
    nodes: HashSet<i64>,
    ways: HashSet<i64>,
    pub stats: CleanStats,
}

/// The id of an OPL element reference (`n123`, `w-5`), `None` when it is not one.
fn ref_id(r: &str) -> Option<i64> {
    r.get(1..)?.parse().ok()
}

impl OplCleaner {
    /// The line to write for `line` (`None`: leave the element out).
    pub fn line(&mut self, line: &str) -> Option<String> {
        let kind = line.as_bytes().first().copied();
        match kind {
            Some(b'n') => {
                if let Some(id) = line.split(' ').next().and_then(ref_id) {
                    self.nodes.insert(id);
                }
                Some(line.to_string())
            }
            Some(b'w') => self.way(line),
            Some(b'r') => Some(self.relation(line)),
            _ => Some(line.to_string()),
        }
    }

    fn way(&mut self, line: &str) -> Option<String> {
        let mut fields: Vec<String> = line.split(' ').map(str::to_string).collect();
        let id = fields.first().and_then(|f| ref_id(f))?;
        if let Some(field) = fields.iter_mut().find(|f| f.starts_with('N')) {
            let refs: Vec<&str> = field[1..].split(',').filter(|r| !r.is_empty()).collect();
            let kept: Vec<&str> = refs
                .iter()
                .copied()
                .filter(|r| ref_id(r).is_some_and(|n| self.nodes.contains(&n)))
                .collect();
            self.stats.node_refs_dropped += (refs.len() - kept.len()) as u64;
            if kept.len() < 2 {
                self.stats.ways_dropped += 1;
                return None;
            }
            *field = format!("N{}", kept.join(","));
        }
        self.ways.insert(id);
        Some(fields.join(" "))
    }

    fn relation(&mut self, line: &str) -> String {
        let mut fields: Vec<String> = line.split(' ').map(str::to_string).collect();
        if let Some(field) = fields.iter_mut().find(|f| f.starts_with('M')) {
            let members: Vec<&str> = field[1..].split(',').filter(|m| !m.is_empty()).collect();
            let kept: Vec<&str> = members
                .iter()
                .copied()
                .filter(|m| {
                    // `<type><id>@<role>`; a role's own `@` is %-escaped in OPL.
                    let target = m.split('@').next().unwrap_or("");
                    match (target.as_bytes().first(), ref_id(target)) {
                        (Some(b'n'), Some(id)) => self.nodes.contains(&id),
                        (Some(b'w'), Some(id)) => self.ways.contains(&id),
                        _ => true,
                    }
                })
                .collect();
            self.stats.members_dropped += (members.len() - kept.len()) as u64;
            *field = format!("M{}", kept.join(","));
        }
        fields.join(" ")
    }
}

/// The extract's header box as tilemaker's `--bbox` wants it (`minlon,minlat,maxlon,maxlat`):
/// the OPL round trip loses the header, and without it tilemaker would take the box of
/// every node, including those of ways reaching out of the clip.
pub fn header_bbox(pbf: &Path) -> Option<String> {
    let mut reader = osmpbf::BlobReader::from_path(pbf).ok()?;
    let blob = reader.next()?.ok()?;
    let osmpbf::BlobDecode::OsmHeader(header) = blob.decode().ok()? else {
        return None;
    };
    let b = header.bbox()?;
    let (south, north) = (b.top.min(b.bottom), b.top.max(b.bottom));
    let (west, east) = (b.left.min(b.right), b.left.max(b.right));
    let valid = (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north)
        && (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east);
    valid.then(|| format!("{west:.7},{south:.7},{east:.7},{north:.7}"))
}

/// Whether osmium can be started at all.
pub fn osmium_available() -> bool {
    Command::new(OSMIUM)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Writes `output` (`.osm.pbf`): `input` without references to elements it lacks.
pub fn clean_extract(input: &Path, output: &Path) -> Result<CleanStats, String> {
    let spawn = |args: &[&std::ffi::OsStr], stdin: Stdio, stdout: Stdio| {
        Command::new(OSMIUM)
            .args(args)
            .stdin(stdin)
            .stdout(stdout)
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting osmium: {e}"))
    };
    let mut reader = spawn(
        &[
            "cat".as_ref(),
            "--output-format".as_ref(),
            "opl".as_ref(),
            input.as_os_str(),
        ],
        Stdio::null(),
        Stdio::piped(),
    )?;
    let mut writer = match spawn(
        &[
            "cat".as_ref(),
            "--overwrite".as_ref(),
            "--input-format".as_ref(),
            "opl".as_ref(),
            "--output".as_ref(),
            output.as_os_str(),
            "-".as_ref(),
        ],
        Stdio::piped(),
        Stdio::null(),
    ) {
        Ok(w) => w,
        Err(e) => {
            let _ = reader.kill();
            let _ = reader.wait();
            return Err(e);
        }
    };
    let errors = |child: &mut std::process::Child| {
        child.stderr.take().map(|mut s| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = s.read_to_string(&mut text);
                text
            })
        })
    };
    let (read_errors, write_errors) = (errors(&mut reader), errors(&mut writer));
    let mut cleaner = OplCleaner::default();
    let piped = match (reader.stdout.take(), writer.stdin.take()) {
        (Some(from), Some(to)) => pipe(&mut cleaner, from, to),
        _ => Err("osmium's pipes were not opened".to_string()),
    };
    let read = reader.wait().map_err(|e| format!("osmium: {e}"))?;
    let written = writer.wait().map_err(|e| format!("osmium: {e}"))?;
    let text = |h: Option<std::thread::JoinHandle<String>>| {
        h.and_then(|h| h.join().ok())
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let (read_text, write_text) = (text(read_errors), text(write_errors));
    if !read.success() {
        return Err(format!(
            "osmium could not read the extract ({read}): {read_text}"
        ));
    }
    if !written.success() {
        return Err(format!(
            "osmium could not write the cleaned copy ({written}): {write_text}"
        ));
    }
    piped?;
    Ok(cleaner.stats)
}

fn pipe(cleaner: &mut OplCleaner, from: impl Read, to: impl Write) -> Result<(), String> {
    let mut out = BufWriter::new(to);
    for line in BufReader::new(from).lines() {
        let line = line.map_err(|e| format!("reading osmium's output: {e}"))?;
        if let Some(kept) = cleaner.line(&line) {
            writeln!(out, "{kept}").map_err(|e| format!("feeding osmium: {e}"))?;
        }
    }
    out.flush().map_err(|e| format!("feeding osmium: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_dangling_references() {
        let mut c = OplCleaner::default();
        let lines = [
            "n1 v1 T x1 y1",
            "n2 v1 Tname=A%20%b x1.1 y1.1",
            "n3 v1 T x1.2 y1.2",
            "w10 v1 Thighway=path Nn1,n2,n99,n3",
            "w11 v1 Tbuilding=yes Nn98,n1",
            "w12 v1 T N",
            "r20 v1 Ttype=multipolygon Mw10@outer,w11@inner,w77@outer,n2@label,n55@,r5@sub",
        ];
        let out: Vec<Option<String>> = lines.iter().map(|l| c.line(l)).collect();
        assert_eq!(out[1].as_deref(), Some(lines[1]));
        assert_eq!(
            out[3].as_deref(),
            Some("w10 v1 Thighway=path Nn1,n2,n3"),
            "the missing node is cut out"
        );
        assert_eq!(out[4], None, "one node left: nothing to draw");
        assert_eq!(out[5], None);
        assert_eq!(
            out[6].as_deref(),
            Some("r20 v1 Ttype=multipolygon Mw10@outer,n2@label,r5@sub")
        );
        assert_eq!(
            c.stats,
            CleanStats {
                ways_dropped: 2,
                node_refs_dropped: 2,
                members_dropped: 3,
            }
        );
    }

    #[test]
    fn the_header_box_of_an_extract() {
        let pbf = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../data/osm/helsinki-centre/Helsinki.osm.pbf");
        assert_eq!(
            header_bbox(&pbf).as_deref(),
            Some("24.9351763,60.1641550,24.9534146,60.1791130")
        );
        assert_eq!(header_bbox(Path::new("/nonexistent.osm.pbf")), None);
    }

    #[test]
    fn an_unreadable_extract_is_an_error_not_a_panic() {
        // The Helsinki extract's clean build runs in the tile API test; here a broken input.
        if !osmium_available() {
            eprintln!("SKIPPED: osmium is not installed (Debian: osmium-tool)");
            return;
        }
        let dir = std::env::temp_dir().join(format!("clean-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let bad = dir.join("bad.osm.pbf");
        let _ = std::fs::write(&bad, b"not a pbf");
        let r = clean_extract(&bad, &dir.join("out.osm.pbf"));
        assert!(r.is_err(), "{r:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
