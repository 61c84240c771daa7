//! Versioned reference ranges (spec §4.2). The table lives in `normal_ranges`, seeded by
//! migration; [`RangeTable::v1`] is the same seed in code (a test checks the migration
//! writes exactly these rows), used by unit tests and as the shape the repository loads.
//!
//! A band is a list of inclusive intervals at the item's precision: "< 120" at integer
//! precision is stored as max 119, "< 18.5" at one decimal as max 18.4. Sex 0 = all,
//! 1 = men, 2 = women; a sex-specific row wins over an "all" row.

use serde::{Deserialize, Serialize};

use super::items::{Group, item_by_code};
use super::rounding::round_half_up;

/// The result of judging one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Normal,
    Warning,
    Danger,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Normal => "normal",
            Status::Warning => "warning",
            Status::Danger => "danger",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "normal" => Some(Status::Normal),
            "warning" => Some(Status::Warning),
            "danger" => Some(Status::Danger),
            _ => None,
        }
    }
}

/// Biological sex as coded by NHIS (1 M, 2 F).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code(self) -> i64 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }

    pub fn from_code(code: i64) -> Option<Sex> {
        match code {
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// One inclusive interval; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl Interval {
    fn contains(&self, v: f64) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }
}

/// One row of `normal_ranges`.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    pub version: i64,
    pub item_code: String,
    /// 0 all, 1 men, 2 women.
    pub sex: i64,
    pub unit: String,
    pub band: Status,
    /// Orders the intervals of one band (hemoglobin's warning is two intervals).
    pub part: i64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub group: Group,
    pub source: String,
}

/// The three bands of one item for one sex.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bands {
    pub normal: Vec<Interval>,
    pub warning: Vec<Interval>,
    pub danger: Vec<Interval>,
}

impl Bands {
    /// Judges a value already rounded to the item's precision; danger first, so a special
    /// value such as vision 9.9 (blind) is never read as normal.
    pub fn judge(&self, value: f64) -> Option<Status> {
        [
            (Status::Danger, &self.danger),
            (Status::Warning, &self.warning),
            (Status::Normal, &self.normal),
        ]
        .into_iter()
        .find(|(_, band)| band.iter().any(|i| i.contains(value)))
        .map(|(s, _)| s)
    }
}

/// The ranges of one version.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeTable {
    pub version: i64,
    pub rows: Vec<RangeRow>,
}

impl RangeTable {
    /// The rows with the highest version among `rows` (the repository passes every row).
    pub fn latest(rows: Vec<RangeRow>) -> Option<RangeTable> {
        let version = rows.iter().map(|r| r.version).max()?;
        let mut rows: Vec<RangeRow> = rows.into_iter().filter(|r| r.version == version).collect();
        rows.sort_by(|a, b| {
            (&a.item_code, a.sex, a.band, a.part).cmp(&(&b.item_code, b.sex, b.band, b.part))
        });
        Some(RangeTable { version, rows })
    }

    /// The bands of an item for a sex: the sex's own rows if any, else the "all" rows.
    pub fn bands(&self, code: &str, sex: Sex) -> Option<Bands> {
        let own: Vec<&RangeRow> = self
            .rows
            .iter()
            .filter(|r| r.item_code == code && r.sex == sex.code())
            .collect();
        let rows = if own.is_empty() {
            self.rows
                .iter()
                .filter(|r| r.item_code == code && r.sex == 0)
                .collect()
        } else {
            own
        };
        if rows.is_empty() {
            return None;
        }
        let mut bands = Bands::default();
        for r in rows {
            let interval = Interval {
                min: r.min,
                max: r.max,
            };
            match r.band {
                Status::Normal => bands.normal.push(interval),
                Status::Warning => bands.warning.push(interval),
                Status::Danger => bands.danger.push(interval),
            }
        }
        Some(bands)
    }

    /// Group and source of an item (the same for every sex).
    pub fn meta(&self, code: &str) -> Option<(Group, &str)> {
        self.rows
            .iter()
            .find(|r| r.item_code == code)
            .map(|r| (r.group, r.source.as_str()))
    }

