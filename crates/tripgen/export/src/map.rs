//! The static route map of one day, drawn from our own data only (no tiles, no network):
//! the stop coordinates and leg geometry are projected with Web Mercator and fitted into
//! a box at one scale for both axes; legs in the day's colour (walking dashed, as on the
//! web map) over a white casing, numbered stop markers, an `H` for the lodging, a scale
//! bar, a north arrow and the OpenStreetMap attribution. Under the route, the base map
//! ([`basemap`]) when the day carries one.

use std::f64::consts::PI;

use crate::basemap;
use crate::fonts::{Faces, Weight};
use crate::labels::{OSM_ATTRIBUTION, distance};
use crate::model::{ExportDay, GeoPoint, LegMode};
use crate::scene::{Op, Rgb, Scene, day_colour};

use platform_geo::EARTH_RADIUS_M;

const BACKGROUND: Rgb = Rgb(0xf3, 0xf4, 0xf1);
const ANCHOR: Rgb = Rgb(0x37, 0x41, 0x51);
/// Smallest ground span shown (a day around one point still gets a readable map).
const MIN_SPAN_M: f64 = 800.0;

/// Where on the page the map goes, and `unit`: the size of one point of map furniture
/// (1 for a PDF in points, ~2 for a phone picture in pixels).
#[derive(Debug, Clone, Copy)]
pub struct MapBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub unit: f32,
}

fn mercator(p: GeoPoint) -> (f64, f64) {
    let lat = p.lat.to_radians();
    (p.lon.to_radians(), (PI / 4.0 + lat / 2.0).tan().ln())
}

/// Projection of a day into a box.
pub(crate) struct Projection {
    /// Centre in Mercator units.
    cx: f64,
    cy: f64,
    /// Box units per Mercator unit.
    k: f64,
    bx: f64,
    by: f64,
    /// Ground metres per box unit at the centre's latitude.
    pub(crate) metres_per_unit: f64,
}

impl Projection {
    fn fit(points: &[GeoPoint], b: MapBox) -> Option<Projection> {
        let valid: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| crate::model::mappable(p))
            .map(|p| mercator(*p))
            .collect();
        let first = valid.first()?;
        let (mut x0, mut y0, mut x1, mut y1) = (first.0, first.1, first.0, first.1);
        for &(x, y) in &valid {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let cx = (x0 + x1) / 2.0;
        let cy = (y0 + y1) / 2.0;
        let lat = (2.0 * cy.exp().atan() - PI / 2.0).cos().max(0.01);
        // Mercator units per ground metre at this latitude.
        let unit_per_m = 1.0 / (EARTH_RADIUS_M * lat);
        let min_span = MIN_SPAN_M * unit_per_m;
        let pad = 28.0 * f64::from(b.unit);
        let w = (f64::from(b.w) - 2.0 * pad).max(1.0);
        let h = (f64::from(b.h) - 2.0 * pad).max(1.0);
        let k = (w / (x1 - x0).max(min_span)).min(h / (y1 - y0).max(min_span));
        Some(Projection {
            cx,
            cy,
            k,
            bx: f64::from(b.x) + f64::from(b.w) / 2.0,
            by: f64::from(b.y) + f64::from(b.h) / 2.0,
            metres_per_unit: 1.0 / (k * unit_per_m),
        })
    }

    pub(crate) fn project(&self, p: GeoPoint) -> (f32, f32) {
        let (x, y) = mercator(p);
        (
            (self.bx + (x - self.cx) * self.k) as f32,
            // Mercator y grows northwards; the page's grows downwards.
            (self.by - (y - self.cy) * self.k) as f32,
        )
    }
}

/// A round length (1, 2 or 5 × 10ⁿ metres) no longer than `max_m`.
fn nice_length(max_m: f64) -> u32 {
    let mut best = 1.0;
    let mut p = 1.0;
    while p <= max_m {
        for m in [1.0, 2.0, 5.0] {
            if p * m <= max_m {
                best = p * m;
            }
        }
        p *= 10.0;
    }
    best as u32
}

