//! Nearby search, pure: filter candidate places by category and keyword, keep those
//! reachable from an origin within a 10/30/60-minute budget with the travel model, sort
//! stably and paginate with an opaque keyset cursor.
//!
//! The storage layer prefilters candidates with an index, using
//! [`search_radius_metres`] (the largest straight-line distance reachable for the mode and
//! budget) around the origin; this module does the exact part.

use std::cmp::Ordering;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::category::{Category, CategoryFilter};
use crate::error::ValidationError;
use crate::geo::GeoPoint;
use crate::place::{Place, PlaceSummary};
use crate::travel::{TravelEstimate, TravelMode, TravelTimeModel};

/// The allowed time budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub enum TimeBudget {
    Min10,
    Min30,
    Min60,
}

impl TimeBudget {
    pub fn minutes(self) -> u32 {
        match self {
            TimeBudget::Min10 => 10,
            TimeBudget::Min30 => 30,
            TimeBudget::Min60 => 60,
        }
    }

    /// 10, 30 or 60; anything else is rejected with the caller's field name.
    pub fn from_minutes(value: i64, field: &str) -> Result<Self, ValidationError> {
        match value {
            10 => Ok(TimeBudget::Min10),
            30 => Ok(TimeBudget::Min30),
            60 => Ok(TimeBudget::Min60),
            _ => Err(ValidationError::BudgetNotAllowed {
                field: field.to_owned(),
                value,
            }),
        }
    }
}

impl TryFrom<i64> for TimeBudget {
    type Error = ValidationError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        TimeBudget::from_minutes(value, "budget")
    }
}

impl From<TimeBudget> for u32 {
    fn from(b: TimeBudget) -> u32 {
        b.minutes()
    }
}

/// Result order. Ties are always broken by place id, so the order is total and stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NearbySort {
    #[default]
    TravelTime,
    /// Highest rating first; unrated last.
    Rating,
    /// By local name, case- and accent-insensitive.
    Name,
    /// Most reviews first; unreviewed last.
    ReviewCount,
    /// What travellers come for first (place significance, 0–100).
    Significance,
}

impl NearbySort {
    pub const ALL: [NearbySort; 5] = [
        NearbySort::TravelTime,
        NearbySort::Rating,
        NearbySort::Name,
        NearbySort::ReviewCount,
        NearbySort::Significance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NearbySort::TravelTime => "travelTime",
            NearbySort::Rating => "rating",
            NearbySort::Name => "name",
            NearbySort::ReviewCount => "reviewCount",
            NearbySort::Significance => "significance",
        }
    }

    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        NearbySort::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(value.trim()))
            .ok_or_else(|| ValidationError::UnknownValue {
                field: field.to_owned(),
                value: value.to_owned(),
            })
    }
}

/// A place as the storage layer hands it over, with review data joined in if it has any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyCandidate {
    pub place: PlaceSummary,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
}

impl From<Place> for NearbyCandidate {
    fn from(place: Place) -> Self {
        Self {
            place: PlaceSummary::from(&place),
            rating: None,
            review_count: None,
        }
    }
}

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
const MAX_KEYWORD_CHARS: usize = 100;

/// A validated query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyQuery {
    pub origin: GeoPoint,
    pub mode: TravelMode,
    pub budget: TimeBudget,
    pub filter: CategoryFilter,
    /// Already trimmed and non-empty (see [`validate_keyword`]).
    pub keyword: Option<String>,
    pub sort: NearbySort,
    pub limit: usize,
    pub cursor: Option<String>,
}

