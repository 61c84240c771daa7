//! The `ai-schedule-generation` job: analyse the trip → weather per city and day →
//! candidate places per city → planner per city (travel model, opening hours, group
//! rules) → independent validator → save all days as one new version (or the one day of a
//! day regeneration). Progress is written to the job row at every step.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{Value, json};
use tripgen_planner::itinerary::{
    PlanOptions, TripRequest, plan_trip, validate_journeys, validate_plan, validate_travel,
};

use tripgen_platform::jobs::payload::{GenerationScope, ScheduleGeneration};
use tripgen_platform::jobs::{Job, JobContext, JobError, JobHandler, KIND_SCHEDULE_GENERATION};

use crate::journeys;
use crate::plan_input::{self, DaySlot};
use crate::ports::{AiPorts, DayForecast, GeneratedDay, PlaceFacts, PlacePort, Stay, TripFacts};
use crate::progress::{Step, Tracker};
use crate::requests::outcome::Understood;
use crate::requests::{RequestIntent, Resolved, WishBook};
use crate::wished_places::add_named_places;
use serde::Serialize;
use utoipa::ToSchema;

/// The `result` of a completed generation (the status endpoint's `result`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerationResult {
    /// `false` when the request was cancelled or saved by an earlier attempt.
    pub saved: bool,
    /// Days planned.
    pub days: usize,
    /// Warnings on the planned days (day remarks included).
    pub warnings: usize,
    /// `forecast` or `unavailable`.
    #[schema(value_type = String)]
    pub weather: &'static str,
    /// Every wish understood in the special requests, honoured or explained.
    pub understood: Vec<Understood>,
}

/// Where a generation's time goes: each step's seconds in the
/// `tripgen_generation_step_seconds{step}` histogram (`optimise` holds `plan` and
/// `validate` of every city, which are also recorded on their own).
struct StepClock(Instant);

impl StepClock {
    fn start() -> Self {
        StepClock(Instant::now())
    }

    /// Records the time since the last lap as `step`.
    fn lap(&mut self, step: &'static str) {
        let now = Instant::now();
        metrics::histogram!("tripgen_generation_step_seconds", "step" => step)
            .record(now.duration_since(self.0).as_secs_f64());
        self.0 = now;
    }
}

/// Catalogue search around each hotel.
const RADIUS_M: f64 = 4_000.0;
const RADIUS_WIDE_M: f64 = 10_000.0;
const MIN_CANDIDATES: usize = 40;
const CANDIDATE_LIMIT: usize = 1_500;

const WEATHER_UNAVAILABLE: &str =
    "Forecast unavailable for this day: the plan does not take the weather into account.";

/// Tuning of the planner per city (the planner's defaults unless changed).
#[derive(Debug, Clone, Default)]
pub struct Tuning {
    pub options: PlanOptions,
}

pub struct GenerationHandler {
    ports: AiPorts,
    tuning: Tuning,
}

impl GenerationHandler {
    pub fn new(ports: AiPorts, tuning: Tuning) -> Self {
        GenerationHandler { ports, tuning }
    }
}

fn retry(e: anyhow::Error) -> JobError {
    JobError::Retry(format!("{e:#}"))
}

