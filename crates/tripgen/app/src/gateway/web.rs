//! The web app's static files, with client-side routes falling back to `index.html`.
//! API and probe paths never fall back: an unknown `/api/…` is a problem+json 404.
//!
//! Where the files come from, first match wins: the configured `gateway.web_dir`; the copy
//! embedded at build time (release builds and the `embed-web` feature, see `build.rs`);
//! `web/dist` under the working directory (development). `/app-config.json` gives the app
//! its runtime settings: the map style (`/tiles/style.json`, the built-in base map, unless
//! `gateway.tile_url` names an external style) or an external raster tile template.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tripgen_platform::error::ApiError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

#[derive(Clone)]
enum Source {
    Dir(PathBuf),
    Embedded,
    None,
}

#[derive(Clone)]
pub struct WebApp {
    source: Source,
    /// `/app-config.json`, rendered once.
    config: Arc<String>,
    /// The Content-Security-Policy, which lets the map reach an external base map's host.
    csp: HeaderValue,
}

impl WebApp {
    pub fn new(configured: Option<PathBuf>, tile_url: Option<String>) -> Self {
        let has_index = |d: &PathBuf| d.join("index.html").is_file();
        let source = match configured {
            Some(d) if has_index(&d) => Source::Dir(d),
            _ if embedded_file("index.html").is_some() => Source::Embedded,
            _ => {
                let d = PathBuf::from("web/dist");
                if has_index(&d) {
                    Source::Dir(d)
                } else {
                    Source::None
                }
            }
        };
        let external = tile_url
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let is_style = |u: &str| {
            u.split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with(".json"))
        };
        let (tile, style) = match &external {
            Some(u) if is_style(u.as_str()) => (None, u.clone()),
            Some(u) => (Some(u.clone()), BUILT_IN_STYLE.to_string()),
            None => (None, BUILT_IN_STYLE.to_string()),
        };
        let config = serde_json::json!({ "tileUrl": tile, "styleUrl": style }).to_string();
        let csp = content_security_policy(external.as_deref().and_then(origin));
        WebApp {
            source,
            config: Arc::new(config),
            csp,
        }
    }

    /// Where the files are served from (for the start-up log).
    pub fn describe(&self) -> String {
        match &self.source {
            Source::Dir(d) => format!("folder {}", d.display()),
            Source::Embedded => format!("embedded ({} files)", embedded::ASSETS.len()),
            Source::None => "none (API only)".into(),
        }
    }

    pub async fn serve(self, req: Request<Body>) -> Response {
        let path = req.uri().path();
        if path.starts_with("/api/") || path.starts_with("/health/") || path == "/metrics" {
            return ApiError::not_found("NOT_FOUND", "There is nothing at this address.")
                .into_response();
        }
        let mut r = if path == "/app-config.json" {
            (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                self.config.as_str().to_owned(),
            )
                .into_response()
        } else {
            match self.source {
                Source::Dir(dir) => {
                    tripgen_platform::gateway::static_files::serve_folder(&dir, req).await
                }
                Source::Embedded => serve_embedded(req.uri().path()),
                Source::None => Html(NO_WEB_APP).into_response(),
            }
        };
        r.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        r
    }
}

/// The built-in base map's style (gateway/tiles.rs).
const BUILT_IN_STYLE: &str = "/tiles/style.json";

/// `https://tiles.example:8443` of a URL (what CSP's connect-src names).
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then(|| format!("{scheme}://{host}"))
}

fn content_security_policy(external_map: Option<String>) -> HeaderValue {
    let connect = match external_map {
        Some(o) => format!("'self' {o}"),
        None => "'self'".into(),
    };
    let csp =
        CONTENT_SECURITY_POLICY.replace("connect-src 'self'", &format!("connect-src {connect}"));
    HeaderValue::from_str(&csp)
        .unwrap_or_else(|_| HeaderValue::from_static(CONTENT_SECURITY_POLICY))
}

/// Only the app's own scripts run (no inline or injected script, no plugins, no framing):
/// the first line of defence for the refresh token a "keep me signed in" session keeps in
/// `localStorage` (docs/web.md, Auth tokens). The map's renderer runs its workers from
/// `blob:` URLs; an external base map's host is added to connect-src when configured.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; \
     connect-src 'self'; worker-src 'self' blob:; child-src blob:; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn embedded_file(key: &str) -> Option<&'static [u8]> {
    embedded::ASSETS
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .and_then(|i| embedded::ASSETS.get(i))
        .map(|(_, bytes)| *bytes)
}

/// A file of the embedded app; unknown paths get `index.html` (client-side routes), except
/// under `assets/`, where a missing hashed file is a plain 404.
fn serve_embedded(path: &str) -> Response {
    let key = path.trim_start_matches('/');
    let key = if key.is_empty() { "index.html" } else { key };
    if let Some(bytes) = embedded_file(key) {
        return file_response(key, bytes);
    }
    if key.starts_with("assets/") {
        return StatusCode::NOT_FOUND.into_response();
    }
    match embedded_file("index.html") {
        Some(bytes) => file_response("index.html", bytes),
        None => Html(NO_WEB_APP).into_response(),
    }
}

fn file_response(key: &str, bytes: &'static [u8]) -> Response {
    // Vite puts content-hashed names under assets/: cached for good; the rest revalidate.
    let cache = tripgen_platform::gateway::static_files::cache_control(key);
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(key)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

const NO_WEB_APP: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TripGen</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>TripGen</h1>
<p>The API is running. The web app has not been built into this binary yet.</p>
<p><a href="/api/docs">API documentation</a> · <a href="/api/openapi.json">OpenAPI document</a></p>
<p lang="ko">API가 실행 중입니다. 웹 앱은 아직 포함되지 않았습니다.</p>
<p><small>Map data © OpenStreetMap contributors, ODbL (https://www.openstreetmap.org/copyright)</small></p>
</body></html>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_cover_what_vite_emits() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/index-abc.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("assets/x.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn embedded_list_is_sorted_for_lookup() {
        assert!(embedded::ASSETS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[tokio::test]
    async fn app_config_carries_the_tile_url_and_api_paths_never_fall_back() {
        let app = WebApp::new(None, Some("https://tiles.example/{z}/{x}/{y}.png".into()));
        let req = Request::builder()
            .uri("/app-config.json")
            .body(Body::empty())
            .unwrap();
        let r = app.clone().serve(req).await;
        assert_eq!(r.status(), StatusCode::OK);
        let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["tileUrl"], "https://tiles.example/{z}/{x}/{y}.png");
        assert_eq!(v["styleUrl"], "/tiles/style.json");

        let none = WebApp::new(None, Some("  ".into()));
        let req = Request::builder()
            .uri("/app-config.json")
            .body(Body::empty())
            .unwrap();
        let body = axum::body::to_bytes(none.serve(req).await.into_body(), 1 << 16)
            .await
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()["tileUrl"],
            serde_json::Value::Null
        );

        let styled = WebApp::new(
            None,
            Some("https://maps.example:8443/style.json?k=1".into()),
        );
        let req = Request::builder()
            .uri("/app-config.json")
            .body(Body::empty())
            .unwrap();
        let r = styled.serve(req).await;
        let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("connect-src 'self' https://maps.example:8443;"),
            "{csp}"
        );
        let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["styleUrl"], "https://maps.example:8443/style.json?k=1");
        assert_eq!(v["tileUrl"], serde_json::Value::Null);

        let req = Request::builder()
            .uri("/api/v1/nothing")
            .body(Body::empty())
            .unwrap();
        assert_eq!(app.serve(req).await.status(), StatusCode::NOT_FOUND);
    }
}
