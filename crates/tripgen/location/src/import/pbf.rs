//! `.osm.pbf` reader (osmpbf crate), two passes with bounded memory:
//!
//! 1. read the ways only, and remember the node ids referenced by ways that would become
//!    places (interesting + named);
//! 2. read everything in file order: nodes become places/cities, and the coordinates of the
//!    remembered nodes are kept so that the ways (which follow the nodes in a sorted file)
//!    get a centroid.
//!
//! Memory is one decoded block plus those node coordinates, never the whole file.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};

use crate::error::ImportError;
use crate::geo::{GeoPoint, way_centroid};
use crate::import::mapping::{check_candidate, city_from_tags, place_from_tags};
use crate::import::{Emitter, FileFormat, ImportEvent, ImportSummary, SkipReason, dataset_name};
use crate::place::{ElementKind, ElementRef, SourceRecord};

/// Streams an `.osm.pbf` file; see the module docs for the two passes.
pub fn read_osm_file(
    path: &Path,
    on_event: &mut impl FnMut(ImportEvent),
) -> Result<ImportSummary, ImportError> {
    let total = std::fs::metadata(path)
        .map_err(|e| ImportError::io(path, e))?
        .len();
    let mut emitter = Emitter::new(on_event, path, FileFormat::OsmPbf);
    let needed = collect_way_nodes(path, &mut emitter, total)?;
    read_elements(path, &mut emitter, total, &needed)?;
    Ok(emitter.finish())
}

enum BlockItem {
    Header {
        snapshot_at: Option<DateTime<Utc>>,
    },
    Data(PrimitiveBlock),
    /// A data blob whose framing was fine but whose content failed to decode.
    Broken,
}

/// Iterates the blobs of a file; framing errors (truncation, garbage) end the file with an
/// error, a data blob that fails to decode is reported as [`BlockItem::Broken`].
struct BlockStream<'p> {
    path: &'p Path,
    reader: BlobReader<std::io::BufReader<std::fs::File>>,
    seen_header: bool,
    failed: bool,
    bytes_read: u64,
}

impl<'p> BlockStream<'p> {
    fn open(path: &'p Path) -> Result<Self, ImportError> {
        let reader =
            BlobReader::from_path(path).map_err(|e| ImportError::pbf(path, e.to_string()))?;
        Ok(Self {
            path,
            reader,
            seen_header: false,
            failed: false,
            bytes_read: 0,
        })
    }
}

impl Iterator for BlockStream<'_> {
    type Item = Result<BlockItem, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        // A loop, not recursion: a crafted file with many unknown blobs must not overflow the stack.
        loop {
            if self.failed {
                return None;
            }
            let blob = match self.reader.next() {
                None if !self.seen_header => {
                    return Some(Err(
                        self.fail("no OSMHeader block found (empty or not a PBF file)")
                    ));
                }
                None => return None,
                Some(Err(e)) => {
                    let message = format!(
                        "{e} after {} bytes (truncated or corrupt file?)",
                        self.bytes_read
                    );
                    return Some(Err(self.fail(message)));
                }
                Some(Ok(blob)) => blob,
            };
            if let Some(offset) = blob.offset() {
                self.bytes_read = offset.0;
            }
            let item = match blob.decode() {
                Ok(BlobDecode::OsmHeader(header)) => {
                    self.seen_header = true;
                    let snapshot_at = header
                        .osmosis_replication_timestamp()
                        .and_then(|s| DateTime::from_timestamp(s, 0));
                    BlockItem::Header { snapshot_at }
                }
                Err(e) if !self.seen_header => {
                    return Some(Err(self.fail(format!("bad header block: {e}"))));
                }
                // The format requires the header first; without it this is not a PBF we trust.
                _ if !self.seen_header => {
                    return Some(Err(self.fail("file does not start with an OSMHeader block")));
                }
                Ok(BlobDecode::OsmData(block)) => BlockItem::Data(block),
                Ok(BlobDecode::Unknown(_)) => continue,
                Err(_) => BlockItem::Broken,
            };
            return Some(Ok(item));
        }
    }
}

impl BlockStream<'_> {
    fn fail(&mut self, message: impl Into<String>) -> ImportError {
        self.failed = true;
        ImportError::pbf(self.path, message)
    }
}

/// Decodes raw string-table indices into `(key, value)` pairs; `false` if any index or
/// string is invalid (the element is then a broken record).
fn decode_tags<'a, I>(
    raw: impl Iterator<Item = (I, I)>,
    table: &'a [Vec<u8>],
    out: &mut Vec<(&'a str, &'a str)>,
) -> bool
where
    I: TryInto<usize>,
{
    out.clear();
    let lookup = |i: I| -> Option<&'a str> {
        let bytes = table.get(i.try_into().ok()?)?;
        std::str::from_utf8(bytes).ok()
    };
    for (k, v) in raw {
        match (lookup(k), lookup(v)) {
            (Some(k), Some(v)) => out.push((k, v)),
            _ => return false,
        }
    }
    true
}

fn collect_way_nodes<F: FnMut(ImportEvent)>(
    path: &Path,
    emitter: &mut Emitter<'_, F>,
    total: u64,
) -> Result<HashSet<i64>, ImportError> {
    let mut needed = HashSet::new();
    let mut stream = BlockStream::open(path)?;
    while let Some(item) = stream.next() {
        let block = match item? {
            BlockItem::Header { snapshot_at } => {
                emitter.set_snapshot(snapshot_at);
                continue;
            }
            // Reported once, in pass 2.
            BlockItem::Broken => continue,
            BlockItem::Data(block) => block,
        };
        let mut tags = Vec::new();
        for group in block.groups() {
            for way in group.ways() {
                if decode_tags(way.raw_tags(), block.raw_stringtable(), &mut tags)
                    && !tags.is_empty()
                    && check_candidate(&tags).is_ok()
                {
                    needed.extend(way.refs());
                }
            }
        }
        emitter.progress(1, 2, stream.bytes_read, total);
    }
    Ok(needed)
}