fn centred_text(s: &mut Scene, f: &Faces, cx: f32, cy: f32, size: f32, colour: Rgb, text: &str) {
    let w = f.width(text, size, Weight::Bold);
    s.text(
        cx - w / 2.0,
        cy + size * 0.36,
        size,
        Weight::Bold,
        colour,
        text,
    );
}

/// Draws the map of `day` into `b` on `s`.
pub fn draw(s: &mut Scene, f: &Faces, day: &ExportDay, b: MapBox) {
    let u = b.unit;
    let colour = day_colour(day.number);
    let mut all = day.points();
    for leg in &day.legs {
        all.extend(leg.geometry.iter().copied());
    }
    let proj = Projection::fit(&all, b);
    let land = if day.base_map.is_empty() || proj.is_none() {
        BACKGROUND
    } else {
        basemap::LAND
    };
    s.ops.push(Op::Rect {
        x: b.x,
        y: b.y,
        w: b.w,
        h: b.h,
        fill: Some(land),
        stroke: None,
    });
    let Some(proj) = proj else {
        frame(s, b);
        return;
    };
    basemap::draw(s, &proj, &day.base_map, b);
    frame(s, b);
    // Legs: a white casing under the coloured line keeps crossings readable.
    let points = day.points();
    let lines: Vec<(Vec<(f32, f32)>, LegMode)> = day
        .legs
        .iter()
        .enumerate()
        .filter_map(|(i, leg)| {
            let geometry: Vec<GeoPoint> = if leg.geometry.len() >= 2 {
                leg.geometry.clone()
            } else {
                vec![*points.get(i)?, *points.get(i + 1)?]
            };
            let pts: Vec<(f32, f32)> = geometry
                .iter()
                .filter(|p| crate::model::mappable(p))
                .map(|p| proj.project(*p))
                .collect();
            (pts.len() >= 2).then_some((pts, leg.mode))
        })
        .collect();
    for (pts, _) in &lines {
        s.ops.push(Op::Line {
            points: pts.clone(),
            colour: Rgb::WHITE,
            width: 5.0 * u,
            dash: None,
        });
    }
    for (pts, mode) in lines {
        let walk = mode == LegMode::Walk;
        s.ops.push(Op::Line {
            points: pts,
            colour,
            width: if walk { 2.2 * u } else { 3.0 * u },
            dash: walk.then_some((5.0 * u, 4.0 * u)),
        });
    }
    // Lodging: one square for the start and, when elsewhere, one for the end.
    let mut anchors = vec![day.start.position];
    if day.end.position != day.start.position {
        anchors.push(day.end.position);
    }
    for a in anchors.into_iter().filter(crate::model::mappable) {
        let (x, y) = proj.project(a);
        let r = 8.0 * u;
        s.ops.push(Op::Rect {
            x: x - r,
            y: y - r,
            w: 2.0 * r,
            h: 2.0 * r,
            fill: Some(ANCHOR),
            stroke: Some((Rgb::WHITE, 1.5 * u)),
        });
        centred_text(s, f, x, y, 9.0 * u, Rgb::WHITE, "H");
    }
    // Stops, numbered in visiting order; later numbers are drawn over earlier ones.
    for (i, stop) in day.stops.iter().enumerate() {
        if !crate::model::mappable(&stop.position) {
            continue;
        }
        let (x, y) = proj.project(stop.position);
        let label = (i + 1).to_string();
        s.ops.push(Op::Circle {
            x,
            y,
            r: if label.len() > 1 { 10.0 * u } else { 9.0 * u },
            fill: colour,
            stroke: Some((Rgb::WHITE, 1.8 * u)),
        });
        centred_text(s, f, x, y, 9.5 * u, Rgb::WHITE, &label);
    }
    furniture(s, f, &proj, b);
}

/// The map's outline, over the base map.
fn frame(s: &mut Scene, b: MapBox) {
    s.ops.push(Op::Rect {
        x: b.x,
        y: b.y,
        w: b.w,
        h: b.h,
        fill: None,
        stroke: Some((Rgb::RULE, 0.8 * b.unit)),
    });
}

