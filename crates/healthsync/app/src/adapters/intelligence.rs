//! In-process adapters around the Intelligence context: the facts it needs from the user
//! and health contexts, and the recommendations port of the goal context.

use std::sync::Arc;

use async_trait::async_trait;
use healthsync_goal::ports::{MissionFacts, Offer, Recommendations};
use healthsync_health::repo::HealthRepo;
use healthsync_health::service::stored_groups;
use healthsync_intelligence::ports::{CheckupFacts, Facts, FactsState, SubjectFacts};
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
        let tags = occupation(&code)
            .map(|o| o.tags.iter().map(|t| t.to_string()).collect())
            .unwrap_or_else(|| vec!["general".to_string()]);
        let checkup = self
            .health
            .checkups(user_id)
            .await?
            .into_iter()
            .next()
            .map(|c| CheckupFacts {
                checkup_id: c.id,
                groups: stored_groups(&c),
                risk_level: c.risk_level.clone(),
            });
        Ok(FactsState::Active(Facts {
            occupation_code: code,
            occupation_tags: tags,
            checkup,
        }))
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
