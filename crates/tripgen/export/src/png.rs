//! One day as a phone picture (1080 × 1920): a band with the day, date, city and weather,
//! the route map, and the stops with times. When a day has more than fits, the map gets
//! shorter first, then the text smaller, and as a last resort the list ends with
//! `+N more`. Several days become a ZIP of pictures.

use std::io::Write;

use crate::ExportError;
use crate::fonts::{Faces, Weight};
use crate::labels::{Labels, hhmm};
use crate::map::{self, MapBox};
use crate::model::{ExportDay, ExportTrip, LegMode};
use crate::raster;
use crate::scene::{Op, Rgb, Scene, day_colour};

pub const WIDTH: f32 = 1080.0;
pub const HEIGHT: f32 = 1920.0;
const PAD: f32 = 56.0;
const BAND_H: f32 = 250.0;
const FOOTER_H: f32 = 84.0;
const MAP_MAX: f32 = 820.0;
const MAP_MIN: f32 = 520.0;

/// One row of the list, measured at a scale.
struct Row {
    time: String,
    number: Option<usize>,
    title: Vec<String>,
    detail: Option<String>,
    /// The way to the next row, and whether it is walked (drawn dashed).
    leg: Option<(String, bool)>,
}

struct Sizes {
    title: f32,
    detail: f32,
    line: f32,
}

impl Sizes {
    fn at(scale: f32) -> Sizes {
        Sizes {
            title: 38.0 * scale,
            detail: 29.0 * scale,
            line: 1.32,
        }
    }
}

const TEXT_X: f32 = PAD + 250.0;
const TEXT_W: f32 = WIDTH - PAD - TEXT_X;

fn rows(d: &ExportDay, f: &Faces, l: &Labels, sz: &Sizes) -> Vec<Row> {
    let leg = |i: usize| {
        // A leg of no length (an empty day at the lodging) is not worth a line.
        d.legs
            .get(i)
            .filter(|g| g.metres > 0 || g.minutes > 0)
            .map(|g| {
                let text = format!("→ {}", l.leg(g.mode, g.minutes, g.metres));
                (text, g.mode == LegMode::Walk)
            })
    };
    let title = |t: &str| {
        let mut lines = f.wrap(t, sz.title, Weight::Bold, TEXT_W);
        if lines.len() > 2 {
            lines.truncate(2);
            let last = lines[1].clone() + "…";
            lines[1] = f.ellipsize(&last, sz.title, Weight::Bold, TEXT_W);
        }
        lines
    };
    let mut out = vec![Row {
        time: hhmm(d.start.time),
        number: None,
        title: title(&format!("{} · {}", l.start(), d.start.name)),
        detail: None,
        leg: leg(0),
    }];
    for (i, s) in d.stops.iter().enumerate() {
        let detail = format!("{} · {}", l.kind(s.kind), l.minutes(s.minutes()));
        out.push(Row {
            time: format!("{}–{}", hhmm(s.start), hhmm(s.end)),
            number: Some(i + 1),
            title: title(&s.name),
            detail: Some(f.ellipsize(&detail, sz.detail, Weight::Regular, TEXT_W)),
            leg: leg(i + 1),
        });
    }
    out.push(Row {
        time: hhmm(d.end.time),
        number: None,
        title: title(&format!("{} · {}", l.back(), d.end.name)),
        detail: (d.stops.is_empty()).then(|| l.empty_day().to_string()),
        leg: None,
    });
    out
}

fn row_height(r: &Row, sz: &Sizes) -> f32 {
    let mut h = r.title.len() as f32 * sz.title * sz.line;
    if r.detail.is_some() {
        h += sz.detail * sz.line;
    }
    if r.leg.is_some() {
        h += sz.detail * sz.line + 10.0;
    }
    h + 18.0
}

fn band(s: &mut Scene, f: &Faces, l: &Labels, trip: &ExportTrip, d: &ExportDay) {
    let colour = day_colour(d.number);
    s.fill_rect(0.0, 0.0, WIDTH, BAND_H, colour);
    let w = WIDTH - 2.0 * PAD;
    let name = f.ellipsize(&trip.name, 30.0, Weight::Regular, w);
    s.text(PAD, 70.0, 30.0, Weight::Regular, Rgb::WHITE, &name);
    let mut title = l.day(d.number);
    if let Some(c) = &d.city {
        title = format!("{title} · {c}");
    }
    let title = f.ellipsize(&title, 64.0, Weight::Bold, w);
    s.text(PAD, 148.0, 64.0, Weight::Bold, Rgb::WHITE, &title);
    let mut sub = l.date(d.date);
    if let Some(wx) = &d.weather {
        sub = format!("{sub} · {}", l.weather(wx));
    }
    let sub = f.ellipsize(&sub, 32.0, Weight::Regular, w);
    s.text(PAD, 206.0, 32.0, Weight::Regular, Rgb::WHITE, &sub);
}

