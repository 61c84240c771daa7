//! City gazetteer built from an import: `place=city|town` nodes, or — for extracts without
//! one, like the bundled London file — the most common `addr:city` of the file's places.
//! Every city gets a bounding box of the places assigned to it and an IANA time zone looked
//! up offline from its centre (tzf-rs with its bundled boundary data).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::geo::{BoundingBox, GeoPoint};
use crate::import::ImportEvent;
use crate::opening_hours::OpeningContext;
use crate::place::{Place, PlaceId, SourceRecord};

/// How a city entered the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CityKind {
    City,
    Town,
    /// No `place=city|town` node in the file: derived from the places' `addr:city`.
    AddressFallback,
}

impl CityKind {
    /// Places farther than this from the centre are not assigned to the city.
    pub fn assignment_radius_m(self) -> f64 {
        match self {
            CityKind::City | CityKind::AddressFallback => 30_000.0,
            CityKind::Town => 10_000.0,
        }
    }
}

/// A `place=city|town` element read from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CityEntry {
    pub id: PlaceId,
    pub name: String,
    pub name_en: Option<String>,
    pub name_ko: Option<String>,
    pub kind: CityKind,
    pub centre: GeoPoint,
    pub population: Option<u64>,
    pub country: Option<String>,
    pub source: SourceRecord,
}

/// Where a Korean name came from: OSM itself, or TripGen's small exonym table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NameSource {
    Osm,
    ProductTable,
}

/// A gazetteer city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct City {
    /// `osm:node:<id>` for OSM place nodes, `addr-city:<name>` for the fallback.
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub name_ko: Option<String>,
    pub name_ko_source: Option<NameSource>,
    pub kind: CityKind,
    pub centre: GeoPoint,
    /// Box of the assigned places and the centre.
    pub bbox: BoundingBox,
    /// IANA zone name, e.g. `Europe/Berlin`; `None` only where no zone covers the centre.
    pub time_zone: Option<String>,
    /// ISO country code, from the place node or the majority of the places' `addr:country`.
    pub country: Option<String>,
    pub population: Option<u64>,
    pub place_count: u64,
}

impl City {
    pub fn tz(&self) -> Option<Tz> {
        self.time_zone.as_deref().and_then(|z| z.parse().ok())
    }

    /// Context for evaluating opening hours of this city's places.
    pub fn opening_context(&self) -> OpeningContext {
        OpeningContext {
            time_zone: self.tz(),
            position: Some(self.centre),
            country: self.country.clone(),
        }
    }
}

/// Korean (and English) exonyms for the bundled cities, used only when OSM has no `name:ko`
/// / `name:en`. Product data: standard Korean exonyms, not derived from OSM.
const EXONYMS: &[(&[&str], &str, &str)] = &[
    (&["München", "Munich"], "Munich", "뮌헨"),
    (&["Porto"], "Porto", "포르투"),
    (&["London"], "London", "런던"),
    (&["Helsinki", "Helsingfors"], "Helsinki", "헬싱키"),
    (&["Monaco"], "Monaco", "모나코"),
    (&["Andorra"], "Andorra", "안도라"),
];

fn exonym(name: &str) -> Option<(&'static str, &'static str)> {
    EXONYMS
        .iter()
        .find(|(names, _, _)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|(_, en, ko)| (*en, *ko))
}

static TZ_FINDER: LazyLock<tzf_rs::EmbeddedFinder> = LazyLock::new(tzf_rs::EmbeddedFinder::new);

/// IANA time zone at a point, from tzf-rs' bundled (offline) boundary data.
pub fn time_zone_at(point: GeoPoint) -> Option<Tz> {
    let name = TZ_FINDER.get_tz_name(point.lon(), point.lat());
    name.parse().ok()
}

/// Collects cities and place positions during an import, then builds the [`Gazetteer`].
/// Keeps ~24 bytes per place, not the places themselves.
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    entries: Vec<CityEntry>,
    places: Vec<PlacePoint>,
    strings: Interner,
}

#[derive(Debug, Clone, Copy)]
struct PlacePoint {
    position: GeoPoint,
    city: Option<u32>,
    country: Option<u32>,
}

