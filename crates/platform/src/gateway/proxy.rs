//! Forwarding `/api/v1/<context>` to a separately deployed target (split mode).

use crate::error::ApiError;
use crate::http::client_ip_of;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;

pub struct Upstream {
    pub context: &'static str,
    /// `http://host:port` without a trailing slash.
    pub base: String,
    client: Client<HttpConnector, Body>,
}

impl Upstream {
    pub fn new(context: &'static str, base: &str) -> Arc<Self> {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(std::time::Duration::from_secs(3)));
        Arc::new(Upstream {
            context,
            base: base.trim_end_matches('/').to_string(),
            client: Client::builder(TokioExecutor::new()).build(connector),
        })
    }
}

const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

pub async fn forward(State(up): State<Arc<Upstream>>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let client_ip = client_ip_of(&parts).0;
    let path_q = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let uri: Uri = match format!("{}{}", up.base, path_q).parse() {
        Ok(u) => u,
        Err(_) => {
            return ApiError::bad_request("BAD_REQUEST", "Invalid request path.").into_response();
        }
    };
    parts.uri = uri;
    for h in HOP_BY_HOP {
        parts.headers.remove(*h);
    }
    parts.headers.remove(header::HOST);
    if let Some(ip) = client_ip
        && let Ok(v) = HeaderValue::from_str(&ip)
    {
        parts.headers.insert("x-forwarded-for", v);
    }
    match up.client.request(Request::from_parts(parts, body)).await {
        Ok(resp) => {
            let (mut parts, body) = resp.into_parts();
            for h in HOP_BY_HOP {
                parts.headers.remove(*h);
            }
            Response::from_parts(parts, Body::new(body))
        }
        Err(e) => {
            tracing::warn!(context = up.context, error = %e, "upstream unreachable");
            metrics::counter!("gateway_upstream_errors_total", "context" => up.context)
                .increment(1);
            ApiError::unavailable(format!(
                "The {} service is not reachable right now.",
                up.context
            ))
            .into_response()
        }
    }
}
