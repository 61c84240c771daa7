//! RFC 9457 problem details: every error a client sees is `application/problem+json`
//! with a stable `code` and, for input errors, one entry per offending field.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One invalid input field: `field` is the JSON path as the client sent it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// Stable machine-readable reason, e.g. `REQUIRED`, `TOO_SHORT`, `INVALID_FORMAT`.
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable error code (e.g. `VALIDATION_FAILED`, `INVALID_CREDENTIALS`).
    pub code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extra machine-readable facts (e.g. `lockedUntil`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub extra: Option<serde_json::Value>,
}

/// An error as the HTTP layer returns it.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub extra: Option<serde_json::Value>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            extra: None,
            headers: Vec::new(),
        }
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        ApiError {
            errors,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_FAILED",
                detail,
            )
        }
    }

    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::validation(vec![FieldError::new(field, code, message)])
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", detail)
            .with_header(header::WWW_AUTHENTICATE, "Bearer")
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, code, detail)
    }

    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Something went wrong on our side; the error has been logged.",
        )
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UPSTREAM_UNAVAILABLE",
            detail,
        )
    }

    /// 503 with `Retry-After`: a bounded resource of ours is saturated; try again shortly.
    pub fn busy(code: &'static str, retry_after_secs: u64, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, code, detail)
            .with_header(header::RETRY_AFTER, &retry_after_secs.max(1).to_string())
            .with_extra(serde_json::json!({ "retryAfterSeconds": retry_after_secs.max(1) }))
    }

    pub fn too_many(code: &'static str, retry_after_secs: u64, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, detail)
            .with_header(header::RETRY_AFTER, &retry_after_secs.max(1).to_string())
            .with_extra(serde_json::json!({ "retryAfterSeconds": retry_after_secs.max(1) }))
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    pub fn with_extra(mut self, extra: serde_json::Value) -> Self {
        self.extra = Some(extra);
        self
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("https://tripgen.dev/problems/{}", self.code.to_lowercase()),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("Error")
                .to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_string(),
            errors: self.errors.clone(),
            extra: self.extra.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl std::error::Error for ApiError {}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_else(|_| b"{}".to_vec());
        let mut resp = (self.status, body).into_response();
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        for (k, v) in self.headers {
            resp.headers_mut().insert(k, v);
        }
        resp
    }
}

/// Storage failures are logged with their cause and answered with a generic 500/503.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(error = %e, "database unavailable");
                ApiError::unavailable("The database is not reachable right now; try again.")
                    .with_header(header::RETRY_AFTER, "1")
            }
            _ if is_storage_full(&e) => {
                tracing::error!(error = %e, "storage full");
                storage_full()
            }
            _ if is_contention(&e) => {
                tracing::warn!(error = %e, "database busy");
                ApiError::busy(
                    "DATABASE_BUSY",
                    1,
                    "The database is busy with other writes; try again in a moment.",
                )
            }
            _ => {
                tracing::error!(error = %e, "database error");
                ApiError::internal()
            }
        }
    }
}

/// A write that lost to another one and may simply be retried: SQLite's "database is
/// locked"/"busy" once `busy_timeout` has run out, PostgreSQL's serialization failure,
/// deadlock or lock timeout. Under load this is expected, not a bug: 503 + Retry-After.
pub fn is_contention(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    match code.parse::<u32>() {
        // SQLite's primary result code is the low byte of the extended one:
        // 5 SQLITE_BUSY (BUSY_RECOVERY 261, BUSY_SNAPSHOT 517 …), 6 SQLITE_LOCKED.
        Ok(n) if code.len() < 5 => matches!(n & 0xff, 5 | 6),
        // Five-character SQLSTATEs (PostgreSQL).
        _ => matches!(code.as_ref(), "40001" | "40P01" | "55P03"),
    }
}

/// The disk under the database is full: SQLite's SQLITE_FULL (13, with its extended codes),
/// PostgreSQL's `53100 disk_full`. Nothing was written (the statement failed whole); the
/// operator has to free space, so the client learns what happened instead of a bare 500.
pub fn is_storage_full(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    match code.parse::<u32>() {
        Ok(n) if code.len() < 5 => (n & 0xff) == 13,
        _ => code.as_ref() == "53100",
    }
}

