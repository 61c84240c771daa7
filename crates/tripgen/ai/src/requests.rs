//! The deterministic special-request parser (ko/en): free text → the planner's structured
//! constraints. Used without a language model, and to check a model's answer. The text
//! is split into clauses; each clause gets a polarity from its keywords (avoid > less >
//! more > must) and applies it to the categories and catalogue names it mentions.

use serde::{Deserialize, Serialize};
use tripgen_planner::itinerary::{Category, Constraints, Pace};

/// What a request asked for, before it is matched against one city's catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestIntent {
    pub avoid_categories: Vec<Category>,
    pub more_of: Vec<Category>,
    pub less_of: Vec<Category>,
    pub pace: Option<Pace>,
    /// Dietary notes (the catalogue has no menus: reported, not planned).
    pub dietary: Vec<String>,
    /// Clauses (lower-cased) with their polarity, for name matching per city.
    #[serde(skip)]
    clauses: Vec<(Polarity, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Avoid,
    Less,
    More,
    Must,
    Neutral,
}

const AVOID: &[&str] = &[
    "avoid", "no ", "not ", "don't", "dont", "without", "skip", "hate", "except", "빼", "제외",
    "싫", "말고", "없이", "피해", "피하", "안 가", "안가",
];
const LESS: &[&str] = &["less", "fewer", "not too many", "적게", "덜", "조금만"];
const MORE: &[&str] = &[
    "more", "lots of", "a lot of", "love", "prefer", "like", "많이", "더 ", "좋아", "위주",
];
const MUST: &[&str] = &[
    "must",
    "definitely",
    "want to see",
    "want to visit",
    "visit",
    "see ",
    "꼭",
    "반드시",
    "가고 싶",
    "보고 싶",
    "가보고",
];
const SLOW: &[&str] = &[
    "slow",
    "relaxed",
    "easy pace",
    "leisurely",
    "take it easy",
    "여유",
    "천천히",
    "느긋",
    "쉬엄쉬엄",
];
const FAST: &[&str] = &[
    "packed",
    "busy",
    "as much as possible",
    "fast pace",
    "빡빡",
    "최대한 많이",
    "알차게",
];
const DIETARY: &[(&str, &str)] = &[
    ("vegetarian", "vegetarian"),
    ("vegan", "vegan"),
    ("halal", "halal"),
    ("kosher", "kosher"),
    ("gluten", "gluten-free"),
    ("allerg", "allergy"),
    ("채식", "vegetarian"),
    ("비건", "vegan"),
    ("할랄", "halal"),
    ("알레르기", "allergy"),
    ("글루텐", "gluten-free"),
];

/// Category keywords; Latin ones match whole words (prefix), Hangul ones anywhere.
const CATEGORIES: &[(&str, Category)] = &[
    ("museum", Category::Museum),
    ("박물관", Category::Museum),
    ("gallery", Category::Gallery),
    ("galleries", Category::Gallery),
    ("art", Category::Gallery),
    ("미술관", Category::Gallery),
    ("갤러리", Category::Gallery),
    ("park", Category::Park),
    ("garden", Category::Park),
    ("공원", Category::Park),
    ("정원", Category::Park),
    ("nature", Category::Nature),
    ("hiking", Category::Nature),
    ("자연", Category::Nature),
    ("등산", Category::Nature),
    ("shopping", Category::Shopping),
    ("shop", Category::Shopping),
    ("market", Category::Shopping),
    ("쇼핑", Category::Shopping),
    ("시장", Category::Shopping),
    ("church", Category::Religious),
    ("churches", Category::Religious),
    ("cathedral", Category::Religious),
    ("temple", Category::Religious),
    ("성당", Category::Religious),
    ("교회", Category::Religious),
    ("사찰", Category::Religious),
    ("histor", Category::Historic),
    ("castle", Category::Historic),
    ("palace", Category::Historic),
    ("monument", Category::Historic),
    ("역사", Category::Historic),
    ("궁전", Category::Historic),
    ("유적", Category::Historic),
    ("viewpoint", Category::Viewpoint),
    ("view", Category::Viewpoint),
    ("전망", Category::Viewpoint),
    ("cafe", Category::Cafe),
    ("café", Category::Cafe),
    ("coffee", Category::Cafe),
    ("카페", Category::Cafe),
    ("bar", Category::Bar),
    ("pub", Category::Bar),
    ("beer", Category::Bar),
    ("술집", Category::Bar),
    ("맥주", Category::Bar),
    ("attraction", Category::Attraction),
    ("zoo", Category::Attraction),
    ("명소", Category::Attraction),
    ("동물원", Category::Attraction),
    ("sport", Category::Sports),
    ("stadium", Category::Sports),
    ("스포츠", Category::Sports),
    ("경기장", Category::Sports),
];

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c)
}

