//! The stored plan of one day, as the planner produces it (field names and units follow
//! the planner's `itinerary::DayPlan`: times are minutes since local midnight of the day,
//! distances metres), plus the recomputation after an edit (TRIP-060): legs and times are
//! rebuilt from the new order, waiting for a place to open when the group arrives early.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use tripgen_platform::i18n::Language;

use tripgen_planner::itinerary::{self, group_rules, modes};

use super::model::{Health, LatLon, TransportMode};
use super::planned::{planner_health, planner_transport};
use super::texts;

// The planner's itinerary vocabulary: one model of modes, stops, legs and anchors for the
// planner that makes plans and the trip context that stores and edits them.
pub use tripgen_planner::itinerary::{
    AirQuality, Anchor, Journey, JourneyKind, JourneyMode, Leg, LegRide, Minutes, Mode, OpenInterval,
    Parking, Sky, StopKind,
};

/// Door-to-door estimate of one leg for one mode, in whole minutes and metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegEstimate {
    pub minutes: u32,
    pub metres: u32,
}

/// Leg limits of the edit checks: the planner's group rules.
pub const WALK_MAX_MINUTES: u32 = group_rules::WALK_MAX_MINUTES as u32;
/// Motor legs (driving, transit): ≤ 60 min.
pub const MOTOR_MAX_MINUTES: u32 = group_rules::DRIVE_MAX_MINUTES as u32;

/// How the legs of an edited day are chosen for this group: the planner's group rules
/// (`planner::itinerary::group_rules`) — the slowest member sets the walking pace, a
/// `limited` group on public transport rides a taxi — and its walk rule
/// (`modes::walked`), so an edited day is walked and ridden the way a generated one is.
#[derive(Debug, Clone, PartialEq)]
pub struct LegPolicy {
    rules: group_rules::GroupRules,
}

impl LegPolicy {
    pub fn for_group(members: &[Health], transport: TransportMode) -> LegPolicy {
        let group = itinerary::GroupProfile {
            members: members
                .iter()
                .map(|h| itinerary::Member {
                    health: planner_health(*h),
                })
                .collect(),
        };
        let transport = planner_transport(transport);
        // The pace changes the number of places, not how a leg is travelled.
        LegPolicy {
            rules: group_rules::group_rules(&group, itinerary::Pace::Normal, transport),
        }
    }

    /// Walks keep off stairs (a `limited` member).
    pub fn step_free(&self) -> bool {
        self.rules.prefer_step_free
    }

    /// Mode of the legs that are not walked.
    pub fn motor(&self) -> Mode {
        self.rules.motor_mode
    }

    /// The group's walk when the planner would walk it, else the motor mode; a walk (at
    /// the group's pace) when no motor estimate exists. Unlike the planner, an edit keeps
    /// a leg over the limits: the edit check reports it (`LEG_TOO_LONG`).
    pub fn choose(
        &self,
        walk: Option<LegEstimate>,
        motor_estimate: Option<LegEstimate>,
    ) -> Option<(Mode, LegEstimate)> {
        let whole = |c: modes::LegChoice| LegEstimate {
            minutes: c.minutes,
            metres: c.metres,
        };
        let as_planned = |e: LegEstimate| itinerary::LegEstimate {
            minutes: f64::from(e.minutes),
            metres: f64::from(e.metres),
        };
        if let Some(w) = walk.and_then(|w| modes::walked(&self.rules, as_planned(w))) {
            return Some((Mode::Walk, whole(w)));
        }
        motor_estimate
            .map(|e| (self.rules.motor_mode, e))
            .or(walk.map(|w| {
                (
                    Mode::Walk,
                    LegEstimate {
                        minutes: (f64::from(w.minutes) * self.rules.walk_slowdown).ceil() as u32,
                        metres: w.metres,
                    },
                )
            }))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// Stable code (e.g. `MATCHES_INTEREST`, `ADDED_BY_USER`).
    pub code: String,
    /// In the request's language (see `crate::domain::texts`).
    pub text: String,
    /// What the text is made of (`name`, `category`, …): stored so that the text renders
    /// in the reader's language; absent in plans stored before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: TextParams,
}

/// Values a stored text is rendered from (see [`Reason::params`]).
pub type TextParams = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Alternative {
    pub place_id: String,
    pub name: String,
    pub category: String,
    pub metres_from_stop: u32,
}

/// A warning on a day or a stop. Codes: the planner's (`NO_LUNCH` …) and the edit checks'
/// hard rules (`CLOSED_AT_THAT_TIME`, `DAY_OVERRUN`, `LEG_TOO_LONG`, `DUPLICATE_PLACE`,
/// `TIME_ORDER`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlanWarning {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub place_id: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: TextParams,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    pub place_id: String,
    pub name: String,
    pub kind: StopKind,
    /// Planner category (`museum`, `restaurant`, …).
    pub category: String,
    pub position: LatLon,
    pub arrival: Minutes,
    pub start: Minutes,
    pub end: Minutes,
    #[serde(default)]
    pub indoor: bool,
    pub reason: Reason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility_note: Option<String>,
    /// Step-free access the note is about (`stepFree`, `limited`, `notStepFree`, `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indoor_alternative: Option<Alternative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parking: Option<Parking>,
    /// Hard-rule warnings on this stop (set by the edit checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<PlanWarning>,
    /// A stop of kind `journey`: how and when the group travels between cities (or from
    /// the arrival point, to the departure point). Times before it are local time of its
    /// `from`, times after it local time of its `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journey: Option<Journey>,
}

