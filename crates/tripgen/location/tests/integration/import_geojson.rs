//! The 2025 Overpass GeoJSON files for Munich, and "newer version wins" against the 2020 PBF.

use crate::common;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDateTime};
use common::{import, osm};
use tripgen_location::category::Category;
use tripgen_location::import::SkipReason;
use tripgen_location::opening_hours::OpeningState;
use tripgen_location::place::{ElementKind, Place};

const FILES: [&str; 5] = [
    "bars.json",
    "cafes.json",
    "parks.json",
    "pubs.json",
    "restaurants.json",
];

fn all_geojson() -> Vec<common::Imported> {
    FILES
        .iter()
        .map(|f| import(&osm(&format!("munich-overpass-2025/{f}"))))
        .collect()
}

#[test]
fn munich_geojson_counts_and_rules() {
    let files = all_geojson();
    let records: u64 = files.iter().map(|f| f.summary.records_read).sum();
    let places: usize = files.iter().map(|f| f.places.len()).sum();
    // 4,992 features; 901 carry the exporter's placeholder name "Unnamed" (871 of them
    // parks) and are skipped as NoName, a handful are private or ambiguous.
    assert_eq!(records, 4_992);
    assert!((3_900..=4_200).contains(&places), "places {places}");
    let no_name: u64 = files
        .iter()
        .map(|f| f.summary.skipped(SkipReason::NoName))
        .sum();
    assert!((850..=950).contains(&no_name), "no name {no_name}");
    // The raw `type` tag overwrote the element type of 3 features ("Raucherclub", …).
    let ambiguous: u64 = files
        .iter()
        .map(|f| f.summary.skipped(SkipReason::UnknownElementType))
        .sum();
    assert_eq!(ambiguous, 3);

    for f in &files {
        let snapshot = f
            .summary
            .snapshot_at
            .expect("metadata.generatedAt read although it follows the features");
        assert_eq!(
            (snapshot.year(), snapshot.month(), snapshot.day()),
            (2025, 11, 22)
        );
        assert!(
            f.places
                .iter()
                .all(|p| p.source.snapshot_at == Some(snapshot) && p.source.version.is_none())
        );
    }
    let by_cat = |c| {
        files
            .iter()
            .flat_map(|f| &f.places)
            .filter(|p| p.category == c)
            .count()
    };
    assert!(by_cat(Category::Restaurant) > 2_000);
    assert!(by_cat(Category::Cafe) > 800);
    assert!(by_cat(Category::Bar) > 500);
    assert!(by_cat(Category::Park) > 200);
    // Relations (type=multipolygon parks) keep their element type.
    assert!(
        files[2]
            .places
            .iter()
            .any(|p| p.source.element.kind == ElementKind::Relation)
    );

    // A real café's hours evaluate: "Tu-Sa 08:30-17:00; Su,Mo off" (Cafe Waldeck, Ismaning).
    let waldeck = files[1].place("osm:node:82504563");
    assert_eq!(
        waldeck.opening_hours.raw(),
        Some("Tu-Sa 08:30-17:00; Su,Mo off")
    );
    let t = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    assert_eq!(
        waldeck.opening_hours.state_at(t("2025-11-25 09:00")),
        OpeningState::Open
    );
    assert_eq!(
        waldeck.opening_hours.state_at(t("2025-11-24 09:00")),
        OpeningState::Closed
    );

    // addr:city "München" attaches the places to the world gazetteer's Munich.
    let g = files[4].gazetteer();
    assert_eq!(g.cities().first().map(|c| c.name.as_str()), Some("Munich"));
}

#[test]
fn newer_geojson_record_wins_over_2020_pbf() {
    let pbf = import(&osm("city-extracts-2020/munchen.osm.pbf"));
    let old: HashMap<_, &Place> = pbf.places.iter().map(|p| (p.id.clone(), p)).collect();
    let files = all_geojson();
    let mut overlap = 0;
    for new in files.iter().flat_map(|f| &f.places) {
        if let Some(old) = old.get(&new.id) {
            overlap += 1;
            assert!(new.source.supersedes(&old.source), "{} should win", new.id);
            assert!(
                !old.source.supersedes(&new.source),
                "{} must not win back",
                new.id
            );
        }
    }
    // Same element (type + id) in both sources: cafés, bars and restaurants of the centre.
    assert!(overlap > 200, "overlap {overlap}");
}
