//! `tripgen bench requests`: are special requests honoured or explained? Every request of
//! the suite (`data/eval/requests.json`) is planned as a 2-night trip to one city through
//! the production pipeline — `tripgen import osm` into a fresh embedded catalogue, the
//! parser, `plan_input` (wished hours, constraints, diets), `plan_trip`, `validate_plan`,
//! the wish book's verdict — and measured: wishes honoured, explained with a day remark,
//! or silently dropped (the target is none), plus the suite's intent accuracy.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use tripgen_ai::generation::city_places;
use tripgen_ai::plan_input;
use tripgen_ai::ports::{GeneratedDay, PlacePort, TripFacts};
use tripgen_ai::requests::suite::{Suite, intent_accuracy};
use tripgen_ai::requests::{WishBook, parse};
use tripgen_ai::wished_places::add_named_places;
use tripgen_location::service::CityLookup;
use tripgen_planner::itinerary::{LatLon, PlanOptions, plan_trip, validate_plan};

use crate::config::Config;

use crate::adapters::ai_location_local::LocalPlaces;

/// A Tuesday in early summer (as `bench realism`).
const FIRST_DAY: (i32, u32, u32) = (2027, 6, 8);
const NIGHTS: u64 = 2;

/// What became of one request's wishes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseRow {
    pub text: String,
    pub wishes: usize,
    pub honoured: usize,
    /// Not honoured, with a remark on a day saying why.
    pub explained: usize,
    /// Why, for each explained wish.
    pub reasons: Vec<String>,
    /// Not honoured and no remark: what the bench exists to catch.
    pub silent: Vec<String>,
    pub violations: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub city: String,
    pub intent_accuracy_pct: f64,
    pub holdout_intent_accuracy_pct: f64,
    pub cases: Vec<CaseRow>,
}

