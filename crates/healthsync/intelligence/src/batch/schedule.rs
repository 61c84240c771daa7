//! The schedule (`batch.cron`, local time in `app.time_zone`): each replica running the
//! batch enqueues the day's job keyed `daily-nudge:<date>` once the time has come; the
//! durable queue deduplicates the key and hands the job to one worker, which runs it under
//! the lease. A killed run's job is retried after the lease lapses and fills the gaps.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde_json::{Value, json};
use tripgen_platform::SharedClock;
use tripgen_platform::jobs::{Job, JobContext, JobError, JobHandler, JobQueue, NewJob};
use uuid::Uuid;

use super::run::{BatchRunner, RunError};

pub const JOB_KIND: &str = "daily-nudge";

/// `0 M H * * *` (seconds, minutes, hours, then every day) → the local time of day. Other
/// cron shapes are refused: the nudge runs once a day.
pub fn daily_time(cron: &str) -> Option<NaiveTime> {
    let f: Vec<&str> = cron.split_whitespace().collect();
    match f.as_slice() {
        [s, m, h, "*", "*", "*"] => {
            NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, s.parse().ok()?)
        }
        _ => None,
    }
}

/// `HH:MM` → a time of day.
pub fn time_of_day(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// The job of a run date (deduplicated by its key).
pub fn job(run_date: NaiveDate, now_ms: i64) -> (Uuid, NewJob) {
    let run_id = Uuid::now_v7();
    let mut j = NewJob::new(
        JOB_KIND,
        json!({ "runDate": run_date.to_string(), "runId": run_id }),
        now_ms,
    );
    j.dedupe_key = Some(format!("{JOB_KIND}:{run_date}"));
    j.max_attempts = 10;
    (run_id, j)
}

/// Enqueues today's job once the configured time has passed (checked every 30 s).
pub fn spawn_scheduler(queue: JobQueue, clock: SharedClock, tz: Tz, at: NaiveTime) {
    tokio::spawn(async move {
        loop {
            let now = clock.now();
            let local = now.with_timezone(&tz);
            if local.time() >= at {
                let (_, j) = job(local.date_naive(), queue.now_ms());
                if let Err(e) = queue.enqueue(&j).await {
                    tracing::warn!(error = %e, "could not enqueue the daily nudge");
                }
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    });
}

pub struct DailyNudgeJob {
    pub runner: Arc<BatchRunner>,
}

#[async_trait]
impl JobHandler for DailyNudgeJob {
    fn kind(&self) -> &'static str {
        JOB_KIND
    }

    async fn run(&self, job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let date = job.payload["runDate"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| JobError::Permanent("daily-nudge without runDate".into()))?;
        let run_id = job.payload["runId"]
            .as_str()
            .and_then(|r| Uuid::parse_str(r).ok())
            .unwrap_or_else(Uuid::now_v7);
        match self.runner.run(date, run_id).await {
            Ok(row) => Ok(Some(json!({ "runId": row.id, "notified": row.notified }))),
            Err(RunError::LeaseHeld) => Err(JobError::Retry("lease held by another worker".into())),
            Err(RunError::Other(e)) => Err(JobError::Retry(format!("{e:#}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_cron_only() {
        assert_eq!(daily_time("0 0 9 * * *"), NaiveTime::from_hms_opt(9, 0, 0));
        assert_eq!(
            daily_time("0 30 18 * * *"),
            NaiveTime::from_hms_opt(18, 30, 0)
        );
        assert_eq!(daily_time("0 0 9 * * 1"), None);
        assert_eq!(daily_time("0 0 25 * * *"), None);
        assert_eq!(time_of_day("18:00"), NaiveTime::from_hms_opt(18, 0, 0));
    }
}
