//! Journeys: how a group gets from one city's hotel to the next (or from the trip's arrival
//! point to the first hotel, or from the last hotel to the departure point), by which mode
//! and how long door to door. One documented model (docs/journeys.md): the distance, the
//! trip's transport and whether rail is plausible choose the mode; fixed overheads (getting
//! to the station or airport, check-in and security, baggage, getting from it) plus the
//! in-vehicle time at a mode speed give the duration. The result is an **estimate**: no
//! timetable, no flight number.
//!
//! A travel day is one day of the plan: the morning in A (back at the hotel by the journey's
//! departure, the check-out), the journey as a stop of kind `journey`, the evening in B (from
//! check-in). Times of the morning are A's local time, times from the journey's end on are
//! B's: the journey carries both zones and their UTC offsets on that date.

use serde::{Deserialize, Serialize};

use super::category::Category;
use super::journey_links::{JourneyLinks, JourneyVia};
use super::model::{
    Anchor, DayPlan, LatLon, Minutes, Reason, ReasonCode, Stop, StopKind, TextParams, Transport,
};
use super::travel::haversine_m;

/// Time to be at the departure point before the train or plane leaves: a flight's
/// check-in and security (docs/journeys.md); generous for a station.
pub const DEPARTURE_BUFFER_MIN: Minutes = 90;

/// How a journey is travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum JourneyMode {
    Walk,
    Transit,
    Train,
    Flight,
    Car,
    Ferry,
}

impl JourneyMode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            JourneyMode::Walk => "walk",
            JourneyMode::Transit => "transit",
            JourneyMode::Train => "train",
            JourneyMode::Flight => "flight",
            JourneyMode::Car => "car",
            JourneyMode::Ferry => "ferry",
        }
    }
}

/// Which journey of the trip this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum JourneyKind {
    /// From the trip's arrival point (airport, station …) to the first hotel.
    Arrival,
    /// From one city's hotel to the next city's.
    Transfer,
    /// From the last hotel to the trip's departure point.
    Departure,
}

/// One end of a journey: a place, its time zone and the zone's UTC offset on that date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JourneyEnd {
    pub name: String,
    /// City of this end (empty when unknown).
    #[serde(default)]
    pub city: String,
    pub position: LatLon,
    /// IANA zone (`Europe/Berlin`).
    pub time_zone: String,
    /// Offset of local time from UTC in minutes on the journey's date (CEST = 120).
    pub utc_offset_minutes: i32,
}

/// One part of the door-to-door time (`ACCESS`, `CHECK_IN`, `IN_VEHICLE`, `BAGGAGE`,
/// `EGRESS`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JourneyPart {
    pub code: String,
    pub minutes: Minutes,
}

/// A journey of the plan. `depart` is local time at `from`, `arrive` and `ready` local time
/// at `to` (minutes since local midnight of the day; past midnight counts on: 25:10 = 1510).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Journey {
    pub kind: JourneyKind,
    pub mode: JourneyMode,
    pub from: JourneyEnd,
    pub to: JourneyEnd,
    /// Leaving `from` (local time at `from`).
    pub depart: Minutes,
    /// At `to`, door to door (local time at `to`).
    pub arrive: Minutes,
    /// When the day goes on at `to`: the arrival, or the hotel's check-in if later.
    pub ready: Minutes,
    /// Door-to-door minutes (overheads included).
    pub minutes: Minutes,
    /// Great-circle distance between the two ends.
    pub metres: u32,
    pub parts: Vec<JourneyPart>,
    /// Always `true`: times come from the documented model, not from a timetable.
    pub estimate: bool,
    /// The stations or ferry terminals of the imported OSM data the journey goes through
    /// (absent: none known, the model's flat access times apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<JourneyVia>,
}

/// The numbers of the journey model (docs/journeys.md gives their sources).
#[derive(Clone, Debug, PartialEq)]
pub struct JourneyModel {
    /// Up to this great-circle distance a journey is walked (public transport trips).
    pub walk_max_km: f64,
    pub walk_kmh: f64,
    /// Below this distance a public-transport journey is local or regional transit.
    pub train_min_km: f64,
    /// Above this distance (or where rail is not plausible) the group flies.
    pub train_max_km: f64,
    pub transit_kmh: f64,
    pub transit_overhead_min: f64,
    pub train_kmh: f64,
    pub rail_detour: f64,
    pub station_access_min: f64,
    pub station_buffer_min: f64,
    pub flight_kmh: f64,
    pub flight_taxi_climb_min: f64,
    pub airport_access_min: f64,
    pub airport_check_in_min: f64,
    pub airport_baggage_min: f64,
    pub car_kmh: f64,
    pub road_detour: f64,
    pub car_load_park_min: f64,
    /// A 15-minute break per this many hours at the wheel.
    pub car_break_every_h: f64,
    /// Sea crossings up to this great-circle distance go by ferry, longer ones are flown.
    pub ferry_max_km: f64,
    pub ferry_kmh: f64,
    pub sea_detour: f64,
    pub port_access_min: f64,
    pub ferry_check_in_min: f64,
    pub ferry_disembark_min: f64,
}

