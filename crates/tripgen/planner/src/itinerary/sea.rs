//! Sea crossings inside one time zone (Barcelona → Palma, both `Europe/Madrid`): which
//! island a point is on, from a documented table of islands with year-round passenger and
//! car ferries to their mainland (and to each other), each drawn as one or two boxes that
//! hold the island and no mainland. Two ends on different land (an island and the mainland,
//! or two islands) cross the sea: by ferry up to the model's `ferry_max_km`, else flown.
//!
//! This is a coastline test, not a ferry timetable: the OSM extracts the product ships are
//! city centres without `route=ferry` ways, and the import does not keep ferry links yet
//! (docs/journeys.md, "What is left"). Islands with a fixed link (Great Britain, Honshu,
//! Zealand, Öland …) are not listed: they are reached by land.

use super::model::LatLon;

/// `(south, west, north, east)` in degrees.
type Box = (f64, f64, f64, f64);

/// An island with ferries, as boxes that cover it and no mainland.
pub struct Island {
    pub name: &'static str,
    boxes: &'static [Box],
}

/// The islands the journey model knows (coarse boxes, checked against the coastline on an
/// OSM map: each box holds only the island and sea).
pub const ISLANDS: &[Island] = &[
    Island {
        name: "Mallorca",
        boxes: &[(39.25, 2.29, 39.97, 3.49)],
    },
    Island {
        name: "Menorca",
        boxes: &[(39.78, 3.78, 40.10, 4.35)],
    },
    Island {
        name: "Ibiza and Formentera",
        boxes: &[(38.63, 1.15, 39.13, 1.63)],
    },
    Island {
        name: "Sardinia",
        boxes: &[(38.85, 8.10, 41.32, 9.85)],
    },
    Island {
        name: "Corsica",
        boxes: &[(41.36, 8.53, 43.03, 9.57)],
    },
    Island {
        name: "Sicily",
        // Messina reaches 15.56° E; Reggio Calabria, across the strait, lies at 15.65° E.
        boxes: &[(36.64, 12.40, 38.32, 15.30), (37.45, 15.30, 38.30, 15.58)],
    },
    Island {
        name: "Elba",
        boxes: &[(42.70, 10.08, 42.88, 10.44)],
    },
    Island {
        name: "Crete",
        boxes: &[(34.80, 23.50, 35.70, 26.35)],
    },
    Island {
        name: "Rhodes",
        boxes: &[(35.87, 27.68, 36.47, 28.25)],
    },
    Island {
        name: "Corfu",
        // Albania's coast begins at 20.0° E north of 39.6° N.
        boxes: &[(39.37, 19.62, 39.80, 19.98)],
    },
    Island {
        name: "Gotland",
        boxes: &[(56.90, 18.05, 57.98, 19.40)],
    },
    Island {
        name: "Bornholm",
        boxes: &[(54.98, 14.68, 55.31, 15.17)],
    },
    Island {
        name: "Jeju",
        boxes: &[(33.10, 126.10, 33.58, 127.00)],
    },
];

/// The island of the table `p` is on, `None` for the mainland (or an island not listed).
pub fn island_of(p: LatLon) -> Option<&'static Island> {
    ISLANDS.iter().find(|i| {
        i.boxes
            .iter()
            .any(|&(s, w, n, e)| (s..=n).contains(&p.lat) && (w..=e).contains(&p.lon))
    })
}

/// Whether the way from `a` to `b` crosses the sea: they are on different land.
pub fn crosses_sea(a: LatLon, b: LatLon) -> bool {
    island_of(a).map(|i| i.name) != island_of(b).map(|i| i.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn islands_and_mainland() {
        let palma = LatLon::new(39.570, 2.650);
        let barcelona = LatLon::new(41.387, 2.170);
        let valencia = LatLon::new(39.470, -0.376);
        let ibiza = LatLon::new(38.907, 1.420);
        let messina = LatLon::new(38.193, 15.554);
        let reggio = LatLon::new(38.111, 15.647);
        let palermo = LatLon::new(38.116, 13.361);
        let naples = LatLon::new(40.852, 14.268);
        assert_eq!(island_of(palma).map(|i| i.name), Some("Mallorca"));
        assert!(island_of(barcelona).is_none() && island_of(valencia).is_none());
        assert!(crosses_sea(barcelona, palma));
        assert!(crosses_sea(palma, ibiza), "island to island");
        assert!(!crosses_sea(barcelona, valencia));
        assert!(!crosses_sea(messina, palermo), "both on Sicily");
        assert!(crosses_sea(messina, reggio), "the Strait of Messina");
        assert!(crosses_sea(naples, palermo));
        // Mainland cities near the boxes stay on the mainland.
        for (name, p) in [
            ("Nice", LatLon::new(43.710, 7.262)),
            ("Livorno", LatLon::new(43.548, 10.310)),
            ("Heraklion is Crete", LatLon::new(35.339, 25.144)),
            ("Saranda", LatLon::new(39.875, 20.005)),
            ("Marmaris", LatLon::new(36.855, 28.274)),
            ("Busan", LatLon::new(35.180, 129.075)),
        ] {
            let on = island_of(p).map(|i| i.name);
            if name.ends_with("Crete") {
                assert_eq!(on, Some("Crete"));
            } else {
                assert_eq!(on, None, "{name}");
            }
        }
    }
}
