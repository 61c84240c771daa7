//! Which places are worth a visit and how much: significance, minor and stage kinds,
//! the hours assumed for major sights without data, and the planner's candidates.

use tripgen_planner::itinerary::{Candidate, Category, OpenInterval};

use crate::ports::PlaceFacts;

/// Places that are open whenever one can be there when the data has no hours.
fn open_air(p: &PlaceFacts) -> bool {
    matches!(
        p.category,
        Category::Park | Category::Viewpoint | Category::Nature | Category::Bench
    ) || (matches!(p.category, Category::Historic | Category::Attraction)
        && p.indoor == Some(false))
}

/// Street furniture and small markers (the catalogue's minor kinds): no visit of their own
/// unless they are significant (a Wikidata-linked fountain) or asked for.
const MINOR_KINDS: &[&str] = &[
    "amenity=fountain",
    "tourism=artwork",
    "historic=memorial",
    "historic=plaque",
    "historic=wayside_cross",
    "historic=wayside_shrine",
    "historic=stone",
    "historic=boundary_stone",
    "amenity=bench",
];

/// Significance from which a minor object is worth a visit of its own.
pub const MINOR_VISIT_SIGNIFICANCE: u8 = 30;

/// A minor object that is not significant: never a visit unless asked for.
pub fn is_minor(p: &PlaceFacts) -> bool {
    MINOR_KINDS.contains(&p.kind.as_str()) && p.significance < MINOR_VISIT_SIGNIFICANCE
}

/// Stages (theatres, concert halls, cinemas, clubs): what they offer is their shows, in
/// the evening and ticketed, not a daytime visit of the building.
const STAGE_KINDS: &[&str] = &[
    "amenity=theatre",
    "amenity=concert_hall",
    "amenity=arts_centre",
    "amenity=cinema",
    "amenity=nightclub",
];

/// Significance from which a stage is a sight in its own right (a famous opera house whose
/// building visitors come to see).
pub const STAGE_VISIT_SIGNIFICANCE: u8 = 70;

/// A stage that is not a landmark: never a daytime visit unless asked for.
pub fn is_stage(p: &PlaceFacts) -> bool {
    STAGE_KINDS.contains(&p.kind.as_str()) && p.significance < STAGE_VISIT_SIGNIFICANCE
}

pub(super) fn is_food(c: Category) -> bool {
    matches!(c, Category::Restaurant | Category::Cafe | Category::Bar)
}

/// Attractiveness 0–100. A sight is worth what travellers come for: its significance
/// (from the catalogue: Wikidata/Wikipedia links, languages, heritage, kind, size …),
/// made steep by [`sight_value`] so strong places win over many weak ones. Food and drink
/// keep a base by category, lifted by significance (a famous beer hall) and by a
/// provider's rating when there is one.
pub fn score(p: &PlaceFacts) -> f64 {
    let rating = p.rating.map(|r| f64::from(r) * 6.0 - 18.0).unwrap_or(0.0);
    if !is_food(p.category) {
        return sight_value(f64::from(p.significance) + rating);
    }
    let base: f64 = match p.category {
        Category::Restaurant => 40.0,
        Category::Cafe => 35.0,
        _ => 25.0,
    };
    let hours = if p.hours.iter().any(|h| h.is_some()) {
        5.0
    } else {
        0.0
    };
    (base + rating + hours + f64::from(p.significance) / 3.0).clamp(1.0, 100.0)
}

/// The planner adds up the scores of the visits it fits into a day, so a linear score lets
/// three weak half-hour stops outweigh one great museum of two hours. The cube of
/// significance (on 0–100) makes a place of 80 worth four of 50 and nine of 40: a day is
/// built around its strongest places and weak ones only fill what time is left.
pub fn sight_value(significance: f64) -> f64 {
    let s = (significance / 100.0).clamp(0.0, 1.0);
    (100.0 * s * s * s).clamp(1.0, 100.0)
}

/// The most significant sights first, down to a floor; if a city's data is too thin for
/// enough of them, the next best fill up to `wanted`. Food and rest places are all kept
/// (the planner picks them near the route). Minor objects and stages only when `asked(p)`.
pub fn visit_worthy(
    places: &[PlaceFacts],
    wanted: usize,
    asked: impl Fn(&PlaceFacts) -> bool,
) -> Vec<&PlaceFacts> {
    let (mut sights, other): (Vec<&PlaceFacts>, Vec<&PlaceFacts>) = places
        .iter()
        .filter(|p| asked(p) || !(is_minor(p) || is_stage(p)))
        .partition(|p| !is_food(p.category) && p.category != Category::Bench);
    sights.sort_by(|a, b| b.significance.cmp(&a.significance).then(a.id.cmp(&b.id)));
    let strong = sights
        .iter()
        .take_while(|p| p.significance >= VISIT_FLOOR)
        .count();
    let keep = strong.max(wanted).min(sights.len());
    let (kept, weak) = sights.split_at(keep);
    let mut out: Vec<&PlaceFacts> = kept.to_vec();
    out.extend(weak.iter().filter(|p| asked(p)));
    out.extend(other);
    out
}

