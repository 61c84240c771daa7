//! The `notification` jobs: the day before a trip starts (D-1) its schedule is checked
//! for changes (TRIP-062) and a notice is put on the trip, and its owner gets an e-mail.
//!
//! Scheduling runs inside the worker loop, with no timer of its own: a `scan` job looks
//! for trips whose first day begins within 24 hours, enqueues one `trip` job per trip
//! (idempotency key `notification:d1:{trip}:{start date}`, so a trip is notified once
//! however many replicas scan), then enqueues the next scan for the next 5-minute slot
//! (key `notification:scan:{slot}`, so replicas share one chain of scans). "Now" is the
//! platform clock, so tests move it to the day before a trip.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tripgen_platform::jobs::{
    Job, JobContext, JobError, JobHandler, JobQueue, KIND_NOTIFICATION, NewJob,
};
use tripgen_platform::mail::OutgoingMail;
use uuid::Uuid;

use crate::ports::{AiPorts, NoticeText, TripNotice};
use tripgen_platform::i18n::Language;

/// Time between scans.
pub const SCAN_EVERY: Duration = Duration::from_secs(300);
/// A trip is announced when its first day begins within this window.
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The payload of a `notification` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "task")]
pub enum Notification {
    /// Look for trips starting within a day; enqueue the next scan.
    Scan,
    /// The D-1 check and notice of one trip.
    DayBefore {
        trip_id: Uuid,
        start_date: chrono::NaiveDate,
    },
}

fn slot(now_ms: i64) -> i64 {
    now_ms.div_euclid(SCAN_EVERY.as_millis() as i64)
}

/// Enqueues the scan of the slot after `now_ms` (or of the current slot with
/// `current = true`, at start-up). Idempotent across replicas.
pub async fn schedule_scan(queue: &JobQueue, current: bool) -> anyhow::Result<()> {
    let now = queue.now_ms();
    let s = slot(now) + if current { 0 } else { 1 };
    let payload = serde_json::to_value(Notification::Scan)?;
    let mut job = NewJob::new(KIND_NOTIFICATION, payload, now);
    job.run_at = if current {
        now
    } else {
        s * SCAN_EVERY.as_millis() as i64
    };
    job.dedupe_key = Some(format!("notification:scan:{s}"));
    job.max_attempts = 3;
    queue.enqueue(&job).await?;
    Ok(())
}

