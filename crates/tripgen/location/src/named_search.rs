//! Places a traveller names, looked up over the whole city (not only around the hotel):
//! "the Olympic park", "Nymphenburg Palace", "님펜부르크 궁전". The catalogue's text index
//! finds names sharing a distinctive word's beginning (accents and typos later in the word
//! do not matter: "hofbrauhaus" finds "Hofbräuhaus"); a name in another script than the
//! catalogue's is matched by the caller among the city's best-known places, which come
//! along. The caller ranks the answer (the AI context's fuzzy, cross-script matching).

use chrono::NaiveDate;
use tripgen_platform::error::ApiResult;

use crate::gazetteer::City;
use crate::nearby::fold;
use crate::service::{CityLookup, LocationService, PlaceAround};

/// Most text hits per search word (the most significant first).
const HITS_PER_WORD: i64 = 40;

/// The city's best-known places that come along for names in another script.
const WELL_KNOWN: i64 = 300;

/// The widest city searched (metres from its centre).
const MAX_CITY_RADIUS_M: f64 = 50_000.0;

/// Words of place names too common to search by.
const GENERIC: &[&str] = &[
    "the",
    "and",
    "park",
    "garden",
    "gardens",
    "palace",
    "castle",
    "museum",
    "church",
    "cathedral",
    "market",
    "square",
    "tower",
    "bridge",
    "gallery",
    "street",
    "platz",
    "kirche",
    "schloss",
    "strasse",
    "old",
    "new",
    "great",
];

/// The words `name` is searched by: the whole name (as written and folded) and the first
/// four letters of each distinctive word of four or more.
pub fn search_words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |w: String| {
        if w.chars().count() >= 2 && !out.contains(&w) {
            out.push(w);
        }
    };
    let lower = name.trim().to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower).to_string();
    push(lower.clone());
    let folded = fold(&lower);
    push(folded.clone());
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().count() < 4 || GENERIC.contains(&word) {
            continue;
        }
        push(word.chars().take(4).collect());
    }
    out
}

fn has_non_latin(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_alphabetic() && !c.is_ascii_alphabetic() && (c as u32) > 0x024F)
}

impl LocationService {
    /// Places of `city` whose names may be `name` (best-known first, at most `limit`),
    /// each with its opening intervals on `dates`; none when the city is unknown.
    pub async fn places_named(
        &self,
        city: &str,
        name: &str,
        limit: usize,
        dates: &[NaiveDate],
    ) -> ApiResult<Vec<PlaceAround>> {
        let CityLookup::Found(city) = self.resolve_city(city).await? else {
            return Ok(Vec::new());
        };
        let radius = city_radius(&city);
        let near = Some((city.centre, radius));
        let mut ids: Vec<String> = Vec::new();
        let mut add = |id: &str| {
            if !ids.iter().any(|x| x == id) {
                ids.push(id.to_string());
            }
        };
        for word in search_words(name) {
            for hit in self.store.search_names(&word, near, HITS_PER_WORD).await? {
                if city.bbox.contains(hit.summary.position) {
                    add(hit.summary.id.as_str());
                }
            }
        }
        if has_non_latin(name) {
            for s in self.store.within(city.centre, radius, WELL_KNOWN).await? {
                if city.bbox.contains(s.summary.position) {
                    add(s.summary.id.as_str());
                }
            }
        }
        ids.truncate(limit);
        self.with_hours(&ids, dates).await
    }
}

/// From the city's centre to its farthest corner (its whole box), capped.
fn city_radius(city: &City) -> f64 {
    let b = &city.bbox;
    [
        (b.min_lat, b.min_lon),
        (b.min_lat, b.max_lon),
        (b.max_lat, b.min_lon),
        (b.max_lat, b.max_lon),
    ]
    .into_iter()
    .filter_map(|(lat, lon)| crate::GeoPoint::new(lat, lon).ok())
    .map(|p| city.centre.haversine_m(&p))
    .fold(1_000.0, f64::max)
    .min(MAX_CITY_RADIUS_M)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_name_and_its_distinctive_beginnings() {
        assert_eq!(
            search_words("the Olympic park"),
            vec!["olympic park", "olym"]
        );
        assert_eq!(
            search_words("Hofbräuhaus"),
            vec!["hofbräuhaus", "hofbrauhaus", "hofb"]
        );
        assert_eq!(
            search_words("님펜부르크 궁전"),
            vec!["님펜부르크 궁전", "님펜부르"]
        );
    }
}
