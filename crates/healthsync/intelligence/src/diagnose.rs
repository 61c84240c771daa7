//! HS-AI-010: the 3-line diagnosis. The model (when configured, consented to and healthy)
//! writes the text from bands and the occupation; score, risk and risk factors always come
//! from the rules; any failure, late answer or failed check gives the rules' text.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use llm::LanguageModel;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tripgen_platform::SharedClock;
use tripgen_platform::clock::{from_millis, to_millis};
use uuid::Uuid;

use crate::diagnosis_repo::DiagnosisRow;
use crate::domain::diagnosis::{self, Diagnosis, LINE_MAX, LINE_MIN};
use crate::domain::safety;
use crate::ports::{CheckupFacts, Facts, FactsState, SubjectFacts};
use crate::recommendations::IntelligenceError;
use crate::repo::IntelligenceRepo;

pub const FRESH_HOURS: i64 = 2;
pub const REFRESHES_PER_DAY: i64 = 5;

pub struct Diagnoser {
    pub repo: IntelligenceRepo,
    pub facts: Arc<dyn SubjectFacts>,
    pub clock: SharedClock,
    pub time_zone: Tz,
    pub model: Option<Arc<dyn LanguageModel>>,
    pub deadline: Duration,
    /// The analytics stream's record of each model call (none: not recorded).
    pub ai_calls: Option<Arc<dyn crate::ports::AiCallLog>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RiskFactor {
    pub group: String,
    /// `warning` or `danger`.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosisDto {
    /// Exactly 3 lines of 10–120 characters.
    pub lines: Vec<String>,
    pub occupation_considerations: Vec<String>,
    pub health_score: i64,
    pub risk_level: String,
    pub risk_factors: Vec<RiskFactor>,
    pub checkup_id: Uuid,
    pub reference_year: i64,
    /// `ai` or `rules`.
    pub generated_by: String,
    pub generated_at: DateTime<Utc>,
    pub disclaimer: String,
}

pub fn disclaimer(language: &str) -> String {
    if language == "en" {
        "General information about your checkup bands, not a medical diagnosis. See a doctor about any concern.".into()
    } else {
        "검진 수치에 대한 일반 정보이며 의학적 진단이 아닙니다. 걱정되는 점은 의사와 상담하세요."
            .into()
    }
}

fn schema() -> Value {
    let line = json!({ "type": "string", "minLength": LINE_MIN, "maxLength": LINE_MAX });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["lines", "occupationConsiderations"],
        "properties": {
            "lines": { "type": "array", "minItems": 3, "maxItems": 3, "items": line },
            "occupationConsiderations": { "type": "array", "minItems": 1, "maxItems": 3,
                "items": { "type": "string", "minLength": 1, "maxLength": LINE_MAX } }
        }
    })
}

const SYSTEM: &str = "You write a 3-line health-checkup summary for a Korean office worker. \
    Line 1: overall state with the given score and risk level. Line 2: the main risk or \
    improvement naming the item, its value and its normal band. Line 3: advice for the \
    occupation. Describe bands only: never state or suggest a disease, never advise \
    medication or doses, no links. Each line 10-120 characters, one sentence or two, in \
    the requested language. Answer with JSON only.";

/// The answer checked against the schema's limits and the safety rules.
fn validate(answer: &Value, language: &str) -> Result<Diagnosis, &'static str> {
    let strings = |key: &str| -> Option<Vec<String>> {
        answer
            .get(key)?
            .as_array()?
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()))
            .collect()
    };
    let lines = strings("lines").ok_or("schema")?;
    let considerations = strings("occupationConsiderations").ok_or("schema")?;
    if lines.len() != 3 || !(1..=3).contains(&considerations.len()) {
        return Err("count");
    }
    for l in &lines {
        if !(LINE_MIN..=LINE_MAX).contains(&l.chars().count()) {
            return Err("length");
        }
        safety::check(l, language)?;
    }
    for c in &considerations {
        if c.is_empty() || c.chars().count() > LINE_MAX {
            return Err("length");
        }
        safety::check(c, language)?;
    }
    Ok(Diagnosis {
        lines: [lines[0].clone(), lines[1].clone(), lines[2].clone()],
        considerations,
    })
}