/// Scale bar, north arrow and attribution.
fn furniture(s: &mut Scene, f: &Faces, proj: &Projection, b: MapBox) {
    let u = b.unit;
    let small = 7.5 * u;
    // Scale bar, bottom left, at most a quarter of the width.
    let metres = nice_length(f64::from(b.w) * 0.25 * proj.metres_per_unit);
    let len = (f64::from(metres) / proj.metres_per_unit) as f32;
    let (x0, y0) = (b.x + 10.0 * u, b.y + b.h - 10.0 * u);
    let label = distance(metres);
    let lw = f.width(&label, small, Weight::Regular);
    s.fill_rect(
        x0 - 4.0 * u,
        y0 - 16.0 * u,
        len.max(lw + 3.0 * u) + 8.0 * u,
        20.0 * u,
        Rgb::WHITE,
    );
    s.line(
        vec![
            (x0, y0 - 5.0 * u),
            (x0, y0),
            (x0 + len, y0),
            (x0 + len, y0 - 5.0 * u),
        ],
        Rgb::INK,
        1.2 * u,
    );
    s.text(
        x0 + 3.0 * u,
        y0 - 4.0 * u,
        small,
        Weight::Regular,
        Rgb::INK,
        &label,
    );
    // North arrow, top right.
    let (nx, ny) = (b.x + b.w - 14.0 * u, b.y + 12.0 * u);
    s.line(
        vec![
            (nx - 4.0 * u, ny + 12.0 * u),
            (nx, ny + 2.0 * u),
            (nx + 4.0 * u, ny + 12.0 * u),
        ],
        Rgb::INK,
        1.2 * u,
    );
    let nw = f.width("N", small, Weight::Bold);
    s.text(
        nx - nw / 2.0,
        ny + 21.0 * u,
        small,
        Weight::Bold,
        Rgb::INK,
        "N",
    );
    // Attribution, bottom right (ODbL requires it wherever the data is shown).
    let aw = f.width(OSM_ATTRIBUTION, small, Weight::Regular);
    let (ax, ay) = (b.x + b.w - aw - 8.0 * u, b.y + b.h - 5.0 * u);
    s.fill_rect(
        ax - 4.0 * u,
        ay - small - 1.0 * u,
        aw + 8.0 * u,
        small + 5.0 * u,
        Rgb::WHITE,
    );
    s.text(ax, ay, small, Weight::Regular, Rgb::MUTED, OSM_ATTRIBUTION);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::day;

    #[test]
    fn every_point_lands_inside_the_box_and_markers_are_numbered() {
        let f = crate::fonts::faces().unwrap();
        let d = day(1, 7);
        let b = MapBox {
            x: 40.0,
            y: 100.0,
            w: 500.0,
            h: 300.0,
            unit: 1.0,
        };
        let mut s = Scene::new(600.0, 800.0);
        draw(&mut s, f, &d, b);
        let circles: Vec<_> = s
            .ops
            .iter()
            .filter_map(|o| match o {
                Op::Circle { x, y, .. } => Some((*x, *y)),
                _ => None,
            })
            .collect();
        assert_eq!(circles.len(), 7);
        for (x, y) in circles {
            assert!(
                x > b.x && x < b.x + b.w && y > b.y && y < b.y + b.h,
                "{x},{y}"
            );
        }
        let texts = s.texts();
        for n in 1..=7 {
            assert!(texts.contains(&n.to_string().as_str()));
        }
        assert!(texts.contains(&OSM_ATTRIBUTION));
        assert!(
            texts
                .iter()
                .any(|t| t.ends_with(" m") || t.ends_with(" km"))
        );
        // Walking legs are dashed.
        assert!(
            s.ops
                .iter()
                .any(|o| matches!(o, Op::Line { dash: Some(_), .. }))
        );
    }

    #[test]
    fn a_day_around_one_point_still_has_a_scale() {
        let f = crate::fonts::faces().unwrap();
        let d = day(2, 0);
        let mut s = Scene::new(600.0, 800.0);
        let b = MapBox {
            x: 0.0,
            y: 0.0,
            w: 400.0,
            h: 300.0,
            unit: 1.0,
        };
        draw(&mut s, f, &d, b);
        assert!(s.texts().contains(&"H"));
        assert_eq!(nice_length(740.0), 500);
        assert_eq!(nice_length(2100.0), 2000);
    }
}