impl Stop {
    pub fn minutes(&self) -> Minutes {
        self.end.saturating_sub(self.start)
    }

    /// Where the group is when the stop is over: the journey's end for a journey.
    pub fn exit_position(&self) -> LatLon {
        self.journey
            .as_ref()
            .map_or(self.position, |j| j.to.position)
    }
}

/// Start, stops and end as `(from, to)` of each leg: a leg after a journey leaves from the
/// journey's end.
pub fn leg_points(start: LatLon, stops: &[&Stop], end: LatLon) -> Vec<(LatLon, LatLon)> {
    let mut out = Vec::with_capacity(stops.len() + 1);
    let mut at = start;
    for s in stops {
        out.push((at, s.position));
        at = s.exit_position();
    }
    out.push((at, end));
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DayWeather {
    /// `clear`, `cloudy`, `rain`, `snow`, `storm`.
    #[schema(value_type = String)]
    pub sky: Sky,
    #[serde(default)]
    pub min_temp_c: Option<f64>,
    #[serde(default)]
    pub max_temp_c: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub air: Option<AirQuality>,
    /// Severe-weather warnings in force when the forecast was taken (change detection
    /// compares them with the current ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The plan of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DayPlan {
    /// 0-based day of the trip (the API's `day` is `dayIndex + 1`).
    pub day_index: usize,
    pub date: NaiveDate,
    /// City of the day (the destination whose stay covers `date`; the arriving one on a
    /// travel day).
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub destination_id: Option<Uuid>,
    pub start: Anchor,
    pub end: Anchor,
    pub stops: Vec<Stop>,
    /// `stops.len() + 1` legs.
    pub legs: Vec<Leg>,
    /// Arrival at the end anchor.
    pub return_time: Minutes,
    pub walking_metres: u32,
    pub walking_kcal: u32,
    #[serde(default)]
    pub weather: Option<DayWeather>,
    #[serde(default)]
    pub weather_notes: Vec<String>,
    /// A stable code per weather note (`RAIN`, `HOT`, …), same order as `weather_notes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weather_note_codes: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<PlanWarning>,
}

/// Energy of a walked leg, as the planner counts it.
pub fn walk_kcal(mode: Mode, metres: u32) -> Option<u32> {
    modes::LegChoice {
        mode,
        minutes: 0,
        metres,
    }
    .kcal()
}

/// A stop of the new order, before times are assigned.
#[derive(Debug, Clone)]
pub struct DraftStop {
    pub stop: Stop,
    /// Visit length to keep.
    pub minutes: Minutes,
    /// Opening hours of that date: `None` = unknown, `Some([])` = closed all day.
    pub hours: Option<Vec<OpenInterval>>,
}

/// Rebuilds times and legs of `day` for `stops` in that order. `legs[i]` is the chosen
/// leg into point `i` (the last one into the end anchor), so `legs.len() == stops.len()+1`.
/// The group waits when it arrives before a place opens (when the visit then fits).
pub fn recompute(day: &DayPlan, stops: Vec<DraftStop>, legs: &[(Mode, LegEstimate)]) -> DayPlan {
    let mut out = day.clone();
    out.stops = Vec::with_capacity(stops.len());
    out.legs = Vec::with_capacity(stops.len() + 1);
    out.warnings.retain(|w| !is_edit_rule(&w.code));
    let mut t = day.start.time;
    for (i, draft) in stops.into_iter().enumerate() {
        let (mode, est) = legs.get(i).copied().unwrap_or((
            Mode::Walk,
            LegEstimate {
                minutes: 0,
                metres: 0,
            },
        ));
        out.legs.push(Leg {
            mode,
            depart: t,
            minutes: est.minutes,
            metres: est.metres,
            kcal: walk_kcal(mode, est.metres),
            path: None,
            line: None,
            rides: Vec::new(),
        });
        let arrival = t + est.minutes;
        let mut stop = draft.stop;
        // A journey keeps its times: the edit check reports a morning that misses it.
        let (start, end) = match &stop.journey {
            Some(j) => (j.depart, j.ready),
            None => {
                let start = earliest_start(arrival, draft.minutes, draft.hours.as_deref());
                (start, start + draft.minutes)
            }
        };
        stop.arrival = arrival;
        stop.start = start;
        stop.end = end;
        stop.warnings.clear();
        t = stop.end;
        out.stops.push(stop);
    }
    let (mode, est) = legs.get(out.stops.len()).copied().unwrap_or((
        Mode::Walk,
        LegEstimate {
            minutes: 0,
            metres: 0,
        },
    ));
    out.legs.push(Leg {
        mode,
        depart: t,
        minutes: est.minutes,
        metres: est.metres,
        kcal: walk_kcal(mode, est.metres),
        path: None,
        line: None,
        rides: Vec::new(),
    });
    out.return_time = t + est.minutes;
    out.walking_metres = out
        .legs
        .iter()
        .filter(|l| l.mode == Mode::Walk)
        .map(|l| l.metres)
        .sum();
    out.walking_kcal = out.legs.iter().filter_map(|l| l.kcal).sum();
    out
}

/// Arrival, or the opening of the first interval after it that holds the whole visit.
fn earliest_start(arrival: Minutes, minutes: Minutes, hours: Option<&[OpenInterval]>) -> Minutes {
    let Some(hours) = hours else {
        return arrival;
    };
    if hours
        .iter()
        .any(|iv| iv.open <= arrival && arrival + minutes <= iv.close)
    {
        return arrival;
    }
    hours
        .iter()
        .filter(|iv| iv.open > arrival && iv.open + minutes <= iv.close)
        .map(|iv| iv.open)
        .min()
        .unwrap_or(arrival)
}

/// The hard rules the built-in edit check reports.
pub const EDIT_RULES: [&str; 7] = [
    "CLOSED_AT_THAT_TIME",
    "DAY_OVERRUN",
    "LEG_TOO_LONG",
    "DUPLICATE_PLACE",
    "TIME_ORDER",
    "JOURNEY_MISSED",
    "JOURNEY_MOVED",
];

pub fn is_edit_rule(code: &str) -> bool {
    EDIT_RULES.contains(&code)
}

/// A broken hard rule found in a day; `stop_index` says which stop it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    pub rule: String,
    pub message: String,
    pub place_id: Option<String>,
    pub stop_index: Option<usize>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: TextParams,
}

