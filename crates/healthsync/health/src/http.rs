//! HTTP API of the Health context (`/api/v1/health`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tripgen_platform::error::{ApiError, ApiResult, FieldError, Problem};
use tripgen_platform::{AuthUser, SharedClock};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::domain::{Bands, ITEMS, Interval, RangeTable, Sex, item_by_code, items::item_name};
use crate::files::{CheckupFile, CheckupFiles, FileError, MAX_FILE_BYTES};
use crate::ports::{ProfileState, Profiles};
use crate::repo::CheckupRecord;
use crate::service::{
    HealthError, HealthService, LinkInfo, Subject, stored_groups, stored_items, synced_at,
};
use crate::sync_limit;
use tripgen_platform::lang_ko::LangKo;

pub struct HealthApi {
    pub service: HealthService,
    pub files: Arc<CheckupFiles>,
    pub profiles: Arc<dyn Profiles>,
    pub clock: SharedClock,
}

type Svc = State<Arc<HealthApi>>;

/// Routes relative to `/api/v1/health`.
pub fn router(api: Arc<HealthApi>) -> OpenApiRouter {
    let (schemas, paths, upload) = routes!(upload_file, list_files);
    OpenApiRouter::new()
        .routes(routes!(get_ranges))
        .routes(routes!(sync))
        .routes(routes!(latest))
        .routes(routes!(history))
        .routes(routes!(by_id))
        // Room for the multipart framing around a 10 MB file; larger is FILE_TOO_LARGE.
        .routes((
            schemas,
            paths,
            upload.layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        ))
        .routes(routes!(download_file, delete_file))
        .with_state(api)
}

impl From<HealthError> for ApiError {
    fn from(e: HealthError) -> Self {
        match e {
            HealthError::CheckupNotFound => ApiError::not_found(
                "CHECKUP_NOT_FOUND",
                "No checkup record matches your profile.",
            ),
            HealthError::Store(e) => e.into(),
            HealthError::Other(e) => e.into(),
        }
    }
}

impl From<FileError> for ApiError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::UnsupportedType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_FILE_TYPE",
                "Upload a PDF, JPEG or PNG document.",
            ),
            FileError::TooLarge => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "FILE_TOO_LARGE",
                "A checkup file is at most 10 MB.",
            ),
            FileError::Limit => ApiError::conflict(
                "FILE_LIMIT",
                "You can keep at most 20 checkup files; delete one first.",
            ),
            FileError::NotFound => ApiError::not_found("NOT_FOUND", "No such file."),
            FileError::Store(e) => e.into(),
            FileError::Other(e) => e.into(),
        }
    }
}

/// The caller's active profile, or 409 `PROFILE_INCOMPLETE` naming what is missing.
async fn subject(api: &HealthApi, who: &AuthUser) -> ApiResult<Subject> {
    match api.profiles.profile(who.user_id).await? {
        ProfileState::Active(s) => Ok(s),
        ProfileState::Incomplete { missing } => Err(ApiError {
            errors: missing
                .iter()
                .map(|f| FieldError::new(f.as_str(), "REQUIRED", format!("{f} is required")))
                .collect(),
            ..ApiError::conflict(
                "PROFILE_INCOMPLETE",
                "Complete your profile first (name, birth date, sex, occupation, consent).",
            )
        }),
        ProfileState::Unknown => Err(ApiError::unauthorized("This account no longer exists.")),
    }
}

// --- DTOs ---------------------------------------------------------------------------

/// One inclusive interval at the item's precision; an open end is omitted.
#[derive(Debug, Serialize, ToSchema)]
pub struct BandDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

fn bands_dto(list: &[Interval]) -> Vec<BandDto> {
    list.iter()
        .map(|i| BandDto {
            min: i.min,
            max: i.max,
        })
        .collect()
}

/// The three bands of an item for one sex.
#[derive(Debug, Serialize, ToSchema)]
pub struct BandsDto {
    pub normal: Vec<BandDto>,
    pub warning: Vec<BandDto>,
    pub danger: Vec<BandDto>,
}

