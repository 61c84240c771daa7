//! The small place taxonomy, its mapping from OSM tags, the UI filter groups, and the
//! per-category rules the planner needs (visit duration, indoor/outdoor).
//!
//! The mapping tables are reproduced in `docs/location.md`; keep both in sync.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

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

/// Whether a visit happens indoors; drives the weather-aware planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Exposure {
    Indoor,
    Outdoor,
    /// Both (a zoo with houses, a castle with grounds) or not knowable from the tags.
    Mixed,
}

/// The result of mapping an element's tags onto the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub category: Category,
    /// The deciding tag, e.g. `tourism=museum`; kept for display and for later re-mapping.
    pub kind: String,
}

const LODGING: &[&str] = &[
    "hotel",
    "hostel",
    "guest_house",
    "motel",
    "apartment",
    "chalet",
    "camp_site",
    "caravan_site",
    "alpine_hut",
    "wilderness_hut",
];
const ENTERTAINMENT: &[&str] = &[
    "theatre",
    "cinema",
    "arts_centre",
    "nightclub",
    "casino",
    "concert_hall",
    "music_venue",
    "planetarium",
];
const NATURE: &[&str] = &[
    "peak",
    "volcano",
    "beach",
    "waterfall",
    "cave_entrance",
    "spring",
    "hot_spring",
    "geyser",
    "water",
    "wood",
    "glacier",
    "bay",
    "cliff",
    "arch",
    "rock",
    "stone",
    "tree",
    "gorge",
];
const RELIGIOUS_BUILDINGS: &[&str] = &[
    "church",
    "cathedral",
    "chapel",
    "mosque",
    "synagogue",
    "temple",
    "shrine",
    "monastery",
];
// Historic markers that are not worth a stop.
const HISTORIC_DENY: &[&str] = &["boundary_stone", "milestone", "district", "no"];
// Shops that sell a service to residents rather than something a visitor browses.
const SHOP_DENY: &[&str] = &[
    "vacant",
    "no",
    "hairdresser",
    "beauty",
    "massage",
    "tattoo",
    "piercing",
    "car_repair",
    "car_parts",
    "tyres",
    "motorcycle_repair",
    "optician",
    "hearing_aids",
    "medical_supply",
    "funeral_directors",
    "insurance",
    "travel_agency",
    "money_lender",
    "pawnbroker",
    "estate_agent",
    "copyshop",
    "storage_rental",
    "trade",
    "wholesale",
    "agrarian",
    "fuel",
    "gas",
    "lottery",
    "bookmaker",
];

fn kind(key: &str, value: &str) -> String {
    format!("{key}={value}")
}

/// Maps tags onto a [`Category`]; `None` means "not a place of interest".
///
/// Rules are tried from the most to the least specific, so a museum in a castle is a museum,
/// a restaurant in a listed building or a hotel is a restaurant and a church that is also a
/// `tourism=attraction` is religious. Private places (`access=private|no`) are dropped.
pub fn classify(tags: &Tags<'_>) -> Option<Classification> {
    if matches!(tag(tags, "access"), Some("private" | "no")) {
        return None;
    }
    let tourism = tag(tags, "tourism");
    let amenity = tag(tags, "amenity");
    let shop = tag(tags, "shop");
    let found = |category, key: &str, value: &str| {
        Some(Classification {
            category,
            kind: kind(key, value),
        })
    };

    if let Some(t) = tourism {
        match t {
            "museum" => return found(Category::Museum, "tourism", t),
            "gallery" => return found(Category::Gallery, "tourism", t),
            "viewpoint" => return found(Category::Viewpoint, "tourism", t),
            "zoo" | "aquarium" | "theme_park" => return found(Category::Attraction, "tourism", t),
            _ => {}
        }
    }
    if let Some(a) = amenity {
        let category = match a {
            "restaurant" | "fast_food" | "food_court" => Some(Category::Restaurant),
            "cafe" | "ice_cream" => Some(Category::Cafe),
            "bar" | "pub" | "biergarten" => Some(Category::Bar),
            "place_of_worship" | "monastery" => Some(Category::Religious),
            "fountain" => Some(Category::Attraction),
            "marketplace" => Some(Category::Shopping),
            "parking" => Some(Category::Parking),
            _ if ENTERTAINMENT.contains(&a) => Some(Category::Entertainment),
            _ => None,
        };
        if let Some(category) = category {
            return found(category, "amenity", a);
        }
    }
    // After amenity: a hotel with a public restaurant is listed as a restaurant.
    if let Some(t) = tourism
        && LODGING.contains(&t)
    {
        return found(Category::Lodging, "tourism", t);
    }
    if let Some(s @ ("laundry" | "dry_cleaning")) = shop {
        return found(Category::Laundry, "shop", s);
    }
    // Before historic: a listed park (Hofgarten, historic=park) is still visited as a park.
    if let Some(l) = tag(tags, "leisure") {
        match l {
            "park" | "garden" | "common" => return found(Category::Park, "leisure", l),
            "nature_reserve" => return found(Category::Nature, "leisure", l),
            "stadium" | "water_park" => return found(Category::Attraction, "leisure", l),
            _ => {}
        }
    }
    if let Some(h) = tag(tags, "historic")
        && !HISTORIC_DENY.contains(&h)
    {
        return found(Category::Historic, "historic", h);
    }
    if tag(tags, "boundary") == Some("national_park") {
        return found(Category::Nature, "boundary", "national_park");
    }
    if let Some(n) = tag(tags, "natural")
        && NATURE.contains(&n)
    {
        return found(Category::Nature, "natural", n);
    }
    if tag(tags, "waterway") == Some("waterfall") {
        return found(Category::Nature, "waterway", "waterfall");
    }
    if let Some(b) = tag(tags, "building")
        && RELIGIOUS_BUILDINGS.contains(&b)
    {
        return found(Category::Religious, "building", b);
    }
    // Squares and pedestrian areas people visit (Marienplatz, Praça da Ribeira); a
    // pedestrian street (not an area) is a way to walk along, not a place.
    if tag(tags, "place") == Some("square") {
        return found(Category::Attraction, "place", "square");
    }
    if tag(tags, "highway") == Some("pedestrian") && tag(tags, "area") == Some("yes") {
        return found(Category::Attraction, "highway", "pedestrian");
    }
    if let Some(t @ ("attraction" | "artwork")) = tourism {
        return found(Category::Attraction, "tourism", t);
    }
    if let Some(s) = shop
        && !SHOP_DENY.contains(&s)
    {
        return found(Category::Shopping, "shop", s);
    }
    None
}

