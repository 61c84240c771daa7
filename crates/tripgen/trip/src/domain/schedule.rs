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

use super::model::{Health, LatLon, TransportMode};
use super::texts;

/// Minutes since local midnight of the day.
pub type Minutes = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    Walk,
    Transit,
    Car,
    Taxi,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Walk => "walk",
            Mode::Transit => "transit",
            Mode::Car => "car",
            Mode::Taxi => "taxi",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum StopKind {
    Visit,
    Lunch,
    Dinner,
    Rest,
}

/// Where a day starts or ends (hotel or arrival point), and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Anchor {
    pub name: String,
    pub position: LatLon,
    pub time: Minutes,
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
pub struct Parking {
    pub place_id: String,
    pub name: String,
    pub metres_to_stop: u32,
}

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
}

impl Stop {
    pub fn minutes(&self) -> Minutes {
        self.end.saturating_sub(self.start)
    }
}

/// Travel between consecutive points (start → stop 1 → … → end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Leg {
    pub mode: Mode,
    pub depart: Minutes,
    pub minutes: Minutes,
    pub metres: u32,
    #[serde(default)]
    pub kcal: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DayWeather {
    /// `clear`, `cloudy`, `rain`, `snow`, `storm`.
    pub sky: String,
    #[serde(default)]
    pub min_temp_c: Option<f64>,
    #[serde(default)]
    pub max_temp_c: Option<f64>,
    #[serde(default)]
    pub air: Option<String>,
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

/// Door-to-door estimate of one leg for one mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegEstimate {
    pub minutes: u32,
    pub metres: u32,
}

/// Walking legs: ≤ 500 m and ≤ 20 min (PRODUCT.md AI-010).
pub const WALK_MAX_METRES: u32 = 500;
pub const WALK_MAX_MINUTES: u32 = 20;
/// Motor legs (driving, transit): ≤ 60 min.
pub const MOTOR_MAX_MINUTES: u32 = 60;
/// 3.5 MET for a 70 kg adult at 4.5 km/h ≈ 54 kcal per km (same figure as the planner).
pub const WALK_KCAL_PER_KM: f64 = 54.0;

/// How the legs of an edited day are chosen for this group — the same rules the planner
/// applies when it generates (`planner::itinerary::group_rules`; a test in the `tripgen`
/// crate keeps the two equal): the slowest member sets the walking pace (×1.2 for
/// `caution`, ×1.5 for `limited`), and a `limited` group on public transport rides a taxi.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegPolicy {
    pub walk_slowdown: f64,
    /// Mode of the legs that are not walked.
    pub motor: Mode,
}

impl LegPolicy {
    pub fn for_group(members: &[Health], transport: TransportMode) -> LegPolicy {
        let worst = members
            .iter()
            .copied()
            .max_by_key(|h| match h {
                Health::Excellent => 0,
                Health::Good => 1,
                Health::Caution => 2,
                Health::Limited => 3,
            })
            .unwrap_or(Health::Good);
        LegPolicy {
            walk_slowdown: match worst {
                Health::Limited => 1.5,
                Health::Caution => 1.2,
                Health::Good | Health::Excellent => 1.0,
            },
            motor: match (transport, worst) {
                (TransportMode::Car, _) => Mode::Car,
                (TransportMode::Public, Health::Limited) => Mode::Taxi,
                (TransportMode::Public, _) => Mode::Transit,
            },
        }
    }

    /// The group's walk (its pace applied) when short enough, else the motor mode; a walk
    /// when no motor estimate exists.
    pub fn choose(
        &self,
        walk: Option<LegEstimate>,
        motor_estimate: Option<LegEstimate>,
    ) -> Option<(Mode, LegEstimate)> {
        let walk = walk.map(|w| LegEstimate {
            minutes: (f64::from(w.minutes) * self.walk_slowdown).ceil() as u32,
            metres: w.metres,
        });
        match walk {
            Some(w) if w.metres <= WALK_MAX_METRES && w.minutes <= WALK_MAX_MINUTES => {
                Some((Mode::Walk, w))
            }
            _ => motor_estimate
                .map(|e| (self.motor, e))
                .or(walk.map(|w| (Mode::Walk, w))),
        }
    }
}

pub fn walk_kcal(mode: Mode, metres: u32) -> Option<u32> {
    (mode == Mode::Walk).then(|| (f64::from(metres) / 1000.0 * WALK_KCAL_PER_KM).round() as u32)
}

