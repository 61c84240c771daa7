//! Imports of the real `.osm.pbf` extracts, their gazetteer cities and real opening hours.

use crate::common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{import, osm};
use tripgen_location::category::{Category, Exposure};
use tripgen_location::gazetteer::{CityKind, NameSource};
use tripgen_location::import::SkipReason;
use tripgen_location::opening_hours::{MinuteRange, OpeningState};
use tripgen_location::place::{ElementKind, Wheelchair};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn munich_extract_counts_city_and_real_places() {
    let m = import(&osm("city-extracts-2020/munchen.osm.pbf"));
    let s = &m.summary;
    // The README's "about 2,300 named places" counts every named POI; TripGen keeps the
    // traveller-relevant ones (no doctors, banks, hairdressers, offices …): ~1,800.
    assert!((1_600..=2_600).contains(&s.places), "places {}", s.places);
    assert_eq!(s.places as usize, m.places.len());
    assert_eq!(s.skipped_total() as usize, m.skipped.len());
    assert!(s.skipped(SkipReason::NotInteresting) > 5_000);
    assert!(s.skipped(SkipReason::NoName) > 100);
    // Multipolygon and building relations are places now (the Deutsches Museum is one, the
    // Neues Rathaus another), with an area and a high significance; fountains rank low.
    let relation = |name: &str| {
        m.places
            .iter()
            .find(|p| p.names.local == name && p.id.as_str().starts_with("osm:relation:"))
    };
    for name in ["Deutsches Museum", "Neues Rathaus"] {
        let p = relation(name).unwrap_or_else(|| panic!("{name} not imported"));
        assert!(p.area_m2.is_some_and(|a| a > 1_000.0), "{name} area");
        assert!(
            p.significance.score >= 60,
            "{name} {}",
            p.significance.score
        );
    }
    let fountain = m
        .places
        .iter()
        .find(|p| p.names.local == "Kartoffelbrunnen");
    assert!(fountain.is_none_or(|f| f.significance.score < 20));
    assert!(m.progress_events > 0);
    // ~60 % with opening hours, a few malformed.
    let share = s.opening_hours_tagged as f64 / s.places as f64;
    assert!((0.5..0.75).contains(&share), "opening hours share {share}");
    assert!(s.opening_hours_malformed > 0 && s.opening_hours_malformed < 50);
    for c in [
        Category::Museum,
        Category::Gallery,
        Category::Restaurant,
        Category::Cafe,
        Category::Bar,
        Category::Religious,
        Category::Historic,
        Category::Laundry,
    ] {
        assert!(m.places.iter().any(|p| p.category == c), "no {c}");
    }
    // Ways got centroids: the Hofbräuhaus is a building way at Platzl.
    let hb = m.place("osm:way:23632546");
    assert_eq!(hb.names.local, "Hofbräuhaus");
    assert_eq!(hb.category, Category::Restaurant);
    assert!(
        (hb.position.lat() - 48.1376).abs() < 0.0008
            && (hb.position.lon() - 11.5797).abs() < 0.0012,
        "{:?}",
        hb.position
    );
    assert_eq!(hb.source.element.kind, ElementKind::Way);
    assert!(hb.source.version.is_some() && hb.source.timestamp.is_some());
    assert!(m.places.iter().any(|p| p.wheelchair == Wheelchair::Yes));
    assert!(m.places.iter().any(|p| p.exposure == Exposure::Outdoor));

    // Gazetteer: a place=city node with name:en, on GeoNames' Munich (Korean from there).
    let g = m.gazetteer();
    let city = g.find_by_name("Munich").expect("München in gazetteer");
    assert_eq!(city.name, "München");
    assert_eq!(city.kind, CityKind::City);
    assert_eq!(city.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(city.name_ko.as_deref(), Some("뮌헨"));
    assert_eq!(city.name_ko_source, Some(NameSource::Gazetteer));
    assert_eq!(city.geonames_id, Some(2867714));
    assert_eq!(city.country.as_deref(), Some("DE"));
    assert!(city.place_count as usize > m.places.len() * 9 / 10);
    assert!(city.bbox.contains(hb.position));
}

#[test]
fn real_opening_hours_evaluate_correctly() {
    let m = import(&osm("city-extracts-2020/munchen.osm.pbf"));
    // Residenzmuseum: "Apr 01-Oct 15: 09:00-18:00; Oct 16-Mar 31: 10:00-17:00".
    let residenz = m.place("osm:node:261030708");
    let oh = &residenz.opening_hours;
    assert_eq!(
        oh.raw(),
        Some("Apr 01-Oct 15: 09:00-18:00; Oct 16-Mar 31: 10:00-17:00")
    );
    assert_eq!(oh.state_at(at("2025-07-15 10:00")), OpeningState::Open);
    assert_eq!(oh.state_at(at("2025-07-15 18:30")), OpeningState::Closed);
    assert_eq!(oh.state_at(at("2025-12-10 09:30")), OpeningState::Closed);
    assert_eq!(oh.state_at(at("2025-12-10 10:00")), OpeningState::Open);
    assert_eq!(
        oh.next_change(at("2025-07-15 12:00")),
        Some(at("2025-07-15 18:00"))
    );
    assert_eq!(
        oh.day_schedule(day("2025-12-10")).open,
        vec![MinuteRange {
            start: 600,
            end: 1020
        }]
    );
    assert_eq!(
        oh.week(day("2025-10-13"))
            .iter()
            .map(|d| d.open_minutes())
            .sum::<u32>(),
        3 * 540 + 4 * 420
    );

    // Hofbräuhaus: "Mo-Su 09:00-0:00", localized with the city's context.
    let g = m.gazetteer();
    let ctx = g.find_by_name("München").expect("city").opening_context();
    let hb = m.place("osm:way:23632546").opening_hours.localized(&ctx);
    assert!(hb.is_open_at(at("2025-11-24 23:30")));
    assert_eq!(hb.state_at(at("2025-11-24 08:00")), OpeningState::Closed);
    assert_eq!(
        hb.day_schedule(day("2025-11-24")).open,
        vec![MinuteRange {
            start: 540,
            end: 1440
        }]
    );

    // A real malformed value ("Su-Do 11:00-24:00 Fr-Sa 11:00-01:00") is unknown, never open.
    let broken = &m.place("osm:node:260654675").opening_hours;
    assert!(broken.is_malformed());
    assert_eq!(
        broken.state_at(at("2025-11-24 12:00")),
        OpeningState::Unknown
    );
    assert!(broken.day_schedule(day("2025-11-24")).open.is_empty());
}

#[test]
fn helsinki_fixture() {
    let h = import(&osm("helsinki-centre/Helsinki.osm.pbf"));
    assert!(
        (800..=1_400).contains(&h.summary.places),
        "places {}",
        h.summary.places
    );
    // No timestamp in this file's header.
    assert_eq!(h.summary.snapshot_at, None);
    let g = h.gazetteer();
    let [city] = g.cities() else {
        panic!("{:?}", g.cities())
    };
    assert_eq!(city.name, "Helsinki");
    assert_eq!(city.name_ko.as_deref(), Some("헬싱키"));
    assert_eq!(city.name_ko_source, Some(NameSource::Osm));
    assert_eq!(city.time_zone.as_deref(), Some("Europe/Helsinki"));
}

#[test]
fn porto_monaco_andorra_cities() {
    let porto = import(&osm("city-extracts-2020/porto.osm.pbf")).gazetteer();
    let city = porto.find_by_name("Porto").expect("Porto");
    assert_eq!(city.kind, CityKind::City);
    assert_eq!(city.time_zone.as_deref(), Some("Europe/Lisbon"));
    assert_eq!(city.name_ko.as_deref(), Some("포르투"));
    assert!(
        porto
            .find_by_name("Vila Nova de Gaia")
            .is_some_and(|c| c.kind == CityKind::Town)
    );

    let monaco = import(&osm("city-extracts-2020/monaco.osm.pbf")).gazetteer();
    let city = monaco.find_by_name("모나코").expect("Monaco");
    assert_eq!(city.kind, CityKind::City);
    assert_eq!(city.time_zone.as_deref(), Some("Europe/Monaco"));

    let andorra = import(&osm("city-extracts-2020/andorra.osm.pbf")).gazetteer();
    assert!(andorra.cities().len() >= 5);
    assert!(
        andorra
            .cities()
            .iter()
            .all(|c| c.time_zone.as_deref() == Some("Europe/Andorra"))
    );
}

#[test]
fn london_places_attach_to_the_world_city() {
    let l = import(&osm("city-extracts-2020/london.osm.pbf"));
    assert!(
        l.cities.is_empty(),
        "the London extract has no place=city node"
    );
    let g = l.gazetteer();
    let city = g.find_by_name("London").expect("London");
    assert_eq!(city.kind, CityKind::City);
    assert_eq!(city.id, "geonames:2643743");
    assert_eq!(city.name, "London");
    assert!(
        city.place_count as usize > l.places.len() * 9 / 10,
        "boroughs (GeoNames cities themselves) count as London: {} of {}",
        city.place_count,
        l.places.len()
    );
    assert_eq!(city.time_zone.as_deref(), Some("Europe/London"));
    assert_eq!(city.name_ko.as_deref(), Some("런던"));
    assert!(
        (51.49..51.53).contains(&city.centre.lat()) && (-0.15..-0.05).contains(&city.centre.lon()),
        "{:?}",
        city.centre
    );
    assert!(city.bbox.contains(city.centre));
    assert!(city.place_count > 500);
}
