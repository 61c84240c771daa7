//! HTTP plumbing shared by every target: JSON extraction with problem+json rejections,
//! request ids, per-route metrics, security headers, and problem bodies for bare errors.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::json_shape::{Shape, top_level_shape};

use crate::error::{ApiError, FieldError, PROBLEM_JSON};

pub const REQUEST_ID: &str = "x-request-id";

/// `Json<T>` whose rejections are problem+json with the offending field when known.
///
/// Where `T` is a struct or a map, the body must be a JSON object: serde would also read a
/// struct from an array of its fields by position, which no client sends and the API
/// document does not allow (`EXPECTED_OBJECT`, 422).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json_content_type(req.headers()) {
            return Err(unsupported_media_type());
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) => return Err(unreadable_body(e.status())),
        };
        json_body(&bytes).map(ApiJson)
    }
}

/// Reads a JSON request body as `T` with `ApiJson`'s rules and rejections: syntax errors
/// are 400 `MALFORMED_JSON`, values breaking the type 422 naming the field, and an object
/// type needs an object (`EXPECTED_OBJECT`). For handlers that take the body as bytes.
pub fn json_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    use axum::extract::rejection::JsonRejection as R;
    let value = match axum::Json::<T>::from_bytes(bytes) {
        Ok(axum::Json(v)) => v,
        Err(R::JsonDataError(e)) => {
            // serde's message names the path, e.g. "members[0].age: invalid type …".
            let text = e.body_text();
            let (field, msg) = split_serde_path(&text);
            return Err(ApiError::validation(vec![FieldError::new(
                field,
                "INVALID_VALUE",
                msg,
            )]));
        }
        Err(R::JsonSyntaxError(e)) => {
            return Err(ApiError::bad_request(
                "MALFORMED_JSON",
                format!("The body is not valid JSON: {}", e.body_text()),
            ));
        }
        Err(other) => return Err(ApiError::bad_request("BAD_REQUEST", other.body_text())),
    };
    if top_level_shape::<T>() == Shape::Object && first_token(bytes) != Some(b'{') {
        return Err(ApiError::field(
            "body",
            "EXPECTED_OBJECT",
            "The body must be a JSON object ({…}), not an array or a single value.",
        ));
    }
    Ok(value)
}

/// `json_body` for an optional body: an empty (or all-whitespace) body or `null` is
/// `T::default()`.
pub fn optional_json_body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    // No body, or a literal `null` (the documents allow an optional body to be null).
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
        return Ok(T::default());
    }
    json_body(bytes)
}

/// `application/json` or any `application/…+json`, as axum's `Json` accepts.
fn is_json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json")
            || sub
                .rsplit_once('+')
                .is_some_and(|(_, suffix)| suffix.eq_ignore_ascii_case("json")))
}

/// The first byte of the JSON text after whitespace (and a BOM, which serde_json refuses
/// anyway): `{` for an object.
fn first_token(bytes: &[u8]) -> Option<u8> {
    bytes
        .iter()
        .copied()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

fn unsupported_media_type() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the body as JSON with `Content-Type: application/json`.",
    )
}

fn unreadable_body(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            "PAYLOAD_TOO_LARGE",
            "The request body is too large.",
        )
    } else {
        ApiError::bad_request("BAD_REQUEST", "The request body could not be read.")
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

/// `Strict-Transport-Security` on every answer when `max_age_secs` > 0 (the deployment is
/// behind TLS: `security.hsts_max_age_secs`); a header set closer to the handler wins.
pub fn hsts_layer(
    max_age_secs: u64,
) -> tower_http::set_header::SetResponseHeaderLayer<Option<HeaderValue>> {
    let value = (max_age_secs > 0)
        .then(|| HeaderValue::from_str(&format!("max-age={max_age_secs}; includeSubDomains")))
        .and_then(Result::ok);
    tower_http::set_header::SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        value,
    )
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

    #[test]
    fn json_content_types() {
        let ok = |v: &str| {
            let mut h = axum::http::HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(v).unwrap());
            is_json_content_type(&h)
        };
        assert!(ok("application/json"));
        assert!(ok("Application/JSON; charset=utf-8"));
        assert!(ok("application/merge-patch+json"));
        assert!(!ok("text/json"));
        assert!(!ok("application/jsonx"));
        assert!(!ok("application/x-www-form-urlencoded"));
        assert!(!is_json_content_type(&axum::http::HeaderMap::new()));
    }

    #[test]
    fn first_token_skips_json_whitespace() {
        assert_eq!(first_token(b" \r\n\t{}"), Some(b'{'));
        assert_eq!(first_token(b"  [1]"), Some(b'['));
        assert_eq!(first_token(b""), None);
    }

    #[test]
    fn optional_bodies_may_be_empty_or_null_but_not_another_shape() {
        #[derive(Debug, Default, PartialEq, serde::Deserialize)]
        struct Body {
            note: Option<String>,
        }
        for empty in [&b""[..], b"  \n", b"null", b" null \n"] {
            assert_eq!(optional_json_body::<Body>(empty).unwrap(), Body::default());
        }
        let body: Body = optional_json_body(br#"{"note":"x"}"#).unwrap();
        assert_eq!(body.note.as_deref(), Some("x"));
        assert!(optional_json_body::<Body>(b"[]").is_err());
        assert!(optional_json_body::<Body>(b"nul").is_err());
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
