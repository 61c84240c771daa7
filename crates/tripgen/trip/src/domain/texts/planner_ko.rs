//! Korean renderings of the planner's own codes: reasons, planner warnings, weather notes,
//! accessibility (the planner writes their English texts).

use super::*;

/// Korean text of a planner reason (`MATCHES_INTEREST` …) or `ADDED_BY_USER`.
pub fn reason_ko(code: &str, p: &TextParams) -> Option<String> {
    let ko = Language::Ko;
    if code == "ADDED_BY_USER" {
        return Some("직접 추가한 장소입니다.".into());
    }
    if code == "JOURNEY" {
        let (from, to, mode) = (get(p, "from")?, get(p, "to")?, get(p, "mode")?);
        let minutes: u32 = get(p, "minutes")?.parse().ok()?;
        // The stations or ferry terminals of the data, when the journey has them.
        let via = match (get(p, "fromHub"), get(p, "toHub")) {
            (Some(a), Some(b)) => format!(" ({a} → {b})"),
            (Some(a), None) => format!(" ({a}에서 출발)"),
            (None, Some(b)) => format!(" ({b}에 도착)"),
            (None, None) => String::new(),
        };
        return Some(format!(
            "{from}에서 {to}까지{via} {}(으)로 문에서 문까지 약 {}시간 {:02}분 (시간표가 아닌 추정치). 짐을 챙기세요.",
            mode_name(mode, ko),
            minutes / 60,
            minutes % 60
        ));
    }
    let name = get(p, "name")?;
    let cat = category(p, ko)?;
    Some(match code {
        "MUST_VISIT" => format!("{name}: 꼭 방문하고 싶다고 요청하신 곳입니다."),
        "MATCHES_INTEREST" => match get(p, "interest").filter(|i| *i != "this") {
            Some(i) => format!(
                "{name}: 관심사({})에 맞는 {cat}입니다.",
                interest_name(i, ko)
            ),
            None => format!("{name}: 관심사에 맞는 {cat}입니다."),
        },
        "MORE_OF_CATEGORY" => format!("{name}: 더 원하신 종류의 장소({cat})입니다."),
        "INDOOR_ON_WET_DAY" => format!(
            "{name}: 실내 {} 비나 눈이 오는 날에 알맞습니다.",
            with_particle(&cat, "이라서", "라서")
        ),
        "STEP_FREE_ACCESS" => format!("{name}: 평가가 좋고 계단 없이 들어갈 수 있는 {cat}입니다."),
        "HIGHLY_RATED" => {
            format!("{name}: 경로 근처에서 평가가 가장 좋은 곳 중 하나입니다({cat}).")
        }
        "ON_THE_WAY" => format!("{name}: 가는 길에 있는 {cat}입니다."),
        "LUNCH" => format!("경로에서 가까운 {cat}, {name}에서 점심을 먹습니다."),
        "DINNER" => format!("경로에서 가까운 {cat}, {name}에서 저녁을 먹습니다."),
        "REST" => format!("{name}({cat})에서 잠시 쉬어 갑니다."),
        _ => return None,
    })
}

/// Korean reason why a must-visit place is not in the plan (`why` of the warning).
fn must_visit_why_ko(why: &str) -> &'static str {
    match why {
        "NOT_IN_LIST" => "장소 목록에 없습니다.",
        "AVOIDED_PLACE" => "피할 장소로 지정되어 있습니다.",
        "AVOIDED_CATEGORY" => "피할 분류에 속합니다.",
        "TOO_STRENUOUS" => "일행에게 너무 힘든 곳입니다.",
        "INVALID_DATA" => "장소 데이터가 올바르지 않습니다.",
        "NOT_A_VISIT" => "방문할 장소가 아닙니다(편의 시설).",
        "CLOSED_EVERY_DAY" => "여행 기간 내내 문을 닫거나 영업시간을 알 수 없습니다.",
        "DOES_NOT_FIT" => "영업시간, 시간, 거리 때문에 어느 날에도 넣을 수 없습니다.",
        _ => "일정에 맞지 않습니다.",
    }
}

