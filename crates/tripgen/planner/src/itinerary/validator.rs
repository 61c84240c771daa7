//! Independent plan validator: checks every hard rule of a [`TripPlan`] against the
//! [`TripRequest`] it was made for. It deliberately re-states the rules (own tables for the
//! group limits, food/strenuous categories, meal windows, leg limits) and evaluates opening
//! hours itself from the raw OSM value ([`super::hours_check`], no code shared with the
//! evaluation that built the candidates' hours), instead of reusing the planner's code
//! path, so a planner bug or a misread value cannot hide behind a shared helper. Used in tests and exposed for the AI pipeline to check every plan
//! before it is stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::category::Category;
use super::hours_check::{self, Visit};
use super::model::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    /// Day index, `None` for trip-level problems.
    pub day: Option<usize>,
    /// Stable rule code (SCREAMING_SNAKE_CASE).
    pub rule: String,
    pub message: String,
}

fn v(day: Option<usize>, rule: &str, message: String) -> Violation {
    Violation {
        day,
        rule: rule.to_string(),
        message,
    }
}

// Own statement of the rules (see docs/planner.md, "Itinerary rules").
fn max_places(worst: Health) -> u32 {
    match worst {
        Health::Limited => 3,
        Health::Caution => 5,
        Health::Good | Health::Excellent => 7,
    }
}
/// Variety: at most two visits of one category a day, unless asked for more of it or by
/// name.
const SAME_KIND_PER_DAY: usize = 2;
fn base_rests(worst: Health) -> u32 {
    match worst {
        Health::Limited => 3,
        Health::Caution => 2,
        Health::Good | Health::Excellent => 0,
    }
}
fn food(c: Category) -> bool {
    matches!(c, Category::Restaurant | Category::Cafe | Category::Bar)
}
fn rest_spot(c: Category) -> bool {
    matches!(c, Category::Cafe | Category::Park | Category::Bench)
}
fn strenuous(c: Category) -> bool {
    matches!(c, Category::Nature | Category::Sports)
}
const LUNCH: (u32, u32) = (11 * 60 + 30, 14 * 60);
const DINNER: (u32, u32) = (18 * 60, 21 * 60);
const WALK_METRES: u32 = 500;
const WALK_MINUTES: u32 = 20;
const DRIVE_MINUTES: u32 = 60;

fn worst_health(g: &GroupProfile) -> Health {
    let mut worst = Health::Excellent;
    let mut any = false;
    for m in &g.members {
        any = true;
        let rank = |h: Health| match h {
            Health::Limited => 0,
            Health::Caution => 1,
            Health::Good => 2,
            Health::Excellent => 3,
        };
        if rank(m.health) < rank(worst) {
            worst = m.health;
        }
    }
    if any { worst } else { Health::Good }
}

/// The candidate's own hours: whole visit `[start, end]` inside one open interval of that
/// day, or always open.
fn fits_given_hours(c: &Candidate, day: usize, start: u32, end: u32) -> bool {
    if c.always_open {
        return true;
    }
    match c.hours.get(day) {
        Some(Some(intervals)) => intervals
            .iter()
            .any(|iv| iv.open <= start && end <= iv.close),
        _ => false,
    }
}

/// Whether the visit fits the place's hours, read from the raw value by the validator's own
/// evaluator; where that cannot tell (sun times, dates …) or there is no raw value, the
/// candidate's hours decide. `Visit::Unknown` = no minute closed, some unknown.
fn hours_at(c: &Candidate, date: Date, day: usize, start: u32, end: u32) -> Visit {
    match c
        .opening_hours
        .as_deref()
        .map(|raw| hours_check::visit(raw, date, start, end))
    {
        Some(Visit::CannotTell) | None => {
            if fits_given_hours(c, day, start, end) {
                Visit::Open
            } else {
                Visit::Closed
            }
        }
        Some(v) => v,
    }
}

/// Outdoor-minute cap of a day from its forecast (own statement of the weather rules).
fn outdoor_cap(w: Option<&Weather>) -> Option<u32> {
    let w = w?;
    let mut cap: Option<u32> = None;
    let mut lower = |c: u32| cap = Some(cap.map_or(c, |x: u32| x.min(c)));
    if w.max_temp_c.is_some_and(|t| t >= 30.0) {
        lower(120);
    }
    if w.max_temp_c.is_some_and(|t| t <= 0.0) || w.min_temp_c.is_some_and(|t| t <= -10.0) {
        lower(120);
    }
    match w.air {
        Some(AirQuality::Poor) => lower(60),
        Some(AirQuality::Hazardous) => lower(0),
        _ => {}
    }
    cap
}

