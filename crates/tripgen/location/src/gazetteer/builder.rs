//! Builds the catalogue's cities after an import: places attached to world cities by
//! position, file-only towns, and the `addr:city` fallback. Time zones come from the world
//! gazetteer or, for the others, offline from tzf-rs' bundled boundary data.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono_tz::Tz;

use super::names::name_key;
use super::world::{WorldCity, WorldGazetteer, world};
use super::{City, CityEntry, CityKind, Gazetteer, NameSource};
use crate::geo::{BoundingBox, GeoPoint};
use crate::import::ImportEvent;
use crate::place::Place;

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

/// How far from a file's city node its world city may lie (same name required).
const NODE_MATCH_M: f64 = 30_000.0;

/// A city being built, with the radius it attracts places within.
struct Seed {
    city: City,
    radius_m: f64,
    /// From a `place=*` node of a file: kept even without places.
    from_file: bool,
}

impl Seed {
    fn score(&self, p: GeoPoint) -> Option<f64> {
        let d = self.city.centre.haversine_m(&p);
        (d <= self.radius_m).then(|| d / self.radius_m)
    }

    fn world(w: &WorldCity) -> Self {
        Seed {
            city: City::from_world(w),
            radius_m: w.radius_m(),
            from_file: false,
        }
    }
}

