//! Geographic primitives: validated WGS84 points (input checked where it enters; the
//! workspace's one point type and distance are `platform_geo`'s) and bounding boxes.

use serde::{Deserialize, Serialize};

use platform_geo::LatLon;

use crate::error::ValidationError;

/// The workspace's one Earth radius (mean, IUGG) in metres.
pub use platform_geo::EARTH_RADIUS_M;

/// A WGS84 position. Constructed only through [`GeoPoint::new`], so it is always in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "RawPoint")]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct RawPoint {
    lat: f64,
    lon: f64,
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = ValidationError;
    fn try_from(raw: RawPoint) -> Result<Self, Self::Error> {
        GeoPoint::new(raw.lat, raw.lon)
    }
}

impl GeoPoint {
    /// Validates latitude (−90..=90) and longitude (−180..=180); NaN and infinities are rejected.
    pub fn new(lat: f64, lon: f64) -> Result<Self, ValidationError> {
        Self::validated(lat, lon, "lat", "lon")
    }

    /// Like [`GeoPoint::new`] but reports the caller's field names (e.g. `originLat`).
    pub fn validated(
        lat: f64,
        lon: f64,
        lat_field: &str,
        lon_field: &str,
    ) -> Result<Self, ValidationError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(ValidationError::CoordinateOutOfRange {
                field: lat_field.to_owned(),
                value: lat,
            });
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(ValidationError::CoordinateOutOfRange {
                field: lon_field.to_owned(),
                value: lon,
            });
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Great-circle distance in metres (haversine; < 0.5 % error versus the ellipsoid).
    pub fn haversine_m(&self, other: &GeoPoint) -> f64 {
        platform_geo::haversine_m(self.lat_lon(), other.lat_lon())
    }

    /// The workspace's one point type, for other contexts and the planner.
    pub fn lat_lon(&self) -> LatLon {
        LatLon::new(self.lat, self.lon)
    }
}

/// An axis-aligned lat/lon box (does not handle the antimeridian; no bundled city needs it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoundingBox {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    /// A degenerate box around a single point.
    pub fn around(point: GeoPoint) -> Self {
        Self {
            min_lat: point.lat,
            min_lon: point.lon,
            max_lat: point.lat,
            max_lon: point.lon,
        }
    }

    pub fn extend(&mut self, point: GeoPoint) {
        self.min_lat = self.min_lat.min(point.lat);
        self.min_lon = self.min_lon.min(point.lon);
        self.max_lat = self.max_lat.max(point.lat);
        self.max_lon = self.max_lon.max(point.lon);
    }

    pub fn contains(&self, point: GeoPoint) -> bool {
        (self.min_lat..=self.max_lat).contains(&point.lat)
            && (self.min_lon..=self.max_lon).contains(&point.lon)
    }

    /// The box that contains every point within `radius_m` of `centre`; what a storage
    /// layer uses to prefilter candidates with an index before exact distances are computed.
    pub fn around_radius(centre: GeoPoint, radius_m: f64) -> Self {
        let dlat = (radius_m / EARTH_RADIUS_M).to_degrees();
        // Longitude degrees shrink with cos(lat); clamp near the poles to avoid dividing by ~0.
        let cos_lat = centre.lat.to_radians().cos().max(0.01);
        let dlon = (dlat / cos_lat).min(180.0);
        Self {
            min_lat: (centre.lat - dlat).max(-90.0),
            min_lon: (centre.lon - dlon).max(-180.0),
            max_lat: (centre.lat + dlat).min(90.0),
            max_lon: (centre.lon + dlon).min(180.0),
        }
    }
}

