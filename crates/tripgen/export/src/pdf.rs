//! Writes laid-out pages as a PDF with krilla: shapes as vector paths, text as real text in
//! the embedded fonts (subset to the glyphs used, with a ToUnicode map, so it can be
//! selected, searched and extracted).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use crate::ExportError;
use crate::fonts::{FaceId, Faces};
use crate::scene::{Op, Rgb, Scene};

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        ..Fill::default()
    }
}

fn stroke(c: Rgb, width: f32, dash: Option<(f32, f32)>) -> Stroke {
    Stroke {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        opacity: NormalizedF32::ONE,
        dash: dash.map(|(on, off)| StrokeDash {
            array: vec![on, off],
            offset: 0.0,
        }),
        ..Stroke::default()
    }
}

/// A circle from four cubic Béziers.
fn circle(pb: &mut PathBuilder, cx: f32, cy: f32, r: f32) {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    pb.move_to(cx + r, cy);
    pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    pb.close();
}

fn draw(surface: &mut Surface, op: &Op, f: &Faces, fonts: &[Font]) {
    match op {
        Op::Text {
            x,
            y,
            size,
            weight,
            colour,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*colour)));
            for run in f.runs(text, *size, *weight) {
                let Some(font) = fonts.get(run.face.index()) else {
                    continue;
                };
                surface.draw_text(
                    Point::from_xy(x + run.x, *y),
                    font.clone(),
                    *size,
                    &run.text,
                    false,
                    TextDirection::Auto,
                );
            }
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            fill: f_,
            stroke: s_,
        } => {
            let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            let Some(path) = pb.finish() else { return };
            surface.set_fill(f_.map(fill));
            surface.set_stroke(s_.map(|(c, w)| stroke(c, w, None)));
            surface.draw_path(&path);
        }
        Op::Line {
            points,
            colour,
            width,
            dash,
        } => {
            let mut pb = PathBuilder::new();
            let mut it = points.iter();
            let Some(first) = it.next() else { return };
            pb.move_to(first.0, first.1);
            for p in it {
                pb.line_to(p.0, p.1);
            }
            let Some(path) = pb.finish() else { return };
            surface.set_fill(None);
            surface.set_stroke(Some(stroke(*colour, *width, *dash)));
            surface.draw_path(&path);
        }
        Op::Area { rings, fill: f_ } => {
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
            let Some(path) = pb.finish() else { return };
            surface.set_fill(Some(Fill {
                rule: FillRule::EvenOdd,
                ..fill(*f_)
            }));
            surface.set_stroke(None);
            surface.draw_path(&path);
        }
        Op::Circle {
            x,
            y,
            r,
            fill: f_,
            stroke: s_,
        } => {
            let mut pb = PathBuilder::new();
            circle(&mut pb, *x, *y, *r);
            let Some(path) = pb.finish() else { return };
            surface.set_fill(Some(fill(*f_)));
            surface.set_stroke(s_.map(|(c, w)| stroke(c, w, None)));
            surface.draw_path(&path);
        }
    }
}

/// The PDF of `pages` (every scene one page of its size).
pub fn write(pages: &[Scene], f: &Faces, title: &str, lang: &str) -> Result<Vec<u8>, ExportError> {
    let fonts: Vec<Font> = FaceId::ALL
        .iter()
        .map(|id| Font::new(id.data().into(), 0).ok_or(ExportError::Font))
        .collect::<Result<_, _>>()?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .creator("TripGen".into())
            .language(lang.into()),
    );
    for scene in pages {
        let settings =
            PageSettings::from_wh(scene.width, scene.height).ok_or(ExportError::Layout)?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        for op in &scene.ops {
            draw(&mut surface, op, f, &fonts);
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| ExportError::Pdf(format!("{e:?}")))
}
