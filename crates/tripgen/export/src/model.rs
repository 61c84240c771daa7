//! What an export is rendered from: a trip and its days, independent of how the trip
//! context stores them. Times are minutes since local midnight of the day (they may run
//! past 24:00 when a day ends after midnight), distances metres, coordinates WGS 84.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// The workspace's one point type (WGS 84 degrees).
pub use platform_geo::LatLon as GeoPoint;

/// A point the map and the files can show (stored data may hold anything; the Web
/// Mercator map ends at ±85°).
pub fn mappable(p: &GeoPoint) -> bool {
    p.lat.is_finite()
        && p.lon.is_finite()
        && (-85.0..=85.0).contains(&p.lat)
        && (-180.0..=180.0).contains(&p.lon)
}

/// The language of the labels: the platform's one type for traveller-facing texts.
pub use tripgen_platform::i18n::Language;

#[derive(Debug, Clone, PartialEq)]
pub struct ExportTrip {
    /// Stable id of the trip (part of every calendar UID).
    pub id: String,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub members: usize,
    /// Cities in travel order.
    pub cities: Vec<String>,
    pub days: Vec<ExportDay>,
    /// When the export was made (`DTSTAMP`, GPX metadata time).
    pub generated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportDay {
    /// 1-based day of the trip.
    pub number: usize,
    pub date: NaiveDate,
    pub city: Option<String>,
    /// IANA zone of the day's city; times of the day are local to it.
    pub time_zone: Tz,
    /// Version of the stored day plan (calendar `SEQUENCE`, so re-imports update).
    pub version: u32,
    pub weather: Option<Weather>,
    /// Weather advice and day-level warnings, as the planner wrote them.
    pub notes: Vec<String>,
    pub start: Anchor,
    pub end: Anchor,
    pub stops: Vec<ExportStop>,
    /// `stops.len() + 1` legs: start → stop 1 → … → end.
    pub legs: Vec<ExportLeg>,
    pub walking_metres: u32,
    /// The base map around the day (water, parks, buildings, roads from the same OSM
    /// tiles as the web map); empty: the route is drawn on a plain background.
    pub base_map: Vec<BaseShape>,
}

impl ExportDay {
    /// Start, stops, end — the points the legs join where a leg has no geometry (after a
    /// journey the leg's geometry starts at the journey's end).
    pub fn points(&self) -> Vec<GeoPoint> {
        let mut p = Vec::with_capacity(self.stops.len() + 2);
        p.push(self.start.position);
        p.extend(self.stops.iter().map(|s| s.position));
        p.push(self.end.position);
        p
    }

    /// Local wall time of `minutes` after midnight of this day.
    pub fn local(&self, minutes: u32) -> NaiveDateTime {
        self.date.and_time(chrono::NaiveTime::MIN) + TimeDelta::minutes(i64::from(minutes))
    }

    /// The zone of a stop's start (`end = false`) or end: the stop's own (a journey's or a
    /// stop before a journey) or the day's.
    pub fn zone_of(&self, s: &ExportStop, end: bool) -> Tz {
        let own = if end { s.end_zone } else { s.start_zone };
        own.unwrap_or(self.time_zone)
    }

    /// The instant of a local time. In a DST gap the clock is read an hour later; in an
    /// overlap the earlier instant is taken.
    pub fn instant(&self, minutes: u32) -> DateTime<Utc> {
        let local = self.local(minutes);
        let tz = self.time_zone;
        tz.from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(local + TimeDelta::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Weather {
    /// `clear`, `cloudy`, `rain`, `snow`, `storm`.
    pub sky: String,
    pub min_temp_c: Option<f64>,
    pub max_temp_c: Option<f64>,
    pub air: Option<String>,
}

/// Where a day starts or ends (hotel, arrival point).
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub name: String,
    pub position: GeoPoint,
    pub time: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopKind {
    Visit,
    Lunch,
    Dinner,
    Rest,
    /// A journey between cities (or from the arrival / to the departure point).
    Journey,
}

/// What an export shows of a journey.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportJourney {
    /// `train`, `flight`, `car`, `transit`, `walk`.
    pub mode: String,
    pub from: String,
    pub to: String,
    /// Where it ends (it starts at the stop's position).
    pub to_position: GeoPoint,
    /// Door-to-door minutes.
    pub minutes: u32,
    pub metres: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportStop {
    pub place_id: String,
    pub name: String,
    pub kind: StopKind,
    /// Planner category (`museum`, `restaurant`, …).
    pub category: String,
    pub position: GeoPoint,
    pub start: u32,
    pub end: u32,
    /// Why it is there, accessibility, indoor alternative, parking.
    pub notes: Vec<String>,
    /// Broken rules the traveller should know about (closed at that time, …).
    pub warnings: Vec<String>,
    /// Zone of `start` / `end` when not the day's: the morning before a journey is in the
    /// city left, a journey starts in one zone and ends in another.
    pub start_zone: Option<Tz>,
    pub end_zone: Option<Tz>,
    pub journey: Option<ExportJourney>,
}

impl ExportStop {
    pub fn minutes(&self) -> u32 {
        self.end.saturating_sub(self.start)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegMode {
    Walk,
    Transit,
    Car,
    Taxi,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportLeg {
    pub mode: LegMode,
    pub depart: u32,
    pub minutes: u32,
    pub metres: u32,
    /// The way travelled, first point = where the leg starts. Two points when only the
    /// ends are known.
    pub geometry: Vec<GeoPoint>,
}

/// What a base-map shape is; the map draws areas first, then lines, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BaseClass {
    Green,
    Park,
    Water,
    Building,
    Waterway,
    Path,
    MinorRoad,
    MajorRoad,
    Motorway,
    Rail,
}

/// One base-map shape: an area's rings (outer rings and holes, filled even-odd) or a
/// line's parts.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseShape {
    pub class: BaseClass,
    pub parts: Vec<Vec<GeoPoint>>,
}
