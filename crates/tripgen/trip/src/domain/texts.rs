//! Traveller-facing texts of stored schedules, change checks and notices in the reader's
//! language (English, Korean).
//!
//! What is stored is language-neutral where it matters: a stable code and the values the
//! text is made of (`params`: place name, category key, minutes, times …), beside the
//! English text written when the data was made. Reading renders the text again in the
//! request's language from code and params. English reads the stored text (it is the
//! English rendering of the same code and params); data stored before params were kept,
//! or with a code this version does not know, keeps its stored text in every language.
//!
//! English texts of the planner's own codes (reasons, planner warnings, weather notes,
//! accessibility) are written by the planner (`planner::itinerary::explain` and `plan`);
//! this module renders those in Korean only. The trip's own texts (edit rules, change
//! reasons, notices) are rendered here in both languages.

use tripgen_platform::i18n::{Language, category_name, interest_name, with_particle};

use super::changes::{ChangeReason, ChangeReport};
use super::schedule::{DayPlan, TextParams, Violation};

fn get<'a>(p: &'a TextParams, key: &str) -> Option<&'a str> {
    p.get(key).map(String::as_str)
}

fn category(p: &TextParams, lang: Language) -> Option<String> {
    get(p, "category").map(|c| category_name(c, lang))
}

/// A transport mode (`walk`, `transit`, `car`, `taxi`) as the web app names it.
pub fn mode_name(mode: &str, lang: Language) -> String {
    let (en, ko) = match mode {
        "walk" => ("walking", "도보"),
        "transit" => ("transit", "대중교통"),
        "car" => ("car", "자동차"),
        "taxi" => ("taxi", "택시"),
        "train" => ("train", "기차"),
        "flight" => ("flight", "항공편"),
        "ferry" => ("ferry", "페리"),
        other => (other, other),
    };
    lang.pick(en, ko).to_string()
}

/// Korean text of a planner reason (`MATCHES_INTEREST` …) or `ADDED_BY_USER`.
pub fn reason_ko(code: &str, p: &TextParams) -> Option<String> {
    let ko = Language::Ko;
    if code == "ADDED_BY_USER" {
        return Some("직접 추가한 장소입니다.".into());
    }
    if code == "JOURNEY" {
        let (from, to, mode) = (get(p, "from")?, get(p, "to")?, get(p, "mode")?);
        let minutes: u32 = get(p, "minutes")?.parse().ok()?;
        return Some(format!(
            "{from}에서 {to}까지 {}(으)로 문에서 문까지 약 {}시간 {:02}분 (시간표가 아닌 추정치). 짐을 챙기세요.",
            mode_name(mode, ko),
            minutes / 60,
            minutes % 60
        ));
    }
    let name = get(p, "name")?;
    let cat = category(p, ko)?;
    Some(match code {
        "MUST_VISIT" => format!("{name}: 꼭 방문하고 싶다고 요청하신 곳입니다."),
        "MATCHES_INTEREST" => match get(p, "interest").filter(|i| *i != "this") {
            Some(i) => format!(
                "{name}: 관심사({})에 맞는 {cat}입니다.",
                interest_name(i, ko)
            ),
            None => format!("{name}: 관심사에 맞는 {cat}입니다."),
        },
        "MORE_OF_CATEGORY" => format!("{name}: 더 원하신 종류의 장소({cat})입니다."),
        "INDOOR_ON_WET_DAY" => format!(
            "{name}: 실내 {} 비나 눈이 오는 날에 알맞습니다.",
            with_particle(&cat, "이라서", "라서")
        ),
        "STEP_FREE_ACCESS" => format!("{name}: 평가가 좋고 계단 없이 들어갈 수 있는 {cat}입니다."),
        "HIGHLY_RATED" => {
            format!("{name}: 경로 근처에서 평가가 가장 좋은 곳 중 하나입니다({cat}).")
        }
        "ON_THE_WAY" => format!("{name}: 가는 길에 있는 {cat}입니다."),
        "LUNCH" => format!("경로에서 가까운 {cat}, {name}에서 점심을 먹습니다."),
        "DINNER" => format!("경로에서 가까운 {cat}, {name}에서 저녁을 먹습니다."),
        "REST" => format!("{name}({cat})에서 잠시 쉬어 갑니다."),
        _ => return None,
    })
}

