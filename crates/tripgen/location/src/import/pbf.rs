//! `.osm.pbf` reader (osmpbf crate), three passes with bounded memory:
//!
//! 1. read the relations only, and remember the outline ways of area relations
//!    (multipolygons, buildings) that would become places (interesting + named);
//! 2. read the ways only, and remember the node ids referenced by ways that would become
//!    places and the node lists of those outline ways;
//! 3. read everything in file order: nodes become places/cities, and the coordinates of the
//!    remembered nodes are kept so that the ways and relations (which follow the nodes in a
//!    sorted file) get a centroid and an area.
//!
//! Memory is one decoded block plus those node coordinates and outline node lists, never
//! the whole file.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};

use crate::error::ImportError;
use crate::geo::{GeoPoint, way_centroid};
use crate::import::areas::{
    is_area_relation, outline_role, outline_ways, relation_geometry, way_area,
};
use crate::import::mapping::{check_candidate, city_from_tags, place_from_tags};
use crate::import::{
    Emitter, FileFormat, ImportEvent, ImportSummary, ReadOptions, SkipReason, dataset_name,
};
use crate::place::{ElementKind, ElementRef, SourceRecord};

/// Streams an `.osm.pbf` file; see the module docs for the three passes.
pub fn read_osm_file(
    path: &Path,
    options: ReadOptions,
    on_event: &mut impl FnMut(ImportEvent),
) -> Result<ImportSummary, ImportError> {
    let total = std::fs::metadata(path)
        .map_err(|e| ImportError::io(path, e))?
        .len();
    let mut emitter = Emitter::new(on_event, path, FileFormat::OsmPbf);
    let outlines = collect_relation_outlines(path, &mut emitter, total, options)?;
    let needed = collect_way_nodes(path, &mut emitter, total, outlines)?;
    read_elements(path, &mut emitter, total, needed)?;
    Ok(emitter.finish())
}

const PASSES: u8 = 3;

/// What passes 1 and 2 found out for pass 3.
struct Needed {
    /// Nodes whose coordinates ways and relations need.
    nodes: HashSet<i64>,
    /// Area relation → its outline ways.
    relations: HashMap<i64, Vec<i64>>,
    /// Outline way → its node ids.
    outline_refs: HashMap<i64, Vec<i64>>,
}

fn collect_relation_outlines<F: FnMut(ImportEvent)>(
    path: &Path,
    emitter: &mut Emitter<'_, F>,
    total: u64,
    options: ReadOptions,
) -> Result<HashMap<i64, Vec<i64>>, ImportError> {
    let mut relations = HashMap::new();
    let mut stream = BlockStream::open(path)?;
    let mut members: Vec<(u8, i64)> = Vec::new();
    let mut blocks = 0u64;
    while let Some(item) = stream.next() {
        blocks += 1;
        let block = match item? {
            BlockItem::Header { snapshot_at } => {
                emitter.set_snapshot(snapshot_at);
                continue;
            }
            // Found in the first pass, before any place is emitted: a strict read fails
            // with nothing imported. A partial read counts it once, in pass 3.
            BlockItem::Broken if !options.allow_partial => {
                return Err(ImportError::BrokenBlock {
                    path: path.to_path_buf(),
                    block: blocks,
                });
            }
            BlockItem::Broken => continue,
            BlockItem::Data(block) => block,
        };
        let mut tags = Vec::new();
        for group in block.groups() {
            for rel in group.relations() {
                if !decode_tags(rel.raw_tags(), block.raw_stringtable(), &mut tags)
                    || !is_area_relation(&tags)
                    || check_candidate(&tags).is_err()
                {
                    continue;
                }
                members.clear();
                members.extend(
                    rel.members()
                        .filter(|m| m.member_type == osmpbf::RelMemberType::Way)
                        .map(|m| (m.role().map_or(0, outline_role), m.member_id)),
                );
                relations.insert(rel.id(), outline_ways(&members));
            }
        }
        emitter.progress(1, PASSES, stream.bytes_read, total);
    }
    Ok(relations)
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
    relations: HashMap<i64, Vec<i64>>,
) -> Result<Needed, ImportError> {
    let outline_ways: HashSet<i64> = relations.values().flatten().copied().collect();
    let mut needed = Needed {
        nodes: HashSet::new(),
        relations,
        outline_refs: HashMap::with_capacity(outline_ways.len()),
    };
    let mut stream = BlockStream::open(path)?;
    while let Some(item) = stream.next() {
        let block = match item? {
            BlockItem::Header { .. } | BlockItem::Broken => continue,
            BlockItem::Data(block) => block,
        };
        let mut tags = Vec::new();
        for group in block.groups() {
            for way in group.ways() {
                if outline_ways.contains(&way.id()) {
                    let refs: Vec<i64> = way.refs().collect();
                    needed.nodes.extend(refs.iter().copied());
                    needed.outline_refs.insert(way.id(), refs);
                }
                if decode_tags(way.raw_tags(), block.raw_stringtable(), &mut tags)
                    && !tags.is_empty()
                    && check_candidate(&tags).is_ok()
                {
                    needed.nodes.extend(way.refs());
                }
            }
        }
        emitter.progress(2, PASSES, stream.bytes_read, total);
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

struct Pass3 {
    dataset: String,
    snapshot_at: Option<DateTime<Utc>>,
    needed: Needed,
    coords: HashMap<i64, GeoPoint>,
}

impl Pass3 {
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
            && self.needed.nodes.contains(&id)
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
        match place_from_tags(tags, position, None, source) {
            Ok(place) => emitter.place(place),
            Err(reason) => emitter.skip(reason, Some(element)),
        }
    }
}

fn read_elements<F: FnMut(ImportEvent)>(
    path: &Path,
    emitter: &mut Emitter<'_, F>,
    total: u64,
    needed: Needed,
) -> Result<(), ImportError> {
    let mut state = Pass3 {
        dataset: dataset_name(path),
        snapshot_at: emitter.snapshot(),
        coords: HashMap::with_capacity(needed.nodes.len()),
        needed,
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
                let area = way_area(&refs, &points);
                match place_from_tags(&tags, Some(centre), area, source) {
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
                let Some(outline) = state.needed.relations.remove(&rel.id()) else {
                    // Interesting and named, but not an area (a route, a site).
                    emitter.skip(SkipReason::UnsupportedRelation, Some(element));
                    continue;
                };
                let ways: Vec<Vec<i64>> = outline
                    .iter()
                    .filter_map(|w| state.needed.outline_refs.get(w).cloned())
                    .collect();
                let Some((centre, area)) = relation_geometry(ways, &state.coords) else {
                    emitter.skip(SkipReason::MissingWayNodes, Some(element));
                    continue;
                };
                let info = rel.info();
                let source = state.source(
                    ElementKind::Relation,
                    rel.id(),
                    info.version(),
                    info.milli_timestamp(),
                );
                match place_from_tags(&tags, Some(centre), area, source) {
                    Ok(place) => emitter.place(place),
                    Err(reason) => emitter.skip(reason, Some(element)),
                }
            }
        }
        emitter.progress(3, PASSES, stream.bytes_read, total);
    }
    Ok(())
}
