//! Folds the names of the shipped world gazetteer (`data/gazetteer/cities15000.tsv.gz`) at
//! build time into a sorted key index, `$OUT_DIR/world_keys.bin`, with the very function
//! lookups use (`src/gazetteer/names.rs`): Unicode folding of ~300,000 names took most of
//! the gazetteer's load at every start.
//!
//! Layout (little-endian): `b"GZK1"`, city count u32, key count u32, then per key
//! `start u32, len u32, city u32, primary u8` (13 bytes), then the keys' text back to back.

use std::io::Read;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/gazetteer/names.rs"]
mod names;

/// Columns of the shipped file (see `scripts/gazetteer/build.py`).
const NAME: usize = 1;
const NAMES_KO: usize = 7;
const NAMES_OTHER: usize = 8;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let source = manifest.join("../../../data/gazetteer/cities15000.tsv.gz");
    println!("cargo:rerun-if-changed={}", source.display());
    println!("cargo:rerun-if-changed=src/gazetteer/names.rs");
    println!("cargo:rerun-if-changed=build.rs");

    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&source)?).read_to_string(&mut text)?;
    let mut keys: Vec<(String, u32, bool)> = Vec::new();
    let mut cities: u32 = 0;
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('\t').collect();
        let field = |i: usize| f.get(i).copied().unwrap_or("");
        let ko: Vec<&str> = field(NAMES_KO)
            .split('|')
            .filter(|n| !n.is_empty())
            .collect();
        let names = std::iter::once(field(NAME))
            .chain(ko.iter().copied())
            .chain(field(NAMES_OTHER).split('|').filter(|n| !n.is_empty()));
        for (key, primary) in names::city_keys(names, 1 + ko.len()) {
            keys.push((key, cities, primary));
        }
        cities += 1;
    }
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    let mut out = Vec::with_capacity(12 + keys.len() * 23);
    out.extend_from_slice(b"GZK1");
    out.extend_from_slice(&cities.to_le_bytes());
    out.extend_from_slice(&u32::try_from(keys.len())?.to_le_bytes());
    let mut start: u32 = 0;
    for (key, city, primary) in &keys {
        let len = u32::try_from(key.len())?;
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&city.to_le_bytes());
        out.push(u8::from(*primary));
        start += len;
    }
    for (key, _, _) in &keys {
        out.extend_from_slice(key.as_bytes());
    }
    std::fs::write(
        PathBuf::from(std::env::var("OUT_DIR")?).join("world_keys.bin"),
        out,
    )?;
    Ok(())
}