fn input_hash(f: &Facts, c: &CheckupFacts, language: &str, ai: bool) -> String {
    let mut h = Sha256::new();
    h.update(format!(
        "{}|{}|{language}|{ai}",
        c.checkup_id, f.occupation_code
    ));
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Diagnoser {
    fn day_start_ms(&self, now: DateTime<Utc>) -> i64 {
        let day = now.with_timezone(&self.time_zone).date_naive();
        day.and_hms_opt(0, 0, 0)
            .and_then(|t| self.time_zone.from_local_datetime(&t).earliest())
            .map(|t| to_millis(t.with_timezone(&Utc)))
            .unwrap_or(0)
    }

    pub async fn diagnose(
        &self,
        user_id: Uuid,
        refresh: bool,
        language: &str,
    ) -> Result<DiagnosisDto, IntelligenceError> {
        let facts = match self.facts.facts(user_id).await? {
            FactsState::Active(f) => f,
            FactsState::Incomplete(m) => return Err(IntelligenceError::ProfileIncomplete(m)),
            FactsState::Unknown => return Err(IntelligenceError::UnknownUser),
        };
        let checkup = facts
            .checkup
            .clone()
            .ok_or(IntelligenceError::CheckupNotFound)?;
        let now = self.clock.now();
        let use_ai = facts.ai_consent && self.model.is_some();
        let hash = input_hash(&facts, &checkup, language, use_ai);
        let stored = if refresh {
            if self
                .repo
                .diagnosis_refreshes_since(user_id, self.day_start_ms(now))
                .await?
                >= REFRESHES_PER_DAY
            {
                return Err(IntelligenceError::DiagnosisRefreshLimit);
            }
            None
        } else {
            let since = to_millis(now) - chrono::Duration::hours(FRESH_HOURS).num_milliseconds();
            self.repo.fresh_diagnosis(user_id, &hash, since).await?
        };
        let row = match stored {
            Some(r) => r,
            None => {
                let rules = diagnosis::rules(
                    &checkup,
                    &facts.occupation_code,
                    &facts.occupation_tags,
                    language,
                );
                let started = Instant::now();
                let (d, by, provider) = match (use_ai, &self.model) {
                    (true, Some(model)) => match self
                        .ask(model.as_ref(), user_id, &facts, &checkup, &rules, language)
                        .await
                    {
                        Some(d) => (d, "ai", Some(model.name().to_string())),
                        None => (rules, "rules", Some(model.name().to_string())),
                    },
                    _ => (rules, "rules", None),
                };
                let row = DiagnosisRow {
                    id: Uuid::now_v7(),
                    user_id,
                    checkup_id: checkup.checkup_id,
                    input_hash: hash,
                    language: language.to_string(),
                    lines: serde_json::to_string(&d.lines).map_err(anyhow::Error::from)?,
                    considerations: serde_json::to_string(&d.considerations)
                        .map_err(anyhow::Error::from)?,
                    generated_by: by.into(),
                    provider,
                    model: None,
                    latency_ms: started.elapsed().as_millis() as i64,
                    refreshed: i64::from(refresh),
                    created_at: to_millis(now),
                };
                self.repo.insert_diagnosis(&row).await?;
                row
            }
        };
        Ok(DiagnosisDto {
            lines: serde_json::from_str(&row.lines).unwrap_or_default(),
            occupation_considerations: serde_json::from_str(&row.considerations)
                .unwrap_or_default(),
            health_score: checkup.health_score,
            risk_level: checkup.risk_level.clone(),
            risk_factors: checkup
                .groups
                .iter()
                .filter(|(_, s)| *s == "warning" || *s == "danger")
                .map(|(g, s)| RiskFactor {
                    group: g.clone(),
                    status: s.clone(),
                })
                .collect(),
            checkup_id: checkup.checkup_id,
            reference_year: checkup.reference_year,
            generated_by: row.generated_by,
            generated_at: from_millis(row.created_at),
            disclaimer: disclaimer(language),
        })
    }

    /// The model's diagnosis, or `None` (late, failed, or refused by a check: logged with
    /// the check's name, never the content).
    async fn ask(
        &self,
        model: &dyn LanguageModel,
        user_id: Uuid,
        f: &Facts,
        c: &CheckupFacts,
        rules: &Diagnosis,
        language: &str,
    ) -> Option<Diagnosis> {
        let en = language == "en";
        let items: Vec<Value> = c
            .items
            .iter()
            .map(|i| json!({
                "item": if en { &i.name_en } else { &i.name_ko },
                "value": i.value, "unit": i.unit, "status": i.status, "normalBand": i.normal_band,
            }))
            .collect();
        let user = json!({
            "language": language,
            "healthScore": c.health_score,
            "riskLevel": c.risk_level,
            "occupation": f.occupation_code,
            "workPatternTags": f.occupation_tags,
            "items": items,
            "draft": rules.lines,
        })
        .to_string();
        let started = Instant::now();
        let answer = tokio::time::timeout(
            self.deadline,
            model.json(SYSTEM, &user, "diagnosis", &schema()),
        )
        .await;
        let latency = started.elapsed().as_millis() as i64;
        let (result, outcome) = match answer {
            Err(_) => (None, "timeout".to_string()),
            Ok(Err(e)) => {
                tracing::warn!(provider = model.name(), error = %e, "diagnosis: model failed; rules answer");
                (None, "failed".to_string())
            }
            Ok(Ok(v)) => match validate(&v, language) {
                Ok(d) => (Some(d), "ok".to_string()),
                Err(check) => {
                    tracing::warn!(
                        provider = model.name(),
                        check,
                        "diagnosis: answer refused; rules answer"
                    );
                    (None, format!("invalid:{check}"))
                }
            },
        };
        let at = to_millis(self.clock.now());
        if let Err(e) = self
            .repo
            .log_call("diagnosis", model.name(), &outcome, latency, at)
            .await
        {
            tracing::warn!(error = %e, "ai_calls log failed");
        }
        if let Some(log) = &self.ai_calls {
            log.ai_call(user_id, "diagnosis", model.name(), &outcome, latency);
        }
        result
    }
}
