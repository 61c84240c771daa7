//! GeoJSON FeatureCollection reader (e.g. Overpass exports), streamed feature by feature.
//!
//! Two cheap passes over the file with serde_json's streaming `Deserializer`:
//! 1. validate the whole document and read `metadata.generatedAt` (it may come *after*
//!    `features`, as in the bundled Munich files) without keeping the features;
//! 2. deserialize one feature at a time into a `serde_json::Value` and map it, so a broken
//!    feature is skipped and counted while the following ones are still read.
//!
//! Memory is one feature at a time. Invalid JSON fails in pass 1, before any place is
//! emitted, with an error that names the file and the line/column.

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::error::ImportError;
use crate::geo::{GeoPoint, way_centroid};
use crate::import::mapping::{city_from_tags, place_from_tags};
use crate::import::{Emitter, FileFormat, ImportEvent, ImportSummary, SkipReason, dataset_name};
use crate::place::{ElementKind, ElementRef, SourceRecord};

/// Streams a GeoJSON FeatureCollection of OSM features.
pub fn read_geojson_file(
    path: &Path,
    on_event: &mut impl FnMut(ImportEvent),
) -> Result<ImportSummary, ImportError> {
    let total = std::fs::metadata(path)
        .map_err(|e| ImportError::io(path, e))?
        .len();
    let mut emitter = Emitter::new(on_event, path, FileFormat::GeoJson);

    let header = run(path, Pass::<fn(ImportEvent)>::Header)?;
    if header.kind.as_deref() != Some("FeatureCollection") || !header.has_features {
        return Err(ImportError::NotFeatureCollection {
            path: path.to_path_buf(),
            message: format!(
                "top-level \"type\" is {:?} and \"features\" is {}",
                header.kind,
                if header.has_features {
                    "present"
                } else {
                    "missing"
                }
            ),
        });
    }
    emitter.set_snapshot(header.generated_at);
    emitter.progress(1, 2, total, total);

    let ctx = FeatureContext {
        dataset: dataset_name(path),
        snapshot_at: header.generated_at,
        emitter: &mut emitter,
    };
    run(path, Pass::Features(ctx))?;
    emitter.progress(2, 2, total, total);
    Ok(emitter.finish())
}

struct Header {
    kind: Option<String>,
    has_features: bool,
    generated_at: Option<DateTime<Utc>>,
}

enum Pass<'c, 'e, F: FnMut(ImportEvent)> {
    Header,
    Features(FeatureContext<'c, 'e, F>),
}

struct FeatureContext<'c, 'e, F: FnMut(ImportEvent)> {
    dataset: String,
    snapshot_at: Option<DateTime<Utc>>,
    emitter: &'c mut Emitter<'e, F>,
}

fn run<F: FnMut(ImportEvent)>(path: &Path, pass: Pass<'_, '_, F>) -> Result<Header, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(64 * 1024, file));
    let json_err = |source| ImportError::Json {
        path: path.to_path_buf(),
        source,
    };
    let header = de.deserialize_map(TopLevel { pass }).map_err(|e| {
        if e.is_data() {
            // Valid JSON of the wrong shape (e.g. a top-level array).
            ImportError::NotFeatureCollection {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        } else {
            json_err(e)
        }
    })?;
    de.end().map_err(json_err)?;
    Ok(header)
}

struct TopLevel<'c, 'e, F: FnMut(ImportEvent)> {
    pass: Pass<'c, 'e, F>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "generatedAt")]
    generated_at: Option<Value>,
    timestamp: Option<Value>,
}

