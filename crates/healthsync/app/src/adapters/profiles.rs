//! The health context's `Profiles` port and the user context's `ProfileChanged` listener,
//! in-process.

use std::sync::Arc;

use async_trait::async_trait;
use healthsync_health::domain::Sex;
use healthsync_health::ports::{ProfileState, Profiles};
use healthsync_health::repo::HealthRepo;
use healthsync_health::service::Subject;
use healthsync_user::service::ProfileChanged;
use healthsync_user::{ProfileFacts, UserService};
use uuid::Uuid;

pub struct LocalProfiles {
    pub users: Arc<UserService>,
}

#[async_trait]
impl Profiles for LocalProfiles {
    async fn profile(&self, user_id: Uuid) -> anyhow::Result<ProfileState> {
        Ok(profile_state(
            user_id,
            self.users.profile_state(user_id).await?,
        ))
    }
}

/// The user context's facts as the health context's port states them.
pub fn profile_state(user_id: Uuid, facts: ProfileFacts) -> ProfileState {
    match facts {
        ProfileFacts::Active {
            issuer,
            subject,
            sex,
            birth_date,
        } => match Sex::parse(&sex) {
            Some(sex) => ProfileState::Active(Subject {
                user_id,
                oidc_issuer: issuer,
                oidc_subject: subject,
                sex,
                birth_date,
            }),
            None => ProfileState::Incomplete {
                missing: vec!["sex".into()],
            },
        },
        ProfileFacts::Incomplete { missing } => ProfileState::Incomplete { missing },
        ProfileFacts::Unknown => ProfileState::Unknown,
    }
}

/// A change of sex or birth date drops the link and the derived checkups (HS-USER-020).
pub struct HealthRelink {
    pub repo: HealthRepo,
}

#[async_trait]
impl ProfileChanged for HealthRelink {
    async fn relink(&self, user_id: Uuid) -> anyhow::Result<()> {
        Ok(self.repo.forget_link(user_id).await?)
    }
}
