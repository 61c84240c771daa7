//! The world gazetteer's load time and lookup latency (`gazetteer::bench`, also run by
//! `tripgen bench gazetteer` on the release binary).
//!
//! `cargo bench -p tripgen-location --bench gazetteer`

fn main() -> anyhow::Result<()> {
    let report = tripgen_location::gazetteer::bench::measure(7, 3)?;
    print!("{}", tripgen_location::gazetteer::bench::render(&report));
    Ok(())
}
