//! From the stored schedule to the export model (`tripgen_export::ExportTrip`): each day
//! with its city and time zone (as the schedule view resolves them), stops with their
//! notes, and legs as straight lines between consecutive points (the export step then
//! puts the street shapes the travel port knows and the base map in, `app/export.rs`).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tripgen_export::labels::Labels;
use tripgen_export::{
    Anchor, ExportDay, ExportJourney, ExportLeg, ExportStop, ExportTrip, GeoPoint, Language,
    LegMode, StopKind, Weather,
};

use crate::app::schedules::StoredDay;
use crate::app::views;
use crate::domain::model::{LatLon, TripRecord};
use crate::domain::schedule::{self, Mode};

fn geo(p: LatLon) -> GeoPoint {
    GeoPoint::new(p.lat, p.lon)
}

fn mode(m: Mode) -> LegMode {
    match m {
        Mode::Walk => LegMode::Walk,
        Mode::Transit => LegMode::Transit,
        Mode::Car => LegMode::Car,
        Mode::Taxi => LegMode::Taxi,
    }
}

fn kind(k: schedule::StopKind) -> StopKind {
    match k {
        schedule::StopKind::Visit => StopKind::Visit,
        schedule::StopKind::Lunch => StopKind::Lunch,
        schedule::StopKind::Dinner => StopKind::Dinner,
        schedule::StopKind::Rest => StopKind::Rest,
        schedule::StopKind::Journey => StopKind::Journey,
    }
}

/// `(start zone, end zone)` of each stop when not the day's: stops before a journey are
/// in the zone it leaves, the journey itself runs from that zone into the next.
fn stop_zones(stops: &[schedule::Stop]) -> Vec<(Option<Tz>, Option<Tz>)> {
    let zone = |z: &str| z.parse::<Tz>().ok();
    let mut out: Vec<(Option<Tz>, Option<Tz>)> = vec![(None, None); stops.len()];
    let mut before: Option<Tz> = None;
    for (i, s) in stops.iter().enumerate().rev() {
        if let Some(j) = &s.journey {
            let from = zone(&j.from.time_zone);
            out[i] = (from, zone(&j.to.time_zone));
            before = from;
        } else if before.is_some() {
            out[i] = (before, before);
        }
    }
    out
}

fn stop(s: &schedule::Stop, l: &Labels) -> ExportStop {
    let mut notes = Vec::new();
    if !s.reason.text.trim().is_empty() {
        notes.push(s.reason.text.clone());
    }
    if let Some(a) = &s.accessibility_note {
        notes.push(a.clone());
    }
    if let Some(a) = &s.indoor_alternative {
        notes.push(l.indoor_alternative(&a.name, a.metres_from_stop));
    }
    if let Some(p) = &s.parking {
        notes.push(l.parking(&p.name, p.metres_to_stop));
    }
    ExportStop {
        place_id: s.place_id.clone(),
        name: s.name.clone(),
        kind: kind(s.kind),
        category: s.category.clone(),
        position: geo(s.position),
        start: s.start,
        end: s.end,
        notes,
        warnings: s.warnings.iter().map(|w| w.message.clone()).collect(),
        start_zone: None,
        end_zone: None,
        journey: s.journey.as_ref().map(|j| ExportJourney {
            mode: j.mode.as_str().to_string(),
            from: j.from.name.clone(),
            to: j.to.name.clone(),
            to_position: geo(j.to.position),
            minutes: j.minutes,
            metres: j.metres,
        }),
    }
}

fn day(r: &TripRecord, d: StoredDay, l: &Labels) -> ExportDay {
    // Exports show neither the version nor the regenerations left.
    let view = views::day_view(d.plan, d.version, 0, &r.destinations);
    let time_zone = view
        .time_zone
        .as_deref()
        .or(r.destinations.first().map(|d| d.time_zone.as_str()))
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC);
    // Reasons, warnings and notes in the export's language, like the schedule view.
    let mut plan = view.plan;
    crate::domain::texts::localize_day(&mut plan, l.lang);
    let stops: Vec<&schedule::Stop> = plan.stops.iter().collect();
    let points = schedule::leg_points(plan.start.position, &stops, plan.end.position);
    let legs = plan
        .legs
        .iter()
        .enumerate()
        .map(|(i, g)| ExportLeg {
            mode: mode(g.mode),
            depart: g.depart,
            minutes: g.minutes,
            metres: g.metres,
            geometry: points
                .get(i)
                .map(|&(a, b)| vec![geo(a), geo(b)])
                .unwrap_or_default(),
        })
        .collect();
    let mut notes = plan.weather_notes.clone();
    notes.extend(
        plan.warnings
            .iter()
            .filter(|w| w.place_id.is_none())
            .map(|w| w.message.clone()),
    );
    ExportDay {
        number: view.day,
        date: plan.date,
        city: plan.city.clone(),
        time_zone,
        version: u32::try_from(d.version.max(0)).unwrap_or(u32::MAX),
        weather: plan.weather.as_ref().map(|w| Weather {
            sky: w.sky.as_str().to_string(),
            min_temp_c: w.min_temp_c,
            max_temp_c: w.max_temp_c,
            air: w.air.map(|a| a.as_str().to_string()),
        }),
        notes,
        start: Anchor {
            name: plan.start.name.clone(),
            position: geo(plan.start.position),
            time: plan.start.time,
        },
        end: Anchor {
            name: plan.end.name.clone(),
            position: geo(plan.end.position),
            // The planned arrival; the anchor's own time is the latest allowed.
            time: if plan.return_time > 0 {
                plan.return_time
            } else {
                plan.end.time
            },
        },
        stops: plan
            .stops
            .iter()
            .zip(stop_zones(&plan.stops))
            .map(|(s, (start_zone, end_zone))| ExportStop {
                start_zone,
                end_zone,
                ..stop(s, l)
            })
            .collect(),
        legs,
        walking_metres: plan.walking_metres,
        base_map: Vec::new(),
    }
}

/// The export model of a trip and its current day plans.
pub fn trip(
    r: &TripRecord,
    days: Vec<StoredDay>,
    lang: Language,
    now: DateTime<Utc>,
) -> ExportTrip {
    let l = Labels::new(lang);
    let mut days: Vec<ExportDay> = days.into_iter().map(|d| day(r, d, &l)).collect();
    days.sort_by_key(|d| d.number);
    let first = days.first().map(|d| d.date);
    let last = days.last().map(|d| d.date);
    ExportTrip {
        id: r.id.to_string(),
        name: r.name.clone(),
        start_date: r.start_date.or(first).unwrap_or_default(),
        end_date: r.end_date.or(last).unwrap_or_default(),
        members: r.members.len(),
        cities: r.destinations.iter().map(|d| d.city_name.clone()).collect(),
        days,
        generated_at: now,
    }
}
