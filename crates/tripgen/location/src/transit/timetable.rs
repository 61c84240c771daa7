//! The compact timetable kept from a GTFS feed: stops, lines, service days and trips
//! grouped into *patterns* (trips of one line over the same stop sequence that never
//! overtake each other — what RAPTOR scans). Times are seconds after midnight of the
//! service day (GTFS allows more than 24 h for trips past midnight).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;

/// Bumped when the stored layout changes; older rows are ignored until a re-import.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timetable {
    /// File name of the feed (the key of its stored row).
    pub feed: String,
    /// The imported city the stops lie in (gazetteer id and name).
    pub city_id: String,
    pub city_name: String,
    pub stops: Vec<TransitStop>,
    pub lines: Vec<Line>,
    pub services: Vec<Service>,
    pub patterns: Vec<Pattern>,
    /// Walking transfers between nearby stops, by stop: (other stop, seconds).
    pub transfers: Vec<Vec<(u32, u32)>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitStop {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

impl TransitStop {
    pub fn position(&self) -> Option<GeoPoint> {
        GeoPoint::new(self.lat, self.lon).ok()
    }
}

/// A GTFS route: what a rider calls the line ("U3", "19").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub id: String,
    /// `route_short_name`, else `route_long_name`.
    pub name: String,
    /// GTFS `route_type` (0 tram, 1 metro, 2 rail, 3 bus, …).
    pub kind: u16,
}

/// When a service runs: weekdays within a date range, plus added and removed dates
/// (`calendar.txt` and `calendar_dates.txt`). Dates are days since 0001-01-01 (CE).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Service {
    pub id: String,
    /// Bit 0 = Monday … bit 6 = Sunday.
    pub weekdays: u8,
    pub start: i32,
    pub end: i32,
    pub added: Vec<i32>,
    pub removed: Vec<i32>,
}

impl Service {
    pub fn runs_on(&self, date: NaiveDate) -> bool {
        let day = date.num_days_from_ce();
        if self.removed.contains(&day) {
            return false;
        }
        if self.added.contains(&day) {
            return true;
        }
        let bit = 1u8 << date.weekday().num_days_from_monday();
        (self.start..=self.end).contains(&day) && self.weekdays & bit != 0
    }
}

/// Trips of one line over one stop sequence, sorted by departure (at every stop).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    pub line: u32,
    pub stops: Vec<u32>,
    pub trips: Vec<Trip>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trip {
    pub service: u32,
    /// (arrival, departure) at each stop of the pattern, seconds after midnight.
    pub times: Vec<(u32, u32)>,
}

impl Timetable {
    pub fn trip_count(&self) -> usize {
        self.patterns.iter().map(|p| p.trips.len()).sum()
    }

    /// Which services run on `date`, by index.
    pub fn active_services(&self, date: NaiveDate) -> Vec<bool> {
        self.services.iter().map(|s| s.runs_on(date)).collect()
    }

    /// The stops' extent (min lat, min lon, max lat, max lon).
    pub fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        let first = self.stops.first()?;
        Some(self.stops.iter().fold(
            (first.lat, first.lon, first.lat, first.lon),
            |(a, b, c, d), s| (a.min(s.lat), b.min(s.lon), c.max(s.lat), d.max(s.lon)),
        ))
    }

    /// The day the timetable is most typical of when no date is known: the date of its
    /// calendar with the most trips running (earliest on ties), looking at the first year
    /// of the feed's validity.
    pub fn typical_day(&self) -> Option<NaiveDate> {
        let start = self
            .services
            .iter()
            .flat_map(|s| std::iter::once(s.start).chain(s.added.iter().copied()))
            .min()?;
        let trips_per_service: Vec<usize> = {
            let mut n = vec![0usize; self.services.len()];
            for p in &self.patterns {
                for t in &p.trips {
                    if let Some(c) = n.get_mut(t.service as usize) {
                        *c += 1;
                    }
                }
            }
            n
        };
        let mut best: Option<(usize, NaiveDate)> = None;
        for offset in 0..366 {
            let Some(date) = start
                .checked_add(offset)
                .and_then(NaiveDate::from_num_days_from_ce_opt)
            else {
                break;
            };
            let trips: usize = self
                .services
                .iter()
                .zip(&trips_per_service)
                .filter(|(s, _)| s.runs_on(date))
                .map(|(_, n)| *n)
                .sum();
            if best.is_none_or(|(b, _)| trips > b) {
                best = Some((trips, date));
            }
        }
        best.filter(|(n, _)| *n > 0).map(|(_, d)| d)
    }
}

/// Stored form: JSON, gzip-compressed, behind the format version (the feed is small next
/// to the street graph; readable with standard tools when debugging an import).
pub fn encode(t: &Timetable) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let json = serde_json::to_vec(t).map_err(std::io::Error::other)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json)?;
    gz.finish()
}

/// Decodes and checks every index, so a damaged row is an error, never a panic in RAPTOR.
pub fn decode(bytes: &[u8]) -> Result<Timetable, String> {
    use std::io::Read;
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut raw)
        .map_err(|e| format!("not a compressed timetable: {e}"))?;
    let t: Timetable = serde_json::from_slice(&raw).map_err(|e| format!("bad timetable: {e}"))?;
    check(&t)?;
    Ok(t)
}

fn check(t: &Timetable) -> Result<(), String> {
    let stops = t.stops.len();
    if t.transfers.len() != stops {
        return Err("transfers do not match the stops".into());
    }
    if t
        .transfers
        .iter()
        .flatten()
        .any(|(s, _)| *s as usize >= stops)
    {
        return Err("a transfer names an unknown stop".into());
    }
    for p in &t.patterns {
        if p.line as usize >= t.lines.len() || p.stops.iter().any(|s| *s as usize >= stops) {
            return Err("a pattern names an unknown line or stop".into());
        }
        for trip in &p.trips {
            if trip.service as usize >= t.services.len() || trip.times.len() != p.stops.len() {
                return Err("a trip does not fit its pattern".into());
            }
        }
    }
    Ok(())
}
