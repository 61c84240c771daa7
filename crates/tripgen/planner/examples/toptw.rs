//! Runs the TOPTW benchmark: `cargo run --release --example toptw -- [DIR] [--json]
//! [--filter NAME] [--seed N] [--iters N] [--time-ms N] [--threads N] [--known-only] [--long]
//! [--make-reference MS]`.
//!
//! `--long` runs the long-horizon sets (generated + stretched, see `bench::generate`) against
//! `DIR/long_reference.csv`; `--make-reference MS` recomputes that file with long runs of MS
//! milliseconds per instance.

use std::path::PathBuf;
use std::time::Duration;

use tripgen_planner::bench::long::{REFERENCE_FILE, make_reference, run_long};
use tripgen_planner::bench::{BenchOptions, render_json, render_table, run_toptw};

fn main() {
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../data/toptw"));
    let mut json = false;
    let mut opts = BenchOptions::default();
    let mut long = false;
    let mut reference_ms: Option<u64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> String {
            args.next().unwrap_or_else(|| {
                eprintln!("{name} needs a value");
                std::process::exit(2)
            })
        };
        let number = |s: String| -> u64 {
            s.parse().unwrap_or_else(|_| {
                eprintln!("'{s}' is not a number");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--json" => json = true,
            "--known-only" => opts.include_unknown = false,
            "--long" => long = true,
            "--make-reference" => reference_ms = Some(number(value("--make-reference"))),
            "--filter" => opts.filter = Some(value("--filter")),
            "--seed" => opts.seed = number(value("--seed")),
            "--iters" => opts.max_iterations = number(value("--iters")),
            "--time-ms" => opts.time_limit = Duration::from_millis(number(value("--time-ms"))),
            "--threads" => opts.threads = number(value("--threads")) as usize,
            _ => dir = PathBuf::from(a),
        }
    }
    if let Some(ms) = reference_ms {
        let command = format!(
            "cargo run --release -p tripgen-planner --example toptw -- --make-reference {ms} --threads {}",
            opts.threads
        );
        let written = make_reference(&dir, Duration::from_millis(ms), opts.threads, &command)
            .map_err(|e| e.to_string())
            .and_then(|csv| {
                std::fs::write(dir.join(REFERENCE_FILE), csv).map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    let run = if long { run_long } else { run_toptw };
    match run(&dir, &opts) {
        Ok(rows) => {
            if json {
                println!("{}", render_json(&rows));
            } else {
                print!("{}", render_table(&rows));
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
