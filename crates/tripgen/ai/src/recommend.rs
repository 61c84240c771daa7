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
use tripgen_planner::itinerary::{
    Access, Category, Health, Interest, LatLon, Mode, OpenInterval, Transport, haversine_m,
};
use tripgen_platform::cache::{Cache, Freshness};
use tripgen_platform::i18n::{Language, category_name as category_label, interest_name};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ports::{AiPorts, DayForecast, PlaceFacts, Stay, TripFacts};

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
    let en = lang == Language::En;
    let cat_label = category_label(&category_name(p.category), lang);
    let mut reasons = Vec::new();
    let mut fit: i32 = 50;
    let mut add = |code: &str, text: String, positive: bool, weight: i32| {
        reasons.push(RecommendationReason {
            code: code.into(),
            text,
            positive,
        });
        fit += weight;
    };

    // Interests: who in the group this place is for.
    let mut matched: Vec<Interest> = Vec::new();
    let mut fans = 0;
    for m in &f.trip.members {
        let hit: Vec<Interest> = m
            .interests
            .iter()
            .copied()
            .filter(|i| i.categories().contains(&p.category))
            .collect();
        if !hit.is_empty() {
            fans += 1;
        }
        for i in hit {
            if !matched.contains(&i) {
                matched.push(i);
            }
        }
    }
    if fans > 0 {
        let labels: Vec<String> = matched
            .iter()
            .map(|i| interest_name(i.label(), lang))
            .collect();
        let n = f.trip.members.len();
        add(
            "INTEREST_MATCH",
            if en {
                format!(
                    "Matches the interests of {fans} of {n} travellers ({}).",
                    labels.join(", ")
                )
            } else {
                format!(
                    "여행자 {n}명 중 {fans}명의 관심사({})와 맞습니다.",
                    labels.join(", ")
                )
            },
            true,
            10 + 20 * fans / f.trip.members.len().max(1) as i32,
        );
    }

    // Ages.
    let children = f.trip.members.iter().filter(|m| m.age < 12).count();
    let seniors = f.trip.members.iter().filter(|m| m.age >= 70).count();
    if children > 0
        && matches!(
            p.category,
            Category::Attraction | Category::Park | Category::Nature | Category::Museum
        )
    {
        add(
            "CHILDREN",
            if en {
                format!(
                    "A good kind of place for the {children} child{} in the group.",
                    if children == 1 { "" } else { "ren" }
                )
            } else {
                format!("일행의 어린이 {children}명에게 잘 맞는 장소입니다.")
            },
            true,
            5,
        );
    }
    if seniors > 0 && p.category.is_rest_capable() {
        add(
            "SENIORS",
            lang.pick(
                "There are places to sit and rest, which suits the older travellers.",
                "앉아서 쉴 곳이 있어 나이 드신 일행에게 알맞습니다.",
            )
            .into(),
            true,
            5,
        );
    }

    // Health and access: the most restricted member decides.
    let worst = worst_health(f.trip);
    let restricted = matches!(worst, Health::Limited | Health::Caution);
    let accessibility = match p.access {
        Access::StepFree => {
            if restricted {
                add(
                    "STEP_FREE",
                    lang.pick(
                        "Step-free access, comfortable for the members who need to take it easy.",
                        "계단 없이 이용할 수 있어 무리하면 안 되는 일행에게 편합니다.",
                    )
                    .into(),
                    true,
                    10,
                );
            }
            lang.pick(
                "Step-free (wheelchair accessible) according to OpenStreetMap.",
                "OpenStreetMap 정보로는 계단 없이(휠체어로) 이용할 수 있습니다.",
            )
            .to_string()
        }
        Access::Limited => {
            if worst == Health::Limited {
                add(
                    "NOT_STEP_FREE",
                    lang.pick(
                        "Only partly step-free: some areas may be hard to reach.",
                        "일부만 계단 없이 이용할 수 있어 가기 어려운 곳이 있을 수 있습니다.",
                    )
                    .into(),
                    false,
                    -10,
                );
            }
            lang.pick(
                "Partly step-free (limited wheelchair access).",
                "일부만 계단 없이 이용할 수 있습니다(휠체어 이용 제한).",
            )
            .to_string()
        }
        Access::NotStepFree => {
            if restricted {
                add(
                    "NOT_STEP_FREE",
                    lang.pick(
                        "Not step-free: stairs or steps are to be expected.",
                        "계단 없이 이용할 수 없습니다: 계단이나 턱이 있을 수 있습니다.",
                    )
                    .into(),
                    false,
                    -20,
                );
            }
            lang.pick(
                "Not step-free (no wheelchair access) according to OpenStreetMap.",
                "OpenStreetMap 정보로는 계단 없이 이용할 수 없습니다(휠체어 이용 불가).",
            )
            .to_string()
        }
        Access::Unknown => {
            if worst == Health::Limited {
                add(
                    "ACCESS_UNKNOWN",
                    lang.pick(
                        "Accessibility is not recorded: check before going.",
                        "접근성 정보가 없습니다: 가기 전에 확인하세요.",
                    )
                    .into(),
                    false,
                    -5,
                );
            }
            lang.pick(
                "Accessibility is not recorded for this place; check before going.",
                "이 장소의 접근성 정보가 없습니다. 가기 전에 확인하세요.",
            )
            .to_string()
        }
    };
    if restricted && p.category.is_strenuous() {
        add(
            "STRENUOUS",
            lang.pick(
                "A strenuous kind of visit for members whose health calls for care.",
                "건강에 주의가 필요한 일행에게는 힘든 방문입니다.",
            )
            .into(),
            false,
            -20,
        );
    }

    // Transport: distance from the lodging with the group's mode.
    if let Some(min) = f.minutes_from_lodging {
        let how = match f.trip.transport {
            Transport::Car => lang.pick("by car", "자동차로"),
            Transport::Public => lang.pick("by public transport", "대중교통으로"),
        };
        let (min, lodging) = (min.round(), &f.stay.lodging_name);
        if min <= 20.0 {
            add(
                "NEAR_LODGING",
                if en {
                    format!("About {min} min {how} from {lodging}.")
                } else {
                    format!("{lodging}에서 {how} 약 {min}분 거리입니다.")
                },
                true,
                5,
            );
        } else if min > 45.0 {
            add(
                "FAR_FROM_LODGING",
                if en {
                    format!(
                        "About {min} min {how} from {lodging}: plan it with other places nearby."
                    )
                } else {
                    format!(
                        "{lodging}에서 {how} 약 {min}분 거리입니다: 근처의 다른 장소와 함께 계획하세요."
                    )
                },
                false,
                -10,
            );
        }
    }

    // Opening hours on the days of the stay → the best time.
    let known: Vec<(NaiveDate, &Vec<OpenInterval>)> = f
        .dates
        .iter()
        .zip(&p.hours)
        .filter_map(|(d, h)| h.as_ref().map(|h| (*d, h)))
        .collect();
    let open_days: Vec<(NaiveDate, &OpenInterval)> = known
        .iter()
        .filter_map(|(d, h)| {
            h.iter()
                .find(|iv| iv.close.saturating_sub(iv.open) >= p.visit_minutes.max(30))
                .map(|iv| (*d, iv))
        })
        .collect();
    let best_time = if let Some((d, iv)) = open_days.first() {
        // Right after opening: the quietest time, and the whole visit fits.
        let to = (iv.open + p.visit_minutes.max(30)).min(iv.close);
        BestTime {
            text: if en {
                format!(
                    "{} {} from {} (opens {}, closes {}); early visits are the quietest.",
                    weekday(*d, lang),
                    d,
                    hhmm(iv.open),
                    hhmm(iv.open),
                    hhmm(iv.close)
                )
            } else {
                format!(
                    "{d}({}) {}부터(개장 {}, 폐장 {}). 이른 시간이 가장 한산합니다.",
                    weekday(*d, lang),
                    hhmm(iv.open),
                    hhmm(iv.open),
                    hhmm(iv.close)
                )
            },
            date: Some(*d),
            from: Some(hhmm(iv.open)),
            to: Some(hhmm(to)),
        }
    } else if !known.is_empty() && known.len() == f.dates.len() {
        add(
            "CLOSED_DURING_STAY",
            if en {
                format!(
                    "Closed (or open too briefly for a visit) on every day of the stay in {}.",
                    f.stay.city
                )
            } else {
                format!(
                    "{} 체류 기간 내내 문을 닫거나 방문하기에는 영업시간이 너무 짧습니다.",
                    f.stay.city
                )
            },
            false,
            -40,
        );
        BestTime {
            text: if en {
                format!("Not open for a visit during your stay in {}.", f.stay.city)
            } else {
                format!(
                    "{} 체류 기간에는 방문할 수 있는 시간이 없습니다.",
                    f.stay.city
                )
            },
            date: None,
            from: None,
            to: None,
        }
    } else if open_air(p) {
        BestTime {
            text: lang
                .pick(
                    "Open-air: any time in daylight; mornings and late afternoons are the most pleasant.",
                    "야외 장소: 낮에는 언제든 좋고, 아침과 늦은 오후가 가장 쾌적합니다.",
                )
                .into(),
            date: f.dates.first().copied(),
            from: Some("09:00".into()),
            to: Some("18:00".into()),
        }
    } else {
        BestTime {
            text: lang
                .pick(
                    "Opening hours are not known for your dates: check before going.",
                    "여행 날짜의 영업시간을 알 수 없습니다. 가기 전에 확인하세요.",
                )
                .into(),
            date: None,
            from: None,
            to: None,
        }
    };

    // Duration: groups with a member to spare take longer.
    let duration_minutes = match worst {
        Health::Limited => p.visit_minutes * 3 / 2,
        Health::Caution => p.visit_minutes * 5 / 4,
        _ => p.visit_minutes,
    }
    .max(15);

    // Weather preparation from the stay's forecasts.
    let outdoor = p.indoor != Some(true);
    let rainy: Vec<NaiveDate> = f
        .dates
        .iter()
        .zip(f.forecasts)
        .filter_map(|(d, w)| {
            w.as_ref()
                .filter(|w| matches!(w.sky.as_str(), "rain" | "snow" | "storm"))
                .map(|_| *d)
        })
        .collect();
    let hot = f
        .forecasts
        .iter()
        .flatten()
        .any(|w| w.max_temp_c.is_some_and(|t| t >= 30.0));
    let cold = f
        .forecasts
        .iter()
        .flatten()
        .any(|w| w.min_temp_c.is_some_and(|t| t <= 0.0));
    let with_forecast = f.forecasts.iter().flatten().count();
    let weather = if with_forecast == 0 {
        lang.pick(
            "No forecast for your dates yet (forecasts reach about two weeks ahead).",
            "아직 여행 날짜의 예보가 없습니다(예보는 약 2주 앞까지 나옵니다).",
        )
        .to_string()
    } else {
        let mut parts = Vec::new();
        if !rainy.is_empty() {
            let days: Vec<String> = rainy.iter().map(|d| d.to_string()).collect();
            let days = days.join(", ");
            parts.push(match (outdoor, en) {
                (true, true) => format!(
                    "Rain or snow is forecast on {days}: bring rain gear or pick a dry day."
                ),
                (false, true) => format!(
                    "Rain or snow is forecast on {days}: an indoor visit is a good plan for it."
                ),
                (true, false) => format!(
                    "{days}에 비나 눈 예보가 있습니다: 우산이나 우비를 챙기거나 맑은 날을 고르세요."
                ),
                (false, false) => {
                    format!("{days}에 비나 눈 예보가 있습니다: 실내 방문이라 그런 날에 알맞습니다.")
                }
            });
        }
        if hot && outdoor {
            parts.push(
                lang.pick(
                    "Hot days ahead: bring water and sun protection.",
                    "더운 날이 있습니다: 물과 자외선 차단제를 챙기세요.",
                )
                .into(),
            );
        }
        if cold && outdoor {
            parts.push(
                lang.pick(
                    "Freezing temperatures: dress in warm layers.",
                    "영하의 날씨가 있습니다: 옷을 따뜻하게 겹쳐 입으세요.",
                )
                .into(),
            );
        }
        if parts.is_empty() {
            lang.pick(
                "The forecast for your stay looks fine for this visit.",
                "체류 기간 예보로는 이 방문에 문제가 없습니다.",
            )
            .to_string()
        } else {
            parts.join(" ")
        }
    };
    if !outdoor && !rainy.is_empty() {
        add(
            "RAIN_PROOF",
            lang.pick(
                "Indoors: a good choice for the rainy days of the stay.",
                "실내 장소라 체류 중 비 오는 날에 좋은 선택입니다.",
            )
            .into(),
            true,
            10,
        );
    }

    let alternative = f.alternative.map(|a| {
        let metres = haversine_m(p.position, a.position).round() as u32;
        AlternativePlace {
            place_id: a.id.clone(),
            name: a.name.clone(),
            category: category_name(a.category),
            metres,
            text: if en {
                format!(
                    "{} ({} m away) is a {} nearby, open on your dates.",
                    a.name,
                    metres,
                    p.category.label()
                )
            } else {
                format!(
                    "{}({metres}m 거리)도 근처에 있는 {cat_label}이며 여행 날짜에 문을 엽니다.",
                    a.name
                )
            },
        }
    });

    let fit = fit.clamp(0, 100) as u8;
    let pros: Vec<&str> = reasons
        .iter()
        .filter(|r| r.positive)
        .map(|r| r.text.as_str())
        .collect();
    let cons: Vec<&str> = reasons
        .iter()
        .filter(|r| !r.positive)
        .map(|r| r.text.as_str())
        .collect();
    let mut summary = if en {
        format!("{} ({}) in {}.", p.name, p.category.label(), f.stay.city)
    } else {
        format!("{}의 {cat_label}, {}.", f.stay.city, p.name)
    };
    if !pros.is_empty() {
        summary.push(' ');
        summary.push_str(&pros.join(" "));
    }
    if !cons.is_empty() {
        summary.push_str(lang.pick(" Keep in mind: ", " 유의할 점: "));
        summary.push_str(&cons.join(" "));
    }
    let duration = duration_text(duration_minutes, lang);
    summary.push_str(&if en {
        format!(" Plan {duration}; best time: {}", best_time.text)
    } else {
        format!(" 소요 시간은 {duration}, 추천 시간: {}", best_time.text)
    });
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
mod tests {
    use super::*;
    use crate::ports::MemberFacts;

