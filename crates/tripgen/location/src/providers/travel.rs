//! `TravelProviders`: the travel-time facade the service and planner call. It picks the
//! configured routing service, caches its answers, splits matrices into blocks the service
//! accepts, and never fails: when the service cannot answer (circuit open, timeout, error,
//! no route, unsupported mode) the calibrated straight-line model answers instead and the
//! result says `provider: "straight-line"`.

use std::time::Duration;

use crate::config::{LocationTravelConfig, TravelProviderKind};
use futures::StreamExt;
use serde::Serialize;
use tripgen_platform::Platform;

use super::cache::{ProviderCache, ROUTE_TTL, route_cell_key, route_path_key, same_route_cell};
use super::chunking::plan_blocks;
use super::error::ProviderConfigError;
use super::google_routes::GoogleRoutes;
use super::http_client::HttpSettings;
use super::osrm::Osrm;
use super::routing::{Leg, RoutedPath, Router};
use crate::geo::GeoPoint;
use crate::travel::straight_line::StraightLineModel;
use crate::travel::{
    TravelError, TravelEstimate, TravelMatrix, TravelMode, TravelTimeModel, TravelTimeProvider,
};
use tripgen_platform::outbound::BreakerState;

/// Provider name of answers computed by the straight-line model.
pub const STRAIGHT_LINE: &str = "straight-line";
/// Name of a matrix whose cells come partly from the routing service, partly from the model.
pub const MIXED: &str = "mixed";
/// Largest matrix sent to a routing service (100 × 100); bigger ones use the model, so one
/// planner call can never turn into hundreds of paid requests.
pub const MAX_ROUTED_ELEMENTS: usize = 10_000;
/// Matrix blocks in flight at once per call.
const PARALLEL_BLOCKS: usize = 4;

/// One route: the estimate, who computed it and, from a routing service, the line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteAnswer {
    pub estimate: TravelEstimate,
    /// `osrm`, `google` or `straight-line`.
    pub provider: &'static str,
    /// `[lon, lat]` pairs (GeoJSON order); `None` for straight-line answers.
    pub geometry: Option<Vec<[f64; 2]>>,
}

impl RouteAnswer {
    pub fn is_fallback(&self) -> bool {
        self.provider == STRAIGHT_LINE
    }
}

/// A matrix and where its cells came from.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixAnswer {
    pub matrix: TravelMatrix,
    /// The routing service's name when it (or its cache) answered every cell,
    /// `straight-line` when the model answered every cell, else `mixed`.
    pub provider: &'static str,
    /// Cells answered by the model (same-place cells are exact and not counted).
    pub approximated: usize,
}

pub struct TravelProviders {
    router: Option<Router>,
    model: StraightLineModel,
    cache: ProviderCache,
}

impl TravelProviders {
    /// The model only: no network, nothing to cache.
    pub fn straight_line() -> Self {
        TravelProviders {
            router: None,
            model: StraightLineModel::default(),
            cache: ProviderCache::in_process(ROUTE_TTL, 1),
        }
    }

    /// The provider `cfg.provider` selects, caching in `cache`.
    pub fn from_config(
        cfg: &LocationTravelConfig,
        cache: ProviderCache,
    ) -> Result<Self, ProviderConfigError> {
        let settings = HttpSettings {
            timeout: Duration::from_millis(cfg.timeout_ms.max(1)),
            retries: cfg.retries,
            failure_threshold: cfg.failure_threshold,
            cooldown: Duration::from_secs(cfg.cooldown_secs),
        };
        let router = match cfg.provider {
            TravelProviderKind::StraightLine => None,
            TravelProviderKind::Osrm => Some(Router::Osrm(Osrm::new(cfg, settings)?)),
            TravelProviderKind::Google => Some(Router::Google(GoogleRoutes::new(
                &cfg.google_base_url,
                cfg.google_api_key.as_deref(),
                settings,
            )?)),
        };
        Ok(TravelProviders {
            router,
            model: StraightLineModel::default(),
            cache,
        })
    }

    /// From `[location.travel]`, caching in L1 + the platform's Redis.
    pub fn from_platform(
        platform: &Platform,
        cfg: &LocationTravelConfig,
    ) -> Result<Self, ProviderConfigError> {
        let cache = ProviderCache::for_platform(platform, ROUTE_TTL, cfg.cache_capacity);
        Self::from_config(cfg, cache)
    }

    /// Replaces the fallback model (and the car parking minutes added to routed drives).
    pub fn with_model(mut self, model: StraightLineModel) -> Self {
        self.model = model;
        self
    }

