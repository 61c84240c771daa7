//! Progress of long work (imports, downloads, benchmarks, backups) the way people expect
//! in a terminal: a bar on a TTY, a line every few seconds otherwise (CI logs, pipes,
//! Kubernetes Jobs), or `tracing` lines inside a server.
//!
//! One [`Progress`] per task; clone it freely (the clones drive the same display). Updates
//! are cheap (atomics in `indicatif`): call `set_position`/`inc` as often as convenient.
//!
//! `TRIPGEN_PROGRESS=auto|bar|lines|off` overrides the choice (`auto`: bar when stderr is a
//! terminal, else lines).

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Seconds between two lines when there is no terminal to draw a bar on.
const LINE_INTERVAL: Duration = Duration::from_secs(5);

/// What the counted amount is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Bytes: shown as MiB, with a rate in MiB/s.
    Bytes,
    /// Things of this name ("instances", "places"): shown as counts, rate per second.
    Items(&'static str),
}

/// Where progress goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A bar on stderr when it is a terminal, else lines (the CLI default).
    Auto,
    /// Always a bar on stderr (hidden by `indicatif` if stderr is not a terminal).
    Bar,
    /// A line on stderr every few seconds and at the end.
    Lines,
    /// An `info` log line every few seconds and at the end (inside a server).
    Log,
    /// Nothing.
    Off,
}

impl Output {
    /// `TRIPGEN_PROGRESS` (`auto`, `bar`, `lines`, `off`), else `default`.
    pub fn from_env(default: Output) -> Output {
        match std::env::var("TRIPGEN_PROGRESS").as_deref() {
            Ok("auto") => Output::Auto,
            Ok("bar") => Output::Bar,
            Ok("lines") => Output::Lines,
            Ok("off" | "none") => Output::Off,
            _ => default,
        }
    }

    fn resolve(self) -> Output {
        match self {
            Output::Auto if std::io::IsTerminal::is_terminal(&std::io::stderr()) => Output::Bar,
            Output::Auto => Output::Lines,
            other => other,
        }
    }
}

/// A progress display; see the module documentation.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
    inner: Arc<Inner>,
}

struct Inner {
    output: Output,
    label: String,
    unit: Unit,
    started: Instant,
    /// Milliseconds since `started` of the last line written (lines/log output).
    last_line_ms: AtomicU64,
}

impl Progress {
    /// The CLI's display: `TRIPGEN_PROGRESS`, else a bar on a TTY and lines otherwise.
    /// `total` may be unknown (`None`) and set later with [`Progress::set_length`].
    pub fn new(label: impl Into<String>, total: Option<u64>, unit: Unit) -> Progress {
        Progress::with_output(Output::from_env(Output::Auto), label, total, unit)
    }

    /// Progress as `info` log lines (work done inside a running server).
    pub fn log(label: impl Into<String>, total: Option<u64>, unit: Unit) -> Progress {
        Progress::with_output(Output::Log, label, total, unit)
    }

    /// No display at all (tests, library callers).
    pub fn hidden() -> Progress {
        Progress::with_output(Output::Off, "", None, Unit::Items(""))
    }

    pub fn with_output(
        output: Output,
        label: impl Into<String>,
        total: Option<u64>,
        unit: Unit,
    ) -> Progress {
        let output = output.resolve();
        let label = label.into();
        let bar = match total {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::hidden()),
            None => ProgressBar::hidden(),
        };
        if output == Output::Bar {
            bar.set_style(bar_style(unit, total.is_some()));
            bar.set_prefix(label.clone());
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        Progress {
            bar,
            inner: Arc::new(Inner {
                output,
                label,
                unit,
                started: Instant::now(),
                last_line_ms: AtomicU64::new(0),
            }),
        }
    }

    pub fn set_length(&self, total: u64) {
        self.bar.set_length(total);
        if self.inner.output == Output::Bar {
            self.bar.set_style(bar_style(self.inner.unit, true));
        }
    }

    pub fn set_position(&self, pos: u64) {
        self.bar.set_position(pos);
        self.maybe_line();
    }

    pub fn inc(&self, delta: u64) {
        self.bar.inc(delta);
        self.maybe_line();
    }

    /// Restarts the rate and ETA estimate from the current position (after a resume).
    pub fn reset_eta(&self) {
        self.bar.reset_eta();
    }

    /// A short note shown after the numbers ("Porto: 812 places").
    pub fn set_message(&self, message: impl Into<String>) {
        self.bar.set_message(message.into());
    }

    pub fn position(&self) -> u64 {
        self.bar.position()
    }

