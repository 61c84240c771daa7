//! Reads a GTFS feed (a .zip of CSV files) into a [`Timetable`], checking what RAPTOR
//! relies on. Every problem is a [`FeedError`] naming the file, the line and the field;
//! nothing is stored unless the whole feed reads.
//!
//! Read with `zip` (already in the tree) and `csv` rather than `gtfs-structures`: that crate
//! pulls a second `zip` major, `jiff`, `sha2`, `derive_more` and more for the few columns
//! RAPTOR needs.

use std::collections::HashMap;
use std::io::{Read, Seek};

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use super::timetable::{Line, Pattern, Service, Timetable, TransitStop, Trip};

/// A file of the feed larger than this (uncompressed) is refused: a zip bomb or not a
/// city feed.
const MAX_FILE_BYTES: u64 = 1 << 30;
/// Walking transfers are offered between stops at most this far apart (straight line).
const TRANSFER_MAX_M: f64 = 400.0;
/// Walking speed of transfers (m/s) and the detour over the straight line.
const TRANSFER_SPEED: f64 = 4.5 / 3.6;
const TRANSFER_DETOUR: f64 = 1.3;
/// Added to every change of vehicle (finding the platform).
const CHANGE_SECONDS: u32 = 60;

#[derive(Debug, Error, PartialEq)]
pub enum FeedError {
    #[error("not a readable GTFS zip: {0}")]
    Zip(String),
    #[error("{file} is missing from the feed")]
    MissingFile { file: &'static str },
    #[error("{file}: column `{column}` is missing")]
    MissingColumn { file: &'static str, column: &'static str },
    #[error("{file} line {line}: `{field}` {problem}")]
    Field {
        file: &'static str,
        line: u64,
        field: &'static str,
        problem: String,
    },
    #[error("{file}: {problem}")]
    Invalid { file: &'static str, problem: String },
}

impl FeedError {
    /// The field (`file:column`) a client can point at, where one is to blame.
    pub fn field(&self) -> Option<String> {
        match self {
            FeedError::MissingColumn { file, column } => Some(format!("{file}:{column}")),
            FeedError::Field { file, field, .. } => Some(format!("{file}:{field}")),
            FeedError::MissingFile { file } | FeedError::Invalid { file, .. } => {
                Some((*file).to_string())
            }
            FeedError::Zip(_) => None,
        }
    }
}

fn field_err(file: &'static str, line: u64, field: &'static str, problem: &str) -> FeedError {
    FeedError::Field {
        file,
        line,
        field,
        problem: problem.to_string(),
    }
}

/// One CSV file of the feed with its header.
struct Table {
    file: &'static str,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn col(&self, name: &'static str) -> Result<usize, FeedError> {
        self.columns
            .get(name)
            .copied()
            .ok_or(FeedError::MissingColumn {
                file: self.file,
                column: name,
            })
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }
}

fn get(rec: &csv::StringRecord, col: usize) -> &str {
    rec.get(col).unwrap_or("").trim()
}

fn get_opt(rec: &csv::StringRecord, col: Option<usize>) -> &str {
    col.map_or("", |c| get(rec, c))
}

fn read_table<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    file: &'static str,
) -> Result<Option<Table>, FeedError> {
    // Feeds are sometimes zipped with a top folder: accept `*/stops.txt` too.
    let name = zip
        .file_names()
        .filter_map(Result::ok)
        .find(|n| n == file || n.rsplit('/').next() == Some(file))
        .map(|n| n.into_owned());
    let Some(name) = name else {
        return Ok(None);
    };
    let entry = zip
        .by_name(&name)
        .map_err(|e| FeedError::Zip(format!("{file}: {e}")))?;
    let mut bytes = Vec::new();
    entry
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FeedError::Zip(format!("{file}: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FeedError::Invalid {
            file,
            problem: format!("larger than {} MiB uncompressed", MAX_FILE_BYTES >> 20),
        });
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| FeedError::Invalid {
        file,
        problem: "not UTF-8 text".into(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| FeedError::Invalid {
        file,
        problem: format!("unreadable header: {e}"),
    })?;
    let columns = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| FeedError::Invalid {
            file,
            problem: format!("unreadable CSV: {e}"),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        rows.push((line, rec));
    }
    Ok(Some(Table {
        file,
        columns,
        rows,
    }))
}

fn required<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    file: &'static str,
) -> Result<Table, FeedError> {
    read_table(zip, file)?.ok_or(FeedError::MissingFile { file })
}

