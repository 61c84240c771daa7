//! In-process adapters around the Intelligence context: the facts it needs from the user
//! and health contexts, and the recommendations port of the goal context.

use std::sync::Arc;

use async_trait::async_trait;
use healthsync_goal::ports::{MissionFacts, Offer, Recommendations};
use healthsync_health::domain::score::penalty;
use healthsync_health::domain::{Group, Interval, RangeTable, Sex, Status, item_by_code};
use healthsync_health::ranges_repo;
use healthsync_health::repo::{CheckupRecord, HealthRepo};
use healthsync_health::service::{stored_groups, stored_items};
use healthsync_intelligence::ports::{CheckupFacts, Facts, FactsState, ItemFact, SubjectFacts};
use healthsync_intelligence::recommendations::{Recommender, render};
use healthsync_user::domain::occupations::occupation;
use healthsync_user::{ProfileFacts, UserService};
use uuid::Uuid;

pub struct LocalFacts {
    pub users: Arc<UserService>,
    pub health: HealthRepo,
}

#[async_trait]
impl SubjectFacts for LocalFacts {
    async fn facts(&self, user_id: Uuid) -> anyhow::Result<FactsState> {
        match self.users.profile_state(user_id).await? {
            ProfileFacts::Unknown => return Ok(FactsState::Unknown),
            ProfileFacts::Incomplete { missing } => return Ok(FactsState::Incomplete(missing)),
            ProfileFacts::Active { .. } => {}
        }
        let Some(user) = self.users.repo.by_id(user_id).await? else {
            return Ok(FactsState::Unknown);
        };
        let code = user.occupation_code.unwrap_or_else(|| "other".into());
        let tags = occupation_tags(&code);
        let checkup = latest_checkup_facts(&self.health, user_id).await?;
        Ok(FactsState::Active(Facts {
            ai_consent: user.ai_consent,
            occupation_code: code,
            occupation_tags: tags,
            checkup,
        }))
    }
}

/// The work-pattern tags of an occupation code (`general` for an unknown one).
pub fn occupation_tags(code: &str) -> Vec<String> {
    occupation(code)
        .map(|o| o.tags.iter().map(|t| t.to_string()).collect())
        .unwrap_or_else(|| vec!["general".to_string()])
}

/// The user's latest checkup as the intelligence context reads it, judged by the latest
/// range table (the health target serves this at `/internal/v1` when split).
pub async fn latest_checkup_facts(
    health: &HealthRepo,
    user_id: Uuid,
) -> anyhow::Result<Option<CheckupFacts>> {
    let Some(c) = health.checkups(user_id).await?.into_iter().next() else {
        return Ok(None);
    };
    let ranges = ranges_repo::latest(&health.db)
        .await?
        .unwrap_or_else(RangeTable::v1);
    Ok(Some(checkup_facts(&c, &ranges)))
}

/// `70–99`, `≤ 119`, `≥ 60`; several intervals joined by ` / `.
fn band_text(list: &[Interval]) -> String {
    list.iter()
        .map(|i| match (i.min, i.max) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (None, Some(b)) => format!("≤ {b}"),
            (Some(a), None) => format!("≥ {a}"),
            (None, None) => "-".into(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// What the intelligence context reads of a judged checkup: items with names, units and
/// the normal band for the user's sex, group statuses and their score penalties.
fn checkup_facts(c: &CheckupRecord, ranges: &RangeTable) -> CheckupFacts {
    let sex = Sex::from_code(c.sex);
    let groups = stored_groups(c);
    let penalties = groups
        .iter()
        .filter_map(|(g, s)| {
            let p = penalty(Group::parse(g)?, Status::parse(s)?);
            Some((g.clone(), p))
        })
        .collect();
    let items = stored_items(c)
        .into_iter()
        .filter_map(|r| {
            let item = item_by_code(&r.code)?;
            let status = r.status?;
            let normal = sex
                .and_then(|s| ranges.bands(&r.code, s))
                .map(|b| band_text(&b.normal))
                .unwrap_or_default();
            Some(ItemFact {
                code: r.code.clone(),
                name_ko: item.name_ko.into(),
                name_en: item.name_en.into(),
                value: r.value,
                unit: item.unit.into(),
                status: status.as_str().into(),
                group: item.group.map(|g| g.as_str()).unwrap_or("shown").into(),
                normal_band: normal,
            })
        })
        .collect();
    CheckupFacts {
        checkup_id: c.id,
        groups,
        risk_level: c.risk_level.clone(),
        health_score: c.health_score,
        reference_year: c.reference_year,
        penalties,
        items,
    }
}

/// The goal context's view of recommendations.
pub struct LocalRecommendations {
    pub recommender: Arc<Recommender>,
}

#[async_trait]
impl Recommendations for LocalRecommendations {
    async fn offer(&self, user_id: Uuid, id: Uuid) -> anyhow::Result<Option<Offer>> {
        let Some(r) = self
            .recommender
            .get(user_id, id)
            .await
            .map_err(anyhow::Error::from)?
        else {
            return Ok(None);
        };
        Ok(Some(Offer {
            created_at: r.created_at,
            missions: r
                .missions()
                .map(|m| MissionFacts {
                    id: m.id.clone(),
                    title_ko: m.title.ko.clone(),
                    title_en: m.title.en.clone(),
                    description_ko: m.description.ko.clone(),
                    description_en: m.description.en.clone(),
                    category: m.category.clone(),
                    difficulty: m.difficulty.clone(),
                    minutes: m.minutes,
                })
                .collect(),
        }))
    }

    async fn after_reset(
        &self,
        user_id: Uuid,
        excluded: &[String],
        language: &str,
    ) -> anyhow::Result<serde_json::Value> {
        let r = self
            .recommender
            .after_reset(user_id, excluded)
            .await
            .map_err(anyhow::Error::from)?;
        Ok(serde_json::to_value(render(&r, language))?)
    }
}
