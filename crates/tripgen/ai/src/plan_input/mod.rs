//! From the trip's facts to the planner's input: which city and hours each day has, the
//! group profile, interests, candidates with scores, weather.

use chrono::{Days, NaiveDate};
use std::collections::HashSet;
use tripgen_planner::itinerary::{
    Access, Anchor, Constraints, Date, DayKind, DaySpec, GroupProfile, Interest, Journey, Member,
    PlanOptions, TripRequest, Weather,
};

use crate::journeys;
use crate::ports::{DayForecast, PlaceFacts, TripFacts};
use crate::requests::{RequestIntent, Resolved};

mod candidates;
#[cfg(test)]
mod tests;
mod wishes;

pub use candidates::*;
pub use wishes::*;

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
        } else if index > 0 && date == facts.stays[stay].start_date && stay > 0 {
            let (from, to) = (&facts.stays[stay - 1], &facts.stays[stay]);
            let j = journeys::transfer(facts, from, to, date);
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
