//! The fixed occupation list (HS-USER-040) with ko/en names and the work-pattern tags
//! diagnosis and missions use.

pub struct Occupation {
    pub code: &'static str,
    pub name_ko: &'static str,
    pub name_en: &'static str,
    pub tags: &'static [&'static str],
}

pub const OCCUPATIONS: &[Occupation] = &[
    Occupation {
        code: "developer",
        name_ko: "개발",
        name_en: "Software development",
        tags: &["sitting", "screen", "neck_shoulder"],
    },
    Occupation {
        code: "product_manager",
        name_ko: "기획·PM",
        name_en: "Planning / product management",
        tags: &["meetings", "stress", "irregular_meals"],
    },
    Occupation {
        code: "marketing",
        name_ko: "마케팅",
        name_en: "Marketing",
        tags: &["stress", "irregular_meals", "late_hours"],
    },
    Occupation {
        code: "sales",
        name_ko: "영업",
        name_en: "Sales",
        tags: &["eating_out", "drinking", "travel"],
    },
    Occupation {
        code: "infra_ops",
        name_ko: "인프라·운영",
        name_en: "Infrastructure / operations",
        tags: &["night_shift", "sleep", "sitting"],
    },
    Occupation {
        code: "customer_service",
        name_ko: "고객상담",
        name_en: "Customer service",
        tags: &["emotional_stress", "voice", "sitting"],
    },
    Occupation {
        code: "other",
        name_ko: "기타",
        name_en: "Other",
        tags: &["general"],
    },
];

pub fn occupation(code: &str) -> Option<&'static Occupation> {
    OCCUPATIONS.iter().find(|o| o.code == code)
}

impl Occupation {
    pub fn name(&self, language: &str) -> &'static str {
        if language == "en" {
            self.name_en
        } else {
            self.name_ko
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_occupations_as_specified() {
        let codes: Vec<&str> = OCCUPATIONS.iter().map(|o| o.code).collect();
        assert_eq!(
            codes,
            [
                "developer",
                "product_manager",
                "marketing",
                "sales",
                "infra_ops",
                "customer_service",
                "other"
            ]
        );
        assert_eq!(
            occupation("sales").map(|o| o.tags),
            Some(&["eating_out", "drinking", "travel"][..])
        );
        assert_eq!(occupation("developer").map(|o| o.name("ko")), Some("개발"));
        assert!(occupation("astronaut").is_none());
    }
}
