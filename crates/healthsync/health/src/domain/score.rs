//! Group penalties, the health score and the risk level (spec §2.2).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::items::Group;
use super::ranges::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Moderate,
    High,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Moderate => "moderate",
            RiskLevel::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<RiskLevel> {
        match s {
            "low" => Some(RiskLevel::Low),
            "moderate" => Some(RiskLevel::Moderate),
            "high" => Some(RiskLevel::High),
            _ => None,
        }
    }
}

/// The penalty a group's status adds (warning/danger): blood_pressure 8/20, blood_sugar
/// 8/20, obesity 5/15, lipids 5/12, liver 5/12, kidney 5/15, anemia 3/8, smoking 3 (former,
/// i.e. warning)/15 (current), drinking 5 (yes, i.e. warning); `shown` items add nothing.
pub fn penalty(group: Group, status: Status) -> i64 {
    let (warning, danger) = match group {
        Group::BloodPressure | Group::BloodSugar => (8, 20),
        Group::Obesity | Group::Kidney => (5, 15),
        Group::Lipids | Group::Liver => (5, 12),
        Group::Anemia => (3, 8),
        Group::Smoking => (3, 15),
        Group::Drinking => (5, 5),
        Group::Shown => (0, 0),
    };
    match status {
        Status::Normal => 0,
        Status::Warning => warning,
        Status::Danger => danger,
    }
}

/// max(0, 100 − Σ group penalties) over the measured groups.
pub fn health_score(groups: &BTreeMap<Group, Status>) -> i64 {
    let total: i64 = groups.iter().map(|(&g, &s)| penalty(g, s)).sum();
    (100 - total).max(0)
}

/// `high` if score < 60 or ≥ 2 groups in danger, else `moderate` if score < 80 or one group
/// in danger, else `low`.
pub fn risk_level(score: i64, groups: &BTreeMap<Group, Status>) -> RiskLevel {
    let dangers = groups
        .iter()
        .filter(|(g, s)| **g != Group::Shown && **s == Status::Danger)
        .count();
    if score < 60 || dangers >= 2 {
        RiskLevel::High
    } else if score < 80 || dangers == 1 {
        RiskLevel::Moderate
    } else {
        RiskLevel::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Group::*;
    use Status::*;

    fn groups(list: &[(Group, Status)]) -> BTreeMap<Group, Status> {
        list.iter().copied().collect()
    }

    #[test]
    fn penalties_as_specified() {
        let table = [
            (BloodPressure, 8, 20),
            (BloodSugar, 8, 20),
            (Obesity, 5, 15),
            (Lipids, 5, 12),
            (Liver, 5, 12),
            (Kidney, 5, 15),
            (Anemia, 3, 8),
            (Smoking, 3, 15),
        ];
        for (g, w, d) in table {
            assert_eq!(penalty(g, Normal), 0);
            assert_eq!(penalty(g, Warning), w, "{g:?}");
            assert_eq!(penalty(g, Danger), d, "{g:?}");
        }
        assert_eq!(penalty(Drinking, Warning), 5);
        assert_eq!(penalty(Shown, Danger), 0);
    }

    #[test]
    fn all_normal_or_nothing_measured_is_100_low() {
        let g = groups(&[(BloodPressure, Normal), (Obesity, Normal)]);
        assert_eq!(health_score(&g), 100);
        assert_eq!(risk_level(100, &g), RiskLevel::Low);
        assert_eq!(health_score(&BTreeMap::new()), 100);
    }

    #[test]
    fn score_never_below_zero() {
        let g = groups(&[
            (BloodPressure, Danger),
            (BloodSugar, Danger),
            (Obesity, Danger),
            (Lipids, Danger),
            (Liver, Danger),
            (Kidney, Danger),
            (Anemia, Danger),
            (Smoking, Danger),
            (Drinking, Warning),
        ]);
        assert_eq!(health_score(&g), 0);
        assert_eq!(risk_level(0, &g), RiskLevel::High);
    }

    #[test]
    fn risk_band_edges() {
        let none = BTreeMap::new();
        assert_eq!(risk_level(80, &none), RiskLevel::Low);
        assert_eq!(risk_level(79, &none), RiskLevel::Moderate);
        assert_eq!(risk_level(60, &none), RiskLevel::Moderate);
        assert_eq!(risk_level(59, &none), RiskLevel::High);
        let one = groups(&[(Smoking, Danger)]);
        // Score 85 but one group in danger → moderate.
        assert_eq!(health_score(&one), 85);
        assert_eq!(risk_level(85, &one), RiskLevel::Moderate);
        let two = groups(&[(Anemia, Danger), (Lipids, Danger)]);
        // Score 80 but two groups in danger → high.
        assert_eq!(health_score(&two), 80);
        assert_eq!(risk_level(80, &two), RiskLevel::High);
        // Warnings only: 100 − 8 − 8 − 5 = 79 → moderate; 100 − 8 − 5 − 5 − 3 = 79 too.
        let warn = groups(&[
            (BloodPressure, Warning),
            (BloodSugar, Warning),
            (Liver, Warning),
        ]);
        assert_eq!(health_score(&warn), 79);
        assert_eq!(risk_level(79, &warn), RiskLevel::Moderate);
        let eighty = groups(&[
            (BloodPressure, Warning),
            (BloodSugar, Warning),
            (Anemia, Warning),
        ]);
        assert_eq!(health_score(&eighty), 81);
        assert_eq!(risk_level(81, &eighty), RiskLevel::Low);
    }
}
