//! The embedded fonts (see `assets/fonts/README.md`): Nanum Gothic covers Hangul and
//! most Latin text; DejaVu Sans fills the Latin letters Nanum lacks (ã, õ, ő …). Text is
//! split into runs by which face has the glyphs, measured with the faces' advances, and
//! wrapped by words (by characters when one word is wider than the line).

use std::sync::LazyLock;

pub const NANUM_REGULAR: &[u8] = include_bytes!("../assets/fonts/NanumGothic.ttf");
pub const NANUM_BOLD: &[u8] = include_bytes!("../assets/fonts/NanumGothicBold.ttf");
pub const DEJAVU_REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub const DEJAVU_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// One of the four embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaceId {
    Nanum(Weight),
    DejaVu(Weight),
}

impl FaceId {
    pub const ALL: [FaceId; 4] = [
        FaceId::Nanum(Weight::Regular),
        FaceId::Nanum(Weight::Bold),
        FaceId::DejaVu(Weight::Regular),
        FaceId::DejaVu(Weight::Bold),
    ];

    pub fn index(self) -> usize {
        match self {
            FaceId::Nanum(Weight::Regular) => 0,
            FaceId::Nanum(Weight::Bold) => 1,
            FaceId::DejaVu(Weight::Regular) => 2,
            FaceId::DejaVu(Weight::Bold) => 3,
        }
    }

    pub fn data(self) -> &'static [u8] {
        match self {
            FaceId::Nanum(Weight::Regular) => NANUM_REGULAR,
            FaceId::Nanum(Weight::Bold) => NANUM_BOLD,
            FaceId::DejaVu(Weight::Regular) => DEJAVU_REGULAR,
            FaceId::DejaVu(Weight::Bold) => DEJAVU_BOLD,
        }
    }
}

/// The parsed faces (parsing reads only the table directory; glyphs are read on use).
pub struct Faces {
    faces: Vec<ttf_parser::Face<'static>>,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    let faces: Option<Vec<_>> = FaceId::ALL
        .iter()
        .map(|f| ttf_parser::Face::parse(f.data(), 0).ok())
        .collect();
    faces.map(|faces| Faces { faces })
});

/// The embedded faces; `None` only if the build embedded broken font files.
pub fn faces() -> Option<&'static Faces> {
    FACES.as_ref()
}

/// A piece of a line drawn with one face, `x` from the line's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: FaceId,
    pub text: String,
    pub x: f32,
}

impl Faces {
    pub fn face(&self, id: FaceId) -> &ttf_parser::Face<'static> {
        &self.faces[id.index()]
    }

    /// The face that draws `c`: Nanum when it has the glyph, else DejaVu when that has it,
    /// else Nanum (its missing-glyph box).
    pub fn face_for(&self, c: char, weight: Weight) -> FaceId {
        let nanum = FaceId::Nanum(weight);
        if c.is_whitespace() || self.face(nanum).glyph_index(c).is_some() {
            return nanum;
        }
        let dejavu = FaceId::DejaVu(weight);
        if self.face(dejavu).glyph_index(c).is_some() {
            dejavu
        } else {
            nanum
        }
    }

    fn advance(&self, id: FaceId, c: char, size: f32) -> f32 {
        let face = self.face(id);
        let upem = f32::from(face.units_per_em().max(1));
        let adv = face
            .glyph_index(c)
            .and_then(|g| face.glyph_hor_advance(g))
            .unwrap_or(face.units_per_em() / 2);
        f32::from(adv) * size / upem
    }

    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        text.chars()
            .map(|c| self.advance(self.face_for(c, weight), c, size))
            .sum()
    }

    /// Splits a line into runs of one face each, with their offsets.
    pub fn runs(&self, text: &str, size: f32, weight: Weight) -> Vec<Run> {
        let mut out: Vec<Run> = Vec::new();
        let mut x = 0.0;
        for c in text.chars() {
            if c.is_control() {
                continue;
            }
            let face = self.face_for(c, weight);
            match out.last_mut() {
                Some(r) if r.face == face => r.text.push(c),
                _ => out.push(Run {
                    face,
                    text: c.to_string(),
                    x,
                }),
            }
            x += self.advance(face, c, size);
        }
        out
    }

    /// Greedy wrapping into lines no wider than `max`.
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, weight) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is broken between characters.
                for c in word.chars() {
                    let mut next = line.clone();
                    next.push(c);
                    if !line.is_empty() && self.width(&next, size, weight) > max {
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    } else {
                        line = next;
                    }
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    /// `text` shortened with `…` to fit `max`.
    pub fn ellipsize(&self, text: &str, size: f32, weight: Weight, max: f32) -> String {
        if self.width(text, size, weight) <= max {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            let mut next = out.clone();
            next.push(c);
            next.push('…');
            if self.width(&next, size, weight) > max {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_parses_and_hangul_comes_from_nanum() {
        let f = faces().expect("embedded fonts parse");
        assert_eq!(
            f.face_for('한', Weight::Regular),
            FaceId::Nanum(Weight::Regular)
        );
        assert_eq!(f.face_for('a', Weight::Bold), FaceId::Nanum(Weight::Bold));
        // Nanum has no ã: DejaVu draws it, so "São Bento" keeps its tilde.
        assert_eq!(
            f.face_for('ã', Weight::Regular),
            FaceId::DejaVu(Weight::Regular)
        );
        let runs = f.runs("São 벤투", 10.0, Weight::Regular);
        assert_eq!(runs.len(), 3, "{runs:?}");
        assert_eq!(runs[1].text, "ã");
        assert!(runs[2].x > runs[1].x);
    }

    #[test]
    fn wrapping_keeps_lines_inside_the_width() {
        let f = faces().unwrap();
        let text =
            "국립중앙박물관에서 한국의 역사와 문화를 만나는 시간 Deutsches Museum of Masterpieces";
        let lines = f.wrap(text, 10.0, Weight::Regular, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 10.0, Weight::Regular) <= 120.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        // One very long word is broken between characters.
        let long = "가".repeat(60);
        let lines = f.wrap(&long, 10.0, Weight::Regular, 100.0);
        assert!(lines.len() > 3);
        assert_eq!(lines.concat(), long);
        let e = f.ellipsize(&long, 10.0, Weight::Regular, 100.0);
        assert!(e.ends_with('…') && f.width(&e, 10.0, Weight::Regular) <= 100.0);
    }
}
