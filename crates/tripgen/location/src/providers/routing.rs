//! What the travel facade needs from a routing service, and the enum that dispatches to
//! the configured one (the adapters have async methods, so an enum rather than `dyn`).

use super::chunking::BlockLimits;
use super::error::ProviderError;
use super::google_routes::GoogleRoutes;
use super::osrm::Osrm;
use crate::geo::GeoPoint;
use crate::travel::TravelMode;
use tripgen_platform::outbound::BreakerState;

/// A routed leg as the service reports it (before door-to-door adjustments).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    pub seconds: f64,
    /// `None` when the service gave no distance (the facade estimates it).
    pub metres: Option<f64>,
}

/// A route with its line, `[lon, lat]` pairs (GeoJSON order).
#[derive(Debug, Clone, PartialEq)]
pub struct RoutedPath {
    pub leg: Leg,
    pub geometry: Vec<[f64; 2]>,
}

pub enum Router {
    Osrm(Osrm),
    Google(GoogleRoutes),
}

impl Router {
    pub fn name(&self) -> &'static str {
        match self {
            Router::Osrm(_) => "osrm",
            Router::Google(_) => "google",
        }
    }

    /// Modes the service routes itself; the others use the straight-line model.
    pub fn supports(&self, mode: TravelMode) -> bool {
        match self {
            Router::Osrm(o) => o.supports(mode),
            Router::Google(_) => true,
        }
    }

    pub fn limits(&self, mode: TravelMode) -> BlockLimits {
        match self {
            Router::Osrm(o) => o.limits(),
            Router::Google(g) => g.limits(mode),
        }
    }

    /// Row-major `sources × targets` legs; `None` where the service found no route.
    /// The caller keeps each request within [`Router::limits`].
    pub async fn table(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> Result<Vec<Option<Leg>>, ProviderError> {
        match self {
            Router::Osrm(o) => o.table(sources, targets, mode).await,
            Router::Google(g) => g.matrix(sources, targets, mode).await,
        }
    }

    pub async fn route(
        &self,
        from: GeoPoint,
        to: GeoPoint,
        mode: TravelMode,
    ) -> Result<RoutedPath, ProviderError> {
        match self {
            Router::Osrm(o) => o.route(from, to, mode).await,
            Router::Google(g) => g.route(from, to, mode).await,
        }
    }

    pub fn breaker_states(&self) -> Vec<(&'static str, BreakerState)> {
        match self {
            Router::Osrm(o) => o.breaker_states(),
            Router::Google(g) => vec![g.breaker_state()],
        }
    }
}
