//! Downloads of OSM extracts for `tripgen import osm URL…`: into `<data_dir>/downloads`,
//! with progress, resumed with `Range` after a broken connection (in this run or the next
//! one), restarted cleanly when the server cannot resume or the file changed, and verified
//! against the size the server announced and the `.md5` file next to it when there is one
//! (Geofabrik publishes `<file>.md5`). Only a complete, verified file leaves this module;
//! until then it is `<name>.part`, which the importer never reads.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use md5::{Digest, Md5};
use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_LENGTH, CONTENT_RANGE, ETAG, HeaderMap, IF_RANGE, LAST_MODIFIED, RANGE,
};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tripgen_platform::progress::{Progress, Unit};

/// Transfers tried before giving up (each resumes where the last one stopped).
const ATTEMPTS: u32 = 4;
/// Pause before another attempt.
const RETRY_PAUSE: Duration = Duration::from_millis(500);
/// A transfer that sends nothing for this long is treated as broken (and resumed).
const READ_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A complete, verified download.
#[derive(Debug, Clone)]
pub struct Downloaded {
    pub url: String,
    pub path: PathBuf,
    pub bytes: u64,
    /// The MD5 the server published and the file matched, if it published one.
    pub md5: Option<String>,
}

/// Whether `arg` names something to download rather than a local file (any `scheme://`;
/// [`download`] then refuses what is not http or https).
pub fn is_url(arg: &str) -> bool {
    arg.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic())
    })
}

/// What a `.part` file was downloaded from, so the next run resumes only the same file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct PartMeta {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    total: Option<u64>,
}

pub fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .user_agent(concat!("TripGen/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot build the HTTP client")
}

/// The file name an URL's last path segment gives; it must be a format the importer reads.
pub fn file_name(url: &reqwest::Url) -> anyhow::Result<String> {
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("{url}: the URL does not name a file"))?;
    let decoded = percent_decode(&name);
    let safe = !decoded.contains(['/', '\\']) && !decoded.starts_with('.');
    if !safe || tripgen_location::FileFormat::from_path(Path::new(&decoded)).is_none() {
        bail!("{url}: the URL must name a .osm.pbf, .pbf, .geojson or .json file");
    }
    Ok(decoded)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Downloads `url` into `dir` (see the module documentation).
