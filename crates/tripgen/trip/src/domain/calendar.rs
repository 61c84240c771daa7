//! Dates of a trip: the destination chain (TRIP-040), the instants a trip starts and ends
//! in its cities' time zones, and the status derived from them (TRIP-020).
//!
//! - The trip starts on `startDate` (arrival in the first city). Destination `i` starts when
//!   destination `i-1` ends; it ends `nights` days after it starts (its check-out date).
//! - The trip's end date is the last check-out date; the trip has `nights + 1` days.
//! - Status is derived, never stored: `planning` before local midnight of the start date in
//!   the first city's zone, `ongoing` from then until local midnight after the end date in
//!   the last city's zone, `completed` after.

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `(start, end)` date of each destination, chained from `start`.
pub fn chain(start: NaiveDate, nights: &[u32]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::with_capacity(nights.len());
    let mut at = start;
    for &n in nights {
        // Checked: a date near chrono's limit must not panic (inputs are range-checked,
        // this is the last guard).
        let end = at
            .checked_add_days(Days::new(u64::from(n)))
            .unwrap_or(NaiveDate::MAX);
        out.push((at, end));
        at = end;
    }
    out
}

/// Number of calendar days of a trip with `total_nights` nights.
pub fn trip_days(total_nights: u32) -> u32 {
    total_nights + 1
}

/// The instant of local midnight starting `date` in `tz`. Where midnight does not exist
/// (a DST gap at 00:00, e.g. some years in America/Havana), the first instant of the day.
pub fn local_midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut t = date.and_time(NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.with_timezone(&Utc);
        }
        t += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// One stay as status derivation needs it.
#[derive(Debug, Clone, Copy)]
pub struct Stay {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub tz: Tz,
}

/// `(starts_at, ends_at)` of a trip in UTC: local midnight of the first day in the first
/// city's zone, local midnight after the last day in the last city's zone.
pub fn window(stays: &[Stay]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let first = stays.first()?;
    let last = stays.last()?;
    Some((
        local_midnight(first.start, first.tz),
        local_midnight(last.end + Duration::days(1), last.tz),
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TripStatus {
    Planning,
    Ongoing,
    Completed,
}

impl TripStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TripStatus::Planning => "planning",
            TripStatus::Ongoing => "ongoing",
            TripStatus::Completed => "completed",
        }
    }
    pub fn parse(s: &str) -> Option<TripStatus> {
        match s {
            "planning" => Some(TripStatus::Planning),
            "ongoing" => Some(TripStatus::Ongoing),
            "completed" => Some(TripStatus::Completed),
            _ => None,
        }
    }
}

/// Status from the stored window (epoch ms). The list filter uses the same comparisons
/// in SQL, so both always agree.
pub fn status(starts_at: Option<i64>, ends_at: Option<i64>, now_ms: i64) -> TripStatus {
    match (starts_at, ends_at) {
        (Some(s), Some(e)) if now_ms >= e && s <= now_ms => TripStatus::Completed,
        (Some(s), Some(_)) if now_ms >= s => TripStatus::Ongoing,
        _ => TripStatus::Planning,
    }
}

/// Where an ongoing trip stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OngoingProgress {
    /// Day of the trip today, 1 on the start date (in the zone of the city of the day).
    pub day_number: u32,
    pub total_days: u32,
    /// Share of the trip's time elapsed, 0–100 (rounded down).
    pub percent: u8,
    /// `D+n` with `n` = `dayNumber`.
    pub badge: String,
}

/// Progress of an ongoing trip at `now`; `None` when the trip is not ongoing.
pub fn ongoing_progress(stays: &[Stay], now: DateTime<Utc>) -> Option<OngoingProgress> {
    let (starts, ends) = window(stays)?;
    if now < starts || now >= ends {
        return None;
    }
    let first = stays.first()?;
    let last = stays.last()?;
    // The city of today: the last stay that has begun (its local midnight has passed).
    let tz = stays
        .iter()
        .rev()
        .find(|s| local_midnight(s.start, s.tz) <= now)
        .map(|s| s.tz)
        .unwrap_or(first.tz);
    let today = now.with_timezone(&tz).date_naive();
    let total_days = ((last.end - first.start).num_days() + 1).max(1) as u32;
    let day_number = ((today - first.start).num_days() + 1).clamp(1, i64::from(total_days)) as u32;
    let span = (ends - starts).num_milliseconds().max(1);
    let percent = ((now - starts).num_milliseconds() * 100 / span).clamp(0, 100) as u8;
    Some(OngoingProgress {
        day_number,
        total_days,
        percent,
        badge: format!("D+{day_number}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn chain_links_each_city_to_the_previous() {
        let c = chain(d(2026, 5, 1), &[3, 2, 1]);
        assert_eq!(c[0], (d(2026, 5, 1), d(2026, 5, 4)));
        assert_eq!(c[1], (d(2026, 5, 4), d(2026, 5, 6)));
        assert_eq!(c[2], (d(2026, 5, 6), d(2026, 5, 7)));
        assert_eq!(trip_days(6), 7);
    }

    #[test]
    fn auckland_midnight_is_the_previous_utc_day() {
        let tz: Tz = "Pacific/Auckland".parse().unwrap();
        // March: NZDT, UTC+13.
        let m = local_midnight(d(2026, 3, 10), tz);
        assert_eq!(m.to_rfc3339(), "2026-03-09T11:00:00+00:00");
    }

    #[test]
    fn status_and_progress_around_midnight() {
        let tz: Tz = "Asia/Seoul".parse().unwrap();
        let stays = [Stay {
            start: d(2026, 6, 1),
            end: d(2026, 6, 3),
            tz,
        }];
        let (s, e) = window(&stays).unwrap();
        assert_eq!(s.to_rfc3339(), "2026-05-31T15:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-06-03T15:00:00+00:00");
        let ms = |t: DateTime<Utc>| t.timestamp_millis();
        let before = s - Duration::milliseconds(1);
        assert_eq!(
            status(Some(ms(s)), Some(ms(e)), ms(before)),
            TripStatus::Planning
        );
        assert_eq!(status(Some(ms(s)), Some(ms(e)), ms(s)), TripStatus::Ongoing);
        assert_eq!(
            status(Some(ms(s)), Some(ms(e)), ms(e)),
            TripStatus::Completed
        );
        let p = ongoing_progress(&stays, s).unwrap();
        assert_eq!((p.day_number, p.total_days, p.percent), (1, 3, 0));
        assert_eq!(p.badge, "D+1");
        let p = ongoing_progress(&stays, s + Duration::hours(36)).unwrap();
        assert_eq!((p.day_number, p.percent), (2, 50));
        assert!(ongoing_progress(&stays, e).is_none());
    }
}
