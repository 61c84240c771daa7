//! Planner-side place categories. The location context maps OSM tags onto these.

use serde::{Deserialize, Serialize};

/// Place category. `Sports` and `Bench` refine the list of the design notes: sports venues
/// are the typical strenuous activity, benches are rest spots without a visit of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    Shopping,
    Restaurant,
    Cafe,
    Bar,
    Laundry,
    Parking,
    Lodging,
    Sports,
    Bench,
    Other,
}

impl Category {
    pub const ALL: [Category; 18] = [
        Category::Attraction,
        Category::Museum,
        Category::Gallery,
        Category::Viewpoint,
        Category::Park,
        Category::Nature,
        Category::Religious,
        Category::Historic,
        Category::Shopping,
        Category::Restaurant,
        Category::Cafe,
        Category::Bar,
        Category::Laundry,
        Category::Parking,
        Category::Lodging,
        Category::Sports,
        Category::Bench,
        Category::Other,
    ];

    /// Where a meal can be taken.
    pub fn is_food(self) -> bool {
        matches!(self, Category::Restaurant | Category::Cafe | Category::Bar)
    }

    /// Where a rest stop can be made (sit down, no admission needed).
    pub fn is_rest_capable(self) -> bool {
        matches!(self, Category::Cafe | Category::Park | Category::Bench)
    }

    /// Physically demanding: excluded for `caution` and `limited` groups.
    pub fn is_strenuous(self) -> bool {
        matches!(self, Category::Nature | Category::Sports)
    }

    /// Indoor unless the place says otherwise.
    pub fn indoor_by_default(self) -> bool {
        matches!(
            self,
            Category::Museum
                | Category::Gallery
                | Category::Religious
                | Category::Shopping
                | Category::Restaurant
                | Category::Cafe
                | Category::Bar
                | Category::Laundry
                | Category::Lodging
        )
    }

    /// Categories that can be sightseeing stops (the rest are services: meals, parking, …).
    pub fn is_visitable(self) -> bool {
        !matches!(
            self,
            Category::Restaurant
                | Category::Bar
                | Category::Laundry
                | Category::Parking
                | Category::Lodging
                | Category::Bench
        )
    }

    /// The serialised (camelCase) name, as text parameters carry it.
    pub fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "other".into())
    }

    /// English label used in reason texts.
    pub fn label(self) -> &'static str {
        match self {
            Category::Attraction => "attraction",
            Category::Museum => "museum",
            Category::Gallery => "gallery",
            Category::Viewpoint => "viewpoint",
            Category::Park => "park",
            Category::Nature => "nature spot",
            Category::Religious => "religious site",
            Category::Historic => "historic site",
            Category::Shopping => "shopping spot",
            Category::Restaurant => "restaurant",
            Category::Cafe => "café",
            Category::Bar => "bar",
            Category::Laundry => "laundry",
            Category::Parking => "parking",
            Category::Lodging => "lodging",
            Category::Sports => "sports venue",
            Category::Bench => "bench",
            Category::Other => "place",
        }
    }
}

/// Traveller interests (preferences).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Interest {
    Sightseeing,
    Shopping,
    Culture,
    Nature,
    Sports,
    Rest,
}

impl Interest {
    /// Categories an interest raises.
    pub fn categories(self) -> &'static [Category] {
        match self {
            Interest::Sightseeing => &[
                Category::Attraction,
                Category::Viewpoint,
                Category::Historic,
                Category::Religious,
            ],
            Interest::Shopping => &[Category::Shopping],
            Interest::Culture => &[
                Category::Museum,
                Category::Gallery,
                Category::Historic,
                Category::Religious,
            ],
            Interest::Nature => &[Category::Park, Category::Nature, Category::Viewpoint],
            Interest::Sports => &[Category::Sports, Category::Nature],
            Interest::Rest => &[Category::Park, Category::Cafe],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Interest::Sightseeing => "sightseeing",
            Interest::Shopping => "shopping",
            Interest::Culture => "culture",
            Interest::Nature => "nature",
            Interest::Sports => "sports",
            Interest::Rest => "rest",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_consistent() {
        for c in Category::ALL {
            if c.is_strenuous() {
                assert!(!c.indoor_by_default());
            }
        }
        assert!(Category::Cafe.is_food() && Category::Cafe.is_rest_capable());
        assert!(!Category::Parking.is_visitable());
        assert_eq!(
            serde_json::to_string(&Category::Viewpoint).unwrap(),
            "\"viewpoint\""
        );
    }
}
