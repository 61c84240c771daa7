//! HS-GOAL-040 history and statistics, HS-GOAL-060 the points ledger.

use chrono::{Duration, NaiveDate};
use tripgen_platform::cache::Freshness;
use tripgen_platform::clock::from_millis;
use tripgen_platform::error::{ApiError, ApiResult, FieldError};
use uuid::Uuid;

use crate::domain::stats::{self, Completion, Span};
use crate::dto::*;
use crate::service::{GoalService, day_str, parse_day, title};

pub const DEFAULT_DAYS: i64 = 30;
pub const MAX_DAYS: i64 = 366;
pub const PAGE_DEFAULT: i64 = 20;
pub const PAGE_MAX: i64 = 50;

fn date_param(v: Option<&str>, field: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let v = v?.trim();
    let d = parse_day(v);
    if d.is_none() {
        errors.push(FieldError::new(
            field,
            "INVALID_DATE",
            format!("{field} must be YYYY-MM-DD"),
        ));
    }
    d
}

impl GoalService {
    /// HS-GOAL-040, through the response cache (see `history_cache.rs`).
    pub async fn history(
        &self,
        user_id: Uuid,
        q: HistoryQuery,
        language: &str,
    ) -> ApiResult<HistoryAnswer> {
        let today = day_str(self.today(self.now()));
        let key = self
            .history_cache
            .key(
                user_id,
                &today,
                language,
                &[q.from.as_deref(), q.to.as_deref(), q.mission_ids.as_deref()],
            )
            .await;
        self.history_cache
            .cache
            .get_or_load(&key, self.history_cache.ttl(), Freshness::Strict, || {
                self.compute_history(user_id, q, language)
            })
            .await
    }

    async fn compute_history(
        &self,
        user_id: Uuid,
        q: HistoryQuery,
        language: &str,
    ) -> ApiResult<HistoryAnswer> {
        let today = self.today(self.now());
        let mut errors = Vec::new();
        let to = date_param(q.to.as_deref(), "to", &mut errors);
        let from = date_param(q.from.as_deref(), "from", &mut errors);
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| to - Duration::days(DEFAULT_DAYS - 1));
        if to > today {
            errors.push(FieldError::new(
                "to",
                "AFTER_TODAY",
                "to cannot be after today",
            ));
        }
        if from > to {
            errors.push(FieldError::new(
                "from",
                "AFTER_TO",
                "from must be on or before to",
            ));
        } else if (to - from).num_days() + 1 > MAX_DAYS {
            errors.push(FieldError::new(
                "from",
                "PERIOD_TOO_LONG",
                "a period is at most 366 days",
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let wanted: Option<Vec<String>> = q.mission_ids.as_deref().map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect()
        });
        let goals = self.repo.goals(user_id).await?;
        let missions = self.repo.all_missions(user_id).await?;
        let spans: Vec<Span> = missions
            .iter()
            .filter(|m| wanted.as_ref().is_none_or(|w| w.contains(&m.mission_id)))
            .filter_map(|m| {
                let g = goals.iter().find(|g| g.id == m.goal_id)?;
                let start = parse_day(&m.added_on)?.max(parse_day(&g.start_date)?);
                let end = g
                    .end_date
                    .as_deref()
                    .and_then(parse_day)
                    .unwrap_or(today)
                    .min(today);
                Some(Span {
                    mission_id: m.mission_id.clone(),
                    title: title(m, language).to_string(),
                    from: start,
                    to: end,
                })
            })
            .collect();
        let first = spans.iter().map(|s| s.from).min().unwrap_or(from).min(from);
        let completions: Vec<Completion> = self
            .repo
            .completions_between(user_id, &day_str(first), &day_str(to))
            .await?
            .into_iter()
            .filter(|c| wanted.as_ref().is_none_or(|w| w.contains(&c.mission_id)))
            .filter_map(|c| {
                Some(Completion {
                    date: parse_day(&c.date)?,
                    mission_id: c.mission_id,
                    streak: c.streak,
                })
            })
            .collect();
        let h = stats::history(&spans, &completions, from, to, language);
        Ok(HistoryAnswer {
            period: Period { from, to },
            total_achievement_rate: h.total_achievement_rate,
            period_achievement_rate: h.period_achievement_rate,
            best_streak: h.best_streak,
            missions: h
                .missions
                .into_iter()
                .map(|m| MissionStats {
                    mission_id: m.mission_id,
                    title: m.title,
                    achievement_rate: m.achievement_rate,
                    completed_days: m.completed_days,
                    active_days: m.active_days,
                    best_streak: m.best_streak,
                })
                .collect(),
            daily: h
                .daily
                .into_iter()
                .map(|d| DailyPoint {
                    date: d.date,
                    completed: d.completed,
                    active: d.active,
                    rate: d.rate,
                })
                .collect(),
            weekly: h
                .weekly
                .into_iter()
                .map(|d| WeeklyPoint {
                    week_start: d.date,
                    completed: d.completed,
                    active: d.active,
                    rate: d.rate,
                })
                .collect(),
            insights: h
                .insights
                .into_iter()
                .map(|i| Insight {
                    kind: i.kind.into(),
                    message: i.message,
                })
                .collect(),
        })
    }

    /// The ledger newest first, `limit` (1–50) a page; `cursor` continues a listing.
    pub async fn points_page(&self, user_id: Uuid, q: PageQuery) -> ApiResult<PointsPage> {
        let limit = match q.limit.as_deref().map(str::trim) {
            None | Some("") => PAGE_DEFAULT,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=PAGE_MAX).contains(&n) => n,
                _ => {
                    return Err(ApiError::validation(vec![FieldError::new(
                        "limit",
                        "OUT_OF_RANGE",
                        "limit is 1 to 50",
                    )]));
                }
            },
        };
        let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(parse_cursor(c).ok_or_else(|| {
                ApiError::validation(vec![FieldError::new(
                    "cursor",
                    "INVALID_VALUE",
                    "cursor must be a nextCursor of an earlier page",
                )])
            })?),
        };
        let today = day_str(self.today(self.now()));
        let (_, total) = self.repo.points(user_id, &today).await?;
        let mut rows = self.repo.ledger(user_id, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if more {
            rows.last().map(|r| format!("{}.{}", r.at, r.id.simple()))
        } else {
            None
        };
        Ok(PointsPage {
            total,
            items: rows
                .into_iter()
                .map(|r| LedgerItem {
                    points: r.points,
                    reason: r.reason,
                    mission_id: r.mission_id,
                    date: r.date,
                    at: from_millis(r.at),
                })
                .collect(),
            next_cursor,
        })
    }
}

fn parse_cursor(c: &str) -> Option<(i64, Uuid)> {
    let (at, id) = c.split_once('.')?;
    Some((at.parse().ok()?, Uuid::parse_str(id).ok()?))
}