impl From<&Bands> for BandsDto {
    fn from(b: &Bands) -> Self {
        BandsDto {
            normal: bands_dto(&b.normal),
            warning: bands_dto(&b.warning),
            danger: bands_dto(&b.danger),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RangeItem {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// The sex these bands are for (`male`/`female`).
    pub sex: String,
    pub normal: Vec<BandDto>,
    pub warning: Vec<BandDto>,
    pub danger: Vec<BandDto>,
    /// Scoring group, or `shown` (displayed, no penalty).
    pub group: String,
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RangesResponse {
    pub version: i64,
    pub items: Vec<RangeItem>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckupItem {
    pub code: String,
    pub name: String,
    pub value: f64,
    pub unit: String,
    /// `normal`/`warning`/`danger`; null for the BMI inputs (height, weight).
    pub status: Option<String>,
    /// Scoring group or `shown`; null for the BMI inputs.
    pub group: Option<String>,
    pub bands: Option<BandsDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Checkup {
    pub checkup_id: Uuid,
    pub reference_year: i64,
    /// `sample` or `nhis`.
    pub source: String,
    pub items: Vec<CheckupItem>,
    pub bmi: Option<f64>,
    pub egfr: Option<f64>,
    /// Status of each scored group with a measured item.
    pub groups: BTreeMap<String, String>,
    pub health_score: i64,
    /// `low`/`moderate`/`high`.
    pub risk_level: String,
    pub not_measured: Vec<String>,
    pub synced_at: DateTime<Utc>,
    /// The link and its notice (latest result only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub link: Option<LinkInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncResponse {
    /// `synced` (something was (re)processed) or `unchanged`.
    pub status: String,
    pub records_synced: usize,
    pub latest_year: Option<i64>,
    pub ready_for_analysis: bool,
    pub synced_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub link: LinkInfo,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesPoint {
    pub year: i64,
    pub value: f64,
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryResponse {
    pub records: Vec<Checkup>,
    pub series: BTreeMap<String, Vec<SeriesPoint>>,
    pub bands: BTreeMap<String, BandsDto>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangesQuery {
    /// `male` or `female`.
    pub sex: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// 1–10, default 5.
    pub limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileList {
    pub items: Vec<CheckupFile>,
}

fn checkup_dto(
    c: &CheckupRecord,
    ranges: &RangeTable,
    lang: &str,
    link: Option<LinkInfo>,
) -> Checkup {
    let sex = Sex::from_code(c.sex).unwrap_or(Sex::Male);
    let stored = stored_items(c);
    let items = stored
        .iter()
        .filter_map(|i| {
            let item = item_by_code(&i.code)?;
            Some(CheckupItem {
                code: i.code.clone(),
                name: item_name(item, lang).into(),
                value: i.value,
                unit: item.unit.into(),
                status: i.status.map(|s| s.as_str().into()),
                group: item.group.map(|g| g.as_str().into()),
                bands: ranges.bands(&i.code, sex).as_ref().map(BandsDto::from),
            })
        })
        .collect();
    let measured: Vec<&str> = stored.iter().map(|i| i.code.as_str()).collect();
    Checkup {
        checkup_id: c.id,
        reference_year: c.reference_year,
        source: c.source.clone(),
        items,
        bmi: c.bmi,
        egfr: c.egfr,
        groups: stored_groups(c),
        health_score: c.health_score,
        risk_level: c.risk_level.clone(),
        not_measured: ITEMS
            .iter()
            .filter(|i| !measured.contains(&i.code))
            .map(|i| i.code.to_string())
            .collect(),
        synced_at: synced_at(c),
        link,
    }
}

// --- handlers -------------------------------------------------------------------------

/// The reference ranges for a sex (HS-HEALTH-040), latest version.
#[utoipa::path(get, path = "/ranges", tag = "health", params(RangesQuery),
    responses((status = 200, body = RangesResponse),
              (status = 422, body = Problem, description = "VALIDATION_FAILED: `sex` missing or not male/female")))]
async fn get_ranges(
    State(api): Svc,
    LangKo(lang): LangKo,
    Query(q): Query<RangesQuery>,
) -> ApiResult<Json<RangesResponse>> {
    let sex = q.sex.as_deref().and_then(Sex::parse).ok_or_else(|| {
        ApiError::validation(vec![FieldError::new(
            "sex",
            if q.sex.is_none() {
                "REQUIRED"
            } else {
                "INVALID_VALUE"
            },
            "sex must be `male` or `female`",
        )])
    })?;
    let table = api.service.ranges().await?;
    let items = ITEMS
        .iter()
        .filter_map(|item| {
            let bands = table.bands(item.code, sex)?;
            let (group, source) = table.meta(item.code)?;
            Some(RangeItem {
                code: item.code.into(),
                name: item_name(item, lang.code()).into(),
                unit: item.unit.into(),
                sex: sex.as_str().into(),
                normal: bands_dto(&bands.normal),
                warning: bands_dto(&bands.warning),
                danger: bands_dto(&bands.danger),
                group: group.as_str().into(),
                source: source.into(),
            })
        })
        .collect();
    Ok(Json(RangesResponse {
        version: table.version,
        items,
    }))
}

/// Link (first time) and judge the checkup records (HS-HEALTH-010).
#[utoipa::path(post, path = "/checkups/sync", tag = "health", security(("bearer" = [])),
    responses((status = 200, body = SyncResponse),
              (status = 404, body = Problem, description = "CHECKUP_NOT_FOUND"),
              (status = 409, body = Problem, description = "PROFILE_INCOMPLETE"),
              (status = 429, body = Problem, description = "RATE_LIMITED")))]
async fn sync(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
) -> ApiResult<Json<SyncResponse>> {
    let s = subject(&api, &who).await?;
    let now = api.clock.now();
    sync_limit::check_and_record(&api.service.repo.db, s.user_id, now).await?;
    let out = api.service.sync(&s, now).await?;
    Ok(Json(SyncResponse {
        status: if out.processed.is_empty() {
            "unchanged"
        } else {
            "synced"
        }
        .into(),
        records_synced: out.records,
        latest_year: out.latest_year,
        ready_for_analysis: out.latest.is_some(),
        synced_at: out.synced_at,
        link: HealthService::link_info(&out.link, lang.code()),
    }))
}

/// The latest judged checkup (HS-HEALTH-020).
#[utoipa::path(get, path = "/checkups/latest", tag = "health", security(("bearer" = [])),
    responses((status = 200, body = Checkup), (status = 404, body = Problem, description = "CHECKUP_NOT_FOUND"),
              (status = 409, body = Problem, description = "PROFILE_INCOMPLETE")))]
async fn latest(State(api): Svc, who: AuthUser, LangKo(lang): LangKo) -> ApiResult<Json<Checkup>> {
    let s = subject(&api, &who).await?;
    let latest = api
        .service
        .repo
        .checkups(s.user_id)
        .await?
        .into_iter()
        .next();
    let c = latest.ok_or(HealthError::CheckupNotFound)?;
    let link = api.service.repo.link(s.user_id).await?;
    let ranges = api.service.ranges().await?;
    let info = link.map(|l| HealthService::link_info(&l, lang.code()));
    Ok(Json(checkup_dto(&c, &ranges, lang.code(), info)))
}

/// One of the caller's checkups (404 for anyone else's).
#[utoipa::path(get, path = "/checkups/{checkupId}", tag = "health", security(("bearer" = [])),
    params(("checkupId" = Uuid, Path)),
    responses((status = 200, body = Checkup), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "PROFILE_INCOMPLETE")))]
async fn by_id(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Path(id): Path<String>,
) -> ApiResult<Json<Checkup>> {
    let s = subject(&api, &who).await?;
    let not_found = || ApiError::not_found("CHECKUP_NOT_FOUND", "No such checkup.");
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    let c = api
        .service
        .repo
        .checkup(s.user_id, id)
        .await?
        .ok_or_else(not_found)?;
    let ranges = api.service.ranges().await?;
    Ok(Json(checkup_dto(&c, &ranges, lang.code(), None)))
}

/// Up to `limit` records, oldest first, with per-item series and bands (HS-HEALTH-030).
#[utoipa::path(get, path = "/checkups", operation_id = "checkup_history", tag = "health", security(("bearer" = [])), params(HistoryQuery),
    responses((status = 200, body = HistoryResponse),
              (status = 409, body = Problem, description = "PROFILE_INCOMPLETE"),
              (status = 422, body = Problem)))]
