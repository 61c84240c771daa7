//! One physical place, one catalogue entry: the same statue, church or museum is often
//! mapped twice (a node and a building way, two nodes, a node inside its area). After an
//! import these are merged: the losers stay stored (old references still resolve) but are
//! marked as merged into the winner and are never listed. Rule (docs/location.md, measured
//! on the bundled extracts):
//!
//! 1. the same `wikidata` id (unless a hotel and something else share it);
//! 2. else the same normalised name and a compatible kind, within 60 m — or within the
//!    area of one of them plus 30 m (at most 150 m), the area approximated by the circle
//!    of the same size, since polygons are not stored;
//! 3. a name that occurs more than 3 times (a chain) merges only within 15 m.
//!
//! The winner is the larger area, then a way or relation over a node, then the more
//! significant, then the smaller id (deterministic). It keeps the better-known name of the
//! group: the one linked to Wikidata, else the one named in more languages.

use std::collections::HashMap;

use crate::category::Category;
use crate::geo::GeoPoint;
use crate::nearby::fold;
use crate::place::Place;

/// What the rule needs of a place.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateCandidate {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub position: GeoPoint,
    pub wikidata: Option<String>,
    pub area_m2: Option<f64>,
    pub significance: u8,
}

const NEAR_M: f64 = 60.0;
const AREA_MAX_M: f64 = 150.0;
const AREA_EDGE_M: f64 = 30.0;
const CHAIN_M: f64 = 15.0;
const CHAIN_COUNT: usize = 3;

