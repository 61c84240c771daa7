//! Who may use a `highway=*` way, in which direction and how fast: the foot, bike and car
//! profiles of the street graph. Speeds are city speeds (km/h) chosen for planning, not
//! limits: traffic lights, crossings and congestion are folded in. Numbers in
//! docs/location.md (*Street graph*).

/// Access of one way for one mode, per direction of the way's node order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Directions {
    pub forward: bool,
    pub backward: bool,
}

impl Directions {
    const BOTH: Directions = Directions {
        forward: true,
        backward: true,
    };
    const NONE: Directions = Directions {
        forward: false,
        backward: false,
    };

    pub fn any(self) -> bool {
        self.forward || self.backward
    }
}

/// What the graph keeps of a routable way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayProfile {
    pub foot: Directions,
    pub bike: Directions,
    pub car: Directions,
    /// Car speed on this class of road, km/h.
    pub car_kmh: f64,
    /// `highway=steps`: slow on foot and avoided by step-free routing.
    pub steps: bool,
}

/// Walking pace on the street graph (the straight-line model's 4.5 km/h).
pub const FOOT_KMH: f64 = 4.5;
/// Stairs take about twice as long as the same horizontal length.
pub const STEPS_SLOWDOWN: f64 = 2.0;
pub const BIKE_KMH: f64 = 15.0;

/// Car speed per highway class (the `_link` ramps take their road's speed).
fn car_kmh(highway: &str) -> Option<f64> {
    Some(match highway.trim_end_matches("_link") {
        "motorway" => 70.0,
        "trunk" => 50.0,
        "primary" => 36.0,
        "secondary" => 32.0,
        "tertiary" => 28.0,
        "unclassified" | "road" => 22.0,
        "residential" => 20.0,
        "service" => 12.0,
        "living_street" => 8.0,
        _ => return None,
    })
}

/// Never routable for anyone (planned, disused or not a way to travel along).
const NOT_A_WAY: &[&str] = &[
    "construction",
    "proposed",
    "abandoned",
    "disused",
    "platform",
    "raceway",
    "bus_guideway",
    "escape",
    "elevator",
    "corridor",
    "rest_area",
    "services",
];

fn yes(v: Option<&str>) -> bool {
    matches!(v, Some("yes" | "designated" | "permissive" | "official"))
}

fn no(v: Option<&str>) -> bool {
    matches!(
        v,
        Some("no" | "private" | "agricultural" | "forestry" | "delivery" | "use_sidepath")
    )
}

/// The way's profile, or `None` when no mode may use it.
pub fn way_profile(tags: &[(&str, &str)]) -> Option<WayProfile> {
    let get = |key: &str| tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let highway = get("highway")?;
    if NOT_A_WAY.contains(&highway) || get("area") == Some("yes") && highway != "pedestrian" {
        return None;
    }
    let access_no = no(get("access"));
    let steps = highway == "steps";

    let foot_allowed = if no(get("foot")) {
        false
    } else if yes(get("foot")) {
        true
    } else {
        !access_no && !matches!(highway.trim_end_matches("_link"), "motorway" | "trunk")
    };

    let bike_class = matches!(
        highway,
        "cycleway"
            | "path"
            | "track"
            | "living_street"
            | "residential"
            | "service"
            | "unclassified"
            | "road"
            | "tertiary"
            | "tertiary_link"
            | "secondary"
            | "secondary_link"
            | "primary"
            | "primary_link"
    );
    let bike_allowed = if no(get("bicycle")) {
        false
    } else if yes(get("bicycle")) {
        true
    } else {
        bike_class && !access_no
    };

    let car_speed = car_kmh(highway);
    let motor = get("motor_vehicle").or(get("motorcar")).or(get("vehicle"));
    let car_allowed = car_speed.is_some()
        && if no(motor) {
            false
        } else if yes(motor) {
            true
        } else {
            !access_no
        };

    let oneway = match get("oneway") {
        Some("yes" | "1" | "true") => Some(true),
        Some("-1" | "reverse") => Some(false),
        Some("no" | "0" | "false") => None,
        _ if get("junction") == Some("roundabout")
            || highway == "motorway"
            || highway == "motorway_link" =>
        {
            Some(true)
        }
        _ => None,
    };
    let one = |allowed: bool, follows_oneway: bool| -> Directions {
        if !allowed {
            return Directions::NONE;
        }
        match (follows_oneway, oneway) {
            (true, Some(true)) => Directions {
                forward: true,
                backward: false,
            },
            (true, Some(false)) => Directions {
                forward: false,
                backward: true,
            },
            _ => Directions::BOTH,
        }
    };
    // Cyclists follow one-ways unless the street is open to them both ways.
    let bike_contraflow = matches!(get("oneway:bicycle"), Some("no"))
        || get("cycleway").is_some_and(|v| v.starts_with("opposite"));
    let profile = WayProfile {
        foot: one(foot_allowed, false),
        bike: one(bike_allowed && !steps, !bike_contraflow),
        car: one(car_allowed, true),
        car_kmh: car_speed.unwrap_or(0.0),
        steps,
    };
    (profile.foot.any() || profile.bike.any() || profile.car.any()).then_some(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footway_is_foot_only_and_steps_are_marked() {
        let p = way_profile(&[("highway", "footway")]).unwrap();
        assert!(p.foot.forward && p.foot.backward);
        assert!(!p.car.any() && !p.bike.any());
        let s = way_profile(&[("highway", "steps")]).unwrap();
        assert!(s.steps && s.foot.any() && !s.bike.any());
    }

    #[test]
    fn one_way_street_binds_cars_not_walkers() {
        let p = way_profile(&[("highway", "residential"), ("oneway", "yes")]).unwrap();
        assert!(p.car.forward && !p.car.backward);
        assert!(p.foot.forward && p.foot.backward);
        assert!(p.bike.forward && !p.bike.backward);
        let r = way_profile(&[("highway", "residential"), ("oneway", "-1")]).unwrap();
        assert!(!r.car.forward && r.car.backward);
        let c = way_profile(&[
            ("highway", "residential"),
            ("oneway", "yes"),
            ("oneway:bicycle", "no"),
        ])
        .unwrap();
        assert!(c.bike.forward && c.bike.backward);
        let round = way_profile(&[("highway", "primary"), ("junction", "roundabout")]).unwrap();
        assert!(round.car.forward && !round.car.backward);
    }

    #[test]
    fn private_and_motorways_and_construction() {
        assert!(way_profile(&[("highway", "service"), ("access", "private")]).is_none());
        let shared = way_profile(&[
            ("highway", "service"),
            ("access", "private"),
            ("foot", "yes"),
        ])
        .unwrap();
        assert!(shared.foot.any() && !shared.car.any());
        let m = way_profile(&[("highway", "motorway")]).unwrap();
        assert!(!m.foot.any() && m.car.forward && !m.car.backward);
        assert!(way_profile(&[("highway", "construction")]).is_none());
        assert!(way_profile(&[("building", "yes")]).is_none());
        let ped = way_profile(&[("highway", "pedestrian"), ("motor_vehicle", "no")]).unwrap();
        assert!(ped.foot.any() && !ped.car.any());
        assert_eq!(
            way_profile(&[("highway", "primary_link")]).map(|p| p.car_kmh),
            Some(36.0)
        );
    }
}