async fn history(
    State(api): Svc,
    who: AuthUser,
    LangKo(lang): LangKo,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<HistoryResponse>> {
    let limit = match q.limit.as_deref() {
        None => 5,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=10).contains(n))
            .ok_or_else(|| ApiError::field("limit", "OUT_OF_RANGE", "limit must be 1–10"))?,
    };
    let s = subject(&api, &who).await?;
    let mut records = api.service.repo.checkups(s.user_id).await?;
    records.truncate(limit);
    records.reverse(); // oldest first
    let ranges = api.service.ranges().await?;
    let mut series: BTreeMap<String, Vec<SeriesPoint>> = BTreeMap::new();
    for r in &records {
        for i in stored_items(r) {
            series.entry(i.code.clone()).or_default().push(SeriesPoint {
                year: r.reference_year,
                value: i.value,
                status: i.status.map(|s| s.as_str().into()),
            });
        }
    }
    let bands = series
        .keys()
        .filter_map(|code| Some((code.clone(), BandsDto::from(&ranges.bands(code, s.sex)?))))
        .collect();
    Ok(Json(HistoryResponse {
        records: records
            .iter()
            .map(|r| checkup_dto(r, &ranges, lang.code(), None))
            .collect(),
        series,
        bands,
    }))
}

/// Upload a checkup document (HS-HEALTH-050): PDF, JPEG or PNG by content, ≤ 10 MB, ≤ 20.
#[utoipa::path(post, path = "/checkup-files", tag = "health", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 201, body = CheckupFile),
              (status = 409, body = Problem, description = "FILE_LIMIT"),
              (status = 413, body = Problem, description = "FILE_TOO_LARGE"),
              (status = 415, body = Problem, description = "UNSUPPORTED_FILE_TYPE")))]
