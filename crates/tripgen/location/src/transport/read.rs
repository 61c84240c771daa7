//! Stations, ferry terminals and ferry routes from an `.osm.pbf`, in three passes like the
//! place reader (a sorted file lists nodes, ways, relations): the ferry route relations and
//! their member ways, then the ways (ferry routes, stations and terminals drawn as areas)
//! and the nodes they need, then the nodes. A route whose far end the clip cut away is left
//! out: its length and its other port are unknown.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use osmpbf::{Element, ElementReader, RelMemberType};
use platform_geo::LatLon;

use super::{FerryRoute, HubKind, TransportHub, TransportNetwork};
use crate::error::ImportError;
use crate::geo::GeoPoint;

fn tag<'a>(tags: &[(&'a str, &'a str)], key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Trains stop here: a railway station or halt, or a public-transport station for trains —
/// not a metro, tram, light-rail or funicular station (they do not leave the city).
pub fn is_train_station(tags: &[(&str, &str)]) -> bool {
    let railway = matches!(tag(tags, "railway"), Some("station" | "halt"));
    let pt_train =
        tag(tags, "public_transport") == Some("station") && tag(tags, "train") == Some("yes");
    let urban = matches!(
        tag(tags, "station"),
        Some("subway" | "light_rail" | "monorail" | "funicular" | "tram" | "miniature")
    ) || tag(tags, "train") == Some("no");
    (railway || pt_train) && !urban
}

fn hub_kind(tags: &[(&str, &str)]) -> Option<HubKind> {
    if tag(tags, "amenity") == Some("ferry_terminal") {
        Some(HubKind::FerryTerminal)
    } else if is_train_station(tags) {
        Some(HubKind::Station)
    } else {
        None
    }
}

fn name(tags: &[(&str, &str)]) -> Option<String> {
    tag(tags, "name")
        .or_else(|| tag(tags, "name:en"))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

fn is_ferry(tags: &[(&str, &str)]) -> bool {
    tag(tags, "route") == Some("ferry")
}

/// Minutes of an OSM `duration` (`HH:MM`, `H:MM:SS`, `MM`, ISO 8601 `PT1H30M`).
pub fn duration_minutes(v: &str) -> Option<u32> {
    let v = v.trim();
    if let Some(iso) = v.strip_prefix("PT") {
        let (mut total, mut number) = (0u32, String::new());
        for c in iso.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let n: u32 = number.parse().ok()?;
            number.clear();
            total = total.checked_add(match c {
                'H' => n.checked_mul(60)?,
                'M' => n,
                'S' => 0,
                _ => return None,
            })?;
        }
        return (number.is_empty() && total > 0).then_some(total);
    }
    let parts: Vec<u32> = v
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let minutes = match parts[..] {
        [m] => m,
        [h, m] | [h, m, _] if m < 60 => h.checked_mul(60)?.checked_add(m)?,
        _ => return None,
    };
    (minutes > 0).then_some(minutes)
}

struct Route {
    osm: String,
    name: String,
    minutes: Option<u32>,
    /// Ways in member order (a single way for a `route=ferry` way).
    ways: Vec<i64>,
}

struct Area {
    osm: String,
    name: String,
    kind: HubKind,
    refs: Vec<i64>,
}

