//! Page layout of the PDF (A4 portrait, points): a cover page (trip, dates, members,
//! cities, the days at a glance), then each day from a new page — date, city, weather,
//! the route map, and a timeline of the start, stops (times, duration, notes) and the legs
//! between them (mode, minutes, distance), back to the lodging. A day that does not fit
//! continues on the next page. Every page gets the attribution line and `n / N`.

use crate::fonts::{Faces, Weight};
use crate::labels::{Labels, hhmm};
use crate::map::{self, MapBox};
use crate::model::{ExportDay, ExportTrip, LegMode};
use crate::scene::{Op, Rgb, Scene, day_colour};

pub const A4_W: f32 = 595.28;
pub const A4_H: f32 = 841.89;
const MARGIN: f32 = 42.0;
const CONTENT_W: f32 = A4_W - 2.0 * MARGIN;
/// Lowest baseline of body text; the footer lives below.
const BOTTOM: f32 = A4_H - 50.0;
/// Map height bounds (points) and the space under it.
const MAP_MAX: f32 = 300.0;
const MAP_MIN: f32 = 170.0;
const MAP_GAP: f32 = 14.0;
/// Timeline columns: time, marker, text.
const TIME_X: f32 = MARGIN;
const MARK_X: f32 = MARGIN + 74.0;
const TEXT_X: f32 = MARGIN + 94.0;
const TEXT_W: f32 = A4_W - MARGIN - TEXT_X;

/// One line of text to place in a block.
struct Line {
    text: String,
    size: f32,
    weight: Weight,
    colour: Rgb,
}

impl Line {
    fn height(&self) -> f32 {
        self.size * 1.35
    }
}

fn wrapped(f: &Faces, text: &str, size: f32, weight: Weight, colour: Rgb, w: f32) -> Vec<Line> {
    f.wrap(text, size, weight, w)
        .into_iter()
        .map(|text| Line {
            text,
            size,
            weight,
            colour,
        })
        .collect()
}

struct Pages<'a> {
    f: &'a Faces,
    l: &'a Labels,
    pages: Vec<Scene>,
    y: f32,
}

impl<'a> Pages<'a> {
    fn page(&mut self) -> &mut Scene {
        if self.pages.is_empty() {
            self.pages.push(Scene::new(A4_W, A4_H));
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Scene::new(A4_W, A4_H));
        self.y = MARGIN;
    }

    /// Starts a new page when `h` more points do not fit; `header` is drawn on it.
    fn ensure(&mut self, h: f32, header: &dyn Fn(&mut Pages)) {
        if self.y + h > BOTTOM {
            self.new_page();
            header(self);
        }
    }

    fn lines_at(&mut self, x: f32, lines: &[Line]) {
        for line in lines {
            let y = self.y + line.size;
            let (size, weight, colour) = (line.size, line.weight, line.colour);
            self.page().text(x, y, size, weight, colour, &line.text);
            self.y += line.height();
        }
    }
}

fn cover(p: &mut Pages, trip: &ExportTrip, days: &[&ExportDay]) {
    let (f, l) = (p.f, p.l);
    p.new_page();
    p.page().fill_rect(0.0, 0.0, A4_W, 10.0, day_colour(1));
    p.y = 150.0;
    let mut title = wrapped(f, &trip.name, 30.0, Weight::Bold, Rgb::INK, CONTENT_W);
    title.truncate(3);
    p.lines_at(MARGIN, &title);
    p.y += 10.0;
    let facts = [
        l.date_range(trip.start_date, trip.end_date, trip.days.len()),
        l.members(trip.members),
        trip.cities.join(" → "),
    ];
    for fact in facts.iter().filter(|t| !t.is_empty()) {
        let lines = wrapped(f, fact, 13.0, Weight::Regular, Rgb::MUTED, CONTENT_W);
        p.lines_at(MARGIN, &lines);
        p.y += 4.0;
    }
    p.y += 24.0;
    let rule_y = p.y;
    p.page().line(
        vec![(MARGIN, rule_y), (A4_W - MARGIN, rule_y)],
        Rgb::RULE,
        0.8,
    );
    p.y += 14.0;
    // The days at a glance.
    for d in days {
        p.ensure(22.0, &|_| {});
        let y = p.y + 11.0;
        let page = p.page();
        page.fill_rect(MARGIN, y - 9.0, 4.0, 12.0, day_colour(d.number));
        page.text(
            MARGIN + 12.0,
            y,
            11.0,
            Weight::Bold,
            Rgb::INK,
            &l.day(d.number),
        );
        page.text(
            MARGIN + 80.0,
            y,
            11.0,
            Weight::Regular,
            Rgb::INK,
            &l.date(d.date),
        );
        let city = d.city.clone().unwrap_or_default();
        let city = f.ellipsize(&city, 11.0, Weight::Regular, 170.0);
        page.text(MARGIN + 250.0, y, 11.0, Weight::Regular, Rgb::INK, &city);
        page.text(
            MARGIN + 430.0,
            y,
            11.0,
            Weight::Regular,
            Rgb::MUTED,
            &l.stops(d.stops.len()),
        );
        p.y += 22.0;
    }
}

