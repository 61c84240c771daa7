//! OSM `opening_hours` parsed and evaluated with the `opening-hours` crate
//! (remi-dupre/opening-hours-rs), wrapped so that a missing or unparseable value is
//! *unknown* — never "open" — and so that evaluation can never take the process down.
//! Values are first read the way opening_hours.js (the reference) reads them ([`reading`]):
//! comma-space weekday lists, comments (unknown, or closed when they say so), open ends.
//!
//! Times are local wall-clock times of the place. Without a context, sun events
//! (`sunrise-sunset`) use the crate's fixed defaults (06:00/07:00/19:00/20:00) and public
//! holidays (`PH`) never match; [`OpeningHours::localized`] attaches the time zone, the
//! position (real sun times) and the country (public holidays; a holiday of only some of
//! the country's regions makes `PH` rules *unknown* that day, since a place's region is
//! not known).

mod day;
mod memo;
pub mod reading;
mod typos;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;
use opening_hours::localization::{Coordinates, Country, TzLocation};
use opening_hours::{Context, ContextHolidays, RuleKind};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::geo::GeoPoint;
use day::{
    closed_as_unknown, contained, guarded, merge_uncertain, regional_holidays, schedule_of,
    to_zoned, with_extra_holiday,
};
use reading::Reading;

type Expr = opening_hours::OpeningHours<TzLocation<Tz>>;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// How far [`OpeningHours::next_change`] looks ahead.
pub const NEXT_CHANGE_HORIZON_DAYS: i64 = 31;

/// The state of a place at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OpeningState {
    Open,
    Closed,
    /// No data, unparseable data, or the expression itself says "unknown"/"on appointment".
    Unknown,
}

impl From<RuleKind> for OpeningState {
    fn from(kind: RuleKind) -> Self {
        match kind {
            RuleKind::Open => OpeningState::Open,
            RuleKind::Closed => OpeningState::Closed,
            RuleKind::Unknown => OpeningState::Unknown,
        }
    }
}

/// Half-open interval `[start, end)` in minutes from local midnight; `end` ≤ 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MinuteRange {
    pub start: u16,
    pub end: u16,
}

impl MinuteRange {
    pub fn contains(&self, minute: u16) -> bool {
        (self.start..self.end).contains(&minute)
    }

    pub fn len(&self) -> u16 {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a local calendar day looks like: the planner schedules visits inside `open`.
/// Minutes not covered by `open` or `unknown` are closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaySchedule {
    pub date: NaiveDate,
    pub open: Vec<MinuteRange>,
    pub unknown: Vec<MinuteRange>,
    /// The value's comments that apply this day (`by appointment`, the open-end note …),
    /// so that a reader sees why a stretch is unknown or closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl DaySchedule {
    fn all_unknown(date: NaiveDate) -> Self {
        Self {
            date,
            open: Vec::new(),
            unknown: vec![MinuteRange {
                start: 0,
                end: MINUTES_PER_DAY,
            }],
            notes: Vec::new(),
        }
    }

    fn all_closed(date: NaiveDate, note: &str) -> Self {
        Self {
            date,
            open: Vec::new(),
            unknown: Vec::new(),
            notes: vec![note.to_owned()],
        }
    }

    /// True when there is no open and no unknown minute on this day.
    pub fn is_closed_all_day(&self) -> bool {
        self.open.is_empty() && self.unknown.is_empty()
    }

    /// The open stretches a plan may use: `None` when the day has no open minute but some
    /// unknown ones (a plan must not rely on a guess), `Some([])` when closed all day.
    /// Unknown stretches beside open ones (`We-Fr 14:00-18:00 || "by appointment"`) are
    /// left out: the open ones are known.
    pub fn plannable(&self) -> Option<&[MinuteRange]> {
        if self.open.is_empty() && !self.unknown.is_empty() {
            None
        } else {
            Some(&self.open)
        }
    }

    pub fn open_minutes(&self) -> u32 {
        self.open.iter().map(|r| u32::from(r.len())).sum()
    }
}

/// Where a place is, so that its hours can be evaluated with real sun times and holidays.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpeningContext {
    pub time_zone: Option<Tz>,
    pub position: Option<GeoPoint>,
    /// ISO 3166-1 alpha-2 code (e.g. `DE`), for public holidays.
    pub country: Option<String>,
}

/// A place's opening hours. Serialises as the raw OSM string (or `null`).
#[derive(Clone)]
pub struct OpeningHours {
    raw: Option<String>,
    parsed: Option<Expr>,
    parse_error: Option<String>,
    /// Free text that says the place is closed: closed at every instant.
    closed_by_text: bool,
    /// The comment of a final `|| "comment"`: minutes the rules leave closed are unknown.
    fallback: Option<Arc<str>>,
    /// With a country: the same expression with every regional holiday counted as a
    /// holiday, and those regional-only dates. On such a date a minute whose state differs
    /// between the two readings is unknown (the place's region is not known).
    regional: Option<(Expr, ContextHolidays)>,
}

