//! The trip list (search, filters, sorts, stable cursor pages) and the dashboard summary
//! (TRIP-090, cached per user until the next status change).

use base64::Engine;
use tripgen_platform::AuthUser;
use tripgen_platform::cache::Freshness;
use tripgen_platform::error::{ApiResult, FieldError, Validator};
use uuid::Uuid;

use crate::app::views::{self, CardSource};
use crate::domain::calendar::TripStatus;
use crate::dto::*;
use crate::store::{CursorKey, ListFilter, Sort, TripRow};

use super::*;

impl TripService {
    // --- list and dashboard --------------------------------------------------------------

    pub(crate) async fn card_sources(&self, rows: &[TripRow]) -> ApiResult<Vec<CardSource>> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut by_trip = views::destinations_by_trip(self.repo.destinations_of(&ids).await?);
        Ok(rows
            .iter()
            .map(|row| views::card_source(row, by_trip.remove(&row.id).unwrap_or_default()))
            .collect())
    }

    /// TRIP-110: filter, search, sort and page (cursor or page number).
    pub async fn list(&self, who: &AuthUser, q: ListQuery) -> ApiResult<TripPage> {
        let mut v = Validator::new();
        let now = self.now_ms();
        let status = match q.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => TripStatus::parse(s).map(Some).unwrap_or_else(|| {
                v.add(
                    "status",
                    "INVALID_VALUE",
                    "Status is planning, ongoing or completed.",
                );
                None
            }),
        };
        let sort = match q.sort.as_deref().map(str::trim) {
            None | Some("") => Sort::Newest,
            Some(s) => Sort::parse(s).unwrap_or_else(|| {
                v.add(
                    "sort",
                    "INVALID_VALUE",
                    "Sort by newest, oldest, startDate or name.",
                );
                Sort::Newest
            }),
        };
        let size = match q.size.as_deref().map(str::trim) {
            None | Some("") => PAGE_SIZE_DEFAULT,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=PAGE_SIZE_MAX).contains(&n) => n,
                Ok(n) if n > PAGE_SIZE_MAX => {
                    v.add(
                        "size",
                        "TOO_LARGE",
                        format!("A page has at most {PAGE_SIZE_MAX} trips."),
                    );
                    PAGE_SIZE_DEFAULT
                }
                _ => {
                    v.add("size", "INVALID_VALUE", "Size is a number from 1 to 50.");
                    PAGE_SIZE_DEFAULT
                }
            },
        };
        let page = match q.page.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    v.add("page", "INVALID_VALUE", "Pages are numbered from 1.");
                    None
                }
            },
        };
        let pattern = match q.q.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if s.chars().count() > SEARCH_MAX => {
                v.add(
                    "q",
                    "TOO_LONG",
                    format!("Search for at most {SEARCH_MAX} characters."),
                );
                None
            }
            Some(s) => Some(format!("%{}%", escape_like(&s.to_lowercase()))),
        };
        let after = match q.cursor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => match decode_cursor(c, sort) {
                Ok(a) => Some(a),
                Err(e) => {
                    v.add("cursor", e.code.as_str(), e.message);
                    None
                }
            },
        };
        if after.is_some() && page.is_some() {
            v.add("page", "CONFLICT", "Use either cursor or page, not both.");
        }
        let deleted_since =
            matches!(q.deleted.as_deref(), Some("true")).then_some(now - RESTORE_DAYS * 86_400_000);
        v.finish()?;
        let mut filter = ListFilter {
            owner: who.user_id,
            now,
            status,
            pattern,
            deleted_since,
            sort,
            after,
            limit: size + 1,
            offset: page.map(|p| (p - 1) * size).unwrap_or(0),
        };
        let mut rows = self.repo.list(&filter).await?;
        let more = rows.len() as i64 > size;
        rows.truncate(size as usize);
        let next_cursor = if more {
            rows.last().map(|r| encode_cursor(sort, r))
        } else {
            None
        };
        filter.after = None;
        let total = self.repo.count(&filter).await?;
        let now = self.now();
        let items = self
            .card_sources(&rows)
            .await?
            .iter()
            .map(|s| views::card(s, now))
            .collect();
        Ok(TripPage {
            items,
            total,
            page,
            size,
            next_cursor,
        })
    }

    pub(crate) async fn load_summary(&self, owner: Uuid, now: i64) -> ApiResult<SummarySource> {
        let counts = self.repo.status_counts(owner, now).await?;
        let mut sections = Vec::new();
        for status in [
            TripStatus::Planning,
            TripStatus::Ongoing,
            TripStatus::Completed,
        ] {
            let rows = self
                .repo
                .list(&ListFilter {
                    owner,
                    now,
                    status: Some(status),
                    pattern: None,
                    deleted_since: None,
                    sort: Sort::Newest,
                    after: None,
                    limit: 3,
                    offset: 0,
                })
                .await?;
            sections.push(self.card_sources(&rows).await?);
        }
        let valid_until = self.repo.next_status_change(owner, now).await?;
        let completed = sections.pop().unwrap_or_default();
        let ongoing = sections.pop().unwrap_or_default();
        let planning = sections.pop().unwrap_or_default();
        Ok(SummarySource {
            computed_at: now,
            valid_until,
            counts,
            planning,
            ongoing,
            completed,
        })
    }

    /// TRIP-020: ongoing, planning, completed — three newest each, with counts.
    pub async fn summary(&self, who: &AuthUser) -> ApiResult<Summary> {
        let now_at = self.now();
        let now = now_at.timestamp_millis();
        let key = key_summary(who.user_id);
        let cached = self
            .cache
            .get::<SummarySource>(&key, Freshness::Strict)
            .await
            .filter(|s| s.computed_at <= now && s.valid_until.is_none_or(|u| now < u));
        let src = match cached {
            Some(s) => s,
            None => {
                let s = self.load_summary(who.user_id, now).await?;
                self.cache
                    .put(&key, &s, SUMMARY_TTL, Freshness::Strict)
                    .await;
                s
            }
        };
        let section = |count: i64, list: &[CardSource]| SummarySection {
            count,
            items: list.iter().map(|c| views::card(c, now_at)).collect(),
        };
        Ok(Summary {
            planning: section(src.counts.0, &src.planning),
            ongoing: section(src.counts.1, &src.ongoing),
            completed: section(src.counts.2, &src.completed),
        })
    }
}

pub(crate) fn encode_cursor(sort: Sort, r: &TripRow) -> String {
    let k = match sort {
        Sort::Newest | Sort::Oldest => serde_json::json!(r.created_at),
        Sort::StartDate => serde_json::json!(r.start_key),
        Sort::Name => serde_json::json!(r.name_key),
    };
    let c = Cursor {
        s: sort.as_str().into(),
        k,
        i: r.id,
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&c).unwrap_or_default())
}

pub(crate) fn decode_cursor(s: &str, sort: Sort) -> Result<(CursorKey, Uuid), FieldError> {
    let bad = || FieldError::new("cursor", "INVALID_VALUE", "This cursor is not valid.");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    let c: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if c.s != sort.as_str() {
        return Err(FieldError::new(
            "cursor",
            "SORT_MISMATCH",
            "This cursor belongs to another sort order; start again without it.",
        ));
    }
    let key = match (&c.k, sort) {
        (serde_json::Value::Number(n), Sort::Newest | Sort::Oldest | Sort::StartDate) => {
            CursorKey::Num(n.as_i64().ok_or_else(bad)?)
        }
        (serde_json::Value::String(t), Sort::Name) => CursorKey::Text(t.clone()),
        _ => return Err(bad()),
    };
    Ok((key, c.i))
}