/// Visit duration in minutes by kind and significance (the table in docs/location.md): a
/// major art museum takes hours, a small one an hour; a cathedral 40 minutes, a chapel 20.
/// The result is stored with each place, which is where a per-place value overrides it.
pub fn visit_minutes(class: &Classification, significance: u8) -> u16 {
    let major = significance >= 60;
    let notable = significance >= 40;
    match class.kind.as_str() {
        "tourism=zoo" => 150,
        "tourism=theme_park" => 240,
        "leisure=water_park" => 180,
        "tourism=aquarium" => 90,
        "leisure=stadium" => 90,
        "tourism=museum" if major => 150,
        "tourism=museum" if notable => 105,
        "tourism=museum" => 60,
        "tourism=gallery" if major => 120,
        "tourism=gallery" => 45,
        "amenity=place_of_worship" | "building=cathedral" | "building=church" if notable => 40,
        "historic=castle" | "historic=palace" if major => 120,
        "historic=castle" | "historic=palace" => 60,
        "tourism=attraction" if major => 60,
        "tourism=attraction" => 30,
        "amenity=marketplace" => 45,
        "leisure=park" if major => 75,
        "leisure=park" => 40,
        "tourism=artwork" | "amenity=fountain" | "historic=memorial" => 10,
        "historic=wayside_cross" | "historic=wayside_shrine" => 5,
        "historic=monument" => 15,
        "amenity=fast_food" => 25,
        "amenity=ice_cream" => 15,
        "amenity=biergarten" => 90,
        "amenity=cinema" | "amenity=theatre" | "amenity=concert_hall" => 150,
        "leisure=garden" => 30,
        "place=square" | "highway=pedestrian" if notable => 30,
        "place=square" | "highway=pedestrian" => 20,
        _ => class.category.default_visit_minutes(),
    }
}

