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

use crate::repo::{GoalRepo, WindowGoalRow};

/// Goal missions of goals overlapping a window and the completions in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Window {
    pub goals: Vec<WindowGoalRow>,
    /// (user, mission, local day `YYYY-MM-DD`).
    pub completions: Vec<(Uuid, String, String)>,
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both inclusive.
#[derive(Debug, Deserialize)]
pub struct Span {
    from: String,
    to: String,
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

pub fn router(repo: GoalRepo) -> Router {
    Router::new()
        .route("/internal/v1/goals/windows", get(windows))
        .route(
            "/internal/v1/goals/users/{user_id}/window",
            get(user_window),
        )
        .route("/internal/v1/goals/users/{user_id}", delete(erase))
        .with_state(repo)
}

async fn windows(
    _: ServiceCaller,
    State(repo): State<GoalRepo>,
    Query(span): Query<Span>,
) -> ApiResult<Json<Window>> {
    let (from, to) = span.days()?;
    Ok(Json(Window {
        goals: repo.window_goals(&from, &to).await?,
        completions: repo.window_completions(&from, &to).await?,
    }))
}

async fn user_window(
    _: ServiceCaller,
    State(repo): State<GoalRepo>,
    Path(user_id): Path<Uuid>,
    Query(span): Query<Span>,
) -> ApiResult<Json<Window>> {
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
    }))
}

/// Erases the user's goals, completions and ledger (`user-deleted`). Idempotent.
async fn erase(
    _: ServiceCaller,
    State(repo): State<GoalRepo>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    repo.erase_user(user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
