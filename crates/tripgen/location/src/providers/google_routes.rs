//! Google Routes API v2 adapter.
//!
//! - `POST /distanceMatrix/v2:computeRouteMatrix` → a JSON array of elements
//!   `{ originIndex, destinationIndex, status, condition, distanceMeters, duration: "123s" }`,
//!   streamed as it is computed, in any order; proto3 JSON leaves out zero values, so an
//!   element for origin 0 may have no `originIndex`.
//! - `POST /directions/v2:computeRoutes` → `{ routes: [{ distanceMeters, duration,
//!   polyline: { geoJsonLinestring: { coordinates } } }] }`, or `{}` when there is no route.
//!
//! Both need `X-Goog-Api-Key` and `X-Goog-FieldMask`. Limits: 625 elements per matrix
//! request, 100 for transit. Modes: WALK, TRANSIT, DRIVE (traffic-unaware, the default
//! routing preference, which needs no departure time).

use serde::Deserialize;
use serde_json::json;

use super::chunking::BlockLimits;
use super::error::{ProviderConfigError, ProviderError};
use super::http_client::{HttpReply, HttpSettings, Upstream, join_url};
use super::routing::{Leg, RoutedPath};
use crate::geo::GeoPoint;
use crate::travel::TravelMode;
use tripgen_platform::outbound::BreakerState;

const MATRIX_FIELDS: &str = "originIndex,destinationIndex,status,condition,distanceMeters,duration";
const ROUTE_FIELDS: &str =
    "routes.duration,routes.distanceMeters,routes.polyline.geoJsonLinestring";
/// Google's element limits per computeRouteMatrix request.
pub const MAX_ELEMENTS: usize = 625;
pub const MAX_TRANSIT_ELEMENTS: usize = 100;

pub struct GoogleRoutes {
    upstream: Upstream,
    base: String,
    api_key: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MatrixElement {
    #[serde(default)]
    origin_index: usize,
    #[serde(default)]
    destination_index: usize,
    #[serde(default)]
    status: Option<RpcStatus>,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    distance_meters: Option<f64>,
    #[serde(default)]
    duration: Option<String>,
}

#[derive(Deserialize)]
struct RpcStatus {
    #[serde(default)]
    code: i32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoutesBody {
    #[serde(default)]
    routes: Vec<RouteItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RouteItem {
    #[serde(default)]
    distance_meters: Option<f64>,
    duration: Option<String>,
    polyline: Option<Polyline>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Polyline {
    geo_json_linestring: Option<LineString>,
}

#[derive(Deserialize)]
struct LineString {
    coordinates: Vec<[f64; 2]>,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    status: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    details: Vec<ErrorInfo>,
}

#[derive(Deserialize)]
struct ErrorInfo {
    #[serde(default)]
    reason: String,
}

impl GoogleRoutes {
    pub fn new(
        base: &str,
        api_key: Option<&str>,
        settings: HttpSettings,
    ) -> Result<Self, ProviderConfigError> {
        let api_key = api_key
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ProviderConfigError::new(
                    "location.travel.google_api_key",
                    "required when location.travel.provider = google",
                )
            })?;
        let upstream = Upstream::new("google-routes", settings)
            .map_err(|e| ProviderConfigError::new("location.travel.provider", e.to_string()))?;
        Ok(GoogleRoutes {
            upstream,
            base: base.to_string(),
            api_key: api_key.to_string(),
        })
    }

    pub fn limits(&self, mode: TravelMode) -> BlockLimits {
        let max = match mode {
            TravelMode::Transit => MAX_TRANSIT_ELEMENTS,
            _ => MAX_ELEMENTS,
        };
        BlockLimits {
            max_elements: max,
            max_side: max,
        }
    }

    pub fn breaker_state(&self) -> (&'static str, BreakerState) {
        (self.upstream.name(), self.upstream.breaker_state())
    }

    fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &str,
        body: &serde_json::Value,
    ) -> reqwest::RequestBuilder {
        client
            .post(join_url(&self.base, path))
            .header("X-Goog-Api-Key", &self.api_key)
            .header("X-Goog-FieldMask", fields)
            .json(body)
    }