    fn trip(health: Health, interests: Vec<Interest>) -> TripFacts {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        TripFacts {
            id: Uuid::nil(),
            owner_id: Uuid::nil(),
            name: "T".into(),
            transport: Transport::Public,
            members: vec![
                MemberFacts {
                    age: 40,
                    health: Health::Good,
                    interests: interests.clone(),
                },
                MemberFacts {
                    age: 75,
                    health,
                    interests: vec![],
                },
            ],
            stays: vec![Stay {
                destination_id: Uuid::nil(),
                city: "Munich".into(),
                time_zone: "Europe/Berlin".into(),
                centre: LatLon {
                    lat: 48.137,
                    lon: 11.575,
                },
                lodging: LatLon {
                    lat: 48.14,
                    lon: 11.57,
                },
                lodging_name: "Hotel".into(),
                start_date: d("2027-06-01"),
                end_date: d("2027-06-02"),
                check_in: 900,
                check_out: 660,
            }],
            generation_request_id: None,
            missing: vec![],
        }
    }

    fn museum(hours: Vec<Option<Vec<OpenInterval>>>, access: Access) -> PlaceFacts {
        PlaceFacts {
            id: "osm:way:1".into(),
            name: "Museum".into(),
            names: vec!["Museum".into()],
            category: Category::Museum,
            kind: "museum".into(),
            position: LatLon {
                lat: 48.13,
                lon: 11.58,
            },
            visit_minutes: 90,
            indoor: Some(true),
            access,
            rating: None,
            review_count: None,
            hours,
            significance: 60,
        }
    }