pub async fn download(
    client: &reqwest::Client,
    url: &str,
    dir: &Path,
) -> anyhow::Result<Downloaded> {
    let parsed = reqwest::Url::parse(url).with_context(|| format!("{url}: not a valid URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        bail!("{url}: only http:// and https:// URLs can be downloaded");
    }
    let name = file_name(&parsed)?;
    tokio::fs::create_dir_all(dir)
        .await
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let part = dir.join(format!("{name}.part"));
    let meta_path = dir.join(format!("{name}.part.json"));
    let expected_md5 = published_md5(client, &parsed).await;

    let progress = Progress::new(format!("downloading {name}"), None, Unit::Bytes);
    let mut last_error = None;
    let mut complete = None;
    for attempt in 1..=ATTEMPTS {
        if attempt > 1 {
            tokio::time::sleep(RETRY_PAUSE).await;
        }
        match transfer(client, url, &part, &meta_path, &progress).await {
            Ok(total) => {
                complete = Some(total);
                break;
            }
            Err(Transfer::Fatal(e)) => {
                progress.abandon();
                return Err(e);
            }
            Err(Transfer::Retry(e)) => {
                tracing::warn!(attempt, error = %format!("{e:#}"), "download interrupted; resuming");
                last_error = Some(e);
            }
        }
    }
    let Some(bytes) = complete else {
        progress.abandon();
        let e = last_error.unwrap_or_else(|| anyhow::anyhow!("no transfer attempted"));
        bail!(
            "{url}: the download did not complete after {ATTEMPTS} attempts ({e:#}); \
             run the command again to resume from {}",
            part.display()
        );
    };
    progress.finish("complete");

    let md5 = match expected_md5 {
        Some(expected) => {
            let actual = file_md5(&part).await?;
            if actual != expected {
                discard(&part, &meta_path).await;
                bail!(
                    "{url}: checksum mismatch (the server's .md5 says {expected}, the \
                     download is {actual}); the download was removed, nothing was imported"
                );
            }
            Some(actual)
        }
        None => None,
    };
    let path = dir.join(&name);
    tokio::fs::rename(&part, &path)
        .await
        .with_context(|| format!("cannot move {} to {}", part.display(), path.display()))?;
    let _ = tokio::fs::remove_file(&meta_path).await;
    Ok(Downloaded {
        url: url.to_string(),
        path,
        bytes,
        md5,
    })
}

enum Transfer {
    /// Try again (resuming): a broken connection, a short body, a 5xx answer.
    Retry(anyhow::Error),
    /// No point trying again: 404, a disk error.
    Fatal(anyhow::Error),
}

fn fatal(e: impl Into<anyhow::Error>) -> Transfer {
    Transfer::Fatal(e.into())
}

/// One request: resumes `part` when it belongs to `url`; returns the size when complete.
async fn transfer(
    client: &reqwest::Client,
    url: &str,
    part: &Path,
    meta_path: &Path,
    progress: &Progress,
) -> Result<u64, Transfer> {
    let meta = read_meta(meta_path).await;
    let mut have = match tokio::fs::metadata(part).await {
        Ok(m) if meta.as_ref().is_some_and(|m| m.url == url) => m.len(),
        _ => 0,
    };
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(RANGE, format!("bytes={have}-"));
        // The server sends the whole (new) file instead if it changed since.
        if let Some(v) = meta
            .as_ref()
            .and_then(|m| m.etag.clone().or(m.last_modified.clone()))
        {
            request = request.header(IF_RANGE, v);
        }
    }
    let mut resp = request
        .send()
        .await
        .map_err(|e| Transfer::Retry(anyhow::anyhow!("{url}: {}", e.without_url())))?;
    let status = resp.status();
    let total = match status {
        StatusCode::PARTIAL_CONTENT if have > 0 => {
            let (start, total) = content_range(resp.headers()).ok_or_else(|| {
                Transfer::Retry(anyhow::anyhow!("{url}: unreadable Content-Range"))
            })?;
            if start != have {
                // Not the range asked for: start again from zero.
                discard(part, meta_path).await;
                return Err(Transfer::Retry(anyhow::anyhow!(
                    "{url}: the server resumed at byte {start}, not {have}"
                )));
            }
            total
        }
        StatusCode::OK => {
            // A fresh download, or the server cannot resume (or the file changed).
            have = 0;
            content_length(resp.headers())
        }
        StatusCode::RANGE_NOT_SATISFIABLE if meta.as_ref().and_then(|m| m.total) == Some(have) => {
            return Ok(have);
        }
        StatusCode::RANGE_NOT_SATISFIABLE => {
            discard(part, meta_path).await;
            return Err(Transfer::Retry(anyhow::anyhow!(
                "{url}: the server cannot resume this download; restarting"
            )));
        }
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => {
            return Err(Transfer::Retry(anyhow::anyhow!(
                "{url}: the server answered {s}"
            )));
        }
        s => return Err(fatal(anyhow::anyhow!("{url}: the server answered {s}"))),
    };
    let new_meta = PartMeta {
        url: url.to_string(),
        etag: header(resp.headers(), ETAG),
        last_modified: header(resp.headers(), LAST_MODIFIED),
        total,
    };
    write_meta(meta_path, &new_meta).await.map_err(fatal)?;
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(have > 0)
        .truncate(have == 0)
        .open(part)
        .await
        .with_context(|| format!("cannot write {}", part.display()))
        .map_err(fatal)?;
    if let Some(t) = total {
        progress.set_length(t);
    }
    progress.set_position(have);
    progress.reset_eta();
    let mut received = have;
    let outcome = loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if let Err(e) = file.write_all(&chunk).await {
                    break Err(fatal(
                        anyhow::Error::new(e).context(format!("cannot write {}", part.display())),
                    ));
                }
                received = received.saturating_add(chunk.len() as u64);
                progress.set_position(received);
            }
            Ok(None) => break Ok(()),
            Err(e) => {
                break Err(Transfer::Retry(anyhow::anyhow!(
                    "{url}: the transfer broke off after {received} bytes: {}",
                    e.without_url()
                )));
            }
        }
    };
    // Whatever arrived is kept for the next attempt.
    file.flush()
        .await
        .with_context(|| format!("cannot write {}", part.display()))
        .map_err(fatal)?;
    outcome?;
    match total {
        Some(t) if received < t => Err(Transfer::Retry(anyhow::anyhow!(
            "{url}: the transfer ended after {received} of {t} bytes"
        ))),
        Some(t) if received > t => {
            discard(part, meta_path).await;
            Err(Transfer::Retry(anyhow::anyhow!(
                "{url}: received {received} bytes, more than the announced {t}; restarting"
            )))
        }
        _ => Ok(received),
    }
}

