//! HTTP plumbing shared by every target: JSON extraction with problem+json rejections,
//! request ids, per-route metrics, security headers, and problem bodies for bare errors.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError, PROBLEM_JSON};

pub const REQUEST_ID: &str = "x-request-id";

/// `Json<T>` whose rejections are problem+json with the offending field when known.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection as R;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(R::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Send the body as JSON with `Content-Type: application/json`.",
            )),
            Err(R::JsonDataError(e)) => {
                // serde's message names the path, e.g. "members[0].age: invalid type …".
                let text = e.body_text();
                let (field, msg) = split_serde_path(&text);
                Err(ApiError::validation(vec![FieldError::new(
                    field,
                    "INVALID_VALUE",
                    msg,
                )]))
            }
            Err(R::JsonSyntaxError(e)) => Err(ApiError::bad_request(
                "MALFORMED_JSON",
                format!("The body is not valid JSON: {}", e.body_text()),
            )),
            Err(R::BytesRejection(e)) => {
                let status = e.status();
                if status == StatusCode::PAYLOAD_TOO_LARGE {
                    Err(ApiError::new(
                        status,
                        "PAYLOAD_TOO_LARGE",
                        "The request body is too large.",
                    ))
                } else {
                    Err(ApiError::bad_request(
                        "BAD_REQUEST",
                        "The request body could not be read.",
                    ))
                }
            }
            Err(other) => Err(ApiError::bad_request("BAD_REQUEST", other.body_text())),
        }
    }
}

fn split_serde_path(text: &str) -> (String, String) {
    // axum: "Failed to deserialize the JSON body into the target type: path: message at line …"
    let body = text
        .split_once("target type: ")
        .map(|(_, rest)| rest)
        .unwrap_or(text);
    match body.split_once(": ") {
        Some((path, msg)) if !path.contains(' ') => (path.to_string(), strip_position(msg)),
        _ => {
            // "missing field `x` at line 1 column 2"
            let msg = strip_position(body);
            let field = msg
                .split('`')
                .nth(1)
                .map(str::to_string)
                .unwrap_or_else(|| "body".into());
            (field, msg)
        }
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Counts and times every request by method, matched route and status.
pub async fn record_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    resp
}

/// Turns error responses produced outside our handlers (body limit, timeout, unknown
/// route, wrong method) into problem+json, so clients only ever parse one error shape.
pub async fn problem_for_bare_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"));
    if is_json {
        return resp;
    }
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => ("NOT_FOUND", "There is nothing at this address."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "METHOD_NOT_ALLOWED",
            "This address does not accept that method.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("PAYLOAD_TOO_LARGE", "The request body is too large."),
        StatusCode::REQUEST_TIMEOUT => ("REQUEST_TIMEOUT", "The request took too long."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "UNSUPPORTED_MEDIA_TYPE",
            "This content type is not accepted here.",
        ),
        StatusCode::BAD_REQUEST => ("BAD_REQUEST", "The request is malformed."),
        StatusCode::UNPROCESSABLE_ENTITY => ("VALIDATION_FAILED", "The request is invalid."),
        s if s.is_server_error() => (
            "INTERNAL",
            "Something went wrong on our side; the error has been logged.",
        ),
        _ => ("ERROR", "The request failed."),
    };
    let mut fresh = ApiError::new(status, code, detail).into_response();
    // Keep headers such as Retry-After or Allow from the original response.
    for (k, v) in resp.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(k.clone(), v.clone());
        }
    }
    fresh
}

/// Conservative security headers for API and web app responses.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "strict-origin-when-cross-origin");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(self)",
    );
    set(
        "content-security-policy",
        "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; \
         script-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
    );
    resp
}

/// Problem body for a panic caught by `CatchPanicLayer`.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("handler panicked");
    ApiError::internal().into_response()
}

/// Adds `Content-Type: application/problem+json` check helper for tests and clients.
pub fn is_problem(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == PROBLEM_JSON)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn serde_paths() {
        let (f, m) = split_serde_path(
            "Failed to deserialize the JSON body into the target type: members[0].age: invalid type: string \"x\", expected u8 at line 1 column 30",
        );
        assert_eq!(f, "members[0].age");
        assert!(m.starts_with("invalid type"));
        let (f, _) = split_serde_path(
            "Failed to deserialize the JSON body into the target type: missing field `username` at line 1 column 2",
        );
        assert_eq!(f, "username");
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when the
/// deployment says a trusted proxy sets it (`security.trust_forwarded_for`).
#[derive(Debug, Clone)]
pub struct ClientIp(pub Option<String>);

impl ClientIp {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// Whether `X-Forwarded-For` is believed; inserted as a request extension at start.
#[derive(Debug, Clone, Copy)]
pub struct TrustForwardedFor(pub bool);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(client_ip_of(parts))
    }
}

pub fn client_ip_of(parts: &axum::http::request::Parts) -> ClientIp {
    let trust = parts
        .extensions
        .get::<TrustForwardedFor>()
        .is_some_and(|t| t.0);
    if trust
        && let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        let ip = first.trim();
        if ip.parse::<std::net::IpAddr>().is_ok() {
            return ClientIp(Some(ip.to_string()));
        }
    }
    ClientIp(
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
    )
}
