use super::cursor::SortKey;
use super::search::Hit;
use super::*;
use crate::category::{Category, CategoryGroup, Exposure};
use crate::opening_hours::OpeningHours;
use crate::place::{
    Address, ElementKind, ElementRef, PlaceId, PlaceNames, SourceRecord, Wheelchair,
};
use crate::travel::straight_line::StraightLineModel;

const ORIGIN: (f64, f64) = (48.137, 11.575);

fn place(id: i64, name: &str, category: Category, dlat: f64) -> NearbyCandidate {
    let element = ElementRef {
        kind: ElementKind::Node,
        id,
    };
    Place {
        id: PlaceId::from_element(element),
        names: PlaceNames {
            local: name.into(),
            en: None,
            ko: None,
        },
        position: GeoPoint::new(ORIGIN.0 + dlat, ORIGIN.1).unwrap(),
        category,
        kind: "amenity=cafe".into(),
        opening_hours: OpeningHours::missing(),
        visit_minutes: 30,
        exposure: Exposure::Indoor,
        wheelchair: Wheelchair::Unknown,
        address: Address::default(),
        phone: None,
        website: None,
        cuisine: vec!["coffee_shop".into()],
        source: SourceRecord {
            element,
            version: None,
            timestamp: None,
            snapshot_at: None,
            dataset: "t".into(),
        },
        wikidata: None,
        other_names: Default::default(),
        area_m2: None,
        significance: Default::default(),
        merged: Vec::new(),
    }
    .into()
}

fn query() -> NearbyQuery {
    NearbyQuery::new(
        GeoPoint::new(ORIGIN.0, ORIGIN.1).unwrap(),
        TravelMode::Walk,
        TimeBudget::Min10,
    )
}

fn candidates() -> Vec<NearbyCandidate> {
    // 0.001° lat ≈ 111 m; walking 10 min reaches ≈ 577 m straight-line.
    vec![
        place(5, "Café Zentral", Category::Cafe, 0.001),
        place(3, "Alte Bar", Category::Bar, 0.001),
        place(9, "Museum", Category::Museum, 0.002),
        place(1, "Biergarten", Category::Bar, 0.004),
        place(2, "Far Away", Category::Cafe, 0.02),
        place(7, "Bäckerei Café", Category::Cafe, 0.0),
    ]
}

#[test]
fn reachable_sorted_by_travel_time_then_id() {
    let page = search_nearby(&query(), candidates(), &StraightLineModel::default()).unwrap();
    let ids: Vec<&str> = page.items.iter().map(|h| h.place.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "osm:node:7",
            "osm:node:3",
            "osm:node:5",
            "osm:node:9",
            "osm:node:1"
        ]
    );
    assert_eq!(page.total, 5);
    assert!(page.next_cursor.is_none());
    assert!(page.items.iter().all(|h| h.travel.minutes <= 10));
}

#[test]
fn filters_by_group_category_and_keyword() {
    let model = StraightLineModel::default();
    let mut q = query();
    q.filter = CategoryFilter::Group(CategoryGroup::Sights);
    assert_eq!(search_nearby(&q, candidates(), &model).unwrap().total, 1);
    q.filter = CategoryFilter::Category(Category::Bar);
    assert_eq!(search_nearby(&q, candidates(), &model).unwrap().total, 2);
    q.filter = CategoryFilter::Group(CategoryGroup::Food);
    q.keyword = Some("CAFE".into());
    let names: Vec<String> = search_nearby(&q, candidates(), &model)
        .unwrap()
        .items
        .into_iter()
        .map(|h| h.place.names.local)
        .collect();
    // Matches accent-insensitively in names and in cuisine/kind.
    assert!(names.contains(&"Café Zentral".to_owned()));
    assert!(names.contains(&"Bäckerei Café".to_owned()));
}

#[test]
fn pagination_is_stable_and_complete() {
    let model = StraightLineModel::default();
    for sort in NearbySort::ALL {
        let mut q = query();
        q.sort = sort;
        q.limit = 2;
        let mut all = candidates();
        all[0].rating = Some(4.5);
        all[1].rating = Some(4.5);
        all[3].review_count = Some(10);
        let full = search_nearby(
            &NearbyQuery {
                limit: 100,
                ..q.clone()
            },
            all.clone(),
            &model,
        )
        .unwrap();
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = search_nearby(&q, all.clone(), &model).unwrap();
            pages += 1;
            seen.extend(page.items.iter().map(|h| h.place.id.clone()));
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        let expected: Vec<PlaceId> = full.items.iter().map(|h| h.place.id.clone()).collect();
        assert_eq!(seen, expected, "{sort:?}");
        assert_eq!(pages, 3);
    }
}

