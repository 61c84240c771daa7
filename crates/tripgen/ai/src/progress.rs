//! Progress of a generation: five named steps with a share of the whole, and an estimate
//! of the seconds left.

use std::time::Instant;

use tripgen_platform::jobs::Progress;

/// The steps the user sees (TRIP-050), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Analyse,
    Weather,
    Places,
    Optimise,
    Save,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Analyse => "analyse",
            Step::Weather => "weather",
            Step::Places => "places",
            Step::Optimise => "optimise",
            Step::Save => "save",
        }
    }

    /// `[from, to)` percent of the whole. Measured on a 7-day 3-city trip: loading
    /// places and planning take nearly all the time, in about equal parts.
    fn span(self) -> (f64, f64) {
        match self {
            Step::Analyse => (0.0, 5.0),
            Step::Weather => (5.0, 10.0),
            Step::Places => (10.0, 45.0),
            Step::Optimise => (45.0, 95.0),
            Step::Save => (95.0, 100.0),
        }
    }
}

/// Turns "step s, fraction f of it done" into a [`Progress`] with an estimate.
pub struct Tracker {
    started: Instant,
    /// Expected whole duration before anything was measured.
    prior_secs: f64,
}

impl Tracker {
    /// `days`: the days to plan (the prior assumes ≈ 0.4 s per day on a loaded machine).
    pub fn new(days: usize) -> Tracker {
        Tracker {
            started: Instant::now(),
            prior_secs: 1.0 + 0.4 * days as f64,
        }
    }

    pub fn at(&self, step: Step, fraction: f64, message: impl Into<String>) -> Progress {
        let (from, to) = step.span();
        let pct = from + (to - from) * fraction.clamp(0.0, 1.0);
        let done = pct / 100.0;
        let elapsed = self.started.elapsed().as_secs_f64();
        // Blend the prior with the measured rate as more of the work is done.
        let measured_total = if done > 0.0 { elapsed / done } else { 0.0 };
        let total = if done < 0.1 {
            self.prior_secs.max(elapsed)
        } else {
            (1.0 - done) * self.prior_secs + done * measured_total
        };
        let left = (total - elapsed).max(0.0).ceil() as u32;
        Progress {
            percent: pct.floor() as u8,
            step: step.name().to_string(),
            message: message.into(),
            eta_secs: Some(if step == Step::Save { 0 } else { left.max(1) }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_rise_through_the_steps() {
        let t = Tracker::new(7);
        let a = t.at(Step::Analyse, 0.0, "");
        let p = t.at(Step::Places, 0.5, "");
        let s = t.at(Step::Save, 1.0, "");
        assert_eq!(a.percent, 0);
        assert_eq!(p.percent, 27);
        assert_eq!(s.percent, 100);
        assert_eq!(p.step, "places");
        assert!(a.eta_secs.unwrap_or(0) >= 3, "prior for 7 days");
        assert_eq!(s.eta_secs, Some(0));
    }
}
