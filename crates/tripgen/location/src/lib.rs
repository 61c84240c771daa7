//! Pure domain core of TripGen's Location context.
//!
//! Everything here works without a database or an HTTP server: the place
//! model and its category taxonomy, OSM opening hours evaluation, streaming
//! importers for `.osm.pbf` and GeoJSON files, the city gazetteer, the
//! travel-time port with its calibrated straight-line adapter, weather rule
//! helpers and the nearby-search core. Storage and HTTP adapters live
//! elsewhere and build on these types.
//!
//! See `docs/location.md` for the tables and numbers behind the rules.

pub mod basemap;
pub mod catalogue;
pub mod catalogue_index;
pub mod category;
pub mod config;
pub mod dto;
pub mod duplicates;
pub mod error;
pub mod gazetteer;
pub mod geo;
pub mod http;
pub mod import;
pub mod importer;
pub mod named_search;
pub mod nearby;
pub mod opening_hours;
pub mod place;
pub mod popularity;
pub mod providers;
pub mod reach_grid;
pub mod roads;
pub mod service;
pub mod significance;
pub mod store;
pub mod transport;
pub mod travel;
pub mod weather;

pub use category::{Category, CategoryFilter, CategoryGroup, Exposure};
pub use error::{ImportError, ValidationError};
pub use gazetteer::{
    City, CityEntry, CityKind, GEONAMES_ATTRIBUTION, Gazetteer, GazetteerBuilder, NameSource,
    WorldCity, WorldGazetteer, name_key, time_zone_at, world,
};
pub use geo::{BoundingBox, GeoPoint};
pub use import::{
    FileFormat, ImportEvent, ImportProgress, ImportSummary, ReadOptions, SkipReason, import_file,
    import_file_with, read_geojson_file, read_osm_file,
};
pub use nearby::{
    NearbyCandidate, NearbyHit, NearbyPage, NearbyQuery, NearbyRequest, NearbySort, TimeBudget,
    search_nearby, search_radius_metres, validate_keyword,
};
pub use opening_hours::{DaySchedule, MinuteRange, OpeningContext, OpeningHours, OpeningState};
pub use place::{
    Address, ElementKind, ElementRef, Place, PlaceId, PlaceNames, PlaceSummary, SourceRecord,
    Wheelchair,
};
pub use service::LocationService;
pub use significance::{Evidence, Signal, Significance};
pub use store::{PlaceStore, migrations};
pub use travel::straight_line::{ModeProfile, StraightLineModel};
pub use travel::{
    TravelError, TravelEstimate, TravelMatrix, TravelMode, TravelTimeModel, TravelTimeProvider,
};
pub use weather::{
    AirQuality, AirQualityScale, DailyForecast, WarningKind, WarningSeverity, WeatherCondition,
    WeatherWarning,
};

/// Attribution every screen, export or document showing OSM-derived places must carry (ODbL 1.0).
pub const OSM_ATTRIBUTION: &str =
    "Map data © OpenStreetMap contributors, ODbL (https://www.openstreetmap.org/copyright)";

/// The same attribution as a map control shows it (a link to the copyright page).
pub const OSM_ATTRIBUTION_HTML: &str =
    "© <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors, ODbL";

/// Licence of the imported place data.
pub const OSM_LICENCE: &str = "ODbL-1.0";
