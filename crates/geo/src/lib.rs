//! The one geographic point type and the one great-circle distance of the workspace, shared
//! by both products: the planner (which depends on nothing else of ours), the contexts and
//! the export. A leaf crate, so that the pure planner can use it without the platform's I/O;
//! the platform re-exports it as `platform::geo`.

use serde::{Deserialize, Serialize};

/// Mean Earth radius (IUGG) in metres, the usual choice for haversine distances.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

// A WGS 84 position in degrees, serialised as `{"lat": …, "lon": …}`. Unvalidated: stored
// and computed points use it as they are; input is checked where it enters (the location
// context's `GeoPoint::new`). No doc comment on purpose: it would become the OpenAPI
// schema's description, which the API contract pins.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub const fn new(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    /// Great-circle distance in metres (see [`haversine_m`]).
    pub fn distance_m(self, other: LatLon) -> f64 {
        haversine_m(self, other)
    }
}

/// Great-circle distance in metres (haversine on a sphere of [`EARTH_RADIUS_M`]; < 0.5 %
/// error versus the ellipsoid).
pub fn haversine_m(a: LatLon, b: LatLon) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dla = la2 - la1;
    let dlo = (b.lon - a.lon).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude() {
        let d = haversine_m(LatLon::new(0.0, 0.0), LatLon::new(1.0, 0.0));
        assert!((d - 111_195.0).abs() < 1.0, "{d}");
    }

    #[test]
    fn known_city_distance_and_symmetry() {
        // Marienplatz → Munich Hauptbahnhof is about 1.3 km.
        let a = LatLon::new(48.1374, 11.5755);
        let b = LatLon::new(48.1402, 11.5600);
        let d = a.distance_m(b);
        assert!((1_100.0..1_300.0).contains(&d), "{d}");
        assert_eq!(d, b.distance_m(a));
        assert_eq!(a.distance_m(a), 0.0);
    }

    #[test]
    fn serialises_as_lat_lon() {
        let s = serde_json::to_string(&LatLon::new(1.5, -2.0)).unwrap();
        assert_eq!(s, r#"{"lat":1.5,"lon":-2.0}"#);
    }
}
