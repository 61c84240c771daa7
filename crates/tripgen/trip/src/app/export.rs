//! Schedule export (TRIP-100): checks the request and the trip, maps the current day
//! plans to the export model and renders the file on the blocking pool (rendering a PDF
//! or pictures takes CPU for tens to hundreds of milliseconds).

use axum::http::StatusCode;
use serde::Deserialize;
use tripgen_export::{ExportDay, ExportRequest, Exported, Format, GeoPoint, Language};
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, Validator};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::TripService;
use crate::app::export_map;
use crate::domain::model::{ScheduleState, TripRecord};
use crate::domain::route;

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
        let drawn = c.include_map && matches!(c.format, Format::Pdf | Format::Png);
        // Street shapes for the drawn maps only: GPX routes keep one point per stop.
        let shapes = if drawn {
            let plans: Vec<_> = stored.iter().map(|d| d.plan.clone()).collect();
            Some(
                self.leg_shapes(&plans, crate::app::leg_paths::step_free(&r))
                    .await,
            )
        } else {
            None
        };
        let mut trip = export_map::trip(&r, stored, c.language, self.now());
        if let Some(shapes) = shapes {
            with_street_shapes(&mut trip, &shapes);
        }
        if drawn {
            self.add_base_maps(&mut trip, &c.days).await;
        }
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

/// Legs along the streets where the travel port knows their shape (the web map's route).
fn with_street_shapes(trip: &mut tripgen_export::ExportTrip, shapes: &route::LegShapes) {
    for (day, day_shapes) in trip.days.iter_mut().zip(shapes) {
        for (leg, shape) in day.legs.iter_mut().zip(day_shapes) {
            if let Some(points) = shape.as_ref().filter(|p| p.len() >= 2) {
                // Shapes come simplified (stored paths are).
                leg.geometry = points.iter().map(|p| GeoPoint::new(p.lat, p.lon)).collect();
            }
        }
    }
}

/// The area an export map of `day` can show: its points and legs, widened so a map box
/// wider than tall (PDF) or nearly square (PNG) is covered whichever way the day runs.
fn map_area(day: &ExportDay) -> Option<[f64; 4]> {
    let mut pts: Vec<GeoPoint> = day.points();
    for leg in &day.legs {
        pts.extend(leg.geometry.iter().copied());
    }
    let pts: Vec<GeoPoint> = pts.into_iter().filter(tripgen_export::mappable).collect();
    let first = pts.first()?;
    let (mut w, mut s, mut e, mut n) = (first.lon, first.lat, first.lon, first.lat);
    for p in &pts {
        w = w.min(p.lon);
        e = e.max(p.lon);
        s = s.min(p.lat);
        n = n.max(p.lat);
    }
    let (clat, clon) = ((s + n) / 2.0, (w + e) / 2.0);
    let m_per_deg_lon = 111_320.0 * clat.to_radians().cos().max(0.01);
    let m_per_deg_lat = 110_574.0;
    // The larger side on the ground, at least the map's smallest span (800 m).
    let span = ((e - w) * m_per_deg_lon)
        .max((n - s) * m_per_deg_lat)
        .max(800.0)
        * 1.2;
    let half_w = span / m_per_deg_lon;
    let half_h = 0.75 * span / m_per_deg_lat;
    Some([
        (clon - half_w).max(-180.0),
        (clat - half_h).max(-85.0),
        (clon + half_w).min(180.0),
        (clat + half_h).min(85.0),
    ])
}

/// Days whose maps span more than this are regions, not cities: no base map (a journey
/// day's map would otherwise fetch country-wide tiles for a few lines).
const BASE_MAP_MAX_SPAN_DEG: f64 = 0.5;

impl TripService {
    /// The base map under each exported day's map; a failure is logged and the map drawn
    /// without it (the export itself never fails for the base map).
    async fn add_base_maps(
        &self,
        trip: &mut tripgen_export::ExportTrip,
        wanted: &[(usize, usize)],
    ) {
        for day in &mut trip.days {
            if !wanted.is_empty() && !wanted.iter().any(|(_, n)| *n == day.number) {
                continue;
            }
            let Some(area) = map_area(day) else { continue };
            if area[2] - area[0] > BASE_MAP_MAX_SPAN_DEG
                || area[3] - area[1] > BASE_MAP_MAX_SPAN_DEG
            {
                continue;
            }
            match self.ports.base_maps.shapes(area).await {
                Ok(shapes) => day.base_map = shapes,
                Err(e) => {
                    tracing::warn!(error = %e, day = day.number, "export map without its base map")
                }
            }
        }
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
