//! What the Health context needs from others, as ports: the user's profile (from the User
//! context, in-process in `all`, over `/internal/v1` otherwise).

use async_trait::async_trait;
use uuid::Uuid;

use crate::service::Subject;

/// The profile as the health context sees it.
#[derive(Debug, Clone)]
pub enum ProfileState {
    /// An `active` profile: sex and birth date known, consent given.
    Active(Subject),
    /// Not complete yet: the missing fields (`name`, `birthDate`, `sex`, …).
    Incomplete { missing: Vec<String> },
    /// No such user (deleted).
    Unknown,
}

#[async_trait]
pub trait Profiles: Send + Sync + 'static {
    async fn profile(&self, user_id: Uuid) -> anyhow::Result<ProfileState>;
}
