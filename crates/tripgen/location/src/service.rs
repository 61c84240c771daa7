//! Application service of the location context: nearby and keyword search, place details
//! with opening hours, geocoding from the gazetteer, routes, and imports.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Timelike};
use chrono_tz::Tz;
use tokio::sync::{Mutex, RwLock};
use tripgen_platform::Platform;
use tripgen_platform::cache::{Cache, CacheOptions, Freshness};
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::progress::{Progress, Unit};

use crate::catalogue::{self, CatalogueCity};
use crate::catalogue_index::CatalogueIndex;
use crate::category::CategoryFilter;
use crate::dto::*;
use crate::error::ValidationError;
use crate::gazetteer::lookup::{self, CatalogueCities};
use crate::gazetteer::{City, time_zone_at};
use crate::geo::GeoPoint;
use crate::importer::{self, ImportInput, ImportReport};
use crate::nearby::{NearbyPage, NearbyQuery, fold};
use crate::opening_hours::OpeningState;
use crate::place::Place;
use crate::roads::RoutedTravel;
use crate::store::PlaceStore;
use crate::travel::{TravelMode, TravelTimeModel};

/// How long a replica trusts its in-memory index before checking the catalogue version.
const INDEX_CHECK: Duration = Duration::from_secs(5);

pub struct LocationService {
    pub platform: Arc<Platform>,
    pub store: PlaceStore,
    /// The street router over every stored graph, straight line elsewhere; swapped whole
    /// when the graphs change.
    travel: std::sync::RwLock<Arc<RoutedTravel>>,
    transit: crate::roads::TransitConstants,
    /// Routed estimates (OSRM / Google when configured, else the model) for `/routes`.
    routes: crate::providers::TravelProviders,
    index: RwLock<Arc<CatalogueIndex>>,
    cities: RwLock<Arc<CatalogueCities>>,
    last_check: Mutex<Option<Instant>>,
    /// Stored place records (PRODUCT.md §5: places 24 h), L1 + Redis when configured.
    cache: Cache,
}

/// Place records are external data: cached by TTL and keyed by catalogue version, so an
/// import (which bumps the version) is seen at once without deleting keys one by one.
const PLACE_TTL: Duration = Duration::from_secs(24 * 3600);

fn key_place(version: i64, id: &str) -> String {
    format!("location:place:{version}:{id}")
}

/// What the cache keeps of a place: the record, not the hours evaluated at a moment.
type StoredPlace = (Place, Option<f32>, Option<u32>);

pub fn validation(e: ValidationError) -> ApiError {
    let code = match &e {
        ValidationError::CoordinateOutOfRange { .. } | ValidationError::OutOfRange { .. } => {
            "OUT_OF_RANGE"
        }
        ValidationError::BudgetNotAllowed { .. } => "NOT_ALLOWED",
        ValidationError::UnknownCategory { .. } => "UNKNOWN_CATEGORY",
        ValidationError::UnknownValue { .. } => "UNKNOWN_VALUE",
        ValidationError::Empty { .. } => "REQUIRED",
        ValidationError::InvalidCursor { .. } => "INVALID_CURSOR",
    };
    let text = e.to_string();
    // The domain message starts with "<field>: "; the field is already in `field`.
    let message = text
        .strip_prefix(&format!("{}: ", e.field()))
        .unwrap_or(&text)
        .to_string();
    ApiError::field(e.field(), code, message)
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "PLACE_NOT_FOUND",
        format!("There is no place `{id}` in the catalogue."),
    )
}

impl LocationService {
    /// The context over the platform's storage; `travel` is `[location.travel]`.
    pub fn new(platform: Arc<Platform>, travel: &crate::config::LocationTravelConfig) -> Self {
        let routes = crate::providers::TravelProviders::from_platform(&platform, travel).unwrap_or_else(|e| {
            // Config::validate rejects the same settings at start; keep serving if not.
            tracing::error!(error = %e, "travel provider not usable; using the straight-line model");
            crate::providers::TravelProviders::straight_line()
        });
        // Parse the world gazetteer off the request path, so the first geocode is as fast
        // as the others.
        std::thread::spawn(|| crate::gazetteer::world().len());
        let platform_redis = platform.redis.clone();
        LocationService {
            store: PlaceStore::new(platform.db.clone()),
            platform,
            travel: std::sync::RwLock::new(Arc::new(RoutedTravel::default())),
            transit: travel.transit,
            routes,
            index: RwLock::new(Arc::new(CatalogueIndex::empty())),
            cities: RwLock::new(Arc::new(CatalogueCities::default())),
            last_check: Mutex::new(None),
            cache: Cache::new(platform_redis, CacheOptions::default()),
        }
    }

