//! The base map under an export's route (issue 20): the day's [`BaseShape`]s — decoded
//! by the caller from the same vector tiles as the web map — projected into the map box,
//! clipped to it, and drawn in the web style's colours (`basemap/style.json`): green and
//! parks, water, buildings, then waterways, paths, roads with casings, rail.
//!
//! Clipping is done on the geometry (not by the renderer) so the PDF carries only what
//! shows and both renderers draw the same thing.

use crate::map::{MapBox, Projection};
use crate::model::{BaseClass, BaseShape, GeoPoint};
use crate::scene::{Op, Rgb, Scene};

/// The web style's background (`background-color`).
pub const LAND: Rgb = Rgb(0xf4, 0xf1, 0xea);
pub const WATER: Rgb = Rgb(0xa9, 0xcb, 0xe8);
pub const PARK: Rgb = Rgb(0xcf, 0xe5, 0xb8);
pub const GREEN: Rgb = Rgb(0xd8, 0xe8, 0xc8);
pub const BUILDING: Rgb = Rgb(0xdc, 0xd6, 0xcb);
const CASING: Rgb = Rgb(0xcf, 0xc6, 0xb8);
const MINOR: Rgb = Rgb(0xff, 0xff, 0xff);
const MAJOR: Rgb = Rgb(0xff, 0xf4, 0xd6);
const MOTORWAY: Rgb = Rgb(0xf6, 0xd2, 0x8b);
const PATH: Rgb = Rgb(0xb9, 0xad, 0x9c);
const RAIL: Rgb = Rgb(0x9c, 0x9c, 0x9c);

fn area_colour(c: BaseClass) -> Option<Rgb> {
    Some(match c {
        BaseClass::Green => GREEN,
        BaseClass::Park => PARK,
        BaseClass::Water => WATER,
        BaseClass::Building => BUILDING,
        _ => return None,
    })
}

/// A line's colour and its width on the ground in metres (drawn at least `min` units).
fn line_style(c: BaseClass) -> Option<(Rgb, f64, f32)> {
    Some(match c {
        BaseClass::Waterway => (WATER, 8.0, 1.0),
        BaseClass::Path => (PATH, 1.5, 0.5),
        BaseClass::MinorRoad => (MINOR, 7.0, 1.2),
        BaseClass::MajorRoad => (MAJOR, 12.0, 2.0),
        BaseClass::Motorway => (MOTORWAY, 16.0, 2.4),
        BaseClass::Rail => (RAIL, 2.0, 0.8),
        _ => return None,
    })
}

/// The clipping rectangle: x0, y0, x1, y1.
type Clip = (f32, f32, f32, f32);

/// Polylines in page units.
type Runs = Vec<Vec<(f32, f32)>>;

/// Sutherland–Hodgman: the part of a closed ring inside `clip` (may be empty).
fn clip_ring(ring: &[(f32, f32)], clip: Clip) -> Vec<(f32, f32)> {
    let (x0, y0, x1, y1) = clip;
    let r = clip_edge(ring, |p| p.0 >= x0, |a, b| cut_x(a, b, x0));
    let r = clip_edge(&r, |p| p.0 <= x1, |a, b| cut_x(a, b, x1));
    let r = clip_edge(&r, |p| p.1 >= y0, |a, b| cut_y(a, b, y0));
    clip_edge(&r, |p| p.1 <= y1, |a, b| cut_y(a, b, y1))
}

/// One Sutherland–Hodgman step: the ring on the `inside` side of one edge.
fn clip_edge(
    ring: &[(f32, f32)],
    inside: impl Fn((f32, f32)) -> bool,
    cut: impl Fn((f32, f32), (f32, f32)) -> (f32, f32),
) -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(ring.len() + 4);
    let Some(&last) = ring.last() else {
        return out;
    };
    let mut prev = last;
    for &p in ring {
        match (inside(p), inside(prev)) {
            (true, true) => out.push(p),
            (true, false) => {
                out.push(cut(prev, p));
                out.push(p);
            }
            (false, true) => out.push(cut(prev, p)),
            (false, false) => {}
        }
        prev = p;
    }
    out
}

fn cut_x(a: (f32, f32), b: (f32, f32), x: f32) -> (f32, f32) {
    let t = if b.0 == a.0 {
        0.0
    } else {
        (x - a.0) / (b.0 - a.0)
    };
    (x, a.1 + t * (b.1 - a.1))
}

fn cut_y(a: (f32, f32), b: (f32, f32), y: f32) -> (f32, f32) {
    let t = if b.1 == a.1 {
        0.0
    } else {
        (y - a.1) / (b.1 - a.1)
    };
    (a.0 + t * (b.0 - a.0), y)
}

/// Liang–Barsky: the part of segment a→b inside `clip`, as parameters t0 ≤ t1.
fn clip_segment(a: (f32, f32), b: (f32, f32), clip: Clip) -> Option<(f32, f32)> {
    let (x0, y0, x1, y1) = clip;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t = (0.0f32, 1.0f32);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t.0 = t.0.max(r);
            } else {
                t.1 = t.1.min(r);
            }
        }
    }
    (t.0 <= t.1).then_some(t)
}

