//! Paints a [`Scene`] into pixels with tiny-skia. Text is drawn from the embedded fonts'
//! glyph outlines (read by ttf-parser) filled with anti-aliasing, so Korean and Latin
//! look the same as in the PDF.

use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
};

use crate::fonts::Faces;
use crate::scene::{Op, Rgb, Scene};

fn paint(c: Rgb) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.0, c.1, c.2, 255);
    p.anti_alias = true;
    p
}

/// Glyph outlines into a path: font units, y up → pixels, y down, at a baseline.
struct Outline {
    pb: PathBuilder,
    scale: f32,
    x: f32,
    y: f32,
}

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pb
            .move_to(self.x + x * self.scale, self.y - y * self.scale);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.pb
            .line_to(self.x + x * self.scale, self.y - y * self.scale);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.pb.quad_to(
            self.x + x1 * self.scale,
            self.y - y1 * self.scale,
            self.x + x * self.scale,
            self.y - y * self.scale,
        );
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.pb.cubic_to(
            self.x + x1 * self.scale,
            self.y - y1 * self.scale,
            self.x + x2 * self.scale,
            self.y - y2 * self.scale,
            self.x + x * self.scale,
            self.y - y * self.scale,
        );
    }
    fn close(&mut self) {
        self.pb.close();
    }
}

fn draw_text(
    pm: &mut Pixmap,
    f: &Faces,
    (x, y, size): (f32, f32, f32),
    weight: crate::fonts::Weight,
    colour: Rgb,
    text: &str,
) {
    let mut outline = Outline {
        pb: PathBuilder::new(),
        scale: 1.0,
        x,
        y,
    };
    for run in f.runs(text, size, weight) {
        let face = f.face(run.face);
        let upem = f32::from(face.units_per_em().max(1));
        outline.scale = size / upem;
        outline.x = x + run.x;
        for c in run.text.chars() {
            let Some(g) = face.glyph_index(c) else {
                outline.x += size / 2.0;
                continue;
            };
            face.outline_glyph(g, &mut outline);
            outline.x += f32::from(face.glyph_hor_advance(g).unwrap_or(0)) * outline.scale;
        }
    }
    if let Some(path) = outline.pb.finish() {
        pm.fill_path(
            &path,
            &paint(colour),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// Renders `scene` on a white background, one pixel per scene unit.
pub fn render(scene: &Scene, f: &Faces) -> Option<Pixmap> {
    let mut pm = Pixmap::new(scene.width.ceil() as u32, scene.height.ceil() as u32)?;
    pm.fill(tiny_skia::Color::WHITE);
    let id = Transform::identity();
    for op in &scene.ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                weight,
                colour,
                text,
            } => draw_text(&mut pm, f, (*x, *y, *size), *weight, *colour, text),
            Op::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                    continue;
                };
                if let Some(c) = fill {
                    pm.fill_rect(rect, &paint(*c), id, None);
                }
                if let Some((c, width)) = stroke {
                    let path = PathBuilder::from_rect(rect);
                    let st = Stroke {
                        width: *width,
                        ..Stroke::default()
                    };
                    pm.stroke_path(&path, &paint(*c), &st, id, None);
                }
            }
            Op::Line {
                points,
                colour,
                width,
                dash,
            } => {
                let mut pb = PathBuilder::new();
                let mut it = points.iter();
                let Some(first) = it.next() else { continue };
                pb.move_to(first.0, first.1);
                for p in it {
                    pb.line_to(p.0, p.1);
                }
                let Some(path) = pb.finish() else { continue };
                let st = Stroke {
                    width: *width,
                    line_cap: LineCap::Round,
                    line_join: LineJoin::Round,
                    dash: dash.and_then(|(on, off)| StrokeDash::new(vec![on, off], 0.0)),
                    ..Stroke::default()
                };
                pm.stroke_path(&path, &paint(*colour), &st, id, None);
            }
            Op::Area { rings, fill } => {
                let mut pb = PathBuilder::new();
                for ring in rings {
                    let mut it = ring.iter();
                    let Some(first) = it.next() else { continue };
                    pb.move_to(first.0, first.1);
                    for p in it {
                        pb.line_to(p.0, p.1);
                    }
                    pb.close();
                }
                let Some(path) = pb.finish() else { continue };
                pm.fill_path(&path, &paint(*fill), FillRule::EvenOdd, id, None);
            }
            Op::Circle {
                x,
                y,
                r,
                fill,
                stroke,
            } => {
                let Some(path) = PathBuilder::from_circle(*x, *y, *r) else {
                    continue;
                };
                pm.fill_path(&path, &paint(*fill), FillRule::Winding, id, None);
                if let Some((c, width)) = stroke {
                    let st = Stroke {
                        width: *width,
                        ..Stroke::default()
                    };
                    pm.stroke_path(&path, &paint(*c), &st, id, None);
                }
            }
        }
    }
    Some(pm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{Weight, faces};

    #[test]
    fn text_leaves_ink_where_it_is_drawn() {
        let f = faces().unwrap();
        let mut s = Scene::new(200.0, 60.0);
        s.text(10.0, 40.0, 24.0, Weight::Bold, Rgb::INK, "한글 São");
        let pm = render(&s, f).unwrap();
        let dark = pm
            .pixels()
            .iter()
            .filter(|p| p.red() < 128 && p.alpha() == 255)
            .count();
        assert!(dark > 300, "glyphs were painted: {dark} dark pixels");
        // Nothing below the descender line.
        let below = (50..60)
            .flat_map(|y| (0..200).map(move |x| (x, y)))
            .filter(|&(x, y)| pm.pixel(x, y).is_some_and(|p| p.red() < 128))
            .count();
        assert_eq!(below, 0);
    }
}
