//! HTTP API of the Intelligence context (`/api/v1/intelligence`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, FieldError, Problem};
use tripgen_platform::http::ApiJson;
use tripgen_platform::lang_ko::LangKo;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::diagnose::{Diagnoser, DiagnosisDto};
use crate::recommendations::{IntelligenceError, RecommendationDto, Recommender, render};

pub struct IntelligenceApi {
    pub recommender: Arc<Recommender>,
    pub diagnoser: Arc<Diagnoser>,
    pub chat: Arc<crate::chat::Chat>,
    pub notifications: Arc<crate::notifications::Notifications>,
    pub encourager: Arc<crate::encouragement::Encourager>,
}

type Svc = State<Arc<IntelligenceApi>>;

/// Routes relative to `/api/v1/intelligence`.
pub fn router(api: Arc<IntelligenceApi>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(recommendations))
        .routes(routes!(diagnosis))
        .routes(routes!(chat_send))
        .routes(routes!(chat_sessions))
        .routes(routes!(chat_messages))
        .routes(routes!(chat_delete))
        .routes(routes!(encouragement))
        .routes(routes!(notifications_list))
        .routes(routes!(notifications_unread))
        .routes(routes!(notification_read))
        .routes(routes!(notifications_read_all))
        .with_state(api)
}

impl From<IntelligenceError> for ApiError {
    fn from(e: IntelligenceError) -> Self {
        match e {
            IntelligenceError::ProfileIncomplete(missing) => ApiError {
                errors: missing
                    .iter()
                    .map(|f| FieldError::new(f.as_str(), "REQUIRED", format!("{f} is required")))
                    .collect(),
                ..ApiError::conflict(
                    "PROFILE_INCOMPLETE",
                    "Complete your profile first (name, birth date, sex, occupation, consent).",
                )
            },
            IntelligenceError::UnknownUser => {
                ApiError::unauthorized("This account no longer exists.")
            }
            IntelligenceError::RefreshLimit => ApiError::too_many(
                "AI_RATE_LIMITED",
                3600,
                "You can ask for new recommendations 10 times a day.",
            ),
            IntelligenceError::CheckupNotFound => ApiError::not_found(
                "CHECKUP_NOT_FOUND",
                "Sync your checkup first: there is no result to read.",
            ),
            IntelligenceError::DiagnosisRefreshLimit => ApiError::too_many(
                "AI_RATE_LIMITED",
                3600,
                "You can refresh the diagnosis 5 times a day.",
            ),
            IntelligenceError::Store(e) => e.into(),
            IntelligenceError::Other(e) => e.into(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefreshQuery {
    /// `true` asks for a new set (10 per day).
    pub refresh: Option<String>,
}

/// `refresh=true|false` (absent = false); anything else is 422 naming the field.
pub fn parse_refresh(q: &RefreshQuery) -> ApiResult<bool> {
    match q.refresh.as_deref() {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(ApiError::validation(vec![FieldError::new(
            "refresh",
            "INVALID_VALUE",
            "refresh must be true or false",
        )])),
    }
}

/// Five catalogue missions for the caller (HS-AI-020).
#[utoipa::path(post, path = "/recommendations", tag = "intelligence", security(("bearer" = [])),
    params(RefreshQuery),
    responses((status = 200, body = RecommendationDto),
              (status = 409, body = Problem, description = "PROFILE_INCOMPLETE"),
              (status = 422, body = Problem, description = "VALIDATION_FAILED"),
              (status = 429, body = Problem, description = "AI_RATE_LIMITED")))]
async fn recommendations(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Query(q): Query<RefreshQuery>,
) -> ApiResult<Json<RecommendationDto>> {
    let refresh = parse_refresh(&q)?;
    let r = api.recommender.recommend(who.user_id, refresh).await?;
    Ok(Json(render(&r, lang.code())))
}

/// The 3-line diagnosis of the latest checkup (HS-AI-010).
#[utoipa::path(get, path = "/diagnosis", tag = "intelligence", security(("bearer" = [])),
    params(RefreshQuery),
    responses((status = 200, body = DiagnosisDto),
              (status = 404, body = Problem, description = "CHECKUP_NOT_FOUND"),
              (status = 409, body = Problem, description = "PROFILE_INCOMPLETE"),
              (status = 422, body = Problem, description = "VALIDATION_FAILED"),
              (status = 429, body = Problem, description = "AI_RATE_LIMITED")))]