/// 507 `STORAGE_FULL` with `Retry-After` (space may come back without a redeploy).
fn storage_full() -> ApiError {
    ApiError::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "STORAGE_FULL",
        "The server's storage is full, so nothing was saved; try again later.",
    )
    .with_header(header::RETRY_AFTER, "30")
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        // Another target of the product is down (split mode): 503, not a bug of ours.
        if let Some(crate::internal::InternalError::Unavailable { service, .. }) =
            e.downcast_ref::<crate::internal::InternalError>()
        {
            tracing::warn!(error = %format!("{e:#}"), "internal call failed");
            return ApiError::unavailable(format!(
                "The {service} service is not reachable right now; try again."
            ));
        }
        // A storage error carried up through `anyhow` keeps its meaning (busy → 503, full → 507).
        if let Some(db) = e.downcast_ref::<sqlx::Error>()
            && is_storage_full(db)
        {
            tracing::error!(error = %format!("{e:#}"), "storage full");
            return storage_full();
        }
        if let Some(db) = e.downcast_ref::<sqlx::Error>()
            && is_contention(db)
        {
            tracing::warn!(error = %format!("{e:#}"), "database busy");
            return ApiError::busy(
                "DATABASE_BUSY",
                1,
                "The database is busy with other writes; try again in a moment.",
            );
        }
        tracing::error!(error = %format!("{e:#}"), "internal error");
        ApiError::internal()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Accumulates field errors so a client sees every problem of a form at once.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }
    pub fn check(&mut self, ok: bool, field: &str, code: &str, message: &str) {
        if !ok {
            self.add(field, code, message);
        }
    }
    pub fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
    /// True when there are errors and every one carries `code`.
    pub fn all_have_code(&self, code: &str) -> bool {
        !self.errors.is_empty() && self.errors.iter().all(|e| e.code == code)
    }
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
    pub fn finish(self) -> ApiResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
    use std::time::Duration;

    /// A real "database is locked" from SQLite (a second writer whose busy timeout ran
    /// out) is a 503 the client may retry, never a 500.
    #[tokio::test]
    async fn sqlite_lock_contention_is_busy_not_internal() {
        let dir = tempfile::tempdir().unwrap();
        let opts = SqliteConnectOptions::new()
            .filename(dir.path().join("db.sqlite"))
            .create_if_missing(true)
            .busy_timeout(Duration::ZERO);
        let mut first = SqliteConnection::connect_with(&opts).await.unwrap();
        let mut second = SqliteConnection::connect_with(&opts).await.unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut first)
            .await
            .unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut first)
            .await
            .unwrap();
        let err = sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut second)
            .await
            .unwrap_err();
        assert!(is_contention(&err), "{err}");
        let api = ApiError::from(err);
        assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.code, "DATABASE_BUSY");
        let resp = api.into_response();
        assert_eq!(resp.headers()[header::RETRY_AFTER], "1");
        assert_eq!(resp.headers()[header::CONTENT_TYPE], PROBLEM_JSON);

        // The same error carried through anyhow keeps its meaning.
        let err = sqlx::query("INSERT INTO t VALUES (2)")
            .execute(&mut second)
            .await
            .unwrap_err();
        let api = ApiError::from(anyhow::Error::new(err).context("saving the trip"));
        assert_eq!(api.code, "DATABASE_BUSY");
    }

    /// A real SQLITE_FULL (the page limit stands in for a full disk: SQLite answers both
    /// with the same code) is 507 `STORAGE_FULL`, also through anyhow.
    #[tokio::test]
    async fn a_full_database_is_storage_full_not_internal() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("CREATE TABLE t (x BLOB)")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("PRAGMA max_page_count = 8")
            .execute(&mut conn)
            .await
            .unwrap();
        let err = sqlx::query("INSERT INTO t VALUES (zeroblob(100000))")
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(is_storage_full(&err), "{err}");
        assert!(!is_contention(&err));
        let api = ApiError::from(err);
        assert_eq!(api.status, StatusCode::INSUFFICIENT_STORAGE);
        assert_eq!(api.code, "STORAGE_FULL");
        assert_eq!(api.into_response().headers()[header::RETRY_AFTER], "30");
        let err = sqlx::query("INSERT INTO t VALUES (zeroblob(100000))")
            .execute(&mut conn)
            .await
            .unwrap_err();
        let api = ApiError::from(anyhow::Error::new(err).context("saving the trip"));
        assert_eq!(api.code, "STORAGE_FULL");
    }

    #[tokio::test]
    async fn other_database_errors_stay_internal() {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let err = sqlx::query("SELECT * FROM missing")
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(!is_contention(&err));
        assert_eq!(ApiError::from(err).code, "INTERNAL");
    }
}
