//! The exact part of a nearby search: reachability within the budget, keyword and
//! category filters, stable sort and keyset pagination.

use std::cmp::Ordering;

use super::cursor::{SortKey, decode_cursor, encode_cursor};
use super::text::matches_keyword;
use super::*;

/// Runs the search over `candidates` (typically prefiltered by radius in storage).
pub fn search_nearby(
    query: &NearbyQuery,
    candidates: impl IntoIterator<Item = NearbyCandidate>,
    model: &impl TravelTimeModel,
) -> Result<NearbyPage, ValidationError> {
    let owned: Vec<NearbyCandidate> = candidates.into_iter().collect();
    search_nearby_in(
        query,
        owned.iter().map(|c| CandidateRef {
            place: &c.place,
            rating: c.rating,
            review_count: c.review_count,
        }),
        model,
    )
}

/// A candidate borrowed from wherever the caller keeps it (e.g. an in-memory index).
#[derive(Debug, Clone, Copy)]
pub struct CandidateRef<'a> {
    pub place: &'a PlaceSummary,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
}

/// What the scan needs of a candidate, kept compact so a search over 100,000 places stays
/// in cache; `index` finds the full candidate when it is needed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexedCandidate {
    pub position: GeoPoint,
    pub category: Category,
    pub index: usize,
}

/// The search over borrowed candidates.
pub fn search_nearby_in<'a>(
    query: &NearbyQuery,
    candidates: impl IntoIterator<Item = CandidateRef<'a>>,
    model: &impl TravelTimeModel,
) -> Result<NearbyPage, ValidationError> {
    let all: Vec<CandidateRef<'a>> = candidates.into_iter().collect();
    let indexed = all.iter().enumerate().map(|(index, c)| IndexedCandidate {
        position: c.place.position,
        category: c.place.category,
        index,
    });
    search_nearby_indexed(query, indexed, |i| all.get(i).copied(), model)
}

/// The search over compact candidates: one category test and one travel estimate each; the
/// full candidate (`resolve`) is looked up only for a keyword, a sort other than travel
/// time, ties, and the returned page. This full scan is the reference behaviour: the
/// catalogue index's faster strategies must return exactly its pages.
pub fn search_nearby_indexed<'a>(
    query: &NearbyQuery,
    candidates: impl IntoIterator<Item = IndexedCandidate>,
    resolve: impl Fn(usize) -> Option<CandidateRef<'a>>,
    model: &impl TravelTimeModel,
) -> Result<NearbyPage, ValidationError> {
    let mut page = PageBuilder::new(query, resolve)?;
    let keyword = query.keyword.as_deref().map(fold);
    let budget = query.budget.minutes();
    let needs_candidate = keyword.is_some() || query.sort != NearbySort::TravelTime;
    let mut total = 0usize;
    let mut buf = String::new();
    for c in candidates {
        if !query.filter.matches(c.category) {
            continue;
        }
        let full = if needs_candidate {
            let Some(full) = page.resolve(c.index) else {
                continue;
            };
            if let Some(k) = keyword.as_deref()
                && !matches_keyword(full.place, k, &mut buf)
            {
                continue;
            }
            Some(full)
        } else {
            None
        };
        let travel = model.estimate(query.origin, c.position, query.mode);
        if travel.minutes > budget {
            continue;
        }
        total += 1;
        page.offer(c.index, full, travel);
    }
    Ok(page.finish(total))
}

/// Collects one page of hits in sort order after the query's cursor. Only the page (and
/// one more, to know whether there is a next page) needs ordering: a buffer of at most
/// 2 × that is cut back to the best `wanted` whenever it fills, and hits worse than the
/// worst kept are skipped — O(n) time, O(page) memory whatever order hits are offered in.
pub(crate) struct PageBuilder<'q, R> {
    query: &'q NearbyQuery,
    resolve: R,
    after: Option<SortKey>,
    limit: usize,
    wanted: usize,
    hits: Vec<Hit>,
    worst_kept: Option<Hit>,
}

impl<'q, 'a, R: Fn(usize) -> Option<CandidateRef<'a>>> PageBuilder<'q, R> {
    pub(crate) fn new(query: &'q NearbyQuery, resolve: R) -> Result<Self, ValidationError> {
        let after = query
            .cursor
            .as_deref()
            .map(|c| decode_cursor(query, c))
            .transpose()?;
        let limit = query.limit.clamp(1, MAX_LIMIT);
        Ok(Self {
            query,
            resolve,
            after,
            limit,
            wanted: limit + 1,
            hits: Vec::with_capacity(2 * (limit + 1)),
            worst_kept: None,
        })
    }