/// The MD5 published next to the file (`<url>.md5`, first word of its first line), if any.
async fn published_md5(client: &reqwest::Client, url: &reqwest::Url) -> Option<String> {
    let mut md5_url = url.clone();
    md5_url.set_path(&format!("{}.md5", url.path()));
    let resp = client
        .get(md5_url)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .ok()?;
    if !resp.status().is_success() {
        return None;
    }
    let text = resp.text().await.ok()?;
    let word = text.split_whitespace().next()?.to_ascii_lowercase();
    if word.len() == 32 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(word)
    } else {
        tracing::warn!(%url, "the .md5 next to the file is not an MD5 sum; not verified");
        None
    }
}

async fn file_md5(path: &Path) -> anyhow::Result<String> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
        use std::io::Read;
        let mut file = std::fs::File::open(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut hasher = Md5::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let digest = hasher.finalize();
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    })
    .await?
}

fn header(h: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    h.get(name)?.to_str().ok().map(str::to_string)
}

fn content_length(h: &HeaderMap) -> Option<u64> {
    header(h, CONTENT_LENGTH)?.parse().ok()
}

/// `bytes START-END/TOTAL` → (START, TOTAL if known).
fn content_range(h: &HeaderMap) -> Option<(u64, Option<u64>)> {
    let v = header(h, CONTENT_RANGE)?;
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()))
}

async fn read_meta(path: &Path) -> Option<PartMeta> {
    let text = tokio::fs::read_to_string(path).await.ok()?;
    serde_json::from_str(&text).ok()
}

async fn write_meta(path: &Path, meta: &PartMeta) -> anyhow::Result<()> {
    let text = serde_json::to_string(meta)?;
    tokio::fs::write(path, text)
        .await
        .with_context(|| format!("cannot write {}", path.display()))
}

async fn discard(part: &Path, meta: &Path) {
    let _ = tokio::fs::remove_file(part).await;
    let _ = tokio::fs::remove_file(meta).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        let u = |s: &str| reqwest::Url::parse(s).unwrap();
        assert_eq!(
            file_name(&u(
                "https://download.geofabrik.de/europe/monaco-latest.osm.pbf"
            ))
            .unwrap(),
            "monaco-latest.osm.pbf"
        );
        assert_eq!(
            file_name(&u("http://h/x/caf%C3%A9s.geojson?x=1")).unwrap(),
            "cafés.geojson"
        );
        assert!(file_name(&u("https://h/europe/")).is_err());
        assert!(file_name(&u("https://h/a.zip")).is_err());
        assert!(file_name(&u("https://h/..%2F..%2Fx.pbf")).is_err());
    }

    #[test]
    fn content_ranges() {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_RANGE, "bytes 100-199/400".parse().unwrap());
        assert_eq!(content_range(&h), Some((100, Some(400))));
        h.insert(CONTENT_RANGE, "bytes 100-199/*".parse().unwrap());
        assert_eq!(content_range(&h), Some((100, None)));
        h.insert(CONTENT_RANGE, "junk".parse().unwrap());
        assert_eq!(content_range(&h), None);
    }

    #[test]
    fn urls_are_told_from_files() {
        assert!(is_url("https://download.geofabrik.de/x.osm.pbf"));
        assert!(is_url("HTTP://h/x.pbf"));
        assert!(!is_url("data/osm"));
        assert!(
            is_url("ftp://h/x.pbf"),
            "refused by download(), not read as a file"
        );
        assert!(!is_url("./a://b.pbf"));
    }
}
