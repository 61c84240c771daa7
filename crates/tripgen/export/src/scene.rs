//! A display list: what a page or a picture shows, in top-left coordinates (PDF points or
//! PNG pixels). Layout code builds it once; `pdf` writes it as vector graphics and real
//! text, `raster` paints it into pixels. Text positions are baselines.

use crate::fonts::Weight;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);
    pub const INK: Rgb = Rgb(0x1f, 0x29, 0x37);
    pub const MUTED: Rgb = Rgb(0x4b, 0x55, 0x63);
    pub const FAINT: Rgb = Rgb(0x9c, 0xa3, 0xaf);
    pub const RULE: Rgb = Rgb(0xe5, 0xe7, 0xeb);
    pub const WARN: Rgb = Rgb(0xb4, 0x53, 0x09);
}

/// One colour per day, the web map's palette (`web/src/lib/mapStyle.ts`), so a day has
/// the same colour on screen and on paper.
pub const DAY_COLOURS: [Rgb; 10] = [
    Rgb(0x0f, 0x76, 0x6e),
    Rgb(0xc2, 0x41, 0x0c),
    Rgb(0x1d, 0x4e, 0xd8),
    Rgb(0xa2, 0x1c, 0xaf),
    Rgb(0x15, 0x80, 0x3d),
    Rgb(0xb9, 0x1c, 0x1c),
    Rgb(0x6d, 0x28, 0xd9),
    Rgb(0x0e, 0x74, 0x90),
    Rgb(0xa1, 0x62, 0x07),
    Rgb(0xbe, 0x18, 0x5d),
];

pub fn day_colour(day_number: usize) -> Rgb {
    DAY_COLOURS[day_number.saturating_sub(1) % DAY_COLOURS.len()]
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        colour: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        points: Vec<(f32, f32)>,
        colour: Rgb,
        width: f32,
        /// Dash and gap lengths.
        dash: Option<(f32, f32)>,
    },
    /// A filled area: outer rings and holes, filled even-odd (base-map water, parks…).
    Area {
        rings: Vec<Vec<(f32, f32)>>,
        fill: Rgb,
    },
    Circle {
        x: f32,
        y: f32,
        r: f32,
        fill: Rgb,
        stroke: Option<(Rgb, f32)>,
    },
}

/// A page or picture: its size and what is drawn on it, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub ops: Vec<Op>,
}

impl Scene {
    pub fn new(width: f32, height: f32) -> Self {
        Scene {
            width,
            height,
            ops: Vec::new(),
        }
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, colour: Rgb, text: &str) {
        if !text.is_empty() {
            self.ops.push(Op::Text {
                x,
                y,
                size,
                weight,
                colour,
                text: text.to_string(),
            });
        }
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        self.ops.push(Op::Rect {
            x,
            y,
            w,
            h,
            fill: Some(fill),
            stroke: None,
        });
    }

    pub fn line(&mut self, points: Vec<(f32, f32)>, colour: Rgb, width: f32) {
        self.ops.push(Op::Line {
            points,
            colour,
            width,
            dash: None,
        });
    }

    /// Every text drawn, in order (for tests and for checking what a page says).
    pub fn texts(&self) -> Vec<&str> {
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}