/// Case-, accent-, space- and punctuation-insensitive name ("Sendlinger-Torplatz-Brunnen"
/// = "Sendlinger Tor-Platz-Brunnen").
pub fn normalised_name(name: &str) -> String {
    fold(name).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn food(c: Category) -> bool {
    matches!(c, Category::Restaurant | Category::Cafe | Category::Bar)
}

/// Kinds that can describe the same physical place.
fn compatible(a: Category, b: Category) -> bool {
    a == b || (food(a) && food(b)) || a == Category::Attraction || b == Category::Attraction
}

fn radius(area: Option<f64>) -> f64 {
    area.map_or(0.0, |a| (a.max(0.0) / std::f64::consts::PI).sqrt())
}

fn same_by_name(a: &DuplicateCandidate, b: &DuplicateCandidate, chain: bool) -> bool {
    if !compatible(a.category, b.category) {
        return false;
    }
    let d = a.position.haversine_m(&b.position);
    if chain {
        return d <= CHAIN_M;
    }
    let reach = (radius(a.area_m2).max(radius(b.area_m2)) + AREA_EDGE_M).min(AREA_MAX_M);
    d <= NEAR_M.max(reach)
}

/// `true` when `a` should be kept over `b`.
fn better(a: &DuplicateCandidate, b: &DuplicateCandidate) -> bool {
    let area = |c: &DuplicateCandidate| c.area_m2.unwrap_or(0.0);
    let node = |c: &DuplicateCandidate| c.id.starts_with("osm:node:");
    (area(b), node(a), b.significance, &a.id) < (area(a), node(b), a.significance, &b.id)
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// `(loser, winner)` index pairs: every loser is merged into the winner of its group.
pub fn find_duplicates(places: &[DuplicateCandidate]) -> Vec<(usize, usize)> {
    let mut parent: Vec<usize> = (0..places.len()).collect();
    let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    let mut by_wikidata: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        if let Some(q) = p.wikidata.as_deref() {
            by_wikidata.entry(q).or_default().push(i);
        }
        let key = normalised_name(&p.name);
        if !key.is_empty() {
            by_name.entry(key).or_default().push(i);
        }
    }
    for group in by_wikidata.values() {
        for (k, &a) in group.iter().enumerate() {
            for &b in &group[k + 1..] {
                let lodging = |i: usize| places[i].category == Category::Lodging;
                if lodging(a) == lodging(b) {
                    union(&mut parent, a, b);
                }
            }
        }
    }
    for group in by_name.values().filter(|g| g.len() > 1) {
        let chain = group.len() > CHAIN_COUNT;
        for (k, &a) in group.iter().enumerate() {
            for &b in &group[k + 1..] {
                if same_by_name(&places[a], &places[b], chain) {
                    union(&mut parent, a, b);
                }
            }
        }
    }
    let mut winner: HashMap<usize, usize> = HashMap::new();
    for i in 0..places.len() {
        let root = find(&mut parent, i);
        let w = winner.entry(root).or_insert(i);
        if better(&places[i], &places[*w]) {
            *w = i;
        }
    }
    (0..places.len())
        .filter_map(|i| {
            let w = winner[&find(&mut parent, i)];
            (w != i).then_some((i, w))
        })
        .collect()
}

/// How well known an element's name is: linked to Wikidata, then the number of languages
/// it is named in. The building way of a church may be called "Kirche" while the node
/// inside it carries the name the world knows.
fn name_fame(p: &Place) -> (bool, usize) {
    let languages =
        p.other_names.len() + usize::from(p.names.en.is_some()) + usize::from(p.names.ko.is_some());
    (p.wikidata.is_some(), languages)
}

/// Completes the winner of a merge with what only the loser knows (its hours, website,
/// names, Wikidata link), takes the loser's name when it is the better known, and keeps the
/// higher significance; idempotent (once absorbed, the winner is at least as well known).
pub fn absorb(winner: &mut Place, loser: &Place) {
    if name_fame(loser) > name_fame(winner) && loser.names.local != winner.names.local {
        // Wholesale: the winner's English name translates the name being replaced.
        winner.names = loser.names.clone();
    }
    if winner.opening_hours.is_missing() && !loser.opening_hours.is_missing() {
        winner.opening_hours = loser.opening_hours.clone();
    }
    winner.website = winner.website.take().or_else(|| loser.website.clone());
    winner.phone = winner.phone.take().or_else(|| loser.phone.clone());
    winner.wikidata = winner.wikidata.take().or_else(|| loser.wikidata.clone());
    winner.names.en = winner.names.en.take().or_else(|| loser.names.en.clone());
    winner.names.ko = winner.names.ko.take().or_else(|| loser.names.ko.clone());
    for (lang, name) in &loser.other_names {
        winner
            .other_names
            .entry(lang.clone())
            .or_insert_with(|| name.clone());
    }
    if loser.significance.score > winner.significance.score {
        winner.significance = loser.significance.clone();
    }
    for element in std::iter::once(loser.source.element).chain(loser.merged.iter().copied()) {
        if element != winner.source.element && !winner.merged.contains(&element) {
            winner.merged.push(element);
        }
    }
}

impl From<&Place> for DuplicateCandidate {
    fn from(p: &Place) -> Self {
        DuplicateCandidate {
            id: p.id.as_str().to_owned(),
            name: p.names.local.clone(),
            category: p.category,
            position: p.position,
            wikidata: p.wikidata.clone(),
            area_m2: p.area_m2,
            significance: p.significance.score,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: &str, name: &str, category: Category, dlat_m: f64) -> DuplicateCandidate {
        DuplicateCandidate {
            id: id.into(),
            name: name.into(),
            category,
            position: GeoPoint::new(41.14 + dlat_m / 111_195.0, -8.61).unwrap(),
            wikidata: None,
            area_m2: None,
            significance: 10,
        }
    }

    #[test]
    fn merges_the_same_physical_place() {
        let mut areas = place("osm:way:5", "Hard Club", Category::Attraction, 0.0);
        areas.area_m2 = Some(20_000.0); // r ≈ 80 m
        let mut linked = place("osm:node:9", "Lyhdynkantajat", Category::Attraction, 0.0);
        linked.wikidata = Some("Q11879927".into());
        let mut linked2 = place(
            "osm:node:10",
            "Lantern bearers",
            Category::Attraction,
            400.0,
        );
        linked2.wikidata = Some("Q11879927".into());
        let places = vec![
            place("osm:node:1", "Os Corcéis", Category::Attraction, 0.0),
            place("osm:node:2", "Os Corceis", Category::Attraction, 45.0),
            place("osm:node:3", "Os Corcéis", Category::Attraction, 500.0),
            areas,
            place("osm:node:6", "Hard-Club", Category::Entertainment, 100.0),
            place("osm:node:7", "Café X", Category::Cafe, 0.0),
            place("osm:node:8", "Café X", Category::Museum, 10.0),
            linked,
            linked2,
        ];
        let mut merged = find_duplicates(&places);
        merged.sort();
        // Corcéis 45 m apart: one; 500 m away: another statue. The node inside the club's
        // area merges into the area. A café and a museum never merge. Same Wikidata: one.
        assert_eq!(merged, vec![(1, 0), (4, 3), (7, 8)]);
    }

    fn stored(id: &str, name: &str) -> Place {
        let (kind, n) = id.rsplit_once(':').unwrap();
        let element = crate::place::ElementRef {
            kind: if kind.ends_with("node") {
                crate::place::ElementKind::Node
            } else {
                crate::place::ElementKind::Way
            },
            id: n.parse().unwrap(),
        };
        Place {
            id: crate::place::PlaceId::from_element(element),
            names: crate::place::PlaceNames {
                local: name.into(),
                en: None,
                ko: None,
            },
            position: GeoPoint::new(48.1386, 11.5736).unwrap(),
            category: Category::Religious,
            kind: "amenity=place_of_worship".into(),
            opening_hours: crate::opening_hours::OpeningHours::missing(),
            visit_minutes: 20,
            exposure: crate::category::Exposure::Indoor,
            wheelchair: crate::place::Wheelchair::Unknown,
            address: Default::default(),
            phone: None,
            website: None,
            cuisine: vec![],
            source: crate::place::SourceRecord {
                element,
                version: None,
                timestamp: None,
                snapshot_at: None,
                dataset: "t".into(),
            },
            wikidata: None,
            other_names: Default::default(),
            area_m2: None,
            significance: Default::default(),
            merged: Vec::new(),
        }
    }

    #[test]
    fn the_merged_place_keeps_the_better_known_name() {
        // The building (winner: it has the area) is tagged "Kirche"; the node inside it
        // carries the Wikidata link and the names in other languages.
        let mut building = stored("osm:way:1", "Kirche");
        building.area_m2 = Some(3_000.0);
        let mut node = stored("osm:node:2", "Frauenkirche");
        node.wikidata = Some("Q167193".into());
        node.names.en = Some("Cathedral of Our Dear Lady".into());
        node.other_names
            .insert("fr".into(), "Cathédrale Notre-Dame".into());
        absorb(&mut building, &node);
        assert_eq!(building.names.local, "Frauenkirche");
        assert_eq!(
            building.names.en.as_deref(),
            Some("Cathedral of Our Dear Lady")
        );
        assert_eq!(building.wikidata.as_deref(), Some("Q167193"));
        assert_eq!(building.merged.len(), 1);
        // Idempotent: absorbing again changes nothing.
        let once = building.clone();
        absorb(&mut building, &node);
        assert_eq!(building, once);
        // A lesser-known loser never renames the winner.
        let mut plain = stored("osm:node:3", "Kirchlein");
        plain.other_names.clear();
        absorb(&mut building, &plain);
        assert_eq!(building.names.local, "Frauenkirche");
    }

    #[test]
    fn chains_merge_only_when_on_top_of_each_other() {
        let places: Vec<_> = (0..5)
            .map(|i| {
                place(
                    &format!("osm:node:{i}"),
                    "KFC",
                    Category::Restaurant,
                    f64::from(i) * 40.0,
                )
            })
            .chain([place("osm:node:9", "KFC", Category::Restaurant, 10.0)])
            .collect();
        assert_eq!(find_duplicates(&places), vec![(5, 0)]);
        assert_eq!(
            normalised_name("Sendlinger-Torplatz-Brunnen"),
            normalised_name("Sendlinger Tor-Platz-Brunnen")
        );
    }
}
