//! The batch's bulk view of the goal and user contexts across targets (split mode): goal
//! windows from the goal target, recipients from the user target, over `/internal/v1`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use healthsync_goal::internal::Window;
use healthsync_intelligence::batch::lagging::UserWindow;
use healthsync_intelligence::batch::ports::{BatchSource, Recipient};
use healthsync_user::repo::RecipientRow;
use tripgen_platform::internal::InternalClient;
use uuid::Uuid;

use super::batch::{assemble, recipient};

pub struct HttpBatchSource {
    pub goal: InternalClient,
    pub user: InternalClient,
}

impl HttpBatchSource {
    async fn window(&self, path: &str) -> anyhow::Result<Vec<UserWindow>> {
        let w: Option<Window> = self.goal.get(path).await?;
        let w = w.ok_or_else(|| anyhow::anyhow!("the goal target has no windows route"))?;
        Ok(assemble(w.goals, w.completions))
    }
}

#[async_trait]
impl BatchSource for HttpBatchSource {
    async fn windows(&self, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<UserWindow>> {
        self.window(&format!("/internal/v1/goals/windows?from={from}&to={to}"))
            .await
    }

    async fn user_window(
        &self,
        user_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> anyhow::Result<Option<UserWindow>> {
        Ok(self
            .window(&format!(
                "/internal/v1/goals/users/{user_id}/window?from={from}&to={to}"
            ))
            .await?
            .into_iter()
            .next())
    }

    async fn recipients(&self) -> anyhow::Result<HashMap<Uuid, Recipient>> {
        let rows: Option<Vec<RecipientRow>> =
            self.user.get("/internal/v1/users/recipients").await?;
        let rows =
            rows.ok_or_else(|| anyhow::anyhow!("the user target has no recipients route"))?;
        Ok(rows.into_iter().map(recipient).collect())
    }
}
