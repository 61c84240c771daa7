//! The Health context's `/internal/v1` API for the other targets (split mode): the user
//! target drops a user's checkup link when sex or birth date change (HS-USER-020).
//! Service tokens only; never routed by the gateway.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::delete;
use tripgen_platform::error::ApiResult;
use tripgen_platform::internal::ServiceCaller;
use uuid::Uuid;

use crate::repo::HealthRepo;

pub fn router(repo: HealthRepo) -> Router {
    Router::new()
        .route(
            "/internal/v1/health/users/{user_id}/link",
            delete(forget_link),
        )
        .with_state(repo)
}

/// Drops the link and the derived checkups; the next sync links again. Idempotent.
async fn forget_link(
    _: ServiceCaller,
    State(repo): State<HealthRepo>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    repo.forget_link(user_id)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(StatusCode::NO_CONTENT)
}