fn minutes_of(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// One city's share of the work.
struct CityWork {
    stay: usize,
    slots: Vec<DaySlot>,
    forecasts: Vec<Option<DayForecast>>,
    places: Vec<PlaceFacts>,
}

#[async_trait]
impl JobHandler for GenerationHandler {
    fn kind(&self) -> &'static str {
        KIND_SCHEDULE_GENERATION
    }

    async fn run(&self, job: &Job, ctx: &JobContext) -> Result<Option<Value>, JobError> {
        let p: ScheduleGeneration = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("malformed job payload: {e}")))?;
        let rid = job.id.to_string();
        let trips = &self.ports.trips;

        // --- analyse ------------------------------------------------------------------
        let Some(mut facts) = trips.facts(p.trip_id).await.map_err(retry)? else {
            return Err(JobError::Permanent("the trip no longer exists".into()));
        };
        if !trips.started(p.trip_id, &rid).await.map_err(retry)? {
            // Cancelled, superseded, or saved by an earlier attempt: nothing to do.
            return Ok(Some(json!({ "saved": false, "reason": "not in progress" })));
        }
        if !facts.missing.is_empty() {
            return Err(JobError::Permanent(format!(
                "the trip is incomplete: {}",
                facts.missing.join(", ")
            )));
        }
        // Stations and ferry routes between consecutive cities (the journeys' ways).
        facts.links = Vec::with_capacity(facts.stays.len().saturating_sub(1));
        for pair in facts.stays.windows(2) {
            let links = self
                .ports
                .places
                .journey_links(pair[0].lodging, pair[1].lodging)
                .await
                .map_err(retry)?;
            facts.links.push(links);
        }
        let start = minutes_of(&p.start_time).unwrap_or(9 * 60);
        // The request is read first: a wished day start or end shapes the days.
        let intent = self.understand(&p.special_requests).await;
        let mut all = plan_input::day_slots(&facts, start);
        plan_input::wished_hours(&mut all, &facts, &intent);
        let target: Vec<DaySlot> = match p.scope {
            GenerationScope::Trip => all.clone(),
            GenerationScope::Day { day } => all
                .iter()
                .filter(|s| s.index + 1 == day as usize)
                .cloned()
                .collect(),
        };
        if target.is_empty() {
            return Err(JobError::Permanent("the trip has no such day".into()));
        }
        let mut clock = StepClock::start();
        let tracker = Tracker::new(target.len());
        ctx.progress(tracker.at(Step::Analyse, 0.5, "Reading the trip and your requests."))
            .await?;
        let mut exclude: HashSet<String> = HashSet::new();
        // The regenerated day's own places: left out too, so the traveller gets another day
        // rather than the same one reshuffled (issue 22) — see `leave_out_previous`.
        let mut previous: HashSet<String> = HashSet::new();
        if let GenerationScope::Day { day } = p.scope {
            let used = trips.places_by_day(p.trip_id).await.map_err(retry)?;
            for (i, ids) in used.into_iter().enumerate() {
                if i + 1 != day as usize {
                    exclude.extend(ids);
                } else {
                    previous.extend(ids);
                }
            }
        }
        let mut work: Vec<CityWork> = Vec::new();
        for slot in &target {
            match work.iter_mut().find(|w| w.stay == slot.stay) {
                Some(w) => w.slots.push(slot.clone()),
                None => work.push(CityWork {
                    stay: slot.stay,
                    slots: vec![slot.clone()],
                    forecasts: Vec::new(),
                    places: Vec::new(),
                }),
            }
        }

        clock.lap("analyse");
        // --- weather ------------------------------------------------------------------
        ctx.progress(tracker.at(Step::Weather, 0.0, "Checking the weather."))
            .await?;
        // Every city at once: the weather step takes one provider timeout at most, however
        // many cities the trip has (the port bounds each call by that timeout).
        let mut asks = tokio::task::JoinSet::new();
        for (i, w) in work.iter().enumerate() {
            let s = &facts.stays[w.stay];
            let dates: Vec<_> = w.slots.iter().map(|d| d.date).collect();
            let (weather, lodging, zone) =
                (self.ports.weather.clone(), s.lodging, s.time_zone.clone());
            asks.spawn(async move {
                let answer = weather.forecast(lodging, &zone, &dates).await;
                (i, dates.len(), answer)
            });
        }
        let mut with_forecast = 0usize;
        while let Some(joined) = asks.join_next().await {
            let Ok((i, n, answer)) = joined else {
                continue; // a panicked ask leaves that city weather-neutral
            };
            let forecasts = match answer {
                Ok(f) if f.len() == n => f,
                Ok(_) => vec![None; n],
                Err(e) => {
                    tracing::warn!(error = %e, "weather unavailable; planning weather-neutral");
                    vec![None; n]
                }
            };
            with_forecast += forecasts.iter().flatten().count();
            if let Some(w) = work.get_mut(i) {
                w.forecasts = forecasts;
            }
        }

        clock.lap("weather");
        // --- places -------------------------------------------------------------------
        let n = work.len();
        // Every city's catalogue read at once (database reads and hours evaluation on the
        // blocking pool), then taken in trip order.
        let mut finds = Vec::with_capacity(n);
        for w in &work {
            let (port, stay) = (self.ports.places.clone(), facts.stays[w.stay].clone());
            let dates: Vec<_> = w.slots.iter().map(|d| d.date).collect();
            finds.push(tokio::spawn(async move {
                city_places(port.as_ref(), &stay, &dates).await
            }));
        }
        for (i, (w, find)) in work.iter_mut().zip(finds).enumerate() {
            let s = &facts.stays[w.stay];
            ctx.progress(tracker.at(
                Step::Places,
                i as f64 / n as f64,
                format!("Finding places in {}.", s.city),
            ))
            .await?;
            let mut places = find
                .await
                .map_err(|e| JobError::Retry(format!("catalogue task failed: {e}")))?
                .map_err(retry)?;
            // A place the request names far from the hotel: looked up over the whole city.
            let dates: Vec<_> = w.slots.iter().map(|d| d.date).collect();
            add_named_places(
                self.ports.places.as_ref(),
                &s.city,
                &dates,
                &intent,
                &mut places,
            )
            .await
            .map_err(retry)?;
            places.retain(|p| !exclude.contains(&p.id));
            leave_out_previous(&mut places, &previous, &intent);
            w.places = places;
        }

        clock.lap("places");
        // --- optimise -----------------------------------------------------------------
        let travel = self.ports.places.travel_model();
        let mut halves: Vec<(DaySlot, GeneratedDay)> = Vec::new();
        let mut wishes = WishBook::new(&intent);
        wishes.last_day = Some(plan_input::last_day(&facts));
        // One city after the other: the planner's time limit is a safety net, but where it
        // triggers (a slow or loaded machine) two planners sharing the cores would each get
        // fewer iterations and plan differently than alone.
        for (i, w) in work.into_iter().enumerate() {
            let s = facts.stays[w.stay].clone();
            ctx.progress(tracker.at(
                Step::Optimise,
                i as f64 / n as f64,
                format!("Planning the days in {}.", s.city),
            ))
            .await?;
            let (req, resolved) = self.request(&facts, &w, &intent, &exclude, p.seed)?;
            wishes.record(&resolved, &w.places);
            let travel = travel.clone();
            let (plan, violations) = tokio::task::spawn_blocking(move || {
                let mut clock = StepClock::start();
                let plan = plan_trip(&req, travel.as_ref());
                clock.lap("plan");
                plan.map(|plan| {
                    let mut v = validate_plan(&req, &plan);
                    // Legs timed again on the same travel model (routed where a graph is).
                    v.extend(validate_travel(&plan, travel.as_ref()));
                    clock.lap("validate");
                    (plan, v)
                })
            })
            .await
            .map_err(|e| JobError::Retry(format!("planner task failed: {e}")))?
            .map_err(|e| JobError::Permanent(format!("the planner failed: {e}")))?;
            if !violations.is_empty() {
                tracing::error!(count = violations.len(), city = %s.city, "validator found violations in a plan");
            }
            wishes
                .planner_warnings
                .extend(plan.warnings.iter().cloned());
            let mut trip_level = Some(plan.warnings);
            for (k, mut day) in plan.days.into_iter().enumerate() {
                let Some(slot) = w.slots.get(k) else { continue };
                // The city's trip-level warnings (a must-visit that fits no day) go on its
                // first day, where the traveller reads them.
                if let Some(tw) = trip_level.take() {
                    day.warnings.extend(tw);
                }
                let forecast = w.forecasts.get(k).cloned().flatten();
                if forecast.is_none() {
                    day.weather_notes.push(WEATHER_UNAVAILABLE.into());
                    day.weather_note_codes.push("WEATHER_UNAVAILABLE".into());
                }
                let validator_warnings = violations
                    .iter()
                    .filter(|v| v.day == Some(k) || v.day.is_none())
                    .map(|v| (format!("VALIDATOR_{}", v.rule), v.message.clone()))
                    .collect();
                day.day_index = slot.index;
                halves.push((
                    slot.clone(),
                    GeneratedDay {
                        plan: day,
                        date: slot.date,
                        city: s.city.clone(),
                        destination_id: s.destination_id,
                        weather: forecast,
                        validator_warnings,
                    },
                ));
            }
            ctx.check()?;
        }
        clock.lap("optimise");
        // Travel days: the morning of one city and the evening of the next around the
        // journey; then the trip's journeys checked as a whole.
        let mut days = journeys::join(halves);
        check_journeys(&facts, &mut days);
        let understood = wishes.judge(&mut days);
        let warnings: usize = days.iter().map(|d| d.plan.warnings.len()).sum();

        clock.lap("journeys");
        // --- save ---------------------------------------------------------------------
        ctx.progress(tracker.at(Step::Save, 0.0, "Saving the schedule."))
            .await?;
        let whole = matches!(p.scope, GenerationScope::Trip);
        let count = days.len();
        let saved = trips
            .save(p.trip_id, &rid, days, whole)
            .await
            .map_err(retry)?;
        clock.lap("save");
        let result = GenerationResult {
            saved,
            days: count,
            warnings,
            weather: if with_forecast > 0 {
                "forecast"
            } else {
                "unavailable"
            },
            understood,
        };
        serde_json::to_value(result)
            .map(Some)
            .map_err(|e| JobError::Permanent(format!("cannot write the result: {e}")))
    }

    async fn dead_lettered(&self, job: &Job, reason: &str) {
        let Ok(p) = serde_json::from_value::<ScheduleGeneration>(job.payload.clone()) else {
            return;
        };
        tracing::warn!(job = %job.id, reason, "generation dead-lettered");
        if let Err(e) = self
            .ports
            .trips
            .failed(p.trip_id, &job.id.to_string())
            .await
        {
            tracing::error!(error = %e, "cannot mark the trip's generation failed");
        }
    }
}

