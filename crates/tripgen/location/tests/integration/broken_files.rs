//! Malformed input: whole-file errors name the file; broken records are skipped and counted.

use crate::common;

use common::{TempFile, osm};
use tripgen_location::error::ImportError;
use tripgen_location::import::{
    ImportEvent, ReadOptions, SkipReason, import_file, read_geojson_file, read_osm_file,
};

type Read = (
    Result<tripgen_location::import::ImportSummary, ImportError>,
    usize,
);

fn read_pbf(path: &std::path::Path) -> Read {
    read_pbf_with(path, ReadOptions::default())
}

fn read_pbf_with(path: &std::path::Path, options: ReadOptions) -> Read {
    let mut places = 0;
    let r = read_osm_file(path, options, &mut |e| {
        if matches!(e, ImportEvent::Place(_)) {
            places += 1;
        }
    });
    (r, places)
}

#[test]
fn truncated_pbf_is_an_error_naming_the_file() {
    let bytes = std::fs::read(osm("helsinki-centre/Helsinki.osm.pbf")).expect("read fixture");
    for cut in [10, 200, bytes.len() / 2, bytes.len() - 7] {
        let tmp = TempFile::new(&format!("truncated-{cut}.osm.pbf"), &bytes[..cut]);
        let (result, _) = read_pbf(&tmp.0);
        let err = result.expect_err("truncated file must fail");
        assert!(matches!(err, ImportError::Pbf { .. }), "{err}");
        assert!(
            err.to_string()
                .contains(&format!("truncated-{cut}.osm.pbf")),
            "{err}"
        );
    }
}

#[test]
fn garbage_empty_and_wrong_format_pbf_fail_cleanly() {
    let garbage: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases = [
        ("garbage.osm.pbf", garbage),
        ("empty.osm.pbf", Vec::new()),
        (
            "json.osm.pbf",
            br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
        ),
        ("zeros.osm.pbf", vec![0u8; 4096]),
    ];
    for (name, bytes) in cases {
        let tmp = TempFile::new(name, &bytes);
        let err = read_pbf(&tmp.0).0.expect_err(name);
        assert!(err.to_string().contains(name), "{err}");
    }
    let missing = read_pbf(std::path::Path::new("/nonexistent/x.osm.pbf"))
        .0
        .unwrap_err();
    assert!(
        matches!(missing, ImportError::Io { .. })
            && missing.to_string().contains("/nonexistent/x.osm.pbf")
    );
}

#[test]
fn corrupt_data_block_fails_the_file_unless_partial_reads_are_allowed() {
    // Flip bytes inside the compressed payload of a middle blob: framing stays intact, so
    // the reader sees a broken block. A strict read fails before emitting anything; a
    // partial read counts it and carries on with the following blocks.
    let mut bytes = std::fs::read(osm("city-extracts-2020/monaco.osm.pbf")).expect("read fixture");
    let mid = bytes.len() / 2;
    // Find a blob start after `mid` ("OSMData" appears in each blob header).
    let pos = bytes[mid..]
        .windows(7)
        .position(|w| w == b"OSMData")
        .map(|p| p + mid)
        .expect("blob header");
    for b in &mut bytes[pos + 40..pos + 400] {
        *b ^= 0x5a;
    }
    let tmp = TempFile::new("corrupt-block.osm.pbf", &bytes);
    let (strict, emitted) = read_pbf(&tmp.0);
    let err = strict.expect_err("a corrupt block fails a strict read");
    assert!(matches!(err, ImportError::BrokenBlock { .. }), "{err}");
    assert!(err.to_string().contains("--allow-partial"), "{err}");
    assert_eq!(emitted, 0, "nothing may be emitted before the failure");
    let (result, places) = read_pbf_with(
        &tmp.0,
        ReadOptions {
            allow_partial: true,
        },
    );
    let summary = result.expect("a partial read skips the damaged blob");
    assert_eq!(
        summary.skipped(SkipReason::BrokenBlock),
        1,
        "{:?}",
        summary.skipped
    );
    assert!(places > 0);
}

const GOOD: &str = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[11.5755,48.1372]},"properties":{"id":1,"type":"node","name":"Erstes Café","amenity":"cafe","opening_hours":"Mo-Fr 08:00-18:00"}}"#;
const LAST: &str = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[11.58,48.14]},"properties":{"id":9,"type":"way","name":"Letzter Biergarten","amenity":"biergarten"}}"#;