fn day_header(p: &mut Pages, d: &ExportDay, continued: bool) {
    let (f, l) = (p.f, p.l);
    let colour = day_colour(d.number);
    let y0 = p.y;
    let mut title = format!("{} · {}", l.day(d.number), l.date(d.date));
    if continued {
        title = format!("{title} ({})", l.continued());
    }
    let title = f.ellipsize(&title, 18.0, Weight::Bold, CONTENT_W - 14.0);
    p.page().text(
        MARGIN + 14.0,
        y0 + 18.0,
        18.0,
        Weight::Bold,
        Rgb::INK,
        &title,
    );
    let mut sub = d.city.clone().unwrap_or_default();
    if let Some(w) = &d.weather {
        if !sub.is_empty() {
            sub.push_str(" · ");
        }
        sub.push_str(&l.weather(w));
    }
    let sub = f.ellipsize(&sub, 11.0, Weight::Regular, CONTENT_W - 14.0);
    p.page().text(
        MARGIN + 14.0,
        y0 + 36.0,
        11.0,
        Weight::Regular,
        Rgb::MUTED,
        &sub,
    );
    p.page().fill_rect(MARGIN, y0 + 2.0, 5.0, 38.0, colour);
    p.y = y0 + 52.0;
}

/// The text block of one timeline row: the name, then kind, category, duration and the
/// notes as one paragraph, then warnings.
fn stop_block(f: &Faces, z: Sizes, title: &str, detail: &str, warnings: &[String]) -> Vec<Line> {
    let mut lines = wrapped(f, title, z.title, Weight::Bold, Rgb::INK, TEXT_W);
    if !detail.is_empty() {
        lines.extend(wrapped(
            f,
            detail,
            z.detail,
            Weight::Regular,
            Rgb::MUTED,
            TEXT_W,
        ));
    }
    for w in warnings {
        lines.extend(wrapped(
            f,
            &format!("! {w}"),
            z.detail,
            Weight::Regular,
            Rgb::WARN,
            TEXT_W,
        ));
    }
    lines
}

/// One entry of a day's timeline.
enum Item {
    /// The lodging, a stop (numbered) or a notice, with its text block.
    Row {
        time: String,
        marker: Marker,
        lines: Vec<Line>,
    },
    /// The way to the next point.
    Leg { text: String, walk: bool, h: f32 },
}

enum Marker {
    Lodging,
    Stop(usize),
    None,
}

/// Type sizes of a day's timeline. The PDF promises one page a day: a long day is set
/// compact rather than continued overleaf.
#[derive(Clone, Copy)]
struct Sizes {
    title: f32,
    detail: f32,
    leg: f32,
}

const NORMAL: Sizes = Sizes {
    title: 11.0,
    detail: 8.5,
    leg: 14.0,
};
const COMPACT: Sizes = Sizes {
    title: 9.0,
    detail: 7.0,
    leg: 10.5,
};
/// The smallest map worth drawing when the timeline leaves less than `MAP_MIN`.
const MAP_SMALLEST: f32 = 110.0;

impl Item {
    fn height(&self) -> f32 {
        match self {
            Item::Row { lines, .. } => {
                (lines.iter().map(Line::height).sum::<f32>()).max(16.0) + 5.0
            }
            Item::Leg { h, .. } => *h,
        }
    }
}

