//! The request's language for products whose default is Korean (HealthSync): `?lang=`,
//! else `Accept-Language`, else Korean. ([`crate::i18n::Lang`] defaults to English.)

use std::convert::Infallible;

use crate::i18n::Language;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangKo(pub Language);

impl LangKo {
    pub fn of(query: Option<&str>, accept_language: Option<&str>) -> Language {
        let explicit = query.and_then(|q| {
            q.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k == "lang").then(|| Language::parse(v)).flatten()
            })
        });
        explicit
            .or_else(|| Language::from_accept_language(accept_language))
            .unwrap_or(Language::Ko)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for LangKo {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(LangKo(LangKo::of(parts.uri.query(), accept)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_unless_asked_otherwise() {
        assert_eq!(LangKo::of(None, None), Language::Ko);
        assert_eq!(LangKo::of(None, Some("en-US,en;q=0.9")), Language::En);
        assert_eq!(LangKo::of(Some("lang=en"), Some("ko")), Language::En);
        assert_eq!(LangKo::of(Some("lang=xx"), None), Language::Ko);
    }
}