    fn run(t: &TripFacts, p: &PlaceFacts, rain: bool) -> Recommendation {
        run_in(t, p, rain, Language::En)
    }

    fn run_in(t: &TripFacts, p: &PlaceFacts, rain: bool, lang: Language) -> Recommendation {
        let dates: Vec<NaiveDate> =
            vec!["2027-06-01".parse().unwrap(), "2027-06-02".parse().unwrap()];
        let forecasts: Vec<Option<DayForecast>> = dates
            .iter()
            .map(|d| {
                rain.then(|| DayForecast {
                    date: *d,
                    sky: "rain".into(),
                    min_temp_c: Some(10.0),
                    max_temp_c: Some(15.0),
                    air: None,
                    warnings: vec![],
                })
            })
            .collect();
        recommend(
            &Facts {
                trip: t,
                stay: &t.stays[0],
                dates: &dates,
                place: p,
                forecasts: &forecasts,
                alternative: None,
                minutes_from_lodging: Some(12.0),
                lang,
            },
            Utc::now(),
        )
    }

    fn codes(r: &Recommendation) -> Vec<&str> {
        r.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    fn hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    #[test]
    fn korean_texts_with_the_same_content() {
        let open = vec![
            Some(vec![OpenInterval {
                open: 600,
                close: 1080,
            }]),
            None,
        ];
        let t = trip(Health::Limited, vec![Interest::Culture]);
        let p = museum(open, Access::StepFree);
        let (en, ko) = (run(&t, &p, true), run_in(&t, &p, true, Language::Ko));
        assert_eq!(codes(&en), codes(&ko));
        assert_eq!(
            (en.fit, en.tips.duration_minutes),
            (ko.fit, ko.tips.duration_minutes)
        );
        for r in &ko.reasons {
            assert!(hangul(&r.text), "{}", r.text);
        }
        let interest = ko
            .reasons
            .iter()
            .find(|r| r.code == "INTEREST_MATCH")
            .unwrap();
        assert_eq!(
            interest.text,
            "여행자 2명 중 1명의 관심사(문화)와 맞습니다."
        );
        assert_eq!(
            ko.tips.best_time.text,
            "2027-06-01(화) 10:00부터(개장 10:00, 폐장 18:00). 이른 시간이 가장 한산합니다."
        );
        assert_eq!(ko.tips.duration, "약 2시간 15분");
        assert_eq!(en.tips.duration, "about 2 h 15");
        for t in [&ko.tips.accessibility, &ko.tips.weather, &ko.summary] {
            assert!(hangul(t), "{t}");
        }
        assert!(!hangul(&en.summary), "{}", en.summary);
    }

    #[test]
    fn tailored_to_interests_health_and_weather() {
        let open = vec![
            Some(vec![]),
            Some(vec![OpenInterval {
                open: 600,
                close: 1080,
            }]),
        ];
        let t = trip(Health::Limited, vec![Interest::Culture]);
        let r = run(&t, &museum(open.clone(), Access::StepFree), true);
        let c = codes(&r);
        for want in ["INTEREST_MATCH", "STEP_FREE", "NEAR_LODGING", "RAIN_PROOF"] {
            assert!(c.contains(&want), "{want} in {c:?}");
        }
        // Closed the first day: the best time is the second, right after opening.
        assert_eq!(r.tips.best_time.date, Some("2027-06-02".parse().unwrap()));
        assert_eq!(r.tips.best_time.from.as_deref(), Some("10:00"));
        // Limited health: one and a half times the usual visit.
        assert_eq!(r.tips.duration_minutes, 135);
        assert!(r.tips.weather.contains("indoor"), "{}", r.tips.weather);

        let r2 = run(&t, &museum(open, Access::NotStepFree), false);
        assert!(codes(&r2).contains(&"NOT_STEP_FREE"));
        assert!(r2.fit < r.fit);
    }

    #[test]
    fn closed_for_the_whole_stay_is_a_caveat() {
        let t = trip(Health::Good, vec![]);
        let r = run(
            &t,
            &museum(vec![Some(vec![]), Some(vec![])], Access::Unknown),
            false,
        );
        assert!(codes(&r).contains(&"CLOSED_DURING_STAY"));
        assert_eq!(r.tips.best_time.date, None);
    }

    #[test]
    fn profile_key_ignores_member_order() {
        let mut a = trip(Health::Good, vec![Interest::Culture]);
        let k1 = profile_key(&a, &a.stays[0].clone());
        a.members.reverse();
        assert_eq!(k1, profile_key(&a, &a.stays[0].clone()));
        a.members[0].age += 1;
        assert_ne!(k1, profile_key(&a, &a.stays[0].clone()));
    }
}