/// Korean text of a planner warning (`NO_LUNCH` …); edit rules go to [`edit_rule`].
pub fn planner_warning_ko(code: &str, p: &TextParams) -> Option<String> {
    Some(match code {
        "NOT_STEP_FREE" => format!("{}: 계단 없이 들어갈 수 없는 곳입니다.", get(p, "name")?),
        "NO_INDOOR_ALTERNATIVE" => format!(
            "그 시간에 {} 근처에 문을 연 실내 대체 장소가 없습니다.",
            get(p, "name")?
        ),
        "FEWER_PLACES_THAN_PLANNED" => format!(
            "방문지를 {}곳만 넣을 수 있었습니다(목표: {}곳 이상).",
            get(p, "places")?,
            get(p, "min")?
        ),
        "REST_SHORTFALL" => format!(
            "카페, 벤치, 공원에서 쉬는 시간을 {}번 중 {}번만 넣을 수 있었습니다.",
            get(p, "wanted")?,
            get(p, "rests")?
        ),
        "HOURS_UNKNOWN" => format!(
            "{}의 영업시간을 알 수 없습니다 — 가기 전에 확인하세요.",
            get(p, "name")?
        ),
        "NO_LUNCH" => "경로 근처에 점심시간에 문을 연 음식점이 없습니다.".into(),
        "NO_DINNER" => "경로 근처에 저녁 시간에 문을 연 음식점이 없습니다.".into(),
        "MUST_VISIT_NOT_PLANNED" => format!(
            "꼭 방문할 장소를 일정에 넣지 못했습니다: {} — {}",
            get(p, "name")?,
            must_visit_why_ko(get(p, "why")?)
        ),
        // Written in both languages when the request was judged (`requests::outcome`).
        "REQUEST_NOT_HONOURED" => format!("요청하신 내용: {}.", get(p, "textKo")?),
        "CATEGORY_UNAVAILABLE" => format!(
            "더 원하신 {} 일정에 넣지 못했습니다.",
            with_particle(&category(p, Language::Ko)?, "을", "를")
        ),
        _ => return None,
    })
}

/// Korean text of a warning of either origin.
pub(super) fn warning_ko(code: &str, p: &TextParams) -> Option<String> {
    edit_rule(code, p, Language::Ko).or_else(|| planner_warning_ko(code, p))
}

/// Korean weather note for a code of the planner (or `WEATHER_UNAVAILABLE`).
pub fn weather_note_ko(code: &str) -> Option<&'static str> {
    Some(match code {
        "RAIN" => {
            "비 예보가 있습니다: 실내 장소를 먼저 넣고, 야외 일정마다 실내 대체 장소를 두었습니다."
        }
        "SNOW" => {
            "눈 예보가 있습니다: 실내 장소를 먼저 넣고, 야외 일정마다 실내 대체 장소를 두었습니다."
        }
        "STORM" => {
            "폭풍우 예보가 있습니다: 실내 장소를 먼저 넣고, 야외 일정마다 실내 대체 장소를 두었습니다."
        }
        "HOT" => {
            "더운 날입니다: 야외 명소는 최대 2시간으로 하고 휴식을 한 번 더 넣었습니다. 물을 충분히 드세요."
        }
        "COLD" => {
            "추운 날입니다: 야외 명소는 최대 2시간으로 하고 몸을 녹일 휴식을 한 번 더 넣었습니다."
        }
        "POOR_AIR" => "대기질이 나쁩니다: 야외 활동은 1시간으로 제한했습니다.",
        "HAZARDOUS_AIR" => "대기질이 매우 나쁩니다: 야외 관광은 넣지 않았습니다.",
        "WEATHER_UNAVAILABLE" => "이 날은 일기예보를 받을 수 없어 날씨를 고려하지 않은 일정입니다.",
        _ => return None,
    })
}

/// Korean accessibility note for the stop's access (`stepFree` …).
pub fn access_note_ko(access: &str) -> Option<&'static str> {
    Some(match access {
        "stepFree" => "계단 없이 이용할 수 있습니다.",
        "limited" => "일부만 계단 없이 이용할 수 있습니다: 도움이 필요한 곳이 있을 수 있습니다.",
        "notStepFree" => "계단 없이 이용할 수 없습니다: 입구에 계단이 있을 수 있습니다.",
        "unknown" => "계단 없는 출입 여부가 확인되지 않았습니다.",
        _ => return None,
    })
}
