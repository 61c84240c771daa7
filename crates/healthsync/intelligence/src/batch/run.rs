//! One run of the daily nudge for a run date: under the lease `daily-nudge:<date>`
//! (60 s, renewed after every page), evaluate every user with a goal, notify the lagging
//! ones by descending urgency score in pages of 1,000, and keep the report current.
//! Nudges are unique per (user, day), so a resumed or repeated run only fills gaps.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde_json::json;
use tripgen_platform::SharedClock;
use tripgen_platform::clock::to_millis;
use uuid::Uuid;

use super::lagging::assess;
use super::ports::BatchSource;
use super::repo::{BatchRunRow, Nudge};
use super::templates::{render, template};
use crate::repo::IntelligenceRepo;

pub const PAGE: usize = 1_000;
pub const LEASE_SECS: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("another worker holds the lease for this date")]
    LeaseHeld,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub struct BatchRunner {
    pub repo: IntelligenceRepo,
    pub source: Arc<dyn BatchSource>,
    pub clock: SharedClock,
    pub time_zone: Tz,
    pub same_day_after: NaiveTime,
    /// This process, as lease owner.
    pub owner: String,
}

pub fn lease_name(date: NaiveDate) -> String {
    format!("daily-nudge:{date}")
}

impl BatchRunner {
    /// The evaluated day: the run date if the run starts on it at or after
    /// `same_day_after`, else the day before.
    pub fn evaluated_day(&self, run_date: NaiveDate) -> NaiveDate {
        let local = self.clock.now().with_timezone(&self.time_zone);
        if local.date_naive() == run_date && local.time() >= self.same_day_after {
            run_date
        } else {
            run_date - Duration::days(1)
        }
    }

    pub async fn run(&self, run_date: NaiveDate, run_id: Uuid) -> Result<BatchRunRow, RunError> {
        let lease = lease_name(run_date);
        let now = self.clock.now();
        let until = |t| to_millis(t) + LEASE_SECS * 1000;
        let took = self
            .repo
            .take_lease(&lease, &self.owner, to_millis(now), until(now))
            .await
            .map_err(anyhow::Error::from)?;
        if !took {
            return Err(RunError::LeaseHeld);
        }
        let e = self.evaluated_day(run_date);
        let mut row = BatchRunRow {
            id: run_id,
            run_date: run_date.to_string(),
            evaluated_day: e.to_string(),
            state: "running".into(),
            started_at: to_millis(now),
            finished_at: None,
            candidates: 0,
            lagging: 0,
            notified: 0,
            skipped: 0,
            failed: 0,
            ai_templates: 0,
            fallback_templates: 0,
            error: None,
        };
        self.repo
            .save_run(&row)
            .await
            .map_err(anyhow::Error::from)?;
        let started = Instant::now();
        let outcome = self
            .evaluate_and_notify(run_date, e, &mut row, &lease)
            .await;
        row.finished_at = Some(to_millis(self.clock.now()));
        match &outcome {
            Ok(()) => row.state = "succeeded".into(),
            Err(err) => {
                row.state = "failed".into();
                row.error = Some(format!("{err:#}"));
            }
        }
        self.repo
            .save_run(&row)
            .await
            .map_err(anyhow::Error::from)?;
        if let Err(err) = self.repo.release_lease(&lease, &self.owner).await {
            tracing::warn!(error = %err, "batch lease release failed (it expires by itself)");
        }
        tracing::info!(
            run_date = %row.run_date, evaluated = %row.evaluated_day, state = %row.state,
            candidates = row.candidates, lagging = row.lagging, notified = row.notified,
            skipped = row.skipped, failed = row.failed, ai_templates = row.ai_templates,
            fallback_templates = row.fallback_templates,
            seconds = started.elapsed().as_secs_f64(), "daily nudge run"
        );
        outcome?;
        Ok(row)
    }

    async fn evaluate_and_notify(
        &self,
        run_date: NaiveDate,
        e: NaiveDate,
        row: &mut BatchRunRow,
        lease: &str,
    ) -> anyhow::Result<()> {
        let windows = self.source.windows(e - Duration::days(6), e).await?;
        let recipients = self.source.recipients().await?;
        let assessed: Vec<_> = windows
            .iter()
            .filter_map(|w| assess(w, e, run_date))
            .collect();
        row.candidates = assessed.len() as i64;
        let mut lagging: Vec<_> = assessed.into_iter().filter(|a| a.lagging).collect();
        metrics::counter!("healthsync_batch_users_total", "outcome" => "on_track")
            .increment((row.candidates as u64).saturating_sub(lagging.len() as u64));
        row.lagging = lagging.len() as i64;
        lagging.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.user_id.cmp(&b.user_id)));
        // One template per (urgency, motivation, occupation, language) group. The rules
        // write them here; a model-written template per group plugs in at this point.
        let mut templates: HashMap<(&str, &str, String, String), String> = HashMap::new();
        let date = run_date.to_string();
        for page in lagging.chunks(PAGE) {
            let mut nudges = Vec::with_capacity(page.len());
            let mut skipped = 0i64;
            for a in page {
                let Some(r) = recipients.get(&a.user_id).filter(|r| r.active) else {
                    skipped += 1;
                    continue;
                };
                if !r.notifications_enabled {
                    skipped += 1;
                    continue;
                }
                let key = (
                    a.urgency,
                    a.motivation,
                    r.occupation_code.clone(),
                    r.language.clone(),
                );
                let t = templates
                    .entry(key)
                    .or_insert_with(|| template(a.urgency, a.motivation, &r.language));
                let mission = if r.language == "en" {
                    &a.mission.1
                } else {
                    &a.mission.0
                };
                let rate = (a.rate * 100.0).round() as i64;
                nudges.push(Nudge {
                    user_id: a.user_id,
                    params: json!({
                        "text": render(t, mission, rate),
                        "missionKo": a.mission.0, "missionEn": a.mission.1, "rate": rate,
                    })
                    .to_string(),
                    urgency: a.urgency,
                    motivation: a.motivation,
                });
            }
            let now = self.clock.now();
            let attempted = nudges.len() as i64;
            match self
                .repo
                .insert_nudges(&date, &nudges, to_millis(now))
                .await
            {
                Ok(n) => {
                    row.notified += n as i64;
                    // Already notified by an earlier (killed or repeated) run.
                    skipped += attempted - n as i64;
                }
                Err(err) => {
                    tracing::warn!(error = %err, "a page of nudges failed");
                    row.failed += attempted;
                }
            }
            row.skipped += skipped;
            row.fallback_templates = templates.len() as i64;
            let renewed = self
                .repo
                .take_lease(
                    lease,
                    &self.owner,
                    to_millis(now),
                    to_millis(now) + LEASE_SECS * 1000,
                )
                .await?;
            anyhow::ensure!(renewed, "lost the batch lease");
            self.repo.save_run(row).await?;
        }
        let by: BTreeMap<&str, i64> = BTreeMap::from([
            ("notified", row.notified),
            ("skipped", row.skipped),
            ("failed", row.failed),
        ]);
        for (outcome, n) in by {
            metrics::counter!("healthsync_batch_users_total", "outcome" => outcome)
                .increment(n.max(0) as u64);
        }
        Ok(())
    }
}