/// Korean reason why a must-visit place is not in the plan (`why` of the warning).
fn must_visit_why_ko(why: &str) -> &'static str {
    match why {
        "NOT_IN_LIST" => "장소 목록에 없습니다.",
        "AVOIDED_PLACE" => "피할 장소로 지정되어 있습니다.",
        "AVOIDED_CATEGORY" => "피할 분류에 속합니다.",
        "TOO_STRENUOUS" => "일행에게 너무 힘든 곳입니다.",
        "INVALID_DATA" => "장소 데이터가 올바르지 않습니다.",
        "NOT_A_VISIT" => "방문할 장소가 아닙니다(편의 시설).",
        "CLOSED_EVERY_DAY" => "여행 기간 내내 문을 닫거나 영업시간을 알 수 없습니다.",
        "DOES_NOT_FIT" => "영업시간, 시간, 거리 때문에 어느 날에도 넣을 수 없습니다.",
        _ => "일정에 맞지 않습니다.",
    }
}

/// Korean text of a planner warning (`NO_LUNCH` …); edit rules go to [`edit_rule`].
pub fn planner_warning_ko(code: &str, p: &TextParams) -> Option<String> {
    Some(match code {
        "NOT_STEP_FREE" => format!("{}: 계단 없이 들어갈 수 없는 곳입니다.", get(p, "name")?),
        "NO_INDOOR_ALTERNATIVE" => format!(
            "그 시간에 {} 근처에 문을 연 실내 대체 장소가 없습니다.",
            get(p, "name")?
        ),
        "FEWER_PLACES_THAN_PLANNED" => format!(
            "방문지를 {}곳만 넣을 수 있었습니다(목표: {}곳 이상).",
            get(p, "places")?,
            get(p, "min")?
        ),
        "REST_SHORTFALL" => format!(
            "카페, 벤치, 공원에서 쉬는 시간을 {}번 중 {}번만 넣을 수 있었습니다.",
            get(p, "wanted")?,
            get(p, "rests")?
        ),
        "HOURS_UNKNOWN" => format!(
            "{}의 영업시간을 알 수 없습니다 — 가기 전에 확인하세요.",
            get(p, "name")?
        ),
        "NO_LUNCH" => "경로 근처에 점심시간에 문을 연 음식점이 없습니다.".into(),
        "NO_DINNER" => "경로 근처에 저녁 시간에 문을 연 음식점이 없습니다.".into(),
        "MUST_VISIT_NOT_PLANNED" => format!(
            "꼭 방문할 장소를 일정에 넣지 못했습니다: {} — {}",
            get(p, "name")?,
            must_visit_why_ko(get(p, "why")?)
        ),
        // Written in both languages when the request was judged (`requests::outcome`).
        "REQUEST_NOT_HONOURED" => format!("요청하신 내용: {}.", get(p, "textKo")?),
        "CATEGORY_UNAVAILABLE" => format!(
            "더 원하신 {} 일정에 넣지 못했습니다.",
            with_particle(&category(p, Language::Ko)?, "을", "를")
        ),
        _ => return None,
    })
}

