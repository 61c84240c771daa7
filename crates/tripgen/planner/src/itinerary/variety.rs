//! Variety: a day of five churches is not a culture trip. A day has at most
//! [`SAME_KIND_PER_DAY`] visits of one category (two churches, two museums …) unless the
//! user asked for more of that category; a place the user asked for by name never counts
//! against the limit. The planner enforces it as one per-day resource per category; the
//! validator checks it on its own (`validator::check_variety`).

use std::collections::BTreeMap;

use super::category::Category;
use super::model::{Candidate, TripRequest};

/// Visits of one category a day, at most.
pub const SAME_KIND_PER_DAY: usize = 2;

/// Whether a visit of `c` counts against the limit of its category.
pub fn counts(c: &Candidate, req: &TripRequest) -> bool {
    !req.constraints.more_of.contains(&c.category) && !req.constraints.must_visit.contains(&c.id)
}

/// The per-day resources of the rule: one per category among the places of a run, numbered
/// from `first` (after the planner's other resources).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VarietyResources {
    first: usize,
    index: BTreeMap<Category, usize>,
}

impl VarietyResources {
    pub fn new(first: usize, categories: impl IntoIterator<Item = Category>) -> Self {
        let mut index = BTreeMap::new();
        for c in categories {
            let next = first + index.len();
            index.entry(c).or_insert(next);
        }
        VarietyResources { first, index }
    }

    /// The resource a visit of `c` uses, if it counts against the limit.
    pub fn resource(&self, c: &Candidate, req: &TripRequest) -> Option<usize> {
        if !counts(c, req) {
            return None;
        }
        self.index.get(&c.category).copied()
    }

    /// Resource indices end here (exclusive).
    pub fn end(&self) -> usize {
        self.first + self.index.len()
    }
}