    /// The travel model of the whole product (planner, edits, nearby): see [`RoutedTravel`].
    pub fn travel_model(&self) -> Arc<RoutedTravel> {
        match self.travel.read() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// (Re)loads the stored street graphs and builds their routers; returns how many.
    pub async fn load_roads(&self) -> anyhow::Result<usize> {
        let started = Instant::now();
        let model = crate::roads::shared::load_model(&self.store, self.transit).await?;
        let n = model.routers().len();
        match self.travel.write() {
            Ok(mut t) => *t = Arc::new(model),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(model),
        }
        tracing::info!(
            graphs = n,
            ms = started.elapsed().as_millis() as u64,
            "street router loaded"
        );
        Ok(n)
    }

    /// The current index, reloaded when another process (or this one) imported.
    async fn index(&self) -> ApiResult<Arc<CatalogueIndex>> {
        {
            let mut last = self.last_check.lock().await;
            let stale = last.is_none_or(|t| t.elapsed() >= INDEX_CHECK);
            if stale {
                *last = Some(Instant::now());
                let version = self.store.version().await?;
                if version != self.index.read().await.version {
                    self.reload(version).await?;
                }
            }
        }
        Ok(self.index.read().await.clone())
    }

    async fn reload(&self, version: i64) -> anyhow::Result<()> {
        let started = Instant::now();
        let places = self.store.all_summaries().await?;
        let cities = self.store.cities().await?;
        let n = places.len();
        let (index, cities) = tokio::task::spawn_blocking(move || {
            (
                CatalogueIndex::new(version, places),
                CatalogueCities::new(cities),
            )
        })
        .await?;
        let first = self.index.read().await.version == CatalogueIndex::empty().version;
        *self.index.write().await = Arc::new(index);
        *self.cities.write().await = Arc::new(cities);
        if !first {
            // Another process imported: its street graphs changed too (the first load
            // happens at start, see `load_roads`).
            self.load_roads().await?;
        }
        tracing::info!(
            places = n,
            version,
            ms = started.elapsed().as_millis() as u64,
            "place index loaded"
        );
        Ok(())
    }

    async fn cities(&self) -> ApiResult<Arc<CatalogueCities>> {
        self.index().await?;
        Ok(self.cities.read().await.clone())
    }

    /// Forces the next request to re-check the catalogue (after an import here).
    pub async fn invalidate(&self) {
        *self.last_check.lock().await = None;
    }

    // --- import -------------------------------------------------------------------------

    /// Imports local files (their paths are recorded as the source).
    pub async fn import(
        &self,
        files: &[PathBuf],
        progress: &Progress,
    ) -> anyhow::Result<ImportReport> {
        let inputs: Vec<ImportInput> = files.iter().cloned().map(ImportInput::file).collect();
        self.import_inputs(&inputs, progress).await
    }

    /// Imports files with the source each is recorded under (e.g. the URL it came from).
    pub async fn import_inputs(
        &self,
        inputs: &[ImportInput],
        progress: &Progress,
    ) -> anyhow::Result<ImportReport> {
        let report =
            importer::import_files(&self.store, &self.platform.clock, inputs, progress).await?;
        self.invalidate().await;
        self.load_roads().await?;
        Ok(report)
    }

    /// Imports a GTFS feed (`tripgen import gtfs`) and reloads the travel model so the
    /// next plans ride its timetable.
    pub async fn import_gtfs(
        &self,
        file: &std::path::Path,
        progress: &Progress,
    ) -> anyhow::Result<crate::transit::GtfsReport> {
        let now = self.platform.clock.now();
        let report = crate::transit::import_gtfs(&self.store, now, file, progress).await?;
        self.invalidate().await;
        self.load_roads().await?;
        Ok(report)
    }

    /// Builds the base map tiles of this process's data dir (`<data_dir>/tiles`).
    pub fn basemap_builder(&self) -> crate::basemap::BasemapBuilder {
        crate::basemap::BasemapBuilder::new(crate::basemap::tiles_dir(
            &self.platform.config.data_dir,
        ))
    }

    /// Builds, in the background, the base maps the extracts of `dirs` lack (a server's
    /// start: the seed's tiles, or tiles an older version did not build).
    pub fn build_missing_basemaps(&self, dirs: &[PathBuf]) {
        let files: Vec<PathBuf> = dirs.iter().flat_map(|d| importer::data_files(d)).collect();
        crate::basemap::spawn_missing(self.basemap_builder(), files);
    }

    /// The catalogue's cities with place counts and their last import.
    pub async fn catalogue_cities(&self) -> ApiResult<Vec<CatalogueCity>> {
        let cities = self.cities().await?;
        let imports = self.store.imports().await?;
        Ok(catalogue::catalogue_cities(&cities, &imports))
    }

    /// Fills an empty catalogue from `dirs` (first start of `make run`).
    pub async fn seed_if_empty(&self, dirs: &[PathBuf]) -> anyhow::Result<Option<ImportReport>> {
        if self.store.count().await? > 0 {
            return Ok(None);
        }
        let files: Vec<PathBuf> = dirs.iter().flat_map(|d| importer::data_files(d)).collect();
        if files.is_empty() {
            tracing::warn!(dirs = ?dirs, "place catalogue is empty and no OSM files were found to seed it");
            return Ok(None);
        }
        tracing::info!(
            files = files.len(),
            "place catalogue is empty: importing the bundled OSM extracts"
        );
        let progress = Progress::log("seeding the place catalogue", None, Unit::Bytes);
        let report = self.import(&files, &progress).await?;
        progress.finish(format!("{} places", report.changed()));
        tracing::info!(
            places = report.changed(),
            cities = report.cities_in_gazetteer,
            "catalogue seeded"
        );
        Ok(Some(report))
    }

    // --- origins ------------------------------------------------------------------------

    /// Coordinates, a catalogue place, or a place/city name looked up in the catalogue.
    pub async fn resolve_origin(&self, origin: &Origin, field: &str) -> ApiResult<GeoPoint> {
        if let (Some(lat), Some(lon)) = (origin.lat, origin.lon) {
            return GeoPoint::validated(lat, lon, &format!("{field}.lat"), &format!("{field}.lon"))
                .map_err(validation);
        }
        if let Some(id) = &origin.place_id {
            let (p, _, _) = self.cached_place(id).await?.ok_or_else(|| {
                ApiError::field(
                    &format!("{field}.placeId"),
                    "NOT_FOUND",
                    format!("There is no place `{id}`."),
                )
            })?;
            return Ok(p.position);
        }
        if let Some(q) = origin
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            let hits = self.geocode(q, 1).await?;
            return hits.first().map(|h| h.position).ok_or_else(|| {
                ApiError::field(
                    &format!("{field}.query"),
                    "NOT_FOUND",
                    format!("Nothing called `{q}` is known."),
                )
            });
        }
        Err(ApiError::field(
            field,
            "REQUIRED",
            "Give coordinates (lat, lon), a placeId or a query.",
        ))
    }