/// Many candidates with ties (several places at the same spot): the partial selection
/// pages through them in exactly the order of a full sort, none lost or repeated.
#[test]
fn partial_selection_pages_like_a_full_sort() {
    let model = StraightLineModel::default();
    let mut all = Vec::new();
    for i in 0..300_i64 {
        // 60 distinct distances, 5 places at each.
        let mut c = place(1000 + (i * 7919) % 300, "Spot", Category::Cafe, 0.0);
        let step = (i % 60) as f64 * 0.00004;
        c.place.position = GeoPoint::new(ORIGIN.0 + step, ORIGIN.1).unwrap();
        c.rating = (i % 3 == 0).then_some((i % 5) as f32);
        c.review_count = (i % 4 != 0).then_some((i % 7) as u32);
        c.place.names.local = format!("Spot {}", i % 11);
        all.push(c);
    }
    for sort in NearbySort::ALL {
        let mut q = query();
        q.sort = sort;
        q.limit = 7;
        let mut reference: Vec<(SortKey, PlaceId)> = all
            .iter()
            .map(|c| {
                let travel = model.estimate(q.origin, c.place.position, q.mode);
                let r = CandidateRef {
                    place: &c.place,
                    rating: c.rating,
                    review_count: c.review_count,
                };
                let h = Hit::new(sort, 0, Some(r), travel);
                let key = SortKey {
                    a: h.a,
                    b: h.b,
                    t: h.t,
                    id: c.place.id.to_string(),
                };
                (key, c.place.id.clone())
            })
            .collect();
        reference.sort();
        let mut seen = Vec::new();
        loop {
            let page = search_nearby(&q, all.clone(), &model).unwrap();
            assert_eq!(page.total, 300);
            seen.extend(page.items.iter().map(|h| h.place.id.clone()));
            match page.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
        let expected: Vec<PlaceId> = reference.into_iter().map(|(_, id)| id).collect();
        assert_eq!(seen, expected, "{sort:?}");
    }
}

#[test]
fn sort_orders() {
    let model = StraightLineModel::default();
    let mut all = candidates();
    all[2].rating = Some(4.9); // Museum
    all[0].rating = Some(3.0);
    let mut q = query();
    q.sort = NearbySort::Rating;
    let page = search_nearby(&q, all.clone(), &model).unwrap();
    assert_eq!(page.items[0].place.names.local, "Museum");
    assert_eq!(page.items[1].place.names.local, "Café Zentral");
    q.sort = NearbySort::Name;
    let page = search_nearby(&q, all, &model).unwrap();
    let names: Vec<&str> = page
        .items
        .iter()
        .map(|h| h.place.names.local.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Alte Bar",
            "Bäckerei Café",
            "Biergarten",
            "Café Zentral",
            "Museum"
        ]
    );
}

#[test]
fn cursor_of_another_query_is_rejected() {
    let model = StraightLineModel::default();
    let mut q = query();
    q.limit = 1;
    let cursor = search_nearby(&q, candidates(), &model)
        .unwrap()
        .next_cursor
        .unwrap();
    let mut other = query();
    other.sort = NearbySort::Name;
    other.cursor = Some(cursor);
    let err = search_nearby(&other, candidates(), &model).unwrap_err();
    assert_eq!(err.field(), "cursor");
    other.cursor = Some("!!not base64!!".into());
    assert!(search_nearby(&other, candidates(), &model).is_err());
}

#[test]
fn request_validation_names_fields() {
    let ok = NearbyRequest {
        lat: 48.1,
        lon: 11.5,
        budget: 30,
        ..NearbyRequest::default()
    };
    assert_eq!(ok.validate().unwrap().budget, TimeBudget::Min30);
    let field = |r: NearbyRequest| r.validate().unwrap_err().field().to_owned();
    assert_eq!(
        field(NearbyRequest {
            budget: 15,
            ..ok.clone()
        }),
        "budget"
    );
    assert_eq!(
        field(NearbyRequest {
            lat: 95.0,
            ..ok.clone()
        }),
        "lat"
    );
    assert_eq!(
        field(NearbyRequest {
            lon: -181.0,
            ..ok.clone()
        }),
        "lon"
    );
    assert_eq!(
        field(NearbyRequest {
            category: Some("spa".into()),
            ..ok.clone()
        }),
        "category"
    );
    assert_eq!(
        field(NearbyRequest {
            keyword: Some("   ".into()),
            ..ok.clone()
        }),
        "keyword"
    );
    assert_eq!(
        field(NearbyRequest {
            mode: Some("bike".into()),
            ..ok.clone()
        }),
        "mode"
    );
    assert_eq!(
        field(NearbyRequest {
            sort: Some("price".into()),
            ..ok.clone()
        }),
        "sort"
    );
    assert_eq!(
        field(NearbyRequest {
            limit: Some(0),
            ..ok.clone()
        }),
        "limit"
    );
    assert!(matches!(
        TimeBudget::from_minutes(45, "budgetMinutes"),
        Err(ValidationError::BudgetNotAllowed { value: 45, .. })
    ));
    assert!(serde_json::from_str::<TimeBudget>("60").is_ok());
    assert!(serde_json::from_str::<TimeBudget>("20").is_err());
}

#[test]
fn radius_grows_with_budget_and_mode() {
    let m = StraightLineModel::default();
    let walk10 = search_radius_metres(&m, TravelMode::Walk, TimeBudget::Min10);
    let walk60 = search_radius_metres(&m, TravelMode::Walk, TimeBudget::Min60);
    let transit60 = search_radius_metres(&m, TravelMode::Transit, TimeBudget::Min60);
    assert!((550.0..600.0).contains(&walk10), "{walk10}");
    assert!(walk60 > walk10 * 5.0);
    assert!(transit60 > walk60);
}
