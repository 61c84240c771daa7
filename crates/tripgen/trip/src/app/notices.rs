//! Notices on a trip (the notification port's stored side, TRIP-062): the D-1 change
//! check puts one on the trip; the owner lists them, marks them read and follows new
//! ones over server-sent events. Each notice has a dedupe key (`d1:{trip}:{date}`), so
//! replicas and job retries store it once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::AuthUser;
use tripgen_platform::clock::from_millis;
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::i18n::Language;
use tripgen_platform::with_db;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::TripService;
use crate::domain::changes::ChangeReport;
use crate::domain::schedule::TextParams;
use crate::domain::texts;

/// A notice on a trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub id: Uuid,
    pub trip_id: Uuid,
    /// `d-1` (the day before the trip starts).
    pub kind: String,
    pub title: String,
    pub message: String,
    /// The change check behind the notice.
    #[serde(default)]
    pub report: Option<ChangeReport>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /{id}/notices`
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoticeList {
    /// Newest first.
    pub items: Vec<Notice>,
    pub unread: usize,
}

/// A trip that starts within the window asked for (D-1 notices).
#[derive(Debug, Clone, PartialEq)]
pub struct StartingTrip {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub start_date: NaiveDate,
}

type NoticeRow = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
);

/// Title and message of a notice in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeText {
    pub lang: Language,
    pub title: String,
    pub message: String,
}

/// The texts of a notice in every language we speak, rendered from its kind, params and
/// report (`None` when they do not suffice: an unknown kind, a missing report).
pub fn notice_texts(
    kind: &str,
    params: &TextParams,
    report: Option<&ChangeReport>,
) -> Option<Vec<NoticeText>> {
    Language::ALL
        .iter()
        .map(|&lang| {
            texts::notice(kind, params, report, lang).map(|(title, message)| NoticeText {
                lang,
                title,
                message,
            })
        })
        .collect()
}

/// A stored notice in `lang`: rendered from its params when it has them, else (notices
/// stored before) its stored texts. The report's reasons are rendered too.
fn notice(row: NoticeRow, lang: Language) -> Notice {
    let (id, trip_id, kind, mut title, mut message, report, created, read, params) = row;
    let mut report: Option<ChangeReport> = report.and_then(|r| serde_json::from_str(&r).ok());
    let params: Option<TextParams> = params.and_then(|p| serde_json::from_str(&p).ok());
    if lang != Language::En
        && let Some(p) = &params
        && let Some((t, m)) = texts::notice(&kind, p, report.as_ref(), lang)
    {
        (title, message) = (t, m);
    }
    if let Some(r) = &mut report {
        texts::localize_report(r, lang);
    }
    Notice {
        id,
        trip_id,
        kind,
        title,
        message,
        report,
        created_at: from_millis(created),
        read_at: read.map(from_millis),
    }
}

const COLUMNS: &str = "id, trip_id, kind, title, message, report, created_at, read_at, params";

pub fn notice_not_found() -> ApiError {
    ApiError::not_found("NOTICE_NOT_FOUND", "This trip has no such notice.")
}

impl TripService {
    /// `GET /{id}/notices`
    pub async fn notices(&self, who: &AuthUser, id: Uuid, lang: Language) -> ApiResult<NoticeList> {
        self.owned(who, id).await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM trip_notices WHERE trip_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100"
        );
        let rows: Vec<NoticeRow> = with_db!(&self.platform.db, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_all(pool).await
        })?;
        let items: Vec<Notice> = rows.into_iter().map(|r| notice(r, lang)).collect();
        let unread = items.iter().filter(|n| n.read_at.is_none()).count();
        Ok(NoticeList { items, unread })
    }

    /// `POST /{id}/notices/{nid}/read` (repeatable: the first time counts).
    pub async fn mark_notice_read(
        &self,
        who: &AuthUser,
        id: Uuid,
        nid: &str,
        lang: Language,
    ) -> ApiResult<Notice> {
        self.owned(who, id).await?;
        let nid = Uuid::parse_str(nid).map_err(|_| notice_not_found())?;
        const SQL: &str = "UPDATE trip_notices SET read_at = $1 WHERE id = $2 AND trip_id = $3 AND read_at IS NULL";
        let now = self.now_ms();
        with_db!(&self.platform.db, |pool| {
            sqlx::query(SQL)
                .bind(now)
                .bind(nid)
                .bind(id)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        let sql = format!("SELECT {COLUMNS} FROM trip_notices WHERE id = $1 AND trip_id = $2");
        let row: Option<NoticeRow> = with_db!(&self.platform.db, |pool| {
            sqlx::query_as(&sql)
                .bind(nid)
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        row.map(|r| notice(r, lang)).ok_or_else(notice_not_found)
    }

    /// Notices of trip `id` created after `after_ms` (event streams), oldest first.
    pub async fn notices_after(
        &self,
        id: Uuid,
        after_ms: i64,
        lang: Language,
    ) -> ApiResult<Vec<Notice>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM trip_notices WHERE trip_id = $1 AND created_at > $2 ORDER BY created_at, id LIMIT 100"
        );
        let rows: Vec<NoticeRow> = with_db!(&self.platform.db, |pool| {
            sqlx::query_as(&sql)
                .bind(id)
                .bind(after_ms)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(|r| notice(r, lang)).collect())
    }

    /// Stores a notice once per `dedupe_key`: `Ok(None)` when it already exists. The
    /// stored title and message are the English rendering of `kind`, `params` and
    /// `report`; readers get them in their language from the params.
    pub async fn add_notice(
        &self,
        trip_id: Uuid,
        dedupe_key: &str,
        kind: &str,
        params: &TextParams,
        report: Option<&ChangeReport>,
    ) -> ApiResult<Option<Notice>> {
        let Some(r) = self.record(trip_id).await? else {
            return Ok(None);
        };
        let Some((title, message)) = texts::notice(kind, params, report, Language::En) else {
            tracing::error!(kind, "a notice without the params or report its text needs");
            return Err(ApiError::internal());
        };
        let (title, message) = (title.as_str(), message.as_str());
        let params_json = serde_json::to_string(params).map_err(|_| ApiError::internal())?;
        let report_json = match report {
            Some(rep) => Some(serde_json::to_string(rep).map_err(|_| ApiError::internal())?),
            None => None,
        };
        let id = Uuid::now_v7();
        let now = self.now_ms();
        const SQL: &str = "INSERT INTO trip_notices (id, trip_id, owner_id, kind, dedupe_key, title, message, report, created_at, params) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING";
        let inserted = with_db!(&self.platform.db, |pool| {
            sqlx::query(SQL)
                .bind(id)
                .bind(trip_id)
                .bind(r.owner_id)
                .bind(kind)
                .bind(dedupe_key)
                .bind(title)
                .bind(message)
                .bind(&report_json)
                .bind(now)
                .bind(&params_json)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        if inserted == 0 {
            return Ok(None);
        }
        Ok(Some(Notice {
            id,
            trip_id,
            kind: kind.into(),
            title: title.into(),
            message: message.into(),
            report: report.cloned(),
            created_at: from_millis(now),
            read_at: None,
        }))
    }

    /// Live trips with a schedule whose first day begins in `(from_ms, to_ms]` (local
    /// midnight of the start date in the first city's zone).
    pub async fn trips_starting_between(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> ApiResult<Vec<StartingTrip>> {
        const SQL: &str = "SELECT id, owner_id, start_date FROM trips \
             WHERE deleted_at IS NULL AND schedule_state <> 'none' AND start_date IS NOT NULL \
               AND starts_at > $1 AND starts_at <= $2 \
             ORDER BY starts_at, id LIMIT 1000";
        let rows: Vec<(Uuid, Uuid, String)> = with_db!(&self.platform.db, |pool| {
            sqlx::query_as(SQL)
                .bind(from_ms)
                .bind(to_ms)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, owner_id, d)| {
                Some(StartingTrip {
                    id,
                    owner_id,
                    start_date: d.parse().ok()?,
                })
            })
            .collect())
    }
}
