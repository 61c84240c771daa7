//! Arrival and departure points (issue 18): the airports of the shipped list first (by IATA
//! or ICAO code, or by name: "Munich Airport", "Flughafen München", "뮌헨 공항", "Heathrow"),
//! then a place of the catalogue of that name near the city (both trip adapters, in-process
//! and over HTTP, ask the catalogue their own way and share the rest). Nothing found is
//! `NotFound` with the airports near the city as suggestions: never the city centre.
//!
//! The airport list is `data/gazetteer/airports.tsv.gz`, built by
//! `scripts/gazetteer/airports.py` from PyPI `airportsdata` (MIT): the 7,884 airports with an
//! IATA code, embedded in the binary and parsed on first use.

use std::io::Read;
use std::sync::LazyLock;

use tripgen_trip::domain::changes::metres;
use tripgen_trip::domain::model::{LatLon, PointKind};
use tripgen_trip::ports::{City, FoundPoint, PointMatch};

static DATA: &[u8] = include_bytes!("../../../../../data/gazetteer/airports.tsv.gz");

/// Airports this far from the city are candidates (Frankfurt-Hahn is 115 km from
/// Frankfurt; the trip context refuses points beyond 150 km).
const AIRPORT_RADIUS_M: u32 = 150_000;

/// Catalogue places this far from the city centre are candidates.
pub const PLACE_RADIUS_M: f64 = 50_000.0;

/// Words that say "airport" without naming one (folded; English, German, Romance
/// languages, Dutch, Korean …).
const AIRPORT_WORDS: &[&str] = &[
    "airport",
    "intl",
    "international",
    "flughafen",
    "aeroporto",
    "aeropuerto",
    "aeroport",
    "aéroport",
    "luchthaven",
    "lotnisko",
    "letiste",
    "letiště",
    "공항",
    "국제공항",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Airport {
    pub iata: String,
    pub icao: String,
    pub name: String,
    pub city: String,
    pub position: LatLon,
    pub time_zone: String,
}

impl Airport {
    fn label(&self) -> String {
        format!("{} ({})", self.name, self.iata)
    }
}

static AIRPORTS: LazyLock<Vec<Airport>> = LazyLock::new(|| match parse(DATA) {
    Ok(list) => list,
    Err(e) => {
        // Only a broken build gets here (the file is embedded): airports are then unknown
        // and say so as unknown points.
        tracing::error!(error = %e, "airport list unreadable");
        Vec::new()
    }
});

fn parse(gz: &[u8]) -> anyhow::Result<Vec<Airport>> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz).read_to_string(&mut text)?;
    let mut out = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let [iata, icao, name, city, _country, lat, lon, tz] = f[..] else {
            anyhow::bail!("airport line with {} fields", f.len());
        };
        out.push(Airport {
            iata: iata.into(),
            icao: icao.into(),
            name: name.into(),
            city: city.into(),
            position: LatLon::new(lat.parse()?, lon.parse()?),
            time_zone: tz.into(),
        });
    }
    Ok(out)
}

