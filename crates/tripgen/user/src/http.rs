//! HTTP API of the user context (`/api/v1/users`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;
use tripgen_platform::AuthUser;
use tripgen_platform::conditional;
use tripgen_platform::error::{ApiError, ApiResult, Problem};
use tripgen_platform::http::{ApiJson, ClientIp};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::*;
use crate::service::UserService;

type Svc = State<Arc<UserService>>;

/// Routes relative to `/api/v1/users`.
pub fn router(svc: Arc<UserService>) -> OpenApiRouter {
    let upload_limit = svc.platform.config.http.upload_limit_bytes;
    let (schemas, paths, avatar) = routes!(upload_avatar);
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(get_profile, update_profile))
        .routes((
            schemas,
            paths,
            avatar.layer(DefaultBodyLimit::max(upload_limit)),
        ))
        .routes(routes!(get_avatar))
        .routes(routes!(email_change))
        .routes(routes!(email_verify))
        .routes(routes!(change_password))
        .routes(routes!(check_username))
        .routes(routes!(check_email))
        .routes(routes!(check_password))
        // Tokens and personal data must not be kept by browsers or proxies; an answer that
        // sets its own policy (the avatar image) keeps it.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(svc)
}

/// Create an account (USER-010).
#[utoipa::path(post, path = "/register", tag = "users", request_body = RegisterRequest,
    responses((status = 201, body = Profile), (status = 422, body = Problem, description = "Invalid fields"),
              (status = 409, body = Problem, description = "Username or e-mail taken")))]
async fn register(
    State(s): Svc,
    ip: ClientIp,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<Profile>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.register(req, ip.as_deref()).await?),
    ))
}

/// Sign in (USER-020). Five consecutive failures lock the account for 30 minutes.
#[utoipa::path(post, path = "/login", tag = "users", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem, description = "INVALID_CREDENTIALS"),
              (status = 423, body = Problem, description = "ACCOUNT_LOCKED, with `extra.lockedUntil`")))]
async fn login(
    State(s): Svc,
    ip: ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(s.login(req, ip.as_deref()).await?))
}

/// Exchange a refresh token for a new pair (rotation; reuse ends the session).
#[utoipa::path(post, path = "/token/refresh", tag = "users", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem)))]
async fn refresh(
    State(s): Svc,
    ip: ClientIp,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(s.refresh(req, ip.as_deref()).await?))
}

/// End this session: its refresh and access tokens stop working at once (USER-040).
#[utoipa::path(post, path = "/logout", tag = "users", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
async fn logout(State(s): Svc, ip: ClientIp, who: AuthUser) -> ApiResult<StatusCode> {
    s.logout(&who, ip.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's profile, with a weak `ETag` (still `Cache-Control: no-store`: personal data); 304 when
/// `If-None-Match` names the current one.
#[utoipa::path(get, path = "/profile", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 304, description = "Not modified: `If-None-Match` names the current `ETag`"),
              (status = 401, body = Problem)))]
async fn get_profile(State(s): Svc, who: AuthUser, headers: HeaderMap) -> ApiResult<Response> {
    conditional::json_response(&headers, &s.profile(&who).await?, conditional::NO_STORE)
}

/// Edit name and phone; a different `email` starts the e-mail change.
#[utoipa::path(put, path = "/profile", tag = "users", security(("bearer" = [])), request_body = UpdateProfileRequest,
    responses((status = 200, body = Profile), (status = 422, body = Problem)))]
async fn update_profile(
    State(s): Svc,
    ip: ClientIp,
    who: AuthUser,
    ApiJson(req): ApiJson<UpdateProfileRequest>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(s.update_profile(&who, req, ip.as_deref()).await?))
}