impl Default for JourneyModel {
    fn default() -> Self {
        JourneyModel {
            walk_max_km: 1.5,
            walk_kmh: 4.5,
            train_min_km: 50.0,
            train_max_km: 800.0,
            transit_kmh: 30.0,
            transit_overhead_min: 15.0,
            train_kmh: 110.0,
            rail_detour: 1.2,
            station_access_min: 30.0,
            station_buffer_min: 15.0,
            flight_kmh: 780.0,
            flight_taxi_climb_min: 30.0,
            airport_access_min: 45.0,
            airport_check_in_min: 90.0,
            airport_baggage_min: 30.0,
            car_kmh: 85.0,
            road_detour: 1.25,
            car_load_park_min: 15.0,
            car_break_every_h: 2.0,
            ferry_max_km: 450.0,
            ferry_kmh: 30.0,
            sea_detour: 1.1,
            port_access_min: 30.0,
            ferry_check_in_min: 60.0,
            ferry_disembark_min: 30.0,
        }
    }
}

/// Mode, door-to-door minutes and their parts.
#[derive(Clone, Debug, PartialEq)]
pub struct JourneyEstimate {
    pub mode: JourneyMode,
    pub minutes: Minutes,
    pub metres: u32,
    pub parts: Vec<JourneyPart>,
}

fn part(code: &str, minutes: f64) -> JourneyPart {
    JourneyPart {
        code: code.into(),
        minutes: minutes.max(0.0).ceil() as Minutes,
    }
}

/// Zones whose land is an island or another continent's: no train to or from them, except
/// within the same zone (a train across Great Britain or Japan is plausible, one from
/// Madeira is not). Zones of different continents (`Europe/…` vs `America/…`) never share
/// a railway either. A sea crossing inside one zone (the Balearics in `Europe/Madrid`) is
/// seen by the island table of `sea.rs`.
const ISLAND_ZONES: [&str; 16] = [
    "Atlantic/Azores",
    "Atlantic/Canary",
    "Atlantic/Madeira",
    "Atlantic/Reykjavik",
    "Europe/Dublin",
    "Europe/Malta",
    "Asia/Nicosia",
    "Europe/Nicosia",
    "Asia/Tokyo",
    "Asia/Taipei",
    "Asia/Manila",
    "Asia/Jakarta",
    "Asia/Colombo",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "Australia/Hobart",
];

/// Whether a train between places in these zones is plausible (same zone always; else same
/// continent and neither zone an island's).
pub fn rail_plausible(zone_a: &str, zone_b: &str) -> bool {
    if zone_a == zone_b {
        return true;
    }
    let continent = |z: &str| z.split('/').next().unwrap_or("").to_string();
    continent(zone_a) == continent(zone_b)
        && !ISLAND_ZONES.contains(&zone_a)
        && !ISLAND_ZONES.contains(&zone_b)
}

