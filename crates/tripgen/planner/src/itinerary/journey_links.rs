//! What the imported OSM data knows between a journey's two ends (docs/journeys.md,
//! *Stations and ferry routes*): the nearest train station of each end and a ferry route
//! joining them. With them a train journey runs station to station (the way to and from
//! each station instead of the flat 30 minutes), and a trip that crosses water on a ferry
//! route of the data sails it — its terminals, its length, its `duration` — where the
//! island table (`sea.rs`) alone would not know the water is there (Helsinki → Tallinn).
//! Without them the model is as before.

use serde::{Deserialize, Serialize};

use super::journey::{JourneyEstimate, JourneyMode, JourneyModel, JourneyPart};
use super::model::{LatLon, Transport};
use super::travel::haversine_m;

/// A station or ferry terminal of the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Hub {
    pub name: String,
    pub position: LatLon,
}

/// A ferry route of the data as it joins the two ends (turned to the journey's way).
#[derive(Clone, Debug, PartialEq)]
pub struct FerryLink {
    /// The route's name (`Helsinki–Tallinn`), empty when OSM has none.
    pub name: String,
    pub from: Hub,
    pub to: Hub,
    /// Sailing length along the route.
    pub metres: u32,
    /// Sailing minutes from the route's `duration`, when tagged.
    pub minutes: Option<u32>,
}

/// What a journey between two ends can use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JourneyLinks {
    pub from_station: Option<Hub>,
    pub to_station: Option<Hub>,
    pub ferry: Option<FerryLink>,
}

/// Where the journey boards and leaves its train or ferry, from the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JourneyVia {
    /// The station or terminal left from (absent: the data has none near that end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Hub>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Hub>,
    /// The ferry route's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Station to station (great circle) or the ferry route's sailing length.
    pub metres: u32,
}

fn part(code: &str, minutes: f64) -> JourneyPart {
    JourneyPart {
        code: code.into(),
        minutes: minutes.max(0.0).ceil() as u32,
    }
}

impl JourneyModel {
    /// The way between a hotel (or point) and a station or port: walked up to the walking
    /// distance, else by local transit (its 15 minutes of access included); driven on a
    /// car trip at the transit speed (city traffic).
    fn local_minutes(&self, a: LatLon, b: LatLon, transport: Transport) -> f64 {
        let km = haversine_m(a, b) / 1000.0;
        let ride = km * 1.3 / self.transit_kmh * 60.0;
        if transport == Transport::Car {
            ride
        } else if km <= self.walk_max_km {
            km * 1.3 / self.walk_kmh * 60.0
        } else {
            self.transit_overhead_min + ride
        }
    }

    /// [`JourneyModel::estimate`] with what the data knows: a ferry route joining the ends
    /// (up to `ferry_max_km`) is sailed; a train runs between the stations found.
    pub fn estimate_with(
        &self,
        from: LatLon,
        to: LatLon,
        transport: Transport,
        rail: bool,
        links: &JourneyLinks,
    ) -> (JourneyEstimate, Option<JourneyVia>) {
        let metres = haversine_m(from, to);
        if let Some(f) = &links.ferry
            && metres / 1000.0 <= self.ferry_max_km
        {
            let sailing = f.minutes.map_or_else(
                || f64::from(f.metres) / 1000.0 / self.ferry_kmh * 60.0,
                f64::from,
            );
            let parts = vec![
                part(
                    "ACCESS",
                    self.local_minutes(from, f.from.position, transport),
                ),
                part("CHECK_IN", self.ferry_check_in_min),
                part("IN_VEHICLE", sailing),
                part("BAGGAGE", self.ferry_disembark_min),
                part("EGRESS", self.local_minutes(f.to.position, to, transport)),
            ];
            let via = JourneyVia {
                from: Some(f.from.clone()),
                to: Some(f.to.clone()),
                route: Some(f.name.clone()).filter(|n| !n.is_empty()),
                metres: f.metres,
            };
            return (estimate(JourneyMode::Ferry, metres, parts), Some(via));
        }
        let plain = self.estimate(from, to, transport, rail);
        if plain.mode != JourneyMode::Train
            || (links.from_station.is_none() && links.to_station.is_none())
        {
            return (plain, None);
        }
        let (board, alight) = (
            links.from_station.as_ref().map_or(from, |s| s.position),
            links.to_station.as_ref().map_or(to, |s| s.position),
        );
        let access = links
            .from_station
            .as_ref()
            .map_or(self.station_access_min, |s| {
                self.local_minutes(from, s.position, transport)
            });
        let egress = links
            .to_station
            .as_ref()
            .map_or(self.station_access_min, |s| {
                self.local_minutes(s.position, to, transport)
            });
        let rail_m = haversine_m(board, alight);
        let parts = vec![
            part("ACCESS", access),
            part("CHECK_IN", self.station_buffer_min),
            part(
                "IN_VEHICLE",
                rail_m / 1000.0 * self.rail_detour / self.train_kmh * 60.0,
            ),
            part("EGRESS", egress),
        ];
        let via = JourneyVia {
            from: links.from_station.clone(),
            to: links.to_station.clone(),
            route: None,
            metres: rail_m.round() as u32,
        };
        (estimate(JourneyMode::Train, metres, parts), Some(via))
    }
}

