//! `/internal/v1` routes whose answers are shaped for another context's port, so they are
//! composed here where both contexts' types meet: the health target serves the latest
//! checkup as the intelligence context reads it; the intelligence target serves
//! recommendations as the goal context reads them, and erases a deleted user's data.
//! (Each context's own internal routes live in its crate.) Service tokens only.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use healthsync_goal::ports::{Offer, Recommendations};
use healthsync_health::repo::HealthRepo;
use healthsync_intelligence::ports::CheckupFacts;
use healthsync_intelligence::recommendations::Recommender;
use serde::Deserialize;
use serde_json::Value;
use tripgen_platform::ApiError;
use tripgen_platform::error::ApiResult;
use tripgen_platform::internal::ServiceCaller;
use uuid::Uuid;

use crate::adapters::intelligence::{LocalRecommendations, latest_checkup_facts};

/// On the health target.
pub fn health_router(repo: HealthRepo) -> Router {
    Router::new()
        .route(
            "/internal/v1/health/users/{user_id}/checkup-facts",
            get(checkup_facts),
        )
        .with_state(repo)
}

/// 404 when the user has no checkup.
async fn checkup_facts(
    _: ServiceCaller,
    State(repo): State<HealthRepo>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<Json<CheckupFacts>> {
    latest_checkup_facts(&repo, user_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("CHECKUP_NOT_FOUND", "The user has no checkup."))
}

/// On the intelligence target.
pub fn intelligence_router(recommender: Arc<Recommender>) -> Router {
    Router::new()
        .route(
            "/internal/v1/intelligence/users/{user_id}/recommendations/{id}/offer",
            get(offer),
        )
        .route(
            "/internal/v1/intelligence/users/{user_id}/recommendations/after-reset",
            post(after_reset),
        )
        .route("/internal/v1/intelligence/users/{user_id}", delete(erase))
        .with_state(Arc::new(LocalRecommendations { recommender }))
}

type Recs = State<Arc<LocalRecommendations>>;

/// The missions recommendation `id` offered; 404 if unknown or someone else's.
async fn offer(
    _: ServiceCaller,
    State(r): Recs,
    Path((user_id, id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<Offer>> {
    r.offer(user_id, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("RECOMMENDATION_NOT_FOUND", "No such recommendation."))
}

#[derive(Debug, Deserialize)]
struct AfterReset {
    excluded: Vec<String>,
    language: String,
}

/// Fresh recommendations without the reset goal's missions, rendered in `language`.
async fn after_reset(
    _: ServiceCaller,
    State(r): Recs,
    Path(user_id): Path<Uuid>,
    Json(req): Json<AfterReset>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        r.after_reset(user_id, &req.excluded, &req.language).await?,
    ))
}

/// Erases the intelligence context's share of a deleted user (`user-deleted`). Idempotent.
async fn erase(
    _: ServiceCaller,
    State(r): Recs,
    Path(user_id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    r.recommender.repo.erase_user(user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