/// Latin keywords that match any word they start (`histor` → history, historic).
const STEMS: &[&str] = &["histor", "sport"];

/// `needle` in `hay` (both lower-case): Hangul anywhere (particles follow nouns); Latin
/// as a whole word, plural `s`/`es` allowed, stems as a word start.
fn mentions(hay: &str, needle: &str) -> bool {
    if needle.chars().any(is_hangul) {
        return hay.contains(needle);
    }
    hay.match_indices(needle).any(|(i, _)| {
        let starts = hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let rest: String = hay[i + needle.len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        starts && (STEMS.contains(&needle) || matches!(rest.as_str(), "" | "s" | "es"))
    })
}

fn polarity(clause: &str) -> Polarity {
    let has = |words: &[&str]| words.iter().any(|w| clause.contains(w));
    if has(AVOID) {
        Polarity::Avoid
    } else if has(LESS) {
        Polarity::Less
    } else if has(MORE) {
        Polarity::More
    } else if has(MUST) {
        Polarity::Must
    } else {
        Polarity::Neutral
    }
}

fn push<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Parses free text (at most 500 characters by the API's rule).
pub fn parse(text: &str) -> RequestIntent {
    let lower = format!("{} ", text.to_lowercase());
    let mut out = RequestIntent::default();
    for raw in lower.split(['.', ',', ';', '!', '?', '\n', '·']) {
        let clause = format!(" {} ", raw.trim());
        if clause.trim().is_empty() {
            continue;
        }
        let p = polarity(&clause);
        if SLOW.iter().any(|w| clause.contains(w)) {
            out.pace = Some(Pace::Slow);
        } else if FAST.iter().any(|w| clause.contains(w)) {
            out.pace = Some(Pace::Fast);
        }
        for (word, note) in DIETARY {
            if clause.contains(word) {
                push(&mut out.dietary, (*note).to_string());
            }
        }
        for (word, cat) in CATEGORIES {
            if !mentions(&clause, word) {
                continue;
            }
            match p {
                Polarity::Avoid => push(&mut out.avoid_categories, *cat),
                Polarity::Less => push(&mut out.less_of, *cat),
                Polarity::More | Polarity::Must => push(&mut out.more_of, *cat),
                Polarity::Neutral => {}
            }
        }
        out.clauses.push((p, clause));
    }
    // A category both wanted and avoided: avoiding wins (the safer reading).
    let avoided = out.avoid_categories.clone();
    out.more_of.retain(|c| !avoided.contains(c));
    out.less_of.retain(|c| !avoided.contains(c));
    out
}

/// A catalogue name long enough to be recognised in free text without false hits.
fn recognisable(name: &str) -> bool {
    let n = name.trim().chars().count();
    if name.chars().any(is_hangul) {
        n >= 2
    } else {
        n >= 5
    }
}

impl RequestIntent {
    /// An intent from already structured parts (a language model's validated answer);
    /// names are matched against each city's catalogue like the parser's.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        avoid_categories: Vec<Category>,
        more_of: Vec<Category>,
        less_of: Vec<Category>,
        pace: Option<Pace>,
        dietary: Vec<String>,
        must_names: Vec<String>,
        avoid_names: Vec<String>,
    ) -> RequestIntent {
        let clause = |n: &String| format!(" {} ", n.to_lowercase());
        let clauses = must_names
            .iter()
            .map(|n| (Polarity::Must, clause(n)))
            .chain(avoid_names.iter().map(|n| (Polarity::Avoid, clause(n))))
            .collect();
        RequestIntent {
            avoid_categories,
            more_of,
            less_of,
            pace,
            dietary,
            clauses,
        }
    }

    /// The constraints for one city: `places` are `(id, names)` of its catalogue; names
    /// mentioned in an avoid clause are avoided, in any other clause must be visited.
    pub fn constraints(&self, places: &[(String, Vec<String>)]) -> Constraints {
        let mut c = Constraints {
            avoid_categories: self.avoid_categories.clone(),
            more_of: self.more_of.clone(),
            less_of: self.less_of.clone(),
            pace: self.pace.unwrap_or_default(),
            ..Constraints::default()
        };
        for (id, names) in places {
            for (p, clause) in &self.clauses {
                let hit = names
                    .iter()
                    .map(|n| n.to_lowercase())
                    .any(|n| recognisable(&n) && mentions(clause, n.trim()));
                if !hit {
                    continue;
                }
                if *p == Polarity::Avoid {
                    push(&mut c.avoid_places, id.clone());
                } else {
                    push(&mut c.must_visit, id.clone());
                }
            }
        }
        c.must_visit.retain(|id| !c.avoid_places.contains(id));
        c
    }

    /// A short English summary of what was understood (shown with the result).
    pub fn summary(&self) -> Vec<String> {
        let names = |v: &[Category]| {
            v.iter()
                .map(|c| c.label().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = Vec::new();
        if !self.avoid_categories.is_empty() {
            out.push(format!("Avoid: {}.", names(&self.avoid_categories)));
        }
        if !self.more_of.is_empty() {
            out.push(format!("More of: {}.", names(&self.more_of)));
        }
        if !self.less_of.is_empty() {
            out.push(format!("Less of: {}.", names(&self.less_of)));
        }
        match self.pace {
            Some(Pace::Slow) => out.push("Pace: slow.".into()),
            Some(Pace::Fast) => out.push("Pace: fast.".into()),
            _ => {}
        }
        if !self.dietary.is_empty() {
            out.push(format!(
                "Dietary notes ({}): check menus on the spot, the catalogue has none.",
                self.dietary.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Vec<(String, Vec<String>)> {
        vec![
            (
                "osm:way:1".into(),
                vec!["Deutsches Museum".into(), "독일 박물관".into()],
            ),
            ("osm:node:2".into(), vec!["Hofbräuhaus".into()]),
            ("osm:node:3".into(), vec!["Dom".into()]),
        ]
    }

    #[test]
    fn english_clauses() {
        let i = parse(
            "We must visit the Deutsches Museum. No churches please, more parks; slow pace. Vegetarian food.",
        );
        assert_eq!(i.avoid_categories, vec![Category::Religious]);
        assert!(i.more_of.contains(&Category::Park));
        assert_eq!(i.pace, Some(Pace::Slow));
        assert_eq!(i.dietary, vec!["vegetarian".to_string()]);
        let c = i.constraints(&places());
        assert_eq!(c.must_visit, vec!["osm:way:1".to_string()]);
        assert!(c.avoid_places.is_empty());
    }

    #[test]
    fn korean_clauses() {
        let i = parse(
            "독일 박물관은 꼭 가고 싶어요. 쇼핑은 빼고, 공원 많이. 천천히 다니고 싶어요. 비건",
        );
        assert!(i.avoid_categories.contains(&Category::Shopping));
        assert!(i.more_of.contains(&Category::Park));
        assert!(i.more_of.contains(&Category::Museum));
        assert_eq!(i.pace, Some(Pace::Slow));
        assert_eq!(i.dietary, vec!["vegan".to_string()]);
        let c = i.constraints(&places());
        assert_eq!(c.must_visit, vec!["osm:way:1".to_string()]);
    }

    #[test]
    fn avoided_names_and_short_names() {
        let i = parse("avoid the Hofbräuhaus, and the dom is fine");
        let c = i.constraints(&places());
        assert_eq!(c.avoid_places, vec!["osm:node:2".to_string()]);
        assert!(c.must_visit.is_empty(), "3-letter names are not matched");
    }

    #[test]
    fn words_inside_words_do_not_count() {
        let i = parse("we start early and love parking near the hotel and history");
        assert!(!i.more_of.contains(&Category::Gallery), "start ≠ art");
        assert!(!i.more_of.contains(&Category::Park), "parking ≠ park");
        assert_eq!(
            i.more_of,
            vec![Category::Historic],
            "stems match word starts"
        );
        assert!(parse("").summary().is_empty());
    }
}