    /// Rounds half-up at the item's precision and judges it; `None` when the item has no
    /// bands (height, weight) or the value falls outside every band.
    pub fn judge(&self, code: &str, sex: Sex, value: f64) -> Option<Status> {
        let item = item_by_code(code)?;
        self.bands(code, sex)?
            .judge(round_half_up(value, item.precision))
    }

    /// Version 1, exactly as the first seed migration writes it.
    pub fn v1() -> RangeTable {
        let rows = V1
            .iter()
            .filter_map(|&(code, sex, band, part, min, max, source)| {
                let item = item_by_code(code)?;
                Some(RangeRow {
                    version: 1,
                    item_code: code.to_string(),
                    sex,
                    unit: item.unit.to_string(),
                    band,
                    part,
                    min,
                    max,
                    group: item.group.unwrap_or(Group::Shown),
                    source: source.to_string(),
                })
            })
            .collect();
        RangeTable::latest(rows).unwrap_or(RangeTable {
            version: 1,
            rows: Vec::new(),
        })
    }
}

use Status::{Danger as D, Normal as N, Warning as W};

const OBESITY: &str = "Korean obesity guideline";
const WAIST: &str = "Korean abdominal-obesity cut-off";
const NHIS: &str = "NHIS screening";
const PRODUCT: &str = "product rule";
const NHIS_CODING: &str = "NHIS coding";

type Seed = (
    &'static str,
    i64,
    Status,
    i64,
    Option<f64>,
    Option<f64>,
    &'static str,
);