async fn diagnosis(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Query(q): Query<RefreshQuery>,
) -> ApiResult<Json<DiagnosisDto>> {
    let refresh = parse_refresh(&q)?;
    Ok(Json(
        api.diagnoser
            .diagnose(who.user_id, refresh, lang.code())
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// Ask the health assistant (HS-AI-030).
#[utoipa::path(post, path = "/chat/messages", tag = "intelligence", security(("bearer" = [])),
    request_body = crate::chat::ChatRequest,
    responses((status = 200, body = crate::chat::ChatReply),
              (status = 404, body = Problem, description = "CHAT_SESSION_NOT_FOUND"),
              (status = 422, body = Problem, description = "VALIDATION_FAILED, INAPPROPRIATE_MESSAGE"),
              (status = 429, body = Problem, description = "AI_RATE_LIMITED")))]
async fn chat_send(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    ApiJson(req): ApiJson<crate::chat::ChatRequest>,
) -> ApiResult<Json<crate::chat::ChatReply>> {
    Ok(Json(api.chat.send(who.user_id, req, lang.code()).await?))
}

/// The caller's chat sessions, newest activity first.
#[utoipa::path(get, path = "/chat/sessions", tag = "intelligence", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = crate::chat::SessionPage), (status = 422, body = Problem)))]
async fn chat_sessions(
    State(api): Svc,
    who: AuthUser,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<crate::chat::SessionPage>> {
    Ok(Json(
        api.chat
            .sessions(who.user_id, q.cursor.as_deref(), q.limit.as_deref())
            .await?,
    ))
}

/// A session's messages, oldest first (default 20, at most 100 a page).
#[utoipa::path(get, path = "/chat/sessions/{sessionId}/messages", tag = "intelligence", security(("bearer" = [])),
    params(("sessionId" = Uuid, Path), PageQuery),
    responses((status = 200, body = crate::chat::MessagePage), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn chat_messages(
    State(api): Svc,
    who: AuthUser,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<crate::chat::MessagePage>> {
    Ok(Json(
        api.chat
            .messages(who.user_id, &id, q.cursor.as_deref(), q.limit.as_deref())
            .await?,
    ))
}

/// Deletes a session and its messages.
#[utoipa::path(delete, path = "/chat/sessions/{sessionId}", tag = "intelligence", security(("bearer" = [])),
    params(("sessionId" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn chat_delete(
    State(api): Svc,
    who: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    api.chat.delete(who.user_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    pub cursor: Option<String>,
    /// 1–50, default 20.
    pub limit: Option<String>,
    /// `true`: unread only.
    pub unread: Option<String>,
}

/// The caller's notifications, newest first (HS-AI-060).
#[utoipa::path(get, path = "/notifications", tag = "intelligence", security(("bearer" = [])),
    params(NotificationQuery),
    responses((status = 200, body = crate::notifications::NotificationPage), (status = 422, body = Problem)))]
async fn notifications_list(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<crate::notifications::NotificationPage>> {
    let unread = parse_refresh(&RefreshQuery {
        refresh: q.unread.clone(),
    })
    .map_err(|_| {
        ApiError::validation(vec![FieldError::new(
            "unread",
            "INVALID_VALUE",
            "unread must be true or false",
        )])
    })?;
    Ok(Json(
        api.notifications
            .list(
                who.user_id,
                q.cursor.as_deref(),
                q.limit.as_deref(),
                unread,
                lang.code(),
            )
            .await?,
    ))
}

/// How many notifications are unread.
#[utoipa::path(get, path = "/notifications/unread-count", tag = "intelligence", security(("bearer" = [])),
    responses((status = 200, body = crate::notifications::UnreadCount)))]
async fn notifications_unread(
    State(api): Svc,
    who: AuthUser,
) -> ApiResult<Json<crate::notifications::UnreadCount>> {
    Ok(Json(api.notifications.unread(who.user_id).await?))
}

/// Marks one notification read.
#[utoipa::path(post, path = "/notifications/{notificationId}/read", tag = "intelligence", security(("bearer" = [])),
    params(("notificationId" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn notification_read(
    State(api): Svc,
    who: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    api.notifications.mark_read(who.user_id, Some(&id)).await
}

/// Marks every notification read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "intelligence", security(("bearer" = [])),
    responses((status = 204)))]
async fn notifications_read_all(State(api): Svc, who: AuthUser) -> ApiResult<StatusCode> {
    api.notifications.mark_read(who.user_id, None).await
}

/// The home screen's encouragement (HS-AI-040).
#[utoipa::path(get, path = "/encouragement", tag = "intelligence", security(("bearer" = [])),
    responses((status = 200, body = crate::encouragement::Encouragement),
              (status = 404, body = Problem, description = "NO_ACTIVE_GOAL")))]
async fn encouragement(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
) -> ApiResult<Json<crate::encouragement::Encouragement>> {
    Ok(Json(api.encourager.today(who.user_id, lang.code()).await?))
}