impl JourneyModel {
    /// Mode and door-to-door time from `from` to `to` for a trip travelling by `transport`.
    pub fn estimate(
        &self,
        from: LatLon,
        to: LatLon,
        transport: Transport,
        rail: bool,
    ) -> JourneyEstimate {
        let metres = haversine_m(from, to);
        let km = metres / 1000.0;
        let sea = super::sea::crosses_sea(from, to);
        let rail = rail && !sea;
        let far = km > self.train_max_km || (!rail && km >= self.train_min_km);
        let (mode, parts) = if sea && km <= self.ferry_max_km {
            // Across the sea to (or between) islands with ferries: the ferry, with the car
            // on board for a car trip.
            (
                JourneyMode::Ferry,
                vec![
                    part("ACCESS", self.port_access_min),
                    part("CHECK_IN", self.ferry_check_in_min),
                    part("IN_VEHICLE", km * self.sea_detour / self.ferry_kmh * 60.0),
                    part("BAGGAGE", self.ferry_disembark_min),
                    part("EGRESS", self.port_access_min),
                ],
            )
        } else if far || sea {
            // Beyond a day's train ride, or across the sea: a flight.
            let air = self.flight_taxi_climb_min + km / self.flight_kmh * 60.0;
            (
                JourneyMode::Flight,
                vec![
                    part("ACCESS", self.airport_access_min),
                    part("CHECK_IN", self.airport_check_in_min),
                    part("IN_VEHICLE", air),
                    part("BAGGAGE", self.airport_baggage_min),
                    part("EGRESS", self.airport_access_min),
                ],
            )
        } else if transport == Transport::Car {
            let hours = km * self.road_detour / self.car_kmh;
            let breaks = (hours / self.car_break_every_h).floor() * 15.0;
            (
                JourneyMode::Car,
                vec![
                    part("ACCESS", self.car_load_park_min),
                    part("IN_VEHICLE", hours * 60.0 + breaks),
                ],
            )
        } else if km <= self.walk_max_km {
            (
                JourneyMode::Walk,
                vec![part("IN_VEHICLE", km * 1.3 / self.walk_kmh * 60.0)],
            )
        } else if km < self.train_min_km {
            (
                JourneyMode::Transit,
                vec![
                    part("ACCESS", self.transit_overhead_min),
                    part("IN_VEHICLE", km * 1.3 / self.transit_kmh * 60.0),
                ],
            )
        } else {
            (
                JourneyMode::Train,
                vec![
                    part("ACCESS", self.station_access_min),
                    part("CHECK_IN", self.station_buffer_min),
                    part("IN_VEHICLE", km * self.rail_detour / self.train_kmh * 60.0),
                    part("EGRESS", self.station_access_min),
                ],
            )
        };
        JourneyEstimate {
            mode,
            minutes: parts.iter().map(|p| p.minutes).sum(),
            metres: metres.round() as u32,
            parts,
        }
    }

    /// A journey leaving `from` at `depart` (local time there); `check_in` is the earliest
    /// time the day goes on at `to` (0 for a point without one).
    pub fn journey(
        &self,
        kind: JourneyKind,
        from: JourneyEnd,
        to: JourneyEnd,
        depart: Minutes,
        check_in: Minutes,
        transport: Transport,
    ) -> Journey {
        let none = JourneyLinks::default();
        self.journey_with(kind, from, to, depart, check_in, transport, &none)
    }

    /// [`JourneyModel::journey`] through the stations and ferry routes of the data.
    #[allow(clippy::too_many_arguments)]
    pub fn journey_with(
        &self,
        kind: JourneyKind,
        from: JourneyEnd,
        to: JourneyEnd,
        depart: Minutes,
        check_in: Minutes,
        transport: Transport,
        links: &JourneyLinks,
    ) -> Journey {
        let rail = rail_plausible(&from.time_zone, &to.time_zone);
        let (e, via) = self.estimate_with(from.position, to.position, transport, rail, links);
        let arrive = local_arrival(
            depart,
            e.minutes,
            from.utc_offset_minutes,
            to.utc_offset_minutes,
        );
        Journey {
            kind,
            mode: e.mode,
            depart,
            arrive,
            ready: arrive.max(check_in),
            minutes: e.minutes,
            metres: e.metres,
            parts: e.parts,
            estimate: true,
            via,
            from,
            to,
        }
    }
}

/// Local time at the destination of leaving at `depart` (local at the origin) for
/// `minutes`: through UTC, so the two zones' times are consistent. Before midnight of the
/// day (a westward journey at dawn) is clamped to 0.
pub fn local_arrival(
    depart: Minutes,
    minutes: Minutes,
    from_offset: i32,
    to_offset: i32,
) -> Minutes {
    let t = i64::from(depart) + i64::from(minutes) - i64::from(from_offset) + i64::from(to_offset);
    t.clamp(0, i64::from(u32::MAX)) as Minutes
}

/// The journey as a stop of the day: reached at `arrival` (at its start point), running
/// from its departure to the time the day goes on at its end.
pub fn journey_stop(j: &Journey, arrival: Minutes) -> Stop {
    let mut params = TextParams::new();
    params.insert("from".into(), place_label(&j.from));
    params.insert("to".into(), place_label(&j.to));
    params.insert("mode".into(), j.mode.as_str().into());
    params.insert("minutes".into(), j.minutes.to_string());
    let hubs = j.via.as_ref().map(|v| {
        let name = |h: &Option<super::journey_links::Hub>| h.as_ref().map(|h| h.name.clone());
        (name(&v.from), name(&v.to))
    });
    let mut via_text = String::new();
    if let Some((from_hub, to_hub)) = hubs {
        via_text = match (&from_hub, &to_hub) {
            (Some(a), Some(b)) => format!(" ({a} → {b})"),
            (Some(a), None) => format!(" (from {a})"),
            (None, Some(b)) => format!(" (to {b})"),
            (None, None) => String::new(),
        };
        params.extend(from_hub.map(|h| ("fromHub".to_string(), h)));
        params.extend(to_hub.map(|h| ("toHub".to_string(), h)));
    }
    Stop {
        place_id: format!("journey:{}", j.kind_key()),
        name: format!("{} → {}", place_label(&j.from), place_label(&j.to)),
        kind: StopKind::Journey,
        category: Category::Other,
        position: j.from.position,
        arrival: arrival.min(j.depart),
        start: j.depart,
        end: j.ready,
        indoor: true,
        reason: Reason {
            code: ReasonCode::Journey,
            text: format!(
                "{} from {} to {}{via_text}: about {} h {:02} min door to door (an estimate, no timetable). {}",
                mode_label(j.mode),
                place_label(&j.from),
                place_label(&j.to),
                j.minutes / 60,
                j.minutes % 60,
                match j.kind {
                    JourneyKind::Departure => "Luggage: bring it from the hotel.",
                    _ if j.from.city.is_empty() => "",
                    _ => "Luggage: check out and take it along.",
                }
            )
            .trim_end()
            .to_string(),
            params,
        },
        accessibility_note: None,
        access: None,
        indoor_alternative: None,
        parking: None,
        journey: Some(j.clone()),
    }
}

