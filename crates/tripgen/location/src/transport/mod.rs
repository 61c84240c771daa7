//! Transport points and ferry routes from OSM (issue 18, docs/journeys.md): where a train
//! journey really starts and ends (`railway=station|halt`, a `public_transport=station`
//! with `train=yes`), the ferry terminals (`amenity=ferry_terminal`) and the ferry routes
//! (`route=ferry` ways and route relations: endpoints, length, `duration`). Read from each
//! imported `.osm.pbf` ([`read`]), stored per dataset ([`store`], `transport_networks`),
//! asked by the journeys of a plan ([`TransportNetworks::links`]).
//!
//! They are **not** places: a station never becomes a sight of a plan.

pub mod import;
pub mod read;
pub mod store;

use platform_geo::LatLon;
use serde::{Deserialize, Serialize};

pub use read::read_transport;

/// Stations this far from a hotel count as the city's (a main station may lie 5–10 km out;
/// farther is another town's).
pub const STATION_RADIUS_M: f64 = 15_000.0;

/// A ferry end this far from a hotel serves its city (a port outside the centre).
pub const PORT_RADIUS_M: f64 = 30_000.0;

/// A ferry links two cities when its ends are at least this share of the cities' distance
/// apart: a harbour shuttle of a few hundred metres does not carry a group 15 km away.
pub const CROSSING_SHARE: f64 = 0.5;

/// What a transport point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HubKind {
    /// A railway station or halt of trains (not a metro, tram or light-rail stop).
    Station,
    FerryTerminal,
}

/// A station or ferry terminal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransportHub {
    pub name: String,
    pub kind: HubKind,
    pub position: LatLon,
    /// `node/123`, `way/45`.
    pub osm: String,
}

/// A ferry route: its two ends (a loop's far end is the point farthest from its start),
/// its sailing length along the ways kept by the extract, and its `duration` tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FerryRoute {
    pub name: String,
    pub from: LatLon,
    pub to: LatLon,
    pub metres: u32,
    /// Sailing minutes from the `duration` tag (`HH:MM`, `H:MM:SS`, ISO 8601 `PT2H`).
    pub minutes: Option<u32>,
    /// `way/…` or `relation/…`.
    pub osm: String,
}

/// One dataset's transport points and ferry routes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransportNetwork {
    pub hubs: Vec<TransportHub>,
    pub ferries: Vec<FerryRoute>,
}

/// A ferry route as it joins two cities: which end serves which, named by the terminals.
#[derive(Debug, Clone, PartialEq)]
pub struct FerryLink {
    pub route: FerryRoute,
    /// The terminal (or the route's end, named after the route) on each side.
    pub from: TransportHub,
    pub to: TransportHub,
}

/// What the journey between two points can use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JourneyLinks {
    pub from_station: Option<TransportHub>,
    pub to_station: Option<TransportHub>,
    pub ferry: Option<FerryLink>,
}

/// Every stored dataset's network, asked as one.
#[derive(Debug, Clone, Default)]
pub struct TransportNetworks {
    networks: Vec<TransportNetwork>,
}

impl TransportNetworks {
    pub fn new(networks: Vec<TransportNetwork>) -> Self {
        TransportNetworks { networks }
    }

    fn hubs(&self, kind: HubKind) -> impl Iterator<Item = &TransportHub> {
        self.networks
            .iter()
            .flat_map(|n| &n.hubs)
            .filter(move |h| h.kind == kind)
    }

