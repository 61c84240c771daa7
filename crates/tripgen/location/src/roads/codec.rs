//! Stored form of a [`RoadGraph`]: little-endian arrays behind a magic and a version,
//! gzip-compressed. Decoding checks every index, so a damaged row is an error, never a
//! panic in the router.

use std::io::{Read, Write};

use super::graph::{Edge, RoadGraph, Stop, StopKind};

const MAGIC: &[u8; 4] = b"TGRG";
/// Bumped when the layout or the meaning of a field changes; older rows are rebuilt.
pub const FORMAT_VERSION: u32 = 1;

pub fn encode(g: &RoadGraph) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, FORMAT_VERSION);
    put_len(&mut out, g.lat.len());
    for (lat, lon) in g.lat.iter().zip(&g.lon) {
        out.extend_from_slice(&lat.to_le_bytes());
        out.extend_from_slice(&lon.to_le_bytes());
    }
    put_len(&mut out, g.edges.len());
    for e in &g.edges {
        put_u32(&mut out, e.tail);
        put_u32(&mut out, e.head);
        put_u32(&mut out, e.length_dm);
        out.push(e.flags);
        out.push(e.car_kmh);
    }
    put_len(&mut out, g.shape_first.len());
    for f in &g.shape_first {
        put_u32(&mut out, *f);
    }
    put_len(&mut out, g.shape.len());
    for (lat, lon) in &g.shape {
        out.extend_from_slice(&(*lat as f32).to_le_bytes());
        out.extend_from_slice(&(*lon as f32).to_le_bytes());
    }
    put_len(&mut out, g.component.len());
    out.extend_from_slice(&g.component);
    put_len(&mut out, g.order.len());
    for o in &g.order {
        put_u32(&mut out, *o);
    }
    put_len(&mut out, g.stops.len());
    for s in &g.stops {
        out.extend_from_slice(&s.lat.to_le_bytes());
        out.extend_from_slice(&s.lon.to_le_bytes());
        out.push(s.kind as u8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&out)?;
    gz.finish()
}

pub fn decode(bytes: &[u8]) -> Result<RoadGraph, String> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut raw)
        .map_err(|e| format!("not a compressed road graph: {e}"))?;
    let mut r = Reader { buf: &raw, at: 0 };
    if r.take(4)? != MAGIC {
        return Err("not a road graph".into());
    }
    let version = r.u32()?;
    if version != FORMAT_VERSION {
        return Err(format!(
            "road graph format {version}, expected {FORMAT_VERSION}"
        ));
    }
    let mut g = RoadGraph::default();
    let n = r.len(16)?;
    for _ in 0..n {
        g.lat.push(r.f64()?);
        g.lon.push(r.f64()?);
    }
    let m = r.len(14)?;
    for _ in 0..m {
        g.edges.push(Edge {
            tail: r.u32()?,
            head: r.u32()?,
            length_dm: r.u32()?,
            flags: r.u8()?,
            car_kmh: r.u8()?,
        });
    }
    for _ in 0..r.len(4)? {
        g.shape_first.push(r.u32()?);
    }
    for _ in 0..r.len(8)? {
        g.shape.push((f64::from(r.f32()?), f64::from(r.f32()?)));
    }
    let c = r.len(1)?;
    g.component = r.take(c)?.to_vec();
    for _ in 0..r.len(4)? {
        g.order.push(r.u32()?);
    }
    for _ in 0..r.len(17)? {
        let (lat, lon) = (r.f64()?, r.f64()?);
        let kind = StopKind::from_u8(r.u8()?).ok_or("unknown stop kind")?;
        g.stops.push(Stop { lat, lon, kind });
    }
    check(&g)?;
    Ok(g)
}

/// The invariants the router indexes by.
fn check(g: &RoadGraph) -> Result<(), String> {
    let n = g.node_count();
    if u32::try_from(n).is_err() || g.component.len() != n || g.order.len() != n {
        return Err("node arrays disagree".into());
    }
    if g.edges
        .iter()
        .any(|e| e.tail as usize >= n || e.head as usize >= n)
    {
        return Err("edge refers to a missing node".into());
    }
    let mut seen = vec![false; n];
    for &o in &g.order {
        match seen.get_mut(o as usize) {
            Some(s) if !*s => *s = true,
            _ => return Err("contraction order is not a permutation".into()),
        }
    }
    if g.shape_first.len() != g.edges.len() + 1
        || g.shape_first.windows(2).any(|w| w[0] > w[1])
        || g.shape_first
            .last()
            .is_some_and(|l| *l as usize != g.shape.len())
    {
        return Err("edge shapes disagree".into());
    }
    if g.lat.iter().chain(&g.lon).any(|v| !v.is_finite()) {
        return Err("node position not a number".into());
    }
    Ok(())
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_len(out: &mut Vec<u8>, len: usize) {
    put_u32(out, u32::try_from(len).unwrap_or(u32::MAX));
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).ok_or("length overflow")?;
        let s = self
            .buf
            .get(self.at..end)
            .ok_or("road graph is truncated")?;
        self.at = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// A count of records of `size` bytes, refused when the rest is too short for it (so a
    /// damaged count cannot ask for a huge allocation).
    fn len(&mut self, size: usize) -> Result<usize, String> {
        let n = self.u32()? as usize;
        if n.saturating_mul(size) > self.buf.len() - self.at {
            return Err("road graph is truncated".into());
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roads::graph::RoadMode;

    pub(crate) fn sample() -> RoadGraph {
        let mut g = RoadGraph {
            lat: vec![48.0, 48.0, 48.001],
            lon: vec![11.0, 11.001, 11.001],
            edges: vec![
                Edge {
                    tail: 0,
                    head: 1,
                    length_dm: 744,
                    flags: Edge::access_bits(RoadMode::Foot, true, true),
                    car_kmh: 0,
                },
                Edge {
                    tail: 1,
                    head: 2,
                    length_dm: 1112,
                    flags: Edge::access_bits(RoadMode::Car, true, false),
                    car_kmh: 20,
                },
            ],
            shape_first: vec![0, 1, 1],
            shape: vec![(48.0, 11.0005)],
            stops: vec![Stop {
                lat: 48.0,
                lon: 11.0,
                kind: StopKind::Tram,
            }],
            ..RoadGraph::default()
        };
        g.mark_components();
        g.order = vec![2, 0, 1];
        g
    }

    #[test]
    fn round_trip_and_damage_is_an_error() {
        let g = sample();
        let bytes = encode(&g).unwrap();
        let back = decode(&bytes).unwrap();
        assert_eq!(back.edges, g.edges);
        assert_eq!(back.order, g.order);
        assert_eq!(back.stops, g.stops);
        assert_eq!(back.component, g.component);
        assert!(decode(&bytes[..bytes.len() / 2]).is_err());
        assert!(decode(b"garbage").is_err());
        let mut bad = g.clone();
        bad.order = vec![0, 0, 1];
        assert!(decode(&encode(&bad).unwrap()).is_err());
    }
}
