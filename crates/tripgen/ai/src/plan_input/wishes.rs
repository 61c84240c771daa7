//! Wishes that shape the input: diets favoured at meals, hours asked for, places the
//! traveller insists on even without known hours.

use std::collections::HashSet;
use tripgen_planner::itinerary::{Candidate, Category, DayKind};

use crate::ports::{PlaceFacts, TripFacts};
use crate::requests::RequestIntent;

use super::candidates::is_food;
use super::{DayPart, DaySlot, planner_date};

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
