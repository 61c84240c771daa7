//! A local OpenID Connect provider for the tests: its own RSA keys, 127.0.0.1:0, the real
//! protocol (discovery, JWKS, authorization endpoint with PKCE, token endpoint), plus knobs
//! to make it misbehave the ways §6 lists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tripgen_platform::clock::{Clock, ManualClock};

pub const CLIENT_ID: &str = "healthsync-test";
pub const CLIENT_SECRET: &str = "test-client-secret";
pub const REDIRECT_URI: &str = "http://127.0.0.1:5173/auth/callback";

#[derive(Clone)]
pub struct Key {
    pub kid: String,
    encoding: EncodingKey,
    jwk: Value,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// RSA-2048 keys, generated once per test binary (slow in debug builds).
fn keys() -> &'static Vec<(EncodingKey, Value)> {
    static KEYS: OnceLock<Vec<(EncodingKey, Value)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand08::rngs::OsRng;
        (0..3)
            .map(|_| {
                let key = rsa::RsaPrivateKey::new(&mut rng, 2048).expect("rsa key");
                let der = key.to_pkcs1_der().expect("pkcs1 der");
                let encoding = EncodingKey::from_rsa_der(der.as_bytes());
                let public = key.to_public_key();
                let jwk = json!({
                    "kty": "RSA", "use": "sig", "alg": "RS256",
                    "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be()),
                });
                (encoding, jwk)
            })
            .collect()
    })
}

fn key(i: usize, kid: &str) -> Key {
    let (encoding, jwk) = keys()[i].clone();
    let mut jwk = jwk;
    jwk["kid"] = json!(kid);
    Key {
        kid: kid.into(),
        encoding,
        jwk,
    }
}

/// Who signs in next.
#[derive(Clone, Debug)]
pub struct Identity {
    pub sub: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
}

impl Identity {
    pub fn new(sub: &str) -> Identity {
        Identity {
            sub: sub.into(),
            email: format!("{sub}@example.com"),
            email_verified: true,
            name: "테스트 사용자".into(),
        }
    }
}

/// Ways to misbehave, applied to the next ID tokens.
#[derive(Clone, Debug, Default)]
pub struct Tweaks {
    pub iss: Option<String>,
    pub aud: Option<Value>,
    pub azp: Option<String>,
    /// Seconds added to `exp` (negative: already expired).
    pub exp_offset: Option<i64>,
    pub iat_offset: Option<i64>,
    pub nonce: Option<String>,
    /// Sign with a key that is not published, under the active `kid` (bad signature).
    pub forge_signature: bool,
    /// Sign with an unpublished key under an unknown `kid`.
    pub unknown_kid: bool,
    /// Every endpoint answers 503.
    pub down: bool,
}

struct CodeGrant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
    identity: Identity,
}

struct ProviderState {
    issuer: String,
    published: Vec<Key>,
    active: Key,
    next: Identity,
    tweaks: Tweaks,
    codes: HashMap<String, CodeGrant>,
    jwks_fetches: usize,
    /// The test's clock: Google's clock and ours agree, so tokens are stamped with the time
    /// the app under test sees (a test that advances it signs in at the advanced time).
    clock: ManualClock,
}

#[derive(Clone)]
pub struct OidcProvider {
    pub issuer: String,
    state: Arc<Mutex<ProviderState>>,
}

impl OidcProvider {
    pub async fn start(clock: ManualClock) -> OidcProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let issuer = format!("http://{}", listener.local_addr().expect("addr"));
        let first = key(0, "key-1");
        let state = Arc::new(Mutex::new(ProviderState {
            issuer: issuer.clone(),
            published: vec![first.clone()],
            active: first,
            next: Identity::new("subject-1"),
            tweaks: Tweaks::default(),
            codes: HashMap::new(),
            jwks_fetches: 0,
            clock,
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        OidcProvider { issuer, state }
    }

    pub fn next_identity(&self, id: Identity) {
        self.state.lock().expect("lock").next = id;
    }

    pub fn tweak(&self, t: Tweaks) {
        self.state.lock().expect("lock").tweaks = t;
    }

    /// Publishes a new key and signs with it from now on (the old one stays published
    /// only if `keep_old`).
    pub fn rotate(&self, keep_old: bool) {
        let mut s = self.state.lock().expect("lock");
        let next = key(1, "key-2");
        if !keep_old {
            s.published.clear();
        }
        s.published.push(next.clone());
        s.active = next;
    }

    pub fn jwks_fetches(&self) -> usize {
        self.state.lock().expect("lock").jwks_fetches
    }
}

fn unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "down").into_response()
}

