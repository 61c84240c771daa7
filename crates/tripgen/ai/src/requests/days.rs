//! Wishes for one day of the trip: "Monday: museum", "on day 2 start late", "둘째 날은
//! 쇼핑", "the last day back by 3 pm". A clause naming a day (by weekday, by its number,
//! first or last) makes its wishes that day's only; a day the trip does not have is
//! explained, never applied elsewhere.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The day a wish is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum WishDay {
    First,
    Last,
    /// The trip's n-th day (1-based).
    Number(u16),
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

const WEEKDAYS: [WishDay; 7] = [
    WishDay::Monday,
    WishDay::Tuesday,
    WishDay::Wednesday,
    WishDay::Thursday,
    WishDay::Friday,
    WishDay::Saturday,
    WishDay::Sunday,
];

/// Words for a day, with what they mean (checked in this order: longer first).
const DAY_WORDS: &[(&str, WishDay)] = &[
    ("last day", WishDay::Last),
    ("final day", WishDay::Last),
    ("마지막 날", WishDay::Last),
    ("마지막날", WishDay::Last),
    ("first day", WishDay::First),
    ("첫째 날", WishDay::First),
    ("첫째날", WishDay::First),
    ("첫날", WishDay::First),
    ("첫 날", WishDay::First),
    ("second day", WishDay::Number(2)),
    ("2nd day", WishDay::Number(2)),
    ("둘째 날", WishDay::Number(2)),
    ("둘째날", WishDay::Number(2)),
    ("이튿날", WishDay::Number(2)),
    ("third day", WishDay::Number(3)),
    ("3rd day", WishDay::Number(3)),
    ("셋째 날", WishDay::Number(3)),
    ("셋째날", WishDay::Number(3)),
    ("fourth day", WishDay::Number(4)),
    ("4th day", WishDay::Number(4)),
    ("넷째 날", WishDay::Number(4)),
    ("넷째날", WishDay::Number(4)),
    ("fifth day", WishDay::Number(5)),
    ("5th day", WishDay::Number(5)),
    ("다섯째 날", WishDay::Number(5)),
    ("다섯째날", WishDay::Number(5)),
    ("day one", WishDay::First),
    ("day two", WishDay::Number(2)),
    ("day three", WishDay::Number(3)),
    ("day four", WishDay::Number(4)),
    ("day five", WishDay::Number(5)),
    ("monday", WishDay::Monday),
    ("tuesday", WishDay::Tuesday),
    ("wednesday", WishDay::Wednesday),
    ("thursday", WishDay::Thursday),
    ("friday", WishDay::Friday),
    ("saturday", WishDay::Saturday),
    ("sunday", WishDay::Sunday),
    ("월요일", WishDay::Monday),
    ("화요일", WishDay::Tuesday),
    ("수요일", WishDay::Wednesday),
    ("목요일", WishDay::Thursday),
    ("금요일", WishDay::Friday),
    ("토요일", WishDay::Saturday),
    ("일요일", WishDay::Sunday),
];

/// The day a clause (folded) names, and the clause without the words that named it (so
/// "day 2" is no time and "Monday" no place).
pub fn day_in(folded: &str) -> (Option<WishDay>, String) {
    for (word, day) in DAY_WORDS {
        if let Some(at) = folded.find(word) {
            let before_ok = at == 0 || !folded[..at].ends_with(|c: char| c.is_alphanumeric());
            if before_ok {
                let rest = format!("{} {}", &folded[..at], &folded[at + word.len()..]);
                return (Some(*day), padded(&rest));
            }
        }
    }
    // "day 2", "2일차", "2일째".
    let words: Vec<&str> = folded.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let n = if w == "day" {
            words
                .get(i + 1)
                .and_then(|n| n.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        } else {
            ["일차", "일째"].iter().find_map(|suffix| {
                w.split_once(suffix)
                    .and_then(|(n, _)| n.parse::<u16>().ok())
            })
        };
        if let Some(n) = n.filter(|n: &u16| (1..=60).contains(n)) {
            let skip = if w == "day" { 2 } else { 1 };
            let rest: Vec<&str> = words
                .iter()
                .enumerate()
                .filter(|(k, _)| *k < i || *k >= i + skip)
                .map(|(_, w)| *w)
                .collect();
            return (Some(WishDay::Number(n)), padded(&rest.join(" ")));
        }
    }
    (None, folded.to_string())
}

/// Single spaces, and one on both sides (as clauses are folded).
fn padded(s: &str) -> String {
    format!(" {} ", s.split_whitespace().collect::<Vec<_>>().join(" "))
}

impl WishDay {
    /// Whether the trip's day `index` (0-based; `last` the trip's last) on a date whose
    /// weekday is `weekday` (0 = Monday) is this day.
    pub fn is(self, index: usize, weekday: u8, last: usize) -> bool {
        match self {
            WishDay::First => index == 0,
            WishDay::Last => index == last,
            WishDay::Number(n) => usize::from(n) == index + 1,
            d => WEEKDAYS.iter().position(|w| *w == d) == Some(usize::from(weekday)),
        }
    }

    /// "Monday", "day 2", "the last day" (English) and in Korean.
    pub fn label(self) -> (String, String) {
        const KO: [&str; 7] = [
            "월요일",
            "화요일",
            "수요일",
            "목요일",
            "금요일",
            "토요일",
            "일요일",
        ];
        match self {
            WishDay::First => ("the first day".into(), "첫째 날".into()),
            WishDay::Last => ("the last day".into(), "마지막 날".into()),
            WishDay::Number(n) => (format!("day {n}"), format!("{n}일차")),
            d => {
                let i = WEEKDAYS.iter().position(|w| *w == d).unwrap_or(0);
                let en = serde_json::to_value(d)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let mut c = en.chars();
                let en = c
                    .next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default();
                (en, KO[i].to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_by_weekday_number_and_end() {
        assert_eq!(day_in("monday: museum").0, Some(WishDay::Monday));
        assert_eq!(
            day_in("on day 2 start late"),
            (Some(WishDay::Number(2)), " on start late ".into())
        );
        assert_eq!(day_in("둘째 날은 쇼핑").0, Some(WishDay::Number(2)));
        assert_eq!(day_in("3일차에는 공원").0, Some(WishDay::Number(3)));
        assert_eq!(day_in("the last day back by 3 pm").0, Some(WishDay::Last));
        assert_eq!(day_in("we start at 11").0, None);
        assert_eq!(day_in("a sunday stroll").0, Some(WishDay::Sunday));
        assert!(WishDay::Last.is(2, 0, 2) && !WishDay::Last.is(1, 0, 2));
        assert!(WishDay::Tuesday.is(0, 1, 2));
        assert_eq!(WishDay::Tuesday.label().0, "Tuesday");
    }
}
