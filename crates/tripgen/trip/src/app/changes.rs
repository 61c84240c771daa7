//! Change detection (TRIP-062): `POST /{id}/schedules/check` compares the weather each
//! upcoming day was planned with against the current forecast and checks every stop's
//! opening hours at its planned time in the catalogue; a closed stop gets a nearby open
//! alternative of the same kind. The result is stored per trip and answered again (with
//! `cached: true`) for the rest of the local day, unless the schedule changed meanwhile,
//! so viewing a trip runs the check at most once a day. The D-1 notification job runs
//! [`TripService::check_trip_now`] (always fresh).

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use tripgen_platform::AuthUser;
use tripgen_platform::error::{ApiError, ApiResult};
use tripgen_platform::i18n::Language;
use tripgen_platform::with_db;
use uuid::Uuid;

use crate::app::schedules::StoredDay;
use crate::app::{TripService, trip_not_found};
use crate::domain::calendar::parse_tz;
use crate::domain::changes::{
    self, AffectedDay, AffectedStop, ChangeReport, NearbyAlternative, StopState, Suggestion,
};
use crate::domain::model::TripRecord;
use crate::domain::schedule::{DayWeather, StopKind};
use crate::domain::texts;
use crate::ports::OpenNearby;

/// How far a replacement may be from the closed stop.
const ALTERNATIVE_RADIUS_M: f64 = 1_500.0;

fn no_schedule() -> ApiError {
    ApiError::conflict(
        "NO_SCHEDULE",
        "Generate the schedule before checking it for changes.",
    )
}

fn upstream(e: anyhow::Error) -> ApiError {
    tracing::warn!(error = %e, "change detection: the place catalogue is unavailable");
    ApiError::unavailable("The place catalogue is unavailable; try again shortly.")
}

/// The current versions of the days: a new version of any day changes it.
fn fingerprint(days: &[StoredDay]) -> String {
    days.iter()
        .map(|d| format!("{}:{}", d.plan.day_index, d.version))
        .collect::<Vec<_>>()
        .join(",")
}

impl TripService {
    /// The trip's local date now (zone of its first city).
    fn local_today(&self, r: &TripRecord) -> NaiveDate {
        let now = self.now();
        match r.destinations.first().and_then(|d| parse_tz(&d.time_zone)) {
            Some(tz) => now.with_timezone(&tz).date_naive(),
            None => now.date_naive(),
        }
    }

    /// `POST /{id}/schedules/check`: today's stored check, or a new one.
    pub async fn check_schedule(
        &self,
        who: &AuthUser,
        id: Uuid,
        lang: Language,
    ) -> ApiResult<ChangeReport> {
        let r = self.owned(who, id).await?;
        let mut report = self.check_record(&r, false).await?;
        texts::localize_report(&mut report, lang);
        Ok(report)
    }

