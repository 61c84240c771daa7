//! Travel-time port: how long it takes to get from A to B with a given mode.
//!
//! Two traits, because two kinds of adapters exist:
//! - [`TravelTimeModel`] is a synchronous, infallible, in-process estimate (the calibrated
//!   straight-line model). Nearby search uses it to score hundreds of candidates per
//!   request without I/O.
//! - [`TravelTimeProvider`] is the async port for routing engines (OSRM, Google …) that the
//!   storage/HTTP layer adds later. It uses `async fn`-style methods in the trait (Rust
//!   2024, return-position `impl Future + Send`), so no `async-trait` boxing is needed.
//!   Every [`TravelTimeModel`] is a [`TravelTimeProvider`] through a blanket impl, so the
//!   planner can be written once against the async port and run on the straight-line model
//!   in tests and offline installs. (RPITIT traits are not `dyn`-compatible; pick the
//!   adapter with generics or an enum.)

pub mod straight_line;

use std::fmt;
use std::future::Future;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ValidationError;
use crate::geo::GeoPoint;

/// How the traveller moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TravelMode {
    Walk,
    Transit,
    Car,
}

impl TravelMode {
    pub const ALL: [TravelMode; 3] = [TravelMode::Walk, TravelMode::Transit, TravelMode::Car];

    pub fn as_str(self) -> &'static str {
        match self {
            TravelMode::Walk => "walk",
            TravelMode::Transit => "transit",
            TravelMode::Car => "car",
        }
    }

    /// Parses `walk|transit|car`; errors name `field`.
    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        let wanted = value.trim();
        TravelMode::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ValidationError::UnknownValue {
                field: field.to_owned(),
                value: value.to_owned(),
            })
    }
}

impl fmt::Display for TravelMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TravelMode {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TravelMode::parse(s, "mode")
    }
}

/// Door-to-door estimate. Minutes are rounded up (the planner works in whole minutes and
/// should never be optimistic); metres are the estimated route length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TravelEstimate {
    pub minutes: u32,
    pub metres: u32,
}

/// Row-major `sources × targets` matrix of estimates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TravelMatrix {
    rows: usize,
    cols: usize,
    cells: Vec<TravelEstimate>,
}

impl TravelMatrix {
    /// `cells.len()` must be `rows * cols`.
    pub fn new(rows: usize, cols: usize, cells: Vec<TravelEstimate>) -> Option<Self> {
        (rows.checked_mul(cols) == Some(cells.len())).then_some(Self { rows, cols, cells })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn get(&self, source: usize, target: usize) -> Option<TravelEstimate> {
        if source >= self.rows || target >= self.cols {
            return None;
        }
        self.cells.get(source * self.cols + target).copied()
    }

    pub fn row(&self, source: usize) -> Option<&[TravelEstimate]> {
        let start = source.checked_mul(self.cols)?;
        self.cells.get(start..start + self.cols)
    }
}

/// Failures of remote routing adapters (the straight-line model never fails).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TravelError {
    #[error("routing service unavailable: {0}")]
    Unavailable(String),
    #[error("no route between the points with mode {0}")]
    NoRoute(TravelMode),
    #[error("too many points: {got} > {max}")]
    TooManyPoints { got: usize, max: usize },
}

/// Synchronous, in-process travel-time estimate.
pub trait TravelTimeModel: Send + Sync {
    fn estimate(&self, from: GeoPoint, to: GeoPoint, mode: TravelMode) -> TravelEstimate;

    /// Largest straight-line distance (metres) that can be covered within `minutes`: what
    /// the storage layer uses as the prefilter radius. Must never be smaller than the truth
    /// for this model, or reachable places would be cut.
    fn max_reach_m(&self, mode: TravelMode, minutes: u32) -> f64;

    /// The same model for walkers who need step-free ways (no stairs, for a group with a
    /// `limited` member); `None` when the model knows no stairs (the straight line).
    fn step_free(&self) -> Option<std::sync::Arc<dyn TravelTimeModel>> {
        None
    }

    /// One origin to many targets.
    fn one_to_many(
        &self,
        origin: GeoPoint,
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> Vec<TravelEstimate> {
        targets
            .iter()
            .map(|t| self.estimate(origin, *t, mode))
            .collect()
    }

    /// `sources × targets` matrix.
    fn matrix(&self, sources: &[GeoPoint], targets: &[GeoPoint], mode: TravelMode) -> TravelMatrix {
        let cells = sources
            .iter()
            .flat_map(|s| targets.iter().map(move |t| self.estimate(*s, *t, mode)))
            .collect();
        TravelMatrix {
            rows: sources.len(),
            cols: targets.len(),
            cells,
        }
    }

    /// N×N matrix between all points (diagonal = zero).
    fn square_matrix(&self, points: &[GeoPoint], mode: TravelMode) -> TravelMatrix {
        self.matrix(points, points, mode)
    }
}

/// Async travel-time port for routing services.
pub trait TravelTimeProvider: Send + Sync {
    fn travel_matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> impl Future<Output = Result<TravelMatrix, TravelError>> + Send;

    fn travel(
        &self,
        from: GeoPoint,
        to: GeoPoint,
        mode: TravelMode,
    ) -> impl Future<Output = Result<TravelEstimate, TravelError>> + Send {
        async move {
            let matrix = self.travel_matrix(&[from], &[to], mode).await?;
            matrix.get(0, 0).ok_or(TravelError::NoRoute(mode))
        }
    }
}

impl<T: TravelTimeModel> TravelTimeProvider for T {
    fn travel_matrix(
        &self,
        sources: &[GeoPoint],
        targets: &[GeoPoint],
        mode: TravelMode,
    ) -> impl Future<Output = Result<TravelMatrix, TravelError>> + Send {
        std::future::ready(Ok(self.matrix(sources, targets, mode)))
    }
}
