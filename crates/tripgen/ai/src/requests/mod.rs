//! Special requests (ko/en) → typed wishes → the planner's constraints, without a model.
//! The text is split into clauses (`text`); each clause gets a polarity from its words
//! (less > avoid > more > must; a clause without one continues the one before, or turns it
//! around after "but"/"말고"), and yields wishes: categories (`lexicon`), named places
//! (`names`), day start/end (`times`), pace, diets, step-free access, kids and seniors.
//! A language model's answer is validated into the same wishes (`llm`). After planning,
//! `outcome` tells for every wish whether it was honoured or why not.

pub mod book;
pub mod days;
pub mod lexicon;
pub mod names;
pub mod outcome;
pub mod suite;
pub mod text;
pub mod times;

use serde::{Deserialize, Serialize};
use tripgen_planner::itinerary::{Category, Constraints, Pace};
use utoipa::ToSchema;

pub use book::WishBook;
pub use days::WishDay;
use lexicon::*;
use text::{Clause, Link, mentions};
use times::Edge;

/// What a wish is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum WishKind {
    /// A named place (`target`: the name as written, or the catalogue's name).
    Place,
    /// A category of places (`target`: the category key, e.g. `museum`).
    Category,
    /// When the days start (`target`: `HH:MM`).
    DayStart,
    /// When the group is back at the hotel (`target`: `HH:MM`).
    DayEnd,
    /// `slow` or `fast`.
    Pace,
    /// `vegetarian`, `vegan`, `halal`, `kosher`, `gluten_free`.
    Diet,
    /// `stepFree`.
    Access,
    /// `kids` or `seniors`.
    Group,
}

/// What the plan does about a wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Effect {
    /// Plan it (a place), or at least one (a category).
    Include,
    Avoid,
    More,
    Less,
    /// Set the day's start/end or the pace.
    Set,
    /// Prefer places that fit (diet, access, group).
    Prefer,
}

/// One thing the traveller asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Wish {
    /// The words of the request it comes from.
    pub text: String,
    pub kind: WishKind,
    pub target: String,
    pub effect: Effect,
    /// The one day the wish is for ("Monday: museum"); absent = every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<WishDay>,
}

/// What a request asked for, before it is matched against one city's catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestIntent {
    pub wishes: Vec<Wish>,
    /// Clauses (folded) with their polarity, to find catalogue names written in lower
    /// case or without a particle ("we must see hofbrauhaus").
    #[serde(skip)]
    clauses: Vec<(Polarity, String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Avoid,
    Less,
    More,
    Must,
    /// "Churches are fine": allowed, not asked for (no wish).
    Permit,
    Neutral,
}

fn has(clause: &str, words: &[&str]) -> bool {
    words.iter().any(|w| clause.contains(w))
}

fn own_polarity(clause: &str) -> Polarity {
    // A permission ("we don't mind museums") is no wish unless the rest of the clause
    // asks for something ("… but avoid churches" in the same clause).
    if has(clause, PERMIT) {
        let mut rest = clause.to_string();
        for p in PERMIT {
            rest = rest.replace(p, " ");
        }
        return match own_polarity(&rest) {
            Polarity::Neutral => Polarity::Permit,
            p => p,
        };
    }
    if has(clause, LESS) {
        Polarity::Less
    } else if has(clause, AVOID) {
        Polarity::Avoid
    } else if has(clause, MORE) {
        Polarity::More
    } else if has(clause, MUST) {
        Polarity::Must
    } else {
        Polarity::Neutral
    }
}

fn polarity(c: &Clause, before: Polarity) -> Polarity {
    let own = own_polarity(&c.folded);
    match (own, c.link) {
        (Polarity::Neutral, Link::And) => before,
        (Polarity::Neutral, Link::Contrast) => match before {
            Polarity::Avoid | Polarity::Less => Polarity::Must,
            Polarity::Must | Polarity::More => Polarity::Avoid,
            Polarity::Permit | Polarity::Neutral => Polarity::Neutral,
        },
        (p, _) => p,
    }
}

