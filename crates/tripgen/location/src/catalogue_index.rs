//! In-memory spatial index of place summaries, the read model behind nearby search.
//!
//! Nearby search must rank every reachable place by travel time, which for a 60-minute
//! budget can be 100,000 candidates: scanning summaries in memory (an R-tree prefilter,
//! then the travel model) keeps latency in milliseconds where a database round trip per
//! candidate set would not. Each tree entry carries what the scan needs — position and
//! category — so the scan never touches the (large, scattered) summaries; only the places
//! that end up on the page, or that a keyword or non-distance sort needs, are looked up.
//! The database stays the source of truth; the index is rebuilt when the catalogue version
//! changes (every import bumps it).

use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::error::ValidationError;
use crate::geo::{EARTH_RADIUS_M, GeoPoint};
use crate::nearby::{
    CandidateRef, IndexedCandidate, MAX_LIMIT, NearbyPage, NearbyQuery, NearbySort, PageBuilder,
    search_nearby_indexed, static_sort_key,
};
use crate::reach_grid::ReachGrid;
use crate::store::StoredSummary;
use crate::travel::straight_line::StraightLineModel;
use crate::travel::{TravelEstimate, TravelTimeModel};

/// Entries live on the unit sphere: the straight (chord) distance between two points
/// orders them exactly as the great-circle distance does, so the tree's nearest-first
/// walk visits places in order of distance anywhere on Earth.
type Entry = GeomWithData<[f64; 3], IndexedCandidate>;