/// `H:MM:SS` (hours may exceed 24) to seconds.
pub fn parse_time(s: &str) -> Option<u32> {
    let mut parts = s.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let h: u32 = h.trim().parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let sec: u32 = sec.parse().ok()?;
    (h < 48 && m < 60 && sec < 60).then_some(h * 3600 + m * 60 + sec)
}

fn parse_date(s: &str) -> Option<i32> {
    NaiveDate::parse_from_str(s, "%Y%m%d")
        .ok()
        .map(|d| d.num_days_from_ce())
}

/// Reads the feed. `feed` names it (the file name); the city is linked by the caller.
pub fn read_feed<R: Read + Seek>(reader: R, feed: &str) -> Result<Timetable, FeedError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| FeedError::Zip(e.to_string()))?;

    let (stops, stop_ix) = read_stops(&required(&mut zip, "stops.txt")?)?;
    let (lines, line_ix) = read_lines(&required(&mut zip, "routes.txt")?)?;
    let calendar = read_table(&mut zip, "calendar.txt")?;
    let dates = read_table(&mut zip, "calendar_dates.txt")?;
    if calendar.is_none() && dates.is_none() {
        return Err(FeedError::MissingFile {
            file: "calendar.txt",
        });
    }
    let (services, service_ix) = read_services(calendar.as_ref(), dates.as_ref())?;
    let trips = required(&mut zip, "trips.txt")?;
    let (trip_ix, trip_meta) = read_trips(&trips, &line_ix, &service_ix)?;
    let stop_times = required(&mut zip, "stop_times.txt")?;
    let mut runs: Vec<(usize, Run)> = read_stop_times(&stop_times, &trip_ix, &stop_ix)?
        .into_iter()
        .enumerate()
        .collect();
    if let Some(freq) = read_table(&mut zip, "frequencies.txt")? {
        runs = expand_frequencies(&freq, &trip_ix, runs)?;
    }
    let patterns = build_patterns(&trip_meta, runs);
    if patterns.is_empty() {
        return Err(FeedError::Invalid {
            file: "stop_times.txt",
            problem: "no trip has two or more timed stops".into(),
        });
    }
    let transfers = walking_transfers(&stops);
    Ok(Timetable {
        feed: feed.to_string(),
        city_id: String::new(),
        city_name: String::new(),
        stops,
        lines,
        services,
        patterns,
        transfers,
    })
}

type Index = HashMap<String, u32>;

fn read_stops(t: &Table) -> Result<(Vec<TransitStop>, Index), FeedError> {
    let (id, name, lat, lon) = (
        t.col("stop_id")?,
        t.col("stop_name")?,
        t.col("stop_lat")?,
        t.col("stop_lon")?,
    );
    let kind = t.opt_col("location_type");
    let mut stops = Vec::new();
    let mut ix = Index::new();
    for (line, rec) in &t.rows {
        // Stations, entrances and nodes are not boarded (only platforms/stops are).
        if !matches!(get_opt(rec, kind), "" | "0") {
            continue;
        }
        let sid = get(rec, id);
        if sid.is_empty() {
            return Err(field_err(t.file, *line, "stop_id", "is empty"));
        }
        let coord = |c: usize, field: &'static str, max: f64| -> Result<f64, FeedError> {
            get(rec, c)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= max)
                .ok_or_else(|| field_err(t.file, *line, field, "is not a coordinate"))
        };
        let stop = TransitStop {
            id: sid.to_string(),
            name: get(rec, name).to_string(),
            lat: coord(lat, "stop_lat", 90.0)?,
            lon: coord(lon, "stop_lon", 180.0)?,
        };
        let n = u32::try_from(stops.len()).map_err(|_| too_many(t.file))?;
        if ix.insert(stop.id.clone(), n).is_some() {
            return Err(field_err(t.file, *line, "stop_id", "is repeated"));
        }
        stops.push(stop);
    }
    Ok((stops, ix))
}

fn too_many(file: &'static str) -> FeedError {
    FeedError::Invalid {
        file,
        problem: "too many rows".into(),
    }
}