async fn discovery(State(s): State<Arc<Mutex<ProviderState>>>) -> Response {
    let s = s.lock().expect("lock");
    if s.tweaks.down {
        return unavailable();
    }
    let i = &s.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
    }))
    .into_response()
}

async fn jwks(State(s): State<Arc<Mutex<ProviderState>>>) -> Response {
    let mut s = s.lock().expect("lock");
    if s.tweaks.down {
        return unavailable();
    }
    s.jwks_fetches += 1;
    let keys: Vec<Value> = s.published.iter().map(|k| k.jwk.clone()).collect();
    (
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        Json(json!({ "keys": keys })),
    )
        .into_response()
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

/// Signs the configured identity in at once and redirects back with a code.
async fn authorize(
    State(s): State<Arc<Mutex<ProviderState>>>,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    let mut s = s.lock().expect("lock");
    if s.tweaks.down {
        return unavailable();
    }
    if q.response_type != "code"
        || q.client_id != CLIENT_ID
        || q.code_challenge_method != "S256"
        || !q.scope.split(' ').any(|x| x == "openid")
    {
        return (StatusCode::BAD_REQUEST, "invalid_request").into_response();
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    let identity = s.next.clone();
    s.codes.insert(
        code.clone(),
        CodeGrant {
            redirect_uri: q.redirect_uri.clone(),
            challenge: q.code_challenge,
            nonce: q.nonce,
            identity,
        },
    );
    let location = format!("{}?code={code}&state={}", q.redirect_uri, q.state);
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    client_id: String,
    client_secret: Option<String>,
    code_verifier: String,
}

fn invalid_grant() -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": "invalid_grant" })),
    )
        .into_response()
}

async fn token(State(s): State<Arc<Mutex<ProviderState>>>, Form(f): Form<TokenForm>) -> Response {
    let mut s = s.lock().expect("lock");
    if s.tweaks.down {
        return unavailable();
    }
    if f.grant_type != "authorization_code"
        || f.client_id != CLIENT_ID
        || f.client_secret.as_deref() != Some(CLIENT_SECRET)
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    // Codes are single use.
    let Some(grant) = s.codes.remove(&f.code) else {
        return invalid_grant();
    };
    let challenge = b64(&Sha256::digest(f.code_verifier.as_bytes()));
    if grant.redirect_uri != f.redirect_uri || challenge != grant.challenge {
        return invalid_grant();
    }
    let t = s.tweaks.clone();
    let now = s.clock.now().timestamp();
    let claims = json!({
        "iss": t.iss.clone().unwrap_or_else(|| s.issuer.clone()),
        "sub": grant.identity.sub,
        "aud": t.aud.clone().unwrap_or(json!(CLIENT_ID)),
        "azp": t.azp.clone().unwrap_or_else(|| CLIENT_ID.into()),
        "exp": now + 3600 + t.exp_offset.unwrap_or(0),
        "iat": now + t.iat_offset.unwrap_or(0),
        "nonce": t.nonce.clone().unwrap_or(grant.nonce),
        "email": grant.identity.email,
        "email_verified": grant.identity.email_verified,
        "name": grant.identity.name,
    });
    let (kid, signing) = if t.unknown_kid {
        ("key-unknown".to_string(), key(2, "key-unknown").encoding)
    } else if t.forge_signature {
        (s.active.kid.clone(), key(2, "forged").encoding)
    } else {
        (s.active.kid.clone(), s.active.encoding.clone())
    };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid);
    let id_token = jsonwebtoken::encode(&header, &claims, &signing).expect("sign");
    Json(json!({
        "access_token": "provider-access-token",
        "token_type": "Bearer",
        "expires_in": 3600,
        "id_token": id_token,
    }))
    .into_response()
}