/// Indoor/outdoor: explicit tags first, then what the kind implies, then the category default.
pub fn exposure(class: &Classification, tags: &Tags<'_>) -> Exposure {
    match tag(tags, "indoor") {
        Some("yes" | "room" | "area" | "corridor") => return Exposure::Indoor,
        Some("no") => return Exposure::Outdoor,
        _ => {}
    }
    if matches!(tag(tags, "location"), Some("indoor" | "underground")) {
        return Exposure::Indoor;
    }
    match class.kind.as_str() {
        "amenity=biergarten" | "tourism=artwork" | "amenity=fountain" | "tourism=zoo"
        | "tourism=theme_park" => return Exposure::Outdoor,
        "historic=memorial"
        | "historic=monument"
        | "historic=ruins"
        | "historic=archaeological_site"
        | "historic=wayside_cross"
        | "historic=wayside_shrine"
        | "historic=citywalls"
        | "historic=city_gate"
        | "place=square"
        | "highway=pedestrian" => {
            return Exposure::Outdoor;
        }
        _ => {}
    }
    if class.category == Category::Parking {
        return match tag(tags, "parking") {
            Some("multi-storey" | "underground") => Exposure::Indoor,
            _ => Exposure::Outdoor,
        };
    }
    // A mixed sight mapped as a building (historic=building, a tower, a palace) is visited inside.
    if class.category.default_exposure() == Exposure::Mixed
        && tag(tags, "building").is_some_and(|b| b != "no")
    {
        return Exposure::Indoor;
    }
    class.category.default_exposure()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(tags: &[(&str, &str)]) -> Option<Category> {
        classify(tags).map(|c| c.category)
    }

    #[test]
    fn maps_core_kinds() {
        assert_eq!(class(&[("tourism", "museum")]), Some(Category::Museum));
        assert_eq!(class(&[("amenity", "biergarten")]), Some(Category::Bar));
        assert_eq!(class(&[("amenity", "pub")]), Some(Category::Bar));
        assert_eq!(class(&[("amenity", "ice_cream")]), Some(Category::Cafe));
        assert_eq!(class(&[("shop", "laundry")]), Some(Category::Laundry));
        assert_eq!(class(&[("leisure", "park")]), Some(Category::Park));
        assert_eq!(class(&[("natural", "peak")]), Some(Category::Nature));
        assert_eq!(class(&[("tourism", "hotel")]), Some(Category::Lodging));
        assert_eq!(class(&[("amenity", "parking")]), Some(Category::Parking));
        assert_eq!(class(&[("shop", "books")]), Some(Category::Shopping));
        assert_eq!(class(&[("shop", "hairdresser")]), None);
        assert_eq!(class(&[("highway", "residential")]), None);
        assert_eq!(class(&[("place", "square")]), Some(Category::Attraction));
        assert_eq!(class(&[("highway", "pedestrian")]), None);
        let plaza = [("highway", "pedestrian"), ("area", "yes")];
        assert_eq!(class(&plaza), Some(Category::Attraction));
        assert_eq!(class(&[]), None);
    }

    #[test]
    fn specific_beats_generic() {
        let church = [("tourism", "attraction"), ("amenity", "place_of_worship")];
        assert_eq!(class(&church), Some(Category::Religious));
        let museum_castle = [("historic", "castle"), ("tourism", "museum")];
        assert_eq!(class(&museum_castle), Some(Category::Museum));
        let listed_restaurant = [("historic", "building"), ("amenity", "restaurant")];
        assert_eq!(class(&listed_restaurant), Some(Category::Restaurant));
        let hotel_restaurant = [("tourism", "hotel"), ("amenity", "restaurant")];
        assert_eq!(class(&hotel_restaurant), Some(Category::Restaurant));
        let listed_park = [("historic", "park"), ("leisure", "park")];
        assert_eq!(class(&listed_park), Some(Category::Park));
        let private_garden = [("leisure", "garden"), ("access", "private")];
        assert_eq!(class(&private_garden), None);
    }

    #[test]
    fn groups() {
        assert!(CategoryGroup::Food.contains(Category::Cafe));
        assert!(CategoryGroup::Food.contains(Category::Bar));
        assert!(!CategoryGroup::Food.contains(Category::Museum));
        assert!(CategoryGroup::Sights.contains(Category::Viewpoint));
        assert!(!CategoryGroup::Sights.contains(Category::Parking));
        assert!(CategoryGroup::Laundry.contains(Category::Laundry));
        assert!(
            Category::ALL
                .iter()
                .all(|c| CategoryGroup::All.contains(*c))
        );
    }

    #[test]
    fn parse_filter() {
        assert_eq!(
            CategoryFilter::parse("Food", "category").unwrap(),
            CategoryFilter::Group(CategoryGroup::Food)
        );
        assert_eq!(
            CategoryFilter::parse("museum", "category").unwrap(),
            CategoryFilter::Category(Category::Museum)
        );
        let err = CategoryFilter::parse("spa", "category").unwrap_err();
        assert_eq!(err.field(), "category");
    }

    #[test]
    fn exposure_rules() {
        let c = |t: &[(&str, &str)]| exposure(&classify(t).unwrap(), t);
        assert_eq!(c(&[("amenity", "biergarten")]), Exposure::Outdoor);
        assert_eq!(c(&[("amenity", "restaurant")]), Exposure::Indoor);
        assert_eq!(c(&[("tourism", "attraction")]), Exposure::Mixed);
        assert_eq!(
            c(&[("tourism", "attraction"), ("building", "yes")]),
            Exposure::Indoor
        );
        assert_eq!(
            c(&[("historic", "memorial"), ("building", "yes")]),
            Exposure::Outdoor
        );
        assert_eq!(
            c(&[("tourism", "attraction"), ("indoor", "yes")]),
            Exposure::Indoor
        );
        assert_eq!(
            c(&[("amenity", "parking"), ("parking", "underground")]),
            Exposure::Indoor
        );
        assert_eq!(c(&[("leisure", "park")]), Exposure::Outdoor);
    }

    #[test]
    fn visit_durations() {
        let v = |t: &[(&str, &str)]| visit_minutes(&classify(t).unwrap(), 45);
        assert_eq!(v(&[("tourism", "museum")]), 105);
        assert_eq!(
            visit_minutes(&classify(&[("tourism", "museum")]).unwrap(), 80),
            150
        );
        assert_eq!(
            visit_minutes(&classify(&[("tourism", "museum")]).unwrap(), 20),
            60
        );
        assert_eq!(v(&[("tourism", "zoo")]), 150);
        assert_eq!(v(&[("amenity", "fast_food")]), 25);
        assert_eq!(v(&[("shop", "laundry")]), 75);
    }
}