/// A city's name for a hotel, the point's own name for an arrival or departure point.
fn place_label(e: &JourneyEnd) -> String {
    if e.city.is_empty() {
        e.name.clone()
    } else {
        e.city.clone()
    }
}

fn mode_label(m: JourneyMode) -> &'static str {
    match m {
        JourneyMode::Walk => "Walk",
        JourneyMode::Transit => "Public transport",
        JourneyMode::Train => "Train",
        JourneyMode::Flight => "Flight",
        JourneyMode::Car => "Drive",
        JourneyMode::Ferry => "Ferry",
    }
}

impl Journey {
    fn kind_key(&self) -> String {
        let key = |e: &JourneyEnd| {
            if e.city.is_empty() {
                e.name.to_lowercase()
            } else {
                e.city.to_lowercase()
            }
        };
        format!("{}>{}", key(&self.from), key(&self.to))
    }
}

/// The travel day: `morning` (ending back at the hotel of A by the journey's departure),
/// the journey, `evening` (starting at the hotel of B when the journey is `ready`). Either
/// part may be absent (the first day starts with the arrival journey, the last day ends
/// with the departure journey). The legs stay `stops + 1`: the morning's last leg leads to
/// the journey's start, the evening's first leg leaves from its end.
pub fn travel_day(
    morning: Option<DayPlan>,
    journey: &Journey,
    evening: Option<DayPlan>,
) -> Option<DayPlan> {
    let (start, arrival, mut day) = match (&morning, &evening) {
        (Some(m), _) => (m.start.clone(), m.return_time, m.clone()),
        (None, Some(e)) => {
            let start = Anchor {
                name: journey.from.name.clone(),
                position: journey.from.position,
                time: journey.depart,
            };
            (start, journey.depart, e.clone())
        }
        (None, None) => return None,
    };
    let stop = journey_stop(journey, arrival);
    day.start = start;
    match (morning, evening) {
        (Some(m), Some(e)) => {
            day.stops = m.stops;
            day.stops.push(stop);
            day.stops.extend(e.stops);
            day.legs = m.legs;
            day.legs.extend(e.legs);
            day.end = e.end;
            day.return_time = e.return_time;
            day.walking_metres = m.walking_metres + e.walking_metres;
            day.walking_kcal = m.walking_kcal + e.walking_kcal;
            for (n, c) in e.weather_notes.into_iter().zip(e.weather_note_codes) {
                if !day.weather_note_codes.contains(&c) {
                    day.weather_notes.push(n);
                    day.weather_note_codes.push(c);
                }
            }
            day.warnings.extend(e.warnings);
        }
        (Some(m), None) => {
            // The day ends at the departure point.
            let mut legs = m.legs;
            legs.push(still_leg(journey.ready));
            day.stops.push(stop);
            day.legs = legs;
            day.end = Anchor {
                name: journey.to.name.clone(),
                position: journey.to.position,
                time: journey.ready,
            };
            day.return_time = journey.ready;
        }
        (None, Some(e)) => {
            let mut legs = vec![still_leg(journey.depart)];
            legs.extend(e.legs);
            day.stops = vec![stop];
            day.stops.extend(e.stops);
            day.legs = legs;
        }
        (None, None) => return None,
    }
    Some(day)
}

/// A leg of no length: the journey starts where the day starts, or ends where it ends.
fn still_leg(at: Minutes) -> super::model::Leg {
    super::model::Leg {
        mode: super::model::Mode::Walk,
        depart: at,
        minutes: 0,
        metres: 0,
        kcal: Some(0),
        path: None,
    }
}

#[cfg(test)]
#[path = "journey_tests.rs"]
mod tests;
