//! INDEPENDENT check of a whole trip's journeys (the per-city validator sees one city at a
//! time): exactly one journey per change of city, on the day of the change and between
//! those two cities; its times consistent across both time zones (restated here from UTC
//! offsets, not by calling the model); no stop in A after the departure, none in B before
//! the journey is `ready` (arrival and check-in); the legs into and out of it in time; and
//! every day starting and ending at that night's hotel (or the arrival/departure point).

use super::journey::JourneyKind;
use super::model::{DayPlan, LatLon, StopKind};
use super::validator::Violation;

/// Where a day's traveller wakes and sleeps: the city (and the hotel) of the night before
/// and of the night after (the last day's night is the departure's).
#[derive(Clone, Debug, PartialEq)]
pub struct DayStay {
    pub woke_in: String,
    pub woke_at: LatLon,
    pub sleeps_in: String,
    pub sleeps_at: LatLon,
}

fn v(day: usize, rule: &str, message: String) -> Violation {
    Violation {
        day: Some(day),
        rule: rule.to_string(),
        message,
    }
}

/// Within 50 m: the same hotel.
fn same_place(a: LatLon, b: LatLon) -> bool {
    super::travel::haversine_m(a, b) <= 50.0
}

/// Checks `days` (the trip's, in order) against `stays` (same index).
pub fn validate_journeys(days: &[DayPlan], stays: &[DayStay]) -> Vec<Violation> {
    let mut out = Vec::new();
    for (i, day) in days.iter().enumerate() {
        let Some(stay) = stays.get(i) else {
            out.push(v(i, "JOURNEY_STAY", "no stay known for this day".into()));
            continue;
        };
        let journeys: Vec<(usize, &super::journey::Journey)> = day
            .stops
            .iter()
            .enumerate()
            .filter_map(|(k, s)| {
                if s.kind == StopKind::Journey {
                    if s.journey.is_none() {
                        out.push(v(
                            i,
                            "JOURNEY_MISSING",
                            format!("stop {} has no journey", s.name),
                        ));
                    }
                    s.journey.as_ref().map(|j| (k, j))
                } else {
                    if s.journey.is_some() {
                        out.push(v(
                            i,
                            "JOURNEY_KIND",
                            format!("stop {} carries a journey", s.name),
                        ));
                    }
                    None
                }
            })
            .collect();
        let transfers: Vec<_> = journeys
            .iter()
            .filter(|(_, j)| j.kind == JourneyKind::Transfer)
            .collect();
        // A change of hotel inside one city is a journey too (a short one).
        let changes = stay.woke_in != stay.sleeps_in || !same_place(stay.woke_at, stay.sleeps_at);
        match (changes, transfers.as_slice()) {
            (false, []) => {}
            (true, [(_, j)]) => {
                if j.from.city != stay.woke_in || j.to.city != stay.sleeps_in {
                    out.push(v(
                        i,
                        "JOURNEY_CITIES",
                        format!(
                            "journey {} → {} on a day from {} to {}",
                            j.from.city, j.to.city, stay.woke_in, stay.sleeps_in
                        ),
                    ));
                }
            }
            (true, []) => out.push(v(
                i,
                "JOURNEY_MISSING",
                format!("{} → {} without a journey", stay.woke_in, stay.sleeps_in),
            )),
            _ => out.push(v(
                i,
                "JOURNEY_COUNT",
                format!("{} journeys between cities on one day", transfers.len()),
            )),
        }
        if journeys
            .iter()
            .any(|(k, j)| j.kind == JourneyKind::Arrival && *k != 0)
            || journeys
                .iter()
                .any(|(k, j)| j.kind == JourneyKind::Departure && *k + 1 != day.stops.len())
        {
            out.push(v(
                i,
                "JOURNEY_ORDER",
                "an arrival journey must open the day, a departure journey close it".into(),
            ));
        }
        for &(k, j) in &journeys {
            check_times(i, day, k, j, &mut out);
        }
        // Lodging as anchors: the day starts where the traveller woke (or at the arrival
        // point) and ends where they sleep (or at the departure point).
        let opens_with_arrival = journeys
            .first()
            .is_some_and(|(k, j)| *k == 0 && j.kind == JourneyKind::Arrival);
        let closes_with_departure = journeys
            .last()
            .is_some_and(|(_, j)| j.kind == JourneyKind::Departure);
        if !opens_with_arrival && !same_place(day.start.position, stay.woke_at) {
            out.push(v(
                i,
                "DAY_START_NOT_HOTEL",
                format!("the day starts at {}", day.start.name),
            ));
        }
        if !closes_with_departure && !same_place(day.end.position, stay.sleeps_at) {
            out.push(v(
                i,
                "DAY_END_NOT_HOTEL",
                format!("the day ends at {}", day.end.name),
            ));
        }
    }
    out
}

fn check_times(
    i: usize,
    day: &DayPlan,
    k: usize,
    j: &super::journey::Journey,
    out: &mut Vec<Violation>,
) {
    let utc_depart = i64::from(j.depart) - i64::from(j.from.utc_offset_minutes);
    let utc_arrive = i64::from(j.arrive) - i64::from(j.to.utc_offset_minutes);
    if utc_arrive - utc_depart != i64::from(j.minutes) && j.arrive != 0 {
        out.push(v(
            i,
            "JOURNEY_TIME_ZONES",
            format!(
                "{} leaves {} (UTC{:+}) and arrives {} (UTC{:+}) but takes {} min",
                j.from.city,
                j.depart,
                j.from.utc_offset_minutes,
                j.arrive,
                j.to.utc_offset_minutes,
                j.minutes
            ),
        ));
    }
    let parts: u32 = j.parts.iter().map(|p| p.minutes).sum();
    if parts != j.minutes || j.ready < j.arrive || !j.estimate {
        out.push(v(
            i,
            "JOURNEY_PARTS",
            format!("journey {} does not add up", j.from.city),
        ));
    }
    let Some(stop) = day.stops.get(k) else { return };
    if stop.start != j.depart || stop.end != j.ready || stop.arrival > stop.start {
        out.push(v(
            i,
            "JOURNEY_STOP_TIMES",
            format!("stop {} is not the journey's times", stop.name),
        ));
    }
    if let Some(before) = day.stops[..k].iter().find(|s| s.end > j.depart) {
        out.push(v(
            i,
            "VISIT_AFTER_DEPARTURE",
            format!(
                "{} ends after the departure from {}",
                before.name, j.from.name
            ),
        ));
    }
    if let Some(after) = day.stops[k + 1..].iter().find(|s| s.arrival < j.ready) {
        out.push(v(
            i,
            "VISIT_BEFORE_ARRIVAL",
            format!(
                "{} is reached before the journey to {} is over",
                after.name, j.to.name
            ),
        ));
    }
    // The leg into the journey arrives in time, the one out of it leaves after it.
    if let Some(l) = day.legs.get(k)
        && l.depart + l.minutes > j.depart
    {
        out.push(v(
            i,
            "JOURNEY_MISSED",
            format!("the way to {} arrives after it leaves", j.from.name),
        ));
    }
    if let Some(l) = day.legs.get(k + 1)
        && l.depart < j.ready
    {
        out.push(v(
            i,
            "JOURNEY_OVERLAP",
            format!("a leg leaves before the journey to {} is over", j.to.name),
        ));
    }
}