    // --- LOC-010 ------------------------------------------------------------------------

    pub async fn nearby(&self, body: NearbyBody) -> ApiResult<NearbyPage> {
        let origin = self.resolve_origin(&body.origin, "origin").await?;
        let req = crate::nearby::NearbyRequest {
            lat: origin.lat(),
            lon: origin.lon(),
            mode: body.mode.clone(),
            budget: body.budget.ok_or_else(|| {
                ApiError::field("budget", "REQUIRED", "Choose 10, 30 or 60 minutes.")
            })?,
            category: body.category.clone(),
            keyword: body.keyword.clone(),
            sort: body.sort.clone(),
            limit: body.limit,
            cursor: body.cursor.clone(),
        };
        let query: NearbyQuery = req.validate().map_err(validation)?;
        let index = self.index().await?;
        let travel = self.travel_model();
        // Inside a street graph the reach is an isochrone on the streets (CPU work off
        // the async threads); elsewhere the straight-line index strategies answer.
        if travel.covers(query.origin) {
            tokio::task::spawn_blocking(move || index.nearby_routed(&query, &travel))
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "nearby search task failed");
                    ApiError::internal()
                })?
                .map_err(validation)
        } else {
            index
                .nearby(&query, travel.straight_line())
                .map_err(validation)
        }
    }

    /// `GET /search/keyword`: names containing `q` (any language), optionally near a point.
    pub async fn keyword(&self, p: KeywordParams) -> ApiResult<KeywordPage> {
        let q = crate::nearby::validate_keyword(p.q.as_deref().unwrap_or(""), "q")
            .map_err(validation)?;
        let filter = match &p.category {
            Some(c) => CategoryFilter::parse(c, "category").map_err(validation)?,
            None => CategoryFilter::default(),
        };
        let near = match (p.lat, p.lon) {
            (Some(lat), Some(lon)) => {
                let c = GeoPoint::validated(lat, lon, "lat", "lon").map_err(validation)?;
                let r = p.radius.unwrap_or(5_000.0);
                if !(1.0..=50_000.0).contains(&r) {
                    return Err(ApiError::field(
                        "radius",
                        "OUT_OF_RANGE",
                        "radius is 1–50000 metres.",
                    ));
                }
                Some((c, r))
            }
            (None, None) => None,
            _ => {
                return Err(ApiError::field(
                    "lat",
                    "REQUIRED",
                    "Give both lat and lon, or neither.",
                ));
            }
        };
        let size = p.size.unwrap_or(20);
        if !(1..=50).contains(&size) {
            return Err(ApiError::field("size", "OUT_OF_RANGE", "size is 1–50."));
        }
        let page = p.page.unwrap_or(0);
        if page > 1000 {
            return Err(ApiError::field("page", "OUT_OF_RANGE", "page is 0–1000."));
        }
        let sort = p.sort.as_deref().unwrap_or(if near.is_some() {
            "distance"
        } else {
            "relevance"
        });
        if !matches!(
            sort,
            "relevance" | "distance" | "name" | "rating" | "reviewCount"
        ) {
            return Err(ApiError::field(
                "sort",
                "UNKNOWN_VALUE",
                "sort is relevance, distance, name, rating or reviewCount.",
            ));
        }
        let rows = self.store.search_names(&q, near, 1000).await?;
        let mut hits: Vec<KeywordHit> = rows
            .into_iter()
            .filter(|s| filter.matches(s.summary.category))
            .enumerate()
            .map(|(rank, s)| KeywordHit {
                distance_metres: near
                    .map(|(c, _)| s.summary.position.haversine_m(&c).round() as u32),
                rating: s.rating,
                review_count: s.review_count,
                relevance_rank: rank as u32,
                place: s.summary,
            })
            .collect();
        match sort {
            "distance" => {
                hits.sort_by_key(|h| (h.distance_metres.unwrap_or(u32::MAX), h.relevance_rank))
            }
            "name" => hits.sort_by(|a, b| {
                fold(&a.place.names.local)
                    .cmp(&fold(&b.place.names.local))
                    .then(a.place.id.as_str().cmp(b.place.id.as_str()))
            }),
            "rating" => hits.sort_by(|a, b| {
                b.rating
                    .unwrap_or(-1.0)
                    .total_cmp(&a.rating.unwrap_or(-1.0))
                    .then(a.relevance_rank.cmp(&b.relevance_rank))
            }),
            "reviewCount" => hits.sort_by_key(|h| {
                (
                    std::cmp::Reverse(h.review_count.unwrap_or(0)),
                    h.relevance_rank,
                )
            }),
            _ => {}
        }
        let total = hits.len();
        let items: Vec<KeywordHit> = hits
            .into_iter()
            .skip((page * size) as usize)
            .take(size as usize)
            .collect();
        Ok(KeywordPage {
            has_more: total > ((page + 1) * size) as usize,
            items,
            page,
            size,
            total,
        })
    }

    // --- LOC-030 ------------------------------------------------------------------------

    fn zone_of(&self, position: GeoPoint) -> Tz {
        time_zone_at(position).unwrap_or(chrono_tz::UTC)
    }

    /// The stored record of a place, through the cache (the hours are evaluated per request).
    async fn stored_place(&self, id: &str) -> ApiResult<StoredPlace> {
        self.cached_place(id).await?.ok_or_else(|| not_found(id))
    }

    async fn cached_place(&self, id: &str) -> ApiResult<Option<StoredPlace>> {
        let version = self.index().await?.version;
        Ok(self
            .cache
            .get_or_load(
                &key_place(version, id),
                PLACE_TTL,
                Freshness::Relaxed,
                || self.store.get(id),
            )
            .await?)
    }

    pub async fn place(&self, id: &str) -> ApiResult<PlaceDetail> {
        let (place, rating, review_count) = self.stored_place(id).await?;
        let cities = self.cities().await?;
        let city = cities
            .iter()
            .find(|c| c.bbox.contains(place.position))
            .cloned();
        let tz = city
            .as_ref()
            .and_then(|c| c.tz())
            .unwrap_or_else(|| self.zone_of(place.position));
        let hours = self.hours_of(&place, city.as_ref(), tz, None);
        Ok(PlaceDetail {
            search_keyword: format!(
                "{} {}",
                place.names.local,
                city.as_ref().map(|c| c.name.as_str()).unwrap_or("")
            )
            .trim()
            .to_string(),
            parking_keyword: format!("parking near {}", place.names.local),
            directions_url: directions_url(&place),
            city: city.map(|c| CityRef {
                id: c.id,
                name: c.name,
                name_en: c.name_en,
                name_ko: c.name_ko,
            }),
            hours,
            rating,
            review_count,
            attribution: crate::OSM_ATTRIBUTION.to_string(),
            place,
        })
    }

    pub async fn business_hours(&self, id: &str, date: Option<&str>) -> ApiResult<Hours> {
        let date = match date {
            Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                ApiError::field("date", "INVALID_FORMAT", "Use a date like 2026-11-21.")
            })?),
            None => None,
        };
        let (place, _, _) = self.stored_place(id).await?;
        let cities = self.cities().await?;
        let city = cities.iter().find(|c| c.bbox.contains(place.position));
        let tz = city
            .and_then(|c| c.tz())
            .unwrap_or_else(|| self.zone_of(place.position));
        Ok(self.hours_of(&place, city, tz, date))
    }

    fn hours_of(
        &self,
        place: &Place,
        city: Option<&City>,
        tz: Tz,
        first_day: Option<NaiveDate>,
    ) -> Hours {
        let now_local = self.platform.clock.now().with_timezone(&tz).naive_local();
        let hours = match city {
            Some(c) => place.opening_hours.localized(&c.opening_context()),
            None => place.opening_hours.clone(),
        };
        let today = now_local.date();
        let first = first_day.unwrap_or(today);
        let state = hours.state_at(now_local);
        Hours {
            time_zone: tz.name().to_string(),
            local_time: now_local.format("%Y-%m-%dT%H:%M").to_string(),
            state: match state {
                OpeningState::Open => "open",
                OpeningState::Closed => "closed",
                OpeningState::Unknown => "unknown",
            }
            .to_string(),
            minute_of_day: (now_local.hour() * 60 + now_local.minute()) as u16,
            next_change: if state == OpeningState::Unknown {
                None
            } else {
                hours
                    .next_change(now_local)
                    .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            },
            today: hours.day_schedule(today),
            week: hours.week(first),
            opening_hours: hours.raw().map(str::to_string),
            malformed: hours.is_malformed(),
        }
    }

    // --- geocode ------------------------------------------------------------------------

    /// Cities first — the catalogue's and the world gazetteer's, by any of their names —
    /// then places whose name contains the query: "Moscow" is the city, not the shop
    /// "Cream Moscow".
    pub async fn geocode(&self, q: &str, limit: usize) -> ApiResult<Vec<GeocodeHit>> {
        let q = crate::nearby::validate_keyword(q, "q").map_err(validation)?;
        let cities = self.cities().await?;
        let mut out: Vec<GeocodeHit> = lookup::find_cities(&cities, &q, limit)
            .iter()
            .map(|h| GeocodeHit::city(&h.city))
            .collect();
        if out.len() < limit {
            let places = self
                .store
                .search_names(&q, None, (limit - out.len()) as i64)
                .await?;
            for s in places {
                let tz = self.zone_of(s.summary.position);
                out.push(GeocodeHit::place(&s.summary, tz.name()));
            }
        }
        Ok(out)
    }

    // --- routes -------------------------------------------------------------------------

    /// `step_free`: walks keep off stairs — answered by the embedded street router, since
    /// the external providers know no such profile.
    pub async fn route(
        &self,
        from: &str,
        to: &str,
        mode: Option<&str>,
        step_free: Option<&str>,
    ) -> ApiResult<Route> {
        let step_free = match step_free.map(str::trim) {
            None | Some("" | "false") => false,
            Some("true") => true,
            Some(_) => {
                return Err(ApiError::field(
                    "stepFree",
                    "INVALID",
                    "stepFree is `true` or `false`.",
                ));
            }
        };
        let mode = match mode {
            Some(m) => TravelMode::parse(m, "mode").map_err(validation)?,
            None => TravelMode::Walk,
        };
        let a = self.parse_endpoint(from, "from").await?;
        let b = self.parse_endpoint(to, "to").await?;
        let step_free = step_free && mode != TravelMode::Car;
        let mut r = if step_free {
            self.routes.straight_line_answer(a, b, mode)
        } else {
            self.routes.estimate(a, b, mode).await
        };
        if r.is_fallback() {
            // No routing service configured (or it failed), or a step-free walk: the
            // embedded street router.
            let travel = self.travel_model();
            if travel.covers(a) {
                let answer = tokio::task::spawn_blocking(move || {
                    let travel = if step_free {
                        travel.with_step_free()
                    } else {
                        (*travel).clone()
                    };
                    let line = travel.leg_path(a, b, mode, step_free);
                    (travel.estimate(a, b, mode), line)
                })
                .await;
                if let Ok((estimate, Some(line))) = answer {
                    r = crate::providers::RouteAnswer {
                        estimate,
                        provider: crate::roads::EMBEDDED,
                        geometry: Some(line.into_iter().map(|(lat, lon)| [lon, lat]).collect()),
                    };
                }
            }
        }
        Ok(Route {
            mode: mode.as_str().to_string(),
            minutes: r.estimate.minutes,
            metres: r.estimate.metres,
            provider: r.provider.to_string(),
            geometry: r
                .geometry
                .unwrap_or_else(|| vec![[a.lon(), a.lat()], [b.lon(), b.lat()]]),
        })
    }

    /// `lat,lon` or a place id.
    async fn parse_endpoint(&self, value: &str, field: &str) -> ApiResult<GeoPoint> {
        let value = value.trim();
        if value.is_empty() {
            return Err(ApiError::field(
                field,
                "REQUIRED",
                "Give `lat,lon` or a place id.",
            ));
        }
        if let Some((lat, lon)) = value.split_once(',')
            && let (Ok(lat), Ok(lon)) = (lat.trim().parse::<f64>(), lon.trim().parse::<f64>())
        {
            return GeoPoint::validated(lat, lon, field, field).map_err(validation);
        }
        let origin = Origin {
            place_id: Some(value.to_string()),
            ..Origin::default()
        };
        self.resolve_origin(&origin, field).await.map_err(|_| {
            ApiError::field(
                field,
                "NOT_FOUND",
                format!("`{value}` is neither `lat,lon` nor a known place id."),
            )
        })
    }
}

