//! The trip's journeys from its facts: between two cities' hotels on the day the trip
//! moves on, from the arrival point to the first hotel, from the last hotel to the
//! departure point (the planner's `journey` model gives mode and door-to-door time); the
//! travel day joined from its two halves after each city is planned; and where each day's
//! traveller wakes and sleeps, for the independent journey validator.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, Offset, TimeZone};
use tripgen_planner::itinerary::journey::{self, JourneyKind, JourneyModel};
use tripgen_planner::itinerary::{DayStay, Journey, JourneyEnd, JourneyLinks};

use crate::plan_input::{DayPart, DaySlot};
use crate::ports::{GeneratedDay, Stay, TravelPoint, TripFacts};

pub use tripgen_planner::itinerary::journey::DEPARTURE_BUFFER_MIN;

/// The zone's offset from UTC in minutes at noon of `date` (0 for an unknown zone).
pub fn utc_offset_minutes(zone: &str, date: NaiveDate) -> i32 {
    let Ok(tz) = zone.parse::<chrono_tz::Tz>() else {
        return 0;
    };
    let noon = date.and_time(NaiveTime::MIN) + chrono::Duration::hours(12);
    tz.offset_from_local_datetime(&noon)
        .earliest()
        .map_or(0, |o| o.fix().local_minus_utc() / 60)
}

/// A stay's hotel as one end of a journey.
pub fn hotel(stay: &Stay, date: NaiveDate) -> JourneyEnd {
    JourneyEnd {
        name: stay.lodging_name.clone(),
        city: stay.city.clone(),
        position: stay.lodging,
        time_zone: stay.time_zone.clone(),
        utc_offset_minutes: utc_offset_minutes(&stay.time_zone, date),
    }
}

/// An arrival or departure point (in its own zone, else the zone of the stay it serves).
fn point(p: &TravelPoint, stay: &Stay, date: NaiveDate) -> JourneyEnd {
    let zone = if p.time_zone.is_empty() {
        &stay.time_zone
    } else {
        &p.time_zone
    };
    JourneyEnd {
        name: p.name.clone(),
        city: String::new(),
        position: p.position,
        time_zone: zone.clone(),
        utc_offset_minutes: utc_offset_minutes(zone, date),
    }
}

/// From the hotel of `facts.stays[to - 1]` at its check-out to the hotel of
/// `facts.stays[to]` (the day goes on from check-in), through the stations or ferry route
/// the data knows between them; `None` for the first stay or one out of range.
pub fn transfer(facts: &TripFacts, to: usize, date: NaiveDate) -> Option<Journey> {
    let from = facts.stays.get(to.checked_sub(1)?)?;
    let next = facts.stays.get(to)?;
    let none = JourneyLinks::default();
    let links = facts.links.get(to - 1).unwrap_or(&none);
    Some(JourneyModel::default().journey_with(
        JourneyKind::Transfer,
        hotel(from, date),
        hotel(next, date),
        from.check_out,
        next.check_in,
        facts.transport,
        links,
    ))
}

/// From the trip's arrival point at its time to the first hotel (the day goes on when
/// the group is there: luggage can be left before check-in).
pub fn arrival(facts: &TripFacts, date: NaiveDate) -> Option<Journey> {
    let (p, first) = (facts.arrival.as_ref()?, facts.stays.first()?);
    Some(JourneyModel::default().journey(
        JourneyKind::Arrival,
        point(p, first, date),
        hotel(first, date),
        p.time,
        0,
        facts.transport,
    ))
}

/// From the last hotel to the departure point, there [`DEPARTURE_BUFFER_MIN`] before the
/// departure time.
pub fn departure(facts: &TripFacts, date: NaiveDate) -> Option<Journey> {
    let (p, last) = (facts.departure.as_ref()?, facts.stays.last()?);
    let model = JourneyModel::default();
    let (from, to) = (hotel(last, date), point(p, last, date));
    let e = model.estimate(from.position, to.position, facts.transport, true);
    let at_point = p.time.saturating_sub(DEPARTURE_BUFFER_MIN);
    let leave = at_point.saturating_sub(e.minutes);
    Some(model.journey(JourneyKind::Departure, from, to, leave, 0, facts.transport))
}

/// Joins the halves of travel days (same day index: the morning of one city, the evening
/// of the next) around their journey; days without a journey pass unchanged. Sorted by day.
pub fn join(parts: Vec<(DaySlot, GeneratedDay)>) -> Vec<GeneratedDay> {
    let mut by_day: BTreeMap<usize, Vec<(DaySlot, GeneratedDay)>> = BTreeMap::new();
    for p in parts {
        by_day.entry(p.0.index).or_default().push(p);
    }
    let mut out = Vec::new();
    for (index, halves) in by_day {
        let Some(j) = halves.iter().find_map(|(s, _)| s.journey.clone()) else {
            out.extend(halves.into_iter().map(|(_, d)| d));
            continue;
        };
        let (mut morning, mut evening) = (None, None);
        for (s, d) in halves {
            match s.part {
                DayPart::BeforeJourney => morning = Some(d),
                _ => evening = Some(d),
            }
        }
        let plan = journey::travel_day(
            morning.as_ref().map(|d| d.plan.clone()),
            &j,
            evening.as_ref().map(|d| d.plan.clone()),
        );
        let mut warnings: Vec<(String, String)> = Vec::new();
        for d in morning.iter().chain(evening.iter()) {
            for w in &d.validator_warnings {
                if !warnings.contains(w) {
                    warnings.push(w.clone());
                }
            }
        }
        // The day belongs to where its traveller sleeps: the evening's city and forecast.
        let (Some(mut plan), Some(base)) = (plan, evening.or(morning)) else {
            continue;
        };
        plan.day_index = index;
        out.push(GeneratedDay {
            plan,
            validator_warnings: warnings,
            ..base
        });
    }
    out
}