    pub(crate) fn resolve(&self, index: usize) -> Option<CandidateRef<'a>> {
        (self.resolve)(index)
    }

    /// Hits the page needs: the page itself and one more.
    pub(crate) fn wanted(&self) -> usize {
        self.wanted
    }

    fn id_of(&self, index: usize) -> &'a str {
        (self.resolve)(index).map_or("", |c| c.place.id.as_str())
    }

    fn cmp(&self, x: &Hit, y: &Hit) -> Ordering {
        (x.a, x.b, x.t.as_str())
            .cmp(&(y.a, y.b, y.t.as_str()))
            .then_with(|| self.id_of(x.index).cmp(self.id_of(y.index)))
    }

    /// The cursor position of a candidate with this full candidate (for sorts other than
    /// travel time) and travel estimate: `true` when it comes after the cursor, i.e.
    /// belongs on this page or a later one.
    pub(crate) fn is_after_cursor(
        &self,
        index: usize,
        full: Option<CandidateRef<'a>>,
        travel: TravelEstimate,
    ) -> bool {
        self.after_cursor(&Hit::new(self.query.sort, index, full, travel))
    }

    fn after_cursor(&self, hit: &Hit) -> bool {
        self.after.as_ref().is_none_or(|key| {
            (hit.a, hit.b, hit.t.as_str())
                .cmp(&(key.a, key.b, key.t.as_str()))
                .then_with(|| self.id_of(hit.index).cmp(key.id.as_str()))
                == Ordering::Greater
        })
    }

    /// Offers a reachable hit (`full` is required for sorts other than travel time).
    /// Returns whether it comes after the cursor.
    pub(crate) fn offer(
        &mut self,
        index: usize,
        full: Option<CandidateRef<'a>>,
        travel: TravelEstimate,
    ) -> bool {
        let hit = Hit::new(self.query.sort, index, full, travel);
        if !self.after_cursor(&hit) {
            return false;
        }
        if self
            .worst_kept
            .as_ref()
            .is_some_and(|w| self.cmp(&hit, w) == Ordering::Greater)
        {
            return true;
        }
        self.hits.push(hit);
        if self.hits.len() == 2 * self.wanted {
            self.cut();
            self.worst_kept = self.hits.get(self.wanted - 1).cloned();
        }
        true
    }

    fn cut(&mut self) {
        let mut hits = std::mem::take(&mut self.hits);
        if hits.len() > self.wanted {
            hits.select_nth_unstable_by(self.wanted - 1, |x, y| self.cmp(x, y));
            hits.truncate(self.wanted);
        }
        self.hits = hits;
    }

    /// The page, with `total` reachable matches over all pages.
    pub(crate) fn finish(mut self, total: usize) -> NearbyPage {
        self.cut();
        let mut hits = std::mem::take(&mut self.hits);
        hits.sort_unstable_by(|x, y| self.cmp(x, y));
        // The catalogue's primary key makes ids unique; a caller passing the same place
        // twice gets it once on the page.
        hits.dedup_by(|b, a| self.id_of(a.index) == self.id_of(b.index));
        let has_more = hits.len() > self.limit;
        hits.truncate(self.limit);
        let next_cursor = if has_more {
            hits.last().and_then(|h| {
                let key = SortKey {
                    a: h.a,
                    b: h.b,
                    t: h.t.clone(),
                    id: self.id_of(h.index).to_owned(),
                };
                encode_cursor(self.query, key)
            })
        } else {
            None
        };
        NearbyPage {
            items: hits
                .into_iter()
                .filter_map(|h| {
                    (self.resolve)(h.index).map(|c| NearbyHit {
                        place: c.place.clone(),
                        travel: h.travel,
                        rating: c.rating,
                        review_count: c.review_count,
                    })
                })
                .collect(),
            next_cursor,
            total,
        }
    }
}

/// A reachable candidate and its sort key, in [`SortKey`] order without the id (compared
/// through the index only on ties, so no id string is copied per candidate).
#[derive(Clone)]
pub(super) struct Hit {
    pub(super) a: i64,
    pub(super) b: i64,
    /// Folded name, only for [`NearbySort::Name`] (empty otherwise).
    pub(super) t: String,
    index: usize,
    travel: TravelEstimate,
}

/// The sort key of a candidate for sorts other than travel time (ties broken by id).
pub(crate) fn static_sort_key(sort: NearbySort, c: CandidateRef<'_>) -> Option<(i64, i64, String)> {
    match sort {
        NearbySort::TravelTime => None,
        NearbySort::Rating => Some(match c.rating.filter(|r| r.is_finite()) {
            Some(r) => (0, -((f64::from(r) * 1000.0).round() as i64), String::new()),
            None => (1, 0, String::new()),
        }),
        NearbySort::ReviewCount => Some(match c.review_count {
            Some(n) => (0, -i64::from(n), String::new()),
            None => (1, 0, String::new()),
        }),
        NearbySort::Name => Some((0, 0, fold(&c.place.names.local))),
        NearbySort::Significance => {
            Some((0, -i64::from(c.place.significance.score), String::new()))
        }
    }
}

impl Hit {
    /// `full` is present whenever the sort needs more than the travel estimate.
    pub(super) fn new(
        sort: NearbySort,
        index: usize,
        full: Option<CandidateRef<'_>>,
        travel: TravelEstimate,
    ) -> Self {
        let (a, b, t) = full
            .and_then(|c| static_sort_key(sort, c))
            .unwrap_or_else(|| {
                (
                    i64::from(travel.minutes),
                    i64::from(travel.metres),
                    String::new(),
                )
            });
        Hit {
            a,
            b,
            t,
            index,
            travel,
        }
    }
}