async fn upload_file(
    State(api): Svc,
    who: AuthUser,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<CheckupFile>)> {
    let read_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::from(FileError::TooLarge)
        } else {
            ApiError::bad_request("MALFORMED_MULTIPART", e.body_text())
        }
    };
    loop {
        let Some(field) = form.next_field().await.map_err(read_error)? else {
            return Err(ApiError::field(
                "file",
                "REQUIRED",
                "Attach the document as the multipart field `file`.",
            ));
        };
        if field.name() == Some("file") {
            let name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(read_error)?;
            let file = api
                .files
                .upload(who.user_id, name.as_deref(), bytes, api.clock.now())
                .await?;
            return Ok((StatusCode::CREATED, Json(file)));
        }
    }
}

/// The caller's checkup files, newest first.
#[utoipa::path(get, path = "/checkup-files", tag = "health", security(("bearer" = [])),
    responses((status = 200, body = FileList)))]
async fn list_files(State(api): Svc, who: AuthUser) -> ApiResult<Json<FileList>> {
    Ok(Json(FileList {
        items: api.files.list(who.user_id).await?,
    }))
}

fn file_id(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| FileError::NotFound.into())
}

/// A checkup file's bytes (owner only; others get 404).
#[utoipa::path(get, path = "/checkup-files/{fileId}", tag = "health", security(("bearer" = [])),
    params(("fileId" = Uuid, Path)),
    responses((status = 200, description = "the document"), (status = 404, body = Problem)))]
async fn download_file(
    State(api): Svc,
    who: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (file, bytes) = api.files.download(who.user_id, file_id(&id)?).await?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(&file.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Delete a checkup file (owner only).
#[utoipa::path(delete, path = "/checkup-files/{fileId}", tag = "health", security(("bearer" = [])),
    params(("fileId" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_file(
    State(api): Svc,
    who: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    api.files.delete(who.user_id, file_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// RFC 5987 encoding for `filename*`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