/// (code, sex, band, part, min, max, source) — the §4.2 table at each item's precision.
#[rustfmt::skip]
const V1: &[Seed] = &[
    ("bmi", 0, N, 1, Some(18.5), Some(22.9), OBESITY),
    ("bmi", 0, W, 1, None, Some(18.4), OBESITY),
    ("bmi", 0, W, 2, Some(23.0), Some(24.9), OBESITY),
    ("bmi", 0, D, 1, Some(25.0), None, OBESITY),
    ("waist", 1, N, 1, None, Some(84.9), WAIST),
    ("waist", 1, W, 1, Some(85.0), Some(89.9), WAIST),
    ("waist", 1, D, 1, Some(90.0), None, WAIST),
    ("waist", 2, N, 1, None, Some(79.9), WAIST),
    ("waist", 2, W, 1, Some(80.0), Some(84.9), WAIST),
    ("waist", 2, D, 1, Some(85.0), None, WAIST),
    ("sbp", 0, N, 1, None, Some(119.0), NHIS),
    ("sbp", 0, W, 1, Some(120.0), Some(139.0), NHIS),
    ("sbp", 0, D, 1, Some(140.0), None, NHIS),
    ("dbp", 0, N, 1, None, Some(79.0), NHIS),
    ("dbp", 0, W, 1, Some(80.0), Some(89.0), NHIS),
    ("dbp", 0, D, 1, Some(90.0), None, NHIS),
    ("glucose", 0, N, 1, None, Some(99.0), NHIS),
    ("glucose", 0, W, 1, Some(100.0), Some(125.0), NHIS),
    ("glucose", 0, D, 1, Some(126.0), None, NHIS),
    ("total_chol", 0, N, 1, None, Some(199.0), NHIS),
    ("total_chol", 0, W, 1, Some(200.0), Some(239.0), NHIS),
    ("total_chol", 0, D, 1, Some(240.0), None, NHIS),
    ("tg", 0, N, 1, None, Some(149.0), NHIS),
    ("tg", 0, W, 1, Some(150.0), Some(199.0), NHIS),
    ("tg", 0, D, 1, Some(200.0), None, NHIS),
    ("hdl", 0, N, 1, Some(60.0), None, NHIS),
    ("hdl", 0, W, 1, Some(40.0), Some(59.0), NHIS),
    ("hdl", 0, D, 1, None, Some(39.0), NHIS),
    ("ldl", 0, N, 1, None, Some(129.0), NHIS),
    ("ldl", 0, W, 1, Some(130.0), Some(159.0), NHIS),
    ("ldl", 0, D, 1, Some(160.0), None, NHIS),
    ("hemoglobin", 1, N, 1, Some(13.0), Some(16.5), NHIS),
    ("hemoglobin", 1, W, 1, Some(12.0), Some(12.9), NHIS),
    ("hemoglobin", 1, W, 2, Some(16.6), Some(17.5), NHIS),
    ("hemoglobin", 1, D, 1, None, Some(11.9), NHIS),
    ("hemoglobin", 1, D, 2, Some(17.6), None, NHIS),
    ("hemoglobin", 2, N, 1, Some(12.0), Some(15.5), NHIS),
    ("hemoglobin", 2, W, 1, Some(10.0), Some(11.9), NHIS),
    ("hemoglobin", 2, W, 2, Some(15.6), Some(16.5), NHIS),
    ("hemoglobin", 2, D, 1, None, Some(9.9), NHIS),
    ("hemoglobin", 2, D, 2, Some(16.6), None, NHIS),
    ("urine_protein", 0, N, 1, Some(1.0), Some(1.0), NHIS),
    ("urine_protein", 0, W, 1, Some(2.0), Some(2.0), NHIS),
    ("urine_protein", 0, D, 1, Some(3.0), Some(6.0), NHIS),
    ("creatinine", 0, N, 1, None, Some(1.5), NHIS),
    ("creatinine", 0, D, 1, Some(1.6), None, NHIS),
    ("egfr", 0, N, 1, Some(60.0), None, NHIS),
    ("egfr", 0, D, 1, None, Some(59.0), NHIS),
    ("ast", 0, N, 1, None, Some(40.0), NHIS),
    ("ast", 0, W, 1, Some(41.0), Some(50.0), NHIS),
    ("ast", 0, D, 1, Some(51.0), None, NHIS),
    ("alt", 0, N, 1, None, Some(40.0), PRODUCT),
    ("alt", 0, W, 1, Some(41.0), Some(50.0), PRODUCT),
    ("alt", 0, D, 1, Some(51.0), None, PRODUCT),
    ("ggt", 1, N, 1, None, Some(63.0), NHIS),
    ("ggt", 1, W, 1, Some(64.0), Some(77.0), NHIS),
    ("ggt", 1, D, 1, Some(78.0), None, NHIS),
    ("ggt", 2, N, 1, None, Some(35.0), NHIS),
    ("ggt", 2, W, 1, Some(36.0), Some(45.0), NHIS),
    ("ggt", 2, D, 1, Some(46.0), None, NHIS),
    ("vision_left", 0, N, 1, Some(0.7), Some(2.5), PRODUCT),
    ("vision_left", 0, W, 1, Some(0.3), Some(0.6), PRODUCT),
    ("vision_left", 0, D, 1, None, Some(0.2), PRODUCT),
    ("vision_left", 0, D, 2, Some(9.9), Some(9.9), PRODUCT),
    ("vision_right", 0, N, 1, Some(0.7), Some(2.5), PRODUCT),
    ("vision_right", 0, W, 1, Some(0.3), Some(0.6), PRODUCT),
    ("vision_right", 0, D, 1, None, Some(0.2), PRODUCT),
    ("vision_right", 0, D, 2, Some(9.9), Some(9.9), PRODUCT),
    ("hearing_left", 0, N, 1, Some(1.0), Some(1.0), NHIS_CODING),
    ("hearing_left", 0, W, 1, Some(2.0), Some(2.0), NHIS_CODING),
    ("hearing_right", 0, N, 1, Some(1.0), Some(1.0), NHIS_CODING),
    ("hearing_right", 0, W, 1, Some(2.0), Some(2.0), NHIS_CODING),
    ("smoking", 0, N, 1, Some(1.0), Some(1.0), PRODUCT),
    ("smoking", 0, W, 1, Some(2.0), Some(2.0), PRODUCT),
    ("smoking", 0, D, 1, Some(3.0), Some(3.0), PRODUCT),
    ("drinking", 0, N, 1, Some(0.0), Some(0.0), PRODUCT),
    ("drinking", 0, W, 1, Some(1.0), Some(1.0), PRODUCT),
    ("oral_exam", 0, N, 1, Some(0.0), Some(1.0), PRODUCT),
    ("caries", 0, N, 1, Some(0.0), Some(0.0), PRODUCT),
    ("caries", 0, W, 1, Some(1.0), Some(1.0), PRODUCT),
    ("tartar", 0, N, 1, Some(0.0), Some(0.0), PRODUCT),
    ("tartar", 0, W, 1, Some(1.0), Some(1.0), PRODUCT),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(code: &str, sex: Sex, v: f64) -> Option<Status> {
        RangeTable::v1().judge(code, sex, v)
    }

    #[test]
    fn every_band_edge_of_every_item() {
        use Sex::{Female as F, Male as M};
        let cases: &[(&str, Sex, f64, Status)] = &[
            ("bmi", M, 18.4, W),
            ("bmi", M, 18.45, N),
            ("bmi", M, 18.5, N),
            ("bmi", F, 22.9, N),
            ("bmi", F, 22.95, W),
            ("bmi", M, 23.0, W),
            ("bmi", M, 24.9, W),
            ("bmi", M, 24.95, D),
            ("bmi", M, 25.0, D),
            ("waist", M, 84.9, N),
            ("waist", M, 85.0, W),
            ("waist", M, 89.9, W),
            ("waist", M, 90.0, D),
            ("waist", F, 79.9, N),
            ("waist", F, 80.0, W),
            ("waist", F, 84.9, W),
            ("waist", F, 85.0, D),
            ("waist", F, 84.95, D),
            ("sbp", M, 119.0, N),
            ("sbp", M, 119.5, W),
            ("sbp", M, 120.0, W),
            ("sbp", F, 139.0, W),
            ("sbp", F, 140.0, D),
            ("sbp", F, 142.0, D),
            ("dbp", M, 79.0, N),
            ("dbp", M, 80.0, W),
            ("dbp", M, 89.0, W),
            ("dbp", M, 90.0, D),
            ("glucose", M, 99.0, N),
            ("glucose", M, 100.0, W),
            ("glucose", M, 125.0, W),
            ("glucose", M, 126.0, D),
            ("total_chol", M, 199.0, N),
            ("total_chol", M, 200.0, W),
            ("total_chol", M, 239.0, W),
            ("total_chol", M, 240.0, D),
            ("tg", F, 149.0, N),
            ("tg", F, 150.0, W),
            ("tg", F, 199.0, W),
            ("tg", F, 200.0, D),
            ("hdl", M, 60.0, N),
            ("hdl", M, 59.0, W),
            ("hdl", M, 40.0, W),
            ("hdl", M, 39.0, D),
            ("hdl", M, 39.5, W),
            ("ldl", M, 129.0, N),
            ("ldl", M, 130.0, W),
            ("ldl", M, 159.0, W),
            ("ldl", M, 160.0, D),
            ("hemoglobin", M, 11.9, D),
            ("hemoglobin", M, 12.0, W),
            ("hemoglobin", M, 12.9, W),
            ("hemoglobin", M, 13.0, N),
            ("hemoglobin", M, 16.5, N),
            ("hemoglobin", M, 16.6, W),
            ("hemoglobin", M, 17.5, W),
            ("hemoglobin", M, 17.6, D),
            ("hemoglobin", F, 9.9, D),
            ("hemoglobin", F, 10.0, W),
            ("hemoglobin", F, 11.9, W),
            ("hemoglobin", F, 12.0, N),
            ("hemoglobin", F, 15.5, N),
            ("hemoglobin", F, 15.6, W),
            ("hemoglobin", F, 16.5, W),
            ("hemoglobin", F, 16.6, D),
            ("urine_protein", M, 1.0, N),
            ("urine_protein", M, 2.0, W),
            ("urine_protein", M, 3.0, D),
            ("urine_protein", M, 6.0, D),
            ("creatinine", M, 1.5, N),
            ("creatinine", M, 1.54, N),
            ("creatinine", M, 1.55, D),
            ("creatinine", M, 1.6, D),
            ("egfr", M, 60.0, N),
            ("egfr", M, 59.5, N),
            ("egfr", M, 59.4, D),
            ("egfr", M, 59.0, D),
            ("ast", M, 40.0, N),
            ("ast", M, 41.0, W),
            ("ast", M, 50.0, W),
            ("ast", M, 51.0, D),
            ("alt", F, 40.0, N),
            ("alt", F, 41.0, W),
            ("alt", F, 50.0, W),
            ("alt", F, 51.0, D),
            ("ggt", M, 63.0, N),
            ("ggt", M, 64.0, W),
            ("ggt", M, 77.0, W),
            ("ggt", M, 78.0, D),
            ("ggt", F, 35.0, N),
            ("ggt", F, 36.0, W),
            ("ggt", F, 45.0, W),
            ("ggt", F, 46.0, D),
            ("vision_left", M, 0.7, N),
            ("vision_left", M, 0.6, W),
            ("vision_left", M, 0.3, W),
            ("vision_left", M, 0.2, D),
            ("vision_right", F, 9.9, D),
            ("vision_right", F, 2.5, N),
            ("hearing_left", M, 1.0, N),
            ("hearing_right", F, 2.0, W),
            ("smoking", M, 1.0, N),
            ("smoking", M, 2.0, W),
            ("smoking", M, 3.0, D),
            ("drinking", F, 0.0, N),
            ("drinking", F, 1.0, W),
            ("oral_exam", M, 0.0, N),
            ("oral_exam", M, 1.0, N),
            ("caries", M, 0.0, N),
            ("caries", M, 1.0, W),
            ("tartar", F, 1.0, W),
        ];
        for &(code, sex, value, want) in cases {
            assert_eq!(
                judge(code, sex, value),
                Some(want),
                "{code} {sex:?} {value}"
            );
        }
    }

    #[test]
    fn bands_cover_every_value_at_precision() {
        let table = RangeTable::v1();
        for code in ["bmi", "waist", "hemoglobin", "creatinine"] {
            for sex in [Sex::Male, Sex::Female] {
                for tenth in 0..3000 {
                    let v = f64::from(tenth) / 10.0;
                    assert!(table.judge(code, sex, v).is_some(), "{code} {v}");
                }
            }
        }
        for code in [
            "sbp",
            "dbp",
            "glucose",
            "total_chol",
            "tg",
            "hdl",
            "ldl",
            "ast",
            "alt",
            "ggt",
            "egfr",
        ] {
            for v in 0..1000 {
                assert!(
                    table.judge(code, Sex::Female, f64::from(v)).is_some(),
                    "{code} {v}"
                );
            }
        }
    }

    #[test]
    fn sex_specific_rows_win_and_all_rows_apply_to_both() {
        let t = RangeTable::v1();
        assert_eq!(
            t.bands("waist", Sex::Male).map(|b| b.normal[0].max),
            Some(Some(84.9))
        );
        assert_eq!(
            t.bands("waist", Sex::Female).map(|b| b.normal[0].max),
            Some(Some(79.9))
        );
        assert_eq!(t.bands("sbp", Sex::Male), t.bands("sbp", Sex::Female));
        assert_eq!(t.bands("height", Sex::Male), None);
        assert_eq!(t.meta("alt"), Some((Group::Liver, "product rule")));
    }

    #[test]
    fn latest_version_wins() {
        let mut rows = RangeTable::v1().rows;
        let mut v2 = rows.clone();
        for r in &mut v2 {
            r.version = 2;
        }
        v2.retain(|r| r.item_code == "sbp");
        rows.extend(v2);
        let t = RangeTable::latest(rows).map(|t| (t.version, t.rows.len()));
        assert_eq!(t, Some((2, 3)));
    }
}
