//! Words and number formats of the printed exports, in English and Korean.

use chrono::{Datelike, NaiveDate};

use crate::model::{Language, LegMode, StopKind, Weather};

pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";

pub struct Labels {
    pub lang: Language,
}

impl Labels {
    pub fn new(lang: Language) -> Self {
        Labels { lang }
    }

    fn pick(&self, en: &'static str, ko: &'static str) -> &'static str {
        match self.lang {
            Language::En => en,
            Language::Ko => ko,
        }
    }

    pub fn day(&self, n: usize) -> String {
        match self.lang {
            Language::En => format!("Day {n}"),
            Language::Ko => format!("{n}일차"),
        }
    }

    pub fn continued(&self) -> &'static str {
        self.pick("continued", "계속")
    }

    pub fn date(&self, d: NaiveDate) -> String {
        let wd = d.weekday().num_days_from_monday() as usize;
        match self.lang {
            Language::En => {
                const WD: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                const MON: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                format!(
                    "{}, {} {} {}",
                    WD[wd],
                    d.day(),
                    MON[d.month0() as usize],
                    d.year()
                )
            }
            Language::Ko => {
                const WD: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];
                format!("{}년 {}월 {}일 ({})", d.year(), d.month(), d.day(), WD[wd])
            }
        }
    }

    pub fn date_range(&self, a: NaiveDate, b: NaiveDate, days: usize) -> String {
        match self.lang {
            Language::En => format!("{} – {} · {days} days", self.date(a), self.date(b)),
            Language::Ko => format!("{} – {} · {days}일", self.date(a), self.date(b)),
        }
    }

    pub fn members(&self, n: usize) -> String {
        match (self.lang, n) {
            (Language::En, 1) => "1 traveller".into(),
            (Language::En, n) => format!("{n} travellers"),
            (Language::Ko, n) => format!("여행자 {n}명"),
        }
    }

    pub fn stops(&self, n: usize) -> String {
        match (self.lang, n) {
            (Language::En, 1) => "1 stop".into(),
            (Language::En, n) => format!("{n} stops"),
            (Language::Ko, n) => format!("{n}곳"),
        }
    }

    pub fn start(&self) -> &'static str {
        self.pick("Start", "출발")
    }

    pub fn back(&self) -> &'static str {
        self.pick("Back", "도착")
    }

    pub fn empty_day(&self) -> &'static str {
        self.pick(
            "No stops planned for this day.",
            "이 날은 계획된 장소가 없습니다.",
        )
    }

    pub fn walking(&self, metres: u32) -> String {
        match self.lang {
            Language::En => format!("Walking {}", distance(metres)),
            Language::Ko => format!("걷기 {}", distance(metres)),
        }
    }

    pub fn page(&self, n: usize, of: usize) -> String {
        format!("{n} / {of}")
    }

    pub fn kind(&self, k: StopKind) -> &'static str {
        match k {
            StopKind::Visit => self.pick("Visit", "방문"),
            StopKind::Lunch => self.pick("Lunch", "점심"),
            StopKind::Dinner => self.pick("Dinner", "저녁"),
            StopKind::Rest => self.pick("Rest", "휴식"),
            StopKind::Journey => self.pick("Journey", "이동"),
        }
    }

    /// A stop's category (the planner's key: `museum`, `cafe`, …) as a word of the language;
    /// an unknown key is shown as it is rather than dropped.
    pub fn category<'a>(&self, key: &'a str) -> &'a str {
        let (en, ko) = match key {
            "attraction" => ("Attraction", "관광명소"),
            "museum" => ("Museum", "박물관"),
            "gallery" => ("Gallery", "미술관"),
            "viewpoint" => ("Viewpoint", "전망대"),
            "park" => ("Park", "공원"),
            "nature" => ("Nature", "자연"),
            "religious" => ("Religious site", "종교 시설"),
            "historic" => ("Historic site", "유적지"),
            "entertainment" => ("Entertainment", "엔터테인먼트"),
            "shopping" => ("Shopping", "쇼핑"),
            "restaurant" => ("Restaurant", "음식점"),
            "cafe" => ("Café", "카페"),
            "bar" => ("Bar", "바"),
            "laundry" => ("Laundry", "빨래방"),
            "parking" => ("Parking", "주차장"),
            "lodging" => ("Lodging", "숙소"),
            "sports" => ("Sports venue", "스포츠 시설"),
            "bench" => ("Bench", "벤치"),
            "other" | "place" => ("Place", "장소"),
            _ => return key,
        };
        self.pick(en, ko)
    }

    pub fn mode(&self, m: LegMode) -> &'static str {
        match m {
            LegMode::Walk => self.pick("Walk", "도보"),
            LegMode::Transit => self.pick("Transit", "대중교통"),
            LegMode::Car => self.pick("Car", "자동차"),
            LegMode::Taxi => self.pick("Taxi", "택시"),
        }
    }

    /// A journey's mode (`train`, `flight`, …), marked as an estimate.
    pub fn journey_mode(&self, mode: &str) -> String {
        let estimate = self.pick("estimate", "추정");
        let name = match mode {
            "train" => self.pick("Train", "기차"),
            "flight" => self.pick("Flight", "항공편"),
            "ferry" => self.pick("Ferry", "페리"),
            "car" => self.pick("Car", "자동차"),
            "transit" => self.pick("Transit", "대중교통"),
            "walk" => self.pick("Walk", "도보"),
            other => return format!("{other} ({estimate})"),
        };
        format!("{name} ({estimate})")
    }

    pub fn minutes(&self, m: u32) -> String {
        match self.lang {
            Language::En if m >= 60 && m.is_multiple_of(60) => format!("{} h", m / 60),
            Language::En if m >= 60 => format!("{} h {} min", m / 60, m % 60),
            Language::En => format!("{m} min"),
            Language::Ko if m >= 60 && m.is_multiple_of(60) => format!("{}시간", m / 60),
            Language::Ko if m >= 60 => format!("{}시간 {}분", m / 60, m % 60),
            Language::Ko => format!("{m}분"),
        }
    }

    /// `Walk · 12 min · 850 m`
    pub fn leg(&self, mode: LegMode, minutes: u32, metres: u32) -> String {
        format!(
            "{} · {} · {}",
            self.mode(mode),
            self.minutes(minutes),
            distance(metres)
        )
    }

    pub fn weather(&self, w: &Weather) -> String {
        let sky = match w.sky.as_str() {
            "clear" => self.pick("Clear", "맑음"),
            "cloudy" => self.pick("Cloudy", "흐림"),
            "rain" => self.pick("Rain", "비"),
            "snow" => self.pick("Snow", "눈"),
            "storm" => self.pick("Storm", "폭풍"),
            _ => "",
        };
        let sky = if sky.is_empty() { w.sky.as_str() } else { sky };
        let mut s = sky.to_string();
        match (w.min_temp_c, w.max_temp_c) {
            (Some(a), Some(b)) => s.push_str(&format!(" · {:.0}–{:.0} °C", a, b)),
            (None, Some(b)) => s.push_str(&format!(" · {:.0} °C", b)),
            (Some(a), None) => s.push_str(&format!(" · {:.0} °C", a)),
            (None, None) => {}
        }
        if let Some(air) = &w.air {
            s.push_str(&format!(" · {} {air}", self.pick("air", "대기")));
        }
        s
    }

    pub fn indoor_alternative(&self, name: &str, metres: u32) -> String {
        match self.lang {
            Language::En => format!("Indoor alternative: {name} ({})", distance(metres)),
            Language::Ko => format!("실내 대안: {name} ({})", distance(metres)),
        }
    }

    pub fn parking(&self, name: &str, metres: u32) -> String {
        match self.lang {
            Language::En => format!("Parking: {name}, {} to walk", distance(metres)),
            Language::Ko => format!("주차: {name}, 도보 {}", distance(metres)),
        }
    }

    pub fn attribution(&self) -> String {
        match self.lang {
            Language::En => {
                format!("Map data {OSM_ATTRIBUTION} (ODbL) · Made with TripGen")
            }
            Language::Ko => format!("지도 데이터 {OSM_ATTRIBUTION} (ODbL) · TripGen"),
        }
    }
}

/// `09:30` (times past midnight keep counting: `25:10`).
pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `850 m`, `1.2 km`, `15 km`.
pub fn distance(metres: u32) -> String {
    if metres < 1000 {
        format!("{metres} m")
    } else if metres < 10_000 {
        format!("{:.1} km", f64::from(metres) / 1000.0)
    } else {
        format!("{} km", (f64::from(metres) / 1000.0).round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_naturally() {
        let en = Labels::new(Language::En);
        let ko = Labels::new(Language::Ko);
        let d = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        assert_eq!(en.date(d), "Tue, 1 Jun 2027");
        assert_eq!(ko.date(d), "2027년 6월 1일 (화)");
        assert_eq!(en.minutes(90), "1 h 30 min");
        assert_eq!(ko.minutes(120), "2시간");
        assert_eq!(distance(850), "850 m");
        assert_eq!(distance(1240), "1.2 km");
        assert_eq!(distance(15_400), "15 km");
        assert_eq!(hhmm(1510), "25:10");
        assert_eq!(en.leg(LegMode::Walk, 12, 850), "Walk · 12 min · 850 m");
        assert_eq!(ko.members(3), "여행자 3명");
    }
}