/// Lays out one day's picture.
pub fn layout(trip: &ExportTrip, d: &ExportDay, include_map: bool, f: &Faces, l: &Labels) -> Scene {
    let mut s = Scene::new(WIDTH, HEIGHT);
    band(&mut s, f, l, trip, d);
    let top = BAND_H;
    let bottom = HEIGHT - FOOTER_H;
    let avail = bottom - top - 40.0;
    // Largest scale (and map) at which the list fits.
    let mut chosen = None;
    for scale in [1.0, 0.92, 0.84, 0.76, 0.68, 0.6] {
        let sz = Sizes::at(scale);
        let rs = rows(d, f, l, &sz);
        let list_h: f32 = rs.iter().map(|r| row_height(r, &sz)).sum();
        let map_h = if include_map {
            (avail - list_h).min(MAP_MAX)
        } else {
            0.0
        };
        if !include_map && list_h <= avail || include_map && map_h >= MAP_MIN {
            chosen = Some((sz, rs, map_h));
            break;
        }
    }
    let (sz, mut rs, map_h) = chosen.unwrap_or_else(|| {
        let sz = Sizes::at(0.6);
        let rs = rows(d, f, l, &sz);
        (sz, rs, if include_map { MAP_MIN } else { 0.0 })
    });
    let mut y = top;
    if include_map {
        let b = MapBox {
            x: 0.0,
            y,
            w: WIDTH,
            h: map_h,
            unit: 2.2,
        };
        map::draw(&mut s, f, d, b);
        y += map_h;
    }
    y += 36.0;
    // Drop rows that do not fit (keeping the last, the way back) and say how many.
    let room = bottom - y;
    let mut used: f32 = rs.iter().map(|r| row_height(r, &sz)).sum();
    let mut hidden = 0;
    while used > room && rs.len() > 2 {
        let r = rs.remove(rs.len() - 2);
        used -= row_height(&r, &sz);
        hidden += 1;
    }
    if hidden > 0 {
        // Reserve a line for the notice.
        while used + sz.detail * 1.6 > room && rs.len() > 2 {
            let r = rs.remove(rs.len() - 2);
            used -= row_height(&r, &sz);
            hidden += 1;
        }
    }
    let colour = day_colour(d.number);
    let last = rs.len().saturating_sub(1);
    for (i, r) in rs.iter().enumerate() {
        if hidden > 0 && i == last {
            let more = format!("+{hidden} …");
            s.text(
                TEXT_X,
                y + sz.detail,
                sz.detail,
                Weight::Bold,
                Rgb::MUTED,
                &more,
            );
            y += sz.detail * 1.6;
        }
        y = draw_row(&mut s, f, r, &sz, y, colour);
    }
    let footer = format!("{} · {}", crate::labels::OSM_ATTRIBUTION, "TripGen");
    s.line(
        vec![
            (PAD, HEIGHT - FOOTER_H + 8.0),
            (WIDTH - PAD, HEIGHT - FOOTER_H + 8.0),
        ],
        Rgb::RULE,
        2.0,
    );
    s.text(
        PAD,
        HEIGHT - 40.0,
        26.0,
        Weight::Regular,
        Rgb::MUTED,
        &footer,
    );
    s
}

fn draw_row(s: &mut Scene, f: &Faces, r: &Row, sz: &Sizes, y0: f32, colour: Rgb) -> f32 {
    let mut y = y0 + sz.title;
    let time_size = sz.detail * 1.05;
    s.text(PAD, y, time_size, Weight::Bold, Rgb::INK, &r.time);
    let mx = PAD + 212.0;
    let cy = y - sz.title * 0.35;
    match r.number {
        Some(n) => {
            s.ops.push(Op::Circle {
                x: mx,
                y: cy,
                r: sz.title * 0.55,
                fill: colour,
                stroke: None,
            });
            let label = n.to_string();
            let size = sz.title * 0.6;
            let w = f.width(&label, size, Weight::Bold);
            s.text(
                mx - w / 2.0,
                cy + size * 0.36,
                size,
                Weight::Bold,
                Rgb::WHITE,
                &label,
            );
        }
        None => {
            let h = sz.title * 0.8;
            s.fill_rect(mx - h / 2.0, cy - h / 2.0, h, h, Rgb::MUTED);
        }
    }
    for (i, line) in r.title.iter().enumerate() {
        if i > 0 {
            y += sz.title * sz.line;
        }
        s.text(TEXT_X, y, sz.title, Weight::Bold, Rgb::INK, line);
    }
    if let Some(d) = &r.detail {
        y += sz.detail * sz.line;
        s.text(TEXT_X, y, sz.detail, Weight::Regular, Rgb::MUTED, d);
    }
    if let Some((leg, walk)) = &r.leg {
        y += sz.detail * sz.line + 10.0;
        // The connector runs from this marker down to the next one.
        s.ops.push(Op::Line {
            points: vec![(mx, cy + sz.title * 0.6), (mx, y + 26.0)],
            colour,
            width: 4.0,
            dash: walk.then_some((10.0, 8.0)),
        });
        s.text(TEXT_X, y, sz.detail, Weight::Regular, Rgb::MUTED, leg);
    }
    y + 18.0
}

/// The PNG of one day.
pub fn render_day(
    trip: &ExportTrip,
    d: &ExportDay,
    include_map: bool,
    f: &Faces,
    l: &Labels,
) -> Result<Vec<u8>, ExportError> {
    let scene = layout(trip, d, include_map, f, l);
    let pm = raster::render(&scene, f).ok_or(ExportError::Layout)?;
    pm.encode_png().map_err(|e| ExportError::Png(e.to_string()))
}

/// Several pictures in one ZIP (stored: PNG is compressed already).
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ExportError> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o644);
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts)
            .map_err(|e| ExportError::Zip(e.to_string()))?;
        w.write_all(bytes)
            .map_err(|e| ExportError::Zip(e.to_string()))?;
    }
    let out = w.finish().map_err(|e| ExportError::Zip(e.to_string()))?;
    Ok(out.into_inner())
}
