//! The batch's bulk view of the goal and user contexts across targets (split mode): goal
//! windows from the goal target, recipients from the user target, over `/internal/v1`,
//! both read in pages of [`PAGE_USERS`] users (keyset by user id), so no answer grows with
//! the user count (100,000 users: 100 pages of each).

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

/// Users per page of the internal bulk reads.
pub const PAGE_USERS: u32 = 1_000;

pub struct HttpBatchSource {
    pub goal: InternalClient,
    pub user: InternalClient,
}

impl HttpBatchSource {
    async fn window(&self, path: &str) -> anyhow::Result<Window> {
        let w: Option<Window> = self.goal.get(path).await?;
        w.ok_or_else(|| anyhow::anyhow!("the goal target has no windows route"))
    }
}

#[async_trait]
impl BatchSource for HttpBatchSource {
    async fn windows(&self, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<UserWindow>> {
        let mut out = Vec::new();
        let mut after: Option<Uuid> = None;
        loop {
            let mut path =
                format!("/internal/v1/goals/windows?from={from}&to={to}&limit={PAGE_USERS}");
            if let Some(a) = after {
                path.push_str(&format!("&after={a}"));
            }
            let page = self.window(&path).await?;
            // A page's users all sort after the previous page's: appending keeps one
            // window per user.
            out.extend(assemble(page.goals, page.completions));
            match page.next {
                Some(next) if Some(next) != after => after = Some(next),
                _ => return Ok(out),
            }
        }
    }

    async fn user_window(
        &self,
        user_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> anyhow::Result<Option<UserWindow>> {
        let w = self
            .window(&format!(
                "/internal/v1/goals/users/{user_id}/window?from={from}&to={to}"
            ))
            .await?;
        Ok(assemble(w.goals, w.completions).into_iter().next())
    }

    async fn recipients(&self) -> anyhow::Result<HashMap<Uuid, Recipient>> {
        let mut out = HashMap::new();
        let mut after: Option<Uuid> = None;
        loop {
            let mut path = format!("/internal/v1/users/recipients?limit={PAGE_USERS}");
            if let Some(a) = after {
                path.push_str(&format!("&after={a}"));
            }
            let rows: Option<Vec<RecipientRow>> = self.user.get(&path).await?;
            let rows =
                rows.ok_or_else(|| anyhow::anyhow!("the user target has no recipients route"))?;
            let full = rows.len() as u64 >= u64::from(PAGE_USERS);
            let last = rows.last().map(|r| r.id);
            out.extend(rows.into_iter().map(recipient));
            match last {
                Some(l) if full && Some(l) != after => after = Some(l),
                _ => return Ok(out),
            }
        }
    }
}