/// Reads the transport points and ferry routes of `path`.
pub fn read_transport(path: &Path) -> Result<TransportNetwork, ImportError> {
    let pbf = |e: osmpbf::Error| ImportError::pbf(path, e.to_string());
    let reader = || ElementReader::from_path(path).map_err(pbf);

    // Pass 1: the ferry route relations.
    let mut routes: Vec<Route> = Vec::new();
    reader()?
        .for_each(|el| {
            if let Element::Relation(r) = el {
                let tags: Vec<(&str, &str)> = r.tags().collect();
                if is_ferry(&tags) {
                    routes.push(Route {
                        osm: format!("relation/{}", r.id()),
                        name: name(&tags).unwrap_or_default(),
                        minutes: tag(&tags, "duration").and_then(duration_minutes),
                        ways: r
                            .members()
                            .filter(|m| m.member_type == RelMemberType::Way)
                            .map(|m| m.member_id)
                            .collect(),
                    });
                }
            }
        })
        .map_err(pbf)?;
    let members: HashSet<i64> = routes.iter().flat_map(|r| r.ways.iter().copied()).collect();

    // Pass 2: ferry ways (alone or members), station and terminal areas.
    let mut way_refs: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut areas: Vec<Area> = Vec::new();
    reader()?
        .for_each(|el| {
            let Element::Way(w) = el else { return };
            let tags: Vec<(&str, &str)> = w.tags().collect();
            let ferry = is_ferry(&tags);
            if ferry || members.contains(&w.id()) {
                way_refs.insert(w.id(), w.refs().collect());
            }
            if ferry && !members.contains(&w.id()) {
                routes.push(Route {
                    osm: format!("way/{}", w.id()),
                    name: name(&tags).unwrap_or_default(),
                    minutes: tag(&tags, "duration").and_then(duration_minutes),
                    ways: vec![w.id()],
                });
            }
            if let (Some(kind), Some(n)) = (hub_kind(&tags), name(&tags)) {
                areas.push(Area {
                    osm: format!("way/{}", w.id()),
                    name: n,
                    kind,
                    refs: w.refs().collect(),
                });
            }
        })
        .map_err(pbf)?;
    let needed: HashSet<i64> = way_refs
        .values()
        .chain(areas.iter().map(|a| &a.refs))
        .flatten()
        .copied()
        .collect();

    // Pass 3: the nodes: hubs, and the coordinates the ways need.
    let mut coords: HashMap<i64, LatLon> = HashMap::with_capacity(needed.len());
    let mut hubs: Vec<TransportHub> = Vec::new();
    let mut node = |id: i64, lat: f64, lon: f64, tags: Vec<(&str, &str)>| {
        // Out-of-range coordinates are broken records: treated as missing.
        let Ok(p) = GeoPoint::new(lat, lon) else {
            return;
        };
        if needed.contains(&id) {
            coords.insert(id, p.lat_lon());
        }
        if let (Some(kind), Some(n)) = (hub_kind(&tags), name(&tags)) {
            hubs.push(TransportHub {
                name: n,
                kind,
                position: p.lat_lon(),
                osm: format!("node/{id}"),
            });
        }
    };
    reader()?
        .for_each(|el| match &el {
            Element::Node(n) => node(n.id(), n.lat(), n.lon(), n.tags().collect()),
            Element::DenseNode(n) => node(n.id(), n.lat(), n.lon(), n.tags().collect()),
            _ => {}
        })
        .map_err(pbf)?;

    for a in areas {
        let points: Vec<LatLon> = a
            .refs
            .iter()
            .filter_map(|r| coords.get(r).copied())
            .collect();
        if let Some(c) = centre(&points) {
            hubs.push(TransportHub {
                name: a.name,
                kind: a.kind,
                position: c,
                osm: a.osm,
            });
        }
    }
    let ferries = routes
        .into_iter()
        .filter_map(|r| ferry_route(r, &way_refs, &coords))
        .collect();
    Ok(TransportNetwork { hubs, ferries })
}

fn centre(points: &[LatLon]) -> Option<LatLon> {
    let n = points.len() as f64;
    (n > 0.0).then(|| {
        LatLon::new(
            points.iter().map(|p| p.lat).sum::<f64>() / n,
            points.iter().map(|p| p.lon).sum::<f64>() / n,
        )
    })
}

fn length(line: &[LatLon]) -> f64 {
    line.windows(2).map(|w| w[0].distance_m(w[1])).sum()
}

/// The route's line from its member ways, each turned to continue the previous one;
/// `None` when a way or either end of one is missing from the extract (a clipped route).
fn route_line(
    ways: &[i64],
    way_refs: &HashMap<i64, Vec<i64>>,
    coords: &HashMap<i64, LatLon>,
) -> Option<Vec<LatLon>> {
    let mut line: Vec<LatLon> = Vec::new();
    for w in ways {
        let refs = way_refs.get(w)?;
        let (first, last) = (refs.first()?, refs.last()?);
        if !coords.contains_key(first) || !coords.contains_key(last) {
            return None;
        }
        let mut part: Vec<LatLon> = refs.iter().filter_map(|r| coords.get(r).copied()).collect();
        if let (Some(end), Some(a), Some(b)) = (line.last(), part.first(), part.last())
            && end.distance_m(*b) < end.distance_m(*a)
        {
            part.reverse();
        }
        line.extend(part);
    }
    (line.len() >= 2).then_some(line)
}