/// Kakao Map inside Korea (lat 33–39 N, lon 124–132 E), Google Maps elsewhere.
pub fn directions_url(place: &Place) -> String {
    let (lat, lon) = (place.position.lat(), place.position.lon());
    let name = urlencode(&place.names.local);
    if (33.0..=39.0).contains(&lat) && (124.0..=132.0).contains(&lon) {
        format!("https://map.kakao.com/link/to/{name},{lat},{lon}")
    } else {
        format!("https://www.google.com/maps/dir/?api=1&destination={lat},{lon}")
    }
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A city lookup by exact name (any language), with close names when there is none.
// Short-lived lookup answer, matched at once by the caller: boxing the city buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum CityLookup {
    Found(City),
    NotFound { suggestions: Vec<String> },
}

/// A place as other contexts (trip edits, the planner) need it on one local date.
#[derive(Debug, Clone)]
pub struct PlaceOnDate {
    pub place: Place,
    /// Open intervals that day in minutes from local midnight; `None` = unknown.
    pub open: Option<Vec<(u16, u16)>>,
}

impl LocationService {
    /// A destination name to its city: any name of a catalogue or world city (folded);
    /// a world city without places resolves too (its `place_count` is 0).
    pub async fn resolve_city(&self, name: &str) -> ApiResult<CityLookup> {
        let cities = self.cities().await?;
        Ok(match lookup::resolve(&cities, name) {
            Some(c) => CityLookup::Found(c),
            None => CityLookup::NotFound {
                suggestions: lookup::suggestions(&cities, name),
            },
        })
    }