#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<String, u32>,
    values: Vec<String>,
}

impl Interner {
    fn intern(&mut self, value: &str) -> Option<u32> {
        if let Some(id) = self.ids.get(value) {
            return Some(*id);
        }
        let id = u32::try_from(self.values.len()).ok()?;
        self.ids.insert(value.to_owned(), id);
        self.values.push(value.to_owned());
        Some(id)
    }

    fn get(&self, id: u32) -> &str {
        self.values.get(id as usize).map_or("", String::as_str)
    }
}

/// `addr:city` values that name a city: no digits (postcodes/house numbers leak in).
fn usable_city_name(value: &str) -> Option<&str> {
    let v = value.trim();
    (!v.is_empty() && !v.chars().any(|c| c.is_ascii_digit())).then_some(v)
}

fn most_common(counts: HashMap<u32, u64>) -> Option<u32> {
    // Ties go to the smaller id (first seen), keeping the result deterministic.
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(id, _)| id)
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Fewest places sharing an `addr:city` for the fallback to trust it.
const FALLBACK_MIN_PLACES: u64 = 3;

impl GazetteerBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add_city(&mut self, entry: CityEntry) {
        // The same city can appear twice (node + re-tagged duplicate); keep the first.
        if !self.entries.iter().any(|e| e.id == entry.id) {
            self.entries.push(entry);
        }
    }

    pub fn add_place(&mut self, place: &Place) {
        let city = place
            .address
            .city
            .as_deref()
            .and_then(usable_city_name)
            .and_then(|c| self.strings.intern(c));
        let country = place
            .address
            .country
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| c.len() == 2)
            .and_then(|c| self.strings.intern(&c));
        self.places.push(PlacePoint {
            position: place.position,
            city,
            country,
        });
    }

    /// Convenience for import callbacks.
    pub fn add_event(&mut self, event: &ImportEvent) {
        match event {
            ImportEvent::Place(place) => self.add_place(place),
            ImportEvent::City(city) => self.add_city(city.clone()),
            _ => {}
        }
    }

    /// Fallback cities from `addr:city` for places no city node covers (the London extract
    /// has no `place=city` node; a catalogue mixing files must still get one). Every name
    /// with enough uncovered places becomes a city at the median of its places.
    fn fallback_entries(&self, seeds: &[City]) -> Vec<(String, GeoPoint, u64)> {
        let covered = |p: GeoPoint| {
            seeds
                .iter()
                .any(|c| c.centre.haversine_m(&p) <= c.kind.assignment_radius_m())
        };
        // Group case-insensitively, display the most frequent spelling.
        let mut counts: HashMap<u32, u64> = HashMap::new();
        for p in &self.places {
            if let Some(c) = p.city
                && !covered(p.position)
            {
                *counts.entry(c).or_default() += 1;
            }
        }
        let mut by_folded: HashMap<String, (u64, u32, u64)> = HashMap::new();
        for (id, n) in counts {
            let folded = self.strings.get(id).to_lowercase();
            let slot = by_folded.entry(folded).or_insert((0, id, 0));
            slot.0 += n;
            if n > slot.2 || (n == slot.2 && id < slot.1) {
                slot.1 = id;
                slot.2 = n;
            }
        }
        let mut out = Vec::new();
        let mut groups: Vec<_> = by_folded.into_iter().collect();
        groups.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        for (folded, (total, spelling, _)) in groups {
            if total < FALLBACK_MIN_PLACES {
                continue;
            }
            let members = self.places.iter().filter(|p| {
                !covered(p.position)
                    && p.city
                        .is_some_and(|c| self.strings.get(c).to_lowercase() == folded)
            });
            let (mut lats, mut lons): (Vec<f64>, Vec<f64>) = members
                .map(|p| (p.position.lat(), p.position.lon()))
                .unzip();
            if let (Some(lat), Some(lon)) = (median(&mut lats), median(&mut lons))
                && let Ok(centre) = GeoPoint::new(lat, lon)
            {
                out.push((self.strings.get(spelling).to_owned(), centre, total));
            }
        }
        out
    }

    pub fn build(self) -> Gazetteer {
        let mut seeds: Vec<City> = self
            .entries
            .iter()
            .map(|e| City {
                id: e.id.to_string(),
                name: e.name.clone(),
                name_en: e.name_en.clone(),
                name_ko: e.name_ko.clone(),
                name_ko_source: e.name_ko.as_ref().map(|_| NameSource::Osm),
                kind: e.kind,
                centre: e.centre,
                bbox: BoundingBox::around(e.centre),
                time_zone: None,
                country: e.country.as_ref().map(|c| c.to_ascii_uppercase()),
                population: e.population,
                place_count: 0,
            })
            .collect();
        for (name, centre, _) in self.fallback_entries(&seeds) {
            seeds.push(City {
                id: format!("addr-city:{}", name.to_lowercase()),
                name,
                name_en: None,
                name_ko: None,
                name_ko_source: None,
                kind: CityKind::AddressFallback,
                centre,
                bbox: BoundingBox::around(centre),
                time_zone: None,
                country: None,
                population: None,
                place_count: 0,
            });
        }

        // Assign each place to the nearest centre whose radius covers it.
        let mut countries: Vec<HashMap<u32, u64>> = vec![HashMap::new(); seeds.len()];
        for p in &self.places {
            let nearest = seeds
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.centre.haversine_m(&p.position), c.kind))
                .filter(|(_, d, kind)| *d <= kind.assignment_radius_m())
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((i, _, _)) = nearest
                && let Some(city) = seeds.get_mut(i)
            {
                city.bbox.extend(p.position);
                city.place_count += 1;
                if let (Some(c), Some(slot)) = (p.country, countries.get_mut(i)) {
                    *slot.entry(c).or_default() += 1;
                }
            }
        }

        for (city, country_counts) in seeds.iter_mut().zip(countries) {
            city.time_zone = time_zone_at(city.centre).map(|tz| tz.name().to_owned());
            if city.country.is_none() {
                city.country = most_common(country_counts).map(|c| self.strings.get(c).to_owned());
            }
            let table = exonym(&city.name).or_else(|| city.name_en.as_deref().and_then(exonym));
            if let Some((en, ko)) = table {
                if city.name_ko.is_none() {
                    city.name_ko = Some(ko.to_owned());
                    city.name_ko_source = Some(NameSource::ProductTable);
                }
                if city.name_en.is_none() {
                    city.name_en = Some(en.to_owned());
                }
            }
        }
        Gazetteer { cities: seeds }
    }
}