pub fn hhmm(m: Minutes) -> String {
    // Past midnight shows as 24:30 etc., which is what a late return means.
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The built-in check of the edited day's hard rules: opening hours (`hours` by place id;
/// unknown hours are not reported), the day's end, leg limits, places used twice in the
/// trip (`elsewhere` = place ids of the other days) and time order.
pub fn check_day(
    day: &DayPlan,
    hours: &HashMap<String, Option<Vec<OpenInterval>>>,
    elsewhere: &std::collections::HashSet<String>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut push = |rule: &str, params: TextParams, i: Option<usize>| {
        let message = texts::edit_rule(rule, &params, Language::En).unwrap_or_default();
        out.push(Violation {
            rule: rule.into(),
            message,
            place_id: i.and_then(|i| day.stops.get(i)).map(|s| s.place_id.clone()),
            stop_index: i,
            params,
        });
    };
    let mut seen = std::collections::HashSet::new();
    let mut prev_end = day.start.time;
    for (i, s) in day.stops.iter().enumerate() {
        if let Some(Some(intervals)) = hours.get(&s.place_id) {
            let fits = intervals
                .iter()
                .any(|iv| iv.open <= s.start && s.end <= iv.close);
            if !fits {
                // `hours` empty = closed all day.
                let list: Vec<String> = intervals
                    .iter()
                    .map(|iv| format!("{}–{}", hhmm(iv.open), hhmm(iv.close)))
                    .collect();
                push(
                    "CLOSED_AT_THAT_TIME",
                    params(&[
                        ("name", &s.name),
                        ("start", &hhmm(s.start)),
                        ("end", &hhmm(s.end)),
                        ("hours", &list.join(", ")),
                    ]),
                    Some(i),
                );
            }
        }
        if let Some(j) = &s.journey {
            // The morning ends in time for the journey; the journey opens (arrival) or
            // closes (departure) the day where it was planned.
            if s.arrival > j.depart {
                push(
                    "JOURNEY_MISSED",
                    params(&[("name", &s.name), ("depart", &hhmm(j.depart))]),
                    Some(i),
                );
            }
            let misplaced = match j.kind {
                JourneyKind::Arrival => i != 0,
                JourneyKind::Departure => i + 1 != day.stops.len(),
                JourneyKind::Transfer => false,
            };
            if misplaced {
                push("JOURNEY_MOVED", params(&[("name", &s.name)]), Some(i));
            }
        } else {
            if !seen.insert(s.place_id.as_str()) || elsewhere.contains(&s.place_id) {
                push("DUPLICATE_PLACE", params(&[("name", &s.name)]), Some(i));
            }
            if s.arrival < prev_end || s.start < s.arrival || s.end < s.start {
                push("TIME_ORDER", params(&[("name", &s.name)]), Some(i));
            }
        }
        prev_end = s.end;
        if let Some(l) = day.legs.get(i) {
            check_leg(l, Some(i), &s.name, &mut push);
        }
    }
    let last = day.stops.len().checked_sub(1);
    if let Some(l) = day.legs.get(day.stops.len()) {
        check_leg(l, last, &day.end.name, &mut push);
    }
    if day.return_time > day.end.time {
        let late: Vec<usize> = day
            .stops
            .iter()
            .enumerate()
            .filter(|(_, s)| s.end > day.end.time)
            .map(|(i, _)| i)
            .collect();
        let p = params(&[
            ("end", &hhmm(day.end.time)),
            ("back", &hhmm(day.return_time)),
        ]);
        if late.is_empty() {
            push("DAY_OVERRUN", p, last);
        } else {
            for i in late {
                push("DAY_OVERRUN", p.clone(), Some(i));
            }
        }
    }
    out
}

/// Text parameters from pairs.
pub fn params(pairs: &[(&str, &str)]) -> TextParams {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn check_leg(
    l: &Leg,
    i: Option<usize>,
    to: &str,
    push: &mut impl FnMut(&str, TextParams, Option<usize>),
) {
    let limit = if l.mode == Mode::Walk {
        WALK_MAX_MINUTES
    } else {
        MOTOR_MAX_MINUTES
    };
    if l.minutes > limit {
        push(
            "LEG_TOO_LONG",
            params(&[
                ("to", to),
                ("minutes", &l.minutes.to_string()),
                ("mode", l.mode.as_str()),
                ("limit", &limit.to_string()),
            ]),
            i,
        );
    }
}

/// Puts violations on their stops (and on the day), replacing earlier edit warnings.
pub fn attach(day: &mut DayPlan, violations: &[Violation]) {
    for s in &mut day.stops {
        s.warnings.retain(|w| !is_edit_rule(&w.code));
    }
    day.warnings.retain(|w| !is_edit_rule(&w.code));
    for v in violations {
        let w = PlanWarning {
            code: v.rule.clone(),
            message: v.message.clone(),
            place_id: v.place_id.clone(),
            params: v.params.clone(),
        };
        if let Some(s) = v.stop_index.and_then(|i| day.stops.get_mut(i)) {
            s.warnings.push(w.clone());
        }
        day.warnings.push(w);
    }
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