    pub async fn matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> Result<Vec<Option<Leg>>, ProviderError> {
        let upstream = self.upstream.name();
        let (rows, cols) = (sources.len(), targets.len());
        let body = json!({
            "origins": sources.iter().map(|p| json!({ "waypoint": waypoint(*p) })).collect::<Vec<_>>(),
            "destinations": targets.iter().map(|p| json!({ "waypoint": waypoint(*p) })).collect::<Vec<_>>(),
            "travelMode": travel_mode(mode),
        });
        self.upstream
            .call(
                |c| {
                    self.post(
                        c,
                        "distanceMatrix/v2:computeRouteMatrix",
                        MATRIX_FIELDS,
                        &body,
                    )
                },
                |reply| {
                    let elements: Vec<MatrixElement> = decode(upstream, reply)?;
                    let mut legs = vec![None; rows * cols];
                    for e in elements {
                        if e.origin_index >= rows || e.destination_index >= cols {
                            return Err(ProviderError::Malformed {
                                upstream,
                                detail: "element index outside the request".into(),
                            });
                        }
                        let ok_status = e.status.as_ref().is_none_or(|s| s.code == 0);
                        let exists = e.condition.as_deref() == Some("ROUTE_EXISTS");
                        if !(ok_status && exists) {
                            continue;
                        }
                        let Some(seconds) = e.duration.as_deref().and_then(parse_duration) else {
                            continue;
                        };
                        legs[e.origin_index * cols + e.destination_index] = Some(Leg {
                            seconds,
                            // Left out when zero (proto3 JSON).
                            metres: Some(e.distance_meters.unwrap_or(0.0)),
                        });
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
        let upstream = self.upstream.name();
        let body = json!({
            "origin": waypoint(from),
            "destination": waypoint(to),
            "travelMode": travel_mode(mode),
            "polylineEncoding": "GEO_JSON_LINESTRING",
        });
        self.upstream
            .call(
                |c| self.post(c, "directions/v2:computeRoutes", ROUTE_FIELDS, &body),
                |reply| {
                    let body: RoutesBody = decode(upstream, reply)?;
                    let route = body
                        .routes
                        .into_iter()
                        .next()
                        .ok_or(ProviderError::NoRoute { upstream })?;
                    let seconds = route
                        .duration
                        .as_deref()
                        .and_then(parse_duration)
                        .ok_or_else(|| ProviderError::Malformed {
                            upstream,
                            detail: "route without a duration".into(),
                        })?;
                    Ok(RoutedPath {
                        leg: Leg {
                            seconds,
                            metres: Some(route.distance_meters.unwrap_or(0.0)),
                        },
                        geometry: route
                            .polyline
                            .and_then(|p| p.geo_json_linestring)
                            .map(|l| l.coordinates)
                            .unwrap_or_default(),
                    })
                },
            )
            .await
    }
}

fn waypoint(p: GeoPoint) -> serde_json::Value {
    json!({ "location": { "latLng": { "latitude": p.lat(), "longitude": p.lon() } } })
}

fn travel_mode(mode: TravelMode) -> &'static str {
    match mode {
        TravelMode::Walk => "WALK",
        TravelMode::Transit => "TRANSIT",
        TravelMode::Car => "DRIVE",
    }
}

/// Protobuf `Duration` JSON: `"123s"`, `"1.5s"`.
fn parse_duration(s: &str) -> Option<f64> {
    let secs: f64 = s.strip_suffix('s')?.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then_some(secs)
}

fn decode<T: serde::de::DeserializeOwned>(
    upstream: &'static str,
    reply: HttpReply,
) -> Result<T, ProviderError> {
    if reply.is_success() {
        return reply.json(upstream);
    }
    match serde_json::from_slice::<ErrorEnvelope>(&reply.body) {
        // Google answers a wrong key with 400 INVALID_ARGUMENT + reason API_KEY_INVALID.
        Ok(ErrorEnvelope { error })
            if error.details.iter().any(|d| d.reason == "API_KEY_INVALID") =>
        {
            Err(ProviderError::Auth {
                upstream,
                detail: error.message,
            })
        }
        Ok(ErrorEnvelope { error }) => {
            Err(reply.error(upstream, format!("{}: {}", error.status, error.message)))
        }
        Err(_) => Err(reply.error(upstream, reply.snippet())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("160s"), Some(160.0));
        assert_eq!(parse_duration("1.5s"), Some(1.5));
        assert_eq!(parse_duration("0s"), Some(0.0));
        assert_eq!(parse_duration("160"), None);
        assert_eq!(parse_duration("-3s"), None);
    }
}