fn version(v: Option<i32>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok()).filter(|v| *v > 0)
}

fn timestamp(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.filter(|ms| *ms > 0)
        .and_then(DateTime::from_timestamp_millis)
}

struct Pass2<'s> {
    dataset: String,
    snapshot_at: Option<DateTime<Utc>>,
    needed: &'s HashSet<i64>,
    coords: HashMap<i64, GeoPoint>,
}

impl Pass2<'_> {
    fn source(&self, kind: ElementKind, id: i64, v: Option<i32>, ms: Option<i64>) -> SourceRecord {
        SourceRecord {
            element: ElementRef { kind, id },
            version: version(v),
            timestamp: timestamp(ms),
            snapshot_at: self.snapshot_at,
            dataset: self.dataset.clone(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn node<F: FnMut(ImportEvent)>(
        &mut self,
        emitter: &mut Emitter<'_, F>,
        tags_ok: bool,
        tags: &[(&str, &str)],
        id: i64,
        lat: f64,
        lon: f64,
        meta: (Option<i32>, Option<i64>),
    ) {
        emitter.record();
        let position = GeoPoint::new(lat, lon).ok();
        if let Some(p) = position
            && self.needed.contains(&id)
        {
            self.coords.insert(id, p);
        }
        let element = ElementRef {
            kind: ElementKind::Node,
            id,
        };
        if !tags_ok {
            emitter.skip(SkipReason::BrokenRecord, Some(element));
            return;
        }
        if tags.is_empty() {
            emitter.untagged();
            return;
        }
        let source = self.source(ElementKind::Node, id, meta.0, meta.1);
        if let Some(p) = position
            && let Some(city) = city_from_tags(tags, p, &source)
        {
            emitter.city(city);
            return;
        }
        match place_from_tags(tags, position, source) {
            Ok(place) => emitter.place(place),
            Err(reason) => emitter.skip(reason, Some(element)),
        }
    }
}

fn read_elements<F: FnMut(ImportEvent)>(
    path: &Path,
    emitter: &mut Emitter<'_, F>,
    total: u64,
    needed: &HashSet<i64>,
) -> Result<(), ImportError> {
    let mut state = Pass2 {
        dataset: dataset_name(path),
        snapshot_at: emitter.snapshot(),
        needed,
        coords: HashMap::with_capacity(needed.len()),
    };
    let mut stream = BlockStream::open(path)?;
    while let Some(item) = stream.next() {
        let block = match item? {
            BlockItem::Header { .. } => continue,
            BlockItem::Broken => {
                emitter.skip(SkipReason::BrokenBlock, None);
                continue;
            }
            BlockItem::Data(block) => block,
        };
        let mut tags = Vec::new();
        for group in block.groups() {
            for node in group.nodes() {
                let ok = decode_tags(node.raw_tags(), block.raw_stringtable(), &mut tags);
                let info = node.info();
                let meta = (info.version(), info.milli_timestamp());
                state.node(emitter, ok, &tags, node.id(), node.lat(), node.lon(), meta);
            }
            for node in group.dense_nodes() {
                let ok = decode_tags(node.raw_tags(), block.raw_stringtable(), &mut tags);
                let meta = node.info().map_or((None, None), |i| {
                    (Some(i.version()), Some(i.milli_timestamp()))
                });
                state.node(emitter, ok, &tags, node.id(), node.lat(), node.lon(), meta);
            }
            for way in group.ways() {
                emitter.record();
                let element = ElementRef {
                    kind: ElementKind::Way,
                    id: way.id(),
                };
                if !decode_tags(way.raw_tags(), block.raw_stringtable(), &mut tags) {
                    emitter.skip(SkipReason::BrokenRecord, Some(element));
                    continue;
                }
                if tags.is_empty() {
                    emitter.untagged();
                    continue;
                }
                if let Err(reason) = check_candidate(&tags) {
                    emitter.skip(reason, Some(element));
                    continue;
                }
                let refs: Vec<i64> = way.refs().collect();
                let points: Vec<GeoPoint> = refs
                    .iter()
                    .filter_map(|id| state.coords.get(id).copied())
                    .collect();
                let closed = refs.len() >= 4 && refs.first() == refs.last();
                let Some(centre) = way_centroid(&points, closed && points.len() == refs.len())
                else {
                    emitter.skip(SkipReason::MissingWayNodes, Some(element));
                    continue;
                };
                let info = way.info();
                let source = state.source(
                    ElementKind::Way,
                    way.id(),
                    info.version(),
                    info.milli_timestamp(),
                );
                match place_from_tags(&tags, Some(centre), source) {
                    Ok(place) => emitter.place(place),
                    Err(reason) => emitter.skip(reason, Some(element)),
                }
            }
            for rel in group.relations() {
                emitter.record();
                let element = ElementRef {
                    kind: ElementKind::Relation,
                    id: rel.id(),
                };
                if !decode_tags(rel.raw_tags(), block.raw_stringtable(), &mut tags) {
                    emitter.skip(SkipReason::BrokenRecord, Some(element));
                } else if tags.is_empty() {
                    emitter.untagged();
                } else {
                    let reason = check_candidate(&tags)
                        .err()
                        .unwrap_or(SkipReason::UnsupportedRelation);
                    emitter.skip(reason, Some(element));
                }
            }
        }
        emitter.progress(2, 2, stream.bytes_read, total);
    }
    Ok(())
}
