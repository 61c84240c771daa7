//! Street graph from an `.osm.pbf`, in two passes: the routable `highway=*` ways (with
//! their profile and node ids), then the coordinates of those nodes and the
//! public-transport stops. A way is cut where its nodes are missing (clipped extracts
//! end ways at the border), at every node shared with another way, and at its ends; the
//! nodes in between become the edge's shape.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use osmpbf::{Element, ElementReader};

use super::graph::{Edge, FLAG_STEPS, RoadGraph, RoadMode, Stop, StopKind};
use super::profile::{WayProfile, way_profile};
use crate::error::ImportError;
use crate::geo::GeoPoint;

struct RoadWay {
    profile: WayProfile,
    refs: Vec<i64>,
}

/// Reads `path` and builds the graph with its components and contraction order;
/// `Ok(None)` when the file holds no routable street.
pub fn build_road_graph(path: &Path) -> Result<Option<RoadGraph>, ImportError> {
    let pbf = |e: osmpbf::Error| ImportError::pbf(path, e.to_string());
    let mut ways = Vec::new();
    let mut uses: HashMap<i64, u32> = HashMap::new();
    ElementReader::from_path(path)
        .map_err(pbf)?
        .for_each(|el| {
            if let Element::Way(w) = el {
                let tags: Vec<(&str, &str)> = w.tags().collect();
                if let Some(profile) = way_profile(&tags) {
                    let refs: Vec<i64> = w.refs().collect();
                    for r in &refs {
                        *uses.entry(*r).or_default() += 1;
                    }
                    ways.push(RoadWay { profile, refs });
                }
            }
        })
        .map_err(pbf)?;
    let mut coords: HashMap<i64, (f64, f64)> = HashMap::with_capacity(uses.len());
    let mut stops = Vec::new();
    ElementReader::from_path(path)
        .map_err(pbf)?
        .for_each(|el| {
            let (id, lat, lon, tags): (i64, f64, f64, Vec<(&str, &str)>) = match &el {
                Element::Node(n) => (n.id(), n.lat(), n.lon(), n.tags().collect()),
                Element::DenseNode(n) => (n.id(), n.lat(), n.lon(), n.tags().collect()),
                _ => return,
            };
            // Out-of-range coordinates are broken records: treated as missing.
            if GeoPoint::new(lat, lon).is_err() {
                return;
            }
            if uses.contains_key(&id) {
                coords.insert(id, (lat, lon));
            }
            if let Some(kind) = stop_kind(&tags) {
                stops.push(Stop { lat, lon, kind });
            }
        })
        .map_err(pbf)?;
    Ok(assemble(&ways, &uses, &coords, stops))
}

/// Kind of a public-transport stop node, `None` for other nodes.
pub fn stop_kind(tags: &[(&str, &str)]) -> Option<StopKind> {
    let get = |key: &str| tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let yes = |key: &str| get(key) == Some("yes");
    let is_stop = matches!(get("public_transport"), Some("platform" | "stop_position"))
        || get("highway") == Some("bus_stop")
        || matches!(get("railway"), Some("station" | "halt" | "tram_stop"));
    if !is_stop {
        return None;
    }
    Some(
        if matches!(get("railway"), Some("station" | "halt"))
            || yes("train")
            || yes("subway")
            || yes("light_rail")
        {
            StopKind::Rail
        } else if get("railway") == Some("tram_stop") || yes("tram") {
            StopKind::Tram
        } else {
            StopKind::Bus
        },
    )
}

