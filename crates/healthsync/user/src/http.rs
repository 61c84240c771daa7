//! HTTP API of the User context: `/api/v1/auth/…` and `/api/v1/users/…`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::{ApiJson, optional_json_body};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::profile::ProfileInput;
use crate::dto::*;
use crate::service::UserService;
use tripgen_platform::lang_ko::LangKo;

type Svc = State<Arc<UserService>>;

pub const REFRESH_COOKIE: &str = "hs_refresh";
pub const CSRF_HEADER: &str = "x-healthsync-csrf";

/// Routes relative to `/api/v1/auth`.
pub fn auth_router(svc: Arc<UserService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(oidc_start))
        .routes(routes!(oidc_callback))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(session))
        .with_state(svc)
}

/// Routes relative to `/api/v1/users`.
pub fn users_router(svc: Arc<UserService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(me, delete_me))
        .routes(routes!(put_profile))
        .routes(routes!(put_settings))
        .routes(routes!(occupations))
        .with_state(svc)
}

fn refresh_cookie(token: &str, max_age_secs: i64) -> HeaderValue {
    let value = format!(
        "{REFRESH_COOKIE}={token}; Path=/api/v1/auth/token; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == REFRESH_COOKIE).then(|| v.to_string())
        })
}

const REFRESH_MAX_AGE: i64 = 30 * 24 * 3600;

/// Start a sign-in: a single-use attempt (state, nonce, PKCE verifier; 10 minutes).
#[utoipa::path(post, path = "/oidc/start", tag = "auth", request_body(content = Option<StartRequest>, description = "optional"),
    responses((status = 200, body = StartResponse), (status = 422, body = Problem),
              (status = 503, body = Problem, description = "OIDC_PROVIDER_UNAVAILABLE")))]
async fn oidc_start(State(s): Svc, body: Bytes) -> ApiResult<Json<StartResponse>> {
    let req: StartRequest = optional_json_body(&body)?;
    Ok(Json(s.start(req).await?))
}

/// Finish a sign-in (HS-USER-010): exchanges the code, verifies the ID token, creates the
/// user on first sign-in; sets the refresh cookie.
#[utoipa::path(post, path = "/oidc/callback", tag = "auth", request_body = CallbackRequest,
    responses((status = 200, body = SignInResponse),
              (status = 400, body = Problem, description = "OIDC_STATE_INVALID"),
              (status = 401, body = Problem, description = "OIDC_TOKEN_INVALID (extra.check names the failed check)"),
              (status = 403, body = Problem, description = "EMAIL_NOT_VERIFIED"),
              (status = 503, body = Problem, description = "OIDC_PROVIDER_UNAVAILABLE")))]
async fn oidc_callback(
    State(s): Svc,
    LangKo(lang): LangKo,
    ApiJson(req): ApiJson<CallbackRequest>,
) -> ApiResult<Response> {
    let answer = s.callback(req, lang.code()).await?;
    let cookie = refresh_cookie(&answer.refresh_token, REFRESH_MAX_AGE);
    Ok(([(header::SET_COOKIE, cookie)], Json(answer)).into_response())
}

/// Rotate a refresh token (body, or the cookie with `X-HealthSync-CSRF: 1`).
#[utoipa::path(post, path = "/token/refresh", tag = "auth", request_body(content = Option<RefreshRequest>, description = "optional: the `hs_refresh` cookie instead"),
    responses((status = 200, body = TokenResponse),
              (status = 401, body = Problem, description = "REFRESH_TOKEN_INVALID, REFRESH_TOKEN_REUSED")))]
async fn refresh(State(s): Svc, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let req: RefreshRequest = optional_json_body(&body)?;
    let from_body = req.refresh_token.filter(|t| !t.is_empty());
    let token = match from_body {
        Some(t) => t,
        None => {
            let csrf = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) == Some("1");
            match cookie_token(&headers) {
                Some(t) if csrf => t,
                Some(_) => {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "FORBIDDEN",
                        "Refreshing by cookie needs the header X-HealthSync-CSRF: 1.",
                    ));
                }
                None => String::new(),
            }
        }
    };
    let answer = s.refresh(&token).await?;
    let cookie = refresh_cookie(&answer.refresh_token, REFRESH_MAX_AGE);
    Ok(([(header::SET_COOKIE, cookie)], Json(answer)).into_response())
}

/// Sign out: the session ends and its access tokens stop at once.
#[utoipa::path(post, path = "/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
async fn logout(State(s): Svc, who: AuthUser) -> ApiResult<Response> {
    s.logout(&who).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, refresh_cookie("", 0))],
    )
        .into_response())
}

/// The current session.
#[utoipa::path(get, path = "/session", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem)))]
async fn session(State(s): Svc, who: AuthUser) -> ApiResult<Json<SessionInfo>> {
    Ok(Json(s.session(&who).await?))
}

/// My profile (HS-USER-030).
#[utoipa::path(get, path = "/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, body = Problem)))]
async fn me(State(s): Svc, who: AuthUser, LangKo(lang): LangKo) -> ApiResult<Json<Profile>> {
    Ok(Json(s.me(&who, lang.code()).await?))
}

/// Delete my account (HS-USER-070): 204; the rest is erased through `user-deleted`.
#[utoipa::path(delete, path = "/me", tag = "users", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
async fn delete_me(State(s): Svc, who: AuthUser) -> ApiResult<StatusCode> {
    s.delete(&who).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Complete or edit my profile (HS-USER-020); every invalid field at once.
#[utoipa::path(put, path = "/me/profile", tag = "users", security(("bearer" = [])), request_body = ProfileInput,
    responses((status = 200, body = Profile), (status = 422, body = Problem, description = "VALIDATION_FAILED")))]
async fn put_profile(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    ApiJson(input): ApiJson<ProfileInput>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(s.complete_profile(&who, input, lang.code()).await?))
}

/// My settings (HS-USER-060).
#[utoipa::path(put, path = "/me/settings", tag = "users", security(("bearer" = [])), request_body = SettingsRequest,
    responses((status = 200, body = Profile), (status = 422, body = Problem)))]
async fn put_settings(
    State(s): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    ApiJson(req): ApiJson<SettingsRequest>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(s.update_settings(&who, req, lang.code()).await?))
}

/// The occupation list (HS-USER-040).
#[utoipa::path(get, path = "/occupations", tag = "users",
    responses((status = 200, body = OccupationList)))]
async fn occupations(State(s): Svc, LangKo(lang): LangKo) -> Json<OccupationList> {
    Json(s.occupations(lang.code()))
}
