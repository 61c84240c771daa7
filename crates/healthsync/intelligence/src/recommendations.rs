//! HS-AI-020: five catalogue missions for the user, kept for 2 h unless refreshed (10 a
//! day) or replaced by a reset; usable to set a goal for 24 h.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tripgen_platform::SharedClock;
use tripgen_platform::clock::{from_millis, to_millis};
use uuid::Uuid;

use crate::domain::catalogue::{Mission, catalogue, mission};
use crate::domain::recommend::{Pick, Subject, choose, ranked};
use crate::domain::texts;
use crate::ports::{FactsState, SubjectFacts};
use crate::repo::{IntelligenceRepo, RecommendationRow};

pub const REUSE_HOURS: i64 = 2;
pub const VALID_HOURS: i64 = 24;
pub const REFRESHES_PER_DAY: i64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum IntelligenceError {
    #[error("profile incomplete")]
    ProfileIncomplete(Vec<String>),
    #[error("unknown user")]
    UnknownUser,
    #[error("refresh limit reached")]
    RefreshLimit,
    #[error("no checkup")]
    CheckupNotFound,
    #[error("diagnosis refresh limit reached")]
    DiagnosisRefreshLimit,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A mission as stored in a recommendation: the id and why it was chosen.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredPick {
    pub mission_id: String,
    pub risk_factors: Vec<String>,
    pub occupation_match: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Recommendation {
    pub id: Uuid,
    pub picks: Vec<StoredPick>,
    pub flagged: Vec<String>,
    pub based_on_checkup: bool,
    pub generated_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Recommendation {
    pub fn missions(&self) -> impl Iterator<Item = &'static Mission> + '_ {
        self.picks.iter().filter_map(|p| mission(&p.mission_id))
    }
}

fn from_row(r: RecommendationRow) -> Recommendation {
    Recommendation {
        id: r.id,
        picks: serde_json::from_str(&r.missions).unwrap_or_default(),
        flagged: serde_json::from_str(&r.flagged).unwrap_or_default(),
        based_on_checkup: r.based_on_checkup != 0,
        generated_by: r.generated_by,
        created_at: from_millis(r.created_at),
        expires_at: from_millis(r.expires_at),
    }
}

pub struct Recommender {
    pub repo: IntelligenceRepo,
    pub facts: Arc<dyn SubjectFacts>,
    pub clock: SharedClock,
    pub time_zone: Tz,
}

/// What the recommendation depends on, hashed: a change makes a fresh one.
fn input_hash(s: &Subject, checkup: Option<Uuid>) -> String {
    let mut h = Sha256::new();
    h.update(catalogue().version.to_le_bytes());
    h.update(checkup.map(|c| c.to_string()).unwrap_or_default());
    for (g, st) in &s.groups {
        h.update(format!("|{g}={st}"));
    }
    h.update(format!("|{}", s.occupation_tags.join(",")));
    let d = h.finalize();
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

impl Recommender {
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.time_zone).date_naive()
    }

    fn day_start_ms(&self, day: NaiveDate) -> i64 {
        day.and_hms_opt(0, 0, 0)
            .and_then(|t| self.time_zone.from_local_datetime(&t).earliest())
            .map(|t| to_millis(t.with_timezone(&Utc)))
            .unwrap_or(0)
    }

    async fn subject(&self, user_id: Uuid) -> Result<(Subject, Option<Uuid>), IntelligenceError> {
        let facts = match self.facts.facts(user_id).await? {
            FactsState::Active(f) => f,
            FactsState::Incomplete(missing) => {
                return Err(IntelligenceError::ProfileIncomplete(missing));
            }
            FactsState::Unknown => return Err(IntelligenceError::UnknownUser),
        };
        let checkup = facts.checkup.as_ref().map(|c| c.checkup_id);
        Ok((
            Subject {
                user_id,
                occupation_tags: facts.occupation_tags,
                groups: facts
                    .checkup
                    .as_ref()
                    .map(|c| c.groups.clone())
                    .unwrap_or_default(),
                risk_level: facts.checkup.map(|c| c.risk_level),
            },
            checkup,
        ))
    }

    /// The current recommendation (kept for 2 h while the inputs are unchanged), or a
    /// new one; `refresh` asks for a new one (10 a day) avoiding the current set.
    pub async fn recommend(
        &self,
        user_id: Uuid,
        refresh: bool,
    ) -> Result<Recommendation, IntelligenceError> {
        let now = self.clock.now();
        let (subject, checkup) = self.subject(user_id).await?;
        let hash = input_hash(&subject, checkup);
        let latest = self.repo.latest(user_id).await?;
        if refresh {
            let since = self.day_start_ms(self.today(now));
            if self.repo.refreshes_since(user_id, since).await? >= REFRESHES_PER_DAY {
                return Err(IntelligenceError::RefreshLimit);
            }
        } else if let Some(l) = &latest
            && l.input_hash == hash
            && to_millis(now) - l.created_at < Duration::hours(REUSE_HOURS).num_milliseconds()
        {
            return Ok(from_row(l.clone()));
        }
        let avoid: Vec<String> = match (&latest, refresh) {
            (Some(l), true) => from_row(l.clone())
                .picks
                .into_iter()
                .map(|p| p.mission_id)
                .collect(),
            _ => Vec::new(),
        };
        self.create(user_id, subject, checkup, &hash, &avoid, refresh, now)
            .await
    }

    /// A new recommendation without the missions just ended (HS-GOAL-050).
    pub async fn after_reset(
        &self,
        user_id: Uuid,
        excluded: &[String],
    ) -> Result<Recommendation, IntelligenceError> {
        let now = self.clock.now();
        let (subject, checkup) = self.subject(user_id).await?;
        let hash = input_hash(&subject, checkup);
        self.create(user_id, subject, checkup, &hash, excluded, false, now)
            .await
    }

    /// The user's recommendation `id`, if it is theirs.
    pub async fn get(
        &self,
        user_id: Uuid,
        id: Uuid,
    ) -> Result<Option<Recommendation>, IntelligenceError> {
        Ok(self.repo.get(user_id, id).await?.map(from_row))
    }

    #[allow(clippy::too_many_arguments)]
    async fn create(
        &self,
        user_id: Uuid,
        subject: Subject,
        checkup: Option<Uuid>,
        hash: &str,
        avoid: &[String],
        refreshed: bool,
        now: DateTime<Utc>,
    ) -> Result<Recommendation, IntelligenceError> {
        let missions = &catalogue().missions;
        let day = self.today(now);
        let mut picks: Vec<Pick> = choose(missions, &ranked(missions, &subject, day, avoid));
        if picks.len() < 5 {
            // Too few left after the exclusions: offer the best regardless.
            picks = choose(missions, &ranked(missions, &subject, day, &[]));
        }
        let mut flagged: Vec<(i32, String)> = subject
            .groups
            .iter()
            .filter_map(|(g, s)| match s.as_str() {
                "danger" => Some((0, g.clone())),
                "warning" => Some((1, g.clone())),
                _ => None,
            })
            .collect();
        flagged.sort();
        let stored: Vec<StoredPick> = picks
            .into_iter()
            .map(|p| StoredPick {
                mission_id: p.mission_id,
                risk_factors: p.risk_factors,
                occupation_match: p.occupation_match,
            })
            .collect();
        let row = RecommendationRow {
            id: Uuid::now_v7(),
            user_id,
            input_hash: hash.to_string(),
            missions: serde_json::to_string(&stored).map_err(anyhow::Error::from)?,
            flagged: serde_json::to_string(
                &flagged.into_iter().map(|(_, g)| g).collect::<Vec<_>>(),
            )
            .map_err(anyhow::Error::from)?,
            based_on_checkup: i64::from(checkup.is_some()),
            generated_by: "rules".into(),
            refreshed: i64::from(refreshed),
            created_at: to_millis(now),
            expires_at: to_millis(now + Duration::hours(VALID_HOURS)),
        };
        self.repo.insert(&row).await?;
        Ok(from_row(row))
    }
}

/// The API's shape of a recommended mission (HS-AI-020).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendedMission {
    pub mission_id: String,
    pub title: String,
    pub description: String,
    /// `exercise`/`diet`/`lifestyle`.
    pub category: String,
    /// `easy`/`medium`/`hard`.
    pub difficulty: String,
    pub minutes: i64,
    pub health_benefit: String,
    pub occupation_relevance: String,
    pub risk_factors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationDto {
    pub recommendation_id: Uuid,
    pub missions: Vec<RecommendedMission>,
    pub reason: String,
    pub based_on_checkup: bool,
    /// `ai` or `rules`.
    pub generated_by: String,
    pub generated_at: DateTime<Utc>,
    /// After this instant the recommendation cannot set a goal (410).
    pub expires_at: DateTime<Utc>,
}

pub fn render(r: &Recommendation, language: &str) -> RecommendationDto {
    let missions = r
        .picks
        .iter()
        .filter_map(|p| {
            let m = mission(&p.mission_id)?;
            let pick = Pick {
                mission_id: p.mission_id.clone(),
                risk_factors: p.risk_factors.clone(),
                occupation_match: p.occupation_match.clone(),
                score: 0.0,
            };
            Some(RecommendedMission {
                mission_id: m.id.clone(),
                title: m.title.get(language).to_string(),
                description: m.description.get(language).to_string(),
                category: m.category.clone(),
                difficulty: m.difficulty.clone(),
                minutes: m.minutes,
                health_benefit: texts::health_benefit(m, &pick, language),
                occupation_relevance: texts::occupation_relevance(&pick, language),
                risk_factors: p.risk_factors.clone(),
            })
        })
        .collect();
    RecommendationDto {
        recommendation_id: r.id,
        missions,
        reason: texts::reason(&r.flagged, r.based_on_checkup, language),
        based_on_checkup: r.based_on_checkup,
        generated_by: r.generated_by.clone(),
        generated_at: r.created_at,
        expires_at: r.expires_at,
    }
}
