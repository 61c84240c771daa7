//! The web app's static files, with client-side routes falling back to `index.html`.
//! API and probe paths never fall back: an unknown `/api/…` is a problem+json 404.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::Request;
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use tripgen_platform::error::ApiError;

#[derive(Clone)]
pub struct WebApp {
    dir: Option<PathBuf>,
}

impl WebApp {
    pub fn new(configured: Option<PathBuf>) -> Self {
        let dir = configured
            .or_else(|| Some(PathBuf::from("web/dist")))
            .filter(|d| d.join("index.html").is_file());
        WebApp { dir }
    }

    pub async fn serve(self, req: Request<Body>) -> Response {
        let path = req.uri().path();
        if path.starts_with("/api/") || path.starts_with("/health/") || path == "/metrics" {
            return ApiError::not_found("NOT_FOUND", "There is nothing at this address.")
                .into_response();
        }
        match self.dir {
            Some(dir) => {
                let index = dir.join("index.html");
                let svc = ServeDir::new(&dir).fallback(ServeFile::new(index));
                match svc.oneshot(req).await {
                    Ok(r) => r.into_response(),
                    Err(_) => ApiError::internal().into_response(),
                }
            }
            None => Html(NO_WEB_APP).into_response(),
        }
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
