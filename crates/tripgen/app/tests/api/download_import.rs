//! `tripgen import osm URL` and `tripgen cities` through the real binary, against a local
//! HTTP/1.1 server (started here) serving an OSM extract of the repository the way
//! Geofabrik does (`Content-Length`, `Range`/`If-Range`, an `.md5` next to the file): a clean
//! download, a transfer broken off half-way (resumed), one that keeps breaking (fails; a
//! later run resumes it), and a wrong checksum. The catalogue gets places only from a
//! complete, verified download.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use md5::{Digest, Md5};
use serde_json::Value;

use crate::common::osm_data;

const FILE: &str = "monaco.osm.pbf";
const ETAG: &str = "\"monaco-v1\"";
/// What a "broken" response sends before the connection drops.
const CUT_AT: usize = 64 * 1024;

/// Serves `/<mode>/monaco.osm.pbf` and `/<mode>/monaco.osm.pbf.md5`. Modes: `ok`; `nosum`
/// (no .md5); `badsum` (an .md5 that does not match); `cut-once` (the first full response
/// breaks off); `flaky` (every response breaks off while `broken` is set).
struct FileServer {
    base: String,
    /// `Range` header of every file request ("" when none).
    ranges: Arc<Mutex<Vec<String>>>,
    broken: Arc<AtomicBool>,
}

impl FileServer {
    fn start() -> FileServer {
        let body =
            Arc::new(std::fs::read(osm_data(&format!("city-extracts-2020/{FILE}"))).unwrap());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let ranges = Arc::new(Mutex::new(Vec::new()));
        let broken = Arc::new(AtomicBool::new(true));
        let cut_once = Arc::new(AtomicUsize::new(0));
        let (r, b) = (ranges.clone(), broken.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (body, r, b, c) = (body.clone(), r.clone(), b.clone(), cut_once.clone());
                std::thread::spawn(move || serve(stream, &body, &r, &b, &c));
            }
        });
        FileServer {
            base,
            ranges,
            broken,
        }
    }

    fn url(&self, mode: &str) -> String {
        format!("{}/{mode}/{FILE}", self.base)
    }

    fn ranges(&self) -> Vec<String> {
        self.ranges.lock().unwrap().clone()
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn serve(
    mut stream: TcpStream,
    body: &[u8],
    ranges: &Mutex<Vec<String>>,
    broken: &AtomicBool,
    cut_once: &AtomicUsize,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let (mut range, mut if_range) = (None::<u64>, None::<String>);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((&line, ""));
        let value = value.trim().to_string();
        match name.to_ascii_lowercase().as_str() {
            "range" => {
                range = value
                    .strip_prefix("bytes=")
                    .and_then(|v| v.strip_suffix('-'))
                    .and_then(|v| v.parse().ok());
                ranges.lock().unwrap().push(value);
            }
            "if-range" => if_range = Some(value),
            _ => {}
        }
    }
    let mode = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if path.ends_with(".md5") {
        let text = match mode {
            "nosum" => return respond(&mut stream, "404 Not Found", &[], b"not found"),
            "badsum" => format!("{}  {FILE}\n", md5_hex(b"something else")),
            _ => format!("{}  {FILE}\n", md5_hex(body)),
        };
        return respond(&mut stream, "200 OK", &[], text.as_bytes());
    }
    if !path.ends_with(FILE) {
        return respond(&mut stream, "404 Not Found", &[], b"not found");
    }
    if range.is_none() {
        ranges.lock().unwrap().push(String::new());
    }
    // Resume only the same version of the file.
    let start = match (range, if_range.as_deref()) {
        (Some(s), None | Some(ETAG)) => Some(s),
        _ => None,
    };
    let (status, extra, part): (&str, Vec<(&str, String)>, &[u8]) = match start {
        Some(s) if s as usize >= body.len() => {
            let total = format!("bytes */{}", body.len());
            return respond(
                &mut stream,
                "416 Range Not Satisfiable",
                &[("Content-Range", total)],
                b"",
            );
        }
        Some(s) => (
            "206 Partial Content",
            vec![(
                "Content-Range",
                format!("bytes {s}-{}/{}", body.len() - 1, body.len()),
            )],
            &body[s as usize..],
        ),
        None => ("200 OK", Vec::new(), body),
    };
    let cut = match mode {
        "flaky" => broken.load(Ordering::SeqCst),
        "cut-once" => start.is_none() && cut_once.fetch_add(1, Ordering::SeqCst) == 0,
        _ => false,
    };
    let mut headers = extra;
    headers.push(("ETag", ETAG.to_string()));
    headers.push(("Accept-Ranges", "bytes".to_string()));
    if cut {
        // Announce everything, send the first bytes, drop the connection.
        write_head(&mut stream, status, &headers, part.len());
        let _ = stream.write_all(&part[..CUT_AT.min(part.len())]);
        let _ = stream.flush();
        let _ = stream.shutdown(std::net::Shutdown::Both);
        return;
    }
    respond(&mut stream, status, &headers, part);
}

