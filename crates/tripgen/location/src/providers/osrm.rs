//! OSRM adapter (the open-source engine self-hosters run): the `table` service for
//! matrices and the `route` service for one route with its geometry.
//!
//! - `GET /table/v1/{profile}/{lon,lat;…}?sources=…&destinations=…&annotations=duration,distance`
//!   → `{ code: "Ok", durations: [[s|null]], distances: [[m|null]] }`
//! - `GET /route/v1/{profile}/{lon,lat};{lon,lat}?overview=full&geometries=geojson`
//!   → `{ code: "Ok", routes: [{ duration, distance, geometry: { coordinates } }] }`
//! - errors: HTTP 400 with `{ code: "NoRoute" | "NoSegment" | "InvalidQuery" | "TooBig" …, message }`
//!
//! One `osrm-routed` serves one profile (the profile segment of the URL is not used to pick
//! one), so walking and driving may live on different servers. Transit is not an OSRM
//! profile: the facade answers it with the straight-line transit model.

use std::sync::Arc;

use crate::config::LocationTravelConfig;
use serde::Deserialize;

use super::chunking::BlockLimits;
use super::error::{ProviderConfigError, ProviderError};
use super::http_client::{HttpReply, HttpSettings, Upstream, join_url};
use super::routing::{Leg, RoutedPath};
use crate::geo::GeoPoint;
use crate::travel::TravelMode;
use tripgen_platform::outbound::BreakerState;

struct Endpoint {
    upstream: Arc<Upstream>,
    base: String,
    profile: String,
}

pub struct Osrm {
    walk: Endpoint,
    car: Endpoint,
    max_table_size: usize,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct TableBody {
    code: String,
    message: Option<String>,
    durations: Option<Vec<Vec<Option<f64>>>>,
    distances: Option<Vec<Vec<Option<f64>>>>,
}

#[derive(Deserialize)]
struct RouteBody {
    code: String,
    message: Option<String>,
    #[serde(default)]
    routes: Vec<RouteItem>,
}

#[derive(Deserialize)]
struct RouteItem {
    duration: f64,
    distance: Option<f64>,
    geometry: Option<LineString>,
}

#[derive(Deserialize)]
struct LineString {
    coordinates: Vec<[f64; 2]>,
}

impl Osrm {
    pub fn new(
        cfg: &LocationTravelConfig,
        settings: HttpSettings,
    ) -> Result<Self, ProviderConfigError> {
        let walk_url = cfg.osrm_walk_url.as_ref().or(cfg.osrm_url.as_ref());
        let car_url = cfg.osrm_car_url.as_ref().or(cfg.osrm_url.as_ref());
        let (Some(walk_url), Some(car_url)) = (walk_url, car_url) else {
            return Err(ProviderConfigError::new(
                "location.travel.osrm_url",
                "required when location.travel.provider = osrm \
                 (or set both osrm_walk_url and osrm_car_url)",
            ));
        };
        let build = |name: &'static str| {
            Upstream::new(name, settings)
                .map(Arc::new)
                .map_err(|e| ProviderConfigError::new("location.travel.provider", e.to_string()))
        };
        let (walk_up, car_up) = if walk_url == car_url {
            let shared = build("osrm")?;
            (shared.clone(), shared)
        } else {
            (build("osrm-walk")?, build("osrm-car")?)
        };
        Ok(Osrm {
            walk: Endpoint {
                upstream: walk_up,
                base: walk_url.clone(),
                profile: cfg.osrm_walk_profile.trim().to_string(),
            },
            car: Endpoint {
                upstream: car_up,
                base: car_url.clone(),
                profile: cfg.osrm_car_profile.trim().to_string(),
            },
            max_table_size: (cfg.osrm_max_table_size as usize).max(2),
        })
    }

    pub fn supports(&self, mode: TravelMode) -> bool {
        mode != TravelMode::Transit
    }

    fn endpoint(&self, mode: TravelMode) -> Option<&Endpoint> {
        match mode {
            TravelMode::Walk => Some(&self.walk),
            TravelMode::Car => Some(&self.car),
            TravelMode::Transit => None,
        }
    }

    /// Sources and destinations are both capped at `--max-table-size` (the server checks
    /// `sources × destinations ≤ size²`; the per-side cap also keeps URLs short).
    pub fn limits(&self) -> BlockLimits {
        BlockLimits {
            max_elements: self.max_table_size * self.max_table_size,
            max_side: self.max_table_size,
        }
    }

    pub fn breaker_states(&self) -> Vec<(&'static str, BreakerState)> {
        let mut states = vec![(
            self.walk.upstream.name(),
            self.walk.upstream.breaker_state(),
        )];
        if !Arc::ptr_eq(&self.walk.upstream, &self.car.upstream) {
            states.push((self.car.upstream.name(), self.car.upstream.breaker_state()));
        }
        states
    }

