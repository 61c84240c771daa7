//! The planning wizard (TRIP-090): basic settings → destinations → generation → schedule.
//! The current step is the first incomplete one; going back is always allowed, forward only
//! when the earlier steps are complete, and the trip says which items are missing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{GenerationState, ScheduleState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Step {
    BasicSettings,
    Destinations,
    Generation,
    Schedule,
}

impl Step {
    pub fn number(self) -> u8 {
        match self {
            Step::BasicSettings => 1,
            Step::Destinations => 2,
            Step::Generation => 3,
            Step::Schedule => 4,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Step::BasicSettings => "Basic settings",
            Step::Destinations => "Destinations",
            Step::Generation => "Generation",
            Step::Schedule => "Schedule",
        }
    }
}

/// One thing the user still has to provide before the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissingItem {
    pub step: Step,
    /// The request field that provides it (`transportMode`, `members`, `startDate` …).
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepState {
    pub current: Step,
    /// 1–4.
    pub number: u8,
    pub of: u8,
    pub label: String,
    pub completed: Vec<Step>,
    /// What is missing to move past the current step (empty at `schedule`).
    pub missing: Vec<MissingItem>,
}

/// The facts the wizard depends on.
#[derive(Debug, Clone, Copy)]
pub struct StepFacts {
    pub has_name: bool,
    pub has_transport: bool,
    pub members: usize,
    pub has_start_date: bool,
    pub destinations: usize,
    pub schedule: ScheduleState,
    pub generation: GenerationState,
}

fn item(step: Step, field: &str, code: &str, message: &str) -> MissingItem {
    MissingItem {
        step,
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

pub fn derive(f: StepFacts) -> StepState {
    let mut basic = Vec::new();
    if !f.has_name {
        basic.push(item(
            Step::BasicSettings,
            "tripName",
            "REQUIRED",
            "Give the trip a name.",
        ));
    }
    if !f.has_transport {
        basic.push(item(
            Step::BasicSettings,
            "transportMode",
            "REQUIRED",
            "Choose public transport or car.",
        ));
    }
    if f.members == 0 {
        basic.push(item(
            Step::BasicSettings,
            "members",
            "REQUIRED",
            "Add at least one traveller.",
        ));
    }
    let mut dest = Vec::new();
    if !f.has_start_date {
        dest.push(item(
            Step::Destinations,
            "startDate",
            "REQUIRED",
            "Choose the start date.",
        ));
    }
    if f.destinations == 0 {
        dest.push(item(
            Step::Destinations,
            "destinations",
            "REQUIRED",
            "Add at least one destination.",
        ));
    }
    let mut generation = Vec::new();
    if f.generation.in_progress() {
        generation.push(item(
            Step::Generation,
            "schedule",
            "GENERATION_RUNNING",
            "The schedule is being generated.",
        ));
    } else {
        match f.schedule {
            ScheduleState::None => generation.push(item(
                Step::Generation,
                "schedule",
                "REQUIRED",
                "Generate the schedule.",
            )),
            ScheduleState::Outdated => generation.push(item(
                Step::Generation,
                "schedule",
                "OUTDATED",
                "Destinations, dates, transport or health changed: generate the schedule again.",
            )),
            ScheduleState::Ready => {}
        }
    }
    let steps = [
        (Step::BasicSettings, basic),
        (Step::Destinations, dest),
        (Step::Generation, generation),
    ];
    let mut completed = Vec::new();
    for (step, missing) in steps {
        if !missing.is_empty() {
            return StepState {
                current: step,
                number: step.number(),
                of: 4,
                label: step.label().into(),
                completed,
                missing,
            };
        }
        completed.push(step);
    }
    StepState {
        current: Step::Schedule,
        number: 4,
        of: 4,
        label: Step::Schedule.label().into(),
        completed,
        missing: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> StepFacts {
        StepFacts {
            has_name: true,
            has_transport: false,
            members: 0,
            has_start_date: false,
            destinations: 0,
            schedule: ScheduleState::None,
            generation: GenerationState::Idle,
        }
    }

    #[test]
    fn first_incomplete_step_is_current() {
        let s = derive(facts());
        assert_eq!(s.current, Step::BasicSettings);
        let fields: Vec<_> = s.missing.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(fields, ["transportMode", "members"]);
        let s = derive(StepFacts {
            has_transport: true,
            members: 2,
            ..facts()
        });
        assert_eq!((s.current, s.number), (Step::Destinations, 2));
        let s = derive(StepFacts {
            has_transport: true,
            members: 2,
            has_start_date: true,
            destinations: 1,
            schedule: ScheduleState::Outdated,
            ..facts()
        });
        assert_eq!(s.current, Step::Generation);
        assert_eq!(s.missing[0].code, "OUTDATED");
        let s = derive(StepFacts {
            has_transport: true,
            members: 2,
            has_start_date: true,
            destinations: 1,
            schedule: ScheduleState::Ready,
            ..facts()
        });
        assert_eq!(
            (s.current, s.number, s.completed.len()),
            (Step::Schedule, 4, 3)
        );
        assert!(s.missing.is_empty());
    }
}