impl OpeningHours {
    /// No `opening_hours` tag: every evaluation answers "unknown".
    pub fn missing() -> Self {
        Self {
            raw: None,
            parsed: None,
            parse_error: None,
            closed_by_text: false,
            fallback: None,
            regional: None,
        }
    }

    /// Parses an OSM expression. Never fails: an invalid expression is kept as raw text
    /// (for display and later re-parsing) and evaluates to "unknown".
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        if raw.is_empty() {
            return Self::missing();
        }
        memo::parsed(raw, Self::parse_now)
    }

    fn parse_now(raw: &str) -> Self {
        let mut fallback = None;
        let (parsed, parse_error, closed_by_text) = match contained(|| reading::read(raw)) {
            Some(Reading::Expr { text, fallback: f }) => {
                fallback = f.map(Arc::from);
                match contained(|| text.parse::<opening_hours::OpeningHours>()) {
                    Some(Ok(expr)) => (
                        Some(expr.with_context(
                            Context::default().with_locale(TzLocation::new(Tz::UTC)),
                        )),
                        None,
                        false,
                    ),
                    // The adjusted rules did not survive the round trip: unknown, never open.
                    Some(Err(err)) => (
                        None,
                        Some(format!("after reading as the reference: {err}")),
                        false,
                    ),
                    None => (None, Some("parser panicked".to_owned()), false),
                }
            }
            Some(Reading::ClosedByText) => (None, None, true),
            Some(Reading::Unreadable(err)) => (None, Some(err), false),
            None => (None, Some("parser panicked".to_owned()), false),
        };
        Self {
            raw: Some(raw.to_owned()),
            parsed,
            parse_error,
            closed_by_text,
            fallback,
            regional: None,
        }
    }

    /// The same hours evaluated in a place's time zone, with its sun times and holidays.
    pub fn localized(&self, ctx: &OpeningContext) -> Self {
        let Some(expr) = &self.parsed else {
            return self.clone();
        };
        let mut locale = TzLocation::new(ctx.time_zone.unwrap_or(Tz::UTC));
        if let Some(coords) = ctx
            .position
            .and_then(|p| Coordinates::new(p.lat(), p.lon()))
        {
            locale = locale.with_coords(coords);
        }
        let mut context = Context::default();
        let mut regional = None;
        if let Some(country) = ctx
            .country
            .as_deref()
            .and_then(|c| c.trim().to_ascii_uppercase().parse::<Country>().ok())
        {
            context = context.with_holidays(country.holidays());
            let (with_regional, regional_only) = regional_holidays(country);
            regional = Some((
                expr.clone().with_context(
                    Context::default()
                        .with_holidays(with_regional)
                        .with_locale(locale.clone()),
                ),
                regional_only,
            ));
        }
        Self {
            raw: self.raw.clone(),
            parsed: Some(expr.clone().with_context(context.with_locale(locale))),
            parse_error: None,
            closed_by_text: false,
            fallback: self.fallback.clone(),
            regional,
        }
    }

    /// The reading with regional holidays counted, on a date that is a holiday only in
    /// some of the country's regions or the day after one (hours past midnight of a `PH`
    /// rule).
    fn regional_on(&self, date: NaiveDate) -> Option<&Expr> {
        let near =
            self.regional_only(date) || date.pred_opt().is_some_and(|d| self.regional_only(d));
        self.regional
            .as_ref()
            .filter(|_| near)
            .map(|(expr, _)| expr)
    }

    /// A holiday in only some of the country's regions.
    fn regional_only(&self, date: NaiveDate) -> bool {
        self.regional
            .as_ref()
            .is_some_and(|(_, only)| only.get_public().contains(date))
    }

    pub fn raw(&self) -> Option<&str> {
        self.raw.as_deref()
    }

    /// A value was tagged but could not be parsed (free text saying "closed" is read).
    pub fn is_malformed(&self) -> bool {
        self.raw.is_some() && self.parsed.is_none() && !self.closed_by_text
    }

    /// The value is free text saying the place is closed.
    pub fn is_closed_by_text(&self) -> bool {
        self.closed_by_text
    }

    pub fn is_missing(&self) -> bool {
        self.raw.is_none()
    }

    pub fn parse_error(&self) -> Option<&str> {
        self.parse_error.as_deref()
    }

    fn tz(&self) -> Tz {
        self.parsed
            .as_ref()
            .map(|e| *e.get_context().locale.get_timezone())
            .unwrap_or(Tz::UTC)
    }

    /// State at a local wall-clock time.
    pub fn state_at(&self, local: NaiveDateTime) -> OpeningState {
        if self.closed_by_text {
            return OpeningState::Closed;
        }
        let Some(expr) = &self.parsed else {
            return OpeningState::Unknown;
        };
        let Some(at) = to_zoned(self.tz(), local) else {
            return OpeningState::Unknown;
        };
        if self.regional_on(local.date()).is_some() {
            // Several readings (see `day_schedule`): the day's merged schedule decides.
            let day = self.day_schedule(local.date());
            let minute = u16::try_from(local.time().num_seconds_from_midnight() / 60).unwrap_or(0);
            return if day.open.iter().any(|r| r.contains(minute)) {
                OpeningState::Open
            } else if day.unknown.iter().any(|r| r.contains(minute)) {
                OpeningState::Unknown
            } else {
                OpeningState::Closed
            };
        }
        let state = guarded(|| expr.state(at).0.into()).unwrap_or(OpeningState::Unknown);
        match (state, &self.fallback) {
            (OpeningState::Closed, Some(_)) => OpeningState::Unknown,
            _ => state,
        }
    }

    /// True only when the place is known to be open (unknown counts as not open).
    pub fn is_open_at(&self, local: NaiveDateTime) -> bool {
        self.state_at(local) == OpeningState::Open
    }

    /// State at an absolute instant, converted to the place's local time with `tz`.
    pub fn state_at_instant<Z: TimeZone>(&self, instant: &DateTime<Z>, tz: Tz) -> OpeningState {
        self.state_at(instant.with_timezone(&tz).naive_local())
    }

    /// Next local time at which the state changes; `None` when unknown or when it does not
    /// change within [`NEXT_CHANGE_HORIZON_DAYS`].
    ///
    /// Bounded on purpose: the crate's own `next_change` walks day by day up to the year
    /// 10000, so a value that never changes (or one built to look so) took minutes on a
    /// request path; the fuzzer found it.
    pub fn next_change(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        let expr = self.parsed.as_ref()?;
        let at = to_zoned(self.tz(), local)?;
        let until = to_zoned(
            self.tz(),
            local.checked_add_signed(chrono::Duration::days(NEXT_CHANGE_HORIZON_DAYS))?,
        )?;
        let interval = guarded(|| expr.iter_range(at, until).next()).flatten()?;
        (interval.range.end < until).then(|| interval.range.end.naive_local())
    }

    /// Open and unknown intervals of a local date, in minutes from midnight (includes a
    /// late-night interval spilling over from the previous day, e.g. `Fr 20:00-02:00`).
    pub fn day_schedule(&self, date: NaiveDate) -> DaySchedule {
        if self.closed_by_text {
            return DaySchedule::all_closed(date, self.raw().unwrap_or_default());
        }
        let Some(expr) = &self.parsed else {
            return DaySchedule::all_unknown(date);
        };
        let day = schedule_of(expr, self.tz(), date);
        let day = match self.regional_on(date) {
            Some(other) => {
                let mut day = merge_uncertain(day, &schedule_of(other, self.tz(), date));
                // Both days regional holidays (31 Oct and 1 Nov in Germany): a region may have
                // either alone, so those readings count too.
                if let Some(yesterday) = date.pred_opt().filter(|d| self.regional_only(*d))
                    && self.regional_only(date)
                {
                    for holiday in [yesterday, date] {
                        let alone = with_extra_holiday(expr, holiday);
                        day = merge_uncertain(day, &schedule_of(&alone, self.tz(), date));
                    }
                }
                day
            }
            None => day,
        };
        match &self.fallback {
            Some(note) => closed_as_unknown(day, note),
            None => day,
        }
    }

    /// Seven consecutive day schedules starting at `first_day` (pass a Monday for a week view).
    pub fn week(&self, first_day: NaiveDate) -> Vec<DaySchedule> {
        first_day
            .iter_days()
            .take(7)
            .map(|d| self.day_schedule(d))
            .collect()
    }
}

impl FromStr for OpeningHours {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

impl Default for OpeningHours {
    fn default() -> Self {
        Self::missing()
    }
}

impl PartialEq for OpeningHours {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl fmt::Debug for OpeningHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpeningHours")
            .field("raw", &self.raw)
            .field("valid", &self.parsed.is_some())
            .finish()
    }
}

impl Serialize for OpeningHours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for OpeningHours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Option::<String>::deserialize(deserializer)?;
        Ok(raw.map_or_else(Self::missing, |r| Self::parse(&r)))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod regional_tests;

#[cfg(test)]
mod fuzz_tests;
