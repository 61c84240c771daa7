//! Nearby search, pure: filter candidate places by category and keyword, keep those
//! reachable from an origin within a 10/30/60-minute budget with the travel model, sort
//! stably and paginate with an opaque keyset cursor.
//!
//! The storage layer prefilters candidates with an index, using
//! [`search_radius_metres`] (the largest straight-line distance reachable for the mode and
//! budget) around the origin; this module does the exact part.

use serde::{Deserialize, Serialize};

use crate::category::{Category, CategoryFilter};
use crate::error::ValidationError;
use crate::geo::GeoPoint;
use crate::place::{Place, PlaceSummary};
use crate::travel::{TravelEstimate, TravelMode, TravelTimeModel};

/// The allowed time budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub enum TimeBudget {
    Min10,
    Min30,
    Min60,
}

impl TimeBudget {
    pub fn minutes(self) -> u32 {
        match self {
            TimeBudget::Min10 => 10,
            TimeBudget::Min30 => 30,
            TimeBudget::Min60 => 60,
        }
    }

    /// 10, 30 or 60; anything else is rejected with the caller's field name.
    pub fn from_minutes(value: i64, field: &str) -> Result<Self, ValidationError> {
        match value {
            10 => Ok(TimeBudget::Min10),
            30 => Ok(TimeBudget::Min30),
            60 => Ok(TimeBudget::Min60),
            _ => Err(ValidationError::BudgetNotAllowed {
                field: field.to_owned(),
                value,
            }),
        }
    }
}

impl TryFrom<i64> for TimeBudget {
    type Error = ValidationError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        TimeBudget::from_minutes(value, "budget")
    }
}

impl From<TimeBudget> for u32 {
    fn from(b: TimeBudget) -> u32 {
        b.minutes()
    }
}

/// Result order. Ties are always broken by place id, so the order is total and stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NearbySort {
    #[default]
    TravelTime,
    /// Highest rating first; unrated last.
    Rating,
    /// By local name, case- and accent-insensitive.
    Name,
    /// Most reviews first; unreviewed last.
    ReviewCount,
    /// What travellers come for first (place significance, 0–100).
    Significance,
}

impl NearbySort {
    pub const ALL: [NearbySort; 5] = [
        NearbySort::TravelTime,
        NearbySort::Rating,
        NearbySort::Name,
        NearbySort::ReviewCount,
        NearbySort::Significance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NearbySort::TravelTime => "travelTime",
            NearbySort::Rating => "rating",
            NearbySort::Name => "name",
            NearbySort::ReviewCount => "reviewCount",
            NearbySort::Significance => "significance",
        }
    }

    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        NearbySort::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(value.trim()))
            .ok_or_else(|| ValidationError::UnknownValue {
                field: field.to_owned(),
                value: value.to_owned(),
            })
    }
}

/// A place as the storage layer hands it over, with review data joined in if it has any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyCandidate {
    pub place: PlaceSummary,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
}

impl From<Place> for NearbyCandidate {
    fn from(place: Place) -> Self {
        Self {
            place: PlaceSummary::from(&place),
            rating: None,
            review_count: None,
        }
    }
}

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
const MAX_KEYWORD_CHARS: usize = 100;

/// A validated query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyQuery {
    pub origin: GeoPoint,
    pub mode: TravelMode,
    pub budget: TimeBudget,
    pub filter: CategoryFilter,
    /// Already trimmed and non-empty (see [`validate_keyword`]).
    pub keyword: Option<String>,
    pub sort: NearbySort,
    pub limit: usize,
    pub cursor: Option<String>,
}

impl NearbyQuery {
    pub fn new(origin: GeoPoint, mode: TravelMode, budget: TimeBudget) -> Self {
        Self {
            origin,
            mode,
            budget,
            filter: CategoryFilter::default(),
            keyword: None,
            sort: NearbySort::default(),
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// The raw request as an HTTP layer would deserialize it; [`NearbyRequest::validate`]
/// turns it into a [`NearbyQuery`] or a [`ValidationError`] naming the field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyRequest {
    pub lat: f64,
    pub lon: f64,
    pub mode: Option<String>,
    pub budget: i64,
    pub category: Option<String>,
    pub keyword: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl NearbyRequest {
    pub fn validate(&self) -> Result<NearbyQuery, ValidationError> {
        let origin = GeoPoint::validated(self.lat, self.lon, "lat", "lon")?;
        let mode = match &self.mode {
            Some(m) => TravelMode::parse(m, "mode")?,
            None => TravelMode::Walk,
        };
        let budget = TimeBudget::from_minutes(self.budget, "budget")?;
        let filter = match &self.category {
            Some(c) => CategoryFilter::parse(c, "category")?,
            None => CategoryFilter::default(),
        };
        let keyword = self
            .keyword
            .as_deref()
            .map(|k| validate_keyword(k, "keyword"))
            .transpose()?;
        let sort = match &self.sort {
            Some(s) => NearbySort::parse(s, "sort")?,
            None => NearbySort::default(),
        };
        let limit = match self.limit {
            None => DEFAULT_LIMIT,
            Some(l) => usize::try_from(l)
                .ok()
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or(ValidationError::OutOfRange {
                    field: "limit".to_owned(),
                    value: l,
                    min: 1,
                    max: MAX_LIMIT as i64,
                })?,
        };
        Ok(NearbyQuery {
            origin,
            mode,
            budget,
            filter,
            keyword,
            sort,
            limit,
            cursor: self.cursor.clone(),
        })
    }
}

/// Trims a keyword; empty (or whitespace-only) is an error, as is one over 100 characters.
pub fn validate_keyword(raw: &str, field: &str) -> Result<String, ValidationError> {
    let k = raw.trim();
    if k.is_empty() {
        return Err(ValidationError::Empty {
            field: field.to_owned(),
        });
    }
    let chars = k.chars().count();
    if chars > MAX_KEYWORD_CHARS {
        return Err(ValidationError::OutOfRange {
            field: field.to_owned(),
            value: chars as i64,
            min: 1,
            max: MAX_KEYWORD_CHARS as i64,
        });
    }
    Ok(k.to_owned())
}

/// Prefilter radius for the storage layer: the largest straight-line distance reachable
/// with `mode` within `budget` under `model`.
pub fn search_radius_metres(
    model: &impl TravelTimeModel,
    mode: TravelMode,
    budget: TimeBudget,
) -> f64 {
    model.max_reach_m(mode, budget.minutes())
}

/// A reachable place with its travel estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyHit {
    pub place: PlaceSummary,
    pub travel: TravelEstimate,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyPage {
    pub items: Vec<NearbyHit>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Reachable places matching the filters, over all pages.
    pub total: usize,
}

mod cursor;
mod search;
mod text;

pub use search::{
    CandidateRef, IndexedCandidate, search_nearby, search_nearby_in, search_nearby_indexed,
};
pub(crate) use search::{PageBuilder, static_sort_key};
pub use text::{fold, fold_into};

#[cfg(test)]
mod tests;