fn timeline(f: &Faces, l: &Labels, d: &ExportDay, z: Sizes) -> Vec<Item> {
    let leg = |i: usize| {
        // A leg of no length (an empty day at the lodging) is not worth a line.
        d.legs
            .get(i)
            .filter(|g| g.metres > 0 || g.minutes > 0)
            .map(|g| Item::Leg {
                text: format!("→ {}", l.leg(g.mode, g.minutes, g.metres)),
                walk: g.mode == LegMode::Walk,
                h: z.leg,
            })
    };
    let mut items = vec![Item::Row {
        time: hhmm(d.start.time),
        marker: Marker::Lodging,
        lines: stop_block(f, z, &format!("{} · {}", l.start(), d.start.name), "", &[]),
    }];
    if d.stops.is_empty() {
        items.push(Item::Row {
            time: String::new(),
            marker: Marker::None,
            lines: wrapped(f, l.empty_day(), 10.0, Weight::Regular, Rgb::MUTED, TEXT_W),
        });
    }
    for (i, s) in d.stops.iter().enumerate() {
        items.extend(leg(i));
        let mut detail = format!(
            "{} · {} · {}",
            l.kind(s.kind),
            l.category(&s.category),
            l.minutes(s.minutes())
        );
        for n in &s.notes {
            detail.push_str(" — ");
            detail.push_str(n);
        }
        items.push(Item::Row {
            time: format!("{}–{}", hhmm(s.start), hhmm(s.end)),
            marker: Marker::Stop(i + 1),
            lines: stop_block(f, z, &s.name, &detail, &s.warnings),
        });
    }
    items.extend(leg(d.stops.len()));
    let walking = if d.walking_metres > 0 {
        l.walking(d.walking_metres)
    } else {
        String::new()
    };
    items.push(Item::Row {
        time: hhmm(d.end.time),
        marker: Marker::Lodging,
        lines: stop_block(
            f,
            z,
            &format!("{} · {}", l.back(), d.end.name),
            &walking,
            &[],
        ),
    });
    items
}

fn day_pages(p: &mut Pages, d: &ExportDay, include_map: bool) {
    let f = p.f;
    let colour = day_colour(d.number);
    p.new_page();
    day_header(p, d, false);
    let header = move |p: &mut Pages| day_header(p, d, true);
    for note in &d.notes {
        let lines = wrapped(f, note, 8.5, Weight::Regular, Rgb::MUTED, CONTENT_W);
        p.ensure(lines.iter().map(Line::height).sum(), &header);
        p.lines_at(MARGIN, &lines);
    }
    p.y += 6.0;
    // One page a day: the timeline is set compact when it would not leave room for a map
    // of `MAP_MIN` (or not fit at all), and the map takes what the timeline leaves, down to
    // `MAP_SMALLEST`; only a day too long even for that continues overleaf.
    let height = |items: &[Item]| items.iter().map(Item::height).sum::<f32>();
    let map_need = if include_map { MAP_MIN + MAP_GAP } else { 0.0 };
    let mut items = timeline(f, p.l, d, NORMAL);
    if p.y + height(&items) + map_need + 2.0 > BOTTOM {
        items = timeline(f, p.l, d, COMPACT);
    }
    let needed = height(&items);
    if include_map {
        let room = BOTTOM - p.y - MAP_GAP - needed - 2.0;
        let h = room.clamp(MAP_SMALLEST, MAP_MAX);
        p.ensure(h + MAP_GAP, &header);
        let b = MapBox {
            x: MARGIN,
            y: p.y,
            w: CONTENT_W,
            h,
            unit: 1.0,
        };
        map::draw(p.page(), f, d, b);
        p.y += h + MAP_GAP;
    }
    for item in &items {
        p.ensure(item.height(), &header);
        let y0 = p.y;
        match item {
            Item::Leg { text, walk, h } => {
                let page = p.page();
                page.ops.push(Op::Line {
                    points: vec![(MARK_X, y0 - 2.0), (MARK_X, y0 + h + 2.0)],
                    colour,
                    width: 1.6,
                    dash: walk.then_some((2.5, 2.0)),
                });
                page.text(TEXT_X, y0 + 10.0, 8.0, Weight::Regular, Rgb::MUTED, text);
                p.y += h;
            }
            Item::Row {
                time,
                marker,
                lines,
            } => {
                let page = p.page();
                page.text(TIME_X, y0 + 11.0, 9.5, Weight::Bold, Rgb::INK, time);
                match marker {
                    Marker::Stop(n) => {
                        page.ops.push(Op::Circle {
                            x: MARK_X,
                            y: y0 + 7.5,
                            r: 7.5,
                            fill: colour,
                            stroke: None,
                        });
                        let label = n.to_string();
                        let w = f.width(&label, 8.0, Weight::Bold);
                        page.text(
                            MARK_X - w / 2.0,
                            y0 + 10.4,
                            8.0,
                            Weight::Bold,
                            Rgb::WHITE,
                            &label,
                        );
                    }
                    Marker::Lodging => {
                        page.fill_rect(MARK_X - 5.5, y0 + 2.0, 11.0, 11.0, Rgb::MUTED)
                    }
                    Marker::None => {}
                }
                p.lines_at(TEXT_X, lines);
                p.y = y0 + item.height();
            }
        }
    }
}

