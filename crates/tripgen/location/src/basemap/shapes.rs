//! The base map as geometry for drawings made on the server (PDF and PNG exports): the
//! vector tiles of an area decoded (MVT, by `mvt-reader`) into the few classes a printed
//! map shows — water, green areas, buildings, roads by importance, rail — in WGS 84.
//! Same tiles, same OpenMapTiles layers as the web map's style (`basemap/style.json`).

use std::io::Read;

use geo_types::Geometry;
use mvt_reader::Reader;
use mvt_reader::feature::Value;

use super::{TileLookup, TileSet, TileSets};

/// What a shape is on the map; drawn in this order (areas under lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MapClass {
    /// Grass, meadows, wood (landcover).
    Green,
    /// Parks and gardens.
    Park,
    Water,
    Building,
    /// Rivers and canals as lines.
    Waterway,
    Path,
    MinorRoad,
    MajorRoad,
    Motorway,
    Rail,
}

impl MapClass {
    /// Areas are filled, the rest are lines.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            MapClass::Green | MapClass::Park | MapClass::Water | MapClass::Building
        )
    }
}

/// One shape: an area's rings (outer rings and holes, filled even-odd) or a line's parts,
/// each a list of (lon, lat) in degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    pub class: MapClass,
    pub parts: Vec<Vec<(f64, f64)>>,
}

/// At most this many tiles per drawing: the zoom drops until the area fits (a day across
/// a whole region gets coarser tiles rather than hundreds of them).
const MAX_TILES: u64 = 16;

/// The OpenMapTiles layers [`classify`] draws from.
const DRAWN_LAYERS: [&str; 6] = [
    "water",
    "waterway",
    "park",
    "building",
    "landcover",
    "transportation",
];

/// The class of a feature of an OpenMapTiles layer, or `None` when printed maps leave it out.
fn classify(layer: &str, class: Option<&str>) -> Option<MapClass> {
    Some(match layer {
        "water" => MapClass::Water,
        "waterway" => MapClass::Waterway,
        "park" => MapClass::Park,
        "building" => MapClass::Building,
        "landcover" => match class? {
            "grass" | "wood" | "forest" | "farmland" | "wetland" => MapClass::Green,
            _ => return None,
        },
        "transportation" => match class? {
            "motorway" | "trunk" => MapClass::Motorway,
            "primary" | "secondary" | "tertiary" => MapClass::MajorRoad,
            "minor" | "service" | "raceway" | "busway" => MapClass::MinorRoad,
            "path" | "track" | "pedestrian" => MapClass::Path,
            "rail" | "transit" => MapClass::Rail,
            _ => return None,
        },
        _ => return None,
    })
}

/// Tile x/y range covering `bbox` (west, south, east, north) at zoom `z`.
fn tile_range(bbox: [f64; 4], z: u8) -> (u32, u32, u32, u32) {
    let n = f64::from(1u32 << z);
    let max = (1u32 << z) - 1;
    let x = |lon: f64| (((lon + 180.0) / 360.0 * n).floor().max(0.0) as u32).min(max);
    let y = |lat: f64| {
        let r = lat.clamp(-85.0511, 85.0511).to_radians();
        let v = (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
        (v.floor().max(0.0) as u32).min(max)
    };
    (x(bbox[0]), y(bbox[3]), x(bbox[2]), y(bbox[1]))
}

/// The deepest zoom (≤ `maxzoom`) at which `bbox` needs at most [`MAX_TILES`] tiles.
fn zoom_for(bbox: [f64; 4], minzoom: u8, maxzoom: u8) -> u8 {
    let mut z = maxzoom.min(16);
    while z > minzoom {
        let (x0, y0, x1, y1) = tile_range(bbox, z);
        let count = u64::from(x1.saturating_sub(x0) + 1) * u64::from(y1.saturating_sub(y0) + 1);
        if count <= MAX_TILES {
            break;
        }
        z -= 1;
    }
    z
}

/// Tile coordinates (0..extent, y down) of tile `z/x/y` → (lon, lat).
struct TileFrame {
    n: f64,
    x: f64,
    y: f64,
    extent: f64,
}

impl TileFrame {
    fn lon_lat(&self, px: f32, py: f32) -> (f64, f64) {
        let gx = (self.x + f64::from(px) / self.extent) / self.n;
        let gy = (self.y + f64::from(py) / self.extent) / self.n;
        let lon = gx * 360.0 - 180.0;
        let lat = (std::f64::consts::PI * (1.0 - 2.0 * gy))
            .sinh()
            .atan()
            .to_degrees();
        (lon, lat)
    }
}

fn property<'a>(
    props: &'a Option<std::collections::HashMap<String, Value>>,
    key: &str,
) -> Option<&'a str> {
    match props.as_ref()?.get(key)? {
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }
}

