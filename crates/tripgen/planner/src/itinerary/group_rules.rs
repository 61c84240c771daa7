//! Rules derived from the group (its most restricted member), the pace and the day.

use super::model::{DaySpec, GroupProfile, Health, Minutes, Mode, Pace, Transport};
use super::weather::{WeatherEffects, weather_effects};

/// Mode rule: a leg is walked when its walking distance is at most this.
pub const WALK_MAX_METRES: f64 = 500.0;
/// Walking legs never exceed this.
pub const WALK_MAX_MINUTES: f64 = 20.0;
/// Car and taxi legs never exceed this.
pub const DRIVE_MAX_MINUTES: f64 = 60.0;
/// Transit legs longer than this are not planned (a day trip is not a leg).
pub const TRANSIT_MAX_MINUTES: f64 = 90.0;
/// Meal windows, local time: the whole meal lies inside (lunch 11:30–14:00, dinner
/// 18:00–21:00).
pub const LUNCH_WINDOW: (Minutes, Minutes) = (690, 840);
pub const DINNER_WINDOW: (Minutes, Minutes) = (1080, 1260);
/// No rest in the first 90 minutes of a day (nobody sits down for coffee on leaving the
/// hotel), nor right after lunch (until 14:30) or once dinner time begins.
pub const REST_NOT_BEFORE: Minutes = 90;
pub const REST_AFTER_LUNCH: Minutes = 870;
pub const LUNCH_MINUTES: Minutes = 60;
pub const DINNER_MINUTES: Minutes = 75;

/// Rules that hold for every day of the trip.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRules {
    pub health: Health,
    /// Places per day (sightseeing stops; meals and rests do not count).
    pub min_places: u32,
    pub max_places: u32,
    pub rests: u32,
    pub rest_minutes: Minutes,
    pub exclude_strenuous: bool,
    pub prefer_step_free: bool,
    /// Mode for legs that are not walked.
    pub motor_mode: Mode,
    /// Walking-time multiplier for slower walkers.
    pub walk_slowdown: f64,
    /// Visit-duration multiplier from the pace.
    pub duration_factor: f64,
}

pub fn group_rules(group: &GroupProfile, pace: Pace, transport: Transport) -> GroupRules {
    let health = group.worst_health();
    let (lo, hi, rests): (u32, u32, u32) = match health {
        Health::Limited => (2, 3, 3),
        Health::Caution => (4, 5, 2),
        // A culture day is four to six visits: a big museum takes two to three hours.
        Health::Good | Health::Excellent => (4, 6, 0),
    };
    let max_places = match pace {
        Pace::Slow => lo,
        Pace::Normal => (lo + hi).div_ceil(2),
        Pace::Fast => hi,
    };
    let motor_mode = match (transport, health) {
        (Transport::Car, _) => Mode::Car,
        // Taxi is preferred over public transport for limited mobility.
        (Transport::Public, Health::Limited) => Mode::Taxi,
        (Transport::Public, _) => Mode::Transit,
    };
    GroupRules {
        health,
        min_places: lo.min(max_places),
        max_places,
        rests,
        rest_minutes: if health == Health::Limited { 20 } else { 15 },
        exclude_strenuous: matches!(health, Health::Limited | Health::Caution),
        prefer_step_free: health == Health::Limited,
        motor_mode,
        walk_slowdown: match health {
            Health::Limited => 1.5,
            Health::Caution => 1.2,
            _ => 1.0,
        },
        duration_factor: match pace {
            Pace::Slow => 1.25,
            Pace::Normal => 1.0,
            Pace::Fast => 0.85,
        },
    }
}

/// Rules of one day: the group rules adjusted for the day's length and weather.
#[derive(Clone, Debug, PartialEq)]
pub struct DayRules {
    pub min_places: u32,
    pub max_places: u32,
    pub rests: u32,
    pub lunch: bool,
    pub dinner: bool,
    pub weather: WeatherEffects,
}

pub fn day_rules(g: &GroupRules, day: &DaySpec) -> DayRules {
    let span = day.end.time.saturating_sub(day.start.time);
    // Short (check-in / check-out) days: about one place per 90 minutes available.
    let by_length = (span / 90).max(if span >= 60 { 1 } else { 0 });
    let max_places = g.max_places.min(by_length);
    let weather = weather_effects(day.weather.as_ref());
    let mut rests = g.rests;
    if g.health >= Health::Good && span >= 8 * 60 {
        // `good`/`excellent`: 0–1 rests, one on long days.
        rests = rests.max(1);
    }
    rests += weather.extra_rests;
    rests = rests.min((span / 120).max(if span >= 120 { 1 } else { 0 }));
    let covers = |w: (Minutes, Minutes)| day.start.time <= w.0 && day.end.time >= w.1;
    DayRules {
        min_places: g.min_places.min(max_places),
        max_places,
        rests,
        lunch: covers(LUNCH_WINDOW),
        dinner: covers(DINNER_WINDOW),
        weather,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itinerary::model::*;

    fn group(h: &[Health]) -> GroupProfile {
        GroupProfile {
            members: h.iter().map(|&health| Member { health }).collect(),
        }
    }

    #[test]
    fn most_restricted_member_decides() {
        let g = group_rules(
            &group(&[Health::Excellent, Health::Limited]),
            Pace::Normal,
            Transport::Public,
        );
        assert_eq!((g.min_places, g.max_places, g.rests), (2, 3, 3));
        assert!(g.exclude_strenuous && g.prefer_step_free);
        assert_eq!(g.motor_mode, Mode::Taxi);
        let c = group_rules(
            &group(&[Health::Good, Health::Caution]),
            Pace::Fast,
            Transport::Car,
        );
        assert_eq!((c.max_places, c.rests), (5, 2));
        assert!(c.exclude_strenuous && !c.prefer_step_free);
        assert_eq!(c.motor_mode, Mode::Car);
        let ok = group_rules(&group(&[Health::Good]), Pace::Slow, Transport::Public);
        assert_eq!(ok.max_places, 4);
        assert!(!ok.exclude_strenuous);
    }

    #[test]
    fn short_days_get_fewer_places() {
        let g = group_rules(&group(&[Health::Good]), Pace::Fast, Transport::Public);
        let anchor = |time| Anchor {
            name: "hotel".into(),
            position: LatLon { lat: 0.0, lon: 0.0 },
            time,
        };
        let day = DaySpec {
            date: Date {
                year: 2026,
                month: 5,
                day: 4,
            },
            start: anchor(15 * 60),
            end: anchor(19 * 60),
            kind: DayKind::Arrival,
            weather: None,
        };
        let r = day_rules(&g, &day);
        assert_eq!(r.max_places, 2);
        assert!(!r.lunch && !r.dinner);
    }
}
