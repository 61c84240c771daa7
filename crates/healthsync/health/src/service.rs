//! Health use cases: sync (link + judge), latest, one checkup, history (HS-HEALTH-010…030).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::Db;
use tripgen_platform::jobs::event::DomainEvent;
use uuid::Uuid;

use crate::domain::link::{RULE, band_for, choose_band, sample_notice, stand_in_index};
use crate::domain::{Evaluation, ItemResult, Measurements, RangeTable, Sex, evaluate};
use crate::ranges_repo;
use crate::repo::{CheckupRecord, HealthRepo, LinkRow, SourceRow, instant, now_ms};

/// Who the health context works for: what it needs of the user's profile.
#[derive(Debug, Clone)]
pub struct Subject {
    pub user_id: Uuid,
    pub oidc_issuer: String,
    pub oidc_subject: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    #[error("no checkup row matches this profile")]
    CheckupNotFound,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// The link as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LinkInfo {
    pub source: String,
    pub dataset: String,
    pub reference_year: i64,
    pub matched_sex: String,
    pub matched_age_band: i64,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SyncOutcome {
    /// Years (re)processed by this sync.
    pub processed: Vec<i64>,
    pub checkup_ids: Vec<Uuid>,
    pub records: usize,
    pub latest_year: Option<i64>,
    pub synced_at: DateTime<Utc>,
    pub link: LinkRow,
    pub latest: Option<CheckupRecord>,
}

pub const EVENT_HEALTH_SYNCED: &str = "health-synced";

pub struct HealthService {
    pub repo: HealthRepo,
    pub link_dataset: Option<String>,
}

fn source_of(dataset: &str) -> &'static str {
    if dataset == "sample" {
        "sample"
    } else {
        "nhis"
    }
}

impl HealthService {
    pub fn new(db: Db, link_dataset: Option<String>) -> Self {
        HealthService {
            repo: HealthRepo::new(db),
            link_dataset,
        }
    }

    pub async fn ranges(&self) -> Result<RangeTable, HealthError> {
        ranges_repo::latest(&self.repo.db)
            .await?
            .ok_or_else(|| HealthError::Other(anyhow::anyhow!("normal_ranges is empty")))
    }

    /// Whether the stand-in rule would now choose another sex or age band than the link's.
    async fn is_stale(&self, link: &LinkRow, s: &Subject) -> Result<bool, HealthError> {
        let sex = s.sex.code();
        if link.matched_sex != sex {
            return Ok(true);
        }
        let Some(own) = i32::try_from(link.reference_year)
            .ok()
            .and_then(|y| band_for(s.birth_date, y))
        else {
            return Ok(false);
        };
        if own == link.matched_age_band {
            return Ok(false);
        }
        let available = self
            .repo
            .bands(&link.dataset, link.reference_year, sex)
            .await?;
        Ok(choose_band(own, &available) != Some(link.matched_age_band))
    }

    /// The user's link, created by the stand-in rule on first use (§4.4); made again when
    /// the profile's sex or age band no longer match it.
    pub async fn ensure_link(
        &self,
        s: &Subject,
        now: DateTime<Utc>,
    ) -> Result<LinkRow, HealthError> {
        if let Some(link) = self.repo.link(s.user_id).await? {
            if !self.is_stale(&link, s).await? {
                return Ok(link);
            }
            // The profile changed and the user context's notice did not get here (split
            // targets, the health target down at that moment): relink now, as it would have.
            self.repo.forget_link(s.user_id).await?;
        }
        let (dataset, year) = self
            .repo
            .link_dataset(self.link_dataset.as_deref())
            .await?
            .ok_or(HealthError::CheckupNotFound)?;
        let own = i32::try_from(year)
            .ok()
            .and_then(|y| band_for(s.birth_date, y))
            .ok_or(HealthError::CheckupNotFound)?;
        let sex = s.sex.code();
        let available = self.repo.bands(&dataset, year, sex).await?;
        let band = choose_band(own, &available).ok_or(HealthError::CheckupNotFound)?;
        let count = self.repo.candidate_count(&dataset, year, sex, band).await?;
        let index = stand_in_index(
            &s.oidc_issuer,
            &s.oidc_subject,
            u64::try_from(count).unwrap_or(0),
        )
        .and_then(|i| i64::try_from(i).ok())
        .ok_or(HealthError::CheckupNotFound)?;
        let serial = self
            .repo
            .candidate_at(&dataset, year, sex, band, index)
            .await?
            .ok_or(HealthError::CheckupNotFound)?;
        let link = LinkRow {
            user_id: s.user_id,
            dataset,
            member_serial: serial,
            rule: RULE.into(),
            matched_sex: sex,
            matched_age_band: band,
            reference_year: year,
            linked_at: now_ms(now),
        };
        self.repo.save_link(&link).await?;
        Ok(link)
    }

