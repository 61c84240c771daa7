//! Area geometry for the PBF reader: which relations form an area (multipolygons, buildings
//! mapped as relations), which of their member ways outline it, and the area and
//! representative point of a closed way or of a relation's outer rings.

use std::collections::HashMap;

use crate::category::{Tags, tag};
use crate::geo::{GeoPoint, assemble_rings, rings_area_centroid};

/// Relations whose members outline an area that can be a place (the Deutsches Museum is a
/// multipolygon, the Frauenkirche a `type=building` relation).
pub(crate) fn is_area_relation(tags: &Tags<'_>) -> bool {
    matches!(tag(tags, "type"), Some("multipolygon" | "building"))
}

/// Member roles that outline the area: `outer` (multipolygon), `outline` (building), and
/// an empty role (old multipolygons). A building relation with only `part`s uses those.
pub(crate) fn outline_role(role: &str) -> u8 {
    match role {
        "outer" | "outline" | "" => 2,
        "part" => 1,
        _ => 0,
    }
}

/// The outline ways of a relation, from `(role rank, way id)` members.
pub(crate) fn outline_ways(members: &[(u8, i64)]) -> Vec<i64> {
    let best = members.iter().map(|m| m.0).max().unwrap_or(0);
    if best == 0 {
        return Vec::new();
    }
    members
        .iter()
        .filter(|m| m.0 == best)
        .map(|m| m.1)
        .collect()
}

/// Area (m²) of a closed way whose nodes are all known.
pub(crate) fn way_area(refs: &[i64], points: &[GeoPoint]) -> Option<f64> {
    let closed = refs.len() >= 4 && refs.first() == refs.last();
    if !closed || points.len() != refs.len() {
        return None;
    }
    rings_area_centroid(&[points.to_vec()]).map(|(area, _)| area)
}

/// Area and representative point of a relation from its outline ways' node lists: the
/// area-weighted centroid of the rings that close; else (rings cut by the extract's edge)
/// the mean of the member nodes that are known, without an area.
pub(crate) fn relation_geometry(
    ways: Vec<Vec<i64>>,
    coords: &HashMap<i64, GeoPoint>,
) -> Option<(GeoPoint, Option<f64>)> {
    let known: Vec<GeoPoint> = ways
        .iter()
        .flatten()
        .filter_map(|id| coords.get(id).copied())
        .collect();
    let rings: Vec<Vec<GeoPoint>> = assemble_rings(ways)
        .into_iter()
        .filter_map(|ring| ring.iter().map(|id| coords.get(id).copied()).collect())
        .collect();
    if let Some((area, centre)) = rings_area_centroid(&rings) {
        return Some((centre, Some(area)));
    }
    let n = known.len() as f64;
    if n == 0.0 {
        return None;
    }
    let lat = known.iter().map(|p| p.lat()).sum::<f64>() / n;
    let lon = known.iter().map(|p| p.lon()).sum::<f64>() / n;
    GeoPoint::new(lat, lon).ok().map(|p| (p, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_and_geometry() {
        assert!(is_area_relation(&[("type", "building"), ("name", "x")]));
        assert!(!is_area_relation(&[("type", "route")]));
        assert_eq!(outline_ways(&[(2, 1), (0, 2), (1, 3)]), vec![1]);
        assert_eq!(outline_ways(&[(1, 3), (0, 2)]), vec![3]);
        assert!(outline_ways(&[(0, 3)]).is_empty());
        let p = |lat: f64, lon: f64| GeoPoint::new(lat, lon).unwrap();
        let coords: HashMap<i64, GeoPoint> = [
            (1, p(48.0, 11.0)),
            (2, p(48.0, 11.001)),
            (3, p(48.001, 11.001)),
            (4, p(48.001, 11.0)),
        ]
        .into_iter()
        .collect();
        // A square split over two ways.
        let (centre, area) =
            relation_geometry(vec![vec![1, 2, 3], vec![3, 4, 1]], &coords).unwrap();
        assert!(area.unwrap() > 7_000.0);
        assert!((centre.lat() - 48.0005).abs() < 1e-6);
        // A ring cut by the extract: the mean of what is known, no area.
        let (_, area) = relation_geometry(vec![vec![1, 2, 99]], &coords).unwrap();
        assert!(area.is_none());
        assert!(relation_geometry(vec![vec![98, 99]], &coords).is_none());
    }
}
