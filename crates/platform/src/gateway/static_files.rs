//! A product's built web app served from a folder by its gateway: Vite's content-hashed
//! `assets/*` cached for a year, everything else (index.html) revalidated, client-side
//! routes falling back to `index.html`. API, probe and metrics paths never fall back: an
//! unknown `/api/…` stays a problem+json 404. Shared by TripGen's and HealthSync's gateways.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;

/// Paths that belong to the server, never to the web app (the public API, probes, metrics
/// and the service-to-service `/internal/…`, which a gateway never routes).
pub fn is_server_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/health/")
        || path.starts_with("/internal/")
        || path == "/metrics"
}

/// The first folder of `candidates` that holds an `index.html`.
pub fn find_built_app(candidates: impl IntoIterator<Item = PathBuf>) -> Option<PathBuf> {
    candidates
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

/// `Cache-Control` for a file of a Vite build, by its path relative to the build folder.
pub fn cache_control(relative: &str) -> &'static str {
    if relative.trim_start_matches('/').starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Serves `req` from the built app in `dir` (see the module comment).
pub async fn serve_folder(dir: &Path, req: Request<Body>) -> Response {
    let path = req.uri().path().to_owned();
    if is_server_path(&path) {
        return ApiError::not_found("NOT_FOUND", "There is nothing at this address.")
            .into_response();
    }
    let index = dir.join("index.html");
    // A missing hashed asset is a plain 404 (an old page asking for a replaced build).
    let svc = if path.starts_with("/assets/") {
        ServeDir::new(dir).fallback(ServeFile::new(dir.join("__missing__")))
    } else {
        ServeDir::new(dir).fallback(ServeFile::new(index))
    };
    let mut r = match svc.oneshot(req).await {
        Ok(r) => r.into_response(),
        Err(_) => return ApiError::internal().into_response(),
    };
    if r.status() == StatusCode::OK || r.status() == StatusCode::NOT_MODIFIED {
        // Outside assets/ the answer may be the SPA fallback's index.html: never cached long.
        let cache = cache_control(&path);
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str) -> Request<Body> {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn hashed_assets_are_immutable_routes_fall_back_and_api_paths_do_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<html>app</html>").unwrap();
        std::fs::write(dir.path().join("assets/index-abc.js"), "x").unwrap();

        let r = serve_folder(dir.path(), req("/assets/index-abc.js")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );

        let r = serve_folder(dir.path(), req("/home/today")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
        let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        assert_eq!(&body[..], b"<html>app</html>");

        let r = serve_folder(dir.path(), req("/")).await;
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");

        let r = serve_folder(dir.path(), req("/assets/gone-123.js")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);

        for path in ["/api/v1/nothing", "/internal/v1/users", "/health/nope"] {
            let r = serve_folder(dir.path(), req(path)).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let r = serve_folder(dir.path(), req("/api/v1/nothing")).await;
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
    }

    #[test]
    fn finds_the_first_folder_with_an_index() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        std::fs::write(b.path().join("index.html"), "x").unwrap();
        assert_eq!(
            find_built_app([a.path().to_path_buf(), b.path().to_path_buf()]),
            Some(b.path().to_path_buf())
        );
        assert_eq!(find_built_app([a.path().to_path_buf()]), None);
    }
}