    /// Ends the display with a final line (`message` after the totals).
    pub fn finish(&self, message: impl Into<String>) {
        let message = message.into();
        match self.inner.output {
            Output::Bar => {
                self.bar.finish_and_clear();
                eprintln!("{}", self.line(true, &message));
            }
            Output::Lines => eprintln!("{}", self.line(true, &message)),
            Output::Log => tracing::info!("{}", self.line(true, &message)),
            Output::Auto | Output::Off => {}
        }
    }

    /// Ends the display without a line (the caller reports an error itself).
    pub fn abandon(&self) {
        if self.inner.output == Output::Bar {
            self.bar.abandon();
        }
    }

    fn maybe_line(&self) {
        if !matches!(self.inner.output, Output::Lines | Output::Log) {
            return;
        }
        let now = self.inner.started.elapsed().as_millis() as u64;
        let last = self.inner.last_line_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) < LINE_INTERVAL.as_millis() as u64
            || self
                .inner
                .last_line_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let line = self.line(false, &self.bar.message());
        if self.inner.output == Output::Log {
            tracing::info!("{line}");
        } else {
            eprintln!("{line}");
        }
    }

    /// `label: 12.0 MiB / 40.0 MiB (30%), 4.1 MiB/s, ETA 7s — message`.
    fn line(&self, done: bool, message: &str) -> String {
        let pos = self.bar.position();
        let total = self.bar.length();
        let elapsed = self.inner.started.elapsed();
        let mut s = String::new();
        if !self.inner.label.is_empty() {
            let _ = write!(s, "{}: ", self.inner.label);
        }
        s.push_str(&amount(self.inner.unit, pos));
        if let Some(t) = total.filter(|t| *t > 0) {
            let pct = pos.saturating_mul(100) / t;
            let _ = write!(s, " / {} ({pct}%)", amount(self.inner.unit, t));
        }
        let secs = elapsed.as_secs_f64();
        if secs > 0.0 && pos > 0 {
            let rate = pos as f64 / secs;
            let _ = write!(s, ", {}", rate_text(self.inner.unit, rate));
            if done {
                let _ = write!(s, " in {}", HumanDuration(elapsed));
            } else if let Some(t) = total.filter(|t| *t > pos) {
                let eta = Duration::from_secs_f64((t - pos) as f64 / rate);
                let _ = write!(s, ", ETA {}", HumanDuration(eta));
            }
        }
        if !message.is_empty() {
            let _ = write!(s, " — {message}");
        }
        s
    }
}

fn amount(unit: Unit, n: u64) -> String {
    match unit {
        Unit::Bytes => HumanBytes(n).to_string(),
        Unit::Items("") => n.to_string(),
        Unit::Items(name) => format!("{n} {name}"),
    }
}

fn rate_text(unit: Unit, per_sec: f64) -> String {
    match unit {
        Unit::Bytes => format!("{}/s", HumanBytes(per_sec as u64)),
        Unit::Items(_) => format!("{per_sec:.1}/s"),
    }
}

fn template(unit: Unit, known_total: bool) -> &'static str {
    match (unit, known_total) {
        (Unit::Bytes, true) => {
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_msg}"
        }
        (Unit::Bytes, false) => "{prefix} {spinner} {bytes} {bytes_per_sec} {wide_msg}",
        (Unit::Items(_), true) => "{prefix} [{bar:30}] {pos}/{len} {per_sec} ETA {eta} {wide_msg}",
        (Unit::Items(_), false) => "{prefix} {spinner} {pos} {per_sec} {wide_msg}",
    }
}

fn bar_style(unit: Unit, known_total: bool) -> ProgressStyle {
    // The templates are constants (a test parses each); fall back rather than panic.
    ProgressStyle::with_template(template(unit, known_total))
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        for unit in [Unit::Bytes, Unit::Items("instances")] {
            for known in [true, false] {
                let t = template(unit, known);
                assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
            }
        }
    }

    #[test]
    fn line_shows_amount_share_rate_and_message() {
        let p = Progress::with_output(Output::Off, "munich.osm.pbf", Some(4 << 20), Unit::Bytes);
        p.set_position(1 << 20);
        std::thread::sleep(Duration::from_millis(20));
        let line = p.line(false, "812 places");
        assert!(
            line.starts_with("munich.osm.pbf: 1.00 MiB / 4.00 MiB (25%), "),
            "{line}"
        );
        assert!(line.contains("/s, ETA "), "{line}");
        assert!(line.ends_with(" — 812 places"), "{line}");
        let done = p.line(true, "");
        assert!(done.contains(" in "), "{done}");
    }

    #[test]
    fn unknown_total_and_items() {
        let p = Progress::with_output(Output::Off, "", None, Unit::Items("instances"));
        p.inc(3);
        assert!(p.line(false, "").starts_with("3 instances"));
        p.set_length(10);
        assert!(p.line(false, "").contains("/ 10 instances (30%)"));
    }
}
