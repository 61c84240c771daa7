//! Tags to categories on real OSM combinations, visit lengths and exposure.

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