fn read_lines(t: &Table) -> Result<(Vec<Line>, Index), FeedError> {
    let id = t.col("route_id")?;
    let kind = t.col("route_type")?;
    let (short, long) = (t.opt_col("route_short_name"), t.opt_col("route_long_name"));
    let mut lines = Vec::new();
    let mut ix = Index::new();
    for (line, rec) in &t.rows {
        let rid = get(rec, id);
        let name = match get_opt(rec, short) {
            "" => get_opt(rec, long),
            s => s,
        };
        if name.is_empty() {
            return Err(field_err(
                t.file,
                *line,
                "route_short_name",
                "and route_long_name are both empty",
            ));
        }
        let kind: u16 = get(rec, kind)
            .parse()
            .map_err(|_| field_err(t.file, *line, "route_type", "is not a number"))?;
        let n = u32::try_from(lines.len()).map_err(|_| too_many(t.file))?;
        if ix.insert(rid.to_string(), n).is_some() {
            return Err(field_err(t.file, *line, "route_id", "is repeated"));
        }
        lines.push(Line {
            id: rid.to_string(),
            name: name.to_string(),
            kind,
        });
    }
    Ok((lines, ix))
}

fn read_services(
    calendar: Option<&Table>,
    dates: Option<&Table>,
) -> Result<(Vec<Service>, Index), FeedError> {
    let mut services: Vec<Service> = Vec::new();
    let mut ix = Index::new();
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    if let Some(t) = calendar {
        let id = t.col("service_id")?;
        let (start, end) = (t.col("start_date")?, t.col("end_date")?);
        let mut day_cols = [0usize; 7];
        for (c, d) in day_cols.iter_mut().zip(DAYS) {
            *c = t.columns.get(d).copied().ok_or(FeedError::MissingColumn {
                file: t.file,
                column: "monday…sunday",
            })?;
        }
        for (line, rec) in &t.rows {
            let mut weekdays = 0u8;
            for (bit, c) in day_cols.iter().enumerate() {
                match get(rec, *c) {
                    "1" => weekdays |= 1 << bit,
                    "0" => {}
                    _ => return Err(field_err(t.file, *line, DAYS[bit], "is not 0 or 1")),
                }
            }
            let s = parse_date(get(rec, start))
                .ok_or_else(|| field_err(t.file, *line, "start_date", "is not YYYYMMDD"))?;
            let e = parse_date(get(rec, end))
                .ok_or_else(|| field_err(t.file, *line, "end_date", "is not YYYYMMDD"))?;
            if e < s {
                return Err(field_err(t.file, *line, "end_date", "is before start_date"));
            }
            let n = u32::try_from(services.len()).map_err(|_| too_many(t.file))?;
            if ix.insert(get(rec, id).to_string(), n).is_some() {
                return Err(field_err(t.file, *line, "service_id", "is repeated"));
            }
            services.push(Service {
                id: get(rec, id).to_string(),
                weekdays,
                start: s,
                end: e,
                ..Service::default()
            });
        }
    }
    if let Some(t) = dates {
        let (id, date, kind) = (
            t.col("service_id")?,
            t.col("date")?,
            t.col("exception_type")?,
        );
        for (line, rec) in &t.rows {
            let day = parse_date(get(rec, date))
                .ok_or_else(|| field_err(t.file, *line, "date", "is not YYYYMMDD"))?;
            let sid = get(rec, id);
            let n = match ix.get(sid) {
                Some(n) => *n as usize,
                None => {
                    let n = u32::try_from(services.len()).map_err(|_| too_many(t.file))?;
                    ix.insert(sid.to_string(), n);
                    // Only dates: an empty range that runs on its added days.
                    services.push(Service {
                        id: sid.to_string(),
                        start: 1,
                        end: 0,
                        ..Service::default()
                    });
                    n as usize
                }
            };
            let s = &mut services[n];
            match get(rec, kind) {
                "1" => s.added.push(day),
                "2" => s.removed.push(day),
                _ => return Err(field_err(t.file, *line, "exception_type", "is not 1 or 2")),
            }
        }
    }
    Ok((services, ix))
}

/// Trip id → index, and per trip (line, service).
fn read_trips(
    t: &Table,
    lines: &Index,
    services: &Index,
) -> Result<(Index, Vec<(u32, u32)>), FeedError> {
    let (route, service, id) = (t.col("route_id")?, t.col("service_id")?, t.col("trip_id")?);
    let mut ix = Index::new();
    let mut meta = Vec::new();
    for (line, rec) in &t.rows {
        let l = *lines
            .get(get(rec, route))
            .ok_or_else(|| field_err(t.file, *line, "route_id", "names no route of routes.txt"))?;
        let s = *services.get(get(rec, service)).ok_or_else(|| {
            field_err(t.file, *line, "service_id", "names no service of the calendar")
        })?;
        let n = u32::try_from(meta.len()).map_err(|_| too_many(t.file))?;
        if ix.insert(get(rec, id).to_string(), n).is_some() {
            return Err(field_err(t.file, *line, "trip_id", "is repeated"));
        }
        meta.push((l, s));
    }
    Ok((ix, meta))
}