    /// A fresh check of trip `id` whoever owns it (the D-1 job); `None` without a
    /// schedule or for a deleted trip.
    pub async fn check_trip_now(&self, id: Uuid) -> ApiResult<Option<ChangeReport>> {
        let Some(r) = self.record(id).await?.filter(|r| r.deleted_at.is_none()) else {
            return Ok(None);
        };
        match self.check_record(&r, true).await {
            Ok(report) => Ok(Some(report)),
            Err(e) if e.code == "NO_SCHEDULE" => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn check_record(&self, r: &TripRecord, fresh: bool) -> ApiResult<ChangeReport> {
        let days = self.current_days(r.id).await?;
        if days.is_empty() {
            return Err(no_schedule());
        }
        let print = fingerprint(&days);
        let today = self.local_today(r).to_string();
        if !fresh
            && let Some((date, stored_print, mut report)) = self.stored_check(r.id).await?
            && date == today
            && stored_print == print
        {
            report.cached = true;
            return Ok(report);
        }
        let report = self.detect(r, &days).await?;
        self.store_check(r.id, &today, &print, &report).await?;
        Ok(report)
    }

    async fn detect(&self, r: &TripRecord, days: &[StoredDay]) -> ApiResult<ChangeReport> {
        // Upcoming days only, with today's date in each day's own city.
        let now = self.now();
        let upcoming: Vec<&StoredDay> = days
            .iter()
            .filter(|d| {
                let zone = d
                    .plan
                    .destination_id
                    .and_then(|id| r.destinations.iter().find(|x| x.id == id))
                    .or_else(|| r.destinations.first())
                    .and_then(|x| parse_tz(&x.time_zone));
                let today = match zone {
                    Some(tz) => now.with_timezone(&tz).date_naive(),
                    None => now.date_naive(),
                };
                d.plan.date >= today
            })
            .collect();

        // Current forecasts per stay (one provider call per city).
        let mut by_stay: BTreeMap<usize, Vec<NaiveDate>> = BTreeMap::new();
        let stay_of = |d: &StoredDay| {
            d.plan
                .destination_id
                .and_then(|id| r.destinations.iter().position(|x| x.id == id))
                .unwrap_or(0)
        };
        for d in upcoming.iter().copied() {
            by_stay.entry(stay_of(d)).or_default().push(d.plan.date);
        }
        let mut current: BTreeMap<(usize, NaiveDate), DayWeather> = BTreeMap::new();
        for (stay, dates) in &by_stay {
            let Some(dest) = r.destinations.get(*stay) else {
                continue;
            };
            match self.ports.forecasts.forecast(dest.lodging, dates).await {
                Ok(list) => {
                    for (date, f) in dates.iter().zip(list) {
                        if let Some(f) = f {
                            current.insert((*stay, *date), f);
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "change detection: no forecast"),
            }
        }

        let in_trip: HashSet<String> = days
            .iter()
            .flat_map(|d| d.plan.stops.iter().map(|s| s.place_id.clone()))
            .collect();
        let mut affected = Vec::new();
        let mut all = Vec::new();
        for d in upcoming.iter().copied() {
            let day = d.plan.day_index + 1;
            let now_weather = current.get(&(stay_of(d), d.plan.date));
            let mut reasons = match now_weather {
                Some(w) => changes::weather_reasons(day, d.plan.weather.as_ref(), w),
                None => Vec::new(),
            };
            let mut stops = Vec::new();
            // A journey is no catalogue place: a weather change on its day concerns it.
            let weather_changed = !reasons.is_empty();
            for (i, s) in d.plan.stops.iter().enumerate() {
                if s.journey.is_some() {
                    if weather_changed && let Some(r) = changes::journey_reason(day, i, s) {
                        reasons.push(r);
                    }
                    continue;
                }
                if s.kind == StopKind::Rest && s.place_id.is_empty() {
                    continue;
                }
                let place = self
                    .ports
                    .places
                    .place(&s.place_id, d.plan.date)
                    .await
                    .map_err(upstream)?;
                let state = changes::stop_state(
                    s,
                    place
                        .as_ref()
                        .map(|p| (p.category.as_str(), p.indoor, p.hours.as_deref())),
                );
                let Some(reason) = changes::stop_reason(day, i, s, &state) else {
                    continue;
                };
                let alternative = match state {
                    StopState::Closed(_) | StopState::Removed => {
                        let q = OpenNearby {
                            near: s.position,
                            category: s.category.clone(),
                            date: d.plan.date,
                            start: s.start,
                            end: s.end,
                            radius_m: ALTERNATIVE_RADIUS_M,
                            exclude: in_trip.clone(),
                        };
                        self.ports
                            .places
                            .open_nearby(&q, 1)
                            .await
                            .map_err(upstream)?
                            .into_iter()
                            .next()
                            .map(|p| NearbyAlternative {
                                metres: changes::metres(s.position, p.position),
                                open: p
                                    .hours
                                    .as_deref()
                                    .map(changes::intervals_text)
                                    .unwrap_or_default(),
                                place_id: p.id,
                                name: p.name,
                                category: p.category,
                            })
                    }
                    _ => None,
                };
                stops.push(AffectedStop {
                    stop_index: i,
                    place_id: s.place_id.clone(),
                    name: s.name.clone(),
                    start: crate::domain::schedule::hhmm(s.start),
                    end: crate::domain::schedule::hhmm(s.end),
                    code: reason.code.clone(),
                    suggestion: if matches!(state, StopState::Unknown) {
                        Suggestion::Keep
                    } else {
                        Suggestion::ReplacePlace
                    },
                    alternative,
                });
                reasons.push(reason);
            }
            if reasons.is_empty() {
                continue;
            }
            let suggestion = changes::day_suggestion(&d.plan, &reasons);
            all.extend(reasons.iter().cloned());
            affected.push(AffectedDay {
                day,
                date: d.plan.date,
                city: d.plan.city.clone(),
                reasons,
                stops,
                suggestion,
                planned_weather: d.plan.weather.clone(),
                current_weather: now_weather.cloned(),
            });
        }
        let suggestion = affected
            .iter()
            .map(|d| d.suggestion)
            .max()
            .unwrap_or(Suggestion::Keep);
        Ok(ChangeReport {
            trip_id: r.id,
            checked_at: now,
            cached: false,
            changed: !all.is_empty(),
            suggestion,
            reasons: all,
            days: affected,
            days_checked: upcoming.len(),
            days_with_forecast: current.len(),
        })
    }

    async fn stored_check(&self, trip: Uuid) -> ApiResult<Option<(String, String, ChangeReport)>> {
        const SQL: &str =
            "SELECT local_date, fingerprint, report FROM trip_change_checks WHERE trip_id = $1";
        let row: Option<(String, String, String)> = with_db!(&self.platform.db, |pool| {
            sqlx::query_as(SQL).bind(trip).fetch_optional(pool).await
        })?;
        Ok(row.and_then(|(date, print, report)| {
            // A report stored by an older version that no longer parses is simply redone.
            serde_json::from_str(&report)
                .ok()
                .map(|report| (date, print, report))
        }))
    }

    async fn store_check(
        &self,
        trip: Uuid,
        local_date: &str,
        print: &str,
        report: &ChangeReport,
    ) -> ApiResult<()> {
        const SQL: &str = "INSERT INTO trip_change_checks (trip_id, checked_at, local_date, fingerprint, report) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (trip_id) DO UPDATE SET checked_at = excluded.checked_at, \
             local_date = excluded.local_date, fingerprint = excluded.fingerprint, report = excluded.report";
        let json = serde_json::to_string(report).map_err(|_| ApiError::internal())?;
        let now = self.now_ms();
        with_db!(&self.platform.db, |pool| {
            sqlx::query(SQL)
                .bind(trip)
                .bind(now)
                .bind(local_date)
                .bind(print)
                .bind(&json)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(|e| {
            // The trip may have been deleted (purged) meanwhile.
            if matches!(&e, sqlx::Error::Database(d) if d.is_foreign_key_violation()) {
                trip_not_found()
            } else {
                ApiError::from(e)
            }
        })?;
        Ok(())
    }
}
