//! What the trip context needs from other contexts, as ports it owns. The composition
//! root (`tripgen::app`) plugs in adapters backed by the location context (gazetteer,
//! travel times, place catalogue) and the planner (plan validator); in split mode the same
//! traits are implemented by HTTP clients.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::model::{LatLon, PointKind, TransportMode};
use crate::domain::schedule::{self, DayPlan, LegEstimate, Mode, OpenInterval, Violation};

/// Re-exported so adapters (and test doubles) implement the ports with the same macro.
pub use async_trait::async_trait;
/// What the base-map port answers (the export model's shapes).
pub use tripgen_export::{BaseClass, BaseShape};

/// A city as the gazetteer knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub name: String,
    pub position: LatLon,
    /// IANA zone name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// ISO country code when known.
    pub country: Option<String>,
}

/// Answer of a city lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum CityMatch {
    Found(City),
    /// Unknown name; close names the gazetteer knows (may be empty).
    NotFound {
        suggestions: Vec<String>,
    },
}

/// A named point a trip arrives at or leaves from, as found.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPoint {
    /// What was found (`Munich International Airport (MUC)`).
    pub name: String,
    pub kind: PointKind,
    pub position: LatLon,
    /// IANA zone of the point, when the source knows it.
    pub time_zone: Option<String>,
}

/// Answer of a travel point lookup.
#[derive(Debug, Clone, PartialEq)]
pub enum PointMatch {
    Found(FoundPoint),
    /// Nothing of that name near the city; known points nearby (may be empty).
    NotFound {
        suggestions: Vec<String>,
    },
}

/// Cities and hotels (TRIP-040). Errors mean "the gazetteer is unavailable" (503).
#[async_trait]
pub trait Gazetteer: Send + Sync + 'static {
    async fn resolve_city(&self, name: &str) -> anyhow::Result<CityMatch>;
    /// Position of a hotel of that name in that city, when the catalogue knows it.
    async fn resolve_hotel(&self, city: &City, hotel_name: &str) -> anyhow::Result<Option<LatLon>>;
    /// An arrival or departure point of that name near `city` (an airport, a catalogue
    /// place); `typed` is the city as the traveller wrote it (`München`), another name the
    /// point may be called by. Never the city centre in place of an unknown name.
    async fn resolve_point(
        &self,
        _city: &City,
        _typed: &str,
        _name: &str,
    ) -> anyhow::Result<PointMatch> {
        Ok(PointMatch::NotFound {
            suggestions: Vec::new(),
        })
    }
}

/// Door-to-door travel estimates. `Ok(None)` = that mode cannot do this leg.
#[async_trait]
pub trait TravelTimes: Send + Sync + 'static {
    /// `step_free`: walking keeps off stairs (a group with a `limited` member).
    async fn estimate(
        &self,
        from: LatLon,
        to: LatLon,
        mode: Mode,
        step_free: bool,
    ) -> anyhow::Result<Option<LegEstimate>>;

    /// The street shape of a leg, start and end included; `Ok(None)` when only the
    /// straight line is known (no street graph there, or an adapter without routes).
    async fn path(
        &self,
        _from: LatLon,
        _to: LatLon,
        _mode: Mode,
        _step_free: bool,
    ) -> anyhow::Result<Option<Vec<LatLon>>> {
        Ok(None)
    }

    /// A public-transport leg on an imported timetable from a known departure (`depart`
    /// minutes after midnight of `date`): lines, stops, times and path; `Ok(None)` where
    /// no timetable serves the leg then (the headway model's estimate stands).
    async fn transit_journey(
        &self,
        _from: LatLon,
        _to: LatLon,
        _date: NaiveDate,
        _depart: u32,
        _step_free: bool,
    ) -> anyhow::Result<Option<TransitJourney>> {
        Ok(None)
    }
}

/// What [`TravelTimes::transit_journey`] answers.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitJourney {
    /// Door to door from the departure.
    pub minutes: u32,
    pub rides: Vec<schedule::LegRide>,
    pub path: Vec<LatLon>,
}

/// A place of the catalogue, as a schedule edit inserts it.
#[derive(Debug, Clone, PartialEq)]
pub struct CataloguePlace {
    pub id: String,
    pub name: String,
    /// Planner category (`museum`, `restaurant`, …).
    pub category: String,
    pub position: LatLon,
    /// Typical visit length.
    pub visit_minutes: u32,
    pub indoor: bool,
    /// Opening hours on the date asked for: `None` unknown, `Some([])` closed that day.
    pub hours: Option<Vec<OpenInterval>>,
}

/// What a nearby replacement must satisfy (change detection, TRIP-062).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenNearby {
    pub near: LatLon,
    /// Planner category of the place to replace.
    pub category: String,
    pub date: NaiveDate,
    /// The visit to fit, minutes since local midnight.
    pub start: u32,
    pub end: u32,
    pub radius_m: f64,
    /// Places already in the trip.
    pub exclude: HashSet<String>,
}

