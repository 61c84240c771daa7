//! Finding cities by name: the catalogue's cities (those with places) merged with the
//! world gazetteer, so every city of ≥ 15,000 inhabitants answers in English, Korean and
//! its local names, and the answer says whether places can be planned there yet.

use std::collections::HashSet;
use std::ops::Deref;

use super::City;
use super::names::name_key;
use super::world::{NameMatch, WorldCity, world};

/// The catalogue's cities with the folded keys of all their names, built once per
/// catalogue version (a world city has ~100 names; folding them per request would not do).
#[derive(Debug, Default)]
pub struct CatalogueCities {
    cities: Vec<City>,
    /// Per city: (key, is it one of the city's own names rather than a world alternate).
    keys: Vec<Vec<(String, bool)>>,
}

impl CatalogueCities {
    pub fn new(cities: Vec<City>) -> Self {
        let keys = cities
            .iter()
            .map(|c| {
                let own = c.own_keys();
                let mut all: Vec<(String, bool)> = own.iter().map(|k| (k.clone(), true)).collect();
                all.extend(
                    c.name_keys()
                        .into_iter()
                        .filter(|k| !own.contains(k))
                        .map(|k| (k, false)),
                );
                all
            })
            .collect();
        CatalogueCities { cities, keys }
    }
}

impl Deref for CatalogueCities {
    type Target = [City];
    fn deref(&self) -> &[City] {
        &self.cities
    }
}

/// How well a name matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Exact,
    /// Exactly one of the looser alternate names (see [`NameMatch::Alternate`]).
    Alternate,
    Prefix,
    /// Only the catalogue's cities are searched inside their names.
    Contains,
}

impl From<NameMatch> for Rank {
    fn from(m: NameMatch) -> Self {
        match m {
            NameMatch::Exact => Rank::Exact,
            NameMatch::Alternate => Rank::Alternate,
            NameMatch::Prefix => Rank::Prefix,
        }
    }
}

/// A city found by name; `city.place_count == 0` = none of its places imported yet.
#[derive(Debug, Clone)]
pub struct CityHit {
    pub rank: Rank,
    pub city: City,
}

/// Prefix matches looked at in the world gazetteer per query (then ranked by population).
const WORLD_PREFIX_SCAN: usize = 2_000;

/// Cities whose name equals, starts with (or, for catalogue cities, contains) the query:
/// exact before prefix, cities with places first, then by population.
pub fn find_cities(catalogue: &CatalogueCities, query: &str, limit: usize) -> Vec<CityHit> {
    let key = name_key(query);
    if key.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<CityHit> = Vec::new();
    let mut known: HashSet<u32> = HashSet::new();
    for (city, keys) in catalogue.cities.iter().zip(&catalogue.keys) {
        if let Some(g) = city.geonames_id {
            known.insert(g);
        }
        let rank = keys
            .iter()
            .filter_map(|(k, own)| {
                if *k == key {
                    Some(if *own { Rank::Exact } else { Rank::Alternate })
                } else if k.starts_with(&key) {
                    Some(Rank::Prefix)
                } else if k.contains(&key) {
                    Some(Rank::Contains)
                } else {
                    None
                }
            })
            .min();
        if let Some(rank) = rank {
            hits.push(CityHit {
                rank,
                city: city.clone(),
            });
        }
    }
    // Only the best `limit` world cities become answers (a short prefix matches thousands).
    let mut world_hits: Vec<(Rank, &WorldCity)> = world()
        .search(&key, WORLD_PREFIX_SCAN)
        .into_iter()
        .filter(|(_, w)| !known.contains(&w.geonames_id))
        .map(|(m, w)| (Rank::from(m), w))
        .collect();
    world_hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.population.cmp(&a.1.population)));
    hits.extend(world_hits.into_iter().take(limit).map(|(rank, w)| CityHit {
        rank,
        city: City::from_world(w),
    }));
    hits.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then((b.city.place_count > 0).cmp(&(a.city.place_count > 0)))
            .then(b.city.population.cmp(&a.city.population))
            .then(b.city.place_count.cmp(&a.city.place_count))
            .then(a.city.id.cmp(&b.city.id))
    });
    hits.truncate(limit);
    hits
}

/// The city a destination name means: an exact match on any of its names (main and Korean
/// names before loose alternates), cities with places before the others, the most populous
/// among equals.
pub fn resolve(catalogue: &CatalogueCities, name: &str) -> Option<City> {
    find_cities(catalogue, name, 1)
        .into_iter()
        .find(|h| h.rank <= Rank::Alternate)
        .map(|h| h.city)
}

/// Close names for an unknown one: prefix matches and names within a small edit distance
/// among the catalogue's cities, then the most populous world cities starting alike.
pub fn suggestions(catalogue: &CatalogueCities, name: &str) -> Vec<String> {
    let key = name_key(name);
    if key.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &City)> = catalogue
        .cities
        .iter()
        .zip(&catalogue.keys)
        .filter_map(|(c, keys)| {
            keys.iter()
                .map(|(k, _)| {
                    if k.starts_with(&key) || key.starts_with(k.as_str()) || k.contains(&key) {
                        0
                    } else {
                        levenshtein(k, &key)
                    }
                })
                .min()
                .filter(|d| *d <= 3)
                .map(|d| (d, c))
        })
        .collect();
    scored.sort_by_key(|(d, c)| (*d, std::cmp::Reverse(c.place_count)));
    let mut out: Vec<String> = Vec::new();
    let mut push = |label: String| {
        if !out.contains(&label) && out.len() < 5 {
            out.push(label);
        }
    };
    for (_, c) in scored {
        push(c.name_en.clone().unwrap_or_else(|| c.name.clone()));
    }
    // A shorter stem finds the world city when the end was mistyped ("Moscwo" → "Mosc…").
    let stem: String = key.chars().take(4).collect();
    let mut world_hits: Vec<&WorldCity> = world()
        .search(&stem, WORLD_PREFIX_SCAN)
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    world_hits.sort_by_key(|w| std::cmp::Reverse(w.population));
    for w in world_hits.into_iter().take(5) {
        push(w.name.clone());
    }
    out
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
