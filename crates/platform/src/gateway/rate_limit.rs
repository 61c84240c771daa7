//! Gateway rate limits: 100 requests/min per authenticated user (seed), a per-IP limit
//! for unauthenticated requests; 429 with `Retry-After`. In-process (`governor`) by
//! default; a fixed one-minute window in Redis when configured, so every replica
//! counts against the same budget.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Authenticator;
use crate::auth::bearer_token;
use crate::config::RateLimitConfig;
use crate::error::ApiError;
use crate::http::client_ip_of;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

// One per process, built once: the size difference between variants is irrelevant.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Local {
        users: DefaultKeyedRateLimiter<String>,
        ips: DefaultKeyedRateLimiter<String>,
        checks: AtomicU64,
    },
    Redis(redis::aio::ConnectionManager),
}

pub struct Limiter {
    backend: Backend,
    per_user: u32,
    per_ip: u32,
    auth: Arc<Authenticator>,
}

impl Limiter {
    pub fn new(
        cfg: &RateLimitConfig,
        redis: Option<redis::aio::ConnectionManager>,
        auth: Arc<Authenticator>,
    ) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        let backend = match redis {
            Some(conn) => Backend::Redis(conn),
            None => Backend::Local {
                users: RateLimiter::keyed(quota(cfg.per_user_per_minute)),
                ips: RateLimiter::keyed(quota(cfg.per_ip_per_minute)),
                checks: AtomicU64::new(0),
            },
        };
        Limiter {
            backend,
            per_user: cfg.per_user_per_minute,
            per_ip: cfg.per_ip_per_minute,
            auth,
        }
    }

    /// `Err(seconds)` when the key is over its budget.
    async fn check(&self, key: &str, is_user: bool) -> Result<(), u64> {
        match &self.backend {
            Backend::Local { users, ips, checks } => {
                let limiter = if is_user { users } else { ips };
                // Forget idle keys now and then so memory follows the active clients.
                if checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
                    users.retain_recent();
                    ips.retain_recent();
                }
                limiter.check_key(&key.to_string()).map_err(|not_until| {
                    not_until
                        .wait_time_from(DefaultClock::default().now())
                        .as_secs()
                        .max(1)
                })
            }
            Backend::Redis(conn) => {
                let limit = if is_user { self.per_user } else { self.per_ip };
                let now = chrono::Utc::now().timestamp();
                let window = now / 60;
                let redis_key = format!("gateway:ratelimit:{key}:{window}");
                let mut c = conn.clone();
                let res: redis::RedisResult<(i64,)> = redis::pipe()
                    .atomic()
                    .incr(&redis_key, 1)
                    .expire(&redis_key, 61)
                    .ignore()
                    .query_async(&mut c)
                    .await;
                match res {
                    Ok((count,)) if count > i64::from(limit) => Err((60 - (now % 60)) as u64),
                    Ok(_) => Ok(()),
                    Err(e) => {
                        // Fail open: an unreachable Redis must not take the API down.
                        tracing::warn!(error = %e, "rate-limit store unreachable; request allowed");
                        Ok(())
                    }
                }
            }
        }
    }
}

pub async fn limit(State(limiter): State<Arc<Limiter>>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let token = bearer_token(&parts).map(str::to_owned);
    let (key, is_user) = match token.as_deref().map(|t| limiter.auth.decode(t)) {
        Some(Ok(claims)) => (format!("user:{}", claims.sub), true),
        // A forged token is refused at the edge; an expired one is left to the context
        // (it answers TOKEN_EXPIRED) and counted against the client's address.
        Some(Err(crate::auth::TokenError::Invalid)) => {
            return ApiError::unauthorized("The access token is invalid.").into_response();
        }
        _ => (
            format!(
                "ip:{}",
                client_ip_of(&parts).0.unwrap_or_else(|| "unknown".into())
            ),
            false,
        ),
    };
    if let Err(retry) = limiter.check(&key, is_user).await {
        metrics::counter!("gateway_rate_limited_total", "kind" => if is_user { "user" } else { "ip" })
            .increment(1);
        return ApiError::too_many(
            "RATE_LIMITED",
            retry,
            format!("Too many requests; try again in {retry} s."),
        )
        .into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}
