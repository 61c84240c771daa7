//! Entry points: [`plan_trip`] plans all days of one city jointly (one TOPTW route per day,
//! so places spread over the days); [`replan_day`] regenerates one day with the other days
//! fixed and their places excluded.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use super::build::{Built, NodeRole, build};
use super::candidates::{adjusted_score, exclusion_reason, open_some_day, select};
use super::category::Category;
use super::explain::reason;
use super::group_rules::{DINNER_WINDOW, GroupRules, LUNCH_WINDOW, group_rules};
use super::model::*;
use super::travel::{TravelModel, haversine_m};
use crate::toptw::{InstanceError, SolverConfig, solve};

#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    DayOutOfRange { day: usize, days: usize },
    PlanDoesNotMatchRequest,
    Instance(InstanceError),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::DayOutOfRange { day, days } => {
                write!(f, "day {day} does not exist (the trip has {days} days)")
            }
            PlanError::PlanDoesNotMatchRequest => {
                write!(f, "the plan does not have one day per requested day")
            }
            PlanError::Instance(e) => write!(f, "internal instance error: {e}"),
        }
    }
}

impl std::error::Error for PlanError {}

/// Plans every day of the request.
pub fn plan_trip(req: &TripRequest, travel: &dyn TravelModel) -> Result<TripPlan, PlanError> {
    let step_free = step_free_travel(req, travel);
    let travel = step_free.as_deref().unwrap_or(travel);
    let all: Vec<usize> = (0..req.days.len()).collect();
    let mut days = plan_days(req, travel, &all, &HashSet::new(), req.options.seed, None)?;
    decorate(req, travel, &mut days, &all);
    let warnings = trip_warnings(req, &days);
    Ok(TripPlan { days, warnings })
}

/// Regenerates day `day` of `plan`: the other days stay as they are and their places are
/// excluded; `seed` drives both the search and a ±15 % score jitter, so another seed gives
/// another plan of similar quality.
pub fn replan_day(
    req: &TripRequest,
    travel: &dyn TravelModel,
    plan: &TripPlan,
    day: usize,
    seed: u64,
) -> Result<TripPlan, PlanError> {
    if day >= req.days.len() {
        return Err(PlanError::DayOutOfRange {
            day,
            days: req.days.len(),
        });
    }
    if plan.days.len() != req.days.len() {
        return Err(PlanError::PlanDoesNotMatchRequest);
    }
    let step_free = step_free_travel(req, travel);
    let travel = step_free.as_deref().unwrap_or(travel);
    let excluded: HashSet<&str> = plan
        .days
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != day)
        .flat_map(|(_, d)| d.stops.iter().map(|s| s.place_id.as_str()))
        .collect();
    let mut new_day = plan_days(req, travel, &[day], &excluded, seed, Some(seed))?;
    let mut days = plan.days.clone();
    if let Some(d) = new_day.pop() {
        days[day] = d;
    }
    decorate(req, travel, &mut days, &[day]);
    let warnings = trip_warnings(req, &days);
    Ok(TripPlan { days, warnings })
}

/// Walks of a group with a `limited` member keep off stairs, in every matrix and leg
/// (issue 17): the model's step-free variant when it has one.
fn step_free_travel<'a>(
    req: &TripRequest,
    travel: &'a dyn TravelModel,
) -> Option<Box<dyn TravelModel + 'a>> {
    group_rules(&req.group, req.constraints.pace, req.transport)
        .prefer_step_free
        .then(|| travel.step_free())
        .flatten()
}

fn plan_days(
    req: &TripRequest,
    travel: &dyn TravelModel,
    days: &[usize],
    excluded: &HashSet<&str>,
    seed: u64,
    jitter: Option<u64>,
) -> Result<Vec<DayPlan>, PlanError> {
    let group = group_rules(&req.group, req.constraints.pace, req.transport);
    let sel = select(req, &group, days, excluded);
    let built = build(req, travel, &group, days, &sel, jitter).map_err(PlanError::Instance)?;
    let cfg = SolverConfig {
        seed,
        max_iterations: req.options.max_iterations,
        time_limit: Some(Duration::from_millis(req.options.time_limit_ms.max(1))),
        threads: 1,
    };
    let result = solve(&built.instance, &cfg);
    Ok(result
        .routes
        .iter()
        .enumerate()
        .map(|(r, route)| day_plan(req, &built, r, route))
        .collect())
}

