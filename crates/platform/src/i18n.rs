//! The languages TripGen speaks to travellers (English, the default, and Korean) and how a
//! request chooses one: an explicit `?lang=ko|en` wins, else the first language of
//! `Accept-Language` that we speak, else English. Also the shared vocabulary that more
//! than one context renders into text: place categories and interests, named as the web
//! app names them (`web/src/i18n.ts`).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

/// A language of traveller-facing texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Ko,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Ko];

    /// The ISO 639-1 code (`en`, `ko`).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ko => "ko",
        }
    }

    /// `en` or `ko` (any case, region subtags ignored: `ko-KR`); `None` for others.
    pub fn parse(tag: &str) -> Option<Language> {
        let tag = tag.trim().to_ascii_lowercase();
        match tag.split(['-', '_']).next()? {
            "ko" => Some(Language::Ko),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` value that we speak (list order; the
    /// clients we know send their preference first), `None` when there is none.
    pub fn from_accept_language(header: Option<&str>) -> Option<Language> {
        header?.split(',').find_map(|part| {
            let tag = part.split(';').next()?;
            Language::parse(tag)
        })
    }

    /// The text of this language out of an English and a Korean one.
    pub fn pick<T>(self, en: T, ko: T) -> T {
        match self {
            Language::En => en,
            Language::Ko => ko,
        }
    }
}

/// The request's language as an extractor: `?lang=` (when it names a language we speak),
/// else `Accept-Language`, else English. Never rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lang(pub Language);

impl Lang {
    pub fn of(query: Option<&str>, accept_language: Option<&str>) -> Language {
        let explicit = query.and_then(|q| {
            q.split('&').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                (k == "lang").then(|| Language::parse(v)).flatten()
            })
        });
        explicit
            .or_else(|| Language::from_accept_language(accept_language))
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(Lang(Lang::of(parts.uri.query(), accept)))
    }
}

/// A place category (the planner's and the catalogue's camelCase key) as a noun.
pub fn category_name(key: &str, lang: Language) -> String {
    let (en, ko) = match key {
        "attraction" => ("attraction", "관광명소"),
        "museum" => ("museum", "박물관"),
        "gallery" => ("gallery", "미술관"),
        "viewpoint" => ("viewpoint", "전망대"),
        "park" => ("park", "공원"),
        "nature" => ("nature spot", "자연 명소"),
        "religious" => ("religious site", "종교 시설"),
        "historic" => ("historic site", "유적지"),
        "entertainment" => ("entertainment venue", "엔터테인먼트"),
        "shopping" => ("shopping spot", "쇼핑 장소"),
        "restaurant" => ("restaurant", "음식점"),
        "cafe" => ("café", "카페"),
        "bar" => ("bar", "바"),
        "laundry" => ("laundry", "빨래방"),
        "parking" => ("parking", "주차장"),
        "lodging" => ("lodging", "숙소"),
        "sports" => ("sports venue", "스포츠 시설"),
        "bench" => ("bench", "벤치"),
        _ => ("place", "장소"),
    };
    lang.pick(en, ko).to_string()
}

/// A traveller interest (`sightseeing`, `culture`, …) as a noun.
pub fn interest_name(key: &str, lang: Language) -> String {
    let (en, ko) = match key {
        "sightseeing" => ("sightseeing", "관광"),
        "shopping" => ("shopping", "쇼핑"),
        "culture" => ("culture", "문화"),
        "nature" => ("nature", "자연"),
        "sports" => ("sports", "스포츠"),
        "rest" => ("rest", "휴식"),
        other => (other, other),
    };
    lang.pick(en, ko).to_string()
}

/// The form of a Korean particle that fits `word`: the first (`은`, `이`, `을`, `과`) after
/// a final consonant (batchim), the second after a vowel. Words that do not end in Hangul
/// (Latin place names, digits) take the first form; texts avoid particles after such names
/// where they can.
pub fn particle(word: &str, with_batchim: &'static str, without: &'static str) -> &'static str {
    match word.trim_end().chars().last() {
        Some(c @ '\u{AC00}'..='\u{D7A3}') => {
            if (c as u32 - 0xAC00).is_multiple_of(28) {
                without
            } else {
                with_batchim
            }
        }
        _ => with_batchim,
    }
}

/// `word` followed by the right form of a particle (see [`particle`]).
pub fn with_particle(word: &str, with_batchim: &'static str, without: &'static str) -> String {
    format!("{word}{}", particle(word, with_batchim, without))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_first_we_speak() {
        assert_eq!(
            Language::from_accept_language(Some("ko-KR,ko;q=0.9,en;q=0.8")),
            Some(Language::Ko)
        );
        assert_eq!(
            Language::from_accept_language(Some("de, en-GB;q=0.5")),
            Some(Language::En)
        );
        assert_eq!(Language::from_accept_language(Some("fr")), None);
        assert_eq!(Language::from_accept_language(None), None);
        assert_eq!(Language::from_accept_language(Some("")), None);
    }

    #[test]
    fn query_overrides_the_header_and_english_is_the_default() {
        assert_eq!(Lang::of(Some("day=1&lang=ko"), Some("en")), Language::Ko);
        assert_eq!(Lang::of(Some("lang=xx"), Some("ko")), Language::Ko);
        assert_eq!(Lang::of(None, Some("ja")), Language::En);
        assert_eq!(Lang::of(None, None), Language::En);
    }

    #[test]
    fn particles_follow_the_final_consonant() {
        assert_eq!(with_particle("박물관", "은", "는"), "박물관은");
        assert_eq!(with_particle("카페", "은", "는"), "카페는");
        assert_eq!(with_particle("Louvre", "이", "가"), "Louvre이");
    }

    #[test]
    fn vocabulary_in_both_languages() {
        assert_eq!(category_name("museum", Language::Ko), "박물관");
        assert_eq!(category_name("museum", Language::En), "museum");
        assert_eq!(category_name("unknown", Language::Ko), "장소");
        assert_eq!(interest_name("rest", Language::Ko), "휴식");
    }
}
