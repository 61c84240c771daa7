//! From the trip's facts to the planner's input: which city and hours each day has, the
//! group profile, interests, candidates with scores, weather.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use tripgen_planner::itinerary::{
    Access, Anchor, Candidate, Category, Constraints, Date, DayKind, DaySpec, GroupProfile,
    Interest, Journey, Member, OpenInterval, PlanOptions, TripRequest, Weather,
};

use crate::journeys;
use crate::ports::{DayForecast, PlaceFacts, TripFacts};
use crate::requests::{RequestIntent, Resolved};

/// Days end back at the hotel by 21:30 (dinner window closes at 20:30).
pub const DAY_END: u32 = 21 * 60 + 30;

/// Which part of a day a slot plans: a travel day is planned as two slots of the same
/// index, the morning in the city left (up to the journey's departure) and the evening in
/// the city reached (from the journey's `ready`), joined around the journey afterwards
/// (`journeys::join`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    Whole,
    BeforeJourney,
    AfterJourney,
}

/// One day of the trip (or one part of a travel day) and where it is spent.
#[derive(Debug, Clone, PartialEq)]
pub struct DaySlot {
    /// 0-based day of the trip.
    pub index: usize,
    pub date: NaiveDate,
    /// Index into `TripFacts::stays`.
    pub stay: usize,
    pub kind: DayKind,
    pub start: u32,
    pub end: u32,
    pub part: DayPart,
    /// The journey the slot ends with (`BeforeJourney`) or starts after (`AfterJourney`).
    pub journey: Option<Journey>,
}

/// The trip's days: the first day starts at the start time (or when the group is at the
/// hotel after the arrival journey); a day that changes city is a morning in the city
/// left, up to its check-out, the journey, and an evening in the city reached, from its
/// check-in; the last day ends at the last check-out (or in time for the departure
/// journey).
pub fn day_slots(facts: &TripFacts, start_time: u32) -> Vec<DaySlot> {
    let (Some(first), Some(last)) = (facts.stays.first(), facts.stays.last()) else {
        return Vec::new();
    };
    let total = (last.end_date - first.start_date).num_days().max(0) as usize + 1;
    let mut out = Vec::with_capacity(total + facts.stays.len());
    for index in 0..total {
        let Some(date) = first.start_date.checked_add_days(Days::new(index as u64)) else {
            break;
        };
        let stay = facts
            .stays
            .iter()
            .rposition(|s| s.start_date <= date)
            .unwrap_or(0);
        let slot = |stay, kind, start: u32, end: u32, part, journey| DaySlot {
            index,
            date,
            stay,
            kind,
            start,
            end: end.max(start),
            part,
            journey,
        };
        if index + 1 == total {
            let end = last.check_out;
            match journeys::departure(facts, date) {
                Some(j) => out.push(slot(
                    stay,
                    DayKind::Departure,
                    start_time.min(j.depart),
                    j.depart,
                    DayPart::BeforeJourney,
                    Some(j),
                )),
                None => out.push(slot(
                    stay,
                    DayKind::Departure,
                    start_time,
                    end,
                    DayPart::Whole,
                    None,
                )),
            }
        } else if index > 0
            && date == facts.stays[stay].start_date
            && let Some(j) = journeys::transfer(facts, stay, date)
        {
            out.push(slot(
                stay - 1,
                DayKind::Departure,
                start_time.min(j.depart),
                j.depart,
                DayPart::BeforeJourney,
                Some(j.clone()),
            ));
            let start = start_time.max(j.ready);
            out.push(slot(
                stay,
                DayKind::Arrival,
                start,
                DAY_END,
                DayPart::AfterJourney,
                Some(j),
            ));
        } else if index == 0 {
            match journeys::arrival(facts, date) {
                Some(j) => {
                    let start = start_time.max(j.ready);
                    out.push(slot(
                        stay,
                        DayKind::Arrival,
                        start,
                        DAY_END,
                        DayPart::AfterJourney,
                        Some(j),
                    ));
                }
                None => out.push(slot(
                    stay,
                    DayKind::Arrival,
                    start_time,
                    DAY_END,
                    DayPart::Whole,
                    None,
                )),
            }
        } else {
            out.push(slot(
                stay,
                DayKind::Full,
                start_time,
                DAY_END,
                DayPart::Whole,
                None,
            ));
        }
    }
    out
}