/// Decodes one tile (gzip or plain MVT) into shapes.
pub fn decode_tile(data: &[u8], z: u8, x: u32, y: u32) -> anyhow::Result<Vec<MapShape>> {
    let plain = if data.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(data.len().saturating_mul(3));
        flate2::read::GzDecoder::new(data).read_to_end(&mut out)?;
        out
    } else {
        data.to_vec()
    };
    let reader = Reader::new(plain).map_err(|e| anyhow::anyhow!("vector tile: {e}"))?;
    let layers = reader
        .get_layer_metadata()
        .map_err(|e| anyhow::anyhow!("vector tile: {e}"))?;
    let mut out = Vec::new();
    for layer in layers {
        // Labels, POIs, boundaries… are never drawn: not even decoded.
        if !DRAWN_LAYERS.contains(&layer.name.as_str()) {
            continue;
        }
        let frame = TileFrame {
            n: f64::from(1u32 << z),
            x: f64::from(x),
            y: f64::from(y),
            extent: f64::from(layer.extent.max(1)),
        };
        let features = reader
            .get_features(layer.layer_index)
            .map_err(|e| anyhow::anyhow!("vector tile: {e}"))?;
        for f in features {
            let Some(class) = classify(&layer.name, property(&f.properties, "class")) else {
                continue;
            };
            let mut parts = Vec::new();
            collect(&f.geometry, &frame, &mut parts);
            parts.retain(|p| p.len() >= 2);
            if !parts.is_empty() {
                out.push(MapShape { class, parts });
            }
        }
    }
    Ok(out)
}

fn collect(g: &Geometry<f32>, frame: &TileFrame, parts: &mut Vec<Vec<(f64, f64)>>) {
    let line = |ls: &geo_types::LineString<f32>| -> Vec<(f64, f64)> {
        ls.0.iter().map(|c| frame.lon_lat(c.x, c.y)).collect()
    };
    match g {
        Geometry::LineString(l) => parts.push(line(l)),
        Geometry::MultiLineString(m) => parts.extend(m.0.iter().map(line)),
        Geometry::Polygon(p) => {
            parts.push(line(p.exterior()));
            parts.extend(p.interiors().iter().map(line));
        }
        Geometry::MultiPolygon(m) => {
            for p in &m.0 {
                parts.push(line(p.exterior()));
                parts.extend(p.interiors().iter().map(line));
            }
        }
        Geometry::GeometryCollection(c) => {
            for g in &c.0 {
                collect(g, frame, parts);
            }
        }
        _ => {}
    }
}

/// West ≤ east and south ≤ north, all finite: anything else covers no tile.
fn valid_area(b: [f64; 4]) -> bool {
    b.iter().all(|c| c.is_finite()) && b[0] <= b[2] && b[1] <= b[3]
}

