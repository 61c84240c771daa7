//! How much a place is what travellers come for: a 0–100 score computed at import from what
//! OpenStreetMap says about it, with the evidence that made it (shown in place details and
//! nearby results). The model and its weights are documented in docs/location.md
//! ("Significance"); [`significance`] is the whole formula.

use serde::{Deserialize, Serialize};

use crate::category::{Classification, Tags, tag};

/// Version of the model; a stored place computed by an older one is refreshed on re-import
/// even when its OSM version did not change.
pub const MODEL_VERSION: u8 = 1;

/// A signal that moved the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Signal {
    /// Linked to a Wikidata item (`wikidata=Q…`).
    Wikidata,
    /// Linked to a Wikipedia article (and not to Wikidata).
    Wikipedia,
    /// Named in other languages (`name:xx`): the detail is how many.
    Languages,
    /// A heritage designation (`heritage=*`, `listed_status=*`).
    Heritage,
    /// The kind of place (a museum ranks far above a bench): the detail is the kind.
    Kind,
    /// The size of its area or building, in m².
    Area,
    /// Also tagged as a tourist attraction.
    Tourism,
    OpeningHours,
    Website,
    /// A minor object (fountain, small artwork, plaque, memorial stone, bench) nobody links.
    Minor,
    /// An external popularity table (`tripgen import significance`).
    Popularity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub signal: Signal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub points: i16,
}

/// The score and why.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Significance {
    pub score: u8,
    pub evidence: Vec<Evidence>,
    /// [`MODEL_VERSION`] that computed it (0: stored before the model existed).
    #[serde(default)]
    pub model: u8,
}

/// Every score starts here, so that an unremarkable place sits at 10 and a minor object at 0.
const BASE: i16 = 10;

/// Kinds that are small street furniture or markers: no visit of their own unless linked.
pub fn is_minor_kind(kind: &str) -> bool {
    matches!(
        kind,
        "amenity=fountain"
            | "tourism=artwork"
            | "historic=memorial"
            | "historic=plaque"
            | "historic=wayside_cross"
            | "historic=wayside_shrine"
            | "historic=stone"
            | "historic=boundary_stone"
            | "amenity=bench"
    )
}

/// Points for the kind of place (see docs/location.md for the table).
fn kind_points(kind: &str, tags: &Tags<'_>, linked: bool) -> i16 {
    match kind {
        "tourism=museum" | "tourism=zoo" | "tourism=aquarium" | "tourism=theme_park" => 15,
        "tourism=attraction" | "amenity=marketplace" => 10,
        "tourism=viewpoint" | "place=square" => 8,
        "historic=castle" | "historic=palace" | "historic=fort" | "historic=city_gate"
        | "historic=monument" | "historic=tower" | "historic=cathedral" | "historic=church"
        | "historic=monastery" => 8,
        "tourism=gallery" | "leisure=nature_reserve" => 6,
        "amenity=place_of_worship" | "building=cathedral" | "building=church" => {
            let cathedral = matches!(tag(tags, "building"), Some("cathedral" | "basilica"));
            4 + if linked { 6 } else { 0 } + if cathedral { 6 } else { 0 }
        }
        "historic=building"
        | "historic=ruins"
        | "historic=archaeological_site"
        | "leisure=park"
        | "highway=pedestrian"
        | "amenity=theatre"
        | "amenity=concert_hall"
        | "amenity=planetarium" => 4,
        "leisure=garden" | "amenity=arts_centre" => 2,
        "amenity=casino" | "amenity=nightclub" | "amenity=cinema" => -5,
        _ => 0,
    }
}

