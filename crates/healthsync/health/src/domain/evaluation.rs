//! Judging one checkup record: every item against the ranges for the person's sex, the
//! derived BMI and eGFR, group statuses (worst measured item), score and risk level.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::derived::{age_band_midpoint, bmi, egfr};
use super::items::{Group, ITEMS};
use super::ranges::{RangeTable, Sex, Status};
use super::rounding::round_half_up;
use super::score::{RiskLevel, health_score, risk_level};

/// One record as measured: raw item values by code (BMI and eGFR are derived here).
#[derive(Debug, Clone, PartialEq)]
pub struct Measurements {
    pub sex: Sex,
    /// NHIS 5-year age band code (5 = 20–24 … 18 = 85+).
    pub age_band: i64,
    pub values: BTreeMap<String, f64>,
}

/// One judged item. `status` is `None` for the BMI inputs (height, weight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub code: String,
    pub value: f64,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub items: Vec<ItemResult>,
    pub bmi: Option<f64>,
    pub egfr: Option<f64>,
    /// Status of each scored group with at least one measured item.
    pub groups: BTreeMap<Group, Status>,
    pub health_score: i64,
    pub risk_level: RiskLevel,
    /// Codes of the items without a value.
    pub not_measured: Vec<String>,
    pub ranges_version: i64,
}

/// Evaluates a record against a range table.
pub fn evaluate(m: &Measurements, ranges: &RangeTable) -> Evaluation {
    let raw = |code: &str| m.values.get(code).copied().filter(|v| v.is_finite());
    let bmi = bmi(raw("height"), raw("weight"));
    let egfr = age_band_midpoint(m.age_band)
        .and_then(|age| egfr(raw("creatinine"), m.sex, age))
        .map(|v| round_half_up(v, 0));

    let mut items = Vec::new();
    let mut not_measured = Vec::new();
    let mut groups: BTreeMap<Group, Status> = BTreeMap::new();
    for item in ITEMS {
        let value = match item.code {
            "bmi" => bmi,
            "egfr" => egfr,
            code => raw(code),
        };
        let Some(value) = value else {
            not_measured.push(item.code.to_string());
            continue;
        };
        let value = round_half_up(value, item.precision);
        let status = ranges.judge(item.code, m.sex, value);
        if let (Some(group), Some(status)) = (item.group, status)
            && group != Group::Shown
        {
            let worst = groups.entry(group).or_insert(status);
            *worst = (*worst).max(status);
        }
        items.push(ItemResult {
            code: item.code.to_string(),
            value,
            status,
        });
    }
    let score = health_score(&groups);
    Evaluation {
        items,
        bmi,
        egfr,
        risk_level: risk_level(score, &groups),
        health_score: score,
        groups,
        not_measured,
        ranges_version: ranges.version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sex: Sex, values: &[(&str, f64)]) -> Measurements {
        Measurements {
            sex,
            age_band: 9,
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn spec_example_sbp_142_and_bmi_24_is_75_moderate() {
        // No pair of 5 cm / 5 kg bins gives exactly 24.0, so check 24.0 is a warning and
        // take bins in the same band (170 / 70 → 172.5 cm, 72.5 kg → 24.4).
        let t = RangeTable::v1();
        assert_eq!(t.judge("bmi", Sex::Male, 24.0), Some(Status::Warning));
        let e = evaluate(
            &record(
                Sex::Male,
                &[("sbp", 142.0), ("height", 170.0), ("weight", 70.0)],
            ),
            &t,
        );
        assert_eq!(e.bmi, Some(24.4));
        assert_eq!(e.groups.get(&Group::BloodPressure), Some(&Status::Danger));
        assert_eq!(e.groups.get(&Group::Obesity), Some(&Status::Warning));
        assert_eq!(e.health_score, 75);
        assert_eq!(e.risk_level, RiskLevel::Moderate);
    }

    #[test]
    fn group_is_worst_measured_item_and_unmeasured_adds_nothing() {
        let t = RangeTable::v1();
        let e = evaluate(
            &record(
                Sex::Female,
                &[
                    ("total_chol", 180.0),
                    ("hdl", 35.0),
                    ("tg", 160.0),
                    ("smoking", 2.0),
                ],
            ),
            &t,
        );
        assert_eq!(e.groups.get(&Group::Lipids), Some(&Status::Danger));
        assert_eq!(e.groups.get(&Group::Smoking), Some(&Status::Warning));
        assert_eq!(e.groups.get(&Group::BloodPressure), None);
        assert_eq!(e.health_score, 100 - 12 - 3);
        assert_eq!(e.risk_level, RiskLevel::Moderate);
        assert!(e.not_measured.contains(&"sbp".to_string()));
        assert!(e.not_measured.contains(&"bmi".to_string()));
    }

    #[test]
    fn per_sex_evaluation_differs() {
        let t = RangeTable::v1();
        let v = [("waist", 82.0), ("hemoglobin", 12.5), ("ggt", 40.0)];
        let men = evaluate(&record(Sex::Male, &v), &t);
        let women = evaluate(&record(Sex::Female, &v), &t);
        let status =
            |e: &Evaluation, c: &str| e.items.iter().find(|i| i.code == c).and_then(|i| i.status);
        assert_eq!(status(&men, "waist"), Some(Status::Normal));
        assert_eq!(status(&women, "waist"), Some(Status::Warning));
        assert_eq!(status(&men, "hemoglobin"), Some(Status::Warning));
        assert_eq!(status(&women, "hemoglobin"), Some(Status::Normal));
        assert_eq!(status(&men, "ggt"), Some(Status::Normal));
        assert_eq!(status(&women, "ggt"), Some(Status::Warning));
    }

    #[test]
    fn egfr_from_band_midpoint_joins_kidney_group() {
        let t = RangeTable::v1();
        // Band 13 = 60–64 → 62; male Scr 1.3 → eGFR 62.1 → 62 normal; Scr 1.5 → 52 danger.
        let mut m = record(Sex::Male, &[("creatinine", 1.3)]);
        m.age_band = 13;
        let e = evaluate(&m, &t);
        assert_eq!(e.egfr, Some(62.0));
        assert_eq!(e.groups.get(&Group::Kidney), Some(&Status::Normal));
        m.values.insert("creatinine".into(), 1.5);
        let e = evaluate(&m, &t);
        assert_eq!(e.egfr, Some(52.0));
        assert_eq!(e.groups.get(&Group::Kidney), Some(&Status::Danger));
        assert_eq!(e.health_score, 85);
        assert_eq!(e.risk_level, RiskLevel::Moderate);
    }

    #[test]
    fn shown_items_add_no_penalty_and_inputs_have_no_status() {
        let t = RangeTable::v1();
        let e = evaluate(
            &record(
                Sex::Male,
                &[("vision_left", 9.9), ("caries", 1.0), ("height", 170.0)],
            ),
            &t,
        );
        assert_eq!(e.health_score, 100);
        assert_eq!(e.risk_level, RiskLevel::Low);
        let h = e.items.iter().find(|i| i.code == "height");
        assert_eq!(h.map(|i| i.status), Some(None));
    }
}
