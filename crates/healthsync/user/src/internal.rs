//! The User context's `/internal/v1` API for the other targets (split mode): the profile
//! facts the health context judges by. Service tokens only; never routed by the gateway.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use tripgen_platform::error::ApiResult;
use tripgen_platform::internal::ServiceCaller;
use uuid::Uuid;

use crate::service::{ProfileFacts, UserService};

pub fn router(svc: Arc<UserService>) -> Router {
    Router::new()
        .route(
            "/internal/v1/users/{user_id}/profile-facts",
            get(profile_facts),
        )
        .with_state(svc)
}

async fn profile_facts(
    _: ServiceCaller,
    State(s): State<Arc<UserService>>,
    Path(user_id): Path<Uuid>,
) -> ApiResult<Json<ProfileFacts>> {
    Ok(Json(s.profile_state(user_id).await?))
}