/// Subject and body of the D-1 e-mail. Users have no language setting, so the mail is
/// bilingual: English first (the default), then Korean.
pub fn mail_text(name: &str, texts: &[NoticeText]) -> (String, String) {
    let of = |lang| texts.iter().find(|t| t.lang == lang);
    let subject = texts
        .iter()
        .map(|t| t.title.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    let mut body = String::new();
    if let Some(t) = of(Language::En) {
        body.push_str(&format!(
            "Hello {name},\n\n{}\n\nOpen the trip in TripGen to see the details.\n",
            t.message
        ));
    }
    if let Some(t) = of(Language::Ko) {
        if !body.is_empty() {
            body.push_str("\n----\n\n");
        }
        body.push_str(&format!(
            "{name}님, 안녕하세요.\n\n{}\n\nTripGen에서 여행을 열어 자세한 내용을 확인하세요.\n",
            t.message
        ));
    }
    body.push_str("\nMap data © OpenStreetMap contributors, ODbL.\n");
    (subject, body)
}

pub struct NotificationHandler {
    ports: AiPorts,
    queue: JobQueue,
}

impl NotificationHandler {
    pub fn new(ports: AiPorts, queue: JobQueue) -> Self {
        NotificationHandler { ports, queue }
    }

    async fn scan(&self) -> Result<Value, JobError> {
        let now = self.queue.now_ms();
        let trips = self
            .ports
            .trips
            .starting_between(now, now + DAY_MS)
            .await
            .map_err(|e| JobError::Retry(format!("{e:#}")))?;
        let mut queued = 0;
        for t in &trips {
            let payload = serde_json::to_value(Notification::DayBefore {
                trip_id: t.trip_id,
                start_date: t.start_date,
            })
            .map_err(|e| JobError::Permanent(e.to_string()))?;
            let mut job = NewJob::new(KIND_NOTIFICATION, payload, now);
            job.subject = Some(t.trip_id.to_string());
            job.topic = Some("d-1".into());
            job.dedupe_key = Some(format!("notification:d1:{}:{}", t.trip_id, t.start_date));
            job.max_attempts = 5;
            if let tripgen_platform::jobs::Enqueued::Created(_) = self
                .queue
                .enqueue(&job)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?
            {
                queued += 1;
            }
        }
        schedule_scan(&self.queue, false)
            .await
            .map_err(|e| JobError::Retry(format!("{e:#}")))?;
        Ok(json!({ "task": "scan", "starting": trips.len(), "queued": queued }))
    }

    async fn day_before(&self, trip_id: Uuid, start: chrono::NaiveDate) -> Result<Value, JobError> {
        let retry = |e: anyhow::Error| JobError::Retry(format!("{e:#}"));
        let trips = &self.ports.trips;
        let Some(facts) = trips.facts(trip_id).await.map_err(retry)? else {
            return Ok(json!({ "task": "dayBefore", "notified": false, "reason": "trip gone" }));
        };
        let Some(check) = trips.check_changes(trip_id).await.map_err(retry)? else {
            return Ok(json!({ "task": "dayBefore", "notified": false, "reason": "no schedule" }));
        };
        let notice = TripNotice {
            key: format!("d1:{trip_id}:{start}"),
            kind: "d-1".into(),
            params: [("trip".to_string(), facts.name.clone())].into(),
            report: Some(check.report.clone()),
        };
        let stored = trips.notify(trip_id, &notice).await.map_err(retry)?;
        // E-mail only with the first store of the notice: at most one mail per trip and
        // date, even when a retry runs this job again.
        let mut mailed = false;
        if let Some(texts) = &stored
            && let Some((recipients, mailer)) = &self.ports.mail
        {
            match recipients.recipient(facts.owner_id).await {
                Ok(Some(to)) => {
                    let (subject, body) = mail_text(&to.name, texts);
                    match mailer
                        .send(OutgoingMail {
                            to: to.email,
                            subject,
                            body,
                        })
                        .await
                    {
                        Ok(()) => mailed = true,
                        Err(e) => tracing::warn!(error = %e, "cannot send the D-1 e-mail"),
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "cannot look up the trip owner's address"),
            }
        }
        let stored = stored.is_some();
        Ok(json!({
            "task": "dayBefore",
            "notified": stored,
            "mailed": mailed,
            "changed": check.changed,
            "suggestion": check.suggestion,
        }))
    }
}

#[async_trait]
impl JobHandler for NotificationHandler {
    fn kind(&self) -> &'static str {
        KIND_NOTIFICATION
    }

    async fn run(&self, job: &Job, _ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let task: Notification = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("malformed notification payload: {e}")))?;
        let out = match task {
            Notification::Scan => self.scan().await?,
            Notification::DayBefore {
                trip_id,
                start_date,
            } => self.day_before(trip_id, start_date).await?,
        };
        Ok(Some(out))
    }

    async fn dead_lettered(&self, job: &Job, reason: &str) {
        tracing::error!(job = %job.id, reason, "notification job dead-lettered");
        // Keep the scan chain alive even when one scan failed for good.
        if matches!(
            serde_json::from_value::<Notification>(job.payload.clone()),
            Ok(Notification::Scan)
        ) && let Err(e) = schedule_scan(&self.queue, false).await
        {
            tracing::error!(error = %e, "cannot schedule the next notification scan");
        }
    }
}

/// The handler set of the AI context's workers, with the notification jobs.
pub fn handler(ports: AiPorts, queue: JobQueue) -> Arc<dyn JobHandler> {
    Arc::new(NotificationHandler::new(ports, queue))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mail_speaks_english_then_korean() {
        let texts = [
            NoticeText {
                lang: Language::En,
                title: "Seoul starts tomorrow".into(),
                message: "Nothing changed.".into(),
            },
            NoticeText {
                lang: Language::Ko,
                title: "‘Seoul’ 여행이 내일 시작됩니다".into(),
                message: "바뀐 점이 없습니다.".into(),
            },
        ];
        let (subject, body) = mail_text("Ann", &texts);
        assert_eq!(
            subject,
            "Seoul starts tomorrow · ‘Seoul’ 여행이 내일 시작됩니다"
        );
        let en = body.find("Hello Ann").unwrap();
        let ko = body.find("Ann님, 안녕하세요.").unwrap();
        assert!(en < ko && body.contains("바뀐 점이 없습니다.") && body.contains("ODbL"));
    }
}