impl TileSet {
    /// The shapes of the tiles covering `bbox` (west, south, east, north), sorted by class
    /// (drawing order). Shapes crossing a tile border come once per tile: drawn twice at
    /// the same place, which a map does not show.
    pub async fn shapes(&self, bbox: [f64; 4]) -> anyhow::Result<Vec<MapShape>> {
        if !valid_area(bbox) {
            return Ok(Vec::new());
        }
        let z = zoom_for(bbox, self.info.minzoom, self.info.maxzoom);
        let (x0, y0, x1, y1) = tile_range(bbox, z);
        let mut out = Vec::new();
        for x in x0..=x1 {
            for y in y0..=y1 {
                if let TileLookup::Tile { data, .. } = self.tile(z, x, y).await? {
                    out.extend(decode_tile(&data, z, x, y)?);
                }
            }
        }
        out.sort_by_key(|s| s.class);
        Ok(out)
    }
}

impl TileSets {
    /// The base map of `bbox` from every tile set overlapping it (none: an empty list).
    pub async fn shapes(&self, bbox: [f64; 4]) -> anyhow::Result<Vec<MapShape>> {
        let mut out = Vec::new();
        for info in self.list().await {
            let b = info.bounds;
            let overlaps = b[0] <= bbox[2] && bbox[0] <= b[2] && b[1] <= bbox[3] && bbox[1] <= b[3];
            if !overlaps {
                continue;
            }
            if let Some(set) = self.get(&info.id).await? {
                out.extend(set.shapes(bbox).await?);
            }
        }
        out.sort_by_key(|s| s.class);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_openmaptiles_layers() {
        assert_eq!(classify("water", None), Some(MapClass::Water));
        assert_eq!(
            classify("transportation", Some("primary")),
            Some(MapClass::MajorRoad)
        );
        assert_eq!(
            classify("transportation", Some("motorway")),
            Some(MapClass::Motorway)
        );
        assert_eq!(classify("transportation", Some("ferry")), None);
        assert_eq!(classify("landcover", Some("grass")), Some(MapClass::Green));
        assert_eq!(classify("poi", Some("museum")), None);
        assert!(MapClass::Water.is_area() && !MapClass::Rail.is_area());
        assert!(MapClass::Water < MapClass::MajorRoad);
    }

    #[test]
    fn a_small_area_gets_the_deepest_zoom_and_a_region_a_coarser_one() {
        // Central Munich, about 1.5 km: a handful of z14 tiles.
        let city = [11.565, 48.131, 11.586, 48.143];
        assert_eq!(zoom_for(city, 0, 14), 14);
        let (x0, y0, x1, y1) = tile_range(city, 14);
        assert!(x1 >= x0 && y1 >= y0 && (x1 - x0 + 1) * (y1 - y0 + 1) <= 4);
        // All of Bavaria: far fewer tiles at a lower zoom.
        let region = [9.0, 47.3, 13.8, 50.5];
        let z = zoom_for(region, 0, 14);
        assert!(z < 10, "{z}");
        let (x0, y0, x1, y1) = tile_range(region, z);
        assert!(u64::from(x1 - x0 + 1) * u64::from(y1 - y0 + 1) <= MAX_TILES);
    }

    #[test]
    fn tile_corners_map_back_to_their_coordinates() {
        let f = TileFrame {
            n: 2.0,
            x: 1.0,
            y: 0.0,
            extent: 4096.0,
        };
        let (lon, lat) = f.lon_lat(0.0, 4096.0);
        assert!((lon - 0.0).abs() < 1e-9 && lat.abs() < 1e-9);
        let (lon, lat) = f.lon_lat(4096.0, 0.0);
        assert!((lon - 180.0).abs() < 1e-9 && (lat - 85.0511).abs() < 1e-3);
    }

    #[test]
    fn an_inverted_or_broken_area_covers_nothing() {
        assert!(valid_area([11.5, 48.1, 11.6, 48.2]));
        assert!(!valid_area([11.6, 48.1, 11.5, 48.2]));
        assert!(!valid_area([f64::NAN, 48.1, 11.5, 48.2]));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_tile(&[0x1f, 0x8b, 1, 2, 3], 14, 0, 0).is_err());
        // Not a tile at all: either an error or no shapes, never a panic.
        if let Ok(s) = decode_tile(b"\x0a\x05hello", 14, 0, 0) {
            assert!(s.is_empty());
        }
    }
}
