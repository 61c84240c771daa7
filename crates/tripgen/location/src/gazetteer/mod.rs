//! City gazetteer: the world's cities shipped with the product ([`world`], GeoNames) and
//! the cities of the catalogue, built after each import. Every imported place is attached
//! by position to a world city (the one it is relatively closest to within a radius scaled
//! by population, see [`WorldGazetteer::city_at`]), so places from any extract of a city
//! land on the same city whatever their file carries. `place=city|town` nodes of a file
//! give the local name (`München`) and towns the world file lacks; places outside every
//! known city fall back to their most common `addr:city`.

pub mod bench;
mod builder;
pub mod lookup;
pub mod names;
pub mod world;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::geo::{BoundingBox, GeoPoint};
use crate::opening_hours::OpeningContext;
use crate::place::{PlaceId, SourceRecord};

pub use builder::{GazetteerBuilder, time_zone_at};
pub use names::name_key;
pub use world::{GEONAMES_ATTRIBUTION, NameMatch, WorldCity, WorldGazetteer, world};

/// How a city entered the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CityKind {
    City,
    Town,
    /// No known city around: derived from the places' `addr:city`.
    AddressFallback,
}

impl CityKind {
    /// Places farther than this from the centre are not assigned to a city known only
    /// from the file (world cities use [`WorldCity::radius_m`]).
    pub fn assignment_radius_m(self) -> f64 {
        match self {
            CityKind::City | CityKind::AddressFallback => 30_000.0,
            CityKind::Town => 10_000.0,
        }
    }

    fn for_population(population: u64) -> Self {
        if population >= 100_000 {
            CityKind::City
        } else {
            CityKind::Town
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

/// Where a Korean name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NameSource {
    Osm,
    /// Catalogues built before the world gazetteer: TripGen's former exonym table.
    ProductTable,
    /// The world gazetteer (GeoNames, plus `data/gazetteer/supplement-ko.tsv`).
    Gazetteer,
}

/// A city of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct City {
    /// `geonames:<id>` for world cities, `osm:node:<id>` for a town only the file knows,
    /// `addr-city:<name>` for the fallback.
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
    /// ISO country code.
    pub country: Option<String>,
    pub population: Option<u64>,
    pub place_count: u64,
    /// The world gazetteer's city this is (absent for towns it does not list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u32>,
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

    /// A world city the catalogue has no places for (yet).
    pub fn from_world(w: &WorldCity) -> Self {
        City {
            id: format!("geonames:{}", w.geonames_id),
            name: w.name.clone(),
            name_en: Some(w.name.clone()),
            name_ko: w.name_ko().map(str::to_owned),
            name_ko_source: w.name_ko().map(|_| NameSource::Gazetteer),
            kind: CityKind::for_population(w.population),
            centre: w.centre,
            bbox: BoundingBox::around(w.centre),
            time_zone: Some(w.time_zone.clone()),
            country: Some(w.country.clone()),
            population: Some(w.population),
            place_count: 0,
            geonames_id: Some(w.geonames_id),
        }
    }

    /// Keys of the city's own names (local, English, Korean; for a world city also its
    /// main and Korean names).
    pub fn own_keys(&self) -> Vec<String> {
        let own = [
            Some(&self.name),
            self.name_en.as_ref(),
            self.name_ko.as_ref(),
        ];
        let mut keys: Vec<String> = own.into_iter().flatten().map(|n| name_key(n)).collect();
        if let Some(w) = self.geonames_id.and_then(|id| world().by_id(id)) {
            keys.push(name_key(&w.name));
            keys.extend(w.names_ko.iter().map(|n| name_key(n)));
        }
        keys.retain(|k| !k.is_empty());
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Every name the city answers to: its own, and all of its world city's.
    pub fn name_keys(&self) -> Vec<String> {
        let mut keys = self.own_keys();
        if let Some(w) = self.geonames_id.and_then(|id| world().by_id(id)) {
            keys.extend(w.names().map(name_key));
        }
        keys.retain(|k| !k.is_empty());
        keys.sort_unstable();
        keys.dedup();
        keys
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

    /// Match on any name of the city (folded: accents, case and spacing).
    pub fn find_by_name(&self, name: &str) -> Option<&City> {
        let wanted = name_key(name);
        self.cities.iter().find(|c| c.name_keys().contains(&wanted))
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