    pub async fn table(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> Result<Vec<Option<Leg>>, ProviderError> {
        let ep = self.endpoint(mode).ok_or(ProviderError::NoRoute {
            upstream: self.walk.upstream.name(),
        })?;
        let upstream = ep.upstream.name();
        let (rows, cols) = (sources.len(), targets.len());
        // A square request over the same points sends them once (half the URL).
        let square = sources == targets;
        let mut coords: Vec<GeoPoint> = sources.to_vec();
        // Written by hand, not form-encoded: OSRM's own examples use raw `;` and `,`.
        let mut query = "annotations=duration,distance".to_string();
        if !square {
            coords.extend_from_slice(targets);
            query.push_str(&format!(
                "&sources={}&destinations={}",
                index_list(0..rows),
                index_list(rows..rows + cols)
            ));
        }
        let url = join_url(
            &ep.base,
            &format!(
                "table/v1/{}/{}?{query}",
                ep.profile,
                coordinate_list(&coords)
            ),
        );
        ep.upstream
            .call(
                |c| c.get(&url),
                |reply| {
                    let body: TableBody = decode(upstream, reply)?;
                    check_code(upstream, &body.code, body.message.as_deref())?;
                    let durations = body
                        .durations
                        .ok_or_else(|| malformed(upstream, "no durations"))?;
                    if durations.len() != rows || durations.iter().any(|r| r.len() != cols) {
                        return Err(malformed(upstream, "table size differs from the request"));
                    }
                    let distances = body
                        .distances
                        .filter(|d| d.len() == rows && d.iter().all(|r| r.len() == cols));
                    let valid = |v: Option<f64>| v.filter(|x| x.is_finite() && *x >= 0.0);
                    let mut legs = Vec::with_capacity(rows * cols);
                    for (r, row) in durations.iter().enumerate() {
                        for (c, seconds) in row.iter().enumerate() {
                            let metres = distances
                                .as_ref()
                                .and_then(|d| d.get(r)?.get(c).copied().flatten());
                            legs.push(valid(*seconds).map(|seconds| Leg {
                                seconds,
                                metres: valid(metres),
                            }));
                        }
                    }
                    Ok(legs)
                },
            )
            .await
    }

    pub async fn route(
        &self,
        from: GeoPoint,
        to: GeoPoint,
        mode: TravelMode,
    ) -> Result<RoutedPath, ProviderError> {
        let ep = self.endpoint(mode).ok_or(ProviderError::NoRoute {
            upstream: self.walk.upstream.name(),
        })?;
        let upstream = ep.upstream.name();
        let url = join_url(
            &ep.base,
            &format!(
                "route/v1/{}/{}?overview=full&geometries=geojson",
                ep.profile,
                coordinate_list(&[from, to])
            ),
        );
        ep.upstream
            .call(
                |c| c.get(&url),
                |reply| {
                    let body: RouteBody = decode(upstream, reply)?;
                    check_code(upstream, &body.code, body.message.as_deref())?;
                    let route = body
                        .routes
                        .into_iter()
                        .next()
                        .ok_or(ProviderError::NoRoute { upstream })?;
                    if !route.duration.is_finite() || route.duration < 0.0 {
                        return Err(malformed(upstream, "invalid duration"));
                    }
                    Ok(RoutedPath {
                        leg: Leg {
                            seconds: route.duration,
                            metres: route.distance.filter(|m| m.is_finite() && *m >= 0.0),
                        },
                        geometry: route.geometry.map(|g| g.coordinates).unwrap_or_default(),
                    })
                },
            )
            .await
    }
}

/// `lon,lat;lon,lat` with 6 decimals (≈ 0.1 m), OSRM's coordinate order.
fn coordinate_list(points: &[GeoPoint]) -> String {
    points
        .iter()
        .map(|p| format!("{:.6},{:.6}", p.lon(), p.lat()))
        .collect::<Vec<_>>()
        .join(";")
}

fn index_list(range: std::ops::Range<usize>) -> String {
    range.map(|i| i.to_string()).collect::<Vec<_>>().join(";")
}

fn malformed(upstream: &'static str, detail: &str) -> ProviderError {
    ProviderError::Malformed {
        upstream,
        detail: detail.to_string(),
    }
}

/// 2xx → the body; 4xx → OSRM's error code mapped (no route vs. a rejected query).
fn decode<T: serde::de::DeserializeOwned>(
    upstream: &'static str,
    reply: HttpReply,
) -> Result<T, ProviderError> {
    if reply.is_success() {
        return reply.json(upstream);
    }
    match serde_json::from_slice::<ErrorBody>(&reply.body) {
        Ok(ErrorBody {
            code: Some(code),
            message,
        }) => {
            check_code(upstream, &code, message.as_deref())?;
            Err(reply.error(upstream, code))
        }
        _ => Err(reply.error(upstream, reply.snippet())),
    }
}

fn check_code(
    upstream: &'static str,
    code: &str,
    message: Option<&str>,
) -> Result<(), ProviderError> {
    match code {
        "Ok" => Ok(()),
        // No path, or a point that cannot be snapped to the network (e.g. in a lake).
        "NoRoute" | "NoSegment" | "NoTable" => Err(ProviderError::NoRoute { upstream }),
        other => Err(ProviderError::Status {
            upstream,
            status: 400,
            detail: format!("{other}: {}", message.unwrap_or("")),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_lon_lat() {
        let a = GeoPoint::new(48.1, 11.5).unwrap();
        let b = GeoPoint::new(-33.9, 151.2).unwrap();
        assert_eq!(
            coordinate_list(&[a, b]),
            "11.500000,48.100000;151.200000,-33.900000"
        );
        assert_eq!(index_list(2..5), "2;3;4");
    }

    #[test]
    fn error_codes() {
        assert_eq!(
            check_code("osrm", "NoRoute", None),
            Err(ProviderError::NoRoute { upstream: "osrm" })
        );
        assert!(matches!(
            check_code("osrm", "InvalidQuery", Some("bad")),
            Err(ProviderError::Status { status: 400, .. })
        ));
    }
}
