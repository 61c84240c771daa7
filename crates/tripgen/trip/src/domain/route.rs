//! Map data of a schedule (TRIP-080) as a GeoJSON FeatureCollection (RFC 7946,
//! coordinates `[lon, lat]`):
//! - a `Point` per stop: `kind: "stop"`, `day` (1-based), `number` (1-based within the day),
//!   `name`, `placeId`, `stopKind`, `category`, `start`/`end` (`HH:MM`), `colorIndex`;
//! - a `Point` per day anchor: `kind: "anchor"`, `role: "start" | "end"`, `name`, `time`;
//! - a `LineString` per leg: `kind: "leg"`, `day`, `mode`, `minutes`, `metres`,
//!   `dashed` (walking legs are drawn dashed), `colorIndex`.
//!
//! `colorIndex` is `(day - 1) % 10`, an index into the client's palette of ten colours.

use serde_json::{Value, json};

use super::model::LatLon;
use super::schedule::{DayPlan, Mode, hhmm};

pub const PALETTE_SIZE: usize = 10;

fn coords(p: LatLon) -> Value {
    json!([p.lon, p.lat])
}

pub fn feature_collection(days: &[DayPlan]) -> Value {
    let mut features = Vec::new();
    for d in days {
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
        for (i, leg) in d.legs.iter().enumerate() {
            let (Some(from), Some(to)) = (points.get(i), points.get(i + 1)) else {
                continue;
            };
            features.push(json!({
                "type": "Feature",
                "geometry": { "type": "LineString", "coordinates": [coords(*from), coords(*to)] },
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
