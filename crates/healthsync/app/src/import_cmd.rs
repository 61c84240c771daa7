//! `healthsync import nhis FILE… [--dataset NAME] [--max-bad-rows N] [--json]`: each file
//! is one all-or-nothing import; progress on stderr (a bar on a terminal, a line every
//! few seconds otherwise); the report on stdout (text, or one JSON object per file).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use healthsync_health::nhis::{ImportError, ImportOptions, ImportReport, Progress, import_reader};
use tripgen_platform::Db;

pub struct NhisArgs {
    pub files: Vec<PathBuf>,
    pub dataset: Option<String>,
    pub max_bad_rows: u64,
    pub json: bool,
}

/// Runs the imports in order; stops at the first failing file. Returns the exit code.
pub async fn run(db: &Db, args: NhisArgs) -> i32 {
    let options = ImportOptions {
        dataset: args.dataset.clone(),
        max_bad_rows: args.max_bad_rows,
    };
    for path in &args.files {
        let name = path.display().to_string();
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: cannot open {name}: {e}");
                return 1;
            }
        };
        let size = file.metadata().ok().map(|m| m.len());
        let mut reporter = Reporter::new(&name);
        let result =
            import_reader(db, &name, file, size, &options, &mut |p| reporter.show(p)).await;
        reporter.done();
        match result {
            Ok(report) => print_report(&report, args.json),
            Err(ImportError::TooManyBadRows { report, max }) => {
                print_report(&report, args.json);
                eprintln!(
                    "error: TOO_MANY_BAD_ROWS: {name}: {} bad rows (at most {max} allowed with \
                     --max-bad-rows); nothing written",
                    report.bad_rows.len()
                );
                return 2;
            }
            Err(e) => {
                let code = e.exit_code();
                if args.json
                    && let ImportError::HeaderMismatch(m) = &e
                {
                    println!(
                        "{}",
                        serde_json::json!({"file": name, "code": "HEADER_MISMATCH",
                            "unknown": m.unknown, "missing": m.missing, "duplicate": m.duplicate})
                    );
                }
                eprintln!("error: {name}: {e}");
                return code;
            }
        }
    }
    0
}

fn print_report(report: &ImportReport, json: bool) {
    if json {
        match serde_json::to_string(report) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: cannot render the report: {e}"),
        }
        return;
    }
    println!(
        "{}: {} ({}), dataset {}, sha256 {}",
        report.file, report.state, report.encoding, report.dataset, report.sha256
    );
    println!(
        "  rows {}  inserted {}  updated {}  unchanged {}  bad {}  in {} ms",
        report.rows,
        report.inserted,
        report.updated,
        report.unchanged,
        report.bad_rows.len(),
        report.duration_ms
    );
    for bad in &report.bad_rows {
        println!(
            "  line {}: {} = {:?}: {}",
            bad.line,
            bad.column.as_deref().unwrap_or("(line)"),
            bad.value,
            bad.reason
        );
    }
    for (title, counts) in [
        ("implausible → null", &report.implausible),
        ("blank", &report.blank),
    ] {
        if !counts.is_empty() {
            let list: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
            println!("  {title}: {}", list.join(", "));
        }
    }
}

/// Progress on stderr: a redrawn bar on a terminal, otherwise a line every 5 s.
struct Reporter {
    name: String,
    tty: bool,
    last: Instant,
    started: Instant,
    shown: bool,
}

impl Reporter {
    fn new(name: &str) -> Reporter {
        Reporter {
            name: name.to_string(),
            tty: std::io::stderr().is_terminal(),
            last: Instant::now(),
            started: Instant::now(),
            shown: false,
        }
    }

    fn show(&mut self, p: Progress) {
        let every = if self.tty {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(5)
        };
        if self.last.elapsed() < every {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = p.rows as f64 / secs;
        let mut err = std::io::stderr();
        match p.total_bytes.filter(|t| *t > 0) {
            Some(total) => {
                let frac = (p.bytes as f64 / total as f64).clamp(0.0, 1.0);
                if self.tty {
                    let filled = (frac * 30.0) as usize;
                    let _ = write!(
                        err,
                        "\r{} [{}{}] {:>3.0}% {} rows {:.0}/s",
                        self.name,
                        "#".repeat(filled),
                        "-".repeat(30 - filled),
                        frac * 100.0,
                        p.rows,
                        rate
                    );
                } else {
                    let _ = writeln!(
                        err,
                        "{}: {:.0}% {} rows ({:.0} rows/s)",
                        self.name,
                        frac * 100.0,
                        p.rows,
                        rate
                    );
                }
            }
            None => {
                let _ = writeln!(err, "{}: {} rows ({:.0} rows/s)", self.name, p.rows, rate);
            }
        }
        self.shown = true;
    }

    fn done(&mut self) {
        if self.tty && self.shown {
            let _ = writeln!(std::io::stderr());
        }
    }
}