/// Significance from which a sight is worth planning a visit for (see docs/planner.md).
pub const VISIT_FLOOR: u8 = 45;

/// Sights kept per planned day at least, whatever their significance (thinly tagged cities).
pub const VISITS_PER_DAY: usize = 5;

/// Markets are for the morning, when the stalls are up: a market's visit lies between
/// 08:00 and 13:00 (within its hours when they are known; an open-air market place without
/// hours is a public square, so the morning window alone).
const MARKET_MORNING: OpenInterval = OpenInterval {
    open: 8 * 60,
    close: 13 * 60,
};

/// When an untagged place of worship is visited.
const CHURCH_DAYTIME: OpenInterval = OpenInterval {
    open: 10 * 60,
    close: 17 * 60,
};

/// Usual daytime hours of a major museum or palace, assumed when OSM publishes none.
pub(super) const SIGHT_DAYTIME: OpenInterval = OpenInterval {
    open: 10 * 60,
    close: 17 * 60,
};

/// Significance from which a sight without published hours is planned within
/// [`SIGHT_DAYTIME`] (with the "check before you go" note) rather than left out: the
/// places a visitor comes to the city for (a royal residence, a national museum) are open
/// in the daytime nearly everywhere, while a minor one is as likely private or closed.
pub const ASSUMED_HOURS_SIGNIFICANCE: u8 = 60;

/// An indoor sight that travellers come for, whose OSM entry has no hours at all.
fn major_sight_without_hours(p: &PlaceFacts) -> bool {
    p.opening_hours.is_none()
        && p.hours.iter().all(Option::is_none)
        && p.significance >= ASSUMED_HOURS_SIGNIFICANCE
        && matches!(
            p.category,
            Category::Museum | Category::Gallery | Category::Historic | Category::Attraction
        )
        && !open_air(p)
}

fn morning_only(hours: &[Option<Vec<OpenInterval>>]) -> Vec<Option<Vec<OpenInterval>>> {
    hours
        .iter()
        .map(|day| {
            let day = day.clone().unwrap_or_else(|| vec![MARKET_MORNING]);
            Some(
                day.iter()
                    .map(|iv| OpenInterval {
                        open: iv.open.max(MARKET_MORNING.open),
                        close: iv.close.min(MARKET_MORNING.close),
                    })
                    .filter(|iv| iv.close > iv.open)
                    .collect(),
            )
        })
        .collect()
}

/// The planner's candidate for a place on the slots' dates (`p.hours` is per slot).
pub fn candidate(p: &PlaceFacts) -> Option<Candidate> {
    if matches!(p.category, Category::Lodging | Category::Laundry) {
        return None;
    }
    if p.category == Category::Religious && p.hours.iter().all(|h| h.is_none()) {
        // Churches admit visitors in the daytime outside services; without tagged hours a
        // visit is planned between 10:00 and 17:00 only.
        return Some(Candidate {
            hours: vec![Some(vec![CHURCH_DAYTIME]); p.hours.len()],
            always_open: false,
            ..base_candidate(p)
        });
    }
    if major_sight_without_hours(p) {
        return Some(Candidate {
            hours: vec![Some(vec![SIGHT_DAYTIME]); p.hours.len()],
            always_open: false,
            hours_assumed: true,
            ..base_candidate(p)
        });
    }
    if p.kind == "amenity=marketplace" {
        return Some(Candidate {
            hours: morning_only(&p.hours),
            always_open: false,
            ..base_candidate(p)
        });
    }
    Some(base_candidate(p))
}

fn base_candidate(p: &PlaceFacts) -> Candidate {
    // Open-air places (a park, a viewpoint, a square) with no known hours may be visited
    // at any time; one with an `opening_hours` value then carries the planner's
    // "opening hours unknown" note. Other places with unknown hours are never planned
    // unless the user asks for them (see `allow_unknown_hours`).
    let always_open = p.hours.iter().all(|h| h.is_none()) && open_air(p);
    Candidate {
        id: p.id.clone(),
        name: p.name.clone(),
        position: p.position,
        category: p.category,
        hours: p.hours.clone(),
        always_open,
        hours_assumed: false,
        opening_hours: p.opening_hours.clone(),
        visit_minutes: p.visit_minutes.max(5),
        score: score(p),
        indoor: p.indoor,
        access: p.access,
    }
}
