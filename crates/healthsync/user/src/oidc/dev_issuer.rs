//! The development issuer (spec §6): a built-in OpenID Connect provider at `/dev-oidc` for
//! trying HealthSync without Google. It speaks the real protocol — discovery, JWKS, an
//! authorization page where one types an e-mail and a name, a token endpoint enforcing
//! PKCE (S256) — so the relying party (`client.rs`) runs exactly the checks it runs
//! against Google. Off unless enabled (`serve --dev-issuer`); every page says what it is.
//!
//! Its ES256 key is made at start and lives in memory: a restart changes the `kid`, which
//! the relying party refetches like any key rotation. Codes live 60 s, once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use tripgen_platform::SharedClock;

/// Where the issuer is mounted.
pub const PATH: &str = "/dev-oidc";
const CODE_TTL_SECS: i64 = 60;
const ID_TOKEN_TTL_SECS: i64 = 300;

struct Grant {
    client_id: String,
    redirect_uri: String,
    nonce: Option<String>,
    challenge: String,
    email: String,
    name: String,
    expires_at: i64,
}

pub struct DevIssuer {
    /// `http://host:port/dev-oidc`: the `iss` of its tokens and its discovery.
    pub issuer: String,
    kid: String,
    encoding: EncodingKey,
    /// The public key's coordinates, base64url.
    x: String,
    y: String,
    clock: SharedClock,
    codes: Mutex<HashMap<String, Grant>>,
}

fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

impl DevIssuer {
    /// An issuer at `base` (the server's own address, e.g. `http://127.0.0.1:8090`).
    pub fn new(base: &str, clock: SharedClock) -> anyhow::Result<Arc<DevIssuer>> {
        let secret = loop {
            // Zero or ≥ the curve order is refused; a random 32-byte value almost never is.
            if let Ok(k) = p256::SecretKey::from_slice(&rand::random::<[u8; 32]>()) {
                break k;
            }
        };
        let der = secret
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("dev issuer key: {e}"))?;
        let encoding = EncodingKey::from_ec_der(der.as_bytes());
        let point = secret.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            anyhow::bail!("dev issuer key: no affine coordinates");
        };
        Ok(Arc::new(DevIssuer {
            issuer: format!("{}{PATH}", base.trim_end_matches('/')),
            kid: format!("dev-{}", &random_token()[..8]),
            encoding,
            x: URL_SAFE_NO_PAD.encode(x),
            y: URL_SAFE_NO_PAD.encode(y),
            clock,
            codes: Mutex::new(HashMap::new()),
        }))
    }

    /// Routes under [`PATH`].
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route(
                &format!("{PATH}/.well-known/openid-configuration"),
                get(discovery),
            )
            .route(&format!("{PATH}/jwks"), get(jwks))
            .route(
                &format!("{PATH}/authorize"),
                get(authorize_page).post(authorize),
            )
            .route(&format!("{PATH}/token"), post(token))
            .with_state(self.clone())
    }
}

type Issuer = State<Arc<DevIssuer>>;

async fn discovery(State(d): Issuer) -> Json<serde_json::Value> {
    let i = &d.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "email", "profile"],
    }))
}

async fn jwks(State(d): Issuer) -> Response {
    (
        // The key changes with every start: never cached for long.
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "keys": [{
            "kty": "EC", "crv": "P-256", "x": d.x, "y": d.y,
            "kid": d.kid, "alg": "ES256", "use": "sig",
        }]})),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// Only on the form's POST.
    email: Option<String>,
    name: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// The request's problems, checked before a page is shown or a code issued.
fn check_request(p: &AuthorizeParams) -> Result<(), &'static str> {
    if p.response_type.as_deref() != Some("code") {
        return Err("response_type must be code");
    }
    if p.client_id.as_deref().is_none_or(str::is_empty) {
        return Err("client_id is required");
    }
    let redirect = p.redirect_uri.as_deref().unwrap_or_default();
    if !(redirect.starts_with("http://") || redirect.starts_with("https://")) {
        return Err("redirect_uri must be an http(s) URL");
    }
    if p.code_challenge.as_deref().is_none_or(str::is_empty)
        || p.code_challenge_method.as_deref() != Some("S256")
    {
        return Err("PKCE is required: code_challenge with code_challenge_method=S256");
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn authorize_page(Query(p): Query<AuthorizeParams>) -> Response {
    if let Err(why) = check_request(&p) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", why);
    }
    let hidden: String = [
        ("response_type", &p.response_type),
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("state", &p.state),
        ("nonce", &p.nonce),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .map(|v| format!(r#"<input type="hidden" name="{k}" value="{}">"#, escape(v)))
    })
    .collect();
    Html(
        PAGE.replace("{hidden}", &hidden)
            .replace("{action}", &format!("{PATH}/authorize")),
    )
    .into_response()
}

async fn authorize(State(d): Issuer, Form(p): Form<AuthorizeParams>) -> Response {
    if let Err(why) = check_request(&p) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", why);
    }
    let email = p.email.as_deref().unwrap_or_default().trim().to_lowercase();
    let name = p.name.as_deref().unwrap_or_default().trim().to_string();
    if email.len() > 254 || !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "type an e-mail address (any address: nothing is sent to it)",
        );
    }
    let now = d.clock.now().timestamp();
    let code = random_token();
    let redirect_uri = p.redirect_uri.clone().unwrap_or_default();
    {
        let mut codes = d.codes.lock().unwrap_or_else(|e| e.into_inner());
        codes.retain(|_, g| g.expires_at > now);
        codes.insert(
            code.clone(),
            Grant {
                client_id: p.client_id.clone().unwrap_or_default(),
                redirect_uri: redirect_uri.clone(),
                nonce: p.nonce.clone(),
                challenge: p.code_challenge.clone().unwrap_or_default(),
                email,
                name: name.chars().take(50).collect(),
                expires_at: now + CODE_TTL_SECS,
            },
        );
    }
    let mut back = match url::Url::parse(&redirect_uri) {
        Ok(u) => u,
        Err(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "bad redirect_uri",
            );
        }
    };
    back.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = &p.state {
        back.query_pairs_mut().append_pair("state", state);
    }
    Redirect::to(back.as_str()).into_response()
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    code_verifier: Option<String>,
}