fn unit(p: GeoPoint) -> [f64; 3] {
    let (lat, lon) = (p.lat().to_radians(), p.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Chord on the unit sphere → metres along the surface.
fn chord_to_m(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / 2.0).min(1.0).asin()
}

/// Metres along the surface → chord on the unit sphere.
fn m_to_chord(m: f64) -> f64 {
    2.0 * (m / (2.0 * EARTH_RADIUS_M))
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}

pub struct CatalogueIndex {
    pub version: i64,
    tree: RTree<Entry>,
    places: Vec<StoredSummary>,
    grid: ReachGrid,
    /// Place indexes in the order of each sort other than travel time (ties by id).
    by_rating: Vec<usize>,
    by_review_count: Vec<usize>,
    by_name: Vec<usize>,
    by_significance: Vec<usize>,
}

impl CatalogueIndex {
    pub fn new(version: i64, places: Vec<StoredSummary>) -> Self {
        let compact: Vec<IndexedCandidate> = places
            .iter()
            .enumerate()
            .map(|(index, p)| IndexedCandidate {
                position: p.summary.position,
                category: p.summary.category,
                index,
            })
            .collect();
        let entries: Vec<Entry> = compact
            .iter()
            .map(|c| Entry::new(unit(c.position), *c))
            .collect();
        let mut index = CatalogueIndex {
            version,
            tree: RTree::bulk_load(entries),
            grid: ReachGrid::new(compact),
            places,
            by_rating: Vec::new(),
            by_review_count: Vec::new(),
            by_name: Vec::new(),
            by_significance: Vec::new(),
        };
        index.by_rating = index.order(NearbySort::Rating);
        index.by_review_count = index.order(NearbySort::ReviewCount);
        index.by_name = index.order(NearbySort::Name);
        index.by_significance = index.order(NearbySort::Significance);
        index
    }

    fn order(&self, sort: NearbySort) -> Vec<usize> {
        let mut keyed: Vec<((i64, i64, String), usize)> = (0..self.places.len())
            .filter_map(|i| {
                let c = self.candidate(i)?;
                Some((static_sort_key(sort, c)?, i))
            })
            .collect();
        keyed.sort_unstable_by(|(ka, ia), (kb, ib)| {
            ka.cmp(kb).then_with(|| self.id(*ia).cmp(self.id(*ib)))
        });
        keyed.into_iter().map(|(_, i)| i).collect()
    }

    fn id(&self, index: usize) -> &str {
        self.places.get(index).map_or("", |p| p.summary.id.as_str())
    }

    pub fn empty() -> Self {
        Self::new(-1, Vec::new())
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Places within `radius_m` (great-circle) of `centre`.
    pub fn around(&self, centre: GeoPoint, radius_m: f64) -> impl Iterator<Item = &StoredSummary> {
        self.around_indexed(centre, radius_m)
            .filter_map(|c| self.places.get(c.index))
    }

    /// [`around`](Self::around) as compact entries (position, category, index) for
    /// [`crate::nearby::search_nearby_indexed`]; resolve them with [`candidate`](Self::candidate).
    pub fn around_indexed(
        &self,
        centre: GeoPoint,
        radius_m: f64,
    ) -> impl Iterator<Item = IndexedCandidate> + '_ {
        // A metre of slack against rounding: callers apply the exact test.
        let chord = m_to_chord(radius_m.max(0.0) + 1.0);
        self.tree
            .locate_within_distance(unit(centre), chord * chord)
            .map(|e| e.data)
    }

    /// The place behind an index from [`around_indexed`](Self::around_indexed).
    pub fn candidate(&self, index: usize) -> Option<CandidateRef<'_>> {
        self.places.get(index).map(|s| CandidateRef {
            place: &s.summary,
            rating: s.rating,
            review_count: s.review_count,
        })
    }

    /// Nearby search (LOC-010): the same pages as
    /// [`search_nearby_indexed`] over every place within reach, found without visiting
    /// them all when there is no keyword — `total` from the [`ReachGrid`], the page from
    /// a nearest-first walk (travel-time sort; the straight-line model's minutes never
    /// decrease with distance) or from a walk along the presorted order (other sorts)
    /// when reachable places are common enough for it to end soon.
    pub fn nearby(
        &self,
        query: &NearbyQuery,
        model: &StraightLineModel,
    ) -> Result<NearbyPage, ValidationError> {
        let minutes = query.budget.minutes();
        let total = match query.keyword {
            Some(_) => None,
            None => {
                self.grid
                    .count_reachable(model, query.origin, query.mode, minutes, query.filter)
            }
        };
        let Some(total) = total else {
            return self.scan(query, model);
        };
        if total == 0 {
            // Nothing to page through; the cursor is still checked.
            return Ok(PageBuilder::new(query, |i| self.candidate(i))?.finish(0));
        }
        let order = match query.sort {
            NearbySort::TravelTime => return self.nearest_first(query, model, total),
            NearbySort::Rating => &self.by_rating,
            NearbySort::ReviewCount => &self.by_review_count,
            NearbySort::Name => &self.by_name,
            NearbySort::Significance => &self.by_significance,
        };
        // Walking the global order finds a page after about wanted × len / total places;
        // the scan visits at least the `total` places within reach.
        let wanted = query.limit.clamp(1, MAX_LIMIT) + 1;
        if wanted.saturating_mul(self.len()) / total <= total {
            self.in_order(query, model, order, total)
        } else {
            self.scan(query, model)
        }
    }

    /// Nearby search on the street router — a real isochrone: every place within the
    /// routed model's reach (an upper bound: routes are never shorter than the straight
    /// line) is timed with one one-to-many query, then paged like [`Self::scan`].
    pub fn nearby_routed(
        &self,
        query: &NearbyQuery,
        model: &crate::roads::RoutedTravel,
    ) -> Result<NearbyPage, ValidationError> {
        let radius = model.max_reach_m(query.mode, query.budget.minutes());
        let candidates: Vec<IndexedCandidate> = self
            .around_indexed(query.origin, radius)
            .filter(|c| query.filter.matches(c.category))
            .collect();
        let targets: Vec<GeoPoint> = candidates.iter().map(|c| c.position).collect();
        let times = model.one_to_many(query.origin, &targets, query.mode);
        let known = crate::roads::Timed::new(model, &targets, times);
        search_nearby_indexed(query, candidates, |i| self.candidate(i), &known)
    }

    /// Every place within the model's reach, tested one by one (keywords, and the
    /// reference the other strategies are tested against).
    fn scan(
        &self,
        query: &NearbyQuery,
        model: &StraightLineModel,
    ) -> Result<NearbyPage, ValidationError> {
        let radius = model.max_reach_m(query.mode, query.budget.minutes());
        let candidates = self.around_indexed(query.origin, radius);
        search_nearby_indexed(query, candidates, |i| self.candidate(i), model)
    }

    fn nearest_first(
        &self,
        query: &NearbyQuery,
        model: &StraightLineModel,
        total: usize,
    ) -> Result<NearbyPage, ValidationError> {
        let minutes = query.budget.minutes();
        let outer = model.max_reach_m(query.mode, minutes);
        let mut page = PageBuilder::new(query, |i| self.candidate(i))?;
        let mut after_cursor = 0usize;
        // Minutes of the last hit the page needs; hits with the same minutes may still
        // outrank it (metres, id), later minutes cannot. A metre of grace past the first
        // later-minute place covers rounding between chord and haversine distances.
        let mut page_minutes: Option<u32> = None;
        let mut stop_beyond_m: Option<f64> = None;
        for (entry, chord2) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(&unit(query.origin))
        {
            let d = chord_to_m(chord2.sqrt());
            if d > outer || stop_beyond_m.is_some_and(|s| d > s) {
                break;
            }
            let c = entry.data;
            if !query.filter.matches(c.category) {
                continue;
            }
            let travel = model.estimate(query.origin, c.position, query.mode);
            if travel.minutes > minutes {
                continue;
            }
            if page_minutes.is_some_and(|m| travel.minutes > m) {
                stop_beyond_m.get_or_insert(d + 1.0);
                continue;
            }
            if page.offer(c.index, None, travel) {
                after_cursor += 1;
                if after_cursor == page.wanted() {
                    page_minutes = Some(travel.minutes);
                }
            }
        }
        Ok(page.finish(total))
    }

    fn in_order(
        &self,
        query: &NearbyQuery,
        model: &StraightLineModel,
        order: &[usize],
        total: usize,
    ) -> Result<NearbyPage, ValidationError> {
        let minutes = query.budget.minutes();
        let mut page = PageBuilder::new(query, |i| self.candidate(i))?;
        // The order is the sort order, so the cursor is a binary search away.
        let start = order.partition_point(|&i| {
            !page.is_after_cursor(i, self.candidate(i), TravelEstimate::default())
        });
        let mut after_cursor = 0usize;
        for &i in order.get(start..).unwrap_or_default() {
            let Some(full) = self.candidate(i) else {
                continue;
            };
            if !query.filter.matches(full.place.category) {
                continue;
            }
            let travel = model.estimate(query.origin, full.place.position, query.mode);
            if travel.minutes > minutes {
                continue;
            }
            if page.offer(i, Some(full), travel) {
                after_cursor += 1;
                if after_cursor == page.wanted() {
                    break;
                }
            }
        }
        Ok(page.finish(total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::{Category, CategoryFilter, CategoryGroup, Exposure};
    use crate::nearby::{NearbySort, TimeBudget};
    use crate::opening_hours::OpeningHours;
    use crate::place::{
        Address, ElementKind, ElementRef, Place, PlaceId, PlaceNames, PlaceSummary, SourceRecord,
        Wheelchair,
    };
    use crate::travel::TravelMode;

    /// Deterministic numbers in [0, 1) (SplitMix64).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn pick<T: Copy>(&mut self, of: &[T]) -> T {
            of[(self.next() * of.len() as f64) as usize % of.len()]
        }
    }

    fn stored(id: i64, name: &str, category: Category, lat: f64, lon: f64) -> StoredSummary {
        let element = ElementRef {
            kind: ElementKind::Node,
            id,
        };
        let place = Place {
            id: PlaceId::from_element(element),
            names: PlaceNames {
                local: name.into(),
                en: None,
                ko: None,
            },
            position: GeoPoint::new(lat, lon).unwrap(),
            category,
            kind: "tourism=attraction".into(),
            opening_hours: OpeningHours::missing(),
            visit_minutes: 30,
            exposure: Exposure::Indoor,
            wheelchair: Wheelchair::Unknown,
            address: Address::default(),
            phone: None,
            website: None,
            cuisine: Vec::new(),
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
        };
        StoredSummary {
            summary: PlaceSummary::from(&place),
            rating: None,
            review_count: None,
        }
    }

    /// Places scattered up to ~20 km around `centre`, with repeated positions, names,
    /// ratings and review counts so that every sort has ties.
    fn scattered(rng: &mut Rng, centre: (f64, f64), n: usize, first_id: i64) -> Vec<StoredSummary> {
        let names = [
            "Alte Post",
            "Café Luitpold",
            "café luitpold",
            "Zum Hirschen",
            "Öde",
        ];
        let mut out: Vec<StoredSummary> = Vec::new();
        for k in 0..n {
            let (lat, lon) = if k % 3 == 1 && !out.is_empty() {
                let p = out[out.len() - 1].summary.position;
                (p.lat(), p.lon())
            } else {
                (
                    centre.0 + (rng.next() - 0.5) * 0.36,
                    centre.1 + (rng.next() - 0.5) * 0.54,
                )
            };
            let mut s = stored(
                first_id + k as i64,
                rng.pick(&names),
                rng.pick(&Category::ALL),
                lat,
                lon.clamp(-180.0, 180.0),
            );
            s.rating = rng.pick(&[None, Some(4.5), Some(3.9), Some(4.5_f32)]);
            s.review_count = rng.pick(&[None, Some(12), Some(250), Some(12_u32)]);
            out.push(s);
        }
        out
    }

    /// The reference: the full scan over every place of the index.
    fn reference(index: &CatalogueIndex, q: &NearbyQuery) -> NearbyPage {
        let all = (0..index.len()).filter_map(|i| {
            index.candidate(i).map(|c| IndexedCandidate {
                position: c.place.position,
                category: c.place.category,
                index: i,
            })
        });
        search_nearby_indexed(
            q,
            all,
            |i| index.candidate(i),
            &StraightLineModel::default(),
        )
        .unwrap()
    }

    fn same_pages(index: &CatalogueIndex, mut q: NearbyQuery, pages: usize) {
        let model = StraightLineModel::default();
        for page_no in 0..pages {
            let fast = index.nearby(&q, &model).unwrap();
            let slow = reference(index, &q);
            assert_eq!(
                fast,
                slow,
                "page {page_no} differs for {:?} {:?} {} min {:?} {:?} limit {}",
                q.origin,
                q.mode,
                q.budget.minutes(),
                q.filter,
                q.sort,
                q.limit
            );
            match fast.next_cursor {
                Some(c) => q.cursor = Some(c),
                None => break,
            }
        }
    }

    #[test]
    fn every_strategy_pages_like_the_full_scan() {
        let mut rng = Rng(7);
        let munich = (48.137, 11.575);
        let mut places = scattered(&mut rng, munich, 4_000, 1);
        places.extend(scattered(&mut rng, (37.57, 126.98), 200, 100_000));
        let index = CatalogueIndex::new(1, places);
        let filters = [
            CategoryFilter::Group(CategoryGroup::All),
            CategoryFilter::Group(CategoryGroup::Sights),
            CategoryFilter::Group(CategoryGroup::Food),
            CategoryFilter::Group(CategoryGroup::Laundry),
            CategoryFilter::Category(Category::Museum),
        ];
        let origins = [
            munich,
            (48.20, 11.50),
            (48.137, 11.31), // at the west edge of the scatter
            (47.5, 10.5),    // nothing within reach
        ];
        for (lat, lon) in origins {
            for mode in [TravelMode::Walk, TravelMode::Transit, TravelMode::Car] {
                for budget in [TimeBudget::Min10, TimeBudget::Min30, TimeBudget::Min60] {
                    for filter in filters {
                        for sort in NearbySort::ALL {
                            let mut q =
                                NearbyQuery::new(GeoPoint::new(lat, lon).unwrap(), mode, budget);
                            q.filter = filter;
                            q.sort = sort;
                            q.limit = rng.pick(&[1, 7, 100]);
                            same_pages(&index, q, 3);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn keyword_searches_and_the_antimeridian_fall_back_to_the_scan() {
        let mut rng = Rng(11);
        let mut places = scattered(&mut rng, (-17.8, 179.95), 600, 1);
        places.extend(scattered(&mut rng, (48.137, 11.575), 600, 10_000));
        let index = CatalogueIndex::new(1, places);
        for (lat, lon) in [(-17.8, 179.99), (48.137, 11.575)] {
            for sort in NearbySort::ALL {
                let mut q = NearbyQuery::new(
                    GeoPoint::new(lat, lon).unwrap(),
                    TravelMode::Car,
                    TimeBudget::Min60,
                );
                q.sort = sort;
                q.limit = 5;
                same_pages(&index, q.clone(), 3);
                q.keyword = Some("luitpold".into());
                same_pages(&index, q, 3);
            }
        }
    }

    #[test]
    fn around_is_the_circle() {
        let mut rng = Rng(3);
        let index = CatalogueIndex::new(1, scattered(&mut rng, (48.137, 11.575), 2_000, 1));
        let centre = GeoPoint::new(48.137, 11.575).unwrap();
        let inside: usize = index.around(centre, 5_000.0).count();
        let truth = (0..index.len())
            .filter_map(|i| index.candidate(i))
            .filter(|c| c.place.position.haversine_m(&centre) <= 5_000.0)
            .count();
        // One metre of slack: at most the places within 5,001 m.
        let slack = (0..index.len())
            .filter_map(|i| index.candidate(i))
            .filter(|c| c.place.position.haversine_m(&centre) <= 5_002.0)
            .count();
        assert!(
            inside >= truth && inside <= slack,
            "{inside} vs {truth}..{slack}"
        );
    }
}
