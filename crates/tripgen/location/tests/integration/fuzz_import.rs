//! Bounded fuzzing of the importers (issue 21): GeoJSON documents built from the shapes
//! OSM exports have, with values of every wrong kind, cut or damaged at random bytes; and
//! `.osm.pbf` files with random bytes overwritten. Whatever the file, reading it never
//! panics: it imports, skips and counts, or fails naming the file — and every place it
//! emits has a real position. Runs in `make test` (a fixed number of cases).

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::{TempFile, osm};
use tripgen_location::import::{ImportEvent, ReadOptions, read_geojson_file, read_osm_file};

static FILES: AtomicUsize = AtomicUsize::new(0);

fn temp(ext: &str, bytes: &[u8]) -> TempFile {
    let n = FILES.fetch_add(1, Ordering::Relaxed);
    TempFile::new(&format!("fuzz-{n}.{ext}"), bytes)
}

/// Reads a file and checks what came out; the error, if any, must name the file.
fn read_geojson_checked(bytes: &[u8]) {
    let file = temp("geojson", bytes);
    let result = read_geojson_file(&file.0, &mut |e| {
        if let ImportEvent::Place(p) = e {
            let (lat, lon) = (p.position.lat(), p.position.lon());
            assert!(lat.is_finite() && lon.is_finite(), "{lat} {lon}");
            assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
        }
    });
    if let Err(e) = result {
        let name = file.0.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        assert!(e.to_string().contains(name), "{e}");
    }
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            0.0, -0.0, 1e308, -1e308, 90.0, -90.0, 180.0, 180.0001, 91.0, 24.94, 60.17
        ])
        .prop_map(Value::from),
        prop::string::string_regex("(?s).{0,12}")
            .expect("regex")
            .prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn coordinate() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (-200.0f64..200.0, -100.0f64..100.0).prop_map(|(x, y)| json!([x, y])),
        1 => value(),
    ]
}

fn geometry() -> impl Strategy<Value = Value> {
    let kinds = prop::sample::select(vec![
        "Point",
        "LineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "Nonsense",
    ]);
    (
        kinds,
        prop::collection::vec(coordinate(), 0..6),
        any::<u8>(),
    )
        .prop_map(|(kind, coords, n)| {
            let coordinates = match kind {
                "Point" => coords.first().cloned().unwrap_or(Value::Null),
                "LineString" => Value::from(coords),
                "Polygon" => json!([coords]),
                "MultiPolygon" => json!([[coords]]),
                _ => json!(n),
            };
            json!({ "type": kind, "coordinates": coordinates })
        })
}

fn properties() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "name",
        "name:en",
        "name:ko",
        "tourism",
        "amenity",
        "historic",
        "leisure",
        "shop",
        "opening_hours",
        "wikidata",
        "website",
        "phone",
        "cuisine",
        "wheelchair",
        "@id",
        "id",
        "place",
        "population",
        "addr:city",
        "building",
    ]);
    let tag_value = prop_oneof![
        3 => prop::sample::select(vec![
            "museum", "attraction", "restaurant", "cafe", "castle", "park", "city", "yes",
            "Mo-Fr 09:00-18:00", "Q1757", "node/1", "way/-5", "relation/999999999999999999999",
            "",
        ]).prop_map(Value::from),
        1 => value(),
    ];
    prop::collection::btree_map(keys, tag_value, 0..8)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

fn feature() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => (geometry(), properties(), value()).prop_map(|(g, p, id)| {
            json!({ "type": "Feature", "id": id, "geometry": g, "properties": p })
        }),
        1 => value(),
    ]
}

fn collection() -> impl Strategy<Value = Value> {
    (prop::collection::vec(feature(), 0..8), scalar()).prop_map(|(features, stamp)| {
        json!({ "type": "FeatureCollection", "generatedAt": stamp, "features": features })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn geojson_of_any_content_never_panics(doc in collection()) {
        read_geojson_checked(doc.to_string().as_bytes());
    }

    #[test]
    fn cut_or_damaged_geojson_never_panics(doc in collection(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut bytes = doc.to_string().into_bytes();
        let i = at.index(bytes.len());
        if cut {
            bytes.truncate(i);
        } else {
            bytes[i] = byte;
        }
        read_geojson_checked(&bytes);
    }
}

proptest! {
    // Each case reads a 685 kB extract three times over: few cases, each a different spot.
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_pbf_never_panics(at in any::<prop::sample::Index>(), noise in prop::collection::vec(any::<u8>(), 1..256)) {
        let mut bytes = std::fs::read(osm("helsinki-centre/Helsinki.osm.pbf")).expect("fixture");
        let start = at.index(bytes.len());
        for (i, b) in noise.iter().enumerate() {
            if let Some(slot) = bytes.get_mut(start + i) {
                *slot = *b;
            }
        }
        let file = temp("osm.pbf", &bytes);
        for allow_partial in [false, true] {
            let options = ReadOptions { allow_partial };
            let _ = read_osm_file(&file.0, options, &mut |e| {
                if let ImportEvent::Place(p) = e {
                    assert!(p.position.lat().is_finite() && p.position.lon().is_finite());
                }
            });
        }
    }
}