async fn token(State(d): Issuer, Form(f): Form<TokenForm>) -> Response {
    let invalid_grant = |why: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why);
    if f.grant_type.as_deref() != Some("authorization_code") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only authorization_code",
        );
    }
    let now = d.clock.now().timestamp();
    // Single use: taken out whatever happens next.
    let grant = {
        let mut codes = d.codes.lock().unwrap_or_else(|e| e.into_inner());
        f.code.as_deref().and_then(|c| codes.remove(c))
    };
    let Some(g) = grant.filter(|g| g.expires_at > now) else {
        return invalid_grant("unknown, used or expired code");
    };
    if f.redirect_uri.as_deref() != Some(g.redirect_uri.as_str()) {
        return invalid_grant("redirect_uri differs from the authorization request");
    }
    // The client may authenticate by HTTP Basic instead of a form field.
    if f.client_id.as_deref().is_some_and(|c| c != g.client_id) {
        return invalid_grant("client_id differs from the authorization request");
    }
    let verifier = f.code_verifier.as_deref().unwrap_or_default();
    if verifier.is_empty()
        || URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != g.challenge
    {
        return invalid_grant("PKCE verification failed");
    }
    // A stable subject per e-mail, so signing in again finds the same account.
    let sub = format!("dev-{}", &hex(&Sha256::digest(g.email.as_bytes()))[..32]);
    let claims = json!({
        "iss": d.issuer, "sub": sub, "aud": g.client_id, "azp": g.client_id,
        "iat": now, "exp": now + ID_TOKEN_TTL_SECS, "nonce": g.nonce,
        "email": g.email, "email_verified": true,
        "name": if g.name.is_empty() { None } else { Some(g.name) },
    });
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(d.kid.clone());
    match jsonwebtoken::encode(&header, &claims, &d.encoding) {
        Ok(id_token) => Json(json!({
            "access_token": random_token(),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_TTL_SECS,
            "id_token": id_token,
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "dev issuer cannot sign");
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "cannot sign",
            )
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HealthSync development sign-in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem">
<p role="alert" style="background:#fff3cd;border:1px solid #e0b000;padding:.75rem;border-radius:.5rem">
<strong>Development sign-in — not Google.</strong> For trying HealthSync on this machine only:
any e-mail is accepted and treated as verified. Never enable it in production.<br>
<span lang="ko"><strong>개발용 로그인 — Google이 아닙니다.</strong> 이 컴퓨터에서 시험할 때만 쓰세요.
입력한 이메일은 확인된 것으로 처리됩니다. 운영 환경에서는 절대 켜지 마세요.</span></p>
<form method="post" action="{action}">
{hidden}
<p><label>E-mail / 이메일<br><input name="email" type="email" required autocomplete="email" style="width:100%"></label></p>
<p><label>Name / 이름<br><input name="name" maxlength="50" autocomplete="name" style="width:100%"></label></p>
<p><button type="submit">Sign in / 로그인</button></p>
</form>
</body></html>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_echo() {
        assert_eq!(escape(r#""><script>"#), "&quot;&gt;&lt;script&gt;");
    }

    #[test]
    fn requests_without_pkce_are_refused() {
        let mut p = AuthorizeParams {
            response_type: Some("code".into()),
            client_id: Some("c".into()),
            redirect_uri: Some("http://127.0.0.1/cb".into()),
            state: None,
            nonce: None,
            code_challenge: Some("x".into()),
            code_challenge_method: Some("plain".into()),
            email: None,
            name: None,
        };
        assert!(check_request(&p).is_err());
        p.code_challenge_method = Some("S256".into());
        assert!(check_request(&p).is_ok());
    }
}