async fn plan_case(port: &LocalPlaces, facts: &TripFacts, text: &str) -> anyhow::Result<CaseRow> {
    let intent = parse(text);
    let mut slots = plan_input::day_slots(facts, 9 * 60);
    plan_input::wished_hours(&mut slots, facts, &intent);
    let dates: Vec<NaiveDate> = slots.iter().map(|s| s.date).collect();
    let mut places = city_places(port, &facts.stays[0], &dates).await?;
    add_named_places(port, &facts.stays[0].city, &dates, &intent, &mut places).await?;
    let (req, resolved) = plan_input::trip_request_resolved(
        facts,
        &slots,
        &vec![None; slots.len()],
        &places,
        &intent,
        &HashSet::new(),
        PlanOptions::default(),
    );
    let mut book = WishBook::new(&intent);
    book.last_day = Some(plan_input::last_day(facts));
    book.record(&resolved, &places);
    let plan = plan_trip(&req, port.travel_model().as_ref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let violations = validate_plan(&req, &plan).len();
    book.planner_warnings.extend(plan.warnings.iter().cloned());
    let mut trip_level = Some(plan.warnings);
    let mut days: Vec<GeneratedDay> = Vec::new();
    for (k, mut day) in plan.days.into_iter().enumerate() {
        if let Some(w) = trip_level.take() {
            day.warnings.extend(w);
        }
        let date = slots.get(k).map_or(dates[0], |s| s.date);
        days.push(GeneratedDay {
            plan: day,
            date,
            city: facts.stays[0].city.clone(),
            destination_id: uuid::Uuid::nil(),
            weather: None,
            validator_warnings: vec![],
        });
    }
    let understood = book.judge(&mut days);
    let remarks: Vec<_> = days.iter().flat_map(|d| d.plan.warnings.iter()).collect();
    let mut row = CaseRow {
        text: text.to_owned(),
        wishes: understood.len(),
        honoured: 0,
        explained: 0,
        reasons: vec![],
        silent: vec![],
        violations,
        error: None,
    };
    for u in &understood {
        if u.status == "honoured" {
            row.honoured += 1;
            continue;
        }
        let remarked = remarks.iter().any(|r| {
            r.params.get("wish") == Some(&u.wish.target)
                || matches!(
                    serde_json::to_value(r.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .as_deref(),
                    Some("MUST_VISIT_NOT_PLANNED" | "CATEGORY_UNAVAILABLE")
                )
        });
        if remarked {
            row.explained += 1;
            row.reasons.push(u.note.clone());
        } else {
            row.silent
                .push(format!("{:?} {}", u.wish.kind, u.wish.target));
        }
    }
    Ok(row)
}

fn progress(done: usize, total: usize) {
    if std::io::stderr().is_terminal() {
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width);
        eprint!(
            "\r[{}{}] {done}/{total}",
            "#".repeat(filled),
            "-".repeat(width - filled)
        );
        if done == total {
            eprintln!();
        }
    } else if done.is_multiple_of(10) || done == total {
        eprintln!("requests: {done}/{total} planned");
    }
}

/// Imports `osm` into a fresh embedded catalogue under a temporary data dir, then plans
/// every request of `suite_path` in `city`.
pub async fn run(
    mut config: Config,
    osm: &Path,
    suite_path: &Path,
    city: &str,
) -> anyhow::Result<Report> {
    let text = std::fs::read_to_string(suite_path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", suite_path.display()))?;
    let suite =
        Suite::from_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", suite_path.display()))?;
    let dir = std::env::temp_dir().join(format!("tripgen-bench-requests-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    config.data_dir = dir.clone();
    config.database.url = None;
    config.redis.url = None;
    let result = run_in(config, osm, &suite, city).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_in(config: Config, osm: &Path, suite: &Suite, city: &str) -> anyhow::Result<Report> {
    let (platform, service) =
        crate::bench_catalogue::fresh_catalogue(&config, osm, "requests").await?;
    let found = match service
        .resolve_city(city)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        CityLookup::Found(c) => c,
        CityLookup::NotFound { .. } => anyhow::bail!("{city} is not in the gazetteer"),
    };
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
        .ok_or_else(|| anyhow::anyhow!("bad first day"))?;
    let centre = LatLon {
        lat: found.centre.lat(),
        lon: found.centre.lon(),
    };
    let zone = found.time_zone.clone().unwrap_or_else(|| "UTC".into());
    let facts = crate::bench_catalogue::couple_trip(city, centre, &zone, first, NIGHTS);
    let port = LocalPlaces { service };
    let total = suite.cases.len();
    let mut cases = Vec::with_capacity(total);
    for (i, c) in suite.cases.iter().enumerate() {
        let row = plan_case(&port, &facts, &c.text)
            .await
            .unwrap_or_else(|e| CaseRow {
                text: c.text.clone(),
                wishes: 0,
                honoured: 0,
                explained: 0,
                reasons: vec![],
                silent: vec![],
                violations: 0,
                error: Some(format!("{e:#}")),
            });
        cases.push(row);
        progress(i + 1, total);
    }
    platform.db.close().await;
    let places = suite.places();
    let (acc, _, _) = intent_accuracy(suite.cases.iter().filter(|c| !c.holdout), &places);
    let (hold, _, _) = intent_accuracy(suite.cases.iter().filter(|c| c.holdout), &places);
    Ok(Report {
        city: city.to_owned(),
        intent_accuracy_pct: acc * 100.0,
        holdout_intent_accuracy_pct: hold * 100.0,
        cases,
    })
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let (mut wishes, mut honoured, mut explained, mut silent, mut errors, mut violations) =
        (0, 0, 0, 0, 0, 0);
    for c in &r.cases {
        if let Some(e) = &c.error {
            errors += 1;
            out.push_str(&format!("ERROR {}: {e}\n", c.text));
            continue;
        }
        wishes += c.wishes;
        honoured += c.honoured;
        explained += c.explained;
        silent += c.silent.len();
        violations += c.violations;
        if !c.silent.is_empty() {
            out.push_str(&format!("SILENT {}: {}\n", c.text, c.silent.join(", ")));
        }
    }
    let pct = |n: usize| {
        if wishes == 0 {
            100.0
        } else {
            100.0 * n as f64 / wishes as f64
        }
    };
    out.push_str(&format!(
        "city {}: {} requests, {wishes} wishes recognised\n",
        r.city,
        r.cases.len()
    ));
    out.push_str(&format!(
        "honoured {honoured} ({:.1} %), explained {explained} ({:.1} %), honoured or explained {:.1} %, silently dropped {silent}\n",
        pct(honoured),
        pct(explained),
        pct(honoured + explained)
    ));
    out.push_str(&format!(
        "intent accuracy {:.1} % (holdout {:.1} %); validator violations {violations}; errors {errors}\n",
        r.intent_accuracy_pct, r.holdout_intent_accuracy_pct
    ));
    out.push_str(
        "targets: intent accuracy >= 95 %, honoured or explained 100 %, silently dropped 0\n",
    );
    out.push_str(&format!("{}\n", tripgen_location::OSM_ATTRIBUTION));
    out
}