    /// A lodging (or any place) of that name within 25 km of the city centre.
    pub async fn find_hotel(&self, centre: GeoPoint, name: &str) -> ApiResult<Option<GeoPoint>> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(None);
        }
        let hits = self
            .store
            .search_names(name, Some((centre, 25_000.0)), 20)
            .await?;
        let best = hits
            .iter()
            .find(|h| h.summary.category == crate::category::Category::Lodging)
            .or_else(|| hits.first());
        Ok(best.map(|h| h.summary.position))
    }

    /// The place and its opening intervals on `date` (local to the place).
    pub async fn place_on(&self, id: &str, date: NaiveDate) -> ApiResult<Option<PlaceOnDate>> {
        let Some((place, _, _)) = self.cached_place(id).await? else {
            return Ok(None);
        };
        let cities = self.cities().await?;
        let city = cities.iter().find(|c| c.bbox.contains(place.position));
        let hours = match city {
            Some(c) => place.opening_hours.localized(&c.opening_context()),
            None => place.opening_hours.clone(),
        };
        let day = hours.day_schedule(date);
        // Any unknown stretch makes the day unknown: a plan must not rely on a guess.
        let open = if day.unknown.is_empty() {
            Some(day.open.iter().map(|r| (r.start, r.end)).collect())
        } else {
            None
        };
        Ok(Some(PlaceOnDate { place, open }))
    }
}

