//! Conditional reads of per-user JSON (RFC 9110 §8.8.3, §13.1.2): a weak `ETag` made from
//! the body's bytes, `If-None-Match` answered 304 without a body, and the cache policy
//! `private, no-cache` (a browser keeps the body but revalidates it on every use, so an
//! edit shows at once; personal data stays `no-store`). Weak, because the same JSON goes out gzip-compressed or not: the
//! representations are equivalent, not byte-identical.
//!
//! [`StoredBody`] is a body serialised (and gzip-compressed) once and sent as it is many
//! times: the response compression layer leaves a body with a `Content-Encoding` alone.

use axum::body::Body;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Per-user data: never in shared caches; the browser asks again before reusing it.
pub const PRIVATE_NO_CACHE: HeaderValue = HeaderValue::from_static("private, no-cache");
/// Personal data (the profile): a browser keeps no copy; a client that keeps the body
/// itself may still revalidate it with the `ETag`.
pub const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// `W/"<32 hex digits>"`: the first 128 bits of the body's SHA-256.
pub fn weak_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let mut tag = String::with_capacity(38);
    tag.push_str("W/\"");
    for b in &digest[..16] {
        tag.push_str(&format!("{b:02x}"));
    }
    tag.push('"');
    tag
}

/// Whether `If-None-Match` names `etag` (weak comparison: `W/` is ignored) or is `*`.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(etag);
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

/// Whether the client takes gzip (`Accept-Encoding: gzip` without `q=0`).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

fn headers_of(
    etag: &str,
    policy: HeaderValue,
) -> Option<[(axum::http::HeaderName, HeaderValue); 3]> {
    Some([
        (ETAG, HeaderValue::from_str(etag).ok()?),
        (CACHE_CONTROL, policy),
        (VARY, HeaderValue::from_static("accept-encoding")),
    ])
}

/// 304 with the validator and the cache policy, no body.
fn not_modified_response(etag: &str, policy: HeaderValue) -> Response {
    match headers_of(etag, policy) {
        Some(h) => (StatusCode::NOT_MODIFIED, h).into_response(),
        None => StatusCode::NOT_MODIFIED.into_response(),
    }
}

/// `value` as JSON with a weak ETag and the cache `policy` ([`PRIVATE_NO_CACHE`],
/// [`NO_STORE`]), or 304 when the client holds this very body (rendered, not sent).
pub fn json_response<T: Serialize>(
    headers: &HeaderMap,
    value: &T,
    policy: HeaderValue,
) -> Result<Response, ApiError> {
    let json = serde_json::to_vec(value).map_err(|e| {
        tracing::error!(error = %e, "cannot serialise a response");
        ApiError::internal()
    })?;
    let etag = weak_etag(&json);
    if not_modified(headers, &etag) {
        return Ok(not_modified_response(&etag, policy));
    }
    let mut res = (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        json,
    )
        .into_response();
    if let Some(h) = headers_of(&etag, policy) {
        res.headers_mut().extend(h);
    }
    Ok(res)
}

/// A JSON body kept ready to send: its bytes, their gzip encoding and their ETag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBody {
    pub etag: String,
    pub json: Bytes,
    pub gzip: Bytes,
}

