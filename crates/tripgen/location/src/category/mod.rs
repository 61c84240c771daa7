//! The small place taxonomy, its mapping from OSM tags, the UI filter groups, and the
//! per-category rules the planner needs (visit duration, indoor/outdoor).
//!
//! The mapping tables are reproduced in `docs/location.md`; keep both in sync.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

mod classify;
#[cfg(test)]
mod tests;

pub use classify::{Classification, Exposure, classify, exposure, visit_minutes};

/// An OSM tag list as borrowed `(key, value)` pairs; lookups are linear, which is the fastest
/// option for the 5–30 tags an element usually has.
pub type Tags<'a> = [(&'a str, &'a str)];

/// Value of `key` in `tags`, if present and non-empty after trimming.
pub fn tag<'a>(tags: &Tags<'a>, key: &str) -> Option<&'a str> {
    tags.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// What a place is, from a traveller's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    Attraction,
    Museum,
    Gallery,
    Viewpoint,
    Park,
    Nature,
    Religious,
    Historic,
    Entertainment,
    Shopping,
    Restaurant,
    Cafe,
    Bar,
    Laundry,
    Parking,
    Lodging,
}

impl Category {
    /// Where travellers sleep or wash clothes: never a place to visit.
    pub fn is_lodging_or_laundry(self) -> bool {
        matches!(self, Category::Lodging | Category::Laundry)
    }

    pub const ALL: [Category; 16] = [
        Category::Attraction,
        Category::Museum,
        Category::Gallery,
        Category::Viewpoint,
        Category::Park,
        Category::Nature,
        Category::Religious,
        Category::Historic,
        Category::Entertainment,
        Category::Shopping,
        Category::Restaurant,
        Category::Cafe,
        Category::Bar,
        Category::Laundry,
        Category::Parking,
        Category::Lodging,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Attraction => "attraction",
            Category::Museum => "museum",
            Category::Gallery => "gallery",
            Category::Viewpoint => "viewpoint",
            Category::Park => "park",
            Category::Nature => "nature",
            Category::Religious => "religious",
            Category::Historic => "historic",
            Category::Entertainment => "entertainment",
            Category::Shopping => "shopping",
            Category::Restaurant => "restaurant",
            Category::Cafe => "cafe",
            Category::Bar => "bar",
            Category::Laundry => "laundry",
            Category::Parking => "parking",
            Category::Lodging => "lodging",
        }
    }

    /// Default visit duration in minutes (product defaults, see docs/location.md).
    pub fn default_visit_minutes(self) -> u16 {
        match self {
            Category::Attraction => 45,
            Category::Museum => 90,
            Category::Gallery => 60,
            Category::Viewpoint => 20,
            Category::Park => 45,
            Category::Nature => 60,
            Category::Religious => 20,
            Category::Historic => 20,
            Category::Entertainment => 120,
            Category::Shopping => 30,
            Category::Restaurant => 75,
            Category::Cafe => 30,
            Category::Bar => 60,
            Category::Laundry => 75,
            Category::Parking => 5,
            // A hotel is a start/end point of a day, not a visit.
            Category::Lodging => 0,
        }
    }

    /// Default indoor/outdoor exposure before tag overrides.
    pub fn default_exposure(self) -> Exposure {
        match self {
            Category::Museum
            | Category::Gallery
            | Category::Religious
            | Category::Entertainment
            | Category::Shopping
            | Category::Restaurant
            | Category::Cafe
            | Category::Bar
            | Category::Laundry
            | Category::Lodging => Exposure::Indoor,
            Category::Viewpoint | Category::Park | Category::Nature | Category::Parking => {
                Exposure::Outdoor
            }
            Category::Attraction | Category::Historic => Exposure::Mixed,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ValidationError::UnknownCategory {
                field: "category".to_owned(),
                value: s.to_owned(),
            })
    }
}

/// The UI filter chips. `Food` includes cafés and bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CategoryGroup {
    All,
    Sights,
    Food,
    Laundry,
}

impl CategoryGroup {
    pub const ALL: [CategoryGroup; 4] = [
        CategoryGroup::All,
        CategoryGroup::Sights,
        CategoryGroup::Food,
        CategoryGroup::Laundry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CategoryGroup::All => "all",
            CategoryGroup::Sights => "sights",
            CategoryGroup::Food => "food",
            CategoryGroup::Laundry => "laundry",
        }
    }

    pub fn contains(self, category: Category) -> bool {
        match self {
            CategoryGroup::All => true,
            CategoryGroup::Sights => matches!(
                category,
                Category::Attraction
                    | Category::Museum
                    | Category::Gallery
                    | Category::Viewpoint
                    | Category::Park
                    | Category::Nature
                    | Category::Religious
                    | Category::Historic
                    | Category::Entertainment
            ),
            CategoryGroup::Food => {
                matches!(
                    category,
                    Category::Restaurant | Category::Cafe | Category::Bar
                )
            }
            CategoryGroup::Laundry => category == Category::Laundry,
        }
    }
}

impl FromStr for CategoryGroup {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        CategoryGroup::ALL
            .into_iter()
            .find(|g| g.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ValidationError::UnknownCategory {
                field: "group".to_owned(),
                value: s.to_owned(),
            })
    }
}

/// A nearby-search filter: a UI group or one precise category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum CategoryFilter {
    Group(CategoryGroup),
    Category(Category),
}

impl Default for CategoryFilter {
    fn default() -> Self {
        CategoryFilter::Group(CategoryGroup::All)
    }
}

impl CategoryFilter {
    /// Parses `all|sights|food|laundry` or any category name; errors name `field`.
    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        if let Ok(group) = value.parse::<CategoryGroup>() {
            return Ok(CategoryFilter::Group(group));
        }
        value
            .parse::<Category>()
            .map(CategoryFilter::Category)
            .map_err(|_| ValidationError::UnknownCategory {
                field: field.to_owned(),
                value: value.to_owned(),
            })
    }

    pub fn matches(self, category: Category) -> bool {
        match self {
            CategoryFilter::Group(group) => group.contains(category),
            CategoryFilter::Category(c) => c == category,
        }
    }
}
