//! Schedule export (TRIP-100): checks the request and the trip, maps the current day
//! plans to the export model and renders the file on the blocking pool (rendering a PDF
//! or pictures takes CPU for tens to hundreds of milliseconds).

use axum::http::StatusCode;
use serde::Deserialize;
use tripgen_export::{ExportRequest, Exported, Format, Language};
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::TripService;
use crate::app::export_map;
use crate::domain::model::{ScheduleState, TripRecord};

/// `POST /{id}/schedules/export` (and `/shared/{token}/schedules/export`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportBody {
    /// `pdf` (A4, cover and a page per day), `png` (one 1080×1920 picture per day; a ZIP
    /// for several days), `ics` (iCalendar, an event per stop) or `gpx` (GPX 1.1).
    pub format: Option<String>,
    /// Days to export (1-based); absent or empty = every day.
    pub days: Option<Vec<i64>>,
    /// Draw the route map in PDF and PNG (default `true`).
    pub include_map: Option<bool>,
    /// `en` or `ko`; default: the request's `Accept-Language`, else English.
    pub language: Option<String>,
}

fn no_schedule() -> ApiError {
    ApiError::conflict(
        "NO_SCHEDULE",
        "This trip has no schedule yet: generate it before exporting.",
    )
}

/// A checked request: format, days (not yet checked against the trip), map, language.
struct Checked {
    format: Format,
    days: Vec<(usize, usize)>,
    include_map: bool,
    language: Language,
}

fn check(body: &ExportBody, accept_language: Option<&str>) -> ApiResult<Checked> {
    let mut v = Validator::new();
    let format = match body.format.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(
                "format",
                "REQUIRED",
                "Choose a format: pdf, png, ics or gpx.",
            );
            None
        }
        Some(f) => {
            let parsed = Format::parse(f);
            if parsed.is_none() {
                v.add(
                    "format",
                    "INVALID_VALUE",
                    "The format is pdf, png, ics or gpx.",
                );
            }
            parsed
        }
    };
    let mut days = Vec::new();
    for (i, d) in body.days.iter().flatten().enumerate() {
        match usize::try_from(*d) {
            Ok(n) if n >= 1 => days.push((i, n)),
            _ => v.add(
                format!("days[{i}]"),
                "INVALID_VALUE",
                "Days are numbered from 1.",
            ),
        }
    }
    let language = match body.language.as_deref().map(str::trim) {
        None | Some("") => Language::from_accept_language(accept_language).unwrap_or_default(),
        Some(l) if l.eq_ignore_ascii_case("en") => Language::En,
        Some(l) if l.eq_ignore_ascii_case("ko") => Language::Ko,
        Some(_) => {
            v.add("language", "INVALID_VALUE", "The language is en or ko.");
            Language::En
        }
    };
    v.finish()?;
    Ok(Checked {
        format: format.unwrap_or(Format::Pdf),
        days,
        include_map: body.include_map.unwrap_or(true),
        language,
    })
}

impl TripService {
    /// `POST /{id}/schedules/export`
    pub async fn export(
        &self,
        who: &AuthUser,
        id: Uuid,
        body: ExportBody,
        accept_language: Option<&str>,
    ) -> ApiResult<Exported> {
        // Ownership first: someone else's trip is a 404 whatever the body says.
        let r = self.owned(who, id).await?;
        let checked = check(&body, accept_language)?;
        self.render(r, checked).await
    }

    /// `POST /shared/{token}/schedules/export`: the same file for a share link's holder.
    pub async fn shared_export(
        &self,
        token: &str,
        body: ExportBody,
        accept_language: Option<&str>,
    ) -> ApiResult<Exported> {
        let r = self.shared_record(token).await?;
        let checked = check(&body, accept_language)?;
        self.render(r, checked).await
    }

    async fn render(&self, r: TripRecord, c: Checked) -> ApiResult<Exported> {
        if r.schedule_state == ScheduleState::None {
            return Err(no_schedule());
        }
        let stored = self.current_days(r.id).await?;
        if stored.is_empty() {
            return Err(no_schedule());
        }
        let mut v = Validator::new();
        for (i, n) in &c.days {
            if !stored.iter().any(|d| d.plan.day_index + 1 == *n) {
                v.add(
                    format!("days[{i}]"),
                    "DAY_NOT_FOUND",
                    format!("The schedule has no day {n} (it has {}).", stored.len()),
                );
            }
        }
        v.finish()?;
        let trip = export_map::trip(&r, stored, c.language, self.now());
        let req = ExportRequest {
            format: c.format,
            days: c.days.iter().map(|(_, n)| *n).collect(),
            include_map: c.include_map,
            language: c.language,
        };
        let started = std::time::Instant::now();
        let out = tokio::task::spawn_blocking(move || tripgen_export::export(&trip, &req))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "export task failed");
                ApiError::internal()
            })?
            .map_err(|e| {
                tracing::error!(error = %e, "export failed");
                match e {
                    tripgen_export::ExportError::UnknownDay(n) => ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "DAY_NOT_FOUND",
                        format!("The schedule has no day {n}."),
                    ),
                    _ => ApiError::internal(),
                }
            })?;
        tracing::info!(
            format = c.format.as_str(),
            bytes = out.bytes.len(),
            ms = started.elapsed().as_millis() as u64,
            "schedule exported"
        );
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_named() {
        let body = ExportBody {
            format: Some("docx".into()),
            days: Some(vec![1, 0, -2]),
            include_map: None,
            language: Some("de".into()),
        };
        let e = check(&body, None).err().expect("invalid");
        let fields: Vec<_> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["format", "days[1]", "days[2]", "language"]);
        let e = check(&ExportBody::default(), None).err().expect("invalid");
        assert_eq!(e.errors[0].code, "REQUIRED");
        let ok = check(
            &ExportBody {
                format: Some("PNG".into()),
                ..Default::default()
            },
            Some("ko"),
        )
        .expect("valid");
        assert_eq!(ok.format, Format::Png);
        assert!(ok.include_map);
        assert_eq!(ok.language, Language::Ko);
    }
}
