//! The AI context's trip port backed by the trip service (same process, or the `ai`
//! target's own instance of the trip context's storage: both share the database the job
//! queue lives in).

use std::sync::Arc;

use tripgen_ai::ports::{
    ChangeCheck, GeneratedDay, MemberFacts, NoticeText, Starting, Stay, TravelPoint, TripFacts,
    TripNotice, TripPort,
};
use tripgen_planner::itinerary::{Interest, Transport};
use tripgen_trip::TripService;
use tripgen_trip::domain::model::{Preference, TransportMode, TripRecord};
use tripgen_trip::domain::planned::{self, planner_health as health};
use tripgen_trip::domain::rules::clock_minutes;
use tripgen_trip::domain::schedule::{DayPlan, DayWeather};
use uuid::Uuid;

pub struct LocalTrips {
    pub service: Arc<TripService>,
}

fn api(e: tripgen_platform::ApiError) -> anyhow::Error {
    anyhow::anyhow!("trip context: {e}")
}

fn interest(p: Preference) -> Interest {
    match p {
        Preference::Sightseeing => Interest::Sightseeing,
        Preference::Shopping => Interest::Shopping,
        Preference::Culture => Interest::Culture,
        Preference::Nature => Interest::Nature,
        Preference::Sports => Interest::Sports,
        Preference::Rest => Interest::Rest,
    }
}

pub fn facts(r: &TripRecord) -> TripFacts {
    TripFacts {
        id: r.id,
        owner_id: r.owner_id,
        name: r.name.clone(),
        transport: match r.transport_mode {
            Some(TransportMode::Car) => Transport::Car,
            _ => Transport::Public,
        },
        members: r
            .members
            .iter()
            .map(|m| MemberFacts {
                age: m.age,
                health: health(m.health_status),
                interests: m.preferences.iter().map(|p| interest(*p)).collect(),
            })
            .collect(),
        stays: r
            .destinations
            .iter()
            .map(|d| Stay {
                destination_id: d.id,
                city: d.city_name.clone(),
                time_zone: d.time_zone.clone(),
                centre: d.position,
                lodging: d.lodging,
                lodging_name: match (&d.accommodation, d.lodging_resolved) {
                    (Some(h), true) => h.clone(),
                    _ => format!("{} centre", d.city_name),
                },
                start_date: d.start_date,
                end_date: d.end_date,
                check_in: clock_minutes(&d.check_in_time),
                check_out: clock_minutes(&d.check_out_time),
            })
            .collect(),
        arrival: r.arrival.as_ref().map(travel_point),
        departure: r.departure.as_ref().map(travel_point),
        generation_request_id: r.generation_request_id.clone(),
        missing: TripService::generation_blockers(r)
            .into_iter()
            .map(|m| m.field)
            .collect(),
        // The location context's knowledge: the generation asks the place port.
        links: Vec::new(),
    }
}

/// An arrival or departure point as the generation reads it.
fn travel_point(p: &tripgen_trip::domain::model::TravelPoint) -> TravelPoint {
    TravelPoint {
        name: p.name.clone(),
        position: p.position,
        time: clock_minutes(&p.time),
        time_zone: p.time_zone.clone(),
    }
}

/// The planner's day and what the trip stores beside it.
pub fn stored_day(d: GeneratedDay) -> DayPlan {
    planned::stored_day(
        d.plan,
        planned::DayContext {
            date: d.date,
            city: d.city,
            destination_id: d.destination_id,
            weather: d.weather.map(|w| DayWeather {
                sky: w.sky,
                min_temp_c: w.min_temp_c,
                max_temp_c: w.max_temp_c,
                air: w.air,
                warnings: w.warnings,
            }),
            validator_warnings: d.validator_warnings,
        },
    )
}

#[tripgen_trip::ports::async_trait]
impl TripPort for LocalTrips {
    async fn facts(&self, trip_id: Uuid) -> anyhow::Result<Option<TripFacts>> {
        let r = self.service.record(trip_id).await.map_err(api)?;
        Ok(r.filter(|r| r.deleted_at.is_none()).map(|r| facts(&r)))
    }

    async fn started(&self, trip_id: Uuid, rid: &str) -> anyhow::Result<bool> {
        self.service
            .generation_started(trip_id, rid)
            .await
            .map_err(api)
    }

    async fn places_by_day(&self, trip_id: Uuid) -> anyhow::Result<Vec<Vec<String>>> {
        let plans = self.service.current_plans(trip_id).await.map_err(api)?;
        let n = plans.iter().map(|d| d.day_index + 1).max().unwrap_or(0);
        let mut out = vec![Vec::new(); n];
        for d in plans {
            out[d.day_index] = d.stops.into_iter().map(|s| s.place_id).collect();
        }
        Ok(out)
    }

    async fn save(
        &self,
        trip_id: Uuid,
        rid: &str,
        days: Vec<GeneratedDay>,
        whole_trip: bool,
    ) -> anyhow::Result<bool> {
        let days = days.into_iter().map(stored_day).collect();
        self.service
            .save_generation(trip_id, rid, days, whole_trip)
            .await
            .map_err(api)
    }

    async fn failed(&self, trip_id: Uuid, rid: &str) -> anyhow::Result<()> {
        self.service
            .generation_failed(trip_id, rid)
            .await
            .map_err(api)
    }

    async fn starting_between(&self, from_ms: i64, to_ms: i64) -> anyhow::Result<Vec<Starting>> {
        Ok(self
            .service
            .trips_starting_between(from_ms, to_ms)
            .await
            .map_err(api)?
            .into_iter()
            .map(|t| Starting {
                trip_id: t.id,
                owner_id: t.owner_id,
                start_date: t.start_date,
            })
            .collect())
    }

    async fn check_changes(&self, trip_id: Uuid) -> anyhow::Result<Option<ChangeCheck>> {
        let Some(report) = self.service.check_trip_now(trip_id).await.map_err(api)? else {
            return Ok(None);
        };
        Ok(Some(ChangeCheck {
            changed: report.changed,
            suggestion: serde_json::to_value(report.suggestion)?
                .as_str()
                .unwrap_or("keep")
                .to_string(),
            report: serde_json::to_value(&report)?,
        }))
    }

    async fn notify(
        &self,
        trip_id: Uuid,
        notice: &TripNotice,
    ) -> anyhow::Result<Option<Vec<NoticeText>>> {
        let report = match &notice.report {
            Some(v) => Some(serde_json::from_value(v.clone())?),
            None => None,
        };
        let stored = self
            .service
            .add_notice(
                trip_id,
                &notice.key,
                &notice.kind,
                &notice.params,
                report.as_ref(),
            )
            .await
            .map_err(api)?;
        if stored.is_none() {
            return Ok(None);
        }
        let texts =
            tripgen_trip::app::notices::notice_texts(&notice.kind, &notice.params, report.as_ref())
                .unwrap_or_default();
        Ok(Some(
            texts
                .into_iter()
                .map(|t| NoticeText {
                    lang: t.lang,
                    title: t.title,
                    message: t.message,
                })
                .collect(),
        ))
    }
}
