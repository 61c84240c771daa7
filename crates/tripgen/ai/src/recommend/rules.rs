//! The rules of a recommendation, one function per topic: who in the group the place is
//! for (interests, ages), health and access, the way from the lodging, the best time from
//! the opening hours on the days of the stay, the visit's length, weather preparation, a
//! nearby alternative, and the summary made of them. Texts in the request's language.

use chrono::NaiveDate;
use tripgen_planner::itinerary::{
    Access, Category, Health, Interest, OpenInterval, Transport, haversine_m,
};
use tripgen_platform::i18n::{Language, interest_name};

use super::{
    AlternativePlace, BestTime, Facts, RecommendationReason, category_name, hhmm, open_air, weekday,
};

/// The reasons found so far and the fit score they make (starts at 50).
pub(super) struct Reasons {
    pub list: Vec<RecommendationReason>,
    pub fit: i32,
}

impl Reasons {
    pub fn new() -> Reasons {
        Reasons {
            list: Vec::new(),
            fit: 50,
        }
    }

    fn add(&mut self, code: &str, text: String, positive: bool, weight: i32) {
        self.list.push(RecommendationReason {
            code: code.into(),
            text,
            positive,
        });
        self.fit += weight;
    }
}

/// Interests: who in the group this place is for.
pub(super) fn interests(f: &Facts<'_>, r: &mut Reasons) {
    let p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
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
        r.add(
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
}

/// Ages: children and older travellers.
pub(super) fn ages(f: &Facts<'_>, r: &mut Reasons) {
    let p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
    let children = f.trip.members.iter().filter(|m| m.age < 12).count();
    let seniors = f.trip.members.iter().filter(|m| m.age >= 70).count();
    if children > 0
        && matches!(
            p.category,
            Category::Attraction | Category::Park | Category::Nature | Category::Museum
        )
    {
        r.add(
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
        r.add(
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
}

/// Health and access (the most restricted member decides); returns the accessibility tip.
pub(super) fn access(f: &Facts<'_>, worst: Health, r: &mut Reasons) -> String {
    let p = f.place;
    let lang = f.lang;
    let _en = lang == Language::En;
    let restricted = matches!(worst, Health::Limited | Health::Caution);
    let accessibility = match p.access {
        Access::StepFree => {
            if restricted {
                r.add(
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
                r.add(
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
                r.add(
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
                r.add(
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
        r.add(
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
    accessibility
}

/// Transport: distance from the lodging with the group's mode.
pub(super) fn transport(f: &Facts<'_>, r: &mut Reasons) {
    let _p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
    if let Some(min) = f.minutes_from_lodging {
        let how = match f.trip.transport {
            Transport::Car => lang.pick("by car", "자동차로"),
            Transport::Public => lang.pick("by public transport", "대중교통으로"),
        };
        let (min, lodging) = (min.round(), &f.stay.lodging_name);
        if min <= 20.0 {
            r.add(
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
            r.add(
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
}

/// Opening hours on the days of the stay → the best time.
pub(super) fn best_time(f: &Facts<'_>, r: &mut Reasons) -> BestTime {
    let p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
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
    if let Some((d, iv)) = open_days.first() {
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
        r.add(
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
    }
}

/// Duration: groups with a member to spare take longer.
pub(super) fn duration_minutes(f: &Facts<'_>, worst: Health) -> u32 {
    let p = f.place;
    match worst {
        Health::Limited => p.visit_minutes * 3 / 2,
        Health::Caution => p.visit_minutes * 5 / 4,
        _ => p.visit_minutes,
    }
    .max(15)
}

/// Weather preparation from the stay's forecasts; returns the weather tip.
pub(super) fn weather(f: &Facts<'_>, r: &mut Reasons) -> String {
    let p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
    let outdoor = p.indoor != Some(true);
    let rainy: Vec<NaiveDate> = f
        .dates
        .iter()
        .zip(f.forecasts)
        .filter_map(|(d, w)| w.as_ref().filter(|w| w.sky.is_wet()).map(|_| *d))
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
        r.add(
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
    weather
}

/// A nearby place of the same kind, open on the dates.
pub(super) fn alternative(f: &Facts<'_>, cat_label: &str) -> Option<AlternativePlace> {
    let p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
    f.alternative.map(|a| {
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
    })
}

/// The summary: the place, the pros, what to keep in mind, the duration and best time.
pub(super) fn summary(
    f: &Facts<'_>,
    reasons: &[RecommendationReason],
    cat_label: &str,
    duration: &str,
    best_time: &BestTime,
) -> String {
    let p = f.place;
    let lang = f.lang;
    let en = lang == Language::En;
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
    summary.push_str(&if en {
        format!(" Plan {duration}; best time: {}", best_time.text)
    } else {
        format!(" 소요 시간은 {duration}, 추천 시간: {}", best_time.text)
    });
    summary
}
