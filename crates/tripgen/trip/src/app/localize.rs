//! The request's language applied to API views that carry stored texts (schedules,
//! versions, the rejected edit's problem). Views are built language-neutral (and cached
//! so); the handlers pass them through here last. See `crate::domain::texts`.

use tripgen_platform::error::ApiError;
use tripgen_platform::i18n::Language;

use crate::domain::schedule::{DayPlan, Violation};
use crate::domain::texts;
use crate::dto::{DayView, ScheduleView, VersionsView};

pub fn day(mut view: DayView, lang: Language) -> DayView {
    texts::localize_day(&mut view.plan, lang);
    view
}

pub fn schedule(mut view: ScheduleView, lang: Language) -> ScheduleView {
    for d in &mut view.days {
        texts::localize_day(&mut d.plan, lang);
    }
    view
}

pub fn versions(mut view: VersionsView, lang: Language) -> VersionsView {
    for v in &mut view.versions {
        texts::localize_day(&mut v.plan, lang);
    }
    view
}

/// The 409 `SCHEDULE_RULES_VIOLATED` problem carries the edited day and the violations
/// in `extra`; their texts follow the request's language like the views do.
pub fn error(mut e: ApiError, lang: Language) -> ApiError {
    if lang == Language::En || e.code != "SCHEDULE_RULES_VIOLATED" {
        return e;
    }
    let Some(extra) = e.extra.as_mut() else {
        return e;
    };
    if let Some(v) = extra.get_mut("violations")
        && let Ok(mut list) = serde_json::from_value::<Vec<Violation>>(v.clone())
    {
        texts::localize_violations(&mut list, lang);
        if let Ok(json) = serde_json::to_value(&list) {
            *v = json;
        }
    }
    if let Some(day) = extra.get_mut("day")
        && let Ok(mut plan) = serde_json::from_value::<DayPlan>(day.clone())
    {
        texts::localize_day(&mut plan, lang);
        // The day is a flattened view: replace only the plan's fields that hold texts.
        if let (Ok(serde_json::Value::Object(fields)), Some(target)) =
            (serde_json::to_value(&plan), day.as_object_mut())
        {
            for key in ["stops", "warnings", "weatherNotes"] {
                if let Some(v) = fields.get(key) {
                    target.insert(key.into(), v.clone());
                }
            }
        }
    }
    e
}