fn day_plan(req: &TripRequest, built: &Built, r: usize, route: &[usize]) -> DayPlan {
    let d = built.days[r];
    let spec = &req.days[d];
    let inst = &built.instance;
    let mut t = spec.start.time;
    let mut loc = built.start_location(r);
    let mut stops = Vec::with_capacity(route.len());
    let mut legs = Vec::with_capacity(route.len() + 1);
    let wet = built.day_rules[r].weather.wet;
    for &v in route {
        let Some(leg) = built.leg(loc, v) else { break };
        let arrival = t.saturating_add(leg.minutes);
        let Some((start, _)) = inst.earliest_start(v, r, arrival as f64) else {
            break;
        };
        let start = start.round() as Minutes;
        let node = &built.nodes[v];
        let c = &req.candidates[node.cand];
        let (kind, code) = match node.role {
            NodeRole::Place => {
                let (_, code) = adjusted_score(c, req, &built.group);
                let code = if code != ReasonCode::MustVisit && wet && c.is_indoor() {
                    ReasonCode::IndoorOnWetDay
                } else {
                    code
                };
                (StopKind::Visit, code)
            }
            NodeRole::Lunch => (StopKind::Lunch, ReasonCode::Lunch),
            NodeRole::Dinner => (StopKind::Dinner, ReasonCode::Dinner),
            NodeRole::Rest { .. } => (StopKind::Rest, ReasonCode::Rest),
        };
        legs.push(Leg {
            mode: leg.mode,
            depart: t,
            minutes: leg.minutes,
            metres: leg.metres,
            kcal: leg.kcal(),
            path: None,
            line: None,
            rides: Vec::new(),
        });
        stops.push(Stop {
            place_id: c.id.clone(),
            name: c.name.clone(),
            kind,
            category: c.category,
            position: c.position,
            arrival,
            start,
            end: start.saturating_add(node.minutes),
            indoor: c.is_indoor(),
            reason: reason(code, c, req),
            accessibility_note: None,
            access: None,
            indoor_alternative: None,
            parking: None,
            journey: None,
        });
        t = start.saturating_add(node.minutes);
        loc = v;
    }
    let back = built.leg(loc, built.end_location(r));
    let (minutes, metres, mode, kcal) = back
        .map(|l| (l.minutes, l.metres, l.mode, l.kcal()))
        .unwrap_or((0, 0, built.group.motor_mode, None));
    legs.push(Leg {
        mode,
        depart: t,
        minutes,
        metres,
        kcal,
        path: None,
        line: None,
        rides: Vec::new(),
    });
    let walking_metres = legs
        .iter()
        .filter(|l| l.mode == Mode::Walk)
        .map(|l| l.metres)
        .sum();
    let walking_kcal = legs.iter().filter_map(|l| l.kcal).sum();
    DayPlan {
        day_index: d,
        date: spec.date,
        start: spec.start.clone(),
        end: spec.end.clone(),
        stops,
        legs,
        return_time: t.saturating_add(minutes),
        walking_metres,
        walking_kcal,
        weather_notes: built.day_rules[r].weather.notes.clone(),
        weather_note_codes: built.day_rules[r].weather.note_codes.clone(),
        warnings: Vec::new(),
    }
}

/// Whether a candidate is open for the whole of `[start, end]` on day `d`.
fn open_during(c: &Candidate, d: usize, start: Minutes, end: Minutes) -> bool {
    c.always_open
        || c.hours
            .get(d)
            .and_then(|h| h.as_ref())
            .is_some_and(|iv| iv.iter().any(|i| i.open <= start && end <= i.close))
}

/// A stop planned without known hours that day: an always-open candidate that has an
/// `opening_hours` value not known for the day, or that is not open-air (the user asked
/// for it), or one planned within assumed hours. Untagged parks, squares and viewpoints
/// need no note.
fn hours_unknown(c: &Candidate, d: usize) -> bool {
    let known = c.hours.get(d).is_some_and(Option::is_some);
    c.hours_assumed || (c.always_open && !known && (c.opening_hours.is_some() || c.is_indoor()))
}