pub fn planner_date(d: NaiveDate) -> Date {
    use chrono::Datelike;
    Date {
        year: d.year(),
        month: d.month() as u8,
        day: d.day() as u8,
    }
}

pub fn weather(f: &DayForecast) -> Weather {
    Weather {
        sky: f.sky,
        max_temp_c: f.max_temp_c,
        min_temp_c: f.min_temp_c,
        air: f.air,
    }
}

pub fn day_spec(
    facts: &TripFacts,
    slot: &DaySlot,
    forecast: Option<&DayForecast>,
) -> Option<DaySpec> {
    let s = facts.stays.get(slot.stay)?;
    let anchor = |time| Anchor {
        name: s.lodging_name.clone(),
        position: s.lodging,
        time,
    };
    Some(DaySpec {
        date: planner_date(slot.date),
        start: anchor(slot.start),
        end: anchor(slot.end),
        kind: slot.kind,
        weather: forecast.map(weather),
    })
}

/// The most restricted member decides (the planner takes the minimum health).
pub fn group(facts: &TripFacts) -> GroupProfile {
    GroupProfile {
        members: facts
            .members
            .iter()
            .map(|m| Member { health: m.health })
            .collect(),
    }
}

pub fn interests(facts: &TripFacts) -> Vec<Interest> {
    let mut out: Vec<Interest> = Vec::new();
    for m in &facts.members {
        for i in &m.interests {
            if !out.contains(i) {
                out.push(*i);
            }
        }
    }
    out
}

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