fn assemble(
    ways: &[RoadWay],
    uses: &HashMap<i64, u32>,
    coords: &HashMap<i64, (f64, f64)>,
    stops: Vec<Stop>,
) -> Option<RoadGraph> {
    // Runs of consecutive nodes with coordinates; their ends are graph nodes.
    let runs: Vec<(usize, Vec<i64>)> = ways
        .iter()
        .enumerate()
        .flat_map(|(w, way)| {
            way.refs
                .split(|r| !coords.contains_key(r))
                .filter(|run| run.len() >= 2)
                .map(move |run| (w, run.to_vec()))
        })
        .collect();
    let mut junction: HashSet<i64> = uses
        .iter()
        .filter(|(_, n)| **n >= 2)
        .map(|(id, _)| *id)
        .collect();
    for (_, run) in &runs {
        junction.extend([run[0], run[run.len() - 1]]);
    }
    let mut g = RoadGraph::default();
    let mut index: HashMap<i64, u32> = HashMap::new();
    let mut node = |id: i64, g: &mut RoadGraph| -> u32 {
        *index.entry(id).or_insert_with(|| {
            let (lat, lon) = coords.get(&id).copied().unwrap_or_default();
            g.lat.push(lat);
            g.lon.push(lon);
            (g.lat.len() - 1) as u32
        })
    };
    g.shape_first.push(0);
    for (w, run) in &runs {
        let p = &ways[*w].profile;
        let mut flags = Edge::access_bits(RoadMode::Foot, p.foot.forward, p.foot.backward)
            | Edge::access_bits(RoadMode::Bike, p.bike.forward, p.bike.backward)
            | Edge::access_bits(RoadMode::Car, p.car.forward, p.car.backward);
        if p.steps {
            flags |= FLAG_STEPS;
        }
        let mut tail = node(run[0], &mut g);
        let mut shape_start = g.shape.len();
        let mut length_m = 0.0;
        let mut prev = coords.get(&run[0]).copied().unwrap_or_default();
        for (j, id) in run.iter().enumerate().skip(1) {
            let here = coords.get(id).copied().unwrap_or_default();
            length_m += platform_geo::haversine_m(
                platform_geo::LatLon {
                    lat: prev.0,
                    lon: prev.1,
                },
                platform_geo::LatLon {
                    lat: here.0,
                    lon: here.1,
                },
            );
            prev = here;
            if junction.contains(id) || j == run.len() - 1 {
                let head = node(*id, &mut g);
                if head == tail {
                    g.shape.truncate(shape_start);
                } else {
                    g.edges.push(Edge {
                        tail,
                        head,
                        length_dm: (length_m * 10.0).round().clamp(0.0, 1e9) as u32,
                        flags,
                        car_kmh: p.car_kmh.round().clamp(0.0, 255.0) as u8,
                    });
                    g.shape_first.push(g.shape.len() as u32);
                }
                tail = head;
                shape_start = g.shape.len();
                length_m = 0.0;
            } else {
                g.shape.push(here);
            }
        }
    }
    if g.edges.is_empty() {
        return None;
    }
    g.stops = stops;
    g.mark_components();
    g.order = contraction_order(&g);
    Some(g)
}

/// Nested-dissection order from the node positions (inertial flow): the expensive part
/// of preprocessing, hence stored with the graph.
pub fn contraction_order(g: &RoadGraph) -> Vec<u32> {
    let tail: Vec<u32> = g.edges.iter().map(|e| e.tail).collect();
    let head: Vec<u32> = g.edges.iter().map(|e| e.head).collect();
    let lat: Vec<f32> = g.lat.iter().map(|v| *v as f32).collect();
    let lon: Vec<f32> = g.lon.iter().map(|v| *v as f32).collect();
    cch::inertial_order(g.node_count() as u32, &tail, &head, &lat, &lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_by_kind() {
        assert_eq!(stop_kind(&[("highway", "bus_stop")]), Some(StopKind::Bus));
        assert_eq!(stop_kind(&[("railway", "tram_stop")]), Some(StopKind::Tram));
        assert_eq!(
            stop_kind(&[("public_transport", "stop_position"), ("subway", "yes")]),
            Some(StopKind::Rail)
        );
        assert_eq!(stop_kind(&[("amenity", "cafe")]), None);
    }

    #[test]
    fn ways_are_cut_at_junctions_and_missing_nodes() {
        let footway = way_profile(&[("highway", "footway")]).unwrap();
        let coords: HashMap<i64, (f64, f64)> = [
            (1, (48.0, 11.0)),
            (2, (48.0, 11.001)),
            (3, (48.0, 11.002)),
            // 4 is outside the clip
            (5, (48.0, 11.004)),
            (6, (48.0, 11.005)),
            (7, (48.001, 11.001)),
        ]
        .into_iter()
        .collect();
        let ways = vec![
            RoadWay {
                profile: footway,
                refs: vec![1, 2, 3, 4, 5, 6],
            },
            RoadWay {
                profile: footway,
                refs: vec![2, 7],
            },
        ];
        let mut uses = HashMap::new();
        for w in &ways {
            for r in &w.refs {
                *uses.entry(*r).or_insert(0) += 1;
            }
        }
        let g = assemble(&ways, &uses, &coords, vec![]).unwrap();
        // 1-2, 2-3 (cut at junction 2 and before missing 4), 5-6, 2-7.
        assert_eq!(g.edges.len(), 4);
        assert_eq!(g.node_count(), 6);
        let total: u32 = g.edges.iter().map(|e| e.length_dm).sum();
        assert!(
            (total as f64 / 10.0 - (3.0 * 74.4 + 111.2)).abs() < 3.0,
            "{total}"
        );
        // The largest foot part is 1-2-3-7; the piece 5-6 beyond the gap is an island.
        assert_eq!(g.component_size(RoadMode::Foot), 4);
        assert_eq!(g.order.len(), 6);
    }
}
