//! Texts of change checks (why a planned day changed) and of the notices sent about them.

use super::*;

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
