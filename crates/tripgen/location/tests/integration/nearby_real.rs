//! Nearby search over the real Munich places, as the storage layer will drive it:
//! prefilter by the radius box, then the pure search.

use crate::common;

use common::{import, osm};
use tripgen_location::category::{CategoryFilter, CategoryGroup};
use tripgen_location::geo::{BoundingBox, GeoPoint};
use tripgen_location::nearby::{
    NearbyCandidate, NearbyQuery, NearbySort, TimeBudget, search_nearby, search_radius_metres,
};
use tripgen_location::travel::straight_line::StraightLineModel;
use tripgen_location::travel::{TravelMode, TravelTimeModel};

#[test]
fn food_within_ten_minutes_walk_of_marienplatz() {
    let munich = import(&osm("city-extracts-2020/munchen.osm.pbf"));
    let model = StraightLineModel::default();
    let marienplatz = GeoPoint::new(48.137_15, 11.575_49).unwrap();
    let radius = search_radius_metres(&model, TravelMode::Walk, TimeBudget::Min10);
    let bbox = BoundingBox::around_radius(marienplatz, radius);
    let prefiltered: Vec<NearbyCandidate> = munich
        .places
        .iter()
        .filter(|p| bbox.contains(p.position))
        .cloned()
        .map(NearbyCandidate::from)
        .collect();

    let mut q = NearbyQuery::new(marienplatz, TravelMode::Walk, TimeBudget::Min10);
    q.filter = CategoryFilter::Group(CategoryGroup::Food);
    q.limit = 25;
    let first = search_nearby(&q, prefiltered.clone(), &model).unwrap();
    assert!(first.total > 50, "total {}", first.total);
    assert!(first.items.iter().all(|h| h.travel.minutes <= 10));
    assert!(
        first
            .items
            .windows(2)
            .all(|w| w[0].travel.minutes <= w[1].travel.minutes)
    );

    // The prefilter lost nothing: the full set gives the same total.
    let all: Vec<NearbyCandidate> = munich
        .places
        .iter()
        .cloned()
        .map(NearbyCandidate::from)
        .collect();
    assert_eq!(search_nearby(&q, all, &model).unwrap().total, first.total);

    // Paging through returns every hit exactly once.
    let mut seen = first.items.len();
    let mut cursor = first.next_cursor;
    while let Some(c) = cursor {
        q.cursor = Some(c);
        let page = search_nearby(&q, prefiltered.clone(), &model).unwrap();
        seen += page.items.len();
        cursor = page.next_cursor;
    }
    assert_eq!(seen, first.total);

    // Keyword and name sort on real names.
    let mut q = NearbyQuery::new(marienplatz, TravelMode::Transit, TimeBudget::Min30);
    q.keyword = Some("augustiner".into());
    q.sort = NearbySort::Name;
    let page = search_nearby(&q, prefiltered, &model).unwrap();
    assert!(
        page.items
            .iter()
            .all(|h| h.place.names.local.to_lowercase().contains("augustiner"))
    );
    assert!(!page.items.is_empty());

    // The N×N matrix over the first hits is consistent with single estimates.
    let pts: Vec<GeoPoint> = first
        .items
        .iter()
        .take(10)
        .map(|h| h.place.position)
        .collect();
    let m = model.square_matrix(&pts, TravelMode::Walk);
    assert_eq!(
        m.get(2, 7),
        Some(model.estimate(pts[2], pts[7], TravelMode::Walk))
    );
}