/// Category words of a clause that are not part of a capitalised name ("Deutsches Museum",
/// "English Garden") nor shadowed by a longer word ("놀이공원").
fn categories_in(c: &Clause) -> Vec<Category> {
    // A named place consumes its category words: "Deutsches Museum", "독일 박물관".
    let names: Vec<String> = names::latin_names(&c.raw)
        .into_iter()
        .chain(names::hangul_names(&c.raw))
        .map(|n| format!(" {} ", text::fold(&n)))
        .collect();
    let mut hay = c.folded.clone();
    for n in &names {
        hay = hay.replace(n.trim(), " ");
    }
    for (word, longer) in SHADOWED {
        if hay.contains(longer) {
            hay = hay.replace(longer, &format!("{longer}_"));
            hay = hay.replace(&format!("{longer}_"), " ");
            let _ = word;
        }
    }
    let mut out = Vec::new();
    for (word, cat) in CATEGORIES {
        if mentions(&hay, word, STEMS) && !out.contains(cat) {
            out.push(*cat);
        }
    }
    // "theme park" and "놀이공원" are attractions.
    if c.folded.contains("theme park") || c.folded.contains("놀이공원") {
        push_unique(&mut out, Category::Attraction);
    }
    out
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Parses free text (at most 500 characters by the API's rule) into wishes.
pub fn parse(text: &str) -> RequestIntent {
    let mut out = RequestIntent::default();
    let mut before = Polarity::Neutral;
    for c in text::clauses(text) {
        if c.link == Link::Start {
            before = Polarity::Neutral;
        }
        let p = polarity(&c, before);
        before = p;
        let raw = c.raw.clone();
        // "Monday: museum": the clause's wishes are that day's; the day's words are
        // neither a time nor a place.
        let (day, rest) = days::day_in(&c.folded);
        let c = Clause { folded: rest, ..c };
        let folded = c.folded.as_str();
        let wish = |kind, target: String, effect| Wish {
            text: raw.clone(),
            kind,
            target,
            effect,
            day,
        };
        // Pace, access, diet and the group are what they are whatever the polarity.
        if has(folded, SLOW) {
            out.add(wish(WishKind::Pace, "slow".into(), Effect::Set));
        } else if has(folded, FAST) {
            out.add(wish(WishKind::Pace, "fast".into(), Effect::Set));
        }
        for (word, diet) in DIETS {
            if folded.contains(word) {
                out.add(wish(WishKind::Diet, (*diet).into(), Effect::Prefer));
            }
        }
        let step_free = has(folded, STEP_FREE);
        if step_free {
            out.add(wish(WishKind::Access, "stepFree".into(), Effect::Prefer));
        }
        if KIDS.iter().any(|w| mentions(folded, w, &["kid", "child"])) {
            out.add(wish(WishKind::Group, "kids".into(), Effect::Prefer));
        }
        if has(folded, SENIORS) {
            out.add(wish(WishKind::Group, "seniors".into(), Effect::Prefer));
        }
        let day_times = times::day_times(folded);
        for (edge, t) in &day_times {
            let kind = match edge {
                Edge::Start => WishKind::DayStart,
                Edge::End => WishKind::DayEnd,
            };
            out.add(wish(kind, times::hhmm(*t), Effect::Set));
        }
        // Places and categories take the clause's polarity.
        let effect = match p {
            Polarity::Avoid => Some(Effect::Avoid),
            Polarity::Less => Some(Effect::Less),
            Polarity::More => Some(Effect::More),
            Polarity::Must => Some(Effect::Include),
            // A request that only names a kind of place ("Markets and cafés, please")
            // asks for it.
            Polarity::Neutral => Some(Effect::More),
            Polarity::Permit => None,
        };
        let mut named = names::latin_names(&c.raw);
        if matches!(p, Polarity::Must | Polarity::Avoid | Polarity::More) {
            named.extend(names::hangul_names(&c.raw));
        }
        let cats = if step_free && p == Polarity::Avoid && !has(folded, &[" museum", "park"]) {
            Vec::new() // "no stairs" is about access, not a category
        } else {
            categories_in(&c)
        };
        if let Some(effect) = effect {
            for cat in cats {
                // Wanting to see "a museum" is wanting more of them.
                let e = if effect == Effect::Include {
                    Effect::More
                } else {
                    effect
                };
                out.add(wish(WishKind::Category, cat.key(), e));
            }
        }
        let place_effect = match p {
            Polarity::Avoid => Effect::Avoid,
            _ => Effect::Include,
        };
        if p != Polarity::Permit {
            for n in named {
                out.add(wish(WishKind::Place, n, place_effect));
            }
        }
        out.clauses.push((p, c.folded.clone(), raw));
    }
    out.settle();
    out
}

impl RequestIntent {
    fn add(&mut self, mut w: Wish) {
        // Pace, diet, access and the group hold for the whole trip (the planner has them
        // per trip): said for one day, they are applied, and reported, for every day.
        if matches!(
            w.kind,
            WishKind::Pace | WishKind::Diet | WishKind::Access | WishKind::Group
        ) {
            w.day = None;
        }
        if !self.wishes.iter().any(|x| {
            x.kind == w.kind && x.target == w.target && x.effect == w.effect && x.day == w.day
        }) {
            self.wishes.push(w);
        }
    }

    /// Conflicts settled: a category both wanted and avoided is avoided (the safer
    /// reading); the last start/end/pace said wins.
    fn settle(&mut self) {
        let avoided: Vec<(String, Option<WishDay>)> = self
            .wishes
            .iter()
            .filter(|w| w.kind == WishKind::Category && w.effect == Effect::Avoid)
            .map(|w| (w.target.clone(), w.day))
            .collect();
        self.wishes.retain(|w| {
            !(w.kind == WishKind::Category
                && w.effect != Effect::Avoid
                && avoided.contains(&(w.target.clone(), w.day)))
        });
        // Per day: "start at 9, but on Monday at 11" keeps both.
        let mut kinds: Vec<(WishKind, Option<WishDay>)> = Vec::new();
        for w in &self.wishes {
            if matches!(
                w.kind,
                WishKind::DayStart | WishKind::DayEnd | WishKind::Pace
            ) && !kinds.contains(&(w.kind, w.day))
            {
                kinds.push((w.kind, w.day));
            }
        }
        for (kind, day) in kinds {
            if let Some(last) = self
                .wishes
                .iter()
                .rposition(|w| w.kind == kind && w.day == day)
            {
                let mut i = 0;
                self.wishes.retain(|w| {
                    let keep = w.kind != kind || w.day != day || i == last;
                    i += 1;
                    keep
                });
            }
        }
    }

    /// Wishes validated elsewhere (a language model's answer), merged with the parser's:
    /// the parser's wishes stay, the model adds what the parser missed.
    pub fn merged(mut self, other: RequestIntent) -> RequestIntent {
        for w in other.wishes {
            let clash = self.wishes.iter().any(|x| {
                x.kind == w.kind
                    && x.day == w.day
                    && (x.target == w.target
                        || matches!(
                            w.kind,
                            WishKind::DayStart | WishKind::DayEnd | WishKind::Pace
                        ))
            });
            if !clash {
                self.wishes.push(w);
            }
        }
        self.settle();
        self
    }

    fn categories(&self, effect: Effect) -> Vec<Category> {
        self.wishes
            .iter()
            .filter(|w| w.kind == WishKind::Category && w.effect == effect && w.day.is_none())
            .filter_map(|w| category_of(&w.target))
            .collect()
    }

    /// An intent of already validated wishes (a language model's answer).
    pub fn from_wishes(wishes: Vec<Wish>) -> RequestIntent {
        let mut out = RequestIntent {
            wishes,
            clauses: Vec::new(),
        };
        out.settle();
        out
    }

    /// Categories wished for one day ("Monday: museum").
    pub fn one_day_categories(&self) -> Vec<Category> {
        self.wishes
            .iter()
            .filter(|w| {
                w.kind == WishKind::Category
                    && w.day.is_some()
                    && matches!(w.effect, Effect::More | Effect::Include)
            })
            .filter_map(|w| category_of(&w.target))
            .collect()
    }

    pub fn avoid_categories(&self) -> Vec<Category> {
        self.categories(Effect::Avoid)
    }

    pub fn more_of(&self) -> Vec<Category> {
        self.categories(Effect::More)
    }

    pub fn less_of(&self) -> Vec<Category> {
        self.categories(Effect::Less)
    }

    pub fn pace(&self) -> Option<Pace> {
        let w = self.wishes.iter().find(|w| w.kind == WishKind::Pace);
        match w.map(|w| w.target.as_str()) {
            Some("slow") => Some(Pace::Slow),
            Some("fast") => Some(Pace::Fast),
            _ if self.has(WishKind::Group, "seniors") => Some(Pace::Slow),
            _ => None,
        }
    }

    fn has(&self, kind: WishKind, target: &str) -> bool {
        self.wishes
            .iter()
            .any(|w| w.kind == kind && w.target == target)
    }

    fn minutes(&self, kind: WishKind, on: impl Fn(Option<WishDay>) -> bool) -> Option<u32> {
        let w = self.wishes.iter().find(|w| w.kind == kind && on(w.day))?;
        let (h, m) = w.target.split_once(':')?;
        Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
    }

    /// When every day should start (minutes since midnight).
    pub fn day_start(&self) -> Option<u32> {
        self.minutes(WishKind::DayStart, |d| d.is_none())
    }

    /// When the group wants to be back at the hotel every day.
    pub fn day_end(&self) -> Option<u32> {
        self.minutes(WishKind::DayEnd, |d| d.is_none())
    }

    /// When the trip's day `index` (weekday 0 = Monday; `last` the last day) starts: its
    /// own wish, else every day's.
    pub fn day_start_on(&self, index: usize, weekday: u8, last: usize) -> Option<u32> {
        self.minutes(WishKind::DayStart, |d| {
            d.is_some_and(|d| d.is(index, weekday, last))
        })
        .or_else(|| self.day_start())
    }

    /// When the group wants to be back on day `index`: its own wish, else every day's.
    pub fn day_end_on(&self, index: usize, weekday: u8, last: usize) -> Option<u32> {
        self.minutes(WishKind::DayEnd, |d| {
            d.is_some_and(|d| d.is(index, weekday, last))
        })
        .or_else(|| self.day_end())
    }

    /// Diet keys asked for (`vegetarian` …).
    pub fn diets(&self) -> Vec<String> {
        self.wishes
            .iter()
            .filter(|w| w.kind == WishKind::Diet)
            .map(|w| w.target.clone())
            .collect()
    }

    pub fn step_free(&self) -> bool {
        self.has(WishKind::Access, "stepFree")
    }

    pub fn kids(&self) -> bool {
        self.has(WishKind::Group, "kids")
    }

    /// The constraints for one city: `places` are `(id, names)` of its catalogue, most
    /// significant first. Named wishes are matched there; catalogue names written in the
    /// request are found too (by `found_names`).
    pub fn constraints(&self, places: &[(String, Vec<String>)]) -> Constraints {
        self.resolve(places).constraints
    }

    /// Constraints and which catalogue place each named wish is (`None`: not in this city).
    pub fn resolve(&self, places: &[(String, Vec<String>)]) -> Resolved {
        let mut c = Constraints {
            avoid_categories: self.avoid_categories(),
            more_of: self.categories(Effect::More),
            less_of: self.categories(Effect::Less),
            pace: self.pace().unwrap_or_default(),
            ..Constraints::default()
        };
        if self.kids() {
            // Children: a zoo, a playground park — unless the request avoids them.
            for cat in [Category::Attraction, Category::Park] {
                if !c.avoid_categories.contains(&cat) {
                    push_unique(&mut c.more_of, cat);
                }
            }
        }
        let mut matched = Vec::new();
        for (i, w) in self.wishes.iter().enumerate() {
            if w.kind != WishKind::Place {
                continue;
            }
            let Some((id, names)) = names::best_match(&w.target, places) else {
                continue;
            };
            let name = names.first().cloned().unwrap_or_default();
            if w.effect == Effect::Avoid {
                // Avoided on one day only: closed that day (see `day_wishes`).
                if w.day.is_none() {
                    push_unique(&mut c.avoid_places, id.clone());
                }
            } else {
                push_unique(&mut c.must_visit, id.clone());
            }
            matched.push((i, id.clone(), name));
        }
        // Catalogue names written in the request without capitals or particles.
        let mut found = Vec::new();
        for (p, clause, raw) in &self.clauses {
            if matches!(p, Polarity::Neutral | Polarity::Less | Polarity::Permit) {
                continue;
            }
            for (id, names) in places {
                if c.must_visit.contains(id) || c.avoid_places.contains(id) {
                    continue;
                }
                let Some(hit) = names.iter().find(|n| {
                    let f = text::fold(n);
                    recognisable(&f) && mentions(clause, &f, &[])
                }) else {
                    continue;
                };
                let effect = if *p == Polarity::Avoid {
                    push_unique(&mut c.avoid_places, id.clone());
                    Effect::Avoid
                } else {
                    push_unique(&mut c.must_visit, id.clone());
                    Effect::Include
                };
                let name = names.first().cloned().unwrap_or_else(|| hit.clone());
                found.push((
                    Wish {
                        text: raw.clone(),
                        kind: WishKind::Place,
                        target: hit.clone(),
                        effect,
                        day: None,
                    },
                    id.clone(),
                    name,
                ));
            }
        }
        c.must_visit.retain(|id| !c.avoid_places.contains(id));
        Resolved {
            constraints: c,
            matched,
            found,
        }
    }
}

/// One city's constraints, with the catalogue place of each named wish found there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    pub constraints: Constraints,
    /// `(index into wishes, place id, catalogue name)`.
    pub matched: Vec<(usize, String, String)>,
    /// Catalogue names found in the text that no wish named: `(wish, place id, name)`.
    pub found: Vec<(Wish, String, String)>,
}

/// A catalogue name long enough to be recognised in free text without false hits.
fn recognisable(folded: &str) -> bool {
    let n = folded.trim().chars().count();
    if folded.chars().any(text::is_hangul) {
        n >= 3
    } else {
        n >= 5
    }
}

/// A category from its key (`museum`).
pub fn category_of(key: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.key() == key)
}

#[cfg(test)]
mod tests;
