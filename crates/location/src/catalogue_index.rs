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

use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};

use crate::geo::{BoundingBox, GeoPoint};
use crate::nearby::{CandidateRef, IndexedCandidate};
use crate::store::StoredSummary;

type Entry = GeomWithData<[f64; 2], IndexedCandidate>;

pub struct CatalogueIndex {
    pub version: i64,
    tree: RTree<Entry>,
    places: Vec<StoredSummary>,
}

impl CatalogueIndex {
    pub fn new(version: i64, places: Vec<StoredSummary>) -> Self {
        let entries: Vec<Entry> = places
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let position = p.summary.position;
                Entry::new(
                    [position.lon(), position.lat()],
                    IndexedCandidate {
                        position,
                        category: p.summary.category,
                        index,
                    },
                )
            })
            .collect();
        CatalogueIndex {
            version,
            tree: RTree::bulk_load(entries),
            places,
        }
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

    /// Places inside the box around `centre` of half-size `radius_m` (a superset of the
    /// circle; the caller applies the exact travel model).
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
        let b = BoundingBox::around_radius(centre, radius_m);
        let envelope = AABB::from_corners([b.min_lon, b.min_lat], [b.max_lon, b.max_lat]);
        self.tree.locate_in_envelope(&envelope).map(|e| e.data)
    }

    /// The place behind an index from [`around_indexed`](Self::around_indexed).
    pub fn candidate(&self, index: usize) -> Option<CandidateRef<'_>> {
        self.places.get(index).map(|s| CandidateRef {
            place: &s.summary,
            rating: s.rating,
            review_count: s.review_count,
        })
    }
}
