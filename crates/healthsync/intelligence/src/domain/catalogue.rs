//! The curated mission catalogue (spec §7): a data file in the repository, loaded once.
//! Missions are facts the rules own; a model may only choose among them.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Texts {
    pub ko: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, language: &str) -> &str {
        if language == "en" { &self.en } else { &self.ko }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mission {
    pub id: String,
    /// `exercise`, `diet` or `lifestyle`.
    pub category: String,
    /// `easy`, `medium` or `hard`.
    pub difficulty: String,
    pub minutes: i64,
    /// The nine scoring groups, `general`, `posture`, `stress`, `eyes`, `sleep`.
    pub risk_tags: Vec<String>,
    /// Work-pattern tags of the occupations it suits (HS-USER-040).
    pub occupation_tags: Vec<String>,
    pub title: Texts,
    pub description: Texts,
}

#[derive(Debug, Deserialize)]
struct CatalogueFile {
    version: i64,
    missions: Vec<Mission>,
}

pub struct Catalogue {
    pub version: i64,
    pub missions: Vec<Mission>,
}

const FILE: &str = include_str!("../../data/missions.json");

/// The bundled catalogue. The file is part of the build and checked by tests, so a broken
/// file is a build defect; it still degrades to an empty catalogue rather than a panic.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| match serde_json::from_str::<CatalogueFile>(FILE) {
        Ok(f) => Catalogue {
            version: f.version,
            missions: f.missions,
        },
        Err(e) => {
            tracing::error!(error = %e, "the mission catalogue is unreadable");
            Catalogue {
                version: 0,
                missions: Vec::new(),
            }
        }
    })
}

pub fn mission(id: &str) -> Option<&'static Mission> {
    catalogue().missions.iter().find(|m| m.id == id)
}

pub const CATEGORIES: [&str; 3] = ["exercise", "diet", "lifestyle"];
pub const DIFFICULTIES: [&str; 3] = ["easy", "medium", "hard"];
pub const GROUPS: [&str; 9] = [
    "blood_pressure",
    "blood_sugar",
    "obesity",
    "lipids",
    "liver",
    "kidney",
    "anemia",
    "smoking",
    "drinking",
];
pub const OTHER_RISK_TAGS: [&str; 5] = ["general", "posture", "stress", "eyes", "sleep"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_covers_groups_categories_and_difficulties() {
        let c = catalogue();
        assert!(c.missions.len() >= 40, "{}", c.missions.len());
        let ids: HashSet<&str> = c.missions.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), c.missions.len(), "ids are unique");
        for g in GROUPS {
            let n = c
                .missions
                .iter()
                .filter(|m| m.risk_tags.iter().any(|t| t == g))
                .count();
            assert!(n >= 3, "group {g} has {n} missions");
        }
        for cat in CATEGORIES {
            let n = c.missions.iter().filter(|m| m.category == cat).count();
            assert!(n >= 10, "category {cat} has {n}");
        }
        for d in DIFFICULTIES {
            let n = c.missions.iter().filter(|m| m.difficulty == d).count();
            assert!(n >= 8, "difficulty {d} has {n}");
        }
        for m in &c.missions {
            assert!((5..=30).contains(&m.minutes), "{}", m.id);
            assert!(CATEGORIES.contains(&m.category.as_str()), "{}", m.id);
            assert!(DIFFICULTIES.contains(&m.difficulty.as_str()), "{}", m.id);
            assert!(
                !m.risk_tags.is_empty() && !m.occupation_tags.is_empty(),
                "{}",
                m.id
            );
            for t in &m.risk_tags {
                assert!(
                    GROUPS.contains(&t.as_str()) || OTHER_RISK_TAGS.contains(&t.as_str()),
                    "{}: {t}",
                    m.id
                );
            }
            for s in [
                &m.title.ko,
                &m.title.en,
                &m.description.ko,
                &m.description.en,
            ] {
                assert!(!s.trim().is_empty() && s.chars().count() <= 100, "{}", m.id);
            }
        }
    }
}
