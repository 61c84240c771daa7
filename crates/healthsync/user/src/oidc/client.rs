//! The relying party of the OIDC authorization-code flow with PKCE (spec §6): discovery,
//! the authorization URL, the code exchange and the ID-token checks, with the issuer's
//! JWKS cached per `Cache-Control` (≤ 24 h) and refetched on an unknown `kid` at most once
//! a minute.

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use tokio::sync::Mutex;
use tripgen_platform::SharedClock;

/// `[auth.oidc]`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The web app's `/auth/callback`.
    pub redirect_uri: String,
    pub scopes: String,
}

impl Default for OidcConfig {
    fn default() -> Self {
        OidcConfig {
            issuer: "https://accounts.google.com".into(),
            client_id: String::new(),
            client_secret: None,
            redirect_uri: "http://127.0.0.1:8090/auth/callback".into(),
            scopes: "openid email profile".into(),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OidcError {
    /// The provider cannot be reached or answered with a server error.
    #[error("the sign-in provider is unavailable: {0}")]
    Unavailable(String),
    /// A check of the code exchange or the ID token failed; names the check.
    #[error("the ID token failed the `{0}` check")]
    TokenInvalid(&'static str),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

/// The ID-token claims we use.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: serde_json::Value,
    pub azp: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub nonce: Option<String>,
    pub email: Option<String>,
    /// A boolean (Google) or the strings "true"/"false" (some providers).
    pub email_verified: Option<serde_json::Value>,
    pub name: Option<String>,
}

impl IdClaims {
    pub fn email_is_verified(&self) -> bool {
        match &self.email_verified {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => s == "true",
            _ => false,
        }
    }
}

struct JwksCache {
    keys: Option<JwkSet>,
    fetched: Option<Instant>,
    max_age: Duration,
    /// Last refetch caused by an unknown `kid` (at most once a minute).
    last_unknown_kid_fetch: Option<Instant>,
}

const LEEWAY_SECS: i64 = 60;
const MAX_JWKS_AGE: Duration = Duration::from_secs(24 * 3600);
const DISCOVERY_AGE: Duration = Duration::from_secs(3600);

pub struct OidcClient {
    pub config: OidcConfig,
    http: reqwest::Client,
    clock: SharedClock,
    discovery: Mutex<Option<(Discovery, Instant)>>,
    jwks: Mutex<JwksCache>,
}

impl OidcClient {
    pub fn new(config: OidcConfig, clock: SharedClock) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(8))
            .connect_timeout(Duration::from_secs(3))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(OidcClient {
            config,
            http,
            clock,
            discovery: Mutex::new(None),
            jwks: Mutex::new(JwksCache {
                keys: None,
                fetched: None,
                max_age: Duration::from_secs(3600),
                last_unknown_kid_fetch: None,
            }),
        })
    }

    fn issuer(&self) -> &str {
        self.config.issuer.trim_end_matches('/')
    }

    pub async fn discovery(&self) -> Result<Discovery, OidcError> {
        let mut cached = self.discovery.lock().await;
        if let Some((d, at)) = cached.as_ref()
            && at.elapsed() < DISCOVERY_AGE
        {
            return Ok(d.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer());
        let d: Discovery = self.get_json(&url).await?.0;
        if d.issuer.trim_end_matches('/') != self.issuer() {
            return Err(OidcError::Unavailable(format!(
                "discovery names issuer {} instead of {}",
                d.issuer,
                self.issuer()
            )));
        }
        *cached = Some((d.clone(), Instant::now()));
        Ok(d)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<(T, Option<Duration>), OidcError> {
        let resp = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))?;
        if !resp.status().is_success() {
            return Err(OidcError::Unavailable(format!(
                "{url}: HTTP {}",
                resp.status()
            )));
        }
        let max_age = resp
            .headers()
            .get(reqwest::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .and_then(max_age_of);
        let body = resp
            .json::<T>()
            .await
            .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))?;
        Ok((body, max_age))
    }

    /// The URL to send the browser to.
    pub async fn authorization_url(
        &self,
        state: &str,
        nonce: &str,
        challenge: &str,
    ) -> Result<String, OidcError> {
        let d = self.discovery().await?;
        let mut url = url::Url::parse(&d.authorization_endpoint)
            .map_err(|e| OidcError::Unavailable(format!("authorization_endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_uri)
            .append_pair("scope", &self.config.scopes)
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Exchanges the code (with the PKCE verifier and client secret) for the ID token.
    pub async fn exchange(&self, code: &str, verifier: &str) -> Result<String, OidcError> {
        let d = self.discovery().await?;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.config.redirect_uri.as_str()),
            ("client_id", self.config.client_id.as_str()),
            ("code_verifier", verifier),
        ];
        if let Some(secret) = &self.config.client_secret {
            form.push(("client_secret", secret.as_str()));
        }
        let resp = self
            .http
            .post(&d.token_endpoint)
            .form(&form)
            .send()
            .await
            .map_err(|e| OidcError::Unavailable(format!("token endpoint: {e}")))?;
        let status = resp.status();
        if status.is_server_error() {
            return Err(OidcError::Unavailable(format!(
                "token endpoint: HTTP {status}"
            )));
        }
        if !status.is_success() {
            // invalid_grant: unknown/used code or a PKCE verifier that does not match.
            return Err(OidcError::TokenInvalid("code_exchange"));
        }
        #[derive(Deserialize)]
        struct TokenResponse {
            id_token: Option<String>,
        }
        let body: TokenResponse = resp
            .json()
            .await
            .map_err(|_| OidcError::TokenInvalid("code_exchange"))?;
        body.id_token.ok_or(OidcError::TokenInvalid("id_token"))
    }

    async fn key_for(&self, kid: Option<&str>) -> Result<DecodingKey, OidcError> {
        let d = self.discovery().await?;
        let mut cache = self.jwks.lock().await;
        let stale = cache.fetched.is_none_or(|at| at.elapsed() >= cache.max_age);
        if stale {
            self.fetch_jwks(&d.jwks_uri, &mut cache).await?;
        }
        let find = |set: &JwkSet| -> Option<jsonwebtoken::jwk::Jwk> {
            match kid {
                Some(k) => set.find(k).cloned(),
                None if set.keys.len() == 1 => set.keys.first().cloned(),
                None => None,
            }
        };
        let mut jwk = cache.keys.as_ref().and_then(find);
        if jwk.is_none()
            && kid.is_some()
            && cache
                .last_unknown_kid_fetch
                .is_none_or(|at| at.elapsed() >= Duration::from_secs(60))
        {
            // Keys rotated since we fetched them: refetch, at most once a minute.
            cache.last_unknown_kid_fetch = Some(Instant::now());
            self.fetch_jwks(&d.jwks_uri, &mut cache).await?;
            jwk = cache.keys.as_ref().and_then(find);
        }
        let jwk = jwk.ok_or(OidcError::TokenInvalid("kid"))?;
        DecodingKey::from_jwk(&jwk).map_err(|_| OidcError::TokenInvalid("kid"))
    }

    async fn fetch_jwks(&self, url: &str, cache: &mut JwksCache) -> Result<(), OidcError> {
        let (set, max_age): (JwkSet, _) = self.get_json(url).await?;
        cache.keys = Some(set);
        cache.fetched = Some(Instant::now());
        cache.max_age = max_age
            .unwrap_or(Duration::from_secs(3600))
            .min(MAX_JWKS_AGE);
        Ok(())
    }

    /// Every check of §6 except `email_verified`, which the caller answers with 403.
    pub async fn verify(&self, id_token: &str, nonce: &str) -> Result<IdClaims, OidcError> {
        let header = decode_header(id_token).map_err(|_| OidcError::TokenInvalid("malformed"))?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(OidcError::TokenInvalid("alg"));
        }
        let key = self.key_for(header.kid.as_deref()).await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[self.issuer(), &format!("{}/", self.issuer())]);
        validation.set_audience(&[self.config.client_id.as_str()]);
        // Time is checked below against our clock, with the spec's 60 s leeway.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "iss", "aud", "sub"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let data = decode::<IdClaims>(id_token, &key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind::*;
            OidcError::TokenInvalid(match e.kind() {
                InvalidSignature => "signature",
                InvalidIssuer => "iss",
                InvalidAudience => "aud",
                InvalidAlgorithm | InvalidAlgorithmName | MissingAlgorithm => "alg",
                MissingRequiredClaim(_) => "claims",
                _ => "malformed",
            })
        })?;
        let c = data.claims;
        let now = self.clock.now().timestamp();
        if c.exp + LEEWAY_SECS <= now {
            return Err(OidcError::TokenInvalid("exp"));
        }
        if c.iat > now + LEEWAY_SECS {
            return Err(OidcError::TokenInvalid("iat"));
        }
        if let serde_json::Value::Array(list) = &c.aud
            && list.len() > 1
            && c.azp.as_deref() != Some(self.config.client_id.as_str())
        {
            return Err(OidcError::TokenInvalid("azp"));
        }
        if c.nonce.as_deref() != Some(nonce) {
            return Err(OidcError::TokenInvalid("nonce"));
        }
        Ok(c)
    }
}

/// `max-age=N` of a Cache-Control header.
fn max_age_of(value: &str) -> Option<Duration> {
    value.split(',').find_map(|d| {
        let (k, v) = d.trim().split_once('=')?;
        (k.eq_ignore_ascii_case("max-age"))
            .then(|| v.trim().parse::<u64>().ok().map(Duration::from_secs))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control_max_age() {
        assert_eq!(
            max_age_of("public, max-age=22810, must-revalidate"),
            Some(Duration::from_secs(22810))
        );
        assert_eq!(max_age_of("no-cache"), None);
    }
}
