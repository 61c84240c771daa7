//! The embedded default's analytics stream: an append-only JSON-lines file per UTC day,
//! `data-dir/events/analytics-YYYY-MM-DD.jsonl`, files older than `retention_days` deleted
//! (checked once per day of writing).

use std::collections::BTreeMap;
use std::path::PathBuf;

use async_trait::async_trait;
use chrono::NaiveDate;
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;
use tripgen_platform::SharedClock;

use super::{AnalyticsEvent, AnalyticsSink};

pub struct FileLog {
    pub dir: PathBuf,
    pub retention_days: u32,
    pub clock: SharedClock,
    /// The day retention was last applied.
    pruned: Mutex<Option<NaiveDate>>,
}

impl FileLog {
    pub fn new(dir: PathBuf, retention_days: u32, clock: SharedClock) -> FileLog {
        FileLog {
            dir,
            retention_days,
            clock,
            pruned: Mutex::new(None),
        }
    }

    pub fn file_of(&self, day: NaiveDate) -> PathBuf {
        self.dir.join(format!("analytics-{day}.jsonl"))
    }

    /// Deletes the day files older than the retention window (by the date in their name).
    async fn prune(&self, today: NaiveDate) -> std::io::Result<()> {
        let oldest = today - chrono::Days::new(u64::from(self.retention_days));
        let mut entries = tokio::fs::read_dir(&self.dir).await?;
        while let Some(entry) = entries.next_entry().await? {
            let name = entry.file_name();
            let Some(day) = name
                .to_str()
                .and_then(|n| n.strip_prefix("analytics-"))
                .and_then(|n| n.strip_suffix(".jsonl"))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            else {
                continue;
            };
            if day < oldest {
                tokio::fs::remove_file(entry.path()).await?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl AnalyticsSink for FileLog {
    fn describe(&self) -> String {
        format!("file {}", self.dir.display())
    }

    async fn send(&self, batch: &[AnalyticsEvent]) -> anyhow::Result<()> {
        let today = self.clock.now().date_naive();
        tokio::fs::create_dir_all(&self.dir).await?;
        // Grouped by the event's own UTC day (a late event lands in its day's file).
        let mut by_day: BTreeMap<NaiveDate, Vec<u8>> = BTreeMap::new();
        for e in batch {
            let day =
                e.at.get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .unwrap_or(today);
            let buf = by_day.entry(day).or_default();
            serde_json::to_writer(&mut *buf, e)?;
            buf.push(b'\n');
        }
        for (day, lines) in by_day {
            let mut f = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.file_of(day))
                .await?;
            f.write_all(&lines).await?;
            f.flush().await?;
        }
        let mut pruned = self.pruned.lock().await;
        if *pruned != Some(today) {
            self.prune(today).await?;
            *pruned = Some(today);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};
    use serde_json::Map;
    use tripgen_platform::clock::ManualClock;

    use super::*;

    fn event(at: &str) -> AnalyticsEvent {
        AnalyticsEvent {
            type_: "goal-set".into(),
            at: at.into(),
            user_key: Some("k".into()),
            fields: Map::new(),
        }
    }

    #[tokio::test]
    async fn appends_per_day_and_deletes_files_past_retention() {
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2027, 3, 31, 12, 0, 0).unwrap());
        let old = dir.path().join("analytics-2027-02-28.jsonl");
        let kept = dir.path().join("analytics-2027-03-01.jsonl");
        std::fs::write(&old, "{}\n").expect("write");
        std::fs::write(&kept, "{}\n").expect("write");
        let log = FileLog::new(dir.path().to_path_buf(), 30, Arc::new(clock));
        log.send(&[
            event("2027-03-31T01:00:00.000Z"),
            event("2027-03-30T23:59:59.000Z"),
        ])
        .await
        .expect("sent");
        log.send(&[event("2027-03-31T02:00:00.000Z")])
            .await
            .expect("sent");
        let today = std::fs::read_to_string(dir.path().join("analytics-2027-03-31.jsonl"))
            .expect("today's file");
        assert_eq!(today.lines().count(), 2);
        let line: AnalyticsEvent =
            serde_json::from_str(today.lines().next().unwrap_or("")).expect("json line");
        assert_eq!(line.type_, "goal-set");
        assert!(dir.path().join("analytics-2027-03-30.jsonl").exists());
        assert!(!old.exists(), "older than 30 days: deleted");
        assert!(kept.exists(), "30 days old: kept");
    }
}