impl GenerationHandler {
    /// Special requests → intent: the language model when configured (validated like user
    /// input; any failure falls back), else the deterministic parser.
    async fn understand(&self, text: &str) -> RequestIntent {
        crate::llm::understand(self.ports.language.as_deref(), text).await
    }

    fn request(
        &self,
        facts: &TripFacts,
        w: &CityWork,
        intent: &RequestIntent,
        exclude: &HashSet<String>,
        seed: u64,
    ) -> Result<(TripRequest, Resolved), JobError> {
        let mut options = self.tuning.options.clone();
        options.seed = seed.max(1);
        Ok(plan_input::trip_request_resolved(
            facts,
            &w.slots,
            &w.forecasts,
            &w.places,
            intent,
            exclude,
            options,
        ))
    }
}

/// The catalogue's places around a stay's lodging (the most significant first, at most
/// [`CANDIDATE_LIMIT`]), widened when the neighbourhood is thin; hours on `dates`.
pub async fn city_places(
    places: &dyn PlacePort,
    stay: &Stay,
    dates: &[chrono::NaiveDate],
) -> anyhow::Result<Vec<PlaceFacts>> {
    let found = places
        .candidates(&stay.city, stay.lodging, RADIUS_M, CANDIDATE_LIMIT, dates)
        .await?;
    if found.len() >= MIN_CANDIDATES {
        return Ok(found);
    }
    places
        .candidates(
            &stay.city,
            stay.lodging,
            RADIUS_WIDE_M,
            CANDIDATE_LIMIT,
            dates,
        )
        .await
}

