//! The checkup item vocabulary (spec §4.2): every code, its unit, precision and group.
//!
//! Codes are the API's contract (`items[].code`, `series.<code>`); the CSV column names of
//! the NHIS file live with the importer.

use serde::{Deserialize, Serialize};

/// The scoring groups plus `shown` (items that display a band but add no penalty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Obesity,
    BloodPressure,
    BloodSugar,
    Lipids,
    Liver,
    Kidney,
    Anemia,
    Smoking,
    Drinking,
    Shown,
}

impl Group {
    /// The nine groups that count towards the health score, in display order.
    pub const SCORED: [Group; 9] = [
        Group::BloodPressure,
        Group::BloodSugar,
        Group::Obesity,
        Group::Lipids,
        Group::Liver,
        Group::Kidney,
        Group::Anemia,
        Group::Smoking,
        Group::Drinking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Obesity => "obesity",
            Group::BloodPressure => "blood_pressure",
            Group::BloodSugar => "blood_sugar",
            Group::Lipids => "lipids",
            Group::Liver => "liver",
            Group::Kidney => "kidney",
            Group::Anemia => "anemia",
            Group::Smoking => "smoking",
            Group::Drinking => "drinking",
            Group::Shown => "shown",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        Group::SCORED
            .into_iter()
            .chain([Group::Shown])
            .find(|g| g.as_str() == s)
    }
}

/// One checkup item. `precision` is the number of decimals values are rounded to (half-up)
/// before they are compared with the inclusive bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub code: &'static str,
    pub unit: &'static str,
    pub precision: u32,
    /// `None` for the BMI inputs (height, weight), which are shown without a status.
    pub group: Option<Group>,
    pub name_ko: &'static str,
    pub name_en: &'static str,
}

const fn item(
    code: &'static str,
    unit: &'static str,
    precision: u32,
    group: Option<Group>,
    name_ko: &'static str,
    name_en: &'static str,
) -> Item {
    Item {
        code,
        unit,
        precision,
        group,
        name_ko,
        name_en,
    }
}

use Group::*;

/// Every item in display order (body, blood pressure, sugar, lipids, blood, kidney, liver,
/// lifestyle, senses, oral).
pub const ITEMS: &[Item] = &[
    item("height", "cm", 0, None, "신장", "Height"),
    item("weight", "kg", 0, None, "체중", "Weight"),
    item("bmi", "kg/m²", 1, Some(Obesity), "체질량지수", "BMI"),
    item("waist", "cm", 1, Some(Obesity), "허리둘레", "Waist"),
    item(
        "sbp",
        "mmHg",
        0,
        Some(BloodPressure),
        "수축기 혈압",
        "Systolic blood pressure",
    ),
    item(
        "dbp",
        "mmHg",
        0,
        Some(BloodPressure),
        "이완기 혈압",
        "Diastolic blood pressure",
    ),
    item(
        "glucose",
        "mg/dL",
        0,
        Some(BloodSugar),
        "공복혈당",
        "Fasting glucose",
    ),
    item(
        "total_chol",
        "mg/dL",
        0,
        Some(Lipids),
        "총콜레스테롤",
        "Total cholesterol",
    ),
    item("tg", "mg/dL", 0, Some(Lipids), "중성지방", "Triglycerides"),
    item(
        "hdl",
        "mg/dL",
        0,
        Some(Lipids),
        "HDL 콜레스테롤",
        "HDL cholesterol",
    ),
    item(
        "ldl",
        "mg/dL",
        0,
        Some(Lipids),
        "LDL 콜레스테롤",
        "LDL cholesterol",
    ),
    item(
        "hemoglobin",
        "g/dL",
        1,
        Some(Anemia),
        "혈색소",
        "Hemoglobin",
    ),
    item(
        "urine_protein",
        "code",
        0,
        Some(Kidney),
        "요단백",
        "Urine protein",
    ),
    item(
        "creatinine",
        "mg/dL",
        1,
        Some(Kidney),
        "혈청 크레아티닌",
        "Serum creatinine",
    ),
    item(
        "egfr",
        "mL/min/1.73 m²",
        0,
        Some(Kidney),
        "사구체여과율(eGFR)",
        "eGFR",
    ),
    item("ast", "U/L", 0, Some(Liver), "AST", "AST"),
    item("alt", "U/L", 0, Some(Liver), "ALT", "ALT"),
    item("ggt", "U/L", 0, Some(Liver), "감마지티피", "Gamma-GTP"),
    item("smoking", "code", 0, Some(Smoking), "흡연 상태", "Smoking"),
    item(
        "drinking",
        "code",
        0,
        Some(Drinking),
        "음주 여부",
        "Drinking",
    ),
    item(
        "vision_left",
        "decimal",
        1,
        Some(Shown),
        "시력(좌)",
        "Vision (left)",
    ),
    item(
        "vision_right",
        "decimal",
        1,
        Some(Shown),
        "시력(우)",
        "Vision (right)",
    ),
    item(
        "hearing_left",
        "code",
        0,
        Some(Shown),
        "청력(좌)",
        "Hearing (left)",
    ),
    item(
        "hearing_right",
        "code",
        0,
        Some(Shown),
        "청력(우)",
        "Hearing (right)",
    ),
    item(
        "oral_exam",
        "0/1",
        0,
        Some(Shown),
        "구강검진 수검",
        "Oral exam taken",
    ),
    item(
        "caries",
        "0/1",
        0,
        Some(Shown),
        "치아우식증",
        "Dental caries",
    ),
    item("tartar", "0/1", 0, Some(Shown), "치석", "Tartar"),
];

/// The item with this code.
pub fn item_by_code(code: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.code == code)
}

/// The item's name in a language (`ko` default, `en`).
pub fn item_name(item: &Item, language: &str) -> &'static str {
    if language == "en" {
        item.name_en
    } else {
        item.name_ko
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_groups_round_trip() {
        let mut codes: Vec<_> = ITEMS.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ITEMS.len());
        for g in Group::SCORED.into_iter().chain([Group::Shown]) {
            assert_eq!(Group::parse(g.as_str()), Some(g));
        }
        // Every scored group has at least one item.
        for g in Group::SCORED {
            assert!(ITEMS.iter().any(|i| i.group == Some(g)), "{g:?}");
        }
    }
}