impl<'de, F: FnMut(ImportEvent)> Visitor<'de> for TopLevel<'_, '_, F> {
    type Value = Header;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Header, A::Error> {
        let mut header = Header {
            kind: None,
            has_features: false,
            generated_at: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => header.kind = map.next_value::<Value>()?.as_str().map(str::to_owned),
                "features" => {
                    header.has_features = true;
                    match &mut self.pass {
                        Pass::Header => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        Pass::Features(ctx) => map.next_value_seed(FeaturesSeed { ctx })?,
                    }
                }
                "metadata" => {
                    // A metadata object of an unexpected shape is not worth failing the file.
                    let meta = map.next_value::<Value>()?;
                    if let Ok(m) = Metadata::deserialize(meta) {
                        header.generated_at = m
                            .generated_at
                            .or(m.timestamp)
                            .as_ref()
                            .and_then(Value::as_str)
                            .and_then(parse_time);
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(header)
    }
}

struct FeaturesSeed<'a, 'c, 'e, F: FnMut(ImportEvent)> {
    ctx: &'a mut FeatureContext<'c, 'e, F>,
}

impl<'de, F: FnMut(ImportEvent)> DeserializeSeed<'de> for FeaturesSeed<'_, '_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(ImportEvent)> Visitor<'de> for FeaturesSeed<'_, '_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Any JSON value is accepted here; whether it is a usable feature is decided per item.
        while let Some(feature) = seq.next_element::<Value>()? {
            self.ctx.emitter.record();
            handle_feature(self.ctx, feature);
        }
        Ok(())
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Properties that describe the feature rather than being OSM tags.
const META_KEYS: &[&str] = &[
    "id",
    "@id",
    "type",
    "category",
    "@type",
    "@version",
    "@timestamp",
    "@changeset",
    "@uid",
    "@user",
];

fn element_of(
    feature: &Map<String, Value>,
    props: &Map<String, Value>,
) -> Result<ElementRef, SkipReason> {
    // Overpass-turbo style: "@id": "node/123" (or the feature id).
    for candidate in [props.get("@id"), feature.get("id")] {
        if let Some((kind, id)) = candidate
            .and_then(Value::as_str)
            .and_then(|s| s.split_once('/'))
            && let (Ok(kind), Ok(id)) = (kind.parse::<ElementKind>(), id.parse::<i64>())
        {
            return Ok(ElementRef { kind, id });
        }
    }
    let id = match props.get("id") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or(SkipReason::BrokenRecord)?;
    let kind = match props.get("type").and_then(Value::as_str) {
        Some(t) => match t.parse::<ElementKind>() {
            Ok(kind) => kind,
            // Only relations carry these `type=*` tags, so the exporter's clash is decidable.
            Err(_) if matches!(t, "multipolygon" | "boundary" | "site" | "route") => {
                ElementKind::Relation
            }
            Err(_) => return Err(SkipReason::UnknownElementType),
        },
        None => return Err(SkipReason::UnknownElementType),
    };
    Ok(ElementRef { kind, id })
}

/// Point → itself; any other geometry → vertex mean (the files at hand only have points).
fn position_of(geometry: Option<&Value>) -> Result<Option<GeoPoint>, SkipReason> {
    let geometry = geometry
        .and_then(Value::as_object)
        .ok_or(SkipReason::BrokenRecord)?;
    let coords = geometry
        .get("coordinates")
        .ok_or(SkipReason::BadCoordinates)?;
    let mut points = Vec::new();
    collect_positions(coords, &mut points, 0)?;
    Ok(way_centroid(&points, false))
}

fn collect_positions(v: &Value, out: &mut Vec<GeoPoint>, depth: u8) -> Result<(), SkipReason> {
    let items = v.as_array().ok_or(SkipReason::BadCoordinates)?;
    if depth > 4 {
        return Err(SkipReason::BadCoordinates);
    }
    if items.first().is_some_and(Value::is_number) {
        let (Some(lon), Some(lat)) = (
            items.first().and_then(Value::as_f64),
            items.get(1).and_then(Value::as_f64),
        ) else {
            return Err(SkipReason::BadCoordinates);
        };
        out.push(GeoPoint::new(lat, lon).map_err(|_| SkipReason::BadCoordinates)?);
        return Ok(());
    }
    items
        .iter()
        .try_for_each(|item| collect_positions(item, out, depth + 1))
}

fn handle_feature<F: FnMut(ImportEvent)>(ctx: &mut FeatureContext<'_, '_, F>, feature: Value) {
    let Some(feature) = feature.as_object() else {
        ctx.emitter.skip(SkipReason::BrokenRecord, None);
        return;
    };
    let Some(props) = feature.get("properties").and_then(Value::as_object) else {
        ctx.emitter.skip(SkipReason::BrokenRecord, None);
        return;
    };
    let element = match element_of(feature, props) {
        Ok(e) => e,
        Err(reason) => {
            ctx.emitter.skip(reason, None);
            return;
        }
    };
    // Tag values are strings in OSM; numbers/bools from lenient exporters are kept as text.
    let texts: Vec<(&str, String)> = props
        .iter()
        .filter(|(k, _)| !META_KEYS.contains(&k.as_str()))
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k.as_str(), s.clone())),
            Value::Number(n) => Some((k.as_str(), n.to_string())),
            Value::Bool(b) => Some((k.as_str(), b.to_string())),
            _ => None,
        })
        .collect();
    let tags: Vec<(&str, &str)> = texts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if tags.is_empty() {
        ctx.emitter.untagged();
        return;
    }
    let position = match position_of(feature.get("geometry")) {
        Ok(p) => p,
        Err(reason) => {
            ctx.emitter.skip(reason, Some(element));
            return;
        }
    };
    let source = SourceRecord {
        element,
        version: props
            .get("@version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok()),
        timestamp: props
            .get("@timestamp")
            .and_then(Value::as_str)
            .and_then(parse_time),
        snapshot_at: ctx.snapshot_at,
        dataset: ctx.dataset.clone(),
    };
    if let Some(p) = position
        && let Some(city) = city_from_tags(&tags, p, &source)
    {
        ctx.emitter.city(city);
        return;
    }
    match place_from_tags(&tags, position, None, source) {
        Ok(place) => ctx.emitter.place(place),
        Err(reason) => ctx.emitter.skip(reason, Some(element)),
    }
}