/// The place catalogue (location context).
#[async_trait]
pub trait PlaceCatalogue: Send + Sync + 'static {
    /// The place and its opening hours on `date` (local to the place).
    async fn place(
        &self,
        place_id: &str,
        date: NaiveDate,
    ) -> anyhow::Result<Option<CataloguePlace>>;

    /// Places of the same category open for the whole visit, nearest first (at most
    /// `limit`). Catalogues that cannot search answer none.
    async fn open_nearby(
        &self,
        _query: &OpenNearby,
        _limit: usize,
    ) -> anyhow::Result<Vec<CataloguePlace>> {
        Ok(Vec::new())
    }
}

/// Current forecasts (location context's weather providers), one per date; `None` for a
/// date the provider does not cover. Used by change detection (TRIP-062).
#[async_trait]
pub trait Forecasts: Send + Sync + 'static {
    async fn forecast(
        &self,
        position: LatLon,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<Option<schedule::DayWeather>>>;
}

/// No forecast service (the embedded default): change detection checks opening hours only.
pub struct NoForecasts;

#[async_trait]
impl Forecasts for NoForecasts {
    async fn forecast(
        &self,
        _position: LatLon,
        dates: &[NaiveDate],
    ) -> anyhow::Result<Vec<Option<schedule::DayWeather>>> {
        Ok(vec![None; dates.len()])
    }
}

/// The base map under export maps (issue 20): the shapes (water, parks, buildings,
/// roads…) of the area `bbox` = west, south, east, north in degrees, from the server's
/// vector tiles. An empty list where no tile set covers the area.
#[async_trait]
pub trait BaseMaps: Send + Sync + 'static {
    async fn shapes(&self, bbox: [f64; 4]) -> anyhow::Result<Vec<BaseShape>>;
}

/// No base map (no tiles here): export maps draw the route on a plain background.
pub struct NoBaseMaps;

#[async_trait]
impl BaseMaps for NoBaseMaps {
    async fn shapes(&self, _bbox: [f64; 4]) -> anyhow::Result<Vec<BaseShape>> {
        Ok(Vec::new())
    }
}

/// What a plan validator is given for one edited day.
pub struct DayCheck<'a> {
    pub trip_id: Uuid,
    pub transport: TransportMode,
    pub day: &'a DayPlan,
    /// Place ids used on the trip's other days.
    pub elsewhere: &'a HashSet<String>,
}

/// Checks the hard rules of an edited day; every violation returned is hard (the edit is
/// saved only with `force=true`).
#[async_trait]
pub trait PlanValidator: Send + Sync + 'static {
    async fn validate_day(&self, check: &DayCheck<'_>) -> anyhow::Result<Vec<Violation>>;
}

/// Built-in validator: opening hours from the catalogue, the day's end, leg limits,
/// duplicates and time order ([`schedule::check_day`]). The lead may replace it with the
/// planner's independent validator (`planner::itinerary::validate_plan`) behind this port.
pub struct RuleValidator {
    places: Arc<dyn PlaceCatalogue>,
}

impl RuleValidator {
    pub fn new(places: Arc<dyn PlaceCatalogue>) -> Self {
        RuleValidator { places }
    }
}

#[async_trait]
impl PlanValidator for RuleValidator {
    async fn validate_day(&self, check: &DayCheck<'_>) -> anyhow::Result<Vec<Violation>> {
        let mut hours = HashMap::new();
        for s in &check.day.stops {
            if hours.contains_key(&s.place_id) || s.journey.is_some() {
                continue;
            }
            let h = self
                .places
                .place(&s.place_id, check.day.date)
                .await?
                .and_then(|p| p.hours);
            hours.insert(s.place_id.clone(), h);
        }
        Ok(schedule::check_day(check.day, &hours, check.elsewhere))
    }
}

/// The adapters the trip context runs with.
#[derive(Clone)]
pub struct Ports {
    pub gazetteer: Arc<dyn Gazetteer>,
    pub travel_times: Arc<dyn TravelTimes>,
    pub places: Arc<dyn PlaceCatalogue>,
    pub validator: Arc<dyn PlanValidator>,
    /// Current forecasts for change detection; [`NoForecasts`] unless wired.
    pub forecasts: Arc<dyn Forecasts>,
    /// The base map of export maps; [`NoBaseMaps`] unless wired.
    pub base_maps: Arc<dyn BaseMaps>,
}

impl Ports {
    /// Ports with the built-in [`RuleValidator`] over `places`.
    pub fn new(
        gazetteer: Arc<dyn Gazetteer>,
        travel_times: Arc<dyn TravelTimes>,
        places: Arc<dyn PlaceCatalogue>,
    ) -> Ports {
        Ports {
            validator: Arc::new(RuleValidator::new(places.clone())),
            forecasts: Arc::new(NoForecasts),
            base_maps: Arc::new(NoBaseMaps),
            gazetteer,
            travel_times,
            places,
        }
    }

    pub fn with_validator(mut self, validator: Arc<dyn PlanValidator>) -> Ports {
        self.validator = validator;
        self
    }

    pub fn with_forecasts(mut self, forecasts: Arc<dyn Forecasts>) -> Ports {
        self.forecasts = forecasts;
        self
    }

    pub fn with_base_maps(mut self, base_maps: Arc<dyn BaseMaps>) -> Ports {
        self.base_maps = base_maps;
        self
    }
}
