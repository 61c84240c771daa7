//! Rendering of stored records into API views. Everything that depends on the current
//! instant (status, progress, badges) is derived here, at read time, from the clock —
//! never stored, so never stale (cached records hold only what writes change).

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::clock::from_millis;
use uuid::Uuid;

use crate::domain::calendar::{self, Stay, TripStatus};
use crate::domain::cover::cover;
use crate::domain::model::{
    Destination, GenerationState, ScheduleState, TransportMode, TravelPoint, TripRecord, WireEnum,
};
use crate::domain::schedule::DayPlan;
use crate::domain::steps::{self, StepFacts, StepState};
use crate::dto::*;
use crate::store::{DestinationRow, TripRow, parse_date};

pub fn stays(destinations: &[Destination]) -> Vec<Stay> {
    destinations
        .iter()
        .filter_map(|d| {
            Some(Stay {
                start: d.start_date,
                end: d.end_date,
                tz: calendar::parse_tz(&d.time_zone)?,
            })
        })
        .collect()
}

pub fn destination_view(i: usize, d: &Destination) -> DestinationView {
    DestinationView {
        id: d.id,
        position: i,
        destination_name: d.destination_name.clone(),
        city: CityView {
            name: d.city_name.clone(),
            lat: d.position.lat,
            lon: d.position.lon,
            time_zone: d.time_zone.clone(),
            country: d.country.clone(),
        },
        nights: d.nights,
        accommodation: d.accommodation.clone(),
        lodging: LodgingView {
            lat: d.lodging.lat,
            lon: d.lodging.lon,
            resolved: d.lodging_resolved,
        },
        check_in_time: d.check_in_time.clone(),
        check_out_time: d.check_out_time.clone(),
        start_date: d.start_date,
        end_date: d.end_date,
    }
}

pub fn point_view(p: &TravelPoint) -> TravelPointView {
    TravelPointView {
        time: p.time.clone(),
        place: p.place.clone(),
        name: p.name.clone(),
        kind: p.kind,
        lat: p.position.lat,
        lon: p.position.lon,
        time_zone: p.time_zone.clone(),
    }
}

pub fn member_view(m: &crate::domain::model::Member) -> MemberView {
    MemberView {
        id: m.id,
        name: m.name.clone(),
        age: m.age,
        gender: m.gender,
        health_status: m.health_status,
        preferences: m.preferences.clone(),
    }
}

pub fn step_state(r: &TripRecord) -> StepState {
    steps::derive(StepFacts {
        has_name: !r.name.is_empty(),
        has_transport: r.transport_mode.is_some(),
        members: r.members.len(),
        has_start_date: r.start_date.is_some(),
        destinations: r.destinations.len(),
        schedule: r.schedule_state,
        generation: r.generation_state,
    })
}

fn schedule_info(r: &TripRecord) -> ScheduleInfo {
    ScheduleInfo {
        state: r.schedule_state,
        days: r.schedule_days,
        generation: GenerationView {
            state: r.generation_state,
            request_id: r.generation_request_id.clone(),
            generated_at: r.generated_at.map(from_millis),
        },
    }
}

pub fn total_nights(destinations: &[Destination]) -> u32 {
    destinations.iter().map(|d| d.nights).sum()
}

fn total_days(destinations: &[Destination]) -> u32 {
    if destinations.is_empty() {
        0
    } else {
        calendar::trip_days(total_nights(destinations))
    }
}

pub fn detail(r: &TripRecord, now: DateTime<Utc>) -> TripDetail {
    let status = calendar::status(r.starts_at, r.ends_at, now.timestamp_millis());
    let progress = match status {
        TripStatus::Ongoing => calendar::ongoing_progress(&stays(&r.destinations), now),
        _ => None,
    };
    TripDetail {
        id: r.id,
        trip_name: r.name.clone(),
        transport_mode: r.transport_mode,
        members: r.members.iter().map(member_view).collect(),
        start_date: r.start_date,
        end_date: r.end_date,
        total_nights: total_nights(&r.destinations),
        total_days: total_days(&r.destinations),
        destinations: r
            .destinations
            .iter()
            .enumerate()
            .map(|(i, d)| destination_view(i, d))
            .collect(),
        status,
        step: step_state(r),
        progress,
        cover: cover(&r.name),
        cover_url: format!("/api/v1/trips/{}/cover.svg", r.id),
        schedule: schedule_info(r),
        shared: r.is_shared(now.timestamp_millis()),
        arrival: r.arrival.as_ref().map(point_view),
        departure: r.departure.as_ref().map(point_view),
        created_at: from_millis(r.created_at),
        updated_at: from_millis(r.updated_at),
    }
}

pub fn shared(r: &TripRecord, now: DateTime<Utc>) -> SharedTripView {
    let d = detail(r, now);
    SharedTripView {
        id: d.id,
        trip_name: d.trip_name,
        transport_mode: d.transport_mode,
        member_count: d.members.len(),
        start_date: d.start_date,
        end_date: d.end_date,
        total_days: d.total_days,
        destinations: d.destinations,
        status: d.status,
        progress: d.progress,
        cover: d.cover,
        schedule: d.schedule,
    }
}

