//! Wire types of the location API (camelCase).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::gazetteer::City;
use crate::geo::GeoPoint;
use crate::opening_hours::DaySchedule;
use crate::place::{Place, PlaceSummary};

/// Where a search starts: coordinates, a catalogue place, or a name to look up.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Origin {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub place_id: Option<String>,
    /// A place or city name (any of local, English, Korean).
    pub query: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NearbyBody {
    #[serde(default)]
    pub origin: Origin,
    /// `walk` (default), `transit` or `car`.
    pub mode: Option<String>,
    /// Minutes: 10, 30 or 60.
    pub budget: Option<i64>,
    /// `all`, `sights`, `food` (incl. cafés and bars), `laundry`, or a single category.
    pub category: Option<String>,
    pub keyword: Option<String>,
    /// `travelTime` (default), `rating`, `name`, `reviewCount`, `significance`.
    pub sort: Option<String>,
    /// Page size 1–100 (default 20).
    pub limit: Option<i64>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct KeywordParams {
    /// Text to find in place names (any language).
    pub q: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Metres around lat/lon (default 5000, at most 50000).
    pub radius: Option<f64>,
    pub category: Option<String>,
    /// `relevance` (default without a point), `distance` (default with one), `name`, `rating`, `reviewCount`.
    pub sort: Option<String>,
    /// 0-based page.
    pub page: Option<u32>,
    /// 1–50 (default 20).
    pub size: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KeywordHit {
    #[schema(value_type = Object)]
    pub place: PlaceSummary,
    pub distance_metres: Option<u32>,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
    #[serde(skip)]
    pub relevance_rank: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KeywordPage {
    pub items: Vec<KeywordHit>,
    pub page: u32,
    pub size: u32,
    pub total: usize,
    pub has_more: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CityRef {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub name_ko: Option<String>,
}

/// Opening hours evaluated in the place's own time zone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Hours {
    pub time_zone: String,
    /// Local date-time the evaluation used.
    pub local_time: String,
    /// `open`, `closed` or `unknown` (no or unparseable hours are never `open`).
    pub state: String,
    pub minute_of_day: u16,
    pub next_change: Option<String>,
    #[schema(value_type = Object)]
    pub today: DaySchedule,
    #[schema(value_type = Vec<Object>)]
    pub week: Vec<DaySchedule>,
    /// The raw OSM `opening_hours` value, so anyone can re-check.
    pub opening_hours: Option<String>,
    pub malformed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaceDetail {
    #[schema(value_type = Object)]
    pub place: Place,
    pub city: Option<CityRef>,
    pub hours: Hours,
    /// Only when a provider supplies them (OSM has none).
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
    /// What to type into a map app to find the place.
    pub search_keyword: String,
    pub parking_keyword: String,
    /// Kakao Map inside Korea, Google Maps elsewhere.
    pub directions_url: String,
    pub attribution: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GeocodeHit {
    /// `city` or `place`.
    pub kind: String,
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub name_ko: Option<String>,
    #[schema(value_type = Object)]
    pub position: GeoPoint,
    pub time_zone: Option<String>,
    pub country: Option<String>,
    /// South-west and north-east corners `[minLat, minLon, maxLat, maxLon]` (cities).
    pub bbox: Option<[f64; 4]>,
    pub category: Option<String>,
    pub place_count: u64,
    /// Cities: whether the catalogue has places there (trips can be planned); places: true.
    pub has_places: bool,
    /// Cities without places: how to import them (English; clients show their own text).
    pub import_hint: Option<String>,
    /// Cities: the stable GeoNames id (world gazetteer, CC BY 4.0), when it lists the city.
    pub geonames_id: Option<u32>,
    /// Cities: inhabitants (GeoNames or OpenStreetMap), when known.
    pub population: Option<u64>,
}

/// What a client tells its user to do for a city without places.
pub fn import_hint(city_name: &str) -> String {
    format!(
        "No places of {city_name} are in the catalogue yet. Import an OpenStreetMap extract of \
         the city to plan trips there: `tripgen import osm <extract>.osm.pbf` (extracts: \
         download.geofabrik.de, extract.bbbike.org)."
    )
}

impl GeocodeHit {
    pub fn city(c: &City) -> Self {
        GeocodeHit {
            kind: "city".into(),
            id: c.id.clone(),
            name: c.name.clone(),
            name_en: c.name_en.clone(),
            name_ko: c.name_ko.clone(),
            position: c.centre,
            time_zone: c.time_zone.clone(),
            country: c.country.clone(),
            bbox: Some([
                c.bbox.min_lat,
                c.bbox.min_lon,
                c.bbox.max_lat,
                c.bbox.max_lon,
            ]),
            category: None,
            place_count: c.place_count,
            has_places: c.place_count > 0,
            import_hint: (c.place_count == 0)
                .then(|| import_hint(c.name_en.as_deref().unwrap_or(&c.name))),
            geonames_id: c.geonames_id,
            population: c.population,
        }
    }

    pub fn place(s: &PlaceSummary, tz: &str) -> Self {
        GeocodeHit {
            kind: "place".into(),
            id: s.id.as_str().to_string(),
            name: s.names.local.clone(),
            name_en: s.names.en.clone(),
            name_ko: s.names.ko.clone(),
            position: s.position,
            time_zone: Some(tz.to_string()),
            country: None,
            bbox: None,
            category: Some(s.category.as_str().to_string()),
            place_count: 0,
            has_places: true,
            import_hint: None,
            geonames_id: None,
            population: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub mode: String,
    pub minutes: u32,
    pub metres: u32,
    /// Which travel-time provider answered: `osrm`, `google`, `embedded` (the street
    /// graph of an imported extract) or `straight-line`.
    pub provider: String,
    /// `[lon, lat]` pairs (GeoJSON order).
    pub geometry: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RouteParams {
    /// `lat,lon` or a place id.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `walk` (default), `transit`, `car`.
    pub mode: Option<String>,
    /// `true`: walking keeps off stairs (the embedded street router; for travellers who
    /// need step-free ways). Default `false`.
    #[serde(rename = "stepFree")]
    pub step_free: Option<String>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GeocodeParams {
    /// City or place name (ko, en or local).
    pub q: Option<String>,
    /// 1–20 (default 10).
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HoursParams {
    /// First day of the week view (default: today in the place's time zone).
    pub date: Option<String>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResolveParams {
    /// City name in any language (`München`, `Munich`, `뮌헨`).
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedCity {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub name_ko: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub time_zone: Option<String>,
    pub country: Option<String>,
    /// Places of the city in the catalogue (0 = not imported yet: see `importHint`).
    pub place_count: u64,
    pub has_places: bool,
    pub import_hint: Option<String>,
    pub geonames_id: Option<u32>,
}

/// Exact resolution of a city name, with close names when unknown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CityResolution {
    pub city: Option<ResolvedCity>,
    pub suggestions: Vec<String>,
}

/// A place on one local date: what a planner needs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaceDay {
    pub id: String,
    pub name: String,
    pub category: String,
    pub lat: f64,
    pub lon: f64,
    pub visit_minutes: u16,
    /// `indoor`, `outdoor` or `mixed`.
    pub exposure: String,
    pub date: String,
    /// Open intervals in minutes from local midnight; `null` when unknown.
    pub open: Option<Vec<[u16; 2]>>,
}

// `GET /places/around`: catalogue places around a point, with their opening intervals on the
// requested dates (read by the AI and trip targets in split mode).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AroundNames {
    pub local: String,
    pub en: Option<String>,
    pub ko: Option<String>,
    /// Every other `name:xx` the place is tagged with ("Frauenkirche" is written for the
    /// Dom zu Unserer Lieben Frau).
    #[serde(default)]
    pub other: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AroundPosition {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AroundPlace {
    pub id: String,
    pub names: AroundNames,
    pub category: String,
    pub kind: String,
    pub position: AroundPosition,
    pub visit_minutes: u16,
    /// `indoor`, `outdoor` or `mixed`.
    pub exposure: String,
    /// `yes`, `limited`, `no` or `unknown`.
    pub wheelchair: String,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
    /// Per requested date: open intervals `[from, to]` in minutes from local midnight,
    /// `null` when unknown (`[]` = closed).
    pub hours: Vec<Option<Vec<[u16; 2]>>>,
    /// The raw OSM `opening_hours` value, so the plan validator can evaluate it itself.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// How much travellers come for it, 0–100 (the place's significance score).
    #[serde(default)]
    pub significance: u8,
    /// `cuisine=*` values, with the diets it serves (`diet:vegetarian=yes` → `vegetarian`).
    #[serde(default)]
    pub cuisine: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AroundPage {
    pub items: Vec<AroundPlace>,
}
