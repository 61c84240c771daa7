//! The User context's `/internal/v1` API for the other targets (split mode): the profile
//! facts the health context judges by, the subject facts the intelligence context
//! personalises with, and the daily batch's recipients. Service tokens only; never routed
//! by the gateway.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::internal::ServiceCaller;
use uuid::Uuid;

use crate::repo::RecipientRow;
use crate::service::{ProfileFacts, UserService};

/// What the intelligence context reads of a user: the profile's state, the AI consent and
/// the occupation (no name, no e-mail).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectFacts {
    pub profile: ProfileFacts,
    pub ai_consent: bool,
    pub occupation_code: Option<String>,
}

pub fn router(svc: Arc<UserService>) -> Router {
    Router::new()
        .route(
            "/internal/v1/users/{user_id}/profile-facts",
            get(profile_facts),
        )
        .route("/internal/v1/users/{user_id}/subject", get(subject))
        .route("/internal/v1/users/recipients", get(recipients))
        .with_state(svc)
}

async fn profile_facts(
    _: ServiceCaller,
    State(s): State<Arc<UserService>>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<Json<ProfileFacts>> {
    Ok(Json(s.profile_state(user_id).await?))
}

/// 404 for an unknown user.
async fn subject(
    _: ServiceCaller,
    State(s): State<Arc<UserService>>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<Json<SubjectFacts>> {
    let profile = s.profile_state(user_id).await?;
    let user =
        s.repo.by_id(user_id).await?.ok_or_else(|| {
            tripgen_platform::ApiError::not_found("USER_NOT_FOUND", "No such user.")
        })?;
    Ok(Json(SubjectFacts {
        profile,
        ai_consent: user.ai_consent,
        occupation_code: user.occupation_code,
    }))
}

/// `?after=<user id>&limit=1–5000`: one page by user id (without `limit`: every user).
#[derive(Debug, Deserialize)]
pub struct Page {
    after: Option<String>,
    limit: Option<String>,
}

/// Every user's notification preferences (the daily batch; no personal data), paged by
/// id when `limit` is given (the next page starts after the last id of this one).
async fn recipients(
    _: ServiceCaller,
    State(s): State<Arc<UserService>>,
    Query(page): Query<Page>,
) -> ApiResult<Json<Vec<RecipientRow>>> {
    let Some(limit) = page.limit.as_deref() else {
        return Ok(Json(s.repo.recipients().await?));
    };
    let limit = limit
        .parse::<u32>()
        .ok()
        .filter(|l| (1..=5_000).contains(l))
        .ok_or_else(|| ApiError::field("limit", "INVALID_LIMIT", "limit must be 1–5000"))?;
    let after =
        match page.after.as_deref() {
            None => None,
            Some(a) => Some(Uuid::parse_str(a).map_err(|_| {
                ApiError::field("after", "INVALID_CURSOR", "after must be a user id")
            })?),
        };
    Ok(Json(s.repo.recipients_page(after, limit).await?))
}