    /// The configured provider: `straight-line`, `osrm` or `google`.
    pub fn provider_name(&self) -> &'static str {
        self.router.as_ref().map_or(STRAIGHT_LINE, Router::name)
    }

    pub fn model(&self) -> &StraightLineModel {
        &self.model
    }

    /// Whether `mode` is routed by the service (OSRM has no transit).
    pub fn routes_mode(&self, mode: TravelMode) -> bool {
        self.router.as_ref().is_some_and(|r| r.supports(mode))
    }

    /// Circuit state per upstream, for health output.
    pub fn breaker_states(&self) -> Vec<(&'static str, BreakerState)> {
        self.router
            .as_ref()
            .map(Router::breaker_states)
            .unwrap_or_default()
    }

    fn router_for(&self, mode: TravelMode) -> Option<&Router> {
        self.router.as_ref().filter(|r| r.supports(mode))
    }

    /// Door-to-door estimate from a routed leg: driving adds the model's parking minutes
    /// (find a space, walk to the door), so routed and modelled car times compare.
    fn door_to_door(
        &self,
        leg: Leg,
        from: GeoPoint,
        to: GeoPoint,
        mode: TravelMode,
    ) -> TravelEstimate {
        let mut minutes = leg.seconds / 60.0;
        if mode == TravelMode::Car {
            minutes += self.model.car.fixed_minutes;
        }
        let metres = leg
            .metres
            .unwrap_or_else(|| f64::from(self.model.estimate(from, to, mode).metres));
        // Finite and non-negative (checked by the adapters); `as` saturates absurd values.
        TravelEstimate {
            minutes: minutes.ceil().max(0.0) as u32,
            metres: metres.round().max(0.0) as u32,
        }
    }

    /// The straight-line model's answer, without asking a routing service.
    pub fn straight_line_answer(
        &self,
        from: GeoPoint,
        to: GeoPoint,
        mode: TravelMode,
    ) -> RouteAnswer {
        self.fallback(from, to, mode)
    }

    fn fallback(&self, from: GeoPoint, to: GeoPoint, mode: TravelMode) -> RouteAnswer {
        RouteAnswer {
            estimate: self.model.estimate(from, to, mode),
            provider: STRAIGHT_LINE,
            geometry: None,
        }
    }

    /// One route with its line. Never fails; see the module docs for the fallback.
    pub async fn estimate(&self, from: GeoPoint, to: GeoPoint, mode: TravelMode) -> RouteAnswer {
        let Some(router) = self.router_for(mode) else {
            return self.fallback(from, to, mode);
        };
        if same_route_cell(from, to) {
            return RouteAnswer {
                estimate: TravelEstimate::default(),
                provider: router.name(),
                geometry: Some(vec![[from.lon(), from.lat()], [to.lon(), to.lat()]]),
            };
        }
        let path_key = route_path_key(router.name(), mode, from, to);
        if let Some(cached) = self.cache.get::<CachedPath>(&path_key).await {
            return RouteAnswer {
                estimate: cached.estimate,
                provider: router.name(),
                geometry: Some(cached.geometry),
            };
        }
        match router.route(from, to, mode).await {
            Ok(RoutedPath { leg, geometry }) => {
                let estimate = self.door_to_door(leg, from, to, mode);
                let geometry = if geometry.len() >= 2 {
                    geometry
                } else {
                    vec![[from.lon(), from.lat()], [to.lon(), to.lat()]]
                };
                let cached = CachedPath { estimate, geometry };
                self.cache.put(&path_key, &cached).await;
                self.cache
                    .put(&route_cell_key(router.name(), mode, from, to), &estimate)
                    .await;
                RouteAnswer {
                    estimate,
                    provider: router.name(),
                    geometry: Some(cached.geometry),
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, %mode, "route: using the straight-line model");
                self.fallback(from, to, mode)
            }
        }
    }

    /// N×N matrix between `points` (what the planner needs).
    pub async fn matrix(&self, points: &[GeoPoint], mode: TravelMode) -> TravelMatrix {
        self.matrix_between(points, points, mode).await.matrix
    }

    /// `sources × targets` matrix with its provenance. Cached cells are reused; the rest
    /// is requested in blocks within the service's limits; cells the service cannot answer
    /// are filled by the model.
    pub async fn matrix_between(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> MatrixAnswer {
        let (rows, cols) = (sources.len(), targets.len());
        let total = rows.saturating_mul(cols);
        let router = match self.router_for(mode) {
            Some(r) if total <= MAX_ROUTED_ELEMENTS => r,
            Some(_) => {
                tracing::warn!(rows, cols, "matrix too large to route: using the model");
                return self.model_matrix(sources, targets, mode);
            }
            None => return self.model_matrix(sources, targets, mode),
        };
        let name = router.name();

        // Same place → exact zero; everything else starts as a cache lookup.
        let mut cells: Vec<Option<TravelEstimate>> = vec![None; total];
        let mut keys: Vec<Option<String>> = vec![None; total];
        for (r, s) in sources.iter().enumerate() {
            for (c, t) in targets.iter().enumerate() {
                if same_route_cell(*s, *t) {
                    cells[r * cols + c] = Some(TravelEstimate::default());
                } else {
                    keys[r * cols + c] = Some(route_cell_key(name, mode, *s, *t));
                }
            }
        }
        let lookups: Vec<(usize, String)> = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.clone().map(|k| (i, k)))
            .collect();
        let wanted: Vec<String> = lookups.iter().map(|(_, k)| k.clone()).collect();
        let hits: Vec<Option<TravelEstimate>> = self.cache.get_many(&wanted).await;
        for ((i, _), hit) in lookups.iter().zip(hits) {
            cells[*i] = hit;
        }

        // Request only the rows and columns that still have a gap.
        let missing_rows: Vec<usize> = (0..rows)
            .filter(|r| (0..cols).any(|c| cells[r * cols + c].is_none()))
            .collect();
        let missing_cols: Vec<usize> = (0..cols)
            .filter(|c| missing_rows.iter().any(|r| cells[r * cols + c].is_none()))
            .collect();
        if !missing_rows.is_empty() {
            let blocks = plan_blocks(missing_rows.len(), missing_cols.len(), router.limits(mode));
            let results: Vec<_> = futures::stream::iter(blocks)
                .map(|block| {
                    let row_ids: Vec<usize> = missing_rows[block.rows].to_vec();
                    let col_ids: Vec<usize> = missing_cols[block.cols].to_vec();
                    async move {
                        let srcs: Vec<GeoPoint> = row_ids.iter().map(|&r| sources[r]).collect();
                        let tgts: Vec<GeoPoint> = col_ids.iter().map(|&c| targets[c]).collect();
                        let result = router.table(&srcs, &tgts, mode).await;
                        (row_ids, col_ids, result)
                    }
                })
                .buffer_unordered(PARALLEL_BLOCKS)
                .collect()
                .await;
            let mut fresh: Vec<(String, TravelEstimate)> = Vec::new();
            for (row_ids, col_ids, result) in results {
                let legs = match result {
                    Ok(legs) => legs,
                    Err(e) => {
                        tracing::warn!(error = %e, %mode, "matrix block: using the straight-line model");
                        continue;
                    }
                };
                for (bi, &r) in row_ids.iter().enumerate() {
                    for (bj, &c) in col_ids.iter().enumerate() {
                        let i = r * cols + c;
                        if cells[i].is_some() {
                            continue;
                        }
                        if let Some(leg) = legs.get(bi * col_ids.len() + bj).copied().flatten() {
                            let e = self.door_to_door(leg, sources[r], targets[c], mode);
                            cells[i] = Some(e);
                            if let Some(k) = keys[i].take() {
                                fresh.push((k, e));
                            }
                        }
                    }
                }
            }
            self.cache.put_many(&fresh).await;
        }

        let mut approximated = 0;
        let mut routed = 0;
        let mut out = Vec::with_capacity(total);
        for (i, cell) in cells.into_iter().enumerate() {
            let (r, c) = (i / cols.max(1), i % cols.max(1));
            match cell {
                Some(e) => {
                    if needs_route(sources[r], targets[c]) {
                        routed += 1;
                    }
                    out.push(e);
                }
                None => {
                    approximated += 1;
                    out.push(self.model.estimate(sources[r], targets[c], mode));
                }
            }
        }
        let provider = match (routed, approximated) {
            (_, 0) => name,
            (0, _) => STRAIGHT_LINE,
            _ => MIXED,
        };
        MatrixAnswer {
            // `out` has rows × cols cells by construction; the model's matrix is a safe
            // stand-in should that ever not hold.
            matrix: TravelMatrix::new(rows, cols, out)
                .unwrap_or_else(|| self.model.matrix(sources, targets, mode)),
            provider,
            approximated,
        }
    }

    fn model_matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> MatrixAnswer {
        let approximated = sources
            .iter()
            .flat_map(|s| targets.iter().map(move |t| (*s, *t)))
            .filter(|(s, t)| needs_route(*s, *t))
            .count();
        MatrixAnswer {
            matrix: self.model.matrix(sources, targets, mode),
            provider: STRAIGHT_LINE,
            approximated,
        }
    }
}

/// A cell that needed an answer (not the same place twice).
fn needs_route(a: GeoPoint, b: GeoPoint) -> bool {
    !same_route_cell(a, b)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CachedPath {
    estimate: TravelEstimate,
    geometry: Vec<[f64; 2]>,
}

/// The async travel-time port: the planner can be written against [`TravelTimeProvider`]
/// and run on the configured service. It never returns an error (fallbacks instead).
impl TravelTimeProvider for TravelProviders {
    async fn travel_matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> Result<TravelMatrix, TravelError> {
        Ok(self.matrix_between(sources, targets, mode).await.matrix)
    }

    async fn travel(
        &self,
        from: GeoPoint,
        to: GeoPoint,
        mode: TravelMode,
    ) -> Result<TravelEstimate, TravelError> {
        Ok(self.estimate(from, to, mode).await.estimate)
    }
}