    /// HS-HEALTH-010: (re)processes every year that has no record, whose source row
    /// changed, or that was judged with an older range version.
    pub async fn sync(&self, s: &Subject, now: DateTime<Utc>) -> Result<SyncOutcome, HealthError> {
        let link = self.ensure_link(s, now).await?;
        let rows = self
            .repo
            .person_rows(&link.dataset, link.member_serial)
            .await?;
        if rows.is_empty() {
            return Err(HealthError::CheckupNotFound);
        }
        let ranges = self.ranges().await?;
        let existing: BTreeMap<i64, CheckupRecord> = self
            .repo
            .checkups(s.user_id)
            .await?
            .into_iter()
            .map(|c| (c.reference_year, c))
            .collect();
        let mut processed = Vec::new();
        let mut ids = Vec::new();
        let mut records = Vec::new();
        for row in &rows {
            let old = existing.get(&row.reference_year);
            let fresh = old
                .is_some_and(|c| c.row_hash == row.row_hash && c.ranges_version >= ranges.version);
            if fresh {
                continue;
            }
            let record = judge(row, &ranges, s.user_id, old.map(|c| c.id), now)?;
            processed.push(row.reference_year);
            ids.push(record.id);
            records.push(record);
        }
        if !records.is_empty() {
            // Newest year first: the first judged record is the latest when it is new.
            let latest_risk = match (records.first(), existing.values().next_back()) {
                (Some(r), Some(e)) if e.reference_year > r.reference_year => e.risk_level.clone(),
                (Some(r), _) => r.risk_level.clone(),
                (None, _) => String::new(),
            };
            let event = DomainEvent::new(
                EVENT_HEALTH_SYNCED,
                Some(s.user_id),
                serde_json::json!({
                    "checkupIds": ids,
                    "latestYear": rows.first().map(|r| r.reference_year),
                    "riskLevel": latest_risk,
                }),
                now,
            );
            self.repo.save_sync(&records, &event).await?;
            tripgen_platform::jobs::wake_workers();
        }
        let latest = self.repo.checkups(s.user_id).await?.into_iter().next();
        Ok(SyncOutcome {
            processed,
            checkup_ids: ids,
            records: rows.len(),
            latest_year: rows.first().map(|r| r.reference_year),
            synced_at: now,
            link,
            latest,
        })
    }

    pub fn link_info(link: &LinkRow, language: &str) -> LinkInfo {
        let source = source_of(&link.dataset);
        LinkInfo {
            source: source.into(),
            dataset: link.dataset.clone(),
            reference_year: link.reference_year,
            matched_sex: Sex::from_code(link.matched_sex)
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            matched_age_band: link.matched_age_band,
            notice: (source == "sample").then(|| sample_notice(language).to_string()),
        }
    }
}

/// Judges one source row into a checkup record.
fn judge(
    row: &SourceRow,
    ranges: &RangeTable,
    user_id: Uuid,
    id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<CheckupRecord, HealthError> {
    let sex = Sex::from_code(row.sex)
        .ok_or_else(|| anyhow::anyhow!("checkup row with sex code {}", row.sex))?;
    let m = Measurements {
        sex,
        age_band: row.age_band,
        values: row
            .values
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
    };
    let e: Evaluation = evaluate(&m, ranges);
    let groups: BTreeMap<&str, &str> = e
        .groups
        .iter()
        .map(|(g, s)| (g.as_str(), s.as_str()))
        .collect();
    Ok(CheckupRecord {
        id: id.unwrap_or_else(Uuid::now_v7),
        user_id,
        reference_year: row.reference_year,
        source: source_of(&row.dataset).into(),
        source_ref: format!(
            "{}/{}/{}",
            row.dataset, row.reference_year, row.member_serial
        ),
        row_hash: row.row_hash,
        items: serde_json::to_string(&e.items).map_err(anyhow::Error::from)?,
        bmi: e.bmi,
        egfr: e.egfr,
        groups: serde_json::to_string(&groups).map_err(anyhow::Error::from)?,
        health_score: e.health_score,
        risk_level: e.risk_level.as_str().into(),
        sex: row.sex,
        age_band: row.age_band,
        ranges_version: e.ranges_version,
        synced_at: now_ms(now),
    })
}

/// A stored checkup's items.
pub fn stored_items(c: &CheckupRecord) -> Vec<ItemResult> {
    serde_json::from_str(&c.items).unwrap_or_default()
}

pub fn stored_groups(c: &CheckupRecord) -> BTreeMap<String, String> {
    serde_json::from_str(&c.groups).unwrap_or_default()
}

pub fn synced_at(c: &CheckupRecord) -> DateTime<Utc> {
    instant(c.synced_at)
}
