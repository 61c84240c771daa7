//! From a raw OSM element (tags + position) to a [`Place`] or a [`CityEntry`]; shared by the
//! PBF and GeoJSON readers so both formats follow exactly the same rules.

use crate::category::{self, Tags, tag};
use crate::gazetteer::{CityEntry, CityKind};
use crate::geo::GeoPoint;
use crate::import::SkipReason;
use crate::opening_hours::OpeningHours;
use crate::place::{Address, Place, PlaceId, PlaceNames, SourceRecord, Wheelchair};
use crate::significance::{is_language_name, significance};

/// `Q` followed by digits: anything else in a `wikidata` tag is a mapping error.
fn is_wikidata_id(q: &str) -> bool {
    q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Placeholders some exporters write for a missing name (the bundled Overpass GeoJSON uses
/// `Unnamed` for 900 nameless features); they are not names.
const NAME_PLACEHOLDERS: &[&str] = &["unnamed", "noname", "no name", "unknown", "-"];

fn name(tags: &Tags<'_>) -> Option<String> {
    tag(tags, "name")
        .filter(|n| !NAME_PLACEHOLDERS.iter().any(|p| n.eq_ignore_ascii_case(p)))
        .map(str::to_owned)
}

fn owned(tags: &Tags<'_>, key: &str) -> Option<String> {
    tag(tags, key).map(str::to_owned)
}

fn first_owned(tags: &Tags<'_>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| owned(tags, k))
}

/// Cheap pre-check used by the PBF pass 1: would this element become a place if it had a
/// position? Same order of checks as [`place_from_tags`], so counts agree.
pub(crate) fn check_candidate(tags: &Tags<'_>) -> Result<(), SkipReason> {
    if category::classify(tags).is_none() {
        return Err(SkipReason::NotInteresting);
    }
    if name(tags).is_none() {
        return Err(SkipReason::NoName);
    }
    Ok(())
}

/// OSM `diet:*` keys kept (as cuisines) for special requests.
const DIETS: &[&str] = &["vegetarian", "vegan", "halal", "kosher", "gluten_free"];

/// A place from an element's tags, its representative point and, for a way or relation
/// that encloses one, its area in m².
pub(crate) fn place_from_tags(
    tags: &Tags<'_>,
    position: Option<GeoPoint>,
    area_m2: Option<f64>,
    source: SourceRecord,
) -> Result<Place, SkipReason> {
    let class = category::classify(tags).ok_or(SkipReason::NotInteresting)?;
    let local = name(tags).ok_or(SkipReason::NoName)?;
    let position = position.ok_or(SkipReason::BadCoordinates)?;
    let significance = significance(tags, &class, area_m2);
    let mut cuisine: Vec<String> = tag(tags, "cuisine")
        .map(|c| {
            c.split(';')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    // `diet:vegetarian=yes|only` and kin: a diet the place serves reads like a cuisine
    // (what special requests match meals against).
    for diet in DIETS {
        let serves =
            tag(tags, &format!("diet:{diet}")).is_some_and(|v| matches!(v.trim(), "yes" | "only"));
        if serves && !cuisine.iter().any(|c| c == diet) {
            cuisine.push((*diet).to_string());
        }
    }
    Ok(Place {
        id: PlaceId::from_element(source.element),
        names: PlaceNames {
            local,
            en: owned(tags, "name:en"),
            ko: owned(tags, "name:ko"),
        },
        position,
        category: class.category,
        visit_minutes: category::visit_minutes(&class, significance.score),
        exposure: category::exposure(&class, tags),
        kind: class.kind,
        opening_hours: tag(tags, "opening_hours")
            .map_or_else(OpeningHours::missing, OpeningHours::parse),
        wheelchair: Wheelchair::from_tag(tag(tags, "wheelchair")),
        address: Address {
            street: owned(tags, "addr:street").or_else(|| owned(tags, "addr:place")),
            housenumber: owned(tags, "addr:housenumber"),
            postcode: owned(tags, "addr:postcode"),
            city: owned(tags, "addr:city"),
            country: owned(tags, "addr:country"),
            full: owned(tags, "addr:full"),
        },
        phone: first_owned(tags, &["phone", "contact:phone"]),
        website: first_owned(tags, &["website", "contact:website", "url"]),
        cuisine,
        source,
        wikidata: owned(tags, "wikidata").filter(|q| is_wikidata_id(q)),
        other_names: tags
            .iter()
            .filter(|(k, v)| is_language_name(k) && !v.trim().is_empty())
            .filter_map(|(k, v)| Some((k.strip_prefix("name:")?.to_owned(), v.trim().to_owned())))
            .collect(),
        area_m2: area_m2
            .filter(|a| a.is_finite() && *a > 0.0)
            .map(|a| a.round()),
        significance,
        merged: Vec::new(),
    })
}

/// A `place=city|town` element with a name becomes a gazetteer candidate.
pub(crate) fn city_from_tags(
    tags: &Tags<'_>,
    position: GeoPoint,
    source: &SourceRecord,
) -> Option<CityEntry> {
    let kind = match tag(tags, "place")? {
        "city" => CityKind::City,
        "town" => CityKind::Town,
        _ => return None,
    };
    Some(CityEntry {
        id: PlaceId::from_element(source.element),
        name: name(tags)?,
        name_en: owned(tags, "name:en"),
        name_ko: owned(tags, "name:ko"),
        kind,
        centre: position,
        population: tag(tags, "population")
            .and_then(|p| p.replace([',', '.', ' '], "").parse().ok()),
        country: owned(tags, "is_in:country_code")
            .or_else(|| owned(tags, "addr:country"))
            .or_else(|| owned(tags, "country_code")),
        source: source.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Category;
    use crate::place::{ElementKind, ElementRef};

    fn source() -> SourceRecord {
        SourceRecord {
            element: ElementRef {
                kind: ElementKind::Node,
                id: 7,
            },
            version: Some(3),
            timestamp: None,
            snapshot_at: None,
            dataset: "test".into(),
        }
    }

    #[test]
    fn builds_a_full_place() {
        let tags = [
            ("amenity", "cafe"),
            ("name", " Café Luitpold "),
            ("name:en", "Cafe Luitpold"),
            ("opening_hours", "Mo-Sa 08:00-19:00"),
            ("wheelchair", "limited"),
            ("contact:phone", "+49 89 242875"),
            ("contact:website", "https://cafe-luitpold.de"),
            ("cuisine", "coffee_shop; Cake"),
            ("diet:vegan", "yes"),
            ("diet:halal", "no"),
            ("addr:street", "Brienner Straße"),
            ("addr:housenumber", "11"),
            ("addr:city", "München"),
        ];
        let pos = GeoPoint::new(48.1437, 11.5745).ok();
        let p = place_from_tags(&tags, pos, None, source()).unwrap();
        assert_eq!(p.id.as_str(), "osm:node:7");
        assert_eq!(p.names.local, "Café Luitpold");
        assert_eq!(p.category, Category::Cafe);
        assert_eq!(p.kind, "amenity=cafe");
        assert_eq!(p.cuisine, vec!["coffee_shop", "cake", "vegan"]);
        assert_eq!(p.phone.as_deref(), Some("+49 89 242875"));
        assert_eq!(p.wheelchair, Wheelchair::Limited);
        assert!(!p.opening_hours.is_malformed());
        let json = serde_json::to_value(&p).unwrap();
        assert!(json.get("openingHours").is_some());
        assert!(json.get("visitMinutes").is_some());
    }

    #[test]
    fn skip_reasons() {
        let pos = GeoPoint::new(0.0, 0.0).ok();
        let uninteresting = [("highway", "bus_stop"), ("name", "Stop")];
        assert_eq!(
            place_from_tags(&uninteresting, pos, None, source()).unwrap_err(),
            SkipReason::NotInteresting
        );
        let placeholder = [("leisure", "park"), ("name", "Unnamed")];
        assert_eq!(
            place_from_tags(&placeholder, pos, None, source()).unwrap_err(),
            SkipReason::NoName
        );
        let unnamed = [("amenity", "cafe")];
        assert_eq!(
            place_from_tags(&unnamed, pos, None, source()).unwrap_err(),
            SkipReason::NoName
        );
        let named = [("amenity", "cafe"), ("name", "X")];
        assert_eq!(
            place_from_tags(&named, None, None, source()).unwrap_err(),
            SkipReason::BadCoordinates
        );
        assert_eq!(check_candidate(&unnamed), Err(SkipReason::NoName));
    }

    #[test]
    fn city_entry() {
        let tags = [
            ("place", "city"),
            ("name", "München"),
            ("name:en", "Munich"),
            ("population", "1,512,491"),
        ];
        let c = city_from_tags(&tags, GeoPoint::new(48.137, 11.575).unwrap(), &source()).unwrap();
        assert_eq!(c.kind, CityKind::City);
        assert_eq!(c.population, Some(1_512_491));
        assert!(
            city_from_tags(
                &[("place", "suburb"), ("name", "X")],
                GeoPoint::new(0.0, 0.0).unwrap(),
                &source()
            )
            .is_none()
        );
    }
}