/// Upload an avatar (multipart field `file`, JPG or PNG, ≤ 5 MB, checked by content).
#[utoipa::path(post, path = "/profile/avatar", tag = "users", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 200, body = Profile), (status = 413, body = Problem), (status = 415, body = Problem)))]
async fn upload_avatar(
    State(s): Svc,
    who: AuthUser,
    mut form: Multipart,
) -> ApiResult<Json<Profile>> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "An avatar is at most 5 MB.",
        )
    };
    loop {
        let field = form.next_field().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::bad_request("MALFORMED_MULTIPART", e.body_text())
            }
        })?;
        let Some(field) = field else {
            return Err(ApiError::field(
                "file",
                "REQUIRED",
                "Attach the image as the multipart field `file`.",
            ));
        };
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::bad_request("MALFORMED_MULTIPART", e.body_text())
                }
            })?;
            return Ok(Json(s.upload_avatar(&who, bytes).await?));
        }
    }
}

/// An avatar thumbnail. Keys are unguessable (UUIDv7 per upload), so `<img>` works
/// without a token.
#[utoipa::path(get, path = "/avatars/{user}/{file}", tag = "users",
    params(("user" = String, Path), ("file" = String, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = Problem)))]
async fn get_avatar(
    State(s): Svc,
    Path((user, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let valid = uuid::Uuid::parse_str(&user).is_ok()
        && file
            .strip_suffix(".jpg")
            .is_some_and(|f| uuid::Uuid::parse_str(f).is_ok());
    if !valid {
        return Err(ApiError::not_found("NOT_FOUND", "No such avatar."));
    }
    let bytes = s.avatar(&format!("avatars/{user}/{file}")).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=86400, immutable"),
        ],
        bytes,
    )
        .into_response())
}

/// Send a 6-digit code (valid 10 minutes) to a new address.
#[utoipa::path(post, path = "/profile/email-change", tag = "users", security(("bearer" = [])), request_body = EmailChangeRequest,
    responses((status = 202, body = EmailChangeResponse), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn email_change(
    State(s): Svc,
    ip: ClientIp,
    who: AuthUser,
    ApiJson(req): ApiJson<EmailChangeRequest>,
) -> ApiResult<(StatusCode, Json<EmailChangeResponse>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(s.start_email_change(&who, req, ip.as_deref()).await?),
    ))
}

/// Confirm the new address with its code.
#[utoipa::path(post, path = "/profile/email-verify", tag = "users", security(("bearer" = [])), request_body = EmailVerifyRequest,
    responses((status = 200, body = Profile), (status = 422, body = Problem)))]
async fn email_verify(
    State(s): Svc,
    ip: ClientIp,
    who: AuthUser,
    ApiJson(req): ApiJson<EmailVerifyRequest>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(s.verify_email_change(&who, req, ip.as_deref()).await?))
}

/// Change the password (current one required); ends every other session.
#[utoipa::path(put, path = "/profile/password", tag = "users", security(("bearer" = [])), request_body = PasswordChangeRequest,
    responses((status = 204), (status = 422, body = Problem)))]
async fn change_password(
    State(s): Svc,
    ip: ClientIp,
    who: AuthUser,
    ApiJson(req): ApiJson<PasswordChangeRequest>,
) -> ApiResult<StatusCode> {
    s.change_password(&who, req, ip.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/check/username/{username}", tag = "users", params(("username" = String, Path)),
    responses((status = 200, body = Availability)))]
async fn check_username(
    State(s): Svc,
    Path(username): Path<String>,
) -> ApiResult<Json<Availability>> {
    Ok(Json(s.username_availability(&username).await?))
}

#[utoipa::path(get, path = "/check/email/{email}", tag = "users", params(("email" = String, Path)),
    responses((status = 200, body = Availability)))]
async fn check_email(State(s): Svc, Path(email): Path<String>) -> ApiResult<Json<Availability>> {
    Ok(Json(s.email_availability(&email).await?))
}

/// Password rules and strength (weak/medium/strong), as the sign-up form shows them.
#[utoipa::path(post, path = "/check/password", tag = "users", request_body = PasswordCheckRequest,
    responses((status = 200, body = PasswordCheck)))]
async fn check_password(
    State(s): Svc,
    ApiJson(req): ApiJson<PasswordCheckRequest>,
) -> Json<PasswordCheck> {
    Json(s.password_check(&req))
}