#[test]
fn broken_features_are_skipped_and_later_ones_still_read() {
    let doc = format!(
        r#"{{"type":"FeatureCollection","features":[
            {GOOD},
            {{"type":"Feature","geometry":null,"properties":{{"id":2,"type":"node","name":"No geometry","amenity":"cafe"}}}},
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":[200.0,95.0]}},"properties":{{"id":3,"type":"node","name":"Off the globe","amenity":"cafe"}}}},
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":["a","b"]}},"properties":{{"id":4,"type":"node","name":"Text coords","amenity":"cafe"}}}},
            "not a feature",
            42,
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":[11.5,48.1]}},"properties":"oops"}},
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":[11.5,48.1]}},"properties":{{"type":"node","name":"No id","amenity":"cafe"}}}},
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":[11.5,48.1]}},"properties":{{"id":5,"type":"jewish","name":"Clobbered type","amenity":"restaurant"}}}},
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":[11.5,48.1]}},"properties":{{"id":6,"type":"node","name":"Unnamed","leisure":"park"}}}},
            {{"type":"Feature","geometry":{{"type":"Point","coordinates":[11.5,48.1]}},"properties":{{"id":7,"type":"node","name":"Bank","amenity":"bank"}}}},
            {LAST}
        ],"metadata":{{"generatedAt":"2025-11-22T19:56:08.200Z"}}}}"#
    );
    let tmp = TempFile::new("mixed.geojson", doc.as_bytes());
    let mut names = Vec::new();
    let summary = read_geojson_file(&tmp.0, &mut |e| {
        if let ImportEvent::Place(p) = e {
            names.push(p.names.local.clone());
        }
    })
    .expect("a file with broken features still imports");
    assert_eq!(names, ["Erstes Café", "Letzter Biergarten"]);
    assert_eq!(summary.records_read, 12);
    assert_eq!(summary.skipped(SkipReason::BrokenRecord), 5); // null geometry, 2 non-objects, bad properties, no id
    assert_eq!(summary.skipped(SkipReason::BadCoordinates), 2);
    assert_eq!(summary.skipped(SkipReason::UnknownElementType), 1);
    assert_eq!(summary.skipped(SkipReason::NoName), 1);
    assert_eq!(summary.skipped(SkipReason::NotInteresting), 1);
    assert!(summary.snapshot_at.is_some());
}

#[test]
fn invalid_json_and_wrong_shapes_are_file_errors() {
    type Expect = fn(&ImportError) -> bool;
    let cases: [(&str, &str, Expect); 5] = [
        (
            "truncated.json",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature""#,
            |e| matches!(e, ImportError::Json { .. }),
        ),
        ("garbage.json", "\u{0}\u{1}binary", |e| {
            matches!(e, ImportError::Json { .. })
        }),
        ("array.json", "[1,2,3]", |e| {
            matches!(e, ImportError::NotFeatureCollection { .. })
        }),
        (
            "point.geojson",
            r#"{"type":"Point","coordinates":[1,2]}"#,
            |e| matches!(e, ImportError::NotFeatureCollection { .. }),
        ),
        (
            "trailing.json",
            r#"{"type":"FeatureCollection","features":[]} extra"#,
            |e| matches!(e, ImportError::Json { .. }),
        ),
    ];
    for (name, text, expected) in cases {
        let tmp = TempFile::new(name, text.as_bytes());
        let mut events = 0;
        let err = import_file(&tmp.0, &mut |_| events += 1).expect_err(name);
        assert!(expected(&err), "{name}: {err:?}");
        assert!(err.to_string().contains(name), "{err}");
        // Invalid JSON fails before any place is emitted.
        assert_eq!(events, 0, "{name}");
    }
}

#[test]
fn a_pbf_named_json_is_an_error_not_a_panic() {
    let bytes = std::fs::read(osm("helsinki-centre/Helsinki.osm.pbf")).expect("read fixture");
    let tmp = TempFile::new("really-pbf.json", &bytes[..4096]);
    let err = import_file(&tmp.0, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("really-pbf.json"));
}