fn ferry_route(
    r: Route,
    way_refs: &HashMap<i64, Vec<i64>>,
    coords: &HashMap<i64, LatLon>,
) -> Option<FerryRoute> {
    let line = route_line(&r.ways, way_refs, coords)?;
    let (from, last) = (*line.first()?, *line.last()?);
    let mut metres = length(&line);
    // A round trip (first and last point the same place): out to its farthest point.
    let to = if from.distance_m(last) < 50.0 {
        metres /= 2.0;
        line.iter()
            .copied()
            .max_by(|a, b| from.distance_m(*a).total_cmp(&from.distance_m(*b)))?
    } else {
        last
    };
    if from.distance_m(to) < 50.0 {
        return None;
    }
    Some(FerryRoute {
        name: r.name,
        from,
        to,
        metres: metres.round() as u32,
        minutes: r.minutes,
        osm: r.osm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_minutes("02:00"), Some(120));
        assert_eq!(duration_minutes("1:45:30"), Some(105));
        assert_eq!(duration_minutes("00:03"), Some(3));
        assert_eq!(duration_minutes("20"), Some(20));
        assert_eq!(duration_minutes("PT2H30M"), Some(150));
        for bad in ["", "2h", "1:75", "PT", "PTxH", "0:00", "99999999999:00"] {
            assert_eq!(duration_minutes(bad), None, "{bad}");
        }
    }

    #[test]
    fn train_stations_not_metro_stations() {
        assert!(is_train_station(&[("railway", "station")]));
        assert!(is_train_station(&[("railway", "halt")]));
        assert!(is_train_station(&[
            ("railway", "station"),
            ("station", "train")
        ]));
        assert!(is_train_station(&[
            ("public_transport", "station"),
            ("train", "yes")
        ]));
        assert!(!is_train_station(&[
            ("railway", "station"),
            ("station", "subway")
        ]));
        assert!(!is_train_station(&[
            ("railway", "station"),
            ("train", "no"),
            ("subway", "yes")
        ]));
        assert!(!is_train_station(&[
            ("public_transport", "station"),
            ("bus", "yes")
        ]));
        assert!(!is_train_station(&[("railway", "tram_stop")]));
    }

    fn osm(rel: &str) -> std::path::PathBuf {
        let root = std::env::var("TRIPGEN_DATA_ROOT").map_or_else(
            |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../data"),
            std::path::PathBuf::from,
        );
        root.join("osm").join(rel)
    }

    #[test]
    fn helsinki_has_its_station_and_terminal_not_its_metro() {
        let n = read_transport(&osm("helsinki-centre/Helsinki.osm.pbf")).expect("readable");
        let names: Vec<(&str, HubKind)> =
            n.hubs.iter().map(|h| (h.name.as_str(), h.kind)).collect();
        assert!(names.contains(&("Helsinki", HubKind::Station)), "{names:?}");
        assert!(
            names.contains(&("Kolera-allas", HubKind::FerryTerminal)),
            "{names:?}"
        );
        assert!(
            !names.iter().any(|(n, _)| *n == "Rautatientori"),
            "a metro station: {names:?}"
        );
        // The Suomenlinna water bus leaves the extract: its far end is unknown.
        assert!(n.ferries.is_empty(), "{:?}", n.ferries);
    }

    #[test]
    fn monaco_harbour_boat_is_a_ferry_route() {
        let n = read_transport(&osm("city-extracts-2020/monaco.osm.pbf")).expect("readable");
        let boat = n.ferries.iter().find(|f| f.name == "Bateau Bus");
        let boat = boat.unwrap_or_else(|| panic!("{:?}", n.ferries));
        assert_eq!(boat.minutes, Some(3));
        assert!((100..2_000).contains(&boat.metres), "{boat:?}");
        assert!(
            n.hubs
                .iter()
                .any(|h| h.kind == HubKind::Station && h.name.contains("Monaco"))
        );
    }
}
