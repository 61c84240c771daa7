//! Recommendations for a place in the context of a trip (AI-020): why it fits this group
//! (interests, ages, health, transport) and tips (best time from its opening hours on the
//! days of the stay, expected duration, accessibility, weather preparation, a nearby
//! alternative of the same kind). The content is computed by the rules below over the
//! catalogue; a configured language model only rephrases the summary (its answer is
//! validated, the rule text is the fallback). Cached 24 h per place and group profile.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tripgen_planner::itinerary::{Category, Health, LatLon, Mode, Transport, haversine_m};
use tripgen_platform::cache::{Cache, Freshness};
use tripgen_platform::i18n::{Language, category_name as category_label};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ports::{AiPorts, DayForecast, PlaceFacts, Stay, TripFacts};

mod rules;

/// PRODUCT.md §5: recommendations are cached 24 h.
pub const RECOMMENDATION_TTL: Duration = Duration::from_secs(24 * 3600);
/// Where to look for an alternative of the same kind.
const ALTERNATIVE_RADIUS_M: f64 = 1_500.0;
/// Longest summary a language model may write.
const SUMMARY_MAX: usize = 600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationReason {
    /// `INTEREST_MATCH`, `CHILDREN`, `SENIORS`, `STEP_FREE`, `NOT_STEP_FREE`,
    /// `ACCESS_UNKNOWN`, `NEAR_LODGING`, `FAR_FROM_LODGING`, `RAIN_PROOF`, `CLOSED_DURING_STAY`.
    pub code: String,
    pub text: String,
    /// `true` for a reason in favour, `false` for a caveat.
    pub positive: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BestTime {
    pub text: String,
    /// The first good date of the stay and the window (`HH:MM`), when the hours are known.
    pub date: Option<NaiveDate>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AlternativePlace {
    pub place_id: String,
    pub name: String,
    pub category: String,
    pub metres: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tips {
    pub best_time: BestTime,
    /// Expected visit length for this group.
    pub duration_minutes: u32,
    pub duration: String,
    pub accessibility: String,
    pub weather: String,
    pub alternative: Option<AlternativePlace>,
}

/// `POST /api/v1/ai/places/{pid}/recommendations`,
/// `GET /api/v1/locations/places/{pid}/recommendations?tripId=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    pub place_id: String,
    pub trip_id: Uuid,
    pub name: String,
    pub category: String,
    /// The city of the trip the place belongs to (the nearest stay).
    pub city: String,
    /// 0–100: how well the place fits the group.
    pub fit: u8,
    pub reasons: Vec<RecommendationReason>,
    pub tips: Tips,
    /// A short paragraph for the place page.
    pub summary: String,
    /// `rules`, or `llm` when a language model phrased the summary.
    pub source: String,
    pub generated_at: DateTime<Utc>,
    /// Served from the 24 h cache.
    pub cached: bool,
}

/// Everything the rules look at.
pub struct Facts<'a> {
    pub trip: &'a TripFacts,
    pub stay: &'a Stay,
    pub dates: &'a [NaiveDate],
    pub place: &'a PlaceFacts,
    pub forecasts: &'a [Option<DayForecast>],
    pub alternative: Option<&'a PlaceFacts>,
    /// Door-to-door minutes from the lodging with the group's mode.
    pub minutes_from_lodging: Option<f64>,
    /// The language of the texts.
    pub lang: Language,
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn duration_text(m: u32, lang: Language) -> String {
    match (m / 60, m % 60, lang) {
        (0, m, Language::En) => format!("about {m} min"),
        (h, 0, Language::En) => format!("about {h} h"),
        (h, m, Language::En) => format!("about {h} h {m:02}"),
        (0, m, Language::Ko) => format!("약 {m}분"),
        (h, 0, Language::Ko) => format!("약 {h}시간"),
        (h, m, Language::Ko) => format!("약 {h}시간 {m}분"),
    }
}

fn category_name(c: Category) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "other".into())
}

fn open_air(p: &PlaceFacts) -> bool {
    matches!(
        p.category,
        Category::Park | Category::Viewpoint | Category::Nature | Category::Bench
    ) || (matches!(p.category, Category::Historic | Category::Attraction)
        && p.indoor == Some(false))
}

fn worst_health(t: &TripFacts) -> Health {
    t.members
        .iter()
        .map(|m| m.health)
        .min()
        .unwrap_or(Health::Good)
}