/// Lower-cased words of letters and digits; a Korean word ending in 공항 splits it off.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in s
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        match w.strip_suffix("공항") {
            Some(head) if !head.is_empty() => {
                out.push(head.trim_end_matches("국제").to_string());
                out.push("공항".into());
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

/// The airport near `city` that `query` names, if any. `typed` is the city as the
/// traveller wrote it: "Flughafen München" names Munich's airport.
pub fn airport(city: &City, typed: &str, query: &str) -> Option<Airport> {
    airport_in(&AIRPORTS, city, typed, query)
}

fn airport_in(list: &[Airport], city: &City, typed: &str, query: &str) -> Option<Airport> {
    let q = words(query);
    if q.is_empty() {
        return None;
    }
    let near: Vec<(&Airport, u32)> = list
        .iter()
        .map(|a| (a, metres(a.position, city.position)))
        .filter(|(_, m)| *m <= AIRPORT_RADIUS_M)
        .collect();
    // A code: `MUC`, `eddm`.
    if let [code] = &q[..] {
        let code = code.to_uppercase();
        if let Some((a, _)) = near.iter().find(|(a, _)| a.iata == code || a.icao == code) {
            return Some((*a).clone());
        }
    }
    let city_words: Vec<String> = words(&city.name).into_iter().chain(words(typed)).collect();
    let generic = q.iter().any(|w| AIRPORT_WORDS.contains(&w.as_str()));
    let naming: Vec<&String> = q
        .iter()
        .filter(|w| !AIRPORT_WORDS.contains(&w.as_str()))
        .collect();
    let mut best: Option<(bool, u32, &Airport)> = None;
    for (a, m) in near {
        let own = words(&a.name);
        let serves_city = words(&a.city) == words(&city.name);
        // An airport's words: its name, its city and, when it serves the trip's city,
        // every name of that city.
        let known = |w: &String| {
            own.contains(w) || words(&a.city).contains(w) || (serves_city && city_words.contains(w))
        };
        let matches = if naming.is_empty() {
            // "airport" alone: the city's own airport.
            generic && serves_city
        } else {
            // Its own name ("Heathrow", "Sá Carneiro"), or "airport" with its city.
            naming.iter().all(|w| known(w)) && (generic || naming.iter().any(|w| own.contains(w)))
        };
        if matches {
            let rank = (serves_city, u32::MAX - m);
            if best.is_none_or(|(s, r, _)| rank > (s, r)) {
                best = Some((rank.0, rank.1, a));
            }
        }
    }
    best.map(|(_, _, a)| a.clone())
}

/// The airports near the city, as suggestions (`Name (IATA)`): the city's own first, then
/// the nearest.
pub fn suggestions(city: &City, n: usize) -> Vec<String> {
    let own = words(&city.name);
    let mut near: Vec<(bool, u32, &Airport)> = AIRPORTS
        .iter()
        .map(|a| (words(&a.city) != own, metres(a.position, city.position), a))
        .filter(|(_, m, _)| *m <= AIRPORT_RADIUS_M)
        .collect();
    near.sort_by_key(|(other, m, _)| (*other, *m));
    near.into_iter()
        .take(n)
        .map(|(_, _, a)| a.label())
        .collect()
}

/// The answer: the airport, else the first catalogue place (`places`: name and position,
/// best first), else not found with the nearest airports.
pub fn resolve(city: &City, typed: &str, query: &str, places: Vec<(String, LatLon)>) -> PointMatch {
    if let Some(a) = airport(city, typed, query) {
        return PointMatch::Found(FoundPoint {
            name: a.label(),
            kind: PointKind::Airport,
            position: a.position,
            time_zone: Some(a.time_zone),
        });
    }
    match places.into_iter().next() {
        Some((name, position)) => PointMatch::Found(FoundPoint {
            name,
            kind: PointKind::Place,
            position,
            time_zone: None,
        }),
        None => PointMatch::NotFound {
            suggestions: suggestions(city, 3),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(name: &str, lat: f64, lon: f64) -> City {
        City {
            name: name.into(),
            position: LatLon::new(lat, lon),
            time_zone: String::new(),
            country: None,
        }
    }

    #[test]
    fn the_shipped_list_reads() {
        let list = parse(DATA).unwrap();
        assert!(list.len() > 7_000, "{}", list.len());
        let muc = list.iter().find(|a| a.iata == "MUC").unwrap();
        assert_eq!(muc.time_zone, "Europe/Berlin");
    }

    #[test]
    fn airports_by_code_name_and_city() {
        let munich = city("Munich", 48.137, 11.575);
        let got = |q: &str, typed: &str| airport(&munich, typed, q).map(|a| a.iata);
        assert_eq!(got("MUC", "Munich").as_deref(), Some("MUC"));
        assert_eq!(got("eddm", "Munich").as_deref(), Some("MUC"));
        assert_eq!(got("Munich Airport", "Munich").as_deref(), Some("MUC"));
        assert_eq!(got("Flughafen München", "München").as_deref(), Some("MUC"));
        assert_eq!(got("뮌헨 공항", "뮌헨").as_deref(), Some("MUC"));
        assert_eq!(got("뮌헨공항", "뮌헨").as_deref(), Some("MUC"));
        assert_eq!(got("airport", "Munich").as_deref(), Some("MUC"));
        // Not airports: a code far away, a word that is no airport's.
        assert_eq!(got("LHR", "Munich"), None);
        assert_eq!(got("Hauptbahnhof", "Munich"), None);
        assert_eq!(got("Xyzzy Airport", "Munich"), None);
        let london = city("London", 51.507, -0.128);
        assert_eq!(
            airport(&london, "London", "Heathrow")
                .map(|a| a.iata)
                .as_deref(),
            Some("LHR")
        );
        let porto = city("Porto", 41.15, -8.61);
        assert_eq!(
            airport(&porto, "Porto", "Porto airport")
                .map(|a| a.iata)
                .as_deref(),
            Some("OPO")
        );
    }

    #[test]
    fn an_unknown_point_is_not_the_city_centre() {
        let munich = city("Munich", 48.137, 11.575);
        match resolve(&munich, "Munich", "Nowhere Station", Vec::new()) {
            PointMatch::NotFound { suggestions } => {
                assert!(suggestions[0].contains("(MUC)"), "{suggestions:?}")
            }
            other => panic!("{other:?}"),
        }
        let place = (String::from("Marienplatz"), LatLon::new(48.137, 11.575));
        assert!(matches!(
            resolve(&munich, "Munich", "Marienplatz", vec![place]),
            PointMatch::Found(FoundPoint {
                kind: PointKind::Place,
                ..
            })
        ));
    }
}