    /// The nearest hub of `kind` within `radius_m` of `p`.
    pub fn nearest(&self, p: LatLon, kind: HubKind, radius_m: f64) -> Option<&TransportHub> {
        self.hubs(kind)
            .map(|h| (h.position.distance_m(p), h))
            .filter(|(d, _)| *d <= radius_m)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, h)| h)
    }

    /// The ferry route joining `a` and `b`: one end within [`PORT_RADIUS_M`] of each (each
    /// end nearer its own side), ends at least [`CROSSING_SHARE`] of the distance apart;
    /// the one with the shortest way to and from its ends.
    pub fn ferry_between(&self, a: LatLon, b: LatLon) -> Option<FerryLink> {
        let apart = a.distance_m(b);
        let mut best: Option<(f64, FerryLink)> = None;
        for r in self.networks.iter().flat_map(|n| &n.ferries) {
            if r.from.distance_m(r.to) < apart * CROSSING_SHARE {
                continue;
            }
            // Either direction of the route.
            for (near_a, near_b) in [(r.from, r.to), (r.to, r.from)] {
                let (da, db) = (near_a.distance_m(a), near_b.distance_m(b));
                let own_sides = da < near_a.distance_m(b) && db < near_b.distance_m(a);
                if da > PORT_RADIUS_M || db > PORT_RADIUS_M || !own_sides {
                    continue;
                }
                if best.as_ref().is_some_and(|(d, _)| *d <= da + db) {
                    continue;
                }
                let link = FerryLink {
                    from: self.terminal(near_a, &r.name),
                    to: self.terminal(near_b, &r.name),
                    route: FerryRoute {
                        from: near_a,
                        to: near_b,
                        ..r.clone()
                    },
                };
                best = Some((da + db, link));
            }
        }
        best.map(|(_, l)| l)
    }

    /// The ferry terminal at a route's end (within 500 m), else the end named after the
    /// route.
    fn terminal(&self, end: LatLon, route: &str) -> TransportHub {
        match self.nearest(end, HubKind::FerryTerminal, 500.0) {
            Some(t) => TransportHub {
                position: end,
                ..t.clone()
            },
            None => TransportHub {
                name: if route.is_empty() {
                    "Ferry terminal".into()
                } else {
                    format!("{route} (terminal)")
                },
                kind: HubKind::FerryTerminal,
                position: end,
                osm: String::new(),
            },
        }
    }

    /// What a journey from `a` to `b` can use: the station nearest each end, the ferry
    /// joining them.
    pub fn links(&self, a: LatLon, b: LatLon) -> JourneyLinks {
        JourneyLinks {
            from_station: self.nearest(a, HubKind::Station, STATION_RADIUS_M).cloned(),
            to_station: self.nearest(b, HubKind::Station, STATION_RADIUS_M).cloned(),
            ferry: self.ferry_between(a, b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(name: &str, kind: HubKind, lat: f64, lon: f64) -> TransportHub {
        TransportHub {
            name: name.into(),
            kind,
            position: LatLon::new(lat, lon),
            osm: String::new(),
        }
    }

    fn networks() -> TransportNetworks {
        TransportNetworks::new(vec![TransportNetwork {
            hubs: vec![
                hub("Helsinki", HubKind::Station, 60.1713, 24.9415),
                hub("Länsiterminaali", HubKind::FerryTerminal, 60.1497, 24.9160),
                hub("Balti jaam", HubKind::Station, 59.4400, 24.7370),
                hub("D-terminal", HubKind::FerryTerminal, 59.4405, 24.7720),
            ],
            ferries: vec![
                FerryRoute {
                    name: "Helsinki–Tallinn".into(),
                    from: LatLon::new(59.4410, 24.7725),
                    to: LatLon::new(60.1500, 24.9165),
                    metres: 82_000,
                    minutes: Some(120),
                    osm: "way/1".into(),
                },
                FerryRoute {
                    name: "Harbour shuttle".into(),
                    from: LatLon::new(60.1680, 24.9530),
                    to: LatLon::new(60.1450, 24.9880),
                    metres: 3_000,
                    minutes: None,
                    osm: "way/2".into(),
                },
            ],
        }])
    }

    #[test]
    fn stations_and_ferries_between_two_cities() {
        let n = networks();
        let helsinki = LatLon::new(60.1699, 24.9384);
        let tallinn = LatLon::new(59.4370, 24.7536);
        let l = n.links(helsinki, tallinn);
        assert_eq!(l.from_station.map(|h| h.name).as_deref(), Some("Helsinki"));
        assert_eq!(l.to_station.map(|h| h.name).as_deref(), Some("Balti jaam"));
        let f = l.ferry.expect("the ferry joins them");
        assert_eq!(
            (f.from.name.as_str(), f.to.name.as_str()),
            ("Länsiterminaali", "D-terminal")
        );
        assert_eq!(
            f.route.from,
            LatLon::new(60.1500, 24.9165),
            "turned to the journey's way"
        );
        assert_eq!(f.route.minutes, Some(120));
        // The harbour shuttle joins nothing 15 km away; nothing beyond the radius.
        let espoo = LatLon::new(60.2055, 24.6559);
        assert_eq!(n.ferry_between(helsinki, espoo), None);
        assert_eq!(
            n.nearest(LatLon::new(61.5, 23.8), HubKind::Station, STATION_RADIUS_M),
            None
        );
    }
}
