//! Map data of a schedule (TRIP-080) as a GeoJSON FeatureCollection (RFC 7946,
//! coordinates `[lon, lat]`):
//! - a `Point` per stop: `kind: "stop"`, `day` (1-based), `number` (1-based within the day),
//!   `name`, `placeId`, `stopKind`, `category`, `start`/`end` (`HH:MM`), `colorIndex`;
//! - a `Point` per day anchor: `kind: "anchor"`, `role: "start" | "end"`, `name`, `time`;
//! - a `LineString` per leg: `kind: "leg"`, `day`, `mode`, `minutes`, `metres`,
//!   `dashed` (walking legs are drawn dashed), `colorIndex`; along the streets when the
//!   travel port knows the leg's shape (simplified to a few metres), else a straight line.
//!
//! `colorIndex` is `(day - 1) % 10`, an index into the client's palette of ten colours.

use serde_json::{Value, json};

use super::model::LatLon;
use super::schedule::{DayPlan, Mode, hhmm};

pub const PALETTE_SIZE: usize = 10;

/// Shape points closer than this to the simplified line are dropped.
const SIMPLIFY_M: f64 = 4.0;

fn line(from: LatLon, to: LatLon, shape: Option<&Vec<LatLon>>) -> Value {
    match shape {
        Some(points) if points.len() >= 2 => Value::Array(
            simplify(points, SIMPLIFY_M)
                .into_iter()
                .map(coords)
                .collect(),
        ),
        _ => json!([coords(from), coords(to)]),
    }
}

/// Douglas–Peucker in a local metric projection: keeps the ends and every point farther
/// than `tolerance_m` from the line through its neighbours' kept span.
pub fn simplify(points: &[LatLon], tolerance_m: f64) -> Vec<LatLon> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let lat0 = points[0].lat.to_radians().cos();
    let xy = |p: &LatLon| (p.lon * lat0 * 111_320.0, p.lat * 110_574.0);
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (ax, ay) = xy(&points[a]);
        let (bx, by) = xy(&points[b]);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let mut worst = (0.0, a);
        for (k, p) in points.iter().enumerate().take(b).skip(a + 1) {
            let (px, py) = xy(p);
            let t = if len2 > 0.0 {
                (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
            let d = (qx * qx + qy * qy).sqrt();
            if d > worst.0 {
                worst = (d, k);
            }
        }
        if worst.0 > tolerance_m {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn coords(p: LatLon) -> Value {
    json!([p.lon, p.lat])
}

/// Shapes of the legs of each day, in the order of `days` (missing = straight line).
pub type LegShapes = Vec<Vec<Option<Vec<LatLon>>>>;

pub fn feature_collection(days: &[DayPlan], shapes: &LegShapes) -> Value {
    let mut features = Vec::new();
    for (n, d) in days.iter().enumerate() {
        let day = d.day_index + 1;
        let color = d.day_index % PALETTE_SIZE;
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": coords(d.start.position) },
            "properties": { "kind": "anchor", "role": "start", "day": day, "name": d.start.name,
                            "time": hhmm(d.start.time), "colorIndex": color }
        }));
        let mut points = vec![d.start.position];
        for (i, s) in d.stops.iter().enumerate() {
            points.push(s.position);
            features.push(json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": coords(s.position) },
                "properties": {
                    "kind": "stop", "day": day, "number": i + 1, "name": s.name,
                    "placeId": s.place_id, "stopKind": s.kind, "category": s.category,
                    "start": hhmm(s.start), "end": hhmm(s.end), "colorIndex": color,
                    "warnings": s.warnings.len()
                }
            }));
        }
        points.push(d.end.position);
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": coords(d.end.position) },
            "properties": { "kind": "anchor", "role": "end", "day": day, "name": d.end.name,
                            "time": hhmm(d.return_time), "colorIndex": color }
        }));
        let shape = |day: usize, leg: usize| {
            shapes
                .get(day)
                .and_then(|legs| legs.get(leg))
                .and_then(Option::as_ref)
        };
        for (i, leg) in d.legs.iter().enumerate() {
            let (Some(from), Some(to)) = (points.get(i), points.get(i + 1)) else {
                continue;
            };
            features.push(json!({
                "type": "Feature",
                "geometry": { "type": "LineString", "coordinates": line(*from, *to, shape(n, i)) },
                "properties": {
                    "kind": "leg", "day": day, "index": i, "mode": leg.mode,
                    "minutes": leg.minutes, "metres": leg.metres,
                    "dashed": leg.mode == Mode::Walk, "colorIndex": color
                }
            }));
        }
    }
    json!({ "type": "FeatureCollection", "features": features })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    #[test]
    fn simplify_drops_points_on_the_line_and_keeps_corners() {
        // A straight street with a point 1 m off it, then a right-angle corner.
        let pts = [
            p(48.0, 11.0),
            p(48.000_009, 11.000_5),
            p(48.0, 11.001),
            p(48.001, 11.001),
        ];
        let s = simplify(&pts, 4.0);
        assert_eq!(s, vec![pts[0], pts[2], pts[3]]);
        assert_eq!(simplify(&pts[..2], 4.0), pts[..2].to_vec());
        let line = line(pts[0], pts[3], Some(&pts.to_vec()));
        assert_eq!(line.as_array().map(Vec::len), Some(3));
        assert_eq!(line_of_two(), 2);
    }

    fn line_of_two() -> usize {
        line(p(1.0, 1.0), p(2.0, 2.0), None)
            .as_array()
            .map_or(0, Vec::len)
    }
}
