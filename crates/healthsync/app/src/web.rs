//! The HealthSync web app (`web-healthsync/`, spec §5) served by the edge targets (`all`,
//! `gateway`) on the API's port. Files come from `gateway.web_dir` when it holds a build,
//! else `web-healthsync/dist` under the working directory (`make run-healthsync` builds it
//! when npm exists); without either, the API still answers and `/` says how to build the app.
//! `/app-config.json` tells the app what the server offers (the development sign-in).

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use tripgen_platform::gateway::static_files;

#[derive(Clone)]
pub struct WebApp {
    dir: Option<PathBuf>,
    /// `/app-config.json`, rendered once.
    config: Arc<String>,
}

impl WebApp {
    pub fn new(configured: Option<PathBuf>, dev_issuer: bool) -> Self {
        let dir = static_files::find_built_app(
            configured
                .into_iter()
                .chain([PathBuf::from("web-healthsync/dist")]),
        );
        let config = serde_json::json!({ "devIssuer": dev_issuer }).to_string();
        WebApp {
            dir,
            config: Arc::new(config),
        }
    }

    /// Where the files are served from (for the start-up log).
    pub fn describe(&self) -> String {
        match &self.dir {
            Some(d) => format!("folder {}", d.display()),
            None => "none: web-healthsync/dist is not built (API only)".into(),
        }
    }

    pub async fn serve(self, req: Request<Body>) -> Response {
        let path = req.uri().path();
        // The development issuer's paths stay 404 when it is off.
        if static_files::is_server_path(path) || path.starts_with("/dev-oidc") {
            return tripgen_platform::ApiError::not_found(
                "NOT_FOUND",
                "There is nothing at this address.",
            )
            .into_response();
        }
        if path == "/app-config.json" {
            return (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                self.config.as_str().to_owned(),
            )
                .into_response();
        }
        let mut r = match &self.dir {
            Some(dir) => static_files::serve_folder(dir, req).await,
            None => Html(NO_WEB_APP).into_response(),
        };
        r.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        r
    }
}

/// Only the app's own scripts and connections: the access token lives in memory and the
/// refresh token in sessionStorage, so no injected script may run. Sign-in leaves by a
/// top-level navigation to the issuer, which CSP does not restrict.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const NO_WEB_APP: &str = r#"<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>HealthSync</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>HealthSync</h1>
<p>API가 실행 중입니다. 웹 앱은 아직 빌드되지 않았습니다: <code>cd web-healthsync &amp;&amp; npm ci &amp;&amp; npm run build</code></p>
<p lang="en">The API is running. The web app is not built: <code>cd web-healthsync &amp;&amp; npm ci &amp;&amp; npm run build</code></p>
<p><a href="/api/docs">API documentation</a> · <a href="/api/openapi.json">OpenAPI document</a></p>
</body></html>"#;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    fn req(path: &str) -> Request<Body> {
        Request::builder().uri(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn app_config_says_whether_development_sign_in_is_on() {
        for on in [true, false] {
            let app = WebApp::new(Some(PathBuf::from("/nonexistent")), on);
            let r = app.serve(req("/app-config.json")).await;
            assert_eq!(r.status(), StatusCode::OK);
            let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["devIssuer"], on);
        }
    }

    #[tokio::test]
    async fn serves_a_configured_build_with_spa_fallback_and_keeps_api_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html>hs</html>").unwrap();
        let app = WebApp::new(Some(dir.path().to_path_buf()), false);
        let r = app.clone().serve(req("/missions")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers().contains_key(header::CONTENT_SECURITY_POLICY));
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache");
        for path in [
            "/api/v1/none",
            "/internal/v1/x",
            "/dev-oidc/.well-known/openid-configuration",
        ] {
            let r = app.clone().serve(req(path)).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        }
    }
}
