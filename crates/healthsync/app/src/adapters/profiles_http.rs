//! The same two ports as `profiles.rs`, across targets (split mode): the health target asks
//! the user target for profile facts, the user target tells the health target to drop a
//! link, both over `/internal/v1` with a service token.

use async_trait::async_trait;
use healthsync_health::ports::{ProfileState, Profiles};
use healthsync_user::ProfileFacts;
use healthsync_user::service::ProfileChanged;
use tripgen_platform::internal::InternalClient;
use uuid::Uuid;

use super::profiles::profile_state;

pub struct HttpProfiles {
    pub user: InternalClient,
}

#[async_trait]
impl Profiles for HttpProfiles {
    async fn profile(&self, user_id: Uuid) -> anyhow::Result<ProfileState> {
        let facts: Option<ProfileFacts> = self
            .user
            .get(&format!("/internal/v1/users/{user_id}/profile-facts"))
            .await?;
        Ok(profile_state(
            user_id,
            facts.unwrap_or(ProfileFacts::Unknown),
        ))
    }
}

pub struct HttpRelink {
    pub health: InternalClient,
}

#[async_trait]
impl ProfileChanged for HttpRelink {
    async fn relink(&self, user_id: Uuid) -> anyhow::Result<()> {
        self.health
            .delete(&format!("/internal/v1/health/users/{user_id}/link"))
            .await?;
        Ok(())
    }
}
