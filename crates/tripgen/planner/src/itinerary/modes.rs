//! Mode per leg: walk when the walking distance is at most 500 m (and the walk stays under
//! 20 minutes at the group's pace), otherwise the trip's motor mode (transit, car, or taxi for
//! limited mobility on public-transport trips). Legs longer than the limits are forbidden.

use super::group_rules::{
    DRIVE_MAX_MINUTES, GroupRules, TRANSIT_MAX_MINUTES, WALK_MAX_METRES, WALK_MAX_MINUTES,
};
use super::model::{LatLon, Minutes, Mode};
use super::travel::{LegEstimate, TravelModel};

/// Energy of walking: 3.5 MET (Compendium of Physical Activities, walking 2.8–3.2 mph) for a
/// 70 kg adult at 4.5 km/h ≈ 54 kcal per km.
pub const WALK_KCAL_PER_KM: f64 = 54.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LegChoice {
    pub mode: Mode,
    pub minutes: Minutes,
    pub metres: u32,
}

impl LegChoice {
    pub fn kcal(&self) -> Option<u32> {
        (self.mode == Mode::Walk)
            .then(|| (self.metres as f64 / 1000.0 * WALK_KCAL_PER_KM).round() as u32)
    }
}

/// The leg on foot at the group's pace, when it is short enough to be walked (at most
/// 500 m and 20 minutes); `None` = the leg is ridden. Edited days use this rule too.
pub fn walked(rules: &GroupRules, walk: LegEstimate) -> Option<LegChoice> {
    let minutes = walk.minutes * rules.walk_slowdown;
    (walk.metres <= WALK_MAX_METRES
        && minutes <= WALK_MAX_MINUTES
        && minutes.is_finite()
        && minutes >= 0.0)
        .then(|| LegChoice {
            mode: Mode::Walk,
            minutes: minutes.ceil() as Minutes,
            metres: walk.metres.round() as u32,
        })
}

/// Chooses the mode of a leg; `None` if no mode satisfies the leg limits.
pub fn choose_leg(
    model: &dyn TravelModel,
    rules: &GroupRules,
    from: LatLon,
    to: LatLon,
) -> Option<LegChoice> {
    if let Some(walk) = model
        .estimate(from, to, Mode::Walk)
        .and_then(|w| walked(rules, w))
    {
        return Some(walk);
    }
    ridden(rules, model.estimate(from, to, rules.motor_mode)?)
}

/// The leg by the trip's motor mode, when within that mode's limit.
pub fn ridden(rules: &GroupRules, est: LegEstimate) -> Option<LegChoice> {
    let mode = rules.motor_mode;
    let limit = match mode {
        Mode::Transit => TRANSIT_MAX_MINUTES,
        _ => DRIVE_MAX_MINUTES,
    };
    if !est.minutes.is_finite() || est.minutes < 0.0 || est.minutes > limit {
        return None;
    }
    if !est.metres.is_finite() || est.metres < 0.0 {
        return None;
    }
    Some(LegChoice {
        mode,
        minutes: est.minutes.ceil() as Minutes,
        metres: est.metres.round() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itinerary::group_rules::group_rules;
    use crate::itinerary::model::*;
    use crate::itinerary::travel::StraightLine;

    fn rules(h: Health, t: Transport) -> GroupRules {
        group_rules(
            &GroupProfile {
                members: vec![Member { health: h }],
            },
            Pace::Normal,
            t,
        )
    }

    #[test]
    fn short_legs_walk_long_legs_ride() {
        let m = StraightLine::default();
        let a = LatLon {
            lat: 48.0,
            lon: 11.0,
        };
        let near = LatLon {
            lat: 48.003,
            lon: 11.0,
        }; // ~333 m × 1.3 = 433 m
        let far = LatLon {
            lat: 48.03,
            lon: 11.0,
        };
        let r = rules(Health::Good, Transport::Public);
        let leg = choose_leg(&m, &r, a, near).unwrap();
        assert_eq!(leg.mode, Mode::Walk);
        assert!(leg.metres <= 500 && leg.kcal().is_some());
        assert_eq!(choose_leg(&m, &r, a, far).unwrap().mode, Mode::Transit);
        let lim = rules(Health::Limited, Transport::Public);
        assert_eq!(choose_leg(&m, &lim, a, far).unwrap().mode, Mode::Taxi);
        let car = rules(Health::Good, Transport::Car);
        assert_eq!(choose_leg(&m, &car, a, far).unwrap().mode, Mode::Car);
        // 100 km is beyond the 60-minute drive limit.
        let away = LatLon {
            lat: 49.0,
            lon: 11.0,
        };
        assert!(choose_leg(&m, &car, a, away).is_none());
    }
}