/// The independent journey validator over the generated days (one per city change, both
/// time zones, nothing in A after the departure or in B before arrival and check-in,
/// each day from and to that night's hotel); findings go on their day like the per-city
/// validator's.
fn check_journeys(facts: &TripFacts, days: &mut [GeneratedDay]) {
    let dates: Vec<(usize, chrono::NaiveDate)> =
        days.iter().map(|d| (d.plan.day_index, d.date)).collect();
    let stays = journeys::day_stays(facts, &dates);
    let plans: Vec<_> = days.iter().map(|d| d.plan.clone()).collect();
    let found = validate_journeys(&plans, &stays);
    if !found.is_empty() {
        tracing::error!(count = found.len(), "journey validator found violations");
    }
    for v in found {
        if let Some(d) = v.day.and_then(|i| days.get_mut(i)) {
            d.validator_warnings
                .push((format!("VALIDATOR_{}", v.rule), v.message));
        }
    }
}

/// The handlers of the AI context's workers.
pub fn handlers(ports: AiPorts, tuning: Tuning) -> Vec<Arc<dyn JobHandler>> {
    vec![Arc::new(GenerationHandler::new(ports, tuning))]
}

/// A regenerated day plans from other places than the day had (same rules, same scoring:
/// only the candidates differ), keeping the places the traveller's requests name. When
/// leaving them out would leave fewer than twice as many candidates as the day had, the
/// city is too small for that and the day is replanned from all of them (a new seed still
/// reorders it).
fn leave_out_previous(
    places: &mut Vec<PlaceFacts>,
    previous: &HashSet<String>,
    intent: &RequestIntent,
) {
    if previous.is_empty() {
        return;
    }
    let fresh = places.iter().filter(|p| !previous.contains(&p.id)).count();
    if fresh < 2 * previous.len() {
        return;
    }
    let names: Vec<(String, Vec<String>)> = places
        .iter()
        .map(|p| (p.id.clone(), p.names.clone()))
        .collect();
    let wished = intent.resolve(&names).constraints.must_visit;
    places.retain(|p| !previous.contains(&p.id) || wished.contains(&p.id));
}