/// A trip's stops in order with (arrival, departure).
type Run = Vec<(u32, (u32, u32))>;

fn read_stop_times(t: &Table, trips: &Index, stops: &Index) -> Result<Vec<Run>, FeedError> {
    let (trip, arr, dep, stop, seq) = (
        t.col("trip_id")?,
        t.col("arrival_time")?,
        t.col("departure_time")?,
        t.col("stop_id")?,
        t.col("stop_sequence")?,
    );
    // (sequence, stop, arrival, departure) per trip; empty times are interpolated.
    let mut rows: Vec<Vec<(u32, u32, Option<u32>, Option<u32>)>> = vec![Vec::new(); trips.len()];
    for (line, rec) in &t.rows {
        let ti = *trips
            .get(get(rec, trip))
            .ok_or_else(|| field_err(t.file, *line, "trip_id", "names no trip of trips.txt"))?;
        let si = *stops
            .get(get(rec, stop))
            .ok_or_else(|| field_err(t.file, *line, "stop_id", "names no stop of stops.txt"))?;
        let sq: u32 = get(rec, seq)
            .parse()
            .map_err(|_| field_err(t.file, *line, "stop_sequence", "is not a number"))?;
        let time = |c: usize, field: &'static str| match get(rec, c) {
            "" => Ok(None),
            s => parse_time(s)
                .map(Some)
                .ok_or_else(|| field_err(t.file, *line, field, "is not H:MM:SS")),
        };
        let (a, d) = (time(arr, "arrival_time")?, time(dep, "departure_time")?);
        rows[ti as usize].push((sq, si, a.or(d), d.or(a)));
    }
    let mut runs = Vec::with_capacity(rows.len());
    for mut r in rows {
        r.sort_by_key(|x| x.0);
        if r.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(FeedError::Invalid {
                file: t.file,
                problem: "a trip repeats a stop_sequence".into(),
            });
        }
        runs.push(interpolate(&r).ok_or(FeedError::Invalid {
            file: t.file,
            problem: "a trip's times go backwards or its first/last stop has no time".into(),
        })?);
    }
    Ok(runs)
}

/// Fills stops without times linearly between timed ones; `None` when times decrease or
/// an end is untimed. A trip with fewer than two stops gives an empty run.
fn interpolate(r: &[(u32, u32, Option<u32>, Option<u32>)]) -> Option<Run> {
    if r.len() < 2 {
        return Some(Vec::new());
    }
    let timed: Vec<usize> = (0..r.len()).filter(|i| r[*i].2.is_some()).collect();
    if timed.first() != Some(&0) || timed.last() != Some(&(r.len() - 1)) {
        return None;
    }
    let mut out: Run = Vec::with_capacity(r.len());
    for w in timed.windows(2) {
        let (i, j) = (w[0], w[1]);
        let (a_i, d_i) = (r[i].2?, r[i].3?);
        let a_j = r[j].2?;
        if d_i < a_i || a_j < d_i {
            return None;
        }
        out.push((r[i].1, (a_i, d_i)));
        for k in i + 1..j {
            let t = d_i + (a_j - d_i) * (k - i) as u32 / (j - i) as u32;
            out.push((r[k].1, (t, t)));
        }
    }
    let last = r.last()?;
    out.push((last.1, (last.2?, last.3?.max(last.2?))));
    Some(out)
}

