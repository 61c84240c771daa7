//! Context-to-context calls when a product runs split (one target per process):
//! `/internal/v1/…` endpoints, never routed by the gateway, called with a service token.
//!
//! A service token is an access token of the process's own key with role `service` and
//! the nil user: every replica of a deployment shares that key already (it is required
//! with PostgreSQL), so no second secret has to be distributed. User tokens are refused
//! at internal endpoints, and a service token names no user of the public API.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::auth::{Authenticator, bearer_token};
use crate::error::ApiError;

/// The role of service tokens.
pub const SERVICE_ROLE: &str = "service";

/// Handlers of `/internal/v1/…` take this: the caller presented a valid service token.
#[derive(Debug, Clone, Copy)]
pub struct ServiceCaller;

impl<S: Send + Sync> FromRequestParts<S> for ServiceCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let auth = parts
            .extensions
            .get::<Arc<Authenticator>>()
            .cloned()
            .ok_or_else(ApiError::internal)?;
        let token = bearer_token(parts)
            .ok_or_else(|| ApiError::unauthorized("A service token is required."))?;
        match auth.decode(token) {
            Ok(claims) if claims.role == SERVICE_ROLE => Ok(ServiceCaller),
            Ok(_) => Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "Internal endpoints take service tokens only.",
            )),
            Err(_) => Err(ApiError::unauthorized("The service token is invalid.")),
        }
    }
}

/// Why an internal call failed.
#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    /// Not reachable, timed out, or answered 5xx: the caller answers 503.
    #[error("the {service} service is unavailable: {detail}")]
    Unavailable {
        service: &'static str,
        detail: String,
    },
    /// Any other non-success answer (a bug between versions, not the user's fault).
    #[error("the {service} service answered {status}: {detail}")]
    Refused {
        service: &'static str,
        status: u16,
        detail: String,
    },
}

/// A client of one other target's `/internal/v1` API, presenting a service token that it
/// renews before it expires.
pub struct InternalClient {
    service: &'static str,
    base: String,
    http: reqwest::Client,
    auth: Arc<Authenticator>,
    token: Mutex<Option<(String, chrono::DateTime<chrono::Utc>)>>,
}

impl InternalClient {
    pub fn new(
        service: &'static str,
        base: &str,
        auth: Arc<Authenticator>,
    ) -> anyhow::Result<InternalClient> {
        let base = base.trim_end_matches('/').to_string();
        anyhow::ensure!(
            base.starts_with("http://") || base.starts_with("https://"),
            "the {service} service URL `{base}` is not an http(s) URL"
        );
        Ok(InternalClient {
            service,
            base,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .connect_timeout(Duration::from_secs(2))
                .build()?,
            auth,
            token: Mutex::new(None),
        })
    }

    async fn token(&self) -> Result<String, InternalError> {
        let mut slot = self.token.lock().await;
        let fresh_until = self.auth.now() + chrono::Duration::minutes(2);
        if let Some((t, exp)) = slot.as_ref()
            && *exp > fresh_until
        {
            return Ok(t.clone());
        }
        let (t, exp) = self
            .auth
            .issue(Uuid::nil(), Uuid::nil(), SERVICE_ROLE)
            .map_err(|e| InternalError::Unavailable {
                service: self.service,
                detail: format!("cannot sign a service token: {e}"),
            })?;
        *slot = Some((t.clone(), exp));
        Ok(t)
    }

    /// Sends `method path` (with a JSON body when given); `Ok(None)` on 404.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Option<T>, InternalError> {
        let token = self.token().await?;
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let unavailable = |detail: String| InternalError::Unavailable {
            service: self.service,
            detail,
        };
        let resp = req.send().await.map_err(|e| unavailable(e.to_string()))?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if status.is_server_error() {
            return Err(unavailable(status.to_string()));
        }
        if !status.is_success() {
            let text = resp.text().await.unwrap_or_default();
            return Err(InternalError::Refused {
                service: self.service,
                status: status.as_u16(),
                detail: text.chars().take(200).collect(),
            });
        }
        if status == reqwest::StatusCode::NO_CONTENT {
            return Ok(serde_json::from_value(serde_json::Value::Null).ok());
        }
        resp.json::<T>()
            .await
            .map(Some)
            .map_err(|e| unavailable(format!("unreadable answer: {e}")))
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, InternalError> {
        self.call::<(), T>(reqwest::Method::GET, path, None).await
    }

    /// DELETE; `Ok(false)` when the resource did not exist.
    pub async fn delete(&self, path: &str) -> Result<bool, InternalError> {
        Ok(self
            .call::<(), serde_json::Value>(reqwest::Method::DELETE, path, None)
            .await?
            .is_some())
    }
}