fn estimate(mode: JourneyMode, metres: f64, parts: Vec<JourneyPart>) -> JourneyEstimate {
    JourneyEstimate {
        mode,
        minutes: parts.iter().map(|p| p.minutes).sum(),
        metres: metres.round() as u32,
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(name: &str, lat: f64, lon: f64) -> Hub {
        Hub {
            name: name.into(),
            position: LatLon::new(lat, lon),
        }
    }

    #[test]
    fn a_ferry_route_of_the_data_is_sailed() {
        let m = JourneyModel::default();
        let (helsinki, tallinn) = (LatLon::new(60.1699, 24.9384), LatLon::new(59.4370, 24.7536));
        // Without data: the zones share a continent, so the model takes a train.
        let (plain, via) = m.estimate_with(
            helsinki,
            tallinn,
            Transport::Public,
            true,
            &JourneyLinks::default(),
        );
        assert_eq!((plain.mode, via), (JourneyMode::Train, None));
        let links = JourneyLinks {
            ferry: Some(FerryLink {
                name: "Helsinki–Tallinn".into(),
                from: hub("Länsiterminaali", 60.1500, 24.9165),
                to: hub("D-terminal", 59.4410, 24.7725),
                metres: 82_000,
                minutes: Some(120),
            }),
            ..JourneyLinks::default()
        };
        let (e, via) = m.estimate_with(helsinki, tallinn, Transport::Public, true, &links);
        assert_eq!(e.mode, JourneyMode::Ferry);
        let minutes: Vec<u32> = e.parts.iter().map(|p| p.minutes).collect();
        // 2.5 km to the terminal by transit (15 + 7), boarding 60, the tagged 2 h, 30 off,
        // 1.5 km from the terminal (≈ 1.6 km: transit, 15 + 4).
        assert_eq!(minutes[1..4], [60, 120, 30]);
        assert!(
            (20..=25).contains(&minutes[0]) && (15..=25).contains(&minutes[4]),
            "{minutes:?}"
        );
        assert_eq!(e.minutes, minutes.iter().sum::<u32>());
        let via = via.expect("via the terminals");
        assert_eq!(via.from.map(|h| h.name).as_deref(), Some("Länsiterminaali"));
        assert_eq!(
            (via.route.as_deref(), via.metres),
            (Some("Helsinki–Tallinn"), 82_000)
        );
        // Untagged: the route's length at the ferry speed.
        let mut untagged = links.clone();
        if let Some(f) = untagged.ferry.as_mut() {
            f.minutes = None;
        }
        let (e, _) = m.estimate_with(helsinki, tallinn, Transport::Public, true, &untagged);
        assert_eq!(e.parts[2].minutes, 164, "82 km at 30 km/h");
    }

    #[test]
    fn a_train_runs_between_the_stations_found() {
        let m = JourneyModel::default();
        let (munich, salzburg) = (LatLon::new(48.1374, 11.5755), LatLon::new(47.8095, 13.0550));
        let links = JourneyLinks {
            from_station: Some(hub("München Hbf", 48.1402, 11.5600)),
            to_station: None,
            ferry: None,
        };
        let (e, via) = m.estimate_with(munich, salzburg, Transport::Public, true, &links);
        assert_eq!(e.mode, JourneyMode::Train);
        // 1.2 km to the station on foot (≈ 21 min), no station known at the other end: 30.
        assert_eq!(e.parts[0].minutes, 21);
        assert_eq!(e.parts[3].minutes, 30);
        let via = via.expect("the station is named");
        assert_eq!(via.from.map(|h| h.name).as_deref(), Some("München Hbf"));
        assert_eq!(via.to, None);
        // A flight stays a flight: stations do not matter.
        let porto = LatLon::new(41.15, -8.61);
        let (e, via) = m.estimate_with(munich, porto, Transport::Public, true, &links);
        assert_eq!((e.mode, via), (JourneyMode::Flight, None));
    }
}
