//! Honoured or explained: after planning, every wish is checked against the plan it
//! produced. The answer of a generation lists them (`understood`), and a wish the plan
//! could not honour leaves a remark on the day it concerns (`REQUEST_NOT_HONOURED`, with
//! the English and Korean text in its params), so nothing asked is silently dropped.

use std::collections::HashMap;

use serde::Serialize;
use tripgen_planner::itinerary::{Access, DayPlan, StopKind, Warning, WarningCode};
use utoipa::ToSchema;

use super::times::hhmm;
use super::{Effect, Wish, WishKind, category_of};

/// A wish with what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Understood {
    #[serde(flatten)]
    pub wish: Wish,
    /// `honoured`, or `explained` (not honoured; a remark `REQUEST_NOT_HONOURED` or
    /// `MUST_VISIT_NOT_PLANNED` on a day says why).
    #[schema(value_type = String)]
    pub status: &'static str,
    /// What the plan did, or why it could not (English).
    pub note: String,
    pub note_ko: String,
}

/// What the outcome needs of a planned place.
#[derive(Debug, Clone, Default)]
pub struct PlaceInfo {
    pub cuisine: Vec<String>,
    pub access: Option<Access>,
}

/// One planned day with the trip's 0-based index.
pub struct PlannedDay<'a> {
    pub plan: &'a DayPlan,
}

/// Everything the check reads.
pub struct Evidence<'a> {
    pub days: Vec<PlannedDay<'a>>,
    /// Catalogue place id per named wish (any city), by wish index.
    pub matched: HashMap<usize, (String, String)>,
    /// The planner's trip-level warnings (must-visit not planned …).
    pub planner_warnings: &'a [Warning],
    pub places: &'a HashMap<String, PlaceInfo>,
    /// The trip's last day (0-based), for wishes about "the last day".
    pub last_day: usize,
}

/// Korean for a must-visit's `why` code.
fn why_ko(why: &str) -> &'static str {
    match why {
        "AVOIDED_PLACE" => "피할 장소로 지정되어 있습니다",
        "AVOIDED_CATEGORY" => "피할 분류에 속합니다",
        "TOO_STRENUOUS" => "일행에게 너무 힘든 곳입니다",
        "NOT_A_VISIT" => "방문할 장소가 아닙니다",
        "CLOSED_EVERY_DAY" => "여행 기간 내내 문을 닫거나 영업시간을 알 수 없습니다",
        "DOES_NOT_FIT" => "영업시간, 시간, 거리 때문에 어느 날에도 넣을 수 없습니다",
        _ => "일정에 맞지 않습니다",
    }
}

fn why_en(why: &str) -> &'static str {
    match why {
        "AVOIDED_PLACE" => "it is on the avoid list",
        "AVOIDED_CATEGORY" => "its category is avoided",
        "TOO_STRENUOUS" => "it is too strenuous for the group",
        "NOT_A_VISIT" => "it is not a place to visit",
        "CLOSED_EVERY_DAY" => "it is closed (or its hours are unknown) on every day of the trip",
        "DOES_NOT_FIT" => "it does not fit into any day (opening hours, time or distance)",
        _ => "it does not fit the plan",
    }
}

fn diet_ko(diet: &str) -> &str {
    match diet {
        "vegetarian" => "채식",
        "vegan" => "비건",
        "halal" => "할랄",
        "kosher" => "코셔",
        "gluten_free" => "글루텐 프리",
        other => other,
    }
}

fn cat_ko(key: &str) -> String {
    tripgen_platform::i18n::category_name(key, tripgen_platform::i18n::Language::Ko)
}

