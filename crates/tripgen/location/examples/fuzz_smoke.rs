//! Robustness smoke test: mutates a real PBF / GeoJSON file at random and checks that the
//! importer never panics. Usage: `fuzz_smoke FILE ITERATIONS`.
use std::panic::{AssertUnwindSafe, catch_unwind};

use tripgen_location::import::import_file;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(src), Some(iters)) = (args.next(), args.next()) else {
        eprintln!("usage: fuzz_smoke FILE ITERATIONS");
        std::process::exit(2);
    };
    let iters: u64 = iters.parse().unwrap_or(100);
    let Ok(original) = std::fs::read(&src) else {
        eprintln!("cannot read {src}");
        std::process::exit(2);
    };
    let ext = if src.ends_with(".pbf") {
        "osm.pbf"
    } else {
        "json"
    };
    let tmp = std::env::temp_dir().join(format!("fuzz-smoke-{}.{ext}", std::process::id()));
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut ok, mut err, mut panics) = (0, 0, 0);
    for _ in 0..iters {
        let mut bytes = original.clone();
        let flips = 1 + next() % 16;
        for _ in 0..flips {
            let i = (next() as usize) % bytes.len();
            bytes[i] = next() as u8;
        }
        if next() % 4 == 0 {
            let cut = (next() as usize) % bytes.len();
            bytes.truncate(cut);
        }
        if std::fs::write(&tmp, &bytes).is_err() {
            break;
        }
        match catch_unwind(AssertUnwindSafe(|| import_file(&tmp, &mut |_| {}))) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(_)) => err += 1,
            Err(_) => panics += 1,
        }
    }
    let _ = std::fs::remove_file(&tmp);
    println!("{src}: {ok} imported, {err} file errors, {panics} panics");
    if panics > 0 {
        std::process::exit(1);
    }
}