/// The runs of a polyline inside `clip`.
fn clip_line(line: &[(f32, f32)], clip: Clip) -> Vec<Vec<(f32, f32)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(f32, f32)> = Vec::new();
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let at = |t: f32| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
        match clip_segment(a, b, clip) {
            Some((t0, t1)) => {
                if run.is_empty() || t0 > 0.0 {
                    if run.len() >= 2 {
                        runs.push(std::mem::take(&mut run));
                    }
                    run.clear();
                    run.push(at(t0));
                }
                run.push(at(t1));
                if t1 < 1.0 {
                    runs.push(std::mem::take(&mut run));
                }
            }
            None => {
                if run.len() >= 2 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs
}

/// Projects a part, dropping points closer than `min` units to the last one kept (tile
/// geometry is finer than print needs).
fn project(proj: &Projection, part: &[GeoPoint], min: f32) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::with_capacity(part.len());
    for p in part.iter().filter(|p| crate::model::mappable(p)) {
        let q = proj.project(*p);
        if let Some(&(x, y)) = out.last()
            && (q.0 - x).abs() < min
            && (q.1 - y).abs() < min
        {
            continue;
        }
        out.push(q);
    }
    out
}

/// Draws `shapes` (sorted by class) into `b`. Returns whether anything was drawn.
pub(crate) fn draw(s: &mut Scene, proj: &Projection, shapes: &[BaseShape], b: MapBox) -> bool {
    let clip = (b.x, b.y, b.x + b.w, b.y + b.h);
    let simplify = 0.4 * b.unit;
    let before = s.ops.len();
    // Areas, in class order.
    for shape in shapes {
        let Some(fill) = area_colour(shape.class) else {
            continue;
        };
        let rings: Vec<Vec<(f32, f32)>> = shape
            .parts
            .iter()
            .map(|r| clip_ring(&project(proj, r, simplify), clip))
            .filter(|r| r.len() >= 3)
            .collect();
        if !rings.is_empty() {
            s.ops.push(Op::Area { rings, fill });
        }
    }
    // Lines: every casing under every road so crossings join cleanly.
    let lines: Vec<(BaseClass, Runs)> = shapes
        .iter()
        .filter(|sh| line_style(sh.class).is_some())
        .map(|sh| {
            let runs = sh
                .parts
                .iter()
                .flat_map(|p| clip_line(&project(proj, p, simplify), clip))
                .collect();
            (sh.class, runs)
        })
        .collect();
    let width = |c: BaseClass| {
        line_style(c).map(|(_, metres, min)| {
            ((metres / proj.metres_per_unit) as f32)
                .max(min * b.unit)
                .min(14.0 * b.unit)
        })
    };
    for (class, runs) in &lines {
        if !matches!(
            class,
            BaseClass::MinorRoad | BaseClass::MajorRoad | BaseClass::Motorway
        ) {
            continue;
        }
        let Some(w) = width(*class) else { continue };
        for run in runs {
            s.ops.push(Op::Line {
                points: run.clone(),
                colour: CASING,
                width: w + 1.2 * b.unit,
                dash: None,
            });
        }
    }
    for (class, runs) in lines {
        let (Some((colour, _, _)), Some(w)) = (line_style(class), width(class)) else {
            continue;
        };
        for run in runs {
            s.ops.push(Op::Line {
                points: run,
                colour,
                width: w,
                dash: None,
            });
        }
    }
    s.ops.len() > before
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: Clip = (0.0, 0.0, 100.0, 50.0);

    #[test]
    fn rings_are_cut_at_the_box() {
        // A square half outside on the right.
        let r = clip_ring(
            &[(80.0, 10.0), (120.0, 10.0), (120.0, 30.0), (80.0, 30.0)],
            BOX,
        );
        assert!(r.len() >= 4);
        assert!(r.iter().all(|p| p.0 >= 80.0 && p.0 <= 100.0));
        // Wholly outside: nothing left.
        assert!(clip_ring(&[(200.0, 10.0), (220.0, 10.0), (210.0, 30.0)], BOX).is_empty());
        // Covering the box: the box.
        let r = clip_ring(
            &[(-10.0, -10.0), (200.0, -10.0), (200.0, 90.0), (-10.0, 90.0)],
            BOX,
        );
        assert_eq!(r.len(), 4);
    }

    #[test]
    fn lines_leaving_and_reentering_make_two_runs() {
        let runs = clip_line(
            &[(10.0, 10.0), (150.0, 10.0), (150.0, 40.0), (10.0, 40.0)],
            BOX,
        );
        assert_eq!(runs.len(), 2, "{runs:?}");
        let round = |r: &Vec<(f32, f32)>| -> Vec<(i32, i32)> {
            r.iter()
                .map(|p| (p.0.round() as i32, p.1.round() as i32))
                .collect()
        };
        assert_eq!(round(&runs[0]), vec![(10, 10), (100, 10)]);
        assert_eq!(round(&runs[1]), vec![(100, 40), (10, 40)]);
        assert!(clip_line(&[(-5.0, -5.0), (-1.0, 60.0)], BOX).is_empty());
        // Inside throughout: one run, every point.
        assert_eq!(
            clip_line(&[(1.0, 1.0), (2.0, 2.0), (3.0, 1.0)], BOX),
            vec![vec![(1.0, 1.0), (2.0, 2.0), (3.0, 1.0)]]
        );
    }
}
