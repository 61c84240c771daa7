//! The Goal context's `/internal/v1` API for the other targets (split mode): the daily
//! batch's bulk read of goals and completions in a window, one user's window (the home
//! screen's encouragement), and erasing a deleted user's goals. Service tokens only; never
//! routed by the gateway.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::internal::ServiceCaller;
use uuid::Uuid;

use std::sync::Arc;

use crate::repo::WindowGoalRow;
use crate::service::GoalService;

/// Goal missions of goals overlapping a window and the completions in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Window {
    pub goals: Vec<WindowGoalRow>,
    /// (user, mission, local day `YYYY-MM-DD`).
    pub completions: Vec<(Uuid, String, String)>,
    /// Paged (`limit` given): the next page's `after`; absent after the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Uuid>,
}

/// Users per page of `windows` at most (a page of 1,000 users is about 200 KB of JSON).
pub const MAX_PAGE_USERS: u32 = 5_000;

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both inclusive; `windows` also takes
/// `limit` (users per page, 1–5000) and `after` (the previous page's `next`).
#[derive(Debug, Deserialize)]
pub struct Span {
    from: String,
    to: String,
    after: Option<String>,
    limit: Option<String>,
}

impl Span {
    fn days(&self) -> ApiResult<(String, String)> {
        let parse = |field: &'static str, v: &str| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(|d| d.to_string())
                .map_err(|_| ApiError::field(field, "INVALID_DATE", "must be YYYY-MM-DD"))
        };
        Ok((parse("from", &self.from)?, parse("to", &self.to)?))
    }
}

pub fn router(goals: Arc<GoalService>) -> Router {
    Router::new()
        .route("/internal/v1/goals/windows", get(windows))
        .route(
            "/internal/v1/goals/users/{user_id}/window",
            get(user_window),
        )
        .route("/internal/v1/goals/users/{user_id}", delete(erase))
        .with_state(goals)
}

async fn windows(
    _: ServiceCaller,
    State(goals): State<Arc<GoalService>>,
    Query(span): Query<Span>,
) -> ApiResult<Json<Window>> {
    let repo = &goals.repo;
    let (from, to) = span.days()?;
    // Without `limit`: the whole window in one answer (what a batch target of the previous
    // version asks for during a rolling upgrade).
    let Some(limit) = span.limit.as_deref() else {
        return Ok(Json(Window {
            goals: repo.window_goals(&from, &to).await?,
            completions: repo.window_completions(&from, &to).await?,
            next: None,
        }));
    };
    let limit = limit
        .parse::<u32>()
        .ok()
        .filter(|l| (1..=MAX_PAGE_USERS).contains(l))
        .ok_or_else(|| ApiError::field("limit", "INVALID_LIMIT", "limit must be 1–5000"))?;
    let after =
        match span.after.as_deref() {
            None => None,
            Some(a) => Some(Uuid::parse_str(a).map_err(|_| {
                ApiError::field("after", "INVALID_CURSOR", "after must be a user id")
            })?),
        };
    let page = repo.window_page(&from, &to, after, limit).await?;
    Ok(Json(Window {
        goals: page.goals,
        completions: page.completions,
        next: page.next,
    }))
}

async fn user_window(
    _: ServiceCaller,
    State(goals): State<Arc<GoalService>>,
    Path(user_id): Path<Uuid>,
    Query(span): Query<Span>,
) -> ApiResult<Json<Window>> {
    let repo = &goals.repo;
    let (from, to) = span.days()?;
    let completions = repo
        .completions_between(user_id, &from, &to)
        .await?
        .into_iter()
        .map(|c| (user_id, c.mission_id, c.date))
        .collect();
    Ok(Json(Window {
        goals: repo.user_window_goals(user_id, &from, &to).await?,
        completions,
        next: None,
    }))
}

/// Erases the user's goals, completions and ledger (`user-deleted`). Idempotent.
async fn erase(
    _: ServiceCaller,
    State(goals): State<Arc<GoalService>>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    goals.erase_user(user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