fn footers(pages: &mut [Scene], f: &Faces, l: &Labels) {
    let n = pages.len();
    let attribution = l.attribution();
    for (i, page) in pages.iter_mut().enumerate() {
        let y = A4_H - 30.0;
        page.line(
            vec![(MARGIN, y - 12.0), (A4_W - MARGIN, y - 12.0)],
            Rgb::RULE,
            0.6,
        );
        page.text(MARGIN, y, 7.5, Weight::Regular, Rgb::MUTED, &attribution);
        let num = l.page(i + 1, n);
        let w = f.width(&num, 8.0, Weight::Regular);
        page.text(A4_W - MARGIN - w, y, 8.0, Weight::Regular, Rgb::MUTED, &num);
    }
}

/// Every page of the document, in order.
pub fn layout(
    trip: &ExportTrip,
    days: &[&ExportDay],
    include_map: bool,
    f: &Faces,
    l: &Labels,
) -> Vec<Scene> {
    let mut p = Pages {
        f,
        l,
        pages: Vec::new(),
        y: MARGIN,
    };
    cover(&mut p, trip, days);
    for d in days {
        day_pages(&mut p, d, include_map);
    }
    let mut pages = p.pages;
    footers(&mut pages, f, l);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;
    use crate::sample::trip;

    fn text_inside(s: &Scene) -> bool {
        s.ops.iter().all(|o| match o {
            Op::Text { x, y, .. } => *x >= 0.0 && *x < A4_W && *y > 0.0 && *y < A4_H,
            _ => true,
        })
    }

    #[test]
    fn cover_then_a_page_per_day_with_every_stop() {
        let t = trip(3, 5);
        let f = crate::fonts::faces().unwrap();
        let l = Labels::new(Language::En);
        let days: Vec<_> = t.days.iter().collect();
        let pages = layout(&t, &days, true, f, &l);
        assert_eq!(pages.len(), 4, "cover + 3 days");
        assert!(pages[0].texts().contains(&t.name.as_str()));
        for (i, d) in t.days.iter().enumerate() {
            let texts = pages[i + 1].texts();
            for s in &d.stops {
                assert!(
                    texts.contains(&s.name.as_str()),
                    "{} on page {}",
                    s.name,
                    i + 2
                );
            }
            assert!(texts.contains(&format!("{} / 4", i + 2).as_str()));
        }
        assert!(pages.iter().all(text_inside));
    }

    #[test]
    fn full_days_keep_to_one_page_each_with_their_map_and_translated_categories() {
        // Five days of nine stops with a note each: what a real trip looks like.
        let mut t = trip(5, 9);
        for d in &mut t.days {
            for s in &mut d.stops {
                s.notes = vec!["Step-free entrance at the side door.".into()];
            }
        }
        let f = crate::fonts::faces().unwrap();
        let l = Labels::new(Language::Ko);
        let days: Vec<_> = t.days.iter().collect();
        let pages = layout(&t, &days, true, f, &l);
        assert_eq!(pages.len(), 6, "cover + 5 days, one page each");
        for (i, d) in t.days.iter().enumerate() {
            let texts = pages[i + 1].texts().join("\n");
            for s in &d.stops {
                assert!(
                    texts.contains(s.name.as_str()),
                    "{} on page {}",
                    s.name,
                    i + 2
                );
                assert!(
                    !texts.contains(&format!(" · {} · ", s.category)),
                    "raw category {}",
                    s.category
                );
            }
        }
    }

    #[test]
    fn a_long_day_continues_on_a_second_page() {
        // Even set compact, nine stops with a paragraph of notes each do not fit one page.
        let mut t = trip(1, 9);
        for s in &mut t.days[0].stops {
            s.notes = vec!["A long note about why this place is in the plan. ".repeat(16)];
        }
        let f = crate::fonts::faces().unwrap();
        let l = Labels::new(Language::Ko);
        let days: Vec<_> = t.days.iter().collect();
        let pages = layout(&t, &days, true, f, &l);
        assert!(pages.len() >= 3, "{}", pages.len());
        let last = pages.last().unwrap().texts();
        assert!(last.iter().any(|t| t.contains("계속")), "{last:?}");
        for p in &pages {
            for o in &p.ops {
                if let Op::Text { y, text, .. } = o {
                    assert!(
                        *y <= BOTTOM + 1.0 || text.contains('/') || text.contains("©"),
                        "{text} at {y}"
                    );
                }
            }
        }
    }
}