/// Representative point of a way: the area centroid for a closed ring (so an L-shaped park
/// gets its centre of mass, not the mean of its many corner nodes), the vertex mean for an
/// open line or a degenerate ring. `None` for no points.
pub fn way_centroid(points: &[GeoPoint], closed: bool) -> Option<GeoPoint> {
    let first = *points.first()?;
    let mean = || {
        let n = points.len() as f64;
        let lat = points.iter().map(|p| p.lat).sum::<f64>() / n;
        let lon = points.iter().map(|p| p.lon).sum::<f64>() / n;
        GeoPoint::new(lat, lon).ok()
    };
    if !closed || points.len() < 4 {
        return mean();
    }
    // Shoelace on coordinates relative to the first vertex (keeps precision); an affine
    // map of lon (cos(lat) scaling) does not move the centroid, so plain degrees are fine.
    let (mut area2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for pair in points.windows(2) {
        let (x0, y0) = (pair[0].lon - first.lon, pair[0].lat - first.lat);
        let (x1, y1) = (pair[1].lon - first.lon, pair[1].lat - first.lat);
        let cross = x0 * y1 - x1 * y0;
        area2 += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    if area2.abs() < 1e-14 {
        return mean();
    }
    GeoPoint::new(
        first.lat + cy / (3.0 * area2),
        first.lon + cx / (3.0 * area2),
    )
    .ok()
    .or_else(mean)
}

/// Metres per degree of latitude (mean), for small local projections.
const M_PER_DEG: f64 = 111_195.0;

/// Area (m²) and centroid of a set of closed rings (first vertex = last), e.g. the outer
/// rings of a multipolygon. Local equirectangular projection around the first vertex: exact
/// enough for a building or a park. `None` when there is no ring with an area.
pub fn rings_area_centroid(rings: &[Vec<GeoPoint>]) -> Option<(f64, GeoPoint)> {
    let origin = *rings.iter().find_map(|r| r.first())?;
    let kx = M_PER_DEG * origin.lat.to_radians().cos().max(0.01);
    let (mut total, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for ring in rings.iter().filter(|r| r.len() >= 4) {
        let (mut area2, mut rx, mut ry) = (0.0, 0.0, 0.0);
        for pair in ring.windows(2) {
            let (x0, y0) = (
                (pair[0].lon - origin.lon) * kx,
                (pair[0].lat - origin.lat) * M_PER_DEG,
            );
            let (x1, y1) = (
                (pair[1].lon - origin.lon) * kx,
                (pair[1].lat - origin.lat) * M_PER_DEG,
            );
            let cross = x0 * y1 - x1 * y0;
            area2 += cross;
            rx += (x0 + x1) * cross;
            ry += (y0 + y1) * cross;
        }
        if area2.abs() < 1e-9 {
            continue;
        }
        // Each ring's centroid weighted by its (unsigned) area.
        let area = area2.abs() / 2.0;
        total += area;
        cx += rx / (3.0 * area2) * area;
        cy += ry / (3.0 * area2) * area;
    }
    if total <= 0.0 {
        return None;
    }
    let centre = GeoPoint::new(
        origin.lat + cy / total / M_PER_DEG,
        origin.lon + cx / total / kx,
    )
    .ok()?;
    Some((total, centre))
}

/// Whether `p` lies inside the closed ring `ring` (even-odd rule, in degrees: fine at city
/// scale away from the antimeridian).
pub fn ring_contains(ring: &[GeoPoint], p: GeoPoint) -> bool {
    let mut inside = false;
    for pair in ring.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Joins way fragments (node-id sequences) into closed rings, as multipolygon members are
/// often split into several ways; fragments that never close are dropped.
pub fn assemble_rings(mut parts: Vec<Vec<i64>>) -> Vec<Vec<i64>> {
    let mut rings = Vec::new();
    while let Some(mut ring) = parts.pop() {
        while let (Some(&first), Some(&last)) = (ring.first(), ring.last()) {
            if ring.len() >= 4 && first == last {
                rings.push(ring);
                break;
            }
            let next = parts
                .iter()
                .position(|p| p.first() == Some(&last) || p.last() == Some(&last));
            let Some(i) = next else { break };
            let mut part = parts.swap_remove(i);
            if part.first() != Some(&last) {
                part.reverse();
            }
            ring.extend(part.into_iter().skip(1));
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_nan() {
        assert!(GeoPoint::new(91.0, 0.0).is_err());
        assert!(GeoPoint::new(0.0, -180.5).is_err());
        assert!(GeoPoint::new(f64::NAN, 0.0).is_err());
        let err = GeoPoint::validated(0.0, 200.0, "originLat", "originLon").unwrap_err();
        assert_eq!(err.field(), "originLon");
    }

    #[test]
    fn haversine_matches_known_distance() {
        // Marienplatz → Munich Hauptbahnhof is about 1.25 km as the crow flies.
        let marienplatz = GeoPoint::new(48.137_15, 11.575_49).unwrap();
        let hbf = GeoPoint::new(48.140_23, 11.558_81).unwrap();
        let d = marienplatz.haversine_m(&hbf);
        assert!((1_200.0..1_350.0).contains(&d), "{d}");
        assert_eq!(marienplatz.haversine_m(&marienplatz), 0.0);
    }

    #[test]
    fn radius_box_contains_circle() {
        let c = GeoPoint::new(48.137, 11.575).unwrap();
        let bbox = BoundingBox::around_radius(c, 1_000.0);
        let east = GeoPoint::new(48.137, 11.575 + 0.0134).unwrap(); // ≈ 995 m east
        assert!(east.haversine_m(&c) < 1_000.0);
        assert!(bbox.contains(east));
    }

    #[test]
    fn serde_validates() {
        let ok: GeoPoint = serde_json::from_str(r#"{"lat":1.0,"lon":2.0}"#).unwrap();
        assert_eq!(ok.lon(), 2.0);
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":100.0,"lon":2.0}"#).is_err());
    }

    #[test]
    fn centroid_of_ring_and_line() {
        let p = |lat, lon| GeoPoint::new(lat, lon).unwrap();
        // Square ring with an extra vertex crowded on one edge: area centroid stays central.
        let ring = [
            p(0.0, 0.0),
            p(0.0, 1.0),
            p(0.0, 1.0),
            p(0.0, 1.0),
            p(1.0, 1.0),
            p(1.0, 0.0),
            p(0.0, 0.0),
        ];
        let c = way_centroid(&ring, true).unwrap();
        assert!(
            (c.lat() - 0.5).abs() < 1e-9 && (c.lon() - 0.5).abs() < 1e-9,
            "{c:?}"
        );
        let line = [p(0.0, 0.0), p(0.0, 2.0)];
        assert_eq!(way_centroid(&line, false), Some(p(0.0, 1.0)));
        assert_eq!(way_centroid(&[], false), None);
    }

    #[test]
    fn ring_area_and_centroid() {
        // A ~100 m × 100 m square at Munich's latitude.
        let p = |dy: f64, dx: f64| GeoPoint::new(48.0 + dy * 0.0009, 11.0 + dx * 0.001345).unwrap();
        let ring = vec![
            p(0.0, 0.0),
            p(0.0, 1.0),
            p(1.0, 1.0),
            p(1.0, 0.0),
            p(0.0, 0.0),
        ];
        let (area, c) = rings_area_centroid(std::slice::from_ref(&ring)).unwrap();
        assert!((9_500.0..10_500.0).contains(&area), "{area}");
        assert!((c.lat() - 48.00045).abs() < 1e-6 && (c.lon() - 11.000_672).abs() < 1e-5);
        assert!(ring_contains(&ring, c));
        assert!(!ring_contains(&ring, p(2.0, 0.5)));
        assert!(rings_area_centroid(&[]).is_none());
    }

    #[test]
    fn rings_from_fragments() {
        let rings = assemble_rings(vec![
            vec![1, 2, 3],
            vec![5, 4, 3],
            vec![5, 6, 1],
            vec![7, 8],
        ]);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].len(), 7);
        assert_eq!(rings[0].first(), rings[0].last());
    }
}
