//! The batch's bulk view of the goal and user contexts (in-process).

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::NaiveDate;
use healthsync_goal::repo::GoalRepo;
use healthsync_intelligence::batch::lagging::{GoalSpan, UserWindow};
use healthsync_intelligence::batch::ports::{BatchSource, Recipient};
use healthsync_user::repo::{RecipientRow, UserRepo};
use uuid::Uuid;

pub struct LocalBatchSource {
    pub goals: GoalRepo,
    pub users: UserRepo,
}

fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[async_trait]
impl BatchSource for LocalBatchSource {
    async fn windows(&self, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Vec<UserWindow>> {
        let (f, t) = (from.to_string(), to.to_string());
        let rows = self.goals.window_goals(&f, &t).await?;
        let completions = self.goals.window_completions(&f, &t).await?;
        Ok(assemble(rows, completions))
    }

    async fn user_window(
        &self,
        user_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> anyhow::Result<Option<UserWindow>> {
        let (f, t) = (from.to_string(), to.to_string());
        let rows = self.goals.user_window_goals(user_id, &f, &t).await?;
        let completions: Vec<_> = self
            .goals
            .completions_between(user_id, &f, &t)
            .await?
            .into_iter()
            .map(|c| (user_id, c.mission_id, c.date))
            .collect();
        Ok(assemble(rows, completions).into_iter().next())
    }

    async fn recipients(&self) -> anyhow::Result<HashMap<Uuid, Recipient>> {
        Ok(self
            .users
            .recipients()
            .await?
            .into_iter()
            .map(recipient)
            .collect())
    }
}

/// A user row as the batch reads it.
pub(crate) fn recipient(r: RecipientRow) -> (Uuid, Recipient) {
    (
        r.id,
        Recipient {
            active: r.status == "active",
            notifications_enabled: r.notifications_enabled,
            language: r.language,
            occupation_code: r.occupation_code.unwrap_or_else(|| "other".into()),
        },
    )
}

/// Groups goal-mission rows and completions into one window per user.
pub(crate) fn assemble(
    rows: Vec<healthsync_goal::repo::WindowGoalRow>,
    completions: Vec<(Uuid, String, String)>,
) -> Vec<UserWindow> {
    let mut by_user: BTreeMap<Uuid, UserWindow> = BTreeMap::new();
    let mut goal_index: HashMap<Uuid, (Uuid, usize)> = HashMap::new();
    for r in rows {
        let w = by_user.entry(r.user_id).or_insert_with(|| UserWindow {
            user_id: r.user_id,
            goals: Vec::new(),
            completions: Vec::new(),
        });
        let i = match goal_index.get(&r.goal_id) {
            Some((_, i)) => *i,
            None => {
                let Some(start) = day(&r.start_date) else {
                    continue;
                };
                w.goals.push(GoalSpan {
                    start,
                    end: r.end_date.as_deref().and_then(day),
                    missions: Vec::new(),
                });
                let i = w.goals.len() - 1;
                goal_index.insert(r.goal_id, (r.user_id, i));
                i
            }
        };
        if let Some(g) = w.goals.get_mut(i) {
            g.missions.push((r.mission_id, r.title_ko, r.title_en));
        }
    }
    for (user, mission, date) in completions {
        if let (Some(w), Some(d)) = (by_user.get_mut(&user), day(&date)) {
            w.completions.push((mission, d));
        }
    }
    by_user.into_values().collect()
}