fn is_food(c: Category) -> bool {
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
const SIGHT_DAYTIME: OpenInterval = OpenInterval {
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

/// The planner's request for one city's days, as the generation job builds it: day specs
/// with the forecasts, the visit-worthy candidates, the group, interests and the special
/// requests as constraints (`exclude`: places of other days that must not repeat).
pub fn trip_request(
    facts: &TripFacts,
    slots: &[DaySlot],
    forecasts: &[Option<DayForecast>],
    places: &[PlaceFacts],
    intent: &RequestIntent,
    exclude: &HashSet<String>,
    options: PlanOptions,
) -> TripRequest {
    trip_request_resolved(facts, slots, forecasts, places, intent, exclude, options).0
}

/// [`trip_request`], with which catalogue place each named wish is in this city.
pub fn trip_request_resolved(
    facts: &TripFacts,
    slots: &[DaySlot],
    forecasts: &[Option<DayForecast>],
    places: &[PlaceFacts],
    intent: &RequestIntent,
    exclude: &HashSet<String>,
    options: PlanOptions,
) -> (TripRequest, Resolved) {
    let days = slots
        .iter()
        .enumerate()
        .filter_map(|(k, slot)| day_spec(facts, slot, forecasts.get(k).and_then(|f| f.as_ref())))
        .collect::<Vec<_>>();
    let names: Vec<(String, Vec<String>)> = places
        .iter()
        .map(|p| (p.id.clone(), p.names.clone()))
        .collect();
    let resolved = intent.resolve(&names);
    let mut constraints: Constraints = resolved.constraints.clone();
    constraints.avoid_places.extend(exclude.iter().cloned());
    if intent.step_free() {
        // Step-free access asked for: places known to have steps are never planned.
        constraints.avoid_places.extend(
            places
                .iter()
                .filter(|p| {
                    p.access == Access::NotStepFree
                        && !resolved.constraints.must_visit.contains(&p.id)
                })
                .map(|p| p.id.clone()),
        );
    }
    let one_day = intent.one_day_categories();
    let asked = |p: &PlaceFacts| {
        constraints.must_visit.contains(&p.id)
            || constraints.more_of.contains(&p.category)
            || one_day.contains(&p.category)
    };
    let wanted = VISITS_PER_DAY * days.len();
    let mut candidates: Vec<_> = visit_worthy(places, wanted, asked)
        .into_iter()
        .filter_map(candidate)
        .collect();
    allow_unknown_hours(&mut candidates, &constraints.must_visit);
    crate::day_wishes::apply(
        &mut candidates,
        &mut constraints,
        slots,
        last_day(facts),
        intent,
        &resolved,
    );
    prefer_diets(
        &mut candidates,
        places,
        &intent.diets(),
        &constraints.must_visit,
    );
    let req = TripRequest {
        days,
        candidates,
        group: group(facts),
        transport: facts.transport,
        interests: interests(facts),
        constraints,
        options,
    };
    (req, resolved)
}

/// The trip's last day (0-based): as many as its nights.
pub fn last_day(facts: &TripFacts) -> usize {
    match (facts.stays.first(), facts.stays.last()) {
        (Some(a), Some(b)) => usize::try_from((b.end_date - a.start_date).num_days()).unwrap_or(0),
        _ => 0,
    }
}

/// Meal score lift of a restaurant that serves the diet asked for: enough to be chosen
/// over an ordinary one a few hundred metres closer.
const DIET_BONUS: f64 = 60.0;

/// Restaurants that serve the diet, from which the others are left out of the meals.
const DIET_RESTAURANTS_ENOUGH: usize = 4;

/// Restaurants and cafés whose cuisine fits every diet asked for are preferred for meals
/// (OSM `cuisine=…` and `diet:*=yes|only`; vegan fits vegetarian); when the city has
/// enough fitting restaurants, the other restaurants are not offered for meals at all.
pub fn prefer_diets(
    candidates: &mut Vec<Candidate>,
    places: &[PlaceFacts],
    diets: &[String],
    must_visit: &[String],
) {
    if diets.is_empty() {
        return;
    }
    let fits = |p: &PlaceFacts| {
        diets.iter().all(|d| {
            p.cuisine
                .iter()
                .any(|c| c == d || (d == "vegetarian" && c == "vegan"))
        })
    };
    let ok: HashSet<&str> = places
        .iter()
        .filter(|p| is_food(p.category) && fits(p))
        .map(|p| p.id.as_str())
        .collect();
    for c in candidates.iter_mut() {
        if ok.contains(c.id.as_str()) {
            c.score += DIET_BONUS;
        }
    }
    let fitting = candidates
        .iter()
        .filter(|c| c.category == Category::Restaurant && ok.contains(c.id.as_str()))
        .count();
    if fitting >= DIET_RESTAURANTS_ENOUGH {
        // A restaurant asked for by name stays whatever it serves.
        candidates.retain(|c| {
            c.category != Category::Restaurant
                || ok.contains(c.id.as_str())
                || must_visit.contains(&c.id)
        });
    }
}

/// The day start and end a request asks for: every day starts at the wished time (an
/// arrival day not before check-in) and ends by the wished time (a departure day still at
/// check-out, if earlier).
pub fn wished_hours(slots: &mut [DaySlot], facts: &TripFacts, intent: &RequestIntent) {
    let last = slots.iter().map(|s| s.index).max().unwrap_or(0);
    for s in slots.iter_mut() {
        let weekday = planner_date(s.date).weekday();
        // A journey's times are fixed: the morning before it still ends at its departure,
        // the evening after it still starts when it is over.
        let ready = match (s.part, &s.journey) {
            (DayPart::AfterJourney, Some(j)) => j.ready,
            _ => 0,
        };
        if let Some(start) = intent.day_start_on(s.index, weekday, last) {
            let check_in = match s.kind {
                DayKind::Arrival if s.index > 0 => {
                    facts.stays.get(s.stay).map_or(0, |st| st.check_in)
                }
                _ => 0,
            };
            s.start = start.max(check_in).max(ready);
            if s.part == DayPart::BeforeJourney {
                s.start = s.start.min(s.end);
            }
        }
        if let Some(end) = intent.day_end_on(s.index, weekday, last)
            && s.part != DayPart::BeforeJourney
        {
            s.end = s.end.min(end);
        }
        s.end = s.end.max(s.start);
    }
}

/// Places the user asked for by name are planned even with unknown hours (with the
/// planner's "opening hours unknown — check before you go" note on the stop), as long as
/// no day is known to be closed all of the trip.
pub fn allow_unknown_hours(candidates: &mut [Candidate], must_visit: &[String]) {
    for c in candidates.iter_mut() {
        if must_visit.contains(&c.id) && !c.always_open && c.hours.iter().all(Option::is_none) {
            c.always_open = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::{MemberFacts, Stay};
    use tripgen_planner::itinerary::{Health, LatLon, Transport};
    use uuid::Uuid;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn stay(start: &str, end: &str) -> Stay {
        Stay {
            destination_id: Uuid::nil(),
            city: "X".into(),
            time_zone: "UTC".into(),
            centre: LatLon { lat: 0.0, lon: 0.0 },
            lodging: LatLon { lat: 0.0, lon: 0.0 },
            lodging_name: "Hotel".into(),
            start_date: d(start),
            end_date: d(end),
            check_in: 15 * 60,
            check_out: 11 * 60,
        }
    }

    #[test]
    fn one_strong_place_outweighs_several_weak_ones() {
        assert!(sight_value(80.0) > 4.0 * sight_value(50.0));
        assert!(sight_value(60.0) > 2.0 * sight_value(45.0));
        assert!(sight_value(61.0) > sight_value(60.0));
        assert_eq!(sight_value(0.0), 1.0);
        assert_eq!(sight_value(150.0), 100.0);
    }

    fn sight(category: Category, significance: u8, opening_hours: Option<&str>) -> PlaceFacts {
        PlaceFacts {
            id: "p".into(),
            name: "Residenz".into(),
            names: vec![],
            category,
            kind: "tourism=museum".into(),
            position: LatLon { lat: 0.0, lon: 0.0 },
            visit_minutes: 90,
            indoor: None,
            access: Access::Unknown,
            rating: None,
            review_count: None,
            hours: vec![None, None],
            opening_hours: opening_hours.map(str::to_owned),
            significance,
            cuisine: vec![],
        }
    }

    #[test]
    fn a_major_sight_without_hours_is_planned_within_assumed_daytime_hours() {
        let c = candidate(&sight(Category::Museum, 80, None)).unwrap();
        assert!(c.hours_assumed && !c.always_open);
        assert_eq!(c.hours, vec![Some(vec![SIGHT_DAYTIME]); 2]);
        // A minor museum without hours stays out; one whose value cannot be read is read
        // by the validator itself, so nothing is assumed for it.
        let minor = candidate(&sight(Category::Museum, 40, None)).unwrap();
        assert!(!minor.hours_assumed && minor.hours.iter().all(Option::is_none));
        let unread = candidate(&sight(Category::Museum, 80, Some("by appointment"))).unwrap();
        assert!(!unread.hours_assumed);
        // Open-air sights need no assumption.
        let mut ruin = sight(Category::Historic, 80, None);
        ruin.indoor = Some(false);
        let ruin = candidate(&ruin).unwrap();
        assert!(!ruin.hours_assumed && ruin.always_open);
    }

    #[test]
    fn a_theatre_is_no_daytime_sight_unless_a_landmark_or_asked() {
        let mut theatre = sight(Category::Attraction, 61, Some("Mo-Sa 18:00-23:00"));
        theatre.kind = "amenity=theatre".into();
        theatre.id = "theatre".into();
        let mut opera = theatre.clone();
        opera.significance = 80;
        opera.id = "opera".into();
        let museum = sight(Category::Museum, 50, Some("Mo-Su 10:00-18:00"));
        let places = [theatre, opera, museum];
        let ids = |v: Vec<&PlaceFacts>| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(visit_worthy(&places, 10, |_| false)), ["opera", "p"]);
        let asked = ids(visit_worthy(&places, 10, |p| p.id == "theatre"));
        assert!(asked.contains(&"theatre".to_string()), "{asked:?}");
    }

    #[test]
    fn slots_chain_cities() {
        let facts = TripFacts {
            id: Uuid::nil(),
            owner_id: Uuid::nil(),
            name: "Trip".into(),
            transport: Transport::Public,
            members: vec![MemberFacts {
                age: 40,
                health: Health::Good,
                interests: vec![],
            }],
            stays: vec![
                stay("2026-06-01", "2026-06-03"),
                stay("2026-06-03", "2026-06-05"),
            ],
            arrival: None,
            departure: None,
            generation_request_id: None,
            missing: vec![],
            links: vec![],
        };
        let s = day_slots(&facts, 9 * 60);
        // Day 3 changes city: a morning in the first city until its check-out, the
        // evening in the second from its check-in.
        assert_eq!(s.len(), 6);
        assert_eq!(s[0].kind, DayKind::Arrival);
        assert_eq!((s[0].stay, s[0].start), (0, 540));
        assert_eq!(s[1].kind, DayKind::Full);
        assert_eq!(
            (s[2].index, s[2].stay, s[2].part, s[2].end),
            (2, 0, DayPart::BeforeJourney, 660)
        );
        assert_eq!(
            (s[3].index, s[3].stay, s[3].start, s[3].kind, s[3].part),
            (2, 1, 900, DayKind::Arrival, DayPart::AfterJourney)
        );
        assert_eq!(s[2].journey, s[3].journey);
        assert_eq!((s[5].kind, s[5].end), (DayKind::Departure, 660));
    }
}
