//! The trip context recomputes edited days with its own leg policy (it does not depend on
//! the planner); this keeps that policy equal to the planner's group rules, so an edited day
//! is walked and ridden the way a generated day is.

use tripgen_planner::itinerary::group_rules::group_rules;
use tripgen_planner::itinerary::{GroupProfile, Member, Pace, Transport};
use tripgen_planner::itinerary::{Health as PHealth, Mode as PMode};
use tripgen_trip::domain::model::{Health, TransportMode};
use tripgen_trip::domain::schedule::{LegPolicy, Mode};

#[test]
fn edited_days_use_the_planners_group_rules() {
    let healths = [
        (Health::Excellent, PHealth::Excellent),
        (Health::Good, PHealth::Good),
        (Health::Caution, PHealth::Caution),
        (Health::Limited, PHealth::Limited),
    ];
    for (trip_transport, planner_transport) in [
        (TransportMode::Public, Transport::Public),
        (TransportMode::Car, Transport::Car),
    ] {
        for (i, (th, ph)) in healths.iter().enumerate() {
            // A fit member travelling with this one: the most restricted member decides.
            let trip = LegPolicy::for_group(&[Health::Excellent, *th], trip_transport);
            let group = GroupProfile {
                members: vec![
                    Member {
                        health: PHealth::Excellent,
                    },
                    Member { health: *ph },
                ],
            };
            let planner = group_rules(&group, Pace::Normal, planner_transport);
            assert_eq!(trip.walk_slowdown, planner.walk_slowdown, "case {i}");
            let motor = match planner.motor_mode {
                PMode::Walk => Mode::Walk,
                PMode::Transit => Mode::Transit,
                PMode::Car => Mode::Car,
                PMode::Taxi => Mode::Taxi,
            };
            assert_eq!(trip.motor, motor, "case {i} {trip_transport:?}");
        }
    }
}