/// Adds parking, indoor alternatives, accessibility notes and day warnings to `targets`.
fn decorate(req: &TripRequest, _travel: &dyn TravelModel, days: &mut [DayPlan], targets: &[usize]) {
    let group = group_rules(&req.group, req.constraints.pace, req.transport);
    let mut used: HashSet<String> = days
        .iter()
        .flat_map(|d| d.stops.iter().map(|s| s.place_id.clone()))
        .collect();
    for day in days.iter_mut() {
        if !targets.contains(&day.day_index) {
            continue;
        }
        let Some(spec) = req.days.get(day.day_index) else {
            continue;
        };
        let rules = super::group_rules::day_rules(&group, spec);
        day.warnings.clear();
        for (i, stop) in day.stops.iter_mut().enumerate() {
            let Some(c) = req.candidates.iter().find(|c| c.id == stop.place_id) else {
                continue;
            };
            if group.prefer_step_free {
                stop.accessibility_note = Some(
                    match c.access {
                        Access::StepFree => "Step-free access.",
                        Access::Limited => "Partly step-free: some areas may need help.",
                        Access::NotStepFree => "Not step-free: expect steps at the entrance.",
                        Access::Unknown => "Step-free access is not confirmed.",
                    }
                    .to_string(),
                );
                stop.access = Some(c.access);
                if c.access == Access::NotStepFree {
                    day.warnings.push(
                        Warning::new(
                            WarningCode::NotStepFree,
                            format!("{} is not step-free.", c.name),
                            Some(c.id.clone()),
                        )
                        .with("name", &c.name),
                    );
                }
            }
            if day.legs.get(i).is_some_and(|l| l.mode == Mode::Car) {
                stop.parking = nearest_parking(req, stop.position);
            }
            if hours_unknown(c, day.day_index) {
                day.warnings.push(
                    Warning::new(
                        WarningCode::HoursUnknown,
                        format!(
                            "Opening hours of {} are unknown — check before you go.",
                            c.name
                        ),
                        Some(c.id.clone()),
                    )
                    .with("name", &c.name),
                );
            }
            if rules.weather.wet && stop.kind == StopKind::Visit && !stop.indoor {
                stop.indoor_alternative =
                    indoor_alternative(req, &group, day.day_index, stop, &used);
                match &stop.indoor_alternative {
                    Some(alt) => {
                        used.insert(alt.place_id.clone());
                    }
                    None => day.warnings.push(
                        Warning::new(
                            WarningCode::NoIndoorAlternative,
                            format!(
                                "No indoor alternative is open near {} at that time.",
                                stop.name
                            ),
                            Some(stop.place_id.clone()),
                        )
                        .with("name", &stop.name),
                    ),
                }
            }
        }
        let count = |k: StopKind| day.stops.iter().filter(|s| s.kind == k).count() as u32;
        let places = count(StopKind::Visit);
        if places < rules.min_places {
            day.warnings.push(
                Warning::new(
                    WarningCode::FewerPlacesThanPlanned,
                    format!(
                        "Only {places} places could be planned (aim: at least {}).",
                        rules.min_places
                    ),
                    None,
                )
                .with("places", places)
                .with("min", rules.min_places),
            );
        }
        let rests = count(StopKind::Rest);
        let wanted_rests = rules.rests.max(group.rests);
        if rests < wanted_rests {
            day.warnings.push(
                Warning::new(
                    WarningCode::RestShortfall,
                    format!(
                        "Only {rests} of {wanted_rests} rests could be scheduled at a café, bench or park."
                    ),
                    None,
                )
                .with("rests", rests)
                .with("wanted", wanted_rests),
            );
        }
        let covers = |w: (Minutes, Minutes)| spec.start.time <= w.0 && spec.end.time >= w.1;
        if covers(LUNCH_WINDOW) && count(StopKind::Lunch) == 0 {
            day.warnings.push(Warning::new(
                WarningCode::NoLunch,
                "No food place is open for lunch near the route.".into(),
                None,
            ));
        }
        if covers(DINNER_WINDOW) && count(StopKind::Dinner) == 0 {
            day.warnings.push(Warning::new(
                WarningCode::NoDinner,
                "No food place is open for dinner near the route.".into(),
                None,
            ));
        }
        day.weather_notes = rules.weather.notes.clone();
        day.weather_note_codes = rules.weather.note_codes.clone();
    }
}