/// A broken hard rule of an edited day (`CLOSED_AT_THAT_TIME`, `DUPLICATE_PLACE`,
/// `TIME_ORDER`, `LEG_TOO_LONG`, `DAY_OVERRUN`).
pub fn edit_rule(code: &str, p: &TextParams, lang: Language) -> Option<String> {
    Some(match (code, lang) {
        ("CLOSED_AT_THAT_TIME", _) => {
            let (name, start, end) = (get(p, "name")?, get(p, "start")?, get(p, "end")?);
            let hours = get(p, "hours")?;
            match lang {
                Language::En => {
                    let when = if hours.is_empty() {
                        "closed all day".to_string()
                    } else {
                        format!("open {hours}")
                    };
                    format!("{name} is not open for the whole visit {start}–{end} ({when}).")
                }
                Language::Ko => {
                    let when = if hours.is_empty() {
                        "하루 종일 휴무".to_string()
                    } else {
                        format!("영업 {hours}")
                    };
                    format!("{name}: 방문 시간 {start}–{end} 내내 열려 있지 않습니다({when}).")
                }
            }
        }
        ("DUPLICATE_PLACE", Language::En) => format!(
            "{} is already in the trip; a place is visited once.",
            get(p, "name")?
        ),
        ("DUPLICATE_PLACE", Language::Ko) => format!(
            "{}: 이미 여행 일정에 있습니다. 한 장소는 한 번만 방문합니다.",
            get(p, "name")?
        ),
        ("JOURNEY_MISSED", Language::En) => format!(
            "This order misses the journey {} leaving at {}.",
            get(p, "name")?,
            get(p, "depart")?
        ),
        ("JOURNEY_MISSED", Language::Ko) => format!(
            "이 순서로는 {}에 출발하는 이동({})을 놓칩니다.",
            get(p, "depart")?,
            get(p, "name")?
        ),
        ("JOURNEY_MOVED", Language::En) => format!(
            "The journey {} stays where it was planned (first or last on the day).",
            get(p, "name")?
        ),
        ("JOURNEY_MOVED", Language::Ko) => format!(
            "이동 {}은(는) 계획된 자리(하루의 처음 또는 끝)에 있어야 합니다.",
            get(p, "name")?
        ),
        ("TIME_ORDER", Language::En) => format!("{} overlaps the previous stop.", get(p, "name")?),
        ("TIME_ORDER", Language::Ko) => format!("{}: 앞 일정과 시간이 겹칩니다.", get(p, "name")?),
        ("LEG_TOO_LONG", _) => {
            let (to, minutes, limit) = (get(p, "to")?, get(p, "minutes")?, get(p, "limit")?);
            let mode = get(p, "mode")?;
            match lang {
                Language::En => format!(
                    "Getting to {to} takes {minutes} min by {mode}; the limit is {limit} min."
                ),
                Language::Ko => format!(
                    "{to}까지 가는 데 {} {minutes}분이 걸립니다. 한도는 {limit}분입니다.",
                    mode_name(mode, lang)
                ),
            }
        }
        ("DAY_OVERRUN", Language::En) => format!(
            "The day ends at {} but the group would be back at {}.",
            get(p, "end")?,
            get(p, "back")?
        ),
        ("DAY_OVERRUN", Language::Ko) => format!(
            "하루 일정은 {}에 끝나지만 일행은 {}에 돌아오게 됩니다.",
            get(p, "end")?,
            get(p, "back")?
        ),
        _ => return None,
    })
}

/// Korean text of a warning of either origin.
fn warning_ko(code: &str, p: &TextParams) -> Option<String> {
    edit_rule(code, p, Language::Ko).or_else(|| planner_warning_ko(code, p))
}

/// Korean weather note for a code of the planner (or `WEATHER_UNAVAILABLE`).
pub fn weather_note_ko(code: &str) -> Option<&'static str> {
    Some(match code {
        "RAIN" => {
            "비 예보가 있습니다: 실내 장소를 먼저 넣고, 야외 일정마다 실내 대체 장소를 두었습니다."
        }
        "SNOW" => {
            "눈 예보가 있습니다: 실내 장소를 먼저 넣고, 야외 일정마다 실내 대체 장소를 두었습니다."
        }
        "STORM" => {
            "폭풍우 예보가 있습니다: 실내 장소를 먼저 넣고, 야외 일정마다 실내 대체 장소를 두었습니다."
        }
        "HOT" => {
            "더운 날입니다: 야외 명소는 최대 2시간으로 하고 휴식을 한 번 더 넣었습니다. 물을 충분히 드세요."
        }
        "COLD" => {
            "추운 날입니다: 야외 명소는 최대 2시간으로 하고 몸을 녹일 휴식을 한 번 더 넣었습니다."
        }
        "POOR_AIR" => "대기질이 나쁩니다: 야외 활동은 1시간으로 제한했습니다.",
        "HAZARDOUS_AIR" => "대기질이 매우 나쁩니다: 야외 관광은 넣지 않았습니다.",
        "WEATHER_UNAVAILABLE" => "이 날은 일기예보를 받을 수 없어 날씨를 고려하지 않은 일정입니다.",
        _ => return None,
    })
}

/// Korean accessibility note for the stop's access (`stepFree` …).
pub fn access_note_ko(access: &str) -> Option<&'static str> {
    Some(match access {
        "stepFree" => "계단 없이 이용할 수 있습니다.",
        "limited" => "일부만 계단 없이 이용할 수 있습니다: 도움이 필요한 곳이 있을 수 있습니다.",
        "notStepFree" => "계단 없이 이용할 수 없습니다: 입구에 계단이 있을 수 있습니다.",
        "unknown" => "계단 없는 출입 여부가 확인되지 않았습니다.",
        _ => return None,
    })
}

