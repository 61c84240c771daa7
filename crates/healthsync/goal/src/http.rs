//! HTTP API of the Goal context (`/api/v1/goals…`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiResult, Problem};
use tripgen_platform::http::{ApiJson, optional_json_body};
use tripgen_platform::lang_ko::LangKo;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::*;
use crate::service::GoalService;

type Svc = State<Arc<GoalService>>;

/// Routes relative to `/api/v1`.
pub fn router(service: Arc<GoalService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(set_goal))
        .routes(routes!(current))
        .routes(routes!(complete, undo))
        .routes(routes!(history))
        .routes(routes!(reset))
        .routes(routes!(points))
        .with_state(service)
}

/// Choose 1–5 missions of a recommendation as the goal (HS-GOAL-010).
#[utoipa::path(post, path = "/goals", tag = "goals", security(("bearer" = [])),
    request_body = SetGoalRequest,
    responses((status = 201, body = GoalCreated),
              (status = 404, body = Problem, description = "RECOMMENDATION_NOT_FOUND"),
              (status = 410, body = Problem, description = "RECOMMENDATION_EXPIRED"),
              (status = 422, body = Problem, description = "VALIDATION_FAILED, DUPLICATE_MISSION, MISSION_NOT_RECOMMENDED")))]
async fn set_goal(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    ApiJson(req): ApiJson<SetGoalRequest>,
) -> ApiResult<(StatusCode, Json<GoalCreated>)> {
    let created = s.set_goal(who.user_id, req, lang.code()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Today's missions of the active goal (HS-GOAL-020).
#[utoipa::path(get, path = "/goals/current", tag = "goals", security(("bearer" = [])),
    responses((status = 200, body = CurrentGoal),
              (status = 404, body = Problem, description = "NO_ACTIVE_GOAL")))]
async fn current(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
) -> ApiResult<Json<CurrentGoal>> {
    Ok(Json(s.current(who.user_id, lang.code()).await?))
}

fn notes_of(body: &Bytes) -> ApiResult<Option<String>> {
    let req: CompletionRequest = optional_json_body(body)?;
    Ok(req.notes)
}

/// Check a mission off for today; a repeat changes nothing (HS-GOAL-030).
#[utoipa::path(put, path = "/goals/current/missions/{missionId}/completion", tag = "goals",
    security(("bearer" = [])), params(("missionId" = String, Path)),
    request_body(content = Option<CompletionRequest>, description = "optional"),
    responses((status = 200, body = CompletionAnswer),
              (status = 404, body = Problem, description = "NO_ACTIVE_GOAL, MISSION_NOT_FOUND"),
              (status = 422, body = Problem, description = "VALIDATION_FAILED (notes)")))]
async fn complete(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Path(mission_id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<CompletionAnswer>> {
    let notes = notes_of(&body)?;
    Ok(Json(
        s.set_completion(who.user_id, &mission_id, true, notes, lang.code())
            .await?,
    ))
}

/// Undo today's check-off, reversing exactly its points (HS-GOAL-030).
#[utoipa::path(delete, path = "/goals/current/missions/{missionId}/completion", tag = "goals",
    security(("bearer" = [])), params(("missionId" = String, Path)),
    responses((status = 200, body = CompletionAnswer),
              (status = 404, body = Problem, description = "NO_ACTIVE_GOAL, MISSION_NOT_FOUND")))]
async fn undo(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Path(mission_id): Path<String>,
) -> ApiResult<Json<CompletionAnswer>> {
    Ok(Json(
        s.set_completion(who.user_id, &mission_id, false, None, lang.code())
            .await?,
    ))
}

/// History and achievement statistics of a period (HS-GOAL-040).
#[utoipa::path(get, path = "/goals/history", tag = "goals", security(("bearer" = [])),
    params(HistoryQuery),
    responses((status = 200, body = HistoryAnswer),
              (status = 422, body = Problem, description = "VALIDATION_FAILED (from, to)")))]
async fn history(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryAnswer>> {
    Ok(Json(s.history(who.user_id, q, lang.code()).await?))
}

/// End the goal with a reason and get new recommendations (HS-GOAL-050).
#[utoipa::path(post, path = "/goals/current/reset", tag = "goals", security(("bearer" = [])),
    request_body = ResetRequest,
    responses((status = 200, body = ResetAnswer),
              (status = 404, body = Problem, description = "NO_ACTIVE_GOAL"),
              (status = 422, body = Problem, description = "VALIDATION_FAILED (reason, comment)"),
              (status = 429, body = Problem, description = "RESET_LIMIT")))]
async fn reset(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    ApiJson(req): ApiJson<ResetRequest>,
) -> ApiResult<Json<ResetAnswer>> {
    Ok(Json(s.reset(who.user_id, req, lang.code()).await?))
}

/// The points ledger, newest first, with the total (HS-GOAL-060).
#[utoipa::path(get, path = "/goals/points", tag = "goals", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PointsPage),
              (status = 422, body = Problem, description = "VALIDATION_FAILED (cursor, limit)")))]
async fn points(
    State(s): Svc,
    who: AuthUser,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<PointsPage>> {
    Ok(Json(s.points_page(who.user_id, q).await?))
}