/// Where the traveller of each of `days` (trip day indices) wakes and sleeps.
pub fn day_stays(facts: &TripFacts, days: &[(usize, NaiveDate)]) -> Vec<DayStay> {
    let night = |d: NaiveDate| {
        facts
            .stays
            .iter()
            .find(|s| s.start_date <= d && d < s.end_date)
    };
    days.iter()
        .filter_map(|&(_, date)| {
            let before = date.pred_opt().and_then(night);
            let after = night(date);
            let woke = before.or(after).or(facts.stays.last())?;
            let sleeps = after.unwrap_or(woke);
            Some(DayStay {
                woke_in: woke.city.clone(),
                woke_at: woke.lodging,
                sleeps_in: sleeps.city.clone(),
                sleeps_at: sleeps.lodging,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_input::day_slots;
    use crate::ports::MemberFacts;
    use tripgen_planner::itinerary::{DayKind, Health, JourneyMode, LatLon, Transport};
    use uuid::Uuid;

    fn stay(city: &str, zone: &str, at: LatLon, start: &str, end: &str) -> Stay {
        Stay {
            destination_id: Uuid::nil(),
            city: city.into(),
            time_zone: zone.into(),
            centre: at,
            lodging: at,
            lodging_name: format!("{city} centre"),
            start_date: start.parse().unwrap(),
            end_date: end.parse().unwrap(),
            check_in: 15 * 60,
            check_out: 11 * 60,
        }
    }

    fn facts(arrival: Option<TravelPoint>, departure: Option<TravelPoint>) -> TripFacts {
        TripFacts {
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
                stay(
                    "Munich",
                    "Europe/Berlin",
                    LatLon::new(48.14, 11.57),
                    "2027-06-01",
                    "2027-06-03",
                ),
                stay(
                    "Porto",
                    "Europe/Lisbon",
                    LatLon::new(41.15, -8.61),
                    "2027-06-03",
                    "2027-06-05",
                ),
            ],
            arrival,
            departure,
            generation_request_id: None,
            missing: vec![],
            links: vec![],
        }
    }

    #[test]
    fn offsets_follow_the_zone_and_the_date() {
        let june: NaiveDate = "2027-06-03".parse().unwrap();
        let january: NaiveDate = "2027-01-10".parse().unwrap();
        assert_eq!(utc_offset_minutes("Europe/Berlin", june), 120);
        assert_eq!(utc_offset_minutes("Europe/Berlin", january), 60);
        assert_eq!(utc_offset_minutes("Europe/Lisbon", june), 60);
        assert_eq!(utc_offset_minutes("Asia/Seoul", june), 540);
        assert_eq!(utc_offset_minutes("Nowhere/Else", june), 0);
    }

    #[test]
    fn the_travel_day_flies_from_munich_to_porto() {
        let f = facts(None, None);
        let slots = day_slots(&f, 9 * 60);
        let halves: Vec<_> = slots.iter().filter(|s| s.index == 2).collect();
        assert_eq!(halves.len(), 2);
        let j = halves[0].journey.clone().unwrap();
        assert_eq!((j.mode, j.depart), (JourneyMode::Flight, 11 * 60));
        assert_eq!(j.arrive, 11 * 60 + j.minutes - 60, "CEST → WEST");
        assert_eq!(halves[1].start, j.ready.max(9 * 60));
        let stays = day_stays(&f, &[(2, "2027-06-03".parse().unwrap())]);
        assert_eq!(
            (stays[0].woke_in.as_str(), stays[0].sleeps_in.as_str()),
            ("Munich", "Porto")
        );
    }

    #[test]
    fn arrival_and_departure_points_open_and_close_the_trip() {
        let airport = |time| TravelPoint {
            name: "Airport".into(),
            position: LatLon::new(48.354, 11.786),
            time,
            time_zone: "Europe/Berlin".into(),
        };
        let porto_airport = TravelPoint {
            name: "Porto Airport".into(),
            position: LatLon::new(41.248, -8.681),
            time: 18 * 60,
            time_zone: String::new(),
        };
        let f = facts(Some(airport(10 * 60)), Some(porto_airport));
        let slots = day_slots(&f, 9 * 60);
        let first = &slots[0];
        let a = first.journey.clone().unwrap();
        assert_eq!(
            (first.part, a.kind, a.depart),
            (DayPart::AfterJourney, JourneyKind::Arrival, 600)
        );
        assert_eq!(a.mode, JourneyMode::Transit);
        assert_eq!(first.start, a.ready);
        let last = slots.last().unwrap();
        let d = last.journey.clone().unwrap();
        assert_eq!(
            (last.part, last.kind, d.kind),
            (
                DayPart::BeforeJourney,
                DayKind::Departure,
                JourneyKind::Departure
            )
        );
        // At the airport 90 minutes before 18:00; the day ends in time to get there.
        assert_eq!(d.arrive, 18 * 60 - DEPARTURE_BUFFER_MIN);
        assert_eq!(last.end, d.depart);
        assert!(d.depart + d.minutes == d.arrive);
    }
}