fn wet(w: Option<&Weather>) -> bool {
    w.is_some_and(|w| matches!(w.sky, Sky::Rain | Sky::Snow | Sky::Storm))
}

fn has_warning(day: &DayPlan, code: WarningCode, place: Option<&str>) -> bool {
    day.warnings
        .iter()
        .any(|w| w.code == code && (place.is_none() || w.place_id.as_deref() == place))
}

/// Checks a plan; an empty result means every hard rule holds.
pub fn validate_plan(req: &TripRequest, plan: &TripPlan) -> Vec<Violation> {
    let mut out = Vec::new();
    let by_id: HashMap<&str, &Candidate> = req
        .candidates
        .iter()
        .rev() // first occurrence wins
        .map(|c| (c.id.as_str(), c))
        .collect();
    let worst = worst_health(&req.group);
    let restricted = matches!(worst, Health::Limited | Health::Caution);
    let mut seen: HashSet<&str> = HashSet::new();
    let mut seen_days: HashSet<usize> = HashSet::new();
    for day in &plan.days {
        let d = day.day_index;
        let dd = Some(d);
        let Some(spec) = req.days.get(d) else {
            out.push(v(
                dd,
                "DAY_UNKNOWN",
                format!("day {d} is not in the request"),
            ));
            continue;
        };
        if !seen_days.insert(d) {
            out.push(v(dd, "DAY_TWICE", format!("day {d} is planned twice")));
        }
        if day.legs.len() != day.stops.len() + 1 {
            out.push(v(
                dd,
                "LEGS_SHAPE",
                format!(
                    "{} stops need {} legs, got {}",
                    day.stops.len(),
                    day.stops.len() + 1,
                    day.legs.len()
                ),
            ));
            continue;
        }
        // Timeline.
        let mut clock = spec.start.time;
        for (i, stop) in day.stops.iter().enumerate() {
            let leg = &day.legs[i];
            if leg.depart < clock {
                out.push(v(
                    dd,
                    "TIME_ORDER",
                    format!("leg to {} departs before the previous stop ends", stop.name),
                ));
            }
            if stop.arrival != leg.depart.saturating_add(leg.minutes) {
                out.push(v(
                    dd,
                    "TIME_ARRIVAL",
                    format!("arrival at {} does not match its leg", stop.name),
                ));
            }
            if stop.start < stop.arrival || stop.end < stop.start {
                out.push(v(
                    dd,
                    "TIME_STOP",
                    format!(
                        "{} starts before arrival or ends before it starts",
                        stop.name
                    ),
                ));
            }
            clock = stop.end;
        }
        if let Some(last) = day.legs.last() {
            if last.depart < clock {
                out.push(v(
                    dd,
                    "TIME_ORDER",
                    "return leg departs before the last stop ends".into(),
                ));
            }
            if day.return_time != last.depart.saturating_add(last.minutes) {
                out.push(v(
                    dd,
                    "TIME_RETURN",
                    "return time does not match the last leg".into(),
                ));
            }
        }
        if day.return_time > spec.end.time {
            out.push(v(
                dd,
                "DAY_TOO_LONG",
                format!(
                    "back at {} after the day ends at {}",
                    day.return_time, spec.end.time
                ),
            ));
        }
        // Legs.
        for leg in &day.legs {
            match leg.mode {
                Mode::Walk => {
                    if leg.metres > WALK_METRES || leg.minutes > WALK_MINUTES {
                        out.push(v(
                            dd,
                            "WALK_LIMIT",
                            format!("walking leg of {} m / {} min", leg.metres, leg.minutes),
                        ));
                    }
                }
                Mode::Car | Mode::Taxi => {
                    if leg.minutes > DRIVE_MINUTES {
                        out.push(v(
                            dd,
                            "DRIVE_LIMIT",
                            format!("drive of {} min", leg.minutes),
                        ));
                    }
                }
                Mode::Transit => {}
            }
            let allowed = match (req.transport, leg.mode) {
                (_, Mode::Walk) => true,
                (Transport::Car, Mode::Car) => true,
                (Transport::Public, Mode::Transit) => true,
                (Transport::Public, Mode::Taxi) => worst == Health::Limited,
                _ => false,
            };
            if !allowed {
                out.push(v(
                    dd,
                    "MODE",
                    format!("{:?} leg on a {:?} trip", leg.mode, req.transport),
                ));
            }
        }
        // Stops.
        let (mut places, mut rests, mut lunches, mut dinners, mut outdoor) =
            (0u32, 0u32, 0u32, 0u32, 0u32);
        let mut same_kind: BTreeMap<Category, usize> = BTreeMap::new();
        for stop in &day.stops {
            let Some(c) = by_id.get(stop.place_id.as_str()) else {
                out.push(v(
                    dd,
                    "UNKNOWN_PLACE",
                    format!("{} is not a candidate", stop.place_id),
                ));
                continue;
            };
            if !seen.insert(stop.place_id.as_str()) {
                out.push(v(
                    dd,
                    "PLACE_TWICE",
                    format!("{} is visited twice in the trip", stop.name),
                ));
            }
            match hours_at(c, spec.date, d, stop.start, stop.end) {
                // Within assumed hours: open as far as anyone can tell, and the day must
                // say that the hours are not the place's own.
                Visit::Open
                    if c.hours_assumed
                        && !has_warning(day, WarningCode::HoursUnknown, Some(&stop.place_id)) =>
                {
                    out.push(v(
                        dd,
                        "HOURS_UNKNOWN",
                        format!(
                            "{} is planned within assumed hours and no note says so",
                            stop.name
                        ),
                    ))
                }
                Visit::Open => {}
                // Unknown hours are fine only for a place that may be visited without them
                // and with the note on the day.
                Visit::Unknown
                    if c.always_open
                        && has_warning(day, WarningCode::HoursUnknown, Some(&stop.place_id)) => {}
                Visit::Unknown => out.push(v(
                    dd,
                    "HOURS_UNKNOWN",
                    format!(
                        "{} has unknown opening hours at {}–{} and no note saying so",
                        stop.name, stop.start, stop.end
                    ),
                )),
                Visit::Closed | Visit::CannotTell => out.push(v(
                    dd,
                    "CLOSED",
                    format!(
                        "{} is not open for the whole visit {}–{}",
                        stop.name, stop.start, stop.end
                    ),
                )),
            }
            // A place named as a must-visit is the traveller's own exception to an avoided
            // category ("no museums but the Deutsches Museum").
            if req.constraints.avoid_places.contains(&c.id)
                || (req.constraints.avoid_categories.contains(&c.category)
                    && !req.constraints.must_visit.contains(&c.id))
            {
                out.push(v(dd, "AVOIDED", format!("{} is avoided", stop.name)));
            }
            if restricted && strenuous(c.category) {
                out.push(v(
                    dd,
                    "STRENUOUS",
                    format!("{} is too strenuous for the group", stop.name),
                ));
            }
            if stop.category != c.category {
                out.push(v(
                    dd,
                    "CATEGORY",
                    format!("{} has the wrong category", stop.name),
                ));
            }
            match stop.kind {
                StopKind::Visit => {
                    places += 1;
                    if !req.constraints.more_of.contains(&c.category)
                        && !req.constraints.must_visit.contains(&c.id)
                    {
                        *same_kind.entry(c.category).or_default() += 1;
                    }
                    let indoor = c.indoor.unwrap_or(matches!(
                        c.category,
                        Category::Museum
                            | Category::Gallery
                            | Category::Religious
                            | Category::Shopping
                            | Category::Restaurant
                            | Category::Cafe
                            | Category::Bar
                            | Category::Laundry
                            | Category::Lodging
                    ));
                    if !indoor {
                        outdoor = outdoor.saturating_add(stop.end.saturating_sub(stop.start));
                        if wet(spec.weather.as_ref())
                            && stop.indoor_alternative.is_none()
                            && !has_warning(
                                day,
                                WarningCode::NoIndoorAlternative,
                                Some(&stop.place_id),
                            )
                        {
                            out.push(v(dd, "NO_INDOOR_ALTERNATIVE", format!("outdoor stop {} on a wet day has no indoor alternative and no warning", stop.name)));
                        }
                    }
                    if let Some(alt) = &stop.indoor_alternative {
                        match by_id.get(alt.place_id.as_str()) {
                            Some(a)
                                if a.indoor.unwrap_or(!matches!(
                                    a.category,
                                    Category::Park
                                        | Category::Nature
                                        | Category::Viewpoint
                                        | Category::Sports
                                        | Category::Bench
                                        | Category::Attraction
                                        | Category::Historic
                                        | Category::Parking
                                        | Category::Other
                                )) => {}
                            _ => out.push(v(
                                dd,
                                "BAD_ALTERNATIVE",
                                format!("alternative for {} is not an indoor candidate", stop.name),
                            )),
                        }
                    }
                }
                StopKind::Rest => {
                    rests += 1;
                    if !rest_spot(c.category) {
                        out.push(v(
                            dd,
                            "REST_PLACE",
                            format!("rest at {} which is not a café, bench or park", stop.name),
                        ));
                    }
                }
                // A city's plan never holds a journey (the trip joins them in, see
                // `journey::travel_day`; `validate_journeys` checks them).
                StopKind::Journey => out.push(v(
                    dd,
                    "JOURNEY_IN_CITY_PLAN",
                    format!("journey {} inside a city's plan", stop.name),
                )),
                StopKind::Lunch | StopKind::Dinner => {
                    let (w, name) = if stop.kind == StopKind::Lunch {
                        lunches += 1;
                        (LUNCH, "lunch")
                    } else {
                        dinners += 1;
                        (DINNER, "dinner")
                    };
                    if !food(c.category) {
                        out.push(v(
                            dd,
                            "MEAL_PLACE",
                            format!("{name} at {} which is not a food place", stop.name),
                        ));
                    }
                    if stop.start < w.0 || stop.end > w.1 {
                        out.push(v(
                            dd,
                            "MEAL_WINDOW",
                            format!("{name} {}–{} outside {}–{}", stop.start, stop.end, w.0, w.1),
                        ));
                    }
                }
            }
        }
        for (kind, n) in &same_kind {
            if *n > SAME_KIND_PER_DAY {
                out.push(v(
                    dd,
                    "SAME_KIND",
                    format!("{n} visits of one kind ({kind:?}) in a day"),
                ));
            }
        }
        if places > max_places(worst) {
            out.push(v(
                dd,
                "TOO_MANY_PLACES",
                format!("{places} places for a {worst:?} group"),
            ));
        }
        if rests < base_rests(worst) && !has_warning(day, WarningCode::RestShortfall, None) {
            out.push(v(
                dd,
                "RESTS",
                format!("{rests} rests for a {worst:?} group and no warning"),
            ));
        }
        if lunches > 1 || dinners > 1 {
            out.push(v(dd, "MEALS_COUNT", "more than one lunch or dinner".into()));
        }
        let covers = |w: (u32, u32)| spec.start.time <= w.0 && spec.end.time >= w.1;
        if covers(LUNCH) && lunches == 0 && !has_warning(day, WarningCode::NoLunch, None) {
            out.push(v(dd, "NO_LUNCH", "no lunch and no warning".into()));
        }
        if covers(DINNER) && dinners == 0 && !has_warning(day, WarningCode::NoDinner, None) {
            out.push(v(dd, "NO_DINNER", "no dinner and no warning".into()));
        }
        if let Some(cap) = outdoor_cap(spec.weather.as_ref())
            && outdoor > cap
        {
            out.push(v(
                dd,
                "OUTDOOR_LIMIT",
                format!("{outdoor} outdoor minutes, limit {cap}"),
            ));
        }
    }
    for id in &req.constraints.must_visit {
        let warned = plan
            .warnings
            .iter()
            .chain(plan.days.iter().flat_map(|d| d.warnings.iter()))
            .any(|w| {
                w.code == WarningCode::MustVisitNotPlanned && w.place_id.as_deref() == Some(id)
            });
        if !seen.contains(id.as_str()) && !warned {
            out.push(v(
                None,
                "MUST_VISIT",
                format!("must-visit {id} is neither planned nor warned about"),
            ));
        }
    }
    out
}
