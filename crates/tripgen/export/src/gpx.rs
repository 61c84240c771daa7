//! GPX 1.1: a waypoint per stop (name, arrival time in UTC, description) and a route per
//! day along the leg geometry (lodging → stops → lodging).

use crate::labels::{Labels, hhmm};
use crate::model::{ExportDay, ExportTrip, GeoPoint};

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn pt(p: GeoPoint) -> String {
    format!("lat=\"{:.6}\" lon=\"{:.6}\"", p.lat, p.lon)
}

/// The day's route points: leg geometry joined, repeated joints dropped.
pub fn route_points(d: &ExportDay) -> Vec<GeoPoint> {
    let points = d.points();
    let mut out: Vec<GeoPoint> = Vec::new();
    for (i, leg) in d.legs.iter().enumerate() {
        let geometry: Vec<GeoPoint> = if leg.geometry.len() >= 2 {
            leg.geometry.clone()
        } else {
            match (points.get(i), points.get(i + 1)) {
                (Some(a), Some(b)) => vec![*a, *b],
                _ => continue,
            }
        };
        for p in geometry.into_iter().filter(crate::model::mappable) {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    }
    out
}

pub fn render(trip: &ExportTrip, days: &[&ExportDay], l: &Labels) -> String {
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o.push_str(
        "<gpx version=\"1.1\" creator=\"TripGen\" xmlns=\"http://www.topografix.com/GPX/1/1\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd\">\n",
    );
    o.push_str("  <metadata>\n");
    o.push_str(&format!("    <name>{}</name>\n", xml(&trip.name)));
    o.push_str(&format!(
        "    <desc>{}</desc>\n",
        xml(&format!(
            "{} · {}",
            l.date_range(trip.start_date, trip.end_date, trip.days.len()),
            trip.cities.join(" → ")
        ))
    ));
    o.push_str(
        "    <copyright author=\"OpenStreetMap contributors\"><license>https://opendatacommons.org/licenses/odbl/</license></copyright>\n",
    );
    o.push_str(&format!(
        "    <time>{}</time>\n",
        trip.generated_at.format("%Y-%m-%dT%H:%M:%SZ")
    ));
    o.push_str("  </metadata>\n");
    for d in days {
        for (i, s) in d.stops.iter().enumerate() {
            if !crate::model::mappable(&s.position) {
                continue;
            }
            let mut desc = vec![format!(
                "{} · {}–{} · {} · {}",
                l.day(d.number),
                hhmm(s.start),
                hhmm(s.end),
                l.kind(s.kind),
                s.category
            )];
            desc.extend(s.notes.iter().cloned());
            o.push_str(&format!("  <wpt {}>\n", pt(s.position)));
            o.push_str(&format!(
                "    <time>{}</time>\n",
                d.instant(s.start).format("%Y-%m-%dT%H:%M:%SZ")
            ));
            o.push_str(&format!(
                "    <name>{}</name>\n",
                xml(&format!("{}-{}. {}", d.number, i + 1, s.name))
            ));
            o.push_str(&format!("    <desc>{}</desc>\n", xml(&desc.join("\n"))));
            o.push_str(&format!("    <type>{}</type>\n", xml(&s.category)));
            o.push_str("  </wpt>\n");
        }
    }
    for d in days {
        let pts = route_points(d);
        if pts.is_empty() {
            continue;
        }
        o.push_str("  <rte>\n");
        let mut name = format!("{} · {}", l.day(d.number), d.date);
        if let Some(c) = &d.city {
            name = format!("{name} · {c}");
        }
        o.push_str(&format!("    <name>{}</name>\n", xml(&name)));
        o.push_str(&format!("    <number>{}</number>\n", d.number));
        for p in pts {
            o.push_str(&format!("    <rtept {}/>\n", pt(p)));
        }
        o.push_str("  </rte>\n");
    }
    o.push_str("</gpx>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;
    use crate::sample::trip;

    #[test]
    fn waypoints_per_stop_and_a_route_per_day() {
        let t = trip(2, 4);
        let days: Vec<_> = t.days.iter().collect();
        let g = render(&t, &days, &Labels::new(Language::En));
        assert_eq!(g.matches("<wpt ").count(), 8);
        assert_eq!(g.matches("<rte>").count(), 2);
        // Hotel → 4 stops → hotel, straight legs.
        assert_eq!(route_points(&t.days[0]).len(), 6);
        assert!(g.contains("<time>2027-06-01T"));
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