impl NearbyQuery {
    pub fn new(origin: GeoPoint, mode: TravelMode, budget: TimeBudget) -> Self {
        Self {
            origin,
            mode,
            budget,
            filter: CategoryFilter::default(),
            keyword: None,
            sort: NearbySort::default(),
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// The raw request as an HTTP layer would deserialize it; [`NearbyRequest::validate`]
/// turns it into a [`NearbyQuery`] or a [`ValidationError`] naming the field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyRequest {
    pub lat: f64,
    pub lon: f64,
    pub mode: Option<String>,
    pub budget: i64,
    pub category: Option<String>,
    pub keyword: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl NearbyRequest {
    pub fn validate(&self) -> Result<NearbyQuery, ValidationError> {
        let origin = GeoPoint::validated(self.lat, self.lon, "lat", "lon")?;
        let mode = match &self.mode {
            Some(m) => TravelMode::parse(m, "mode")?,
            None => TravelMode::Walk,
        };
        let budget = TimeBudget::from_minutes(self.budget, "budget")?;
        let filter = match &self.category {
            Some(c) => CategoryFilter::parse(c, "category")?,
            None => CategoryFilter::default(),
        };
        let keyword = self
            .keyword
            .as_deref()
            .map(|k| validate_keyword(k, "keyword"))
            .transpose()?;
        let sort = match &self.sort {
            Some(s) => NearbySort::parse(s, "sort")?,
            None => NearbySort::default(),
        };
        let limit = match self.limit {
            None => DEFAULT_LIMIT,
            Some(l) => usize::try_from(l)
                .ok()
                .filter(|l| (1..=MAX_LIMIT).contains(l))
                .ok_or(ValidationError::OutOfRange {
                    field: "limit".to_owned(),
                    value: l,
                    min: 1,
                    max: MAX_LIMIT as i64,
                })?,
        };
        Ok(NearbyQuery {
            origin,
            mode,
            budget,
            filter,
            keyword,
            sort,
            limit,
            cursor: self.cursor.clone(),
        })
    }
}

/// Trims a keyword; empty (or whitespace-only) is an error, as is one over 100 characters.
pub fn validate_keyword(raw: &str, field: &str) -> Result<String, ValidationError> {
    let k = raw.trim();
    if k.is_empty() {
        return Err(ValidationError::Empty {
            field: field.to_owned(),
        });
    }
    let chars = k.chars().count();
    if chars > MAX_KEYWORD_CHARS {
        return Err(ValidationError::OutOfRange {
            field: field.to_owned(),
            value: chars as i64,
            min: 1,
            max: MAX_KEYWORD_CHARS as i64,
        });
    }
    Ok(k.to_owned())
}

/// Prefilter radius for the storage layer: the largest straight-line distance reachable
/// with `mode` within `budget` under `model`.
pub fn search_radius_metres(
    model: &impl TravelTimeModel,
    mode: TravelMode,
    budget: TimeBudget,
) -> f64 {
    model.max_reach_m(mode, budget.minutes())
}

/// A reachable place with its travel estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyHit {
    pub place: PlaceSummary,
    pub travel: TravelEstimate,
    pub rating: Option<f32>,
    pub review_count: Option<u32>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearbyPage {
    pub items: Vec<NearbyHit>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Reachable places matching the filters, over all pages.
    pub total: usize,
}

/// Lower-case and strip common Latin accents, so `cafe` finds `Café` and `munchen` `München`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] into a caller's buffer (cleared first), so a scan over many places reuses one
/// allocation.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' | 'č' | 'ć' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'š' | 'ś' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            _ => out.push(c),
        }
    }
}

fn matches_keyword(place: &PlaceSummary, folded_keyword: &str, buf: &mut String) -> bool {
    let mut contains = |text: &str| {
        fold_into(text, buf);
        buf.contains(folded_keyword)
    };
    let names = [
        Some(&place.names.local),
        place.names.en.as_ref(),
        place.names.ko.as_ref(),
    ];
    names.into_iter().flatten().any(|n| contains(n))
        || place.cuisine.iter().any(|c| contains(c))
        || place.category.as_str().contains(folded_keyword)
        || contains(&place.kind)
}

/// Totally ordered sort key; what the cursor stores.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct SortKey {
    a: i64,
    b: i64,
    t: String,
    id: String,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    /// Fingerprint of the query the cursor belongs to.
    q: String,
    k: SortKey,
}

/// Stable (FNV-1a) fingerprint of everything that defines the result order and set.
fn fingerprint(q: &NearbyQuery) -> String {
    let text = format!(
        "{:.7}|{:.7}|{}|{}|{:?}|{}|{}",
        q.origin.lat(),
        q.origin.lon(),
        q.mode,
        q.budget.minutes(),
        q.filter,
        q.keyword.as_deref().map(fold).unwrap_or_default(),
        q.sort.as_str()
    );
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn encode_cursor(query: &NearbyQuery, key: SortKey) -> Option<String> {
    let cursor = Cursor {
        q: fingerprint(query),
        k: key,
    };
    serde_json::to_vec(&cursor)
        .ok()
        .map(|json| URL_SAFE_NO_PAD.encode(json))
}

fn decode_cursor(query: &NearbyQuery, raw: &str) -> Result<SortKey, ValidationError> {
    let invalid = || ValidationError::InvalidCursor {
        field: "cursor".to_owned(),
    };
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if cursor.q != fingerprint(query) {
        return Err(invalid());
    }
    Ok(cursor.k)
}

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
struct Hit {
    a: i64,
    b: i64,
    /// Folded name, only for [`NearbySort::Name`] (empty otherwise).
    t: String,
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
    fn new(
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

#[cfg(test)]
mod tests {
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
}
