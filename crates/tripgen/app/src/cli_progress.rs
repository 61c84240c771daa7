//! Progress displays of CLI commands that have no better home (the shared helper is
//! `tripgen_platform::progress`).

use tripgen_planner::bench::BenchRow;
use tripgen_platform::progress::{Progress, Unit};

/// `tripgen bench toptw`: one step per instance.
pub fn toptw() -> Progress {
    Progress::new("bench toptw", None, Unit::Items("instances"))
}

pub fn toptw_step(progress: &Progress, done: usize, total: usize, row: Option<&BenchRow>) {
    progress.set_length(total as u64);
    progress.set_position(done as u64);
    if let Some(r) = row {
        let gap = r.gap_pct.map_or("—".to_string(), |g| format!("{g:.1}%"));
        progress.set_message(format!("{}: gap {gap}", r.instance));
    }
}