fn write_head(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], len: usize) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {len}\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    write_head(stream, status, headers, body.len());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

fn tripgen(data_dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tripgen"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("TRIPGEN_LOG__LEVEL", "error")
        .env("TRIPGEN_PROGRESS", "lines")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `tripgen cities --json`.
fn cities(data_dir: &Path) -> Vec<Value> {
    let out = tripgen(data_dir, &["cities", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

fn downloads(data_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir.join("downloads"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn downloads_verifies_imports_and_lists_the_city() {
    let server = FileServer::start();
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("ok");
    let out = tripgen(dir.path(), &["import", "osm", &url]);
    assert!(out.status.success(), "{}", text(&out));
    let all = text(&out);
    assert!(all.contains("verified"), "the .md5 was checked: {all}");
    assert!(
        all.contains("downloading monaco.osm.pbf"),
        "progress lines: {all}"
    );
    assert!(downloads(dir.path()).is_empty(), "nothing left behind");

    let listed = cities(dir.path());
    let monaco = listed
        .iter()
        .find(|c| c["nameEn"] == "Monaco" || c["name"] == "Monaco")
        .unwrap_or_else(|| panic!("Monaco listed: {listed:?}"));
    assert!(monaco["placeCount"].as_u64().unwrap() > 10, "{monaco}");
    assert_eq!(monaco["lastImport"]["source"], url.as_str());
    assert!(monaco["lastImport"]["importedAt"].is_string());
    let table = tripgen(dir.path(), &["cities"]);
    let t = String::from_utf8_lossy(&table.stdout);
    assert!(t.contains("Monaco") && t.contains(&url), "{t}");
    assert!(t.contains("OpenStreetMap contributors"), "{t}");
}

#[test]
fn a_broken_transfer_is_resumed_with_range() {
    let server = FileServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = tripgen(dir.path(), &["import", "osm", &server.url("cut-once")]);
    assert!(out.status.success(), "{}", text(&out));
    let ranges = server.ranges();
    assert_eq!(
        ranges,
        vec![String::new(), format!("bytes={CUT_AT}-")],
        "a full request, then a resume where it broke off"
    );
    assert!(!cities(dir.path()).is_empty());
}

#[test]
fn an_incomplete_download_imports_nothing_and_resumes_next_run() {
    let server = FileServer::start();
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("flaky");
    let out = tripgen(dir.path(), &["import", "osm", &url]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("did not complete"), "{}", text(&out));
    assert!(cities(dir.path()).is_empty(), "nothing imported");
    let part = dir.path().join("downloads").join(format!("{FILE}.part"));
    let kept = std::fs::metadata(&part)
        .expect("the partial file is kept")
        .len();
    assert!(kept >= CUT_AT as u64, "{kept}");

    server.broken.store(false, Ordering::SeqCst);
    let out = tripgen(dir.path(), &["import", "osm", &url]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        server.ranges().last().cloned(),
        Some(format!("bytes={kept}-")),
        "the next run resumes the kept bytes"
    );
    assert!(!cities(dir.path()).is_empty());
    assert!(downloads(dir.path()).is_empty());
}

#[test]
fn a_wrong_checksum_imports_nothing() {
    let server = FileServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = tripgen(dir.path(), &["import", "osm", &server.url("badsum")]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("checksum mismatch"), "{}", text(&out));
    assert!(cities(dir.path()).is_empty(), "nothing imported");
    assert!(
        downloads(dir.path()).is_empty(),
        "the bad download was removed"
    );
    // Together with a good local file: still nothing, because downloads come first.
    let local = osm_data("city-extracts-2020/monaco.osm.pbf");
    let out = tripgen(
        dir.path(),
        &[
            "import",
            "osm",
            local.to_str().unwrap(),
            &server.url("badsum"),
        ],
    );
    assert!(!out.status.success());
    assert!(cities(dir.path()).is_empty(), "not half-imported");
}

#[test]
fn without_a_published_checksum_the_size_is_checked_and_it_imports() {
    let server = FileServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = tripgen(dir.path(), &["import", "osm", &server.url("nosum")]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("no checksum published"),
        "{}",
        text(&out)
    );
    assert!(!cities(dir.path()).is_empty());
}

#[test]
fn bad_urls_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    for (url, says) in [
        (
            "ftp://example.org/monaco.osm.pbf",
            "only http:// and https://",
        ),
        ("http://127.0.0.1:9/europe/", "does not name a file"),
        ("http://127.0.0.1:9/monaco.zip", "must name a .osm.pbf"),
    ] {
        let out = tripgen(dir.path(), &["import", "osm", url]);
        assert!(!out.status.success(), "{url}");
        assert!(text(&out).contains(says), "{url}: {}", text(&out));
    }
    // Nothing listening: a clear error after the attempts, not a panic.
    let out = tripgen(
        dir.path(),
        &["import", "osm", "http://127.0.0.1:9/monaco.osm.pbf"],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("did not complete"), "{}", text(&out));
}
