//! From the trip's facts to the planner's input: which city and hours each day has, the
//! group profile, interests, candidates with scores, weather.

use chrono::{Days, NaiveDate};
use tripgen_planner::itinerary::{
    Anchor, Candidate, Category, Date, DayKind, DaySpec, GroupProfile, Interest, Member, Weather,
};

use crate::ports::{DayForecast, PlaceFacts, TripFacts};

/// Days end back at the hotel by 21:30 (dinner window closes at 20:30).
pub const DAY_END: u32 = 21 * 60 + 30;

/// One day of the trip and where it is spent.
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
}

/// The trip's days: the first day starts at the start time; a travel day belongs to the
/// arriving city and starts at its check-in (or the start time, if later); the last day
/// ends at the last check-out.
pub fn day_slots(facts: &TripFacts, start_time: u32) -> Vec<DaySlot> {
    let (Some(first), Some(last)) = (facts.stays.first(), facts.stays.last()) else {
        return Vec::new();
    };
    let total = (last.end_date - first.start_date).num_days().max(0) as usize + 1;
    let mut out = Vec::with_capacity(total);
    for index in 0..total {
        let Some(date) = first.start_date.checked_add_days(Days::new(index as u64)) else {
            break;
        };
        let stay = facts
            .stays
            .iter()
            .rposition(|s| s.start_date <= date)
            .unwrap_or(0);
        let s = &facts.stays[stay];
        let (kind, start, end) = if index + 1 == total {
            (DayKind::Departure, start_time, last.check_out)
        } else if index > 0 && date == s.start_date {
            (DayKind::Arrival, start_time.max(s.check_in), DAY_END)
        } else if index == 0 {
            (DayKind::Arrival, start_time, DAY_END)
        } else {
            (DayKind::Full, start_time, DAY_END)
        };
        out.push(DaySlot {
            index,
            date,
            stay,
            kind,
            start,
            end: end.max(start),
        });
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

/// Attractiveness 0–100 from what the catalogue knows: the kind of place, a rating when
/// a provider gave one, an English name (a sign of a well-known place), known hours.
pub fn score(p: &PlaceFacts) -> f64 {
    let base: f64 = match p.category {
        Category::Museum | Category::Attraction => 60.0,
        Category::Viewpoint => 55.0,
        Category::Historic | Category::Gallery => 50.0,
        Category::Park | Category::Religious | Category::Nature => 45.0,
        Category::Restaurant => 40.0,
        Category::Shopping | Category::Cafe => 35.0,
        Category::Sports => 30.0,
        Category::Bar => 25.0,
        _ => 10.0,
    };
    let rating = p.rating.map(|r| f64::from(r) * 6.0 - 18.0).unwrap_or(0.0);
    let known = if p.names.len() > 1 { 12.0 } else { 0.0 };
    let hours = if p.hours.iter().any(|h| h.is_some()) {
        5.0
    } else {
        0.0
    };
    (base + rating + known + hours).clamp(1.0, 100.0)
}

/// The planner's candidate for a place on the slots' dates (`p.hours` is per slot).
pub fn candidate(p: &PlaceFacts) -> Option<Candidate> {
    if matches!(p.category, Category::Lodging | Category::Laundry) {
        return None;
    }
    // Open-air places (a park, a viewpoint, a square) with no known hours may be visited
    // at any time; one with an `opening_hours` value then carries the planner's
    // "opening hours unknown" note. Other places with unknown hours are never planned
    // unless the user asks for them (see `allow_unknown_hours`).
    let always_open = p.hours.iter().all(|h| h.is_none()) && open_air(p);
    Some(Candidate {
        id: p.id.clone(),
        name: p.name.clone(),
        position: p.position,
        category: p.category,
        hours: p.hours.clone(),
        always_open,
        opening_hours: p.opening_hours.clone(),
        visit_minutes: p.visit_minutes.max(5),
        score: score(p),
        indoor: p.indoor,
        access: p.access,
    })
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
            generation_request_id: None,
            missing: vec![],
        };
        let s = day_slots(&facts, 9 * 60);
        assert_eq!(s.len(), 5);
        assert_eq!(s[0].kind, DayKind::Arrival);
        assert_eq!((s[0].stay, s[0].start), (0, 540));
        assert_eq!(s[1].kind, DayKind::Full);
        assert_eq!(
            (s[2].stay, s[2].start, s[2].kind),
            (1, 900, DayKind::Arrival)
        );
        assert_eq!((s[4].kind, s[4].end), (DayKind::Departure, 660));
    }
}