/// The cities known from one or more imports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gazetteer {
    cities: Vec<City>,
}

impl Gazetteer {
    pub fn cities(&self) -> &[City] {
        &self.cities
    }

    pub fn into_cities(self) -> Vec<City> {
        self.cities
    }

    /// Case-insensitive match on the local, English or Korean name.
    pub fn find_by_name(&self, name: &str) -> Option<&City> {
        let wanted = name.trim().to_lowercase();
        self.cities.iter().find(|c| {
            [Some(&c.name), c.name_en.as_ref(), c.name_ko.as_ref()]
                .into_iter()
                .flatten()
                .any(|n| n.to_lowercase() == wanted)
        })
    }

    /// The city whose centre is nearest to `point`, within that city's assignment radius.
    pub fn city_at(&self, point: GeoPoint) -> Option<&City> {
        self.cities
            .iter()
            .map(|c| (c, c.centre.haversine_m(&point)))
            .filter(|(c, d)| *d <= c.kind.assignment_radius_m())
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(c, _)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::{Category, Exposure};
    use crate::opening_hours::OpeningHours;
    use crate::place::{Address, ElementKind, ElementRef, PlaceNames, Wheelchair};

    fn source(id: i64) -> SourceRecord {
        SourceRecord {
            element: ElementRef {
                kind: ElementKind::Node,
                id,
            },
            version: None,
            timestamp: None,
            snapshot_at: None,
            dataset: "t".into(),
        }
    }

    fn place(id: i64, lat: f64, lon: f64, city: Option<&str>) -> Place {
        Place {
            id: PlaceId::from_element(source(id).element),
            names: PlaceNames {
                local: format!("p{id}"),
                en: None,
                ko: None,
            },
            position: GeoPoint::new(lat, lon).unwrap(),
            category: Category::Cafe,
            kind: "amenity=cafe".into(),
            opening_hours: OpeningHours::missing(),
            visit_minutes: 30,
            exposure: Exposure::Indoor,
            wheelchair: Wheelchair::Unknown,
            address: Address {
                city: city.map(str::to_owned),
                country: Some("gb".into()),
                ..Address::default()
            },
            phone: None,
            website: None,
            cuisine: vec![],
            source: source(id),
            wikidata: None,
            other_names: Default::default(),
            area_m2: None,
            significance: Default::default(),
            merged: Vec::new(),
        }
    }

    #[test]
    fn fallback_from_addr_city_uses_median_and_time_zone() {
        let mut b = GazetteerBuilder::new();
        b.add_place(&place(1, 51.50, -0.12, Some("London")));
        b.add_place(&place(2, 51.52, -0.10, Some("london")));
        b.add_place(&place(3, 51.51, -0.11, Some("London")));
        b.add_place(&place(4, 59.0, 10.0, Some("Londn"))); // typo, far away
        b.add_place(&place(5, 51.515, -0.105, None));
        b.add_place(&place(6, 51.5, -0.1, Some("EC1N 8JE")));
        let g = b.build();
        let [london] = g.cities() else {
            panic!("{g:?}")
        };
        assert_eq!(london.kind, CityKind::AddressFallback);
        assert_eq!(london.name, "London");
        assert!((london.centre.lat() - 51.51).abs() < 1e-9);
        assert_eq!(london.time_zone.as_deref(), Some("Europe/London"));
        assert_eq!(london.name_ko.as_deref(), Some("런던"));
        assert_eq!(london.name_ko_source, Some(NameSource::ProductTable));
        assert_eq!(london.country.as_deref(), Some("GB"));
        assert_eq!(london.place_count, 5);
        assert!(london.bbox.contains(GeoPoint::new(51.52, -0.10).unwrap()));
        assert!(g.find_by_name("런던").is_some());
    }

    #[test]
    fn too_few_addresses_give_no_fallback() {
        let mut b = GazetteerBuilder::new();
        b.add_place(&place(1, 51.50, -0.12, Some("London")));
        assert!(b.build().cities().is_empty());
    }

    #[test]
    fn places_go_to_the_nearest_city() {
        let mut b = GazetteerBuilder::new();
        let entry = |id, name: &str, lat, lon, kind| CityEntry {
            id: PlaceId::from_element(source(id).element),
            name: name.into(),
            name_en: None,
            name_ko: None,
            kind,
            centre: GeoPoint::new(lat, lon).unwrap(),
            population: None,
            country: None,
            source: source(id),
        };
        b.add_city(entry(100, "Porto", 41.1496, -8.6110, CityKind::City));
        b.add_city(entry(
            101,
            "Vila Nova de Gaia",
            41.1239,
            -8.6118,
            CityKind::Town,
        ));
        b.add_place(&place(1, 41.1456, -8.6108, None)); // Porto centre
        b.add_place(&place(2, 41.1250, -8.6100, None)); // Gaia
        let g = b.build();
        assert_eq!(g.cities()[0].place_count, 1);
        assert_eq!(g.cities()[1].place_count, 1);
        assert_eq!(g.cities()[0].name_ko.as_deref(), Some("포르투"));
        assert_eq!(g.cities()[0].time_zone.as_deref(), Some("Europe/Lisbon"));
        assert_eq!(
            g.city_at(GeoPoint::new(41.126, -8.611).unwrap())
                .map(|c| c.name.as_str()),
            Some("Vila Nova de Gaia")
        );
    }

    #[test]
    fn time_zones_of_bundled_cities() {
        let tz =
            |lat, lon| time_zone_at(GeoPoint::new(lat, lon).unwrap()).map(|t| t.name().to_owned());
        assert_eq!(tz(48.137, 11.575).as_deref(), Some("Europe/Berlin"));
        assert_eq!(tz(60.170, 24.941).as_deref(), Some("Europe/Helsinki"));
        assert_eq!(tz(43.737, 7.421).as_deref(), Some("Europe/Monaco"));
        assert_eq!(tz(42.507, 1.521).as_deref(), Some("Europe/Andorra"));
    }
}
