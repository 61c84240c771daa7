//! The same ports as `intelligence.rs`, across targets (split mode): the intelligence
//! target reads subject facts from the user target and the latest checkup from the health
//! target; the goal target reads recommendations from the intelligence target. All over
//! `/internal/v1` with a service token.

use async_trait::async_trait;
use healthsync_goal::ports::{Offer, Recommendations};
use healthsync_intelligence::ports::{CheckupFacts, Facts, FactsState, SubjectFacts};
use healthsync_user::ProfileFacts;
use serde_json::{Value, json};
use tripgen_platform::internal::InternalClient;
use uuid::Uuid;

use super::intelligence::occupation_tags;

pub struct HttpFacts {
    pub user: InternalClient,
    pub health: InternalClient,
}

#[async_trait]
impl SubjectFacts for HttpFacts {
    async fn facts(&self, user_id: Uuid) -> anyhow::Result<FactsState> {
        let subject: Option<healthsync_user::internal::SubjectFacts> = self
            .user
            .get(&format!("/internal/v1/users/{user_id}/subject"))
            .await?;
        let Some(subject) = subject else {
            return Ok(FactsState::Unknown);
        };
        match subject.profile {
            ProfileFacts::Unknown => return Ok(FactsState::Unknown),
            ProfileFacts::Incomplete { missing } => return Ok(FactsState::Incomplete(missing)),
            ProfileFacts::Active { .. } => {}
        }
        let checkup: Option<CheckupFacts> = self
            .health
            .get(&format!(
                "/internal/v1/health/users/{user_id}/checkup-facts"
            ))
            .await?;
        let code = subject.occupation_code.unwrap_or_else(|| "other".into());
        Ok(FactsState::Active(Facts {
            ai_consent: subject.ai_consent,
            occupation_tags: occupation_tags(&code),
            occupation_code: code,
            checkup,
        }))
    }
}

pub struct HttpRecommendations {
    pub intelligence: InternalClient,
}

#[async_trait]
impl Recommendations for HttpRecommendations {
    async fn offer(&self, user_id: Uuid, id: Uuid) -> anyhow::Result<Option<Offer>> {
        Ok(self
            .intelligence
            .get(&format!(
                "/internal/v1/intelligence/users/{user_id}/recommendations/{id}/offer"
            ))
            .await?)
    }

    async fn after_reset(
        &self,
        user_id: Uuid,
        excluded: &[String],
        language: &str,
    ) -> anyhow::Result<Value> {
        let body = json!({ "excluded": excluded, "language": language });
        let answer: Option<Value> = self
            .intelligence
            .call(
                reqwest::Method::POST,
                &format!("/internal/v1/intelligence/users/{user_id}/recommendations/after-reset"),
                Some(&body),
            )
            .await?;
        answer.ok_or_else(|| anyhow::anyhow!("the intelligence target has no after-reset route"))
    }
}