/// A catalogue place with its opening intervals on several local dates (`None` for a
/// date = unknown), for the AI context's workers over HTTP (`GET /places/around`).
#[derive(Debug, Clone)]
pub struct PlaceAround {
    pub place: Place,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
    pub hours: Vec<Option<Vec<(u16, u16)>>>,
}

impl LocationService {
    /// Places within `radius_m` of `centre` (lodging and laundries left out), each with
    /// its opening intervals on `dates` in the zone of the city it lies in.
    pub async fn places_around(
        &self,
        centre: GeoPoint,
        radius_m: f64,
        limit: i64,
        dates: &[NaiveDate],
    ) -> ApiResult<Vec<PlaceAround>> {
        let found = self.store.within(centre, radius_m, limit).await?;
        // Left out before their records are read (a city has thousands of hotels).
        let ids: Vec<String> = found
            .iter()
            .filter(|s| !s.summary.category.is_lodging_or_laundry())
            .map(|s| s.summary.id.as_str().to_string())
            .collect();
        self.with_hours(&ids, dates).await
    }

    /// The places `ids` (in that order; lodging, laundries and unknown ids left out),
    /// each with its opening intervals on `dates` in the zone of the city it lies in.
    pub(crate) async fn with_hours(
        &self,
        ids: &[String],
        dates: &[NaiveDate],
    ) -> ApiResult<Vec<PlaceAround>> {
        let cities = self.cities().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            // Through the place cache: generations of trips in the same city reuse the records.
            let Some((place, rating, review_count)) = self.cached_place(id).await? else {
                continue;
            };
            if place.category.is_lodging_or_laundry() {
                continue;
            }
            let hours = match cities.iter().find(|c| c.bbox.contains(place.position)) {
                Some(c) => place.opening_hours.localized(&c.opening_context()),
                None => place.opening_hours.clone(),
            };
            let per_date = dates
                .iter()
                .map(|d| {
                    let day = hours.day_schedule(*d);
                    day.plannable()
                        .map(|open| open.iter().map(|r| (r.start, r.end)).collect())
                })
                .collect();
            out.push(PlaceAround {
                place,
                rating,
                review_count,
                hours: per_date,
            });
        }
        Ok(out)
    }
}