/// The world city a file's `place=*` node stands for: the nearest one sharing a name.
fn world_match<'w>(world: &'w WorldGazetteer, e: &CityEntry) -> Option<&'w WorldCity> {
    let keys: Vec<String> = [Some(&e.name), e.name_en.as_ref(), e.name_ko.as_ref()]
        .into_iter()
        .flatten()
        .map(|n| name_key(n))
        .filter(|k| !k.is_empty())
        .collect();
    world
        .within(e.centre, NODE_MATCH_M)
        .filter(|(w, _)| w.names().any(|n| keys.contains(&name_key(n))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(w, _)| w)
}

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

    /// Seeds from the files' `place=city|town` nodes: the world city they name (with the
    /// file's local name and translations), else a town of their own.
    fn file_seeds(&self, world: &WorldGazetteer) -> Vec<Seed> {
        let mut seeds: Vec<Seed> = Vec::new();
        for e in &self.entries {
            let country = e.country.as_ref().map(|c| c.to_ascii_uppercase());
            let seed = match world_match(world, e) {
                Some(w) => {
                    if seeds
                        .iter()
                        .any(|s| s.city.geonames_id == Some(w.geonames_id))
                    {
                        continue;
                    }
                    let mut s = Seed::world(w);
                    s.city.name = e.name.clone();
                    s.city.name_en = e.name_en.clone().or(Some(w.name.clone()));
                    if let Some(ko) = &e.name_ko {
                        s.city.name_ko = Some(ko.clone());
                        s.city.name_ko_source = Some(NameSource::Osm);
                    }
                    s.city.kind = e.kind;
                    s.city.centre = e.centre;
                    s.city.bbox = BoundingBox::around(e.centre);
                    s.city.country = country.or(s.city.country);
                    s
                }
                None => Seed {
                    city: City {
                        id: e.id.to_string(),
                        name: e.name.clone(),
                        name_en: e.name_en.clone(),
                        name_ko: e.name_ko.clone(),
                        name_ko_source: e.name_ko.as_ref().map(|_| NameSource::Osm),
                        kind: e.kind,
                        centre: e.centre,
                        bbox: BoundingBox::around(e.centre),
                        time_zone: None,
                        country,
                        population: e.population,
                        place_count: 0,
                        geonames_id: None,
                    },
                    radius_m: e.kind.assignment_radius_m(),
                    from_file: true,
                },
            };
            seeds.push(Seed {
                from_file: true,
                ..seed
            });
        }
        seeds
    }

    /// Attaches every place to the seed it is relatively closest to, adding world cities
    /// as places reach them. `None` = no known city around.
    fn attach(&self, world: &WorldGazetteer, seeds: &mut Vec<Seed>) -> Vec<Option<usize>> {
        let mut by_geonames: HashMap<u32, usize> = seeds
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.city.geonames_id.map(|g| (g, i)))
            .collect();
        let mut out = Vec::with_capacity(self.places.len());
        // Districts repeat for every place in them: merge each into its city once.
        let mut dominant: HashMap<u32, &WorldCity> = HashMap::new();
        for p in &self.places {
            let best_seed = seeds
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.score(p.position).map(|sc| (i, sc)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let candidate = world.nearest_relative(p.position).map(|w| {
                let w = *dominant
                    .entry(w.geonames_id)
                    .or_insert_with(|| world.dominant(w));
                let d = w.centre.haversine_m(&p.position);
                (w, (d / w.radius_m()).min(1.0))
            });
            let chosen = match (best_seed, candidate) {
                (Some((_, s)), Some((w, sw)))
                    if sw < s && !by_geonames.contains_key(&w.geonames_id) =>
                {
                    seeds.push(Seed::world(w));
                    by_geonames.insert(w.geonames_id, seeds.len() - 1);
                    Some(seeds.len() - 1)
                }
                (Some((i, _)), _) => Some(i),
                (None, Some((w, _))) => Some(match by_geonames.get(&w.geonames_id) {
                    Some(i) => *i,
                    None => {
                        seeds.push(Seed::world(w));
                        by_geonames.insert(w.geonames_id, seeds.len() - 1);
                        seeds.len() - 1
                    }
                }),
                (None, None) => None,
            };
            out.push(chosen);
        }
        out
    }

    /// Fallback cities from `addr:city` for places no known city covers. Every name with
    /// enough such places becomes a city at the median of its places.
    fn fallback_seeds(&self, attached: &[Option<usize>]) -> Vec<Seed> {
        let loose = || {
            self.places
                .iter()
                .zip(attached)
                .filter(|(_, a)| a.is_none())
                .map(|(p, _)| p)
        };
        // Group case-insensitively, display the most frequent spelling.
        let mut counts: HashMap<u32, u64> = HashMap::new();
        for p in loose() {
            if let Some(c) = p.city {
                *counts.entry(c).or_default() += 1;
            }
        }
        let mut by_key: HashMap<String, (u64, u32, u64)> = HashMap::new();
        for (id, n) in counts {
            let key = name_key(self.strings.get(id));
            let slot = by_key.entry(key).or_insert((0, id, 0));
            slot.0 += n;
            if n > slot.2 || (n == slot.2 && id < slot.1) {
                slot.1 = id;
                slot.2 = n;
            }
        }
        let mut groups: Vec<_> = by_key.into_iter().collect();
        groups.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        let mut out = Vec::new();
        for (key, (total, spelling, _)) in groups {
            if total < FALLBACK_MIN_PLACES || key.is_empty() {
                continue;
            }
            let (mut lats, mut lons): (Vec<f64>, Vec<f64>) = loose()
                .filter(|p| p.city.is_some_and(|c| name_key(self.strings.get(c)) == key))
                .map(|p| (p.position.lat(), p.position.lon()))
                .unzip();
            if let (Some(lat), Some(lon)) = (median(&mut lats), median(&mut lons))
                && let Ok(centre) = GeoPoint::new(lat, lon)
            {
                let name = self.strings.get(spelling).to_owned();
                let kind = CityKind::AddressFallback;
                out.push(Seed {
                    city: City {
                        id: format!("addr-city:{}", name.to_lowercase()),
                        name,
                        name_en: None,
                        name_ko: None,
                        name_ko_source: None,
                        kind,
                        centre,
                        bbox: BoundingBox::around(centre),
                        time_zone: None,
                        country: None,
                        population: None,
                        place_count: 0,
                        geonames_id: None,
                    },
                    radius_m: kind.assignment_radius_m(),
                    from_file: false,
                });
            }
        }
        out
    }

    pub fn build(self) -> Gazetteer {
        self.build_with(world())
    }

    pub fn build_with(self, world: &WorldGazetteer) -> Gazetteer {
        let mut seeds = self.file_seeds(world);
        let mut attached = self.attach(world, &mut seeds);
        let first_fallback = seeds.len();
        seeds.extend(self.fallback_seeds(&attached));
        for (p, a) in self.places.iter().zip(attached.iter_mut()) {
            if a.is_none() {
                *a = seeds
                    .iter()
                    .enumerate()
                    .skip(first_fallback)
                    .filter_map(|(i, s)| s.score(p.position).map(|sc| (i, sc)))
                    .min_by(|x, y| x.1.total_cmp(&y.1))
                    .map(|(i, _)| i);
            }
        }

        let mut countries: Vec<HashMap<u32, u64>> = vec![HashMap::new(); seeds.len()];
        for (p, a) in self.places.iter().zip(&attached) {
            if let Some(i) = *a
                && let Some(seed) = seeds.get_mut(i)
            {
                seed.city.bbox.extend(p.position);
                seed.city.place_count += 1;
                if let (Some(c), Some(slot)) = (p.country, countries.get_mut(i)) {
                    *slot.entry(c).or_default() += 1;
                }
            }
        }

        let mut cities = Vec::new();
        for (seed, country_counts) in seeds.into_iter().zip(countries) {
            if seed.city.place_count == 0 && !seed.from_file {
                continue;
            }
            let mut city = seed.city;
            if city.time_zone.is_none() {
                city.time_zone = time_zone_at(city.centre).map(|tz| tz.name().to_owned());
            }
            if city.country.is_none() {
                city.country = most_common(country_counts).map(|c| self.strings.get(c).to_owned());
            }
            cities.push(city);
        }
        Gazetteer { cities }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::{Category, Exposure};
    use crate::opening_hours::OpeningHours;
    use crate::place::{
        Address, ElementKind, ElementRef, PlaceId, PlaceNames, SourceRecord, Wheelchair,
    };

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
    fn places_without_a_city_node_attach_to_the_world_city() {
        // The bundled London extract has no `place=city` node.
        let mut b = GazetteerBuilder::new();
        b.add_place(&place(1, 51.50, -0.12, Some("London")));
        b.add_place(&place(2, 51.52, -0.10, Some("london")));
        b.add_place(&place(3, 51.5136, -0.1365, None)); // Soho, a GeoNames "city" itself
        b.add_place(&place(4, 51.5362, -0.1033, Some("EC1N 8JE"))); // Islington
        let g = b.build();
        let [london] = g.cities() else {
            panic!("{g:?}")
        };
        assert_eq!(london.id, "geonames:2643743");
        assert_eq!(london.name, "London");
        assert_eq!(london.kind, CityKind::City);
        assert_eq!(london.time_zone.as_deref(), Some("Europe/London"));
        assert_eq!(london.name_ko.as_deref(), Some("런던"));
        assert_eq!(london.name_ko_source, Some(NameSource::Gazetteer));
        assert_eq!(london.country.as_deref(), Some("GB"));
        assert_eq!(london.place_count, 4);
        assert!(london.bbox.contains(GeoPoint::new(51.52, -0.10).unwrap()));
        assert!(g.find_by_name("런던").is_some());
        assert!(g.find_by_name("Londres").is_some());
    }

    #[test]
    fn extracts_of_one_city_share_it_whatever_they_carry() {
        // One file has the city node in Russian only, the other just shops.
        let mut b = GazetteerBuilder::new();
        b.add_city(CityEntry {
            id: PlaceId::from_element(source(900).element),
            name: "Москва".into(),
            name_en: None,
            name_ko: None,
            kind: CityKind::City,
            centre: GeoPoint::new(55.7558, 37.6173).unwrap(),
            population: None,
            country: Some("ru".into()),
            source: source(900),
        });
        b.add_place(&place(1, 55.7600, 37.6200, None));
        b.add_place(&place(2, 55.7000, 37.5000, None));
        let g = b.build();
        let [moscow] = g.cities() else {
            panic!("{g:?}")
        };
        assert_eq!(moscow.name, "Москва");
        assert_eq!(moscow.name_en.as_deref(), Some("Moscow"));
        assert_eq!(moscow.name_ko.as_deref(), Some("모스크바"));
        assert_eq!(moscow.place_count, 2);
        assert_eq!(moscow.time_zone.as_deref(), Some("Europe/Moscow"));
        for name in ["Moscow", "모스크바", "moskau", "MOSKVA"] {
            assert_eq!(
                g.find_by_name(name).map(|c| c.id.as_str()),
                Some("geonames:524901")
            );
        }
    }

    #[test]
    fn fallback_from_addr_city_where_no_known_city_is() {
        // Ny-Ålesund (Svalbard) has ~40 inhabitants: no world city within reach.
        let mut b = GazetteerBuilder::new();
        b.add_place(&place(1, 78.923, 11.92, Some("Ny-Ålesund")));
        b.add_place(&place(2, 78.925, 11.93, Some("ny-alesund")));
        b.add_place(&place(3, 78.924, 11.925, Some("Ny-Ålesund")));
        b.add_place(&place(4, 78.9245, 11.926, None));
        let g = b.build();
        let [town] = g.cities() else { panic!("{g:?}") };
        assert_eq!(town.kind, CityKind::AddressFallback);
        assert_eq!(town.name, "Ny-Ålesund");
        assert!((town.centre.lat() - 78.924).abs() < 1e-9);
        assert_eq!(town.time_zone.as_deref(), Some("Arctic/Longyearbyen"));
        assert_eq!(town.place_count, 4);
    }

    #[test]
    fn too_few_addresses_give_no_fallback() {
        let mut b = GazetteerBuilder::new();
        b.add_place(&place(1, 78.923, 11.92, Some("Ny-Ålesund")));
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
        assert_eq!(g.cities()[0].id, "geonames:2735943");
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