/// Renders the texts of a stored day in `lang` (see the module comment).
pub fn localize_day(day: &mut DayPlan, lang: Language) {
    if lang == Language::En {
        return;
    }
    for s in &mut day.stops {
        if let Some(t) = reason_ko(&s.reason.code, &s.reason.params) {
            s.reason.text = t;
        }
        if let (Some(_), Some(t)) = (
            &s.accessibility_note,
            s.access.as_deref().and_then(access_note_ko),
        ) {
            s.accessibility_note = Some(t.into());
        }
        for w in &mut s.warnings {
            if let Some(t) = warning_ko(&w.code, &w.params) {
                w.message = t;
            }
        }
    }
    for w in &mut day.warnings {
        if let Some(t) = warning_ko(&w.code, &w.params) {
            w.message = t;
        }
    }
    if day.weather_note_codes.len() == day.weather_notes.len() {
        for (note, code) in day.weather_notes.iter_mut().zip(&day.weather_note_codes) {
            if let Some(t) = weather_note_ko(code) {
                *note = t.into();
            }
        }
    }
}

/// Renders the messages of edit-rule violations in `lang`.
pub fn localize_violations(list: &mut [Violation], lang: Language) {
    if lang == Language::En {
        return;
    }
    for v in list {
        if let Some(t) = edit_rule(&v.rule, &v.params, lang) {
            v.message = t;
        }
    }
}

fn sky_name(sky: &str, lang: Language) -> String {
    let (en, ko) = match sky {
        "clear" => ("clear", "맑음"),
        "cloudy" => ("cloudy", "흐림"),
        "fog" => ("fog", "안개"),
        "drizzle" => ("drizzle", "이슬비"),
        "rain" => ("rain", "비"),
        "sleet" => ("sleet", "진눈깨비"),
        "snow" => ("snow", "눈"),
        "storm" => ("storm", "폭풍우"),
        "thunderstorm" => ("thunderstorm", "뇌우"),
        other => (other, other),
    };
    lang.pick(en, ko).to_string()
}

fn temp(t: &str) -> String {
    if t == "?" {
        t.into()
    } else {
        format!("{t} °C")
    }
}

/// A change-detection reason (TRIP-062): `WEATHER_RAIN`, `WEATHER_SNOW`,
/// `TEMPERATURE_SHIFT`, `WEATHER_WARNING`, `BAD_AIR`, `PLACE_REMOVED`, `HOURS_UNKNOWN`,
/// `PLACE_CLOSED`.
pub fn change_reason(code: &str, p: &TextParams, lang: Language) -> Option<String> {
    let en = lang == Language::En;
    Some(match code {
        "JOURNEY_WEATHER" => {
            let (name, mode, depart) = (get(p, "name")?, get(p, "mode")?, get(p, "depart")?);
            if en {
                format!(
                    "The weather changed on the day of your journey {name} ({}, leaving {depart}): check it before you go and allow extra time.",
                    mode_name(mode, lang)
                )
            } else {
                format!(
                    "이동하는 날({name}, {}, {depart} 출발)의 날씨가 바뀌었습니다. 출발 전에 확인하고 시간을 넉넉히 잡으세요.",
                    mode_name(mode, lang)
                )
            }
        }
        "WEATHER_RAIN" | "WEATHER_SNOW" => {
            let what = get(p, "what")?;
            let planned = get(p, "planned")?;
            if en {
                let what = match what {
                    "snow" => "Snow",
                    "storm" => "Thunderstorms",
                    _ => "Rain",
                };
                let planned = if planned.is_empty() {
                    "unknown weather"
                } else {
                    planned
                };
                format!("{what} is now forecast; the day was planned for {planned}.")
            } else {
                let what = match what {
                    "snow" => "눈",
                    "storm" => "뇌우",
                    _ => "비",
                };
                let planned = if planned.is_empty() {
                    "이 날은 날씨 정보 없이 계획되었습니다.".to_string()
                } else {
                    format!(
                        "이 날은 ‘{}’ 날씨로 계획되었습니다.",
                        sky_name(planned, lang)
                    )
                };
                format!("이제 {what} 예보가 있습니다. {planned}")
            }
        }
        "TEMPERATURE_SHIFT" => {
            let by = get(p, "by")?;
            let (a, b) = (temp(get(p, "nowMin")?), temp(get(p, "nowMax")?));
            let (c, d) = (temp(get(p, "plannedMin")?), temp(get(p, "plannedMax")?));
            if en {
                format!("Temperatures changed by {by} °C: now {a}–{b}, planned with {c}–{d}.")
            } else {
                format!("기온이 {by} °C 달라졌습니다: 현재 {a}–{b}, 계획 당시 {c}–{d}.")
            }
        }
        "WEATHER_WARNING" => {
            let w = get(p, "warnings")?;
            if en {
                format!("Severe-weather warning: {w}.")
            } else {
                format!("기상 특보: {w}.")
            }
        }
        "BAD_AIR" => {
            let air = get(p, "air")?;
            if en {
                format!(
                    "Air quality is forecast to be {air}: limit time outdoors and bring a mask."
                )
            } else {
                let air = if air == "hazardous" {
                    "매우 나쁨"
                } else {
                    "나쁨"
                };
                format!(
                    "대기질이 ‘{air}’으로 예보되었습니다: 야외 활동을 줄이고 마스크를 챙기세요."
                )
            }
        }
        "PLACE_REMOVED" => {
            let name = get(p, "name")?;
            if en {
                format!("{name} is no longer in the place catalogue.")
            } else {
                format!("{name}: 더 이상 장소 목록에 없습니다.")
            }
        }
        "HOURS_UNKNOWN" => {
            let name = get(p, "name")?;
            if en {
                format!(
                    "The opening hours of {name} on that day are not known; check before going."
                )
            } else {
                format!("{name}: 그날의 영업시간을 알 수 없습니다. 가기 전에 확인하세요.")
            }
        }
        "PLACE_CLOSED" => {
            let (name, start, end) = (get(p, "name")?, get(p, "start")?, get(p, "end")?);
            let hours = get(p, "hours")?;
            match (en, hours.is_empty()) {
                (true, true) => {
                    format!("{name} is closed all day; it was planned {start}–{end}.")
                }
                (true, false) => format!(
                    "{name} is not open for the planned visit {start}–{end} (open {hours})."
                ),
                (false, true) => {
                    format!("{name}: 하루 종일 문을 닫습니다. {start}–{end}에 계획되어 있었습니다.")
                }
                (false, false) => format!(
                    "{name}: 계획한 방문 시간 {start}–{end}에 열려 있지 않습니다(영업 {hours})."
                ),
            }
        }
        _ => return None,
    })
}