fn weekday(d: NaiveDate, lang: Language) -> &'static str {
    let i = d.weekday().num_days_from_monday() as usize;
    lang.pick(
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        ["월", "화", "수", "목", "금", "토", "일"],
    )[i]
}

/// The rule-based recommendation (without the cache and the language model).
pub fn recommend(f: &Facts<'_>, now: DateTime<Utc>) -> Recommendation {
    let p = f.place;
    let lang = f.lang;
    let cat_label = category_label(&category_name(p.category), lang);
    let worst = worst_health(f.trip);
    let mut r = rules::Reasons::new();
    rules::interests(f, &mut r);
    rules::ages(f, &mut r);
    let accessibility = rules::access(f, worst, &mut r);
    rules::transport(f, &mut r);
    let best_time = rules::best_time(f, &mut r);
    let duration_minutes = rules::duration_minutes(f, worst);
    let weather = rules::weather(f, &mut r);
    let alternative = rules::alternative(f, &cat_label);
    let (reasons, fit) = (r.list, r.fit);
    let fit = fit.clamp(0, 100) as u8;
    let duration = duration_text(duration_minutes, lang);
    let summary = rules::summary(f, &reasons, &cat_label, &duration, &best_time);
    Recommendation {
        place_id: p.id.clone(),
        trip_id: f.trip.id,
        name: p.name.clone(),
        category: category_name(p.category),
        city: f.stay.city.clone(),
        fit,
        reasons,
        tips: Tips {
            best_time,
            duration_minutes,
            duration,
            accessibility,
            weather,
            alternative,
        },
        summary,
        source: "rules".into(),
        generated_at: now,
        cached: false,
    }
}

/// The stay a place belongs to: the one whose centre is nearest.
pub fn nearest_stay(trip: &TripFacts, at: LatLon) -> Option<usize> {
    trip.stays
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| haversine_m(a.centre, at).total_cmp(&haversine_m(b.centre, at)))
        .map(|(i, _)| i)
}

/// Everything that changes the recommendation besides the place: the cache key part.
pub fn profile_key(trip: &TripFacts, stay: &Stay) -> String {
    let mut members: Vec<String> = trip
        .members
        .iter()
        .map(|m| {
            let mut i: Vec<&str> = m.interests.iter().map(|i| i.label()).collect();
            i.sort_unstable();
            format!("{}:{:?}:{}", m.age, m.health, i.join("+"))
        })
        .collect();
    members.sort();
    let raw = format!(
        "{:?}|{}|{}|{}|{:.5},{:.5}|{}",
        trip.transport,
        members.join(","),
        stay.start_date,
        stay.end_date,
        stay.lodging.lat,
        stay.lodging.lon,
        stay.city
    );
    tripgen_platform::crypto::sha256_hex(&raw)[..24].to_string()
}

/// Why a recommendation could not be made.
#[derive(Debug)]
pub enum RecommendError {
    TripNotFound,
    PlaceNotFound,
    Unavailable(anyhow::Error),
}

/// Computes, phrases and caches recommendations.
pub struct Recommender {
    ports: AiPorts,
    cache: Cache,
    clock: tripgen_platform::SharedClock,
}

impl Recommender {
    pub fn new(ports: AiPorts, cache: Cache, clock: tripgen_platform::SharedClock) -> Self {
        Recommender {
            ports,
            cache,
            clock,
        }
    }

