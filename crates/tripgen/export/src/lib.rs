//! Schedule export (PRODUCT.md TRIP-100): PDF, PNG per day (a ZIP for several days),
//! iCalendar and GPX, rendered from an [`ExportTrip`]. Pure rendering: no HTTP, no
//! storage, no network — the route maps are drawn by [`map`] from our own coordinates,
//! and the fonts are embedded in the binary. CPU-bound: callers run it off the async
//! executor.

pub mod basemap;
pub mod filename;
pub mod fonts;
pub mod gpx;
pub mod ics;
pub mod labels;
pub mod map;
pub mod model;
pub mod pdf;
pub mod pdf_layout;
pub mod png;
pub mod raster;
pub mod sample;
pub mod scene;
pub mod vtimezone;

pub use model::*;

use labels::Labels;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Png,
    Ics,
    Gpx,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Pdf, Format::Png, Format::Ics, Format::Gpx];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Png => "png",
            Format::Ics => "ics",
            Format::Gpx => "gpx",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    /// 1-based day numbers to export, each present in the trip; empty = every day.
    pub days: Vec<usize>,
    pub include_map: bool,
    pub language: Language,
}

/// A finished file.
#[derive(Debug, Clone)]
pub struct Exported {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Exported {
    /// The `Content-Disposition` header value for this file.
    pub fn content_disposition(&self) -> String {
        filename::content_disposition(&self.file_name)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the trip has no day {0}")]
    UnknownDay(usize),
    #[error("nothing to export: the trip has no days")]
    NoDays,
    #[error("an embedded font could not be read")]
    Font,
    #[error("a page could not be laid out")]
    Layout,
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("PNG: {0}")]
    Png(String),
    #[error("ZIP: {0}")]
    Zip(String),
}

/// Renders the requested days of `trip` in the requested format.
pub fn export(trip: &ExportTrip, req: &ExportRequest) -> Result<Exported, ExportError> {
    let days: Vec<&ExportDay> = if req.days.is_empty() {
        trip.days.iter().collect()
    } else {
        let mut wanted = req.days.clone();
        wanted.sort_unstable();
        wanted.dedup();
        wanted
            .into_iter()
            .map(|n| {
                trip.days
                    .iter()
                    .find(|d| d.number == n)
                    .ok_or(ExportError::UnknownDay(n))
            })
            .collect::<Result<_, _>>()?
    };
    let first = days.first().ok_or(ExportError::NoDays)?;
    let l = Labels::new(req.language);
    let f = fonts::faces().ok_or(ExportError::Font)?;
    let lang = match req.language {
        Language::En => "en",
        Language::Ko => "ko",
    };
    Ok(match req.format {
        Format::Pdf => {
            let pages = pdf_layout::layout(trip, &days, req.include_map, f, &l);
            Exported {
                file_name: filename::trip_file(&trip.name, first.date, "pdf"),
                content_type: "application/pdf",
                bytes: pdf::write(&pages, f, &trip.name, lang)?,
            }
        }
        Format::Png if days.len() == 1 => Exported {
            file_name: filename::day_file(&trip.name, first.number, first.date, "png"),
            content_type: "image/png",
            bytes: png::render_day(trip, first, req.include_map, f, &l)?,
        },
        Format::Png => {
            let files = days
                .iter()
                .map(|d| {
                    Ok((
                        filename::day_file(&trip.name, d.number, d.date, "png"),
                        png::render_day(trip, d, req.include_map, f, &l)?,
                    ))
                })
                .collect::<Result<Vec<_>, ExportError>>()?;
            Exported {
                file_name: filename::trip_file(&trip.name, first.date, "zip"),
                content_type: "application/zip",
                bytes: png::zip(&files)?,
            }
        }
        Format::Ics => Exported {
            file_name: filename::trip_file(&trip.name, first.date, "ics"),
            content_type: "text/calendar; charset=utf-8",
            bytes: ics::render(trip, &days, &l).into_bytes(),
        },
        Format::Gpx => Exported {
            file_name: filename::trip_file(&trip.name, first.date, "gpx"),
            content_type: "application/gpx+xml",
            bytes: gpx::render(trip, &days, &l).into_bytes(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(format: Format, days: Vec<usize>) -> ExportRequest {
        ExportRequest {
            format,
            days,
            include_map: true,
            language: Language::En,
        }
    }

    #[test]
    fn every_format_renders_with_its_file_name() {
        let t = sample::trip(2, 4);
        let pdf = export(&t, &req(Format::Pdf, vec![])).unwrap();
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        assert_eq!(pdf.file_name, "뮌헨 여행 Munich_20270601.pdf");
        let png = export(&t, &req(Format::Png, vec![2])).unwrap();
        assert!(png.bytes.starts_with(b"\x89PNG"));
        assert_eq!(png.file_name, "뮌헨 여행 Munich_Day2_20270602.png");
        let pm = tiny_skia::Pixmap::decode_png(&png.bytes).unwrap();
        assert_eq!((pm.width(), pm.height()), (1080, 1920));
        let zip = export(&t, &req(Format::Png, vec![])).unwrap();
        assert!(zip.bytes.starts_with(b"PK"));
        assert_eq!(zip.content_type, "application/zip");
        let ics = export(&t, &req(Format::Ics, vec![1])).unwrap();
        assert_eq!(
            String::from_utf8(ics.bytes)
                .unwrap()
                .matches("BEGIN:VEVENT")
                .count(),
            4
        );
        let gpx = export(&t, &req(Format::Gpx, vec![])).unwrap();
        assert_eq!(gpx.file_name, "뮌헨 여행 Munich_20270601.gpx");
        assert!(matches!(
            export(&t, &req(Format::Pdf, vec![3])),
            Err(ExportError::UnknownDay(3))
        ));
        assert_eq!(Format::parse(" PDF "), Some(Format::Pdf));
        assert_eq!(Format::parse("docx"), None);
    }

    /// Pixels of `pm` within 3 of `c` on every channel.
    fn pixels_of(pm: &tiny_skia::Pixmap, c: scene::Rgb) -> usize {
        let near = |a: u8, b: u8| a.abs_diff(b) <= 3;
        pm.pixels()
            .iter()
            .filter(|p| near(p.red(), c.0) && near(p.green(), c.1) && near(p.blue(), c.2))
            .count()
    }

    #[test]
    fn the_png_draws_the_base_map_under_the_route() {
        let mut t = sample::trip(1, 5);
        let plain = export(&t, &req(Format::Png, vec![1])).unwrap();
        let plain = tiny_skia::Pixmap::decode_png(&plain.bytes).unwrap();
        assert_eq!(pixels_of(&plain, basemap::WATER), 0);
        t.days[0].base_map = sample::base_map();
        let png = export(&t, &req(Format::Png, vec![1])).unwrap();
        let pm = tiny_skia::Pixmap::decode_png(&png.bytes).unwrap();
        let total = (pm.width() * pm.height()) as usize;
        for (what, c) in [
            ("water", basemap::WATER),
            ("park", basemap::PARK),
            ("buildings", basemap::BUILDING),
        ] {
            let n = pixels_of(&pm, c);
            assert!(n > total / 500, "{what}: {n} pixels of {total}");
        }
        // The route and its numbered stops stay on top, in the day's colour.
        assert!(pixels_of(&pm, scene::day_colour(1)) > 500);
    }

    #[test]
    fn the_pdf_map_has_the_base_map_drawing() {
        let mut t = sample::trip(1, 5);
        t.days[0].base_map = sample::base_map();
        let f = fonts::faces().unwrap();
        let l = Labels::new(Language::En);
        let days: Vec<&ExportDay> = t.days.iter().collect();
        let pages = pdf_layout::layout(&t, &days, true, f, &l);
        let fills: Vec<scene::Rgb> = pages
            .iter()
            .flat_map(|p| &p.ops)
            .filter_map(|o| match o {
                scene::Op::Area { fill, .. } => Some(*fill),
                _ => None,
            })
            .collect();
        for c in [basemap::WATER, basemap::PARK, basemap::BUILDING] {
            assert!(fills.contains(&c), "{c:?} in {} areas", fills.len());
        }
        // Without the map, no base map either.
        let pages = pdf_layout::layout(&t, &days, false, f, &l);
        assert!(
            !pages
                .iter()
                .flat_map(|p| &p.ops)
                .any(|o| matches!(o, scene::Op::Area { .. }))
        );
        let pdf = export(&t, &req(Format::Pdf, vec![])).unwrap();
        assert!(pdf.bytes.starts_with(b"%PDF-"));
    }

    #[test]
    fn the_pdf_subsets_its_fonts() {
        let t = sample::trip(1, 3);
        let pdf = export(&t, &req(Format::Pdf, vec![])).unwrap();
        // Two Nanum faces are 9.3 MB; a subset of a few hundred glyphs is far smaller.
        assert!(pdf.bytes.len() < 400_000, "{} bytes", pdf.bytes.len());
    }
}