/// `frequencies.txt`: a trip's times are a template repeated every `headway_secs` from
/// `start_time` (its first departure) until before `end_time`; the template itself then
/// runs only as its repetitions.
fn expand_frequencies(
    t: &Table,
    trips: &Index,
    runs: Vec<(usize, Run)>,
) -> Result<Vec<(usize, Run)>, FeedError> {
    let (trip, start, end, headway) = (
        t.col("trip_id")?,
        t.col("start_time")?,
        t.col("end_time")?,
        t.col("headway_secs")?,
    );
    let mut extra: Vec<(usize, Run)> = Vec::new();
    let mut templated = vec![false; runs.len()];
    for (line, rec) in &t.rows {
        let ti = *trips
            .get(get(rec, trip))
            .ok_or_else(|| field_err(t.file, *line, "trip_id", "names no trip of trips.txt"))?
            as usize;
        let from = parse_time(get(rec, start))
            .ok_or_else(|| field_err(t.file, *line, "start_time", "is not H:MM:SS"))?;
        let to = parse_time(get(rec, end))
            .ok_or_else(|| field_err(t.file, *line, "end_time", "is not H:MM:SS"))?;
        let every: u32 = get(rec, headway)
            .parse()
            .ok()
            .filter(|h| *h >= 60)
            .ok_or_else(|| field_err(t.file, *line, "headway_secs", "is not ≥ 60 seconds"))?;
        let Some((_, template)) = runs.get(ti).filter(|(_, r)| !r.is_empty()) else {
            continue;
        };
        templated[ti] = true;
        let first = template[0].1.1;
        let mut at = from;
        while at < to {
            let shifted: Run = template
                .iter()
                .map(|(s, (a, d))| (*s, ((a + at).saturating_sub(first), (d + at).saturating_sub(first))))
                .collect();
            extra.push((ti, shifted));
            at += every;
        }
    }
    Ok(runs
        .into_iter()
        .filter(|(ti, _)| !templated.get(*ti).copied().unwrap_or(false))
        .chain(extra)
        .collect())
}

/// Groups runs into patterns by (line, stop sequence), splitting where a trip would
/// overtake another (RAPTOR scans trips in departure order at every stop).
fn build_patterns(meta: &[(u32, u32)], runs: Vec<(usize, Run)>) -> Vec<Pattern> {
    let mut groups: HashMap<(u32, Vec<u32>), Vec<Pattern>> = HashMap::new();
    let mut runs: Vec<(usize, Run)> = runs.into_iter().filter(|(_, r)| r.len() >= 2).collect();
    runs.sort_by_key(|(_, r)| r[0].1.1);
    for (owner, run) in runs {
        let Some((line, service)) = meta.get(owner).copied() else {
            continue;
        };
        let stops: Vec<u32> = run.iter().map(|(s, _)| *s).collect();
        let times: Vec<(u32, u32)> = run.iter().map(|(_, t)| *t).collect();
        let list = groups.entry((line, stops.clone())).or_default();
        let trip = Trip { service, times };
        let fits = |p: &Pattern| {
            p.trips.last().is_none_or(|last| {
                last.times
                    .iter()
                    .zip(&trip.times)
                    .all(|(a, b)| a.0 <= b.0 && a.1 <= b.1)
            })
        };
        let slot = list.iter().position(fits);
        match slot.and_then(|i| list.get_mut(i)) {
            Some(p) => p.trips.push(trip),
            None => list.push(Pattern {
                line,
                stops,
                trips: vec![trip],
            }),
        }
    }
    let mut patterns: Vec<Pattern> = groups.into_values().flatten().collect();
    // Deterministic order (stored rows compare equal across re-imports).
    patterns.sort_by(|a, b| {
        (a.line, &a.stops, a.trips[0].times[0]).cmp(&(b.line, &b.stops, b.trips[0].times[0]))
    });
    patterns
}

/// Footpaths between stops within [`TRANSFER_MAX_M`] (straight line × detour at walking
/// speed, plus a minute to find the platform), found through a grid of ~400 m cells.
fn walking_transfers(stops: &[TransitStop]) -> Vec<Vec<(u32, u32)>> {
    let cell = |s: &TransitStop| ((s.lat / 0.004).floor() as i64, (s.lon / 0.006).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (i, s) in stops.iter().enumerate() {
        grid.entry(cell(s)).or_default().push(i as u32);
    }
    stops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (cy, cx) = cell(s);
            let Some(p) = s.position() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for dy in -1..=1 {
                for dx in -1..=1 {
                    for j in grid.get(&(cy + dy, cx + dx)).into_iter().flatten() {
                        let Some(q) = stops.get(*j as usize).and_then(TransitStop::position)
                        else {
                            continue;
                        };
                        let m = p.haversine_m(&q);
                        if *j as usize != i && m <= TRANSFER_MAX_M {
                            let secs = (m * TRANSFER_DETOUR / TRANSFER_SPEED).ceil() as u32;
                            out.push((*j, secs + CHANGE_SECONDS));
                        }
                    }
                }
            }
            out.sort_unstable();
            out
        })
        .collect()
}
