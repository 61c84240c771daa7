//! Generated cover images (TRIP-020): deterministic from the trip name, no external service.
//! The name's SHA-256 picks two hues and a pattern; the initials are the first letters of
//! the first two words. The same spec renders as SVG for clients that want an image.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

const PATTERNS: [&str; 4] = ["waves", "dots", "stripes", "peaks"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cover {
    /// Main hue, 0–359.
    pub hue: u16,
    /// Second hue of the gradient, 0–359.
    pub hue2: u16,
    /// `waves`, `dots`, `stripes` or `peaks`.
    pub pattern: String,
    pub initials: String,
}

pub fn cover(name: &str) -> Cover {
    let digest = Sha256::digest(name.trim().as_bytes());
    let hue = u16::from_be_bytes([digest[0], digest[1]]) % 360;
    let hue2 = (hue + 30 + u16::from(digest[2]) % 90) % 360;
    let pattern = PATTERNS[usize::from(digest[3]) % PATTERNS.len()].to_string();
    let initials: String = name
        .split_whitespace()
        // Letters and digits only: "Munich & Porto" is "MP", not "M&".
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    Cover {
        hue,
        hue2,
        pattern,
        initials,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// 640×360 SVG of a cover.
pub fn svg(c: &Cover) -> String {
    let pattern = match c.pattern.as_str() {
        "waves" => (0..6)
            .map(|i| {
                let y = 60 + i * 50;
                format!(
                    r#"<path d="M0 {y} Q160 {a} 320 {y} T640 {y}" fill="none" stroke="white" stroke-opacity="0.18" stroke-width="10"/>"#,
                    a = y - 40
                )
            })
            .collect::<String>(),
        "dots" => (0..8)
            .flat_map(|x| (0..5).map(move |y| (x, y)))
            .map(|(x, y)| {
                format!(
                    r#"<circle cx="{}" cy="{}" r="9" fill="white" fill-opacity="0.16"/>"#,
                    40 + x * 80,
                    40 + y * 70
                )
            })
            .collect(),
        "stripes" => (0..10)
            .map(|i| {
                let x = i * 80 - 200;
                format!(
                    r#"<path d="M{x} 360 L{} 0" stroke="white" stroke-opacity="0.14" stroke-width="24"/>"#,
                    x + 240
                )
            })
            .collect(),
        _ => r#"<path d="M0 360 L140 170 L250 290 L400 110 L640 360 Z" fill="white" fill-opacity="0.18"/><path d="M330 360 L470 200 L640 330 L640 360 Z" fill="white" fill-opacity="0.12"/>"#.to_string(),
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({h1},70%,55%)"/><stop offset="1" stop-color="hsl({h2},70%,40%)"/></linearGradient></defs><rect width="640" height="360" fill="url(#g)"/>{pattern}<text x="320" y="205" font-family="sans-serif" font-size="96" font-weight="700" fill="white" text-anchor="middle">{initials}</text></svg>"##,
        h1 = c.hue,
        h2 = c.hue2,
        initials = escape(&c.initials)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_distinct() {
        assert_eq!(cover("Europe 2026"), cover("Europe 2026"));
        assert_ne!(cover("Europe 2026"), cover("Japan 2026"));
        assert_eq!(cover("summer in porto").initials, "SI");
        assert_eq!(cover("뮌헨 여행").initials, "뮌여");
        assert_eq!(cover("Munich & Porto").initials, "MP");
        assert_eq!(cover("(Munich) - 2026").initials, "M2");
        let s = svg(&cover("<b> &"));
        assert!(s.starts_with("<svg") && s.contains(">B</text>"), "{s}");
    }
}