fn localize_reason(r: &mut ChangeReason, lang: Language) {
    if let Some(t) = change_reason(&r.code, &r.params, lang) {
        r.message = t;
    }
}

/// Renders the reasons of a change report in `lang`.
pub fn localize_report(report: &mut ChangeReport, lang: Language) {
    if lang == Language::En {
        return;
    }
    for r in &mut report.reasons {
        localize_reason(r, lang);
    }
    for d in &mut report.days {
        for r in &mut d.reasons {
            localize_reason(r, lang);
        }
    }
}

/// Title and message of a notice of `kind` (`d-1`) from its params (`trip`: the trip's
/// name) and the change report behind it; `None` when they do not suffice.
pub fn notice(
    kind: &str,
    p: &TextParams,
    report: Option<&ChangeReport>,
    lang: Language,
) -> Option<(String, String)> {
    if kind != "d-1" {
        return None;
    }
    let trip = get(p, "trip")?;
    let report = report?;
    let en = lang == Language::En;
    let title = if en {
        format!("{trip} starts tomorrow")
    } else {
        format!("‘{trip}’ 여행이 내일 시작됩니다")
    };
    let message = if report.changed {
        let n = report.reasons.len();
        let reasons: Vec<String> = report
            .reasons
            .iter()
            .map(|r| {
                let text =
                    change_reason(&r.code, &r.params, lang).unwrap_or_else(|| r.message.clone());
                if en {
                    format!("Day {}: {text}", r.day)
                } else {
                    format!("{}일차: {text}", r.day)
                }
            })
            .collect();
        let suggestion = serde_json::to_value(report.suggestion)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        if en {
            let advice = match suggestion.as_str() {
                "regenerateDay" => "Regenerating the affected days is suggested.",
                "replacePlace" => "Replacing the affected places is suggested.",
                _ => "The plan can be kept.",
            };
            format!(
                "{n} change{} since the plan was made: {} {advice}",
                if n == 1 { "" } else { "s" },
                reasons.join(" ")
            )
        } else {
            let advice = match suggestion.as_str() {
                "regenerateDay" => "해당 날짜의 일정을 다시 만드는 것을 권합니다.",
                "replacePlace" => "해당 장소를 다른 곳으로 바꾸는 것을 권합니다.",
                _ => "일정을 그대로 두어도 됩니다.",
            };
            format!(
                "일정을 만든 뒤 바뀐 점이 {n}가지 있습니다: {} {advice}",
                reasons.join(" ")
            )
        }
    } else if en {
        "Nothing changed since the plan was made: the weather and opening hours still fit."
            .to_string()
    } else {
        "일정을 만든 뒤 바뀐 점이 없습니다: 날씨와 영업시간이 그대로 잘 맞습니다.".to_string()
    };
    Some((title, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::params;

    fn hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    #[test]
    fn planner_reasons_render_in_korean_and_need_their_params() {
        let p = params(&[
            ("name", "Louvre"),
            ("category", "museum"),
            ("interest", "culture"),
        ]);
        assert_eq!(
            reason_ko("MATCHES_INTEREST", &p).unwrap(),
            "Louvre: 관심사(문화)에 맞는 박물관입니다."
        );
        assert_eq!(
            reason_ko("INDOOR_ON_WET_DAY", &p).unwrap(),
            "Louvre: 실내 박물관이라서 비나 눈이 오는 날에 알맞습니다."
        );
        let cafe = params(&[("name", "Café A"), ("category", "cafe")]);
        assert!(
            reason_ko("INDOOR_ON_WET_DAY", &cafe)
                .unwrap()
                .contains("카페라서")
        );
        for code in [
            "MUST_VISIT",
            "MORE_OF_CATEGORY",
            "STEP_FREE_ACCESS",
            "HIGHLY_RATED",
            "ON_THE_WAY",
            "LUNCH",
            "DINNER",
            "REST",
            "ADDED_BY_USER",
        ] {
            assert!(hangul(&reason_ko(code, &p).unwrap()), "{code}");
        }
        // An old plan without params keeps its text.
        assert_eq!(reason_ko("MATCHES_INTEREST", &TextParams::new()), None);
        assert_eq!(reason_ko("SOMETHING_NEW", &p), None);
    }

    #[test]
    fn edit_rules_in_both_languages() {
        let p = params(&[
            ("name", "Museum"),
            ("start", "10:00"),
            ("end", "12:00"),
            ("hours", ""),
        ]);
        assert_eq!(
            edit_rule("CLOSED_AT_THAT_TIME", &p, Language::En).unwrap(),
            "Museum is not open for the whole visit 10:00–12:00 (closed all day)."
        );
        assert_eq!(
            edit_rule("CLOSED_AT_THAT_TIME", &p, Language::Ko).unwrap(),
            "Museum: 방문 시간 10:00–12:00 내내 열려 있지 않습니다(하루 종일 휴무)."
        );
        let leg = params(&[
            ("to", "Hotel"),
            ("minutes", "70"),
            ("mode", "car"),
            ("limit", "60"),
        ]);
        assert_eq!(
            edit_rule("LEG_TOO_LONG", &leg, Language::En).unwrap(),
            "Getting to Hotel takes 70 min by car; the limit is 60 min."
        );
        assert_eq!(
            edit_rule("LEG_TOO_LONG", &leg, Language::Ko).unwrap(),
            "Hotel까지 가는 데 자동차 70분이 걸립니다. 한도는 60분입니다."
        );
    }

    #[test]
    fn change_reasons_in_both_languages() {
        let p = params(&[("what", "rain"), ("planned", "clear")]);
        assert_eq!(
            change_reason("WEATHER_RAIN", &p, Language::En).unwrap(),
            "Rain is now forecast; the day was planned for clear."
        );
        assert_eq!(
            change_reason("WEATHER_RAIN", &p, Language::Ko).unwrap(),
            "이제 비 예보가 있습니다. 이 날은 ‘맑음’ 날씨로 계획되었습니다."
        );
        let t = params(&[
            ("by", "12"),
            ("nowMin", "?"),
            ("nowMax", "31"),
            ("plannedMin", "10"),
            ("plannedMax", "19"),
        ]);
        assert_eq!(
            change_reason("TEMPERATURE_SHIFT", &t, Language::En).unwrap(),
            "Temperatures changed by 12 °C: now ?–31 °C, planned with 10 °C–19 °C."
        );
        assert!(hangul(
            &change_reason("TEMPERATURE_SHIFT", &t, Language::Ko).unwrap()
        ));
    }

    #[test]
    fn weather_and_access_notes_cover_every_code() {
        for c in [
            "RAIN",
            "SNOW",
            "STORM",
            "HOT",
            "COLD",
            "POOR_AIR",
            "HAZARDOUS_AIR",
            "WEATHER_UNAVAILABLE",
        ] {
            assert!(weather_note_ko(c).is_some_and(hangul), "{c}");
        }
        for a in ["stepFree", "limited", "notStepFree", "unknown"] {
            assert!(access_note_ko(a).is_some_and(hangul), "{a}");
        }
    }
}