fn nearest_parking(req: &TripRequest, at: LatLon) -> Option<Parking> {
    req.candidates
        .iter()
        .filter(|c| c.category == Category::Parking)
        .map(|c| (haversine_m(c.position, at), c))
        .filter(|(d, _)| *d <= 600.0)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(d, c)| Parking {
            place_id: c.id.clone(),
            name: c.name.clone(),
            metres_to_stop: d.round() as u32,
        })
}

fn indoor_alternative(
    req: &TripRequest,
    group: &GroupRules,
    d: usize,
    stop: &Stop,
    used: &HashSet<String>,
) -> Option<Alternative> {
    req.candidates
        .iter()
        .filter(|c| {
            c.category.is_visitable()
                && c.category != Category::Cafe
                && c.is_indoor()
                && !used.contains(&c.id)
                && exclusion_reason(c, req, group).is_none()
                && open_during(
                    c,
                    d,
                    stop.start,
                    stop.start.saturating_add(c.visit_minutes.max(10)),
                )
        })
        .map(|c| (haversine_m(c.position, stop.position), c))
        .filter(|(dist, _)| *dist <= 3000.0)
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)))
        .map(|(dist, c)| Alternative {
            place_id: c.id.clone(),
            name: c.name.clone(),
            category: c.category,
            metres_from_stop: dist.round() as u32,
        })
}

/// Must-visit places that are not in the plan (with the reason) and "more of" categories
/// that could not be served.
fn trip_warnings(req: &TripRequest, days: &[DayPlan]) -> Vec<Warning> {
    let group = group_rules(&req.group, req.constraints.pace, req.transport);
    let visited: HashSet<&str> = days
        .iter()
        .flat_map(|d| d.stops.iter().map(|s| s.place_id.as_str()))
        .collect();
    let mut out = Vec::new();
    for id in &req.constraints.must_visit {
        if visited.contains(id.as_str()) {
            continue;
        }
        let found = req.candidates.iter().find(|c| c.id == *id);
        let (why_code, why) = match found {
            None => ("NOT_IN_LIST", "it is not in the place list"),
            Some(c) => match exclusion_reason(c, req, &group) {
                Some(r) => (exclusion_code(r), r),
                None if !c.category.is_visitable() => {
                    ("NOT_A_VISIT", "it is not a place to visit (service place)")
                }
                None if !open_some_day(c, req.days.len()) => (
                    "CLOSED_EVERY_DAY",
                    "it is closed (or its hours are unknown) on every day of the trip",
                ),
                None => (
                    "DOES_NOT_FIT",
                    "it does not fit into any day (opening hours, time or distance)",
                ),
            },
        };
        out.push(
            Warning::new(
                WarningCode::MustVisitNotPlanned,
                format!("Could not plan must-visit place {id}: {why}."),
                Some(id.clone()),
            )
            .with("name", found.map_or(id.as_str(), |c| c.name.as_str()))
            .with("why", why_code),
        );
    }
    for cat in &req.constraints.more_of {
        let served = days
            .iter()
            .flat_map(|d| d.stops.iter())
            .any(|s| s.category == *cat);
        if !served {
            out.push(
                Warning::new(
                    WarningCode::CategoryUnavailable,
                    format!(
                        "No {} could be planned although more were requested.",
                        cat.label()
                    ),
                    None,
                )
                .with("category", cat.key()),
            );
        }
    }
    out
}

/// The stable code of an exclusion reason (text parameter `why` of a must-visit warning).
pub(super) fn exclusion_code(reason: &str) -> &'static str {
    match reason {
        "it is on the avoid list" => "AVOIDED_PLACE",
        "its category is avoided" => "AVOIDED_CATEGORY",
        "it is too strenuous for the group" => "TOO_STRENUOUS",
        "its data is invalid" => "INVALID_DATA",
        _ => "EXCLUDED",
    }
}