/// `name:xx` keys that are languages (`name:de`, `name:zh-Hant`), not `name:prefix` & co.
pub fn is_language_name(key: &str) -> bool {
    let Some(code) = key.strip_prefix("name:") else {
        return false;
    };
    let (lang, script) = code.split_once('-').unwrap_or((code, ""));
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && script.len() <= 4
        && script.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The score of an element from its tags, its classification and its area (m², for ways
/// and relations that enclose one).
pub fn significance(tags: &Tags<'_>, class: &Classification, area_m2: Option<f64>) -> Significance {
    let mut evidence = Vec::new();
    let mut add = |signal, detail: Option<String>, points: i16| {
        if points != 0 {
            evidence.push(Evidence {
                signal,
                detail,
                points,
            });
        }
    };
    let wikidata = tag(tags, "wikidata");
    let wikipedia = tag(tags, "wikipedia");
    let linked = wikidata.is_some() || wikipedia.is_some();
    match (wikidata, wikipedia) {
        (Some(q), _) => add(Signal::Wikidata, Some(q.to_owned()), 20),
        (None, Some(w)) => add(Signal::Wikipedia, Some(w.to_owned()), 20),
        _ => {}
    }
    let languages = tags.iter().filter(|(k, _)| is_language_name(k)).count();
    let lang_points = (6.0 * (1.0 + languages as f64).log2()).min(24.0).round() as i16;
    add(Signal::Languages, Some(languages.to_string()), lang_points);
    if tag(tags, "heritage").is_some() || tag(tags, "listed_status").is_some() {
        add(Signal::Heritage, None, 8);
    }
    if let Some(a) = area_m2.filter(|a| a.is_finite() && *a > 0.0) {
        let points = (4.0 * (a / 100.0).log10()).clamp(0.0, 12.0).round() as i16;
        add(Signal::Area, Some(format!("{}", a.round())), points);
    }
    let minor = is_minor_kind(&class.kind);
    let kind = kind_points(&class.kind, tags, linked);
    add(Signal::Kind, Some(class.kind.clone()), kind);
    if minor && !linked && languages == 0 {
        add(Signal::Minor, Some(class.kind.clone()), -10);
    }
    if tag(tags, "tourism") == Some("attraction") && class.kind != "tourism=attraction" {
        add(Signal::Tourism, None, 6);
    }
    if tag(tags, "opening_hours").is_some() {
        add(Signal::OpeningHours, None, 2);
    }
    if tag(tags, "website")
        .or_else(|| tag(tags, "contact:website"))
        .is_some()
    {
        add(Signal::Website, None, 2);
    }
    let total: i16 = BASE + evidence.iter().map(|e| e.points).sum::<i16>();
    Significance {
        score: total.clamp(0, 100) as u8,
        evidence,
        model: MODEL_VERSION,
    }
}

impl Significance {
    /// Adds (or replaces) the points of an external popularity figure in 0..=1 (e.g. the
    /// Wikipedia importance of Nominatim's table): up to 30 points.
    pub fn with_popularity(mut self, popularity: f64) -> Self {
        self.evidence.retain(|e| e.signal != Signal::Popularity);
        let points = (30.0 * popularity.clamp(0.0, 1.0)).round() as i16;
        if points > 0 {
            self.evidence.push(Evidence {
                signal: Signal::Popularity,
                detail: Some(format!("{popularity:.3}")),
                points,
            });
        }
        let total: i16 = BASE + self.evidence.iter().map(|e| e.points).sum::<i16>();
        self.score = total.clamp(0, 100) as u8;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::classify;

    fn score(tags: &[(&str, &str)], area: Option<f64>) -> u8 {
        significance(tags, &classify(tags).unwrap(), area).score
    }

    #[test]
    fn landmarks_rank_far_above_street_furniture() {
        let cathedral = [
            ("amenity", "place_of_worship"),
            ("building", "cathedral"),
            ("name", "Frauenkirche"),
            ("wikidata", "Q167193"),
            ("name:en", "Cathedral of Our Dear Lady"),
            ("name:it", "Duomo di Monaco"),
            ("name:ko", "프라우엔 교회"),
            ("name:fr", "Cathédrale"),
            ("heritage", "4"),
        ];
        let museum = [
            ("tourism", "museum"),
            ("name", "Deutsches Museum"),
            ("wikidata", "Q131617"),
        ];
        let fountain = [("amenity", "fountain"), ("name", "Kartoffelbrunnen")];
        let bench = [
            ("tourism", "artwork"),
            ("name", "artistic bench"),
            ("artwork_type", "bench"),
        ];
        let cafe = [("amenity", "cafe"), ("name", "Café")];
        let c = score(&cathedral, Some(3_000.0));
        let m = score(&museum, Some(40_000.0));
        assert!(c >= 70 && m >= 55, "{c} {m}");
        assert_eq!(score(&fountain, None), 0);
        assert_eq!(score(&bench, None), 0);
        assert_eq!(score(&cafe, None), 10);
        // A Wikidata-linked fountain (the Fischbrunnen) is significant again.
        let linked = [
            ("amenity", "fountain"),
            ("name", "Fischbrunnen"),
            ("wikidata", "Q1"),
        ];
        assert!(score(&linked, None) >= 30);
    }

    #[test]
    fn evidence_adds_up_and_languages_are_languages() {
        let tags = [
            ("tourism", "museum"),
            ("name", "M"),
            ("name:de", "M"),
            ("name:zh-Hant", "M"),
            ("name:prefix", "x"),
            ("opening_hours", "Mo-Su 10:00-18:00"),
        ];
        let s = significance(&tags, &classify(&tags).unwrap(), None);
        let sum: i16 = s.evidence.iter().map(|e| e.points).sum();
        assert_eq!(i16::from(s.score), BASE + sum);
        let langs = s
            .evidence
            .iter()
            .find(|e| e.signal == Signal::Languages)
            .unwrap();
        assert_eq!(langs.detail.as_deref(), Some("2"));
        let p = s.clone().with_popularity(1.0);
        assert_eq!(p.score, s.score + 30);
        assert_eq!(p.clone().with_popularity(0.0).score, s.score);
    }
}
