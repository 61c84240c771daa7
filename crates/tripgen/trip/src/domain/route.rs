//! Map data of a schedule (TRIP-080) as a GeoJSON FeatureCollection (RFC 7946,
//! coordinates `[lon, lat]`):
//! - a `Point` per stop: `kind: "stop"`, `day` (1-based), `number` (1-based within the day),
//!   `name`, `placeId`, `stopKind`, `category`, `start`/`end` (`HH:MM`), `colorIndex`;
//! - a `Point` per day anchor: `kind: "anchor"`, `role: "start" | "end"`, `name`, `time`;
//! - a `LineString` per leg: `kind: "leg"`, `day`, `mode`, `minutes`, `metres`,
//!   `dashed` (walking legs are drawn dashed), `colorIndex`; along the streets when the
//!   leg's stored path (simplified to a few metres when the day was saved), else a straight line;
//! - a `LineString` per journey between cities (and from the arrival / to the departure
//!   point): `kind: "journey"`, `day`, `number`, `mode` (`train`, `flight` …), `minutes`,
//!   `metres`, `depart`/`arrive` (`HH:MM`, local time at each end), `from`/`to`,
//!   `estimate: true`, `dashed: true`, `colorIndex`; along the great circle (an estimate
//!   has no route). A journey has no `stop` point: its ends are the hotels.
//!
//! `colorIndex` is `(day - 1) % 10`, an index into the client's palette of ten colours.

use serde_json::{Value, json};

use super::model::LatLon;
use super::schedule::{DayPlan, Mode, hhmm, leg_points};

pub const PALETTE_SIZE: usize = 10;

/// Shape points closer than this to the simplified line are dropped (leg paths).
pub const SIMPLIFY_M: f64 = 4.0;

/// The leg's shape as given (already simplified: stored paths are), else straight.
fn line(from: LatLon, to: LatLon, shape: Option<&Vec<LatLon>>) -> Value {
    match shape {
        Some(points) if points.len() >= 2 => {
            Value::Array(points.iter().copied().map(coords).collect())
        }
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

/// Points along the great circle from `a` to `b` (spherical interpolation), enough for a
/// smooth curve on a web map.
pub fn great_circle(a: LatLon, b: LatLon) -> Value {
    const STEPS: usize = 32;
    let v = |p: LatLon| {
        let (la, lo) = (p.lat.to_radians(), p.lon.to_radians());
        [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
    };
    let (p, q) = (v(a), v(b));
    let dot = (p[0] * q[0] + p[1] * q[1] + p[2] * q[2]).clamp(-1.0, 1.0);
    let omega = dot.acos();
    if omega < 1e-9 || omega.sin().abs() < 1e-9 {
        return json!([coords(a), coords(b)]);
    }
    let mut out = Vec::with_capacity(STEPS + 1);
    for k in 0..=STEPS {
        let t = k as f64 / STEPS as f64;
        let (wa, wb) = (
            ((1.0 - t) * omega).sin() / omega.sin(),
            (t * omega).sin() / omega.sin(),
        );
        let x = [0, 1, 2].map(|i| wa * p[i] + wb * q[i]);
        let lat = x[2].atan2((x[0] * x[0] + x[1] * x[1]).sqrt()).to_degrees();
        let lon = x[1].atan2(x[0]).to_degrees();
        out.push(json!([lon, lat]));
    }
    Value::Array(out)
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
        for (i, s) in d.stops.iter().enumerate() {
            if let Some(j) = &s.journey {
                features.push(json!({
                    "type": "Feature",
                    "geometry": { "type": "LineString",
                                  "coordinates": great_circle(j.from.position, j.to.position) },
                    "properties": {
                        "kind": "journey", "day": day, "number": i + 1, "name": s.name,
                        "journeyKind": j.kind, "mode": j.mode, "minutes": j.minutes,
                        "metres": j.metres, "depart": hhmm(j.depart), "arrive": hhmm(j.arrive),
                        "from": j.from.name, "to": j.to.name, "estimate": j.estimate,
                        "dashed": true, "colorIndex": color
                    }
                }));
                continue;
            }
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
        let stops: Vec<_> = d.stops.iter().collect();
        let points = leg_points(d.start.position, &stops, d.end.position);
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
            let Some((from, to)) = points.get(i) else {
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
        // The map draws a leg's shape as given (stored paths are simplified already).
        let drawn = line(pts[0], pts[3], Some(&s));
        assert_eq!(drawn.as_array().map(Vec::len), Some(3));
        assert_eq!(line_of_two(), 2);
    }

    fn line_of_two() -> usize {
        line(p(1.0, 1.0), p(2.0, 2.0), None)
            .as_array()
            .map_or(0, Vec::len)
    }
}
