//! The trip's arrival and departure (issue 18): a local time and a point the traveller
//! names, resolved near the first (arrival) or last (departure) city through the
//! gazetteer port (airports, catalogue places). An unknown name is a field
//! error with suggestions — the city centre never stands in for it. The way between the
//! point and the hotel must fall inside its day: an arrival whose group reaches the hotel
//! after midnight belongs to the next day, a departure that needs leaving the hotel before
//! midnight to the day before.

use tripgen_planner::itinerary::Transport;
use tripgen_planner::itinerary::journey::{DEPARTURE_BUFFER_MIN, JourneyModel, rail_plausible};
use tripgen_platform::error::{ApiError, ApiResult, Validator};

use crate::domain::model::{Destination, TransportMode, TravelPoint};
use crate::domain::rules;
use crate::dto::TravelPointRequest;
use crate::ports::{City, PointMatch};

use super::TripService;

/// A point name has at most this many characters (airport names are long:
/// `Francisco de Sá Carneiro Airport`).
pub const POINT_NAME_MAX: usize = 60;

/// A point further than this from its city is not taken (a same-named place elsewhere).
pub const POINT_RADIUS_KM: f64 = 150.0;

/// Which end of the trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Arrival,
    Departure,
}

impl Which {
    pub fn field(self) -> &'static str {
        match self {
            Which::Arrival => "arrival",
            Which::Departure => "departure",
        }
    }
}

/// A point request's own fields, checked: `(time, place)`.
pub(crate) fn draft(
    v: &mut Validator,
    which: Which,
    req: &TravelPointRequest,
) -> Option<(String, String)> {
    let f = |name: &str| format!("{}.{name}", which.field());
    let time = match req.time.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(
                f("time"),
                "REQUIRED",
                match which {
                    Which::Arrival => "Enter the arrival time (HH:MM, local time).",
                    Which::Departure => "Enter the departure time (HH:MM, local time).",
                },
            );
            None
        }
        Some(t) => match rules::parse_clock_time(t) {
            Ok(t) => Some(t),
            Err((c, m)) => {
                v.add(f("time"), c, m);
                None
            }
        },
    };
    let place = match req.place.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(
                f("place"),
                "REQUIRED",
                "Name the airport, station or place (e.g. MUC or Munich Airport).",
            );
            None
        }
        Some(p) if p.chars().count() > POINT_NAME_MAX => {
            v.add(
                f("place"),
                "TOO_LONG",
                format!("A place name has at most {POINT_NAME_MAX} characters."),
            );
            None
        }
        Some(p) => Some(p.to_string()),
    };
    Some((time?, place?))
}

fn city_of(d: &Destination) -> City {
    City {
        name: d.city_name.clone(),
        position: d.position,
        time_zone: d.time_zone.clone(),
        country: d.country.clone(),
    }
}

/// Great-circle kilometres.
fn km(a: crate::domain::model::LatLon, b: crate::domain::model::LatLon) -> f64 {
    f64::from(crate::domain::changes::metres(a, b)) / 1000.0
}

impl TripService {
    /// Resolves a checked point near `dest` (the first city for the arrival, the last for
    /// the departure) and checks that its way to or from the hotel fits in the day.
    /// Problems are added to `v` (with suggestions by field); `Err` only when the
    /// gazetteer is unreachable.
    pub(crate) async fn resolve_point(
        &self,
        v: &mut Validator,
        suggestions: &mut serde_json::Map<String, serde_json::Value>,
        which: Which,
        (time, place): (String, String),
        dest: &Destination,
        transport: Option<TransportMode>,
    ) -> ApiResult<Option<TravelPoint>> {
        let field = format!("{}.place", which.field());
        let city = city_of(dest);
        let found = self
            .ports
            .gazetteer
            .resolve_point(&city, &dest.destination_name, &place)
            .await
            .map_err(|e| {
                tracing::warn!(error = %format!("{e:#}"), "gazetteer unavailable");
                ApiError::unavailable("The place directory is not reachable right now; try again.")
            })?;
        let found = match found {
            PointMatch::Found(p) if km(p.position, dest.position) <= POINT_RADIUS_KM => Some(p),
            // A place of that name far away is not the one meant.
            PointMatch::Found(_) => unknown(v, suggestions, &field, &place, &city, Vec::new()),
            PointMatch::NotFound { suggestions: s } => {
                unknown(v, suggestions, &field, &place, &city, s)
            }
        };
        let Some(found) = found else {
            return Ok(None);
        };
        let point = TravelPoint {
            time,
            place,
            name: found.name,
            kind: found.kind,
            position: found.position,
            time_zone: found.time_zone.unwrap_or_else(|| dest.time_zone.clone()),
        };
        if let Err((code, msg)) = fits_the_day(which, &point, dest, transport) {
            v.add(format!("{}.time", which.field()), code, msg);
            return Ok(None);
        }
        Ok(Some(point))
    }
}

/// A field error for an unknown point, with the known ones nearby as suggestions.
fn unknown(
    v: &mut Validator,
    suggestions: &mut serde_json::Map<String, serde_json::Value>,
    field: &str,
    place: &str,
    city: &City,
    known: Vec<String>,
) -> Option<crate::ports::FoundPoint> {
    let listed = if known.is_empty() {
        String::new()
    } else {
        format!(" Known near {}: {}.", city.name, known.join(", "))
    };
    v.add(
        field,
        "UNKNOWN_PLACE",
        format!(
            "We do not know `{place}` within {POINT_RADIUS_KM:.0} km of {}: name an airport (its \
             name or code, e.g. MUC) or a place of the map. The city centre does not stand in \
             for it.{listed}",
            city.name
        ),
    );
    suggestions.insert(field.to_string(), serde_json::json!(known));
    None
}

/// `(code, message)` when the way between the point and the hotel leaves its day: the
/// arrival's group reaches the hotel after midnight, the departure needs leaving the hotel
/// before midnight. Same model and numbers as the plan (docs/journeys.md).
pub fn fits_the_day(
    which: Which,
    p: &TravelPoint,
    dest: &Destination,
    transport: Option<TransportMode>,
) -> Result<(), (&'static str, String)> {
    let transport = match transport {
        Some(TransportMode::Car) => Transport::Car,
        _ => Transport::Public,
    };
    let rail = rail_plausible(&p.time_zone, &dest.time_zone);
    let way = JourneyModel::default()
        .estimate(p.position, dest.lodging, transport, rail)
        .minutes;
    let at = rules::clock_minutes(&p.time);
    let hm = |m: u32| format!("{:02}:{:02}", (m / 60) % 24, m % 60);
    match which {
        Which::Arrival if at + way >= 24 * 60 => Err((
            "ARRIVAL_AFTER_DAY_END",
            format!(
                "Arriving at {} at {}, the group reaches the hotel at about {} — after the first day \
                 ends (midnight). The trip starts on the day of arrival at the first city: move the \
                 start date to the next day, or give an earlier time.",
                p.name,
                p.time,
                hm(at + way)
            ),
        )),
        Which::Departure if at < DEPARTURE_BUFFER_MIN + way => Err((
            "DEPARTURE_BEFORE_DAY_START",
            format!(
                "Leaving {} at {}, the group must be there {DEPARTURE_BUFFER_MIN} minutes before and \
                 the way from the hotel takes about {way} minutes: it would leave before the last day \
                 begins (midnight). End the trip a day earlier, or give a later time.",
                p.name, p.time
            ),
        )),
        _ => Ok(()),
    }
}