/// One open interval `[open, close]` in minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpenInterval {
    pub open: Minutes,
    pub close: Minutes,
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
        });
        let arrival = t + est.minutes;
        let start = earliest_start(arrival, draft.minutes, draft.hours.as_deref());
        let mut stop = draft.stop;
        stop.arrival = arrival;
        stop.start = start;
        stop.end = start + draft.minutes;
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
pub const EDIT_RULES: [&str; 5] = [
    "CLOSED_AT_THAT_TIME",
    "DAY_OVERRUN",
    "LEG_TOO_LONG",
    "DUPLICATE_PLACE",
    "TIME_ORDER",
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
        if !seen.insert(s.place_id.as_str()) || elsewhere.contains(&s.place_id) {
            push("DUPLICATE_PLACE", params(&[("name", &s.name)]), Some(i));
        }
        if s.arrival < prev_end || s.start < s.arrival || s.end < s.start {
            push("TIME_ORDER", params(&[("name", &s.name)]), Some(i));
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
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    fn stop(id: &str, minutes: u32) -> DraftStop {
        DraftStop {
            stop: Stop {
                place_id: id.into(),
                name: id.into(),
                kind: StopKind::Visit,
                category: "museum".into(),
                position: p(0.0, 0.0),
                arrival: 0,
                start: 0,
                end: 0,
                indoor: true,
                reason: Reason {
                    code: "X".into(),
                    text: String::new(),
                    params: TextParams::new(),
                },
                accessibility_note: None,
                access: None,
                indoor_alternative: None,
                parking: None,
                warnings: vec![],
            },
            minutes,
            hours: None,
        }
    }

    fn day() -> DayPlan {
        DayPlan {
            day_index: 0,
            date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            city: None,
            destination_id: None,
            start: Anchor {
                name: "Hotel".into(),
                position: p(0.0, 0.0),
                time: 540,
            },
            end: Anchor {
                name: "Hotel".into(),
                position: p(0.0, 0.0),
                time: 1200,
            },
            stops: vec![],
            legs: vec![],
            return_time: 540,
            walking_metres: 0,
            walking_kcal: 0,
            weather: None,
            weather_notes: vec![],
            weather_note_codes: vec![],
            warnings: vec![],
        }
    }

    fn leg(mode: Mode, minutes: u32, metres: u32) -> (Mode, LegEstimate) {
        (mode, LegEstimate { minutes, metres })
    }

    #[test]
    fn mode_choice() {
        let w = |minutes, metres| Some(LegEstimate { minutes, metres });
        let fit_public = LegPolicy::for_group(&[Health::Good], TransportMode::Public);
        let fit_car = LegPolicy::for_group(&[Health::Good], TransportMode::Car);
        assert_eq!(
            fit_public.choose(w(5, 400), w(12, 400)).unwrap().0,
            Mode::Walk
        );
        assert_eq!(fit_car.choose(w(9, 700), w(12, 700)).unwrap().0, Mode::Car);
        // A limited member: 14 minutes' walk becomes 21 (over 20), so a taxi.
        let limited = LegPolicy::for_group(&[Health::Good, Health::Limited], TransportMode::Public);
        assert_eq!(limited.choose(w(14, 450), w(9, 450)).unwrap().0, Mode::Taxi);
        // No motor estimate: the walk it is, at the group's pace.
        assert_eq!(
            limited.choose(w(30, 2000), None).unwrap(),
            (
                Mode::Walk,
                LegEstimate {
                    minutes: 45,
                    metres: 2000
                }
            )
        );
    }

    #[test]
    fn recompute_chains_times_and_waits_for_opening() {
        let mut b = stop("b", 60);
        b.hours = Some(vec![OpenInterval {
            open: 660,
            close: 1020,
        }]);
        let d = recompute(
            &day(),
            vec![stop("a", 90), b],
            &[
                leg(Mode::Walk, 10, 400),
                leg(Mode::Transit, 20, 3000),
                leg(Mode::Transit, 25, 4000),
            ],
        );
        assert_eq!(
            (d.stops[0].arrival, d.stops[0].start, d.stops[0].end),
            (550, 550, 640)
        );
        // Arrives 660 exactly: b opens at 11:00.
        assert_eq!(
            (d.stops[1].arrival, d.stops[1].start, d.stops[1].end),
            (660, 660, 720)
        );
        assert_eq!(d.return_time, 745);
        assert_eq!(d.legs.len(), 3);
        assert_eq!(d.walking_metres, 400);
        assert_eq!(d.legs[0].kcal, Some(22));
        assert!(check_day(&d, &HashMap::new(), &Default::default()).is_empty());
    }

    #[test]
    fn closed_and_overrun_are_reported_on_stops() {
        let mut a = stop("a", 600);
        a.hours = Some(vec![OpenInterval {
            open: 600,
            close: 960,
        }]);
        let hours: HashMap<_, _> = [("a".to_string(), a.hours.clone())].into();
        let mut d = recompute(
            &day(),
            vec![a, stop("b", 60)],
            &[
                leg(Mode::Walk, 5, 300),
                leg(Mode::Walk, 5, 300),
                leg(Mode::Car, 70, 50_000),
            ],
        );
        let v = check_day(&d, &hours, &["b".to_string()].into());
        let rules: Vec<_> = v.iter().map(|v| (v.rule.as_str(), v.stop_index)).collect();
        assert!(
            rules.contains(&("CLOSED_AT_THAT_TIME", Some(0))),
            "{rules:?}"
        );
        assert!(rules.contains(&("DUPLICATE_PLACE", Some(1))));
        assert!(rules.contains(&("LEG_TOO_LONG", Some(1))));
        assert!(rules.contains(&("DAY_OVERRUN", Some(1))));
        attach(&mut d, &v);
        assert!(
            d.stops[0]
                .warnings
                .iter()
                .any(|w| w.code == "CLOSED_AT_THAT_TIME")
        );
        assert_eq!(d.warnings.len(), v.len());
    }
}
