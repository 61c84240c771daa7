//! The AI context's recipients port (who gets the D-1 e-mail) backed by the user
//! context's storage (same database in every target that runs workers).

use tripgen_ai::ports::{Recipient, Recipients};
use tripgen_trip::ports::async_trait;
use tripgen_user::repo::UserRepo;
use uuid::Uuid;

pub struct UserRecipients {
    pub repo: UserRepo,
}

#[async_trait]
impl Recipients for UserRecipients {
    async fn recipient(&self, user_id: Uuid) -> anyhow::Result<Option<Recipient>> {
        Ok(self.repo.by_id(user_id).await?.map(|u| Recipient {
            name: u.name,
            email: u.email,
        }))
    }
}