/// What a card is rendered from: the trip row and its destinations (cached by the
/// dashboard; status and progress are derived at read time).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardSource {
    pub record: TripRecord,
    pub member_count: i64,
}

/// A lightweight record from a list row (no members) and its destinations.
pub fn card_source(row: &TripRow, destinations: Vec<Destination>) -> CardSource {
    let (arrival, departure) = row.travel_points();
    CardSource {
        record: TripRecord {
            id: row.id,
            owner_id: row.owner_id,
            name: row.name.clone(),
            transport_mode: row.transport_mode.as_deref().and_then(TransportMode::parse),
            start_date: row.start_date.as_deref().and_then(parse_date),
            end_date: row.end_date.as_deref().and_then(parse_date),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            schedule_state: ScheduleState::parse(&row.schedule_state),
            schedule_days: row.schedule_days.max(0) as u32,
            generation_state: GenerationState::parse(&row.generation_state),
            generation_request_id: row.generation_request_id.clone(),
            generated_at: row.generated_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            deleted_at: row.deleted_at,
            members: Vec::new(),
            destinations,
            share_until: row.share_until,
            arrival,
            departure,
        },
        member_count: row.member_count,
    }
}

/// Groups destination rows by trip, in chain order.
pub fn destinations_by_trip(
    rows: Vec<DestinationRow>,
) -> std::collections::HashMap<Uuid, Vec<Destination>> {
    let mut map: std::collections::HashMap<Uuid, Vec<Destination>> = Default::default();
    for row in rows {
        let trip = row.trip_id;
        if let Some(d) = row.into_destination() {
            map.entry(trip).or_default().push(d);
        }
    }
    map
}

pub fn card(src: &CardSource, now: DateTime<Utc>) -> TripCard {
    let r = &src.record;
    let status = calendar::status(r.starts_at, r.ends_at, now.timestamp_millis());
    // The wizard needs the member count only; cards carry it instead of the members.
    let step = steps::derive(StepFacts {
        has_name: !r.name.is_empty(),
        has_transport: r.transport_mode.is_some(),
        members: src.member_count.max(0) as usize,
        has_start_date: r.start_date.is_some(),
        destinations: r.destinations.len(),
        schedule: r.schedule_state,
        generation: r.generation_state,
    });
    let (badge, progress, step_no) = match status {
        TripStatus::Ongoing => {
            let p = calendar::ongoing_progress(&stays(&r.destinations), now);
            let (percent, label) = p.map(|p| (p.percent, p.badge)).unwrap_or((0, "D+1".into()));
            (label.clone(), CardProgress { percent, label }, None)
        }
        TripStatus::Planning => (
            step.label.clone(),
            CardProgress {
                percent: (step.number - 1) * 25,
                label: format!("Step {} of {}", step.number, step.of),
            },
            Some(step.number),
        ),
        TripStatus::Completed => (
            "Completed".into(),
            CardProgress {
                percent: 100,
                label: "Completed".into(),
            },
            None,
        ),
    };
    TripCard {
        id: r.id,
        trip_name: r.name.clone(),
        cover: cover(&r.name),
        start_date: r.start_date,
        end_date: r.end_date,
        status,
        badge,
        progress,
        step: step_no,
        cities: r.destinations.iter().map(|d| d.city_name.clone()).collect(),
        member_count: src.member_count,
        created_at: from_millis(r.created_at),
        updated_at: from_millis(r.updated_at),
        deleted_at: r.deleted_at.map(from_millis),
    }
}

pub fn weekday(plan: &DayPlan) -> String {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        [plan.date.weekday().num_days_from_monday() as usize]
        .to_string()
}

/// A day with its city filled in from the destinations when the plan has none.
pub fn day_view(
    plan: DayPlan,
    version: i64,
    regenerations_left: i64,
    destinations: &[Destination],
) -> DayView {
    // The city of a date: the stay that starts on it (arrival day) or covers it.
    let dest = destinations
        .iter()
        .find(|d| d.start_date == plan.date)
        .or_else(|| {
            destinations
                .iter()
                .find(|d| d.start_date <= plan.date && plan.date < d.end_date)
        })
        .or_else(|| destinations.last().filter(|d| d.end_date == plan.date));
    let dest = plan
        .destination_id
        .and_then(|id| destinations.iter().find(|d| d.id == id))
        .or(dest);
    let mut plan = plan;
    if plan.city.is_none() {
        plan.city = dest.map(|d| d.city_name.clone());
    }
    DayView {
        day: plan.day_index + 1,
        version,
        weekday: weekday(&plan),
        time_zone: dest.map(|d| d.time_zone.clone()),
        regenerations_left,
        plan,
    }
}
