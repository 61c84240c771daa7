//! OSM tags onto the taxonomy: which tag decides a place's category, what is left out
//! (lodging, boundary stones, ordinary shops), how long a visit takes and whether it is
//! indoors.

use serde::{Deserialize, Serialize};

use super::{Category, Tags, tag};

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
