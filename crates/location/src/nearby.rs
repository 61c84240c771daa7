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

use crate::category::CategoryFilter;
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
}

impl NearbySort {
    pub const ALL: [NearbySort; 4] = [
        NearbySort::TravelTime,
        NearbySort::Rating,
        NearbySort::Name,
        NearbySort::ReviewCount,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NearbySort::TravelTime => "travelTime",
            NearbySort::Rating => "rating",
            NearbySort::Name => "name",
            NearbySort::ReviewCount => "reviewCount",
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
    out
}

fn matches_keyword(place: &PlaceSummary, folded_keyword: &str) -> bool {
    let names = [
        Some(&place.names.local),
        place.names.en.as_ref(),
        place.names.ko.as_ref(),
    ];
    names
        .into_iter()
        .flatten()
        .any(|n| fold(n).contains(folded_keyword))
        || place
            .cuisine
            .iter()
            .any(|c| fold(c).contains(folded_keyword))
        || place.category.as_str().contains(folded_keyword)
        || fold(&place.kind).contains(folded_keyword)
}

/// Totally ordered sort key; what the cursor stores.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct SortKey {
    a: i64,
    b: i64,
    t: String,
    id: String,
}

fn sort_key_of(sort: NearbySort, c: CandidateRef<'_>, travel: TravelEstimate) -> SortKey {
    let (a, b, t) = match sort {
        NearbySort::TravelTime => (
            i64::from(travel.minutes),
            i64::from(travel.metres),
            String::new(),
        ),
        NearbySort::Rating => match c.rating.filter(|r| r.is_finite()) {
            Some(r) => (0, -((f64::from(r) * 1000.0).round() as i64), String::new()),
            None => (1, 0, String::new()),
        },
        NearbySort::ReviewCount => match c.review_count {
            Some(n) => (0, -i64::from(n), String::new()),
            None => (1, 0, String::new()),
        },
        NearbySort::Name => (0, 0, fold(&c.place.names.local)),
    };
    SortKey {
        a,
        b,
        t,
        id: c.place.id.to_string(),
    }
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

/// The search over borrowed candidates: only the returned page is cloned, so a budget
/// that reaches 100,000 places costs one travel estimate and one sort key each.
pub fn search_nearby_in<'a>(
    query: &NearbyQuery,
    candidates: impl IntoIterator<Item = CandidateRef<'a>>,
    model: &impl TravelTimeModel,
) -> Result<NearbyPage, ValidationError> {
    let after = query
        .cursor
        .as_deref()
        .map(|c| decode_cursor(query, c))
        .transpose()?;
    let keyword = query.keyword.as_deref().map(fold);
    let budget = query.budget.minutes();
    let limit = query.limit.clamp(1, MAX_LIMIT);

    let mut hits: Vec<(SortKey, CandidateRef<'a>, TravelEstimate)> = candidates
        .into_iter()
        .filter(|c| query.filter.matches(c.place.category))
        .filter(|c| {
            keyword
                .as_deref()
                .is_none_or(|k| matches_keyword(c.place, k))
        })
        .filter_map(|c| {
            let travel = model.estimate(query.origin, c.place.position, query.mode);
            (travel.minutes <= budget).then_some((c, travel))
        })
        .map(|(c, travel)| (sort_key_of(query.sort, c, travel), c, travel))
        .collect();
    // Duplicate ids (e.g. the same element from two files) would make the cursor ambiguous;
    // the storage layer should not send them, but keep only the first if it does.
    hits.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    hits.dedup_by(|b, a| a.0.id == b.0.id);
    let total = hits.len();

    let start = match &after {
        Some(key) => hits.partition_point(|(k, _, _)| k.cmp(key) != Ordering::Greater),
        None => 0,
    };
    let end = (start + limit).min(total);
    let has_more = total > end;
    let page = hits.get(start..end).unwrap_or_default();
    let next_cursor = if has_more {
        page.last()
            .and_then(|(k, _, _)| encode_cursor(query, k.clone()))
    } else {
        None
    };
    Ok(NearbyPage {
        items: page
            .iter()
            .map(|(_, c, travel)| NearbyHit {
                place: c.place.clone(),
                travel: *travel,
                rating: c.rating,
                review_count: c.review_count,
            })
            .collect(),
        next_cursor,
        total,
    })
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
