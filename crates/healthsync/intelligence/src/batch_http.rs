//! Admin API of the daily batch (HS-BATCH-030): list runs, one run, start one for a date.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult, FieldError, Problem};
use tripgen_platform::http::optional_json_body;
use tripgen_platform::jobs::JobQueue;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::batch::repo::BatchRunRow;
use crate::batch::run::BatchRunner;
use crate::batch::schedule;

pub struct BatchAdmin {
    pub runner: Arc<BatchRunner>,
    pub queue: JobQueue,
}

type Svc = State<Arc<BatchAdmin>>;

/// Routes relative to `/api/v1/intelligence`.
pub fn router(admin: Arc<BatchAdmin>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(list_runs, start_run))
        .routes(routes!(get_run))
        .with_state(admin)
}

fn admin_only(who: &AuthUser) -> ApiResult<()> {
    if who.role == "admin" {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Administrators only.",
        ))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunList {
    pub items: Vec<BatchRunRow>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StartRun {
    /// `YYYY-MM-DD`; default today in `app.time_zone`.
    pub date: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Started {
    pub run_id: Uuid,
}

/// The latest 50 runs, newest first.
#[utoipa::path(get, path = "/batch/runs", tag = "intelligence", security(("bearer" = [])),
    responses((status = 200, body = RunList), (status = 403, body = Problem)))]
async fn list_runs(State(a): Svc, who: AuthUser) -> ApiResult<Json<RunList>> {
    admin_only(&who)?;
    Ok(Json(RunList {
        items: a.runner.repo.runs(50).await?,
    }))
}

/// One run's report.
#[utoipa::path(get, path = "/batch/runs/{runId}", tag = "intelligence", security(("bearer" = [])),
    params(("runId" = Uuid, Path)),
    responses((status = 200, body = BatchRunRow), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_run(
    State(a): Svc,
    who: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<BatchRunRow>> {
    admin_only(&who)?;
    let not_found = || ApiError::not_found("NOT_FOUND", "No such batch run.");
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    Ok(Json(a.runner.repo.run(id).await?.ok_or_else(not_found)?))
}

/// Starts a run for a date (a rerun only fills gaps); it runs on a worker.
#[utoipa::path(post, path = "/batch/runs", tag = "intelligence", security(("bearer" = [])),
    request_body(content = Option<StartRun>, description = "optional"),
    responses((status = 202, body = Started), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn start_run(
    State(a): Svc,
    who: AuthUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Started>)> {
    admin_only(&who)?;
    let req: StartRun = optional_json_body(&body)?;
    let today = a
        .runner
        .clock
        .now()
        .with_timezone(&a.runner.time_zone)
        .date_naive();
    let date = match req.date.as_deref() {
        None => today,
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today && chrono::Datelike::year(d) >= 2000)
            .ok_or_else(|| {
                ApiError::validation(vec![FieldError::new(
                    "date",
                    "INVALID_DATE",
                    "date must be YYYY-MM-DD, from 2000 up to today",
                )])
            })?,
    };
    let (run_id, mut job) = schedule::job(date, a.queue.now_ms());
    // An admin's run is its own job (the daily key would return the scheduled one).
    job.dedupe_key = Some(format!("{}:{date}:{run_id}", schedule::JOB_KIND));
    a.queue.enqueue(&job).await?;
    Ok((StatusCode::ACCEPTED, Json(Started { run_id })))
}