/// The verdict on every wish, and the remarks per day (index into `ev.days`).
pub fn judge(wishes: &[Wish], ev: &Evidence) -> (Vec<Understood>, Vec<(usize, Warning)>) {
    let mut out = Vec::new();
    let mut remarks = Vec::new();
    for (i, w) in wishes.iter().enumerate() {
        // A wish for one day is judged on that day only.
        let on_day = |day: &PlannedDay| {
            w.day
                .is_none_or(|wd| wd.is(day.plan.day_index, day.plan.date.weekday(), ev.last_day))
        };
        let stops = || {
            ev.days
                .iter()
                .enumerate()
                .filter(|(_, day)| on_day(day))
                .flat_map(|(d, day)| day.plan.stops.iter().map(move |s| (d, s)))
        };
        let mut remark_day = None;
        let verdict = match w.day {
            Some(wd) if !ev.days.iter().any(&on_day) => {
                let (en, ko) = wd.label();
                Some((
                    false,
                    format!("{}: the trip has no {en}", w.text.trim()),
                    format!("{}: 여행에 {ko}이 없습니다", w.text.trim()),
                ))
            }
            _ => None,
        };
        let no_day = verdict.is_some();
        let (ok, en, ko): (bool, String, String) = if let Some(v) = verdict {
            v
        } else {
            match (w.kind, w.effect) {
                (WishKind::Place, Effect::Avoid) => match ev.matched.get(&i) {
                    Some((id, name)) if stops().any(|(_, s)| &s.place_id == id) => (
                        false,
                        format!("{name}: in the plan although it should be avoided"),
                        format!("{name}: 피하려던 곳이 일정에 들어갔습니다"),
                    ),
                    Some((_, name)) => (
                        true,
                        format!("{name}: left out"),
                        format!("{name}: 일정에서 뺐습니다"),
                    ),
                    None => (
                        true,
                        format!("{}: not in the place catalogue, so never planned", w.target),
                        format!("{}: 장소 목록에 없어 일정에 들어가지 않습니다", w.target),
                    ),
                },
                (WishKind::Place, _) => match ev.matched.get(&i) {
                    None => (
                        false,
                        format!(
                            "{}: not in the place catalogue of the trip's cities",
                            w.target
                        ),
                        format!("{}: 여행 도시의 장소 목록에 없습니다", w.target),
                    ),
                    Some((id, name)) => match stops().find(|(_, s)| &s.place_id == id) {
                        Some((d, s)) => {
                            let n = ev.days[d].plan.day_index + 1;
                            (
                                true,
                                format!("{name}: planned on day {n} at {}", hhmm(s.start)),
                                format!("{name}: {n}일차 {}에 넣었습니다", hhmm(s.start)),
                            )
                        }
                        None => {
                            let why = ev
                                .planner_warnings
                                .iter()
                                .find(|x| x.place_id.as_deref() == Some(id.as_str()))
                                .and_then(|x| x.params.get("why").cloned())
                                .unwrap_or_else(|| "DOES_NOT_FIT".into());
                            remark_day = Some(0);
                            (
                                false,
                                format!("{name}: not planned — {}", why_en(&why)),
                                format!("{name}: 일정에 넣지 못했습니다 — {}", why_ko(&why)),
                            )
                        }
                    },
                },
                (WishKind::Category, effect) => {
                    let cat = category_of(&w.target);
                    let label = cat.map_or("place", |c| c.label());
                    let n = stops()
                        .filter(|(_, s)| s.kind == StopKind::Visit && Some(s.category) == cat)
                        .count();
                    let ko_name = cat_ko(&w.target);
                    match effect {
                        Effect::Avoid if n == 0 => (
                            true,
                            format!("No {label} in the plan"),
                            format!("{ko_name}: 일정에서 뺐습니다"),
                        ),
                        Effect::Avoid => (
                            true,
                            format!("No {label} except the {n} you named"),
                            format!("{ko_name}: 직접 말씀하신 {n}곳 외에는 뺐습니다"),
                        ),
                        Effect::Less => (
                            true,
                            format!("{label}: {n} in the plan, fewer than usual"),
                            format!("{ko_name}: {n}곳만 넣었습니다"),
                        ),
                        _ if n > 0 => (
                            true,
                            format!("{label}: {n} in the plan"),
                            format!("{ko_name}: {n}곳을 넣었습니다"),
                        ),
                        _ => {
                            remark_day = Some(0);
                            (
                                false,
                                format!(
                                    "No {label} could be planned near your hotels (none in the catalogue open on your days)"
                                ),
                                format!(
                                    "{ko_name}: 숙소 근처에 여행 날짜에 열린 곳이 없어 넣지 못했습니다"
                                ),
                            )
                        }
                    }
                }
                (WishKind::DayStart, _) => {
                    let early = ev.days.iter().position(|d| {
                        on_day(d)
                            && d.plan
                                .stops
                                .first()
                                .is_some_and(|s| hhmm(s.start) < w.target)
                    });
                    match early {
                        None => (
                            true,
                            format!(
                                "Days start at {} (arrival days at check-in if later)",
                                w.target
                            ),
                            format!(
                                "하루 일정을 {}에 시작합니다(도착일은 체크인이 더 늦으면 체크인 시각)",
                                w.target
                            ),
                        ),
                        Some(d) => {
                            remark_day = Some(d);
                            (
                                false,
                                format!(
                                    "Day {} starts before {}",
                                    ev.days[d].plan.day_index + 1,
                                    w.target
                                ),
                                format!(
                                    "{}일차가 {} 전에 시작합니다",
                                    ev.days[d].plan.day_index + 1,
                                    w.target
                                ),
                            )
                        }
                    }
                }
                (WishKind::DayEnd, _) => {
                    let late = ev
                        .days
                        .iter()
                        .position(|d| on_day(d) && hhmm(d.plan.return_time) > w.target);
                    match late {
                        None => (
                            true,
                            format!("Back at the hotel by {} every day", w.target),
                            format!("매일 {}까지 숙소로 돌아옵니다", w.target),
                        ),
                        Some(d) => {
                            remark_day = Some(d);
                            let back = hhmm(ev.days[d].plan.return_time);
                            (
                                false,
                                format!(
                                    "Day {}: back at {back}, later than {} (the day's last move)",
                                    ev.days[d].plan.day_index + 1,
                                    w.target
                                ),
                                format!(
                                    "{}일차: {back}에 돌아와 {}보다 늦습니다",
                                    ev.days[d].plan.day_index + 1,
                                    w.target
                                ),
                            )
                        }
                    }
                }
                (WishKind::Pace, _) => {
                    let slow = w.target == "slow";
                    (
                        true,
                        if slow {
                            "Slow pace: fewer places, longer visits and more rests".into()
                        } else {
                            "Fast pace: more places per day".into()
                        },
                        if slow {
                            "여유로운 일정: 장소를 줄이고 더 오래 머물며 더 자주 쉽니다".into()
                        } else {
                            "빠른 일정: 하루에 더 많은 장소를 넣었습니다".into()
                        },
                    )
                }
                (WishKind::Diet, _) => {
                    let meals: Vec<_> = stops()
                        .filter(|(_, s)| matches!(s.kind, StopKind::Lunch | StopKind::Dinner))
                        .collect();
                    let fits = |id: &str| {
                        ev.places.get(id).is_some_and(|p| {
                            p.cuisine.iter().any(|c| {
                                c == &w.target || (w.target == "vegetarian" && c == "vegan")
                            })
                        })
                    };
                    let ok = meals.iter().filter(|(_, s)| fits(&s.place_id)).count();
                    let ko_diet = diet_ko(&w.target);
                    if !meals.is_empty() && ok == meals.len() {
                        (
                            true,
                            format!("All {ok} meals at places serving {} food", w.target),
                            format!("식사 {ok}번 모두 {ko_diet} 음식점입니다"),
                        )
                    } else {
                        if let Some((d, _)) = meals.iter().find(|(_, s)| !fits(&s.place_id)) {
                            remark_day = Some(*d);
                        } else {
                            remark_day = Some(0);
                        }
                        (
                            false,
                            format!(
                                "{ok} of {} meals at places the map lists as {}; for the others no {} place was near the route — ask for {} dishes",
                                meals.len(),
                                w.target,
                                w.target,
                                w.target
                            ),
                            format!(
                                "식사 {}번 중 {ok}번은 지도에 {ko_diet}으로 표시된 곳입니다. 나머지는 경로 근처에 그런 곳이 없었으니 {ko_diet} 메뉴를 물어보세요",
                                meals.len()
                            ),
                        )
                    }
                }
                (WishKind::Access, _) => {
                    let steps: Vec<String> = stops()
                        .filter(|(_, s)| {
                            ev.places.get(&s.place_id).and_then(|p| p.access)
                                == Some(Access::NotStepFree)
                        })
                        .map(|(_, s)| s.name.clone())
                        .collect();
                    if steps.is_empty() {
                        (
                            true,
                            "Places known to have steps are left out; step-free places preferred"
                                .into(),
                            "계단이 있는 것으로 알려진 곳은 빼고, 계단 없는 곳을 우선했습니다"
                                .into(),
                        )
                    } else {
                        remark_day = Some(0);
                        (
                            false,
                            format!("Not step-free: {}", steps.join(", ")),
                            format!("계단 없이 들어갈 수 없는 곳: {}", steps.join(", ")),
                        )
                    }
                }
                (WishKind::Group, _) if w.target == "kids" => {
                    let n = stops()
                        .filter(|(_, s)| {
                            s.kind == StopKind::Visit
                                && matches!(
                                    s.category,
                                    tripgen_planner::itinerary::Category::Park
                                        | tripgen_planner::itinerary::Category::Attraction
                                )
                        })
                        .count();
                    if n > 0 {
                        (
                            true,
                            format!("With children: {n} parks and attractions"),
                            format!("아이와 함께: 공원과 명소 {n}곳"),
                        )
                    } else {
                        remark_day = Some(0);
                        (
                            false,
                            "With children: no park or attraction near your hotels".into(),
                            "아이와 함께: 숙소 근처에 공원이나 명소가 없습니다".into(),
                        )
                    }
                }
                (WishKind::Group, _) => (
                    true,
                    "With seniors: a slower pace with more rests".into(),
                    "어르신과 함께: 더 여유롭게, 더 자주 쉬도록 했습니다".into(),
                ),
            }
        };
        // A one-day wish's note says which day.
        let (en, ko) = match w.day {
            Some(wd) if !no_day && verdict_is_general(w.kind) => {
                let (le, lk) = wd.label();
                let (en, ko) = (en.replace(" every day", ""), ko.replace("매일 ", ""));
                (format!("{en} ({le})"), format!("{ko} ({lk})"))
            }
            _ => (en, ko),
        };
        if !ok {
            let d = remark_day.unwrap_or(0).min(ev.days.len().saturating_sub(1));
            if !ev.days.is_empty() {
                remarks.push((
                    d,
                    Warning::new(WarningCode::RequestNotHonoured, format!("{en}."), None)
                        .with("wish", &w.target)
                        .with("text", &en)
                        .with("textKo", &ko),
                ));
            }
        }
        out.push(Understood {
            wish: w.clone(),
            status: if ok { "honoured" } else { "explained" },
            note: en,
            note_ko: ko,
        });
    }
    (out, remarks)
}

/// Notes that do not name the day themselves.
fn verdict_is_general(kind: WishKind) -> bool {
    matches!(
        kind,
        WishKind::Category | WishKind::DayStart | WishKind::DayEnd | WishKind::Place
    )
}