impl StoredBody {
    /// Serialises and compresses `value` once.
    pub fn of<T: Serialize>(value: &T) -> Result<StoredBody, ApiError> {
        use std::io::Write;
        let json = serde_json::to_vec(value).map_err(|e| {
            tracing::error!(error = %e, "cannot serialise a response");
            ApiError::internal()
        })?;
        // Compressed once per version, sent many times: the best ratio is worth its time.
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(json.len() / 4),
            flate2::Compression::best(),
        );
        let gzip = gz
            .write_all(&json)
            .and_then(|()| gz.finish())
            .map_err(|e| {
                tracing::error!(error = %e, "cannot compress a response");
                ApiError::internal()
            })?;
        Ok(StoredBody {
            etag: weak_etag(&json),
            json: json.into(),
            gzip: gzip.into(),
        })
    }

    /// 304 when the client holds it; else gzip when the client takes it, else the JSON.
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        if not_modified(headers, &self.etag) {
            return not_modified_response(&self.etag, PRIVATE_NO_CACHE);
        }
        let gzip = accepts_gzip(headers);
        let body = if gzip { &self.gzip } else { &self.json };
        let mut res = Response::new(Body::from(body.clone()));
        let h = res.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if gzip {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        if let Some(more) = headers_of(&self.etag, PRIVATE_NO_CACHE) {
            h.extend(more);
        }
        res
    }

    /// One frame of bytes for a cache: `etag \n json-length \n json gzip`.
    pub fn encode(&self) -> Bytes {
        let head = format!("{}\n{}\n", self.etag, self.json.len());
        let mut out = Vec::with_capacity(head.len() + self.json.len() + self.gzip.len());
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&self.json);
        out.extend_from_slice(&self.gzip);
        out.into()
    }

    /// The frame [`encode`](Self::encode) wrote; `None` for anything else.
    pub fn decode(frame: &Bytes) -> Option<StoredBody> {
        let nl = frame.iter().position(|&b| b == b'\n')?;
        let etag = std::str::from_utf8(&frame[..nl]).ok()?.to_string();
        let rest = frame.slice(nl + 1..);
        let nl2 = rest.iter().position(|&b| b == b'\n')?;
        let len: usize = std::str::from_utf8(&rest[..nl2]).ok()?.parse().ok()?;
        let body = rest.slice(nl2 + 1..);
        if body.len() < len || !etag.starts_with("W/\"") {
            return None;
        }
        Some(StoredBody {
            etag,
            json: body.slice(..len),
            gzip: body.slice(len..),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(*v));
        }
        h
    }

    #[test]
    fn etag_follows_the_bytes() {
        let a = weak_etag(b"{\"a\":1}");
        assert!(a.starts_with("W/\"") && a.ends_with('"') && a.len() == 36);
        assert_eq!(a, weak_etag(b"{\"a\":1}"));
        assert_ne!(a, weak_etag(b"{\"a\":2}"));
    }

    #[test]
    fn if_none_match_uses_weak_comparison() {
        let tag = weak_etag(b"x");
        let strong = tag.trim_start_matches("W/").to_string();
        let mut h = HeaderMap::new();
        h.insert(IF_NONE_MATCH, HeaderValue::from_str(&strong).unwrap());
        assert!(not_modified(&h, &tag));
        let mut h = HeaderMap::new();
        h.insert(
            IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", {tag}")).unwrap(),
        );
        assert!(not_modified(&h, &tag));
        assert!(not_modified(&headers(&[("if-none-match", "*")]), &tag));
        assert!(!not_modified(&headers(&[("if-none-match", "\"x\"")]), &tag));
        assert!(!not_modified(&HeaderMap::new(), &tag));
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "gzip, deflate, br"
        )])));
        assert!(accepts_gzip(&headers(&[(
            "accept-encoding",
            "br;q=1, GZIP;q=0.5"
        )])));
        assert!(accepts_gzip(&headers(&[("accept-encoding", "*")])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "gzip;q=0")])));
        assert!(!accepts_gzip(&headers(&[("accept-encoding", "identity")])));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn stored_body_roundtrips_and_inflates_to_the_json() {
        use std::io::Read;
        let body =
            StoredBody::of(&serde_json::json!({"days": [1, 2, 3], "name": "Ünïcode"})).unwrap();
        let back = StoredBody::decode(&body.encode()).unwrap();
        assert_eq!(back, body);
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&body.gzip[..])
            .read_to_end(&mut json)
            .unwrap();
        assert_eq!(json, body.json);
        assert_eq!(StoredBody::decode(&Bytes::from_static(b"junk")), None);
        assert_eq!(
            StoredBody::decode(&Bytes::from_static(b"W/\"a\"\n99\n{}")),
            None
        );
    }
}