    /// The recommendation of `place_id` for trip `trip_id` of `user`.
    pub async fn recommend(
        &self,
        user: Uuid,
        trip_id: Uuid,
        place_id: &str,
        lang: Language,
    ) -> Result<Recommendation, RecommendError> {
        let trip = self
            .ports
            .trips
            .facts(trip_id)
            .await
            .map_err(RecommendError::Unavailable)?
            .filter(|t| t.owner_id == user)
            .ok_or(RecommendError::TripNotFound)?;
        if trip.stays.is_empty() {
            return Err(RecommendError::TripNotFound);
        }
        // Hours of the place: evaluated on the dates of the first stay's city first, to
        // find where the place is; then on the nearest stay's own dates.
        let first = &trip.stays[0];
        let probe = self
            .ports
            .places
            .place(&first.city, place_id, &[first.start_date])
            .await
            .map_err(RecommendError::Unavailable)?
            .ok_or(RecommendError::PlaceNotFound)?;
        let stay_i = nearest_stay(&trip, probe.position).unwrap_or(0);
        let stay = trip.stays[stay_i].clone();
        // The texts are cached, so the language is part of the key.
        let key = format!(
            "ai:recommendation:{}:{}:{}",
            lang.code(),
            place_id,
            profile_key(&trip, &stay)
        );
        if let Some(mut hit) = self
            .cache
            .get::<Recommendation>(&key, Freshness::Relaxed)
            .await
        {
            hit.cached = true;
            hit.trip_id = trip.id;
            return Ok(hit);
        }
        let dates: Vec<NaiveDate> = stay
            .start_date
            .iter_days()
            .take_while(|d| *d <= stay.end_date)
            .collect();
        let place = self
            .ports
            .places
            .place(&stay.city, place_id, &dates)
            .await
            .map_err(RecommendError::Unavailable)?
            .ok_or(RecommendError::PlaceNotFound)?;
        let forecasts = match self
            .ports
            .weather
            .forecast(stay.lodging, &stay.time_zone, &dates)
            .await
        {
            Ok(f) if f.len() == dates.len() => f,
            Ok(_) => vec![None; dates.len()],
            Err(e) => {
                tracing::warn!(error = %e, "recommendation without forecast");
                vec![None; dates.len()]
            }
        };
        let nearby = self
            .ports
            .places
            .candidates(
                &stay.city,
                place.position,
                ALTERNATIVE_RADIUS_M,
                400,
                &dates,
            )
            .await
            .map_err(RecommendError::Unavailable)?;
        let alternative = nearby
            .iter()
            .filter(|c| c.id != place.id && c.category == place.category)
            .filter(|c| {
                c.hours.iter().any(|h| match h {
                    Some(iv) => iv
                        .iter()
                        .any(|i| i.close.saturating_sub(i.open) >= c.visit_minutes.max(30)),
                    None => open_air(c),
                })
            })
            .min_by(|a, b| {
                haversine_m(place.position, a.position)
                    .total_cmp(&haversine_m(place.position, b.position))
            });
        let mode = match trip.transport {
            Transport::Car => Mode::Car,
            Transport::Public => Mode::Transit,
        };
        let minutes = self
            .ports
            .places
            .travel_model()
            .estimate(stay.lodging, place.position, mode)
            .map(|e| e.minutes);
        let facts = Facts {
            trip: &trip,
            stay: &stay,
            dates: &dates,
            place: &place,
            forecasts: &forecasts,
            alternative,
            minutes_from_lodging: minutes,
            lang,
        };
        let mut rec = recommend(&facts, self.clock.now());
        if let Some(model) = &self.ports.language
            && let Some(text) = phrase(model.as_ref(), &rec, lang).await
        {
            rec.summary = text;
            rec.source = "llm".into();
        }
        self.cache
            .put(&key, &rec, RECOMMENDATION_TTL, Freshness::Relaxed)
            .await;
        Ok(rec)
    }
}

/// Asks the language model to rephrase the rule result; `None` (→ the rule text) on any
/// failure or an answer that is not a short plain paragraph.
async fn phrase(
    model: &dyn crate::llm::LanguageModel,
    rec: &Recommendation,
    lang: Language,
) -> Option<String> {
    let schema = json!({
        "type": "object",
        "properties": { "summary": { "type": "string" } },
        "required": ["summary"],
        "additionalProperties": false
    });
    let facts = json!({
        "place": rec.name, "category": rec.category, "city": rec.city,
        "reasons": rec.reasons, "tips": rec.tips,
    });
    let system = lang.pick(
        "You write one short paragraph (at most 4 sentences, plain text, no lists) recommending a place to a travelling group. Use only the facts given; do not invent opening hours, prices or facts.",
        "You write one short paragraph (at most 4 sentences, plain text, no lists) recommending a place to a travelling group, in Korean, in the polite 합니다 style. Use only the facts given; do not invent opening hours, prices or facts.",
    );
    let answer = match model
        .json(system, &facts.to_string(), "place_recommendation", &schema)
        .await
    {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "language model unavailable; rule-based recommendation text");
            return None;
        }
    };
    let text = answer.get("summary")?.as_str()?.trim().to_string();
    let valid = !text.is_empty()
        && text.chars().count() <= SUMMARY_MAX
        && answer.as_object().is_some_and(|o| o.len() == 1)
        && !text.chars().any(|c| c.is_control() && c != '\n');
    valid.then_some(text)
}

/// Shared by the HTTP layer.
pub type SharedRecommender = Arc<Recommender>;

#[cfg(test)]
mod tests;
