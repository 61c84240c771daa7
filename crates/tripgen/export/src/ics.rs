//! iCalendar (RFC 5545): one `VEVENT` per stop, in the local time of the day's city with
//! a `VTIMEZONE` for every zone used. The `UID` is derived from the trip, the day and the
//! place, and `SEQUENCE` is the day's version, so importing the file again updates the
//! events instead of adding copies.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use crate::labels::{Labels, distance, hhmm};
use crate::model::{ExportDay, ExportTrip};
use crate::vtimezone;

/// TEXT value escaping (§3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 sequence (§3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// A UID part: letters, digits and `-._:` only.
fn uid_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._:".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn local(day: &ExportDay, minutes: u32) -> String {
    // Wall time of that day, whatever the zone it is read in.
    day.local(minutes).format("%Y%m%dT%H%M%S").to_string()
}

/// The end may read earlier than the start on the clock (a westward journey): never
/// before the start's instant.
fn ends_before(d: &ExportDay, s: &crate::model::ExportStop) -> u32 {
    if d.zone_of(s, false) == d.zone_of(s, true) {
        s.start
    } else {
        0
    }
}

pub fn render(trip: &ExportTrip, days: &[&ExportDay], l: &Labels) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//TripGen//Schedule export//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(&trip.name)),
    ];
    // One VTIMEZONE per zone, covering the days in it.
    let mut zones: BTreeMap<&str, (Tz, chrono::NaiveDate, chrono::NaiveDate)> = BTreeMap::new();
    for d in days {
        let stop_zones = d.stops.iter().flat_map(|s| [s.start_zone, s.end_zone]);
        for tz in std::iter::once(d.time_zone).chain(stop_zones.flatten()) {
            let e = zones.entry(tz.name()).or_insert((tz, d.date, d.date));
            e.1 = e.1.min(d.date);
            e.2 = e.2.max(d.date);
        }
    }
    for (tz, first, last) in zones.values() {
        lines.extend(vtimezone::lines(
            *tz,
            *first,
            last.succ_opt().unwrap_or(*last),
        ));
    }
    let stamp = trip.generated_at.format("%Y%m%dT%H%M%SZ").to_string();
    for d in days {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in d.stops.iter().enumerate() {
            // A place twice in one day (an edit may do that) still gets distinct UIDs.
            let n = seen.entry(s.place_id.as_str()).or_insert(0);
            *n += 1;
            let mut uid = format!(
                "{}-day{}-{}",
                uid_part(&trip.id),
                d.number,
                uid_part(&s.place_id)
            );
            if *n > 1 {
                uid.push_str(&format!("-{n}"));
            }
            let mut desc = vec![format!(
                "{} · {} · {}",
                l.kind(s.kind),
                s.category,
                l.minutes(s.minutes())
            )];
            if let Some(j) = &s.journey {
                desc.push(format!(
                    "{} → {} · {} · {} · {} ({} {}, {} {})",
                    j.from,
                    j.to,
                    l.journey_mode(&j.mode),
                    l.minutes(j.minutes),
                    distance(j.metres),
                    hhmm(s.start),
                    d.zone_of(s, false).name(),
                    hhmm(s.end),
                    d.zone_of(s, true).name()
                ));
            }
            desc.extend(s.notes.iter().cloned());
            desc.extend(s.warnings.iter().map(|w| format!("! {w}")));
            if let Some(leg) = d.legs.get(i + 1) {
                let next = d
                    .stops
                    .get(i + 1)
                    .map(|n| n.name.clone())
                    .unwrap_or_else(|| d.end.name.clone());
                desc.push(format!(
                    "→ {next}: {} · {} · {} ({})",
                    l.mode(leg.mode),
                    l.minutes(leg.minutes),
                    distance(leg.metres),
                    hhmm(leg.depart)
                ));
            }
            let location = match &d.city {
                Some(c) => format!("{}, {c}", s.name),
                None => s.name.clone(),
            };
            lines.extend([
                "BEGIN:VEVENT".into(),
                format!("UID:{uid}@tripgen"),
                format!("DTSTAMP:{stamp}"),
                format!("SEQUENCE:{}", d.version),
                // A journey starts in the zone it leaves and ends in the one it reaches.
                format!(
                    "DTSTART;TZID={}:{}",
                    d.zone_of(s, false).name(),
                    local(d, s.start)
                ),
                format!(
                    "DTEND;TZID={}:{}",
                    d.zone_of(s, true).name(),
                    local(d, s.end.max(ends_before(d, s)))
                ),
                format!("SUMMARY:{}", escape(&s.name)),
                format!("LOCATION:{}", escape(&location)),
            ]);
            if crate::model::mappable(&s.position) {
                lines.push(format!("GEO:{:.6};{:.6}", s.position.lat, s.position.lon));
            }
            lines.push(format!("DESCRIPTION:{}", escape(&desc.join("\n"))));
            lines.push(format!("CATEGORIES:{}", escape(&s.category)));
            lines.push("TRANSP:OPAQUE".into());
            lines.push("END:VEVENT".into());
        }
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;
    use crate::sample::trip;

    #[test]
    fn lines_are_folded_at_75_octets_on_char_boundaries() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "한".repeat(40)), &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), format!("SUMMARY:{}", "한".repeat(40)));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn an_event_per_stop_with_stable_uids_in_local_time() {
        let t = trip(2, 3);
        let days: Vec<_> = t.days.iter().collect();
        let ics = render(&t, &days, &Labels::new(Language::En));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 6);
        assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20270601T"));
        let again = render(&t, &days, &Labels::new(Language::En));
        assert_eq!(ics, again, "same input, same file (UIDs stable)");
        let uids: std::collections::HashSet<_> =
            ics.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(uids.len(), 6);
        assert!(ics.lines().all(|l| l.len() <= 75));
    }
}
