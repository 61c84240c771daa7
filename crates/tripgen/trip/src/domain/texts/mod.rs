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

mod changes;
mod planner_ko;
#[cfg(test)]
mod tests;

use super::schedule::{DayPlan, TextParams, Violation};
pub use changes::{change_reason, localize_report, notice};
use planner_ko::warning_ko;
pub use planner_ko::{access_note_ko, planner_warning_ko, reason_ko, weather_note_ko};

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
