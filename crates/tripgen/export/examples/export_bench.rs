//! Export benchmark: a 14-day trip with 7 stops a day, rendered in each format.
//!
//! `cargo run --release -p tripgen-export --example export_bench -- [FORMAT…] [--out DIR]`
//! prints time and size per format (FORMAT: pdf, png (a ZIP of 14 days), png1 (one day),
//! ics, gpx; default all). Run one format per process under `/usr/bin/time -v` for its
//! peak memory. With `--out`, the files are written there.

use std::time::Instant;

use tripgen_export::{ExportRequest, Format, Language, export, sample};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let out = args.iter().position(|a| a == "--out").map(|i| {
        let dir = args.get(i + 1).cloned().unwrap_or_else(|| ".".into());
        args.drain(i..(i + 2).min(args.len()));
        dir
    });
    if args.is_empty() {
        args = ["pdf", "png", "png1", "ics", "gpx"]
            .map(String::from)
            .to_vec();
    }
    let trip = sample::trip(14, 7);
    for a in &args {
        let (format, days) = match a.as_str() {
            "png1" => (Format::Png, vec![1]),
            other => match Format::parse(other) {
                Some(f) => (f, vec![]),
                None => {
                    eprintln!("unknown format {other}");
                    std::process::exit(2);
                }
            },
        };
        let req = ExportRequest {
            format,
            days,
            include_map: true,
            language: Language::Ko,
        };
        let t0 = Instant::now();
        let file = match export(&trip, &req) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{a}: {e}");
                std::process::exit(1);
            }
        };
        let took = t0.elapsed();
        println!(
            "{a:5} {:>8.1} ms {:>10} bytes  {}",
            took.as_secs_f64() * 1000.0,
            file.bytes.len(),
            file.file_name
        );
        if let Some(dir) = &out {
            let path = std::path::Path::new(dir).join(&file.file_name);
            if let Err(e) = std::fs::write(&path, &file.bytes) {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        }
    }
}
