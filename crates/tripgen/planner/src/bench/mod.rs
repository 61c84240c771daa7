//! TOPTW benchmark harness: the only module of the crate that reads files.
//!
//! `run_toptw(dir, opts)` solves every instance of `dir/best_known.csv` for its m, checks
//! each solution with [`validate`] (which shares no code with the solver or the parser) and
//! returns one [`BenchRow`] per run. `render_table` / `render_json` format the rows for the
//! `tripgen bench toptw [DIR] [--json]` command.

pub mod best_known;
pub mod generate;
pub mod long;
pub mod parse;
pub mod report;
pub mod validate;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::toptw::{
    Instance, InstanceSpec, RouteSpec, SolverConfig, TimeWindow, VisitScore, VisitSpec,
    VisitWindows, solve,
};
pub use best_known::{BestKnown, parse_best_known};
pub use parse::{InstanceSet, ParsedInstance, parse_instance};
pub use report::{Summary, render_json, render_table, summarize};
pub use validate::{Validation, validate_solution};

/// One benchmark run. Field names are the JSON contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BenchRow {
    pub instance: String,
    pub set: String,
    pub m: usize,
    /// Validated score (0 if the validator rejected the solution).
    pub score: f64,
    /// Best known / proven optimal score, `null` when unknown.
    pub best: Option<f64>,
    /// `(best - score) / best * 100`, `null` when unknown.
    pub gap_pct: Option<f64>,
    /// Wall time of the solve in milliseconds.
    pub ms: u64,
    pub feasible: bool,
    /// Vertex numbers per route in visiting order, depot excluded.
    pub routes: Vec<Vec<usize>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BenchOptions {
    /// Time limit per instance: the cap of the size-scaled budget, or the safety net of an
    /// iteration-limited run.
    pub time_limit: Duration,
    /// Iteration limit per search thread (the deterministic limit). `u64::MAX` (the default)
    /// means a time budget scaled with the instance size, see [`BenchOptions::solver_config`].
    pub max_iterations: u64,
    /// Budget per customer of the size-scaled time budget, milliseconds.
    pub ms_per_customer: f64,
    pub seed: u64,
    /// Search threads per instance.
    pub threads: usize,
    /// Only instances whose name contains this string.
    pub filter: Option<String>,
    /// Also run Solomon instances missing from best_known.csv (m = 1, reported without a gap).
    pub include_unknown: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            time_limit: Duration::from_secs(3),
            max_iterations: u64::MAX,
            ms_per_customer: 3.5,
            seed: 1,
            threads: 2,
            filter: None,
            include_unknown: true,
        }
    }
}

impl BenchOptions {
    /// Solver settings for `customers` customers and `m` routes. Without an iteration limit
    /// the search runs on a time budget of `ms_per_customer · customers · (1 + 0.75·(m − 1))`
    /// (capped by `time_limit`): the work per iteration grows with the number of candidates
    /// and the route length, so a fixed iteration count either starves big instances or
    /// wastes time on small ones. The annealing schedule follows the clock, so the search
    /// always ends cool. With an iteration limit runs are reproducible (seed + limit).
    pub fn solver_config(&self, customers: usize, m: usize) -> SolverConfig {
        let (max_iterations, time_limit) = if self.max_iterations == u64::MAX {
            let ms = self.ms_per_customer * customers as f64 * (1.0 + 0.75 * (m.max(1) - 1) as f64);
            let budget =
                Duration::try_from_secs_f64((ms / 1000.0).max(0.05)).unwrap_or(self.time_limit);
            (u64::MAX, budget.min(self.time_limit))
        } else {
            (self.max_iterations, self.time_limit)
        };
        SolverConfig {
            seed: self.seed,
            max_iterations,
            time_limit: Some(time_limit),
            threads: self.threads,
        }
    }
}

#[derive(Debug)]
pub enum BenchError {
    Io { path: PathBuf, message: String },
    BestKnown(String),
    Parse { path: PathBuf, message: String },
    Instance { path: PathBuf, message: String },
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenchError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            BenchError::BestKnown(m) => write!(f, "best_known.csv: {m}"),
            BenchError::Parse { path, message } => write!(f, "{}: {message}", path.display()),
            BenchError::Instance { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for BenchError {}

fn read(path: &Path) -> Result<String, BenchError> {
    std::fs::read_to_string(path).map_err(|e| BenchError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Euclidean distance truncated to `decimals` (solver path; the validator has its own).
fn truncated_distance(a: &parse::Vertex, b: &parse::Vertex, decimals: u32) -> f64 {
    let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
    let scale = 10f64.powi(decimals as i32);
    // The tiny epsilon keeps exact grid values (e.g. 5.0 computed as 4.9999999) on the grid.
    ((d * scale) + 1e-7).floor() / scale
}

/// Builds the solver instance: visits are vertices 1..=N (visit v = vertex v + 1), the depot
/// is the extra location N.
pub fn to_instance(
    parsed: &ParsedInstance,
    set: InstanceSet,
    m: usize,
) -> Result<Instance, String> {
    let verts = &parsed.vertices;
    let Some(depot) = verts.first() else {
        return Err("no depot".into());
    };
    let n = verts.len() - 1;
    let loc = |i: usize| if i == n { &verts[0] } else { &verts[i + 1] };
    let mut travel = vec![0.0; (n + 1) * (n + 1)];
    for i in 0..=n {
        for j in 0..=n {
            if i != j {
                travel[i * (n + 1) + j] = truncated_distance(loc(i), loc(j), set.decimals());
            }
        }
    }
    let visits = verts[1..]
        .iter()
        .map(|v| VisitSpec {
            score: VisitScore::Same(v.score),
            service: v.service,
            windows: VisitWindows::Same(vec![TimeWindow::new(v.open, v.close)]),
            uses: vec![],
            exclusive_group: None,
        })
        .collect();
    let routes = (0..m)
        .map(|_| RouteSpec {
            start: n,
            end: n,
            earliest_departure: depot.open,
            latest_arrival: depot.close,
            capacities: vec![],
        })
        .collect();
    Instance::new(InstanceSpec {
        locations: n + 1,
        travel,
        visits,
        routes,
    })
    .map_err(|e| e.to_string())
}

/// Solves and validates one instance file for `m` routes.
pub fn run_one(
    path: &Path,
    name: &str,
    set: InstanceSet,
    m: usize,
    best: Option<f64>,
    opts: &BenchOptions,
) -> Result<BenchRow, BenchError> {
    let text = read(path)?;
    run_text(&text, path, name, set.name(), set, m, best, opts)
}

/// Solves and validates one instance given as file text; `family` is the report's set label.
#[allow(clippy::too_many_arguments)]
pub fn run_text(
    text: &str,
    path: &Path,
    name: &str,
    family: &str,
    set: InstanceSet,
    m: usize,
    best: Option<f64>,
    opts: &BenchOptions,
) -> Result<BenchRow, BenchError> {
    let parsed = parse_instance(text).map_err(|e| BenchError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let inst = to_instance(&parsed, set, m).map_err(|message| BenchError::Instance {
        path: path.to_path_buf(),
        message,
    })?;
    let cfg = opts.solver_config(inst.n_visits(), m);
    let t0 = Instant::now();
    let result = solve(&inst, &cfg);
    let ms = t0.elapsed().as_millis() as u64;
    let routes: Vec<Vec<usize>> = result
        .routes
        .iter()
        .map(|r| r.iter().map(|v| v + 1).collect())
        .collect();
    let check = validate_solution(text, set.decimals(), m, &routes);
    let score = if check.feasible { check.score } else { 0.0 };
    let gap_pct = best.filter(|b| *b > 0.0).map(|b| (b - score) / b * 100.0);
    Ok(BenchRow {
        instance: name.to_string(),
        set: family.to_string(),
        m,
        score,
        best,
        gap_pct,
        ms,
        feasible: check.feasible,
        routes,
    })
}

/// Runs every instance of `dir/best_known.csv` (plus, optionally, unknown Solomon ones).
pub fn run_toptw(dir: &Path, opts: &BenchOptions) -> Result<Vec<BenchRow>, BenchError> {
    run_toptw_with_progress(dir, opts, &mut |_, _, _| {})
}

/// [`run_toptw`], telling `progress(done, total, row)` before the first instance (row
/// `None`) and after each one.
pub fn run_toptw_with_progress(
    dir: &Path,
    opts: &BenchOptions,
    progress: &mut dyn FnMut(usize, usize, Option<&BenchRow>),
) -> Result<Vec<BenchRow>, BenchError> {
    let csv = read(&dir.join("best_known.csv"))?;
    let mut jobs: Vec<BestKnown> = parse_best_known(&csv).map_err(BenchError::BestKnown)?;
    if opts.include_unknown {
        for set in [InstanceSet::Solomon, InstanceSet::Cordeau] {
            let sub = dir.join(set.name());
            let Ok(entries) = std::fs::read_dir(&sub) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let p = e.path();
                    (p.extension().and_then(|x| x.to_str()) == Some("txt"))
                        .then(|| p.file_stem().and_then(|s| s.to_str()).map(String::from))
                        .flatten()
                })
                .collect();
            names.sort();
            for name in names {
                if !jobs.iter().any(|j| j.instance == name) {
                    jobs.push(BestKnown {
                        instance: name,
                        set,
                        m: 1,
                        score: None,
                        status: String::new(),
                    });
                }
            }
        }
    }
    if let Some(f) = &opts.filter {
        jobs.retain(|j| j.instance.contains(f.as_str()));
    }
    jobs.sort_by(|a, b| {
        (a.set, a.m, a.instance.len(), &a.instance).cmp(&(
            b.set,
            b.m,
            b.instance.len(),
            &b.instance,
        ))
    });
    let mut rows = Vec::with_capacity(jobs.len());
    progress(0, jobs.len(), None);
    for job in &jobs {
        let path = dir
            .join(job.set.name())
            .join(format!("{}.txt", job.instance));
        let row = run_one(&path, &job.instance, job.set, job.m, job.score, opts)?;
        progress(rows.len() + 1, jobs.len(), Some(&row));
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_validates_a_small_file() {
        // Depot at the origin, 4 customers on a square; budget allows all of them.
        let text = "0 0 4 0\n0 0\n0 0 0 0 0 0 0 0 100\n1 1 0 1 5 0 0 0 50\n2 1 1 1 6 0 0 0 50\n3 0 1 1 7 0 0 10 50\n4 5 5 1 1 0 0 0 8\n";
        let parsed = parse_instance(text).unwrap();
        let inst = to_instance(&parsed, InstanceSet::Solomon, 1).unwrap();
        let res = solve(
            &inst,
            &SolverConfig {
                seed: 3,
                max_iterations: 200,
                time_limit: None,
                threads: 1,
            },
        );
        let routes: Vec<Vec<usize>> = res
            .routes
            .iter()
            .map(|r| r.iter().map(|v| v + 1).collect())
            .collect();
        let v = validate_solution(text, 1, 1, &routes);
        assert!(v.feasible, "{:?}", v.errors);
        assert_eq!(v.score, res.score);
        assert_eq!(v.score, 19.0);
    }

    #[test]
    fn truncation_matches_validator_grid() {
        let a = parse::Vertex {
            id: 0,
            x: 0.0,
            y: 0.0,
            service: 0.0,
            score: 0.0,
            open: 0.0,
            close: 0.0,
        };
        let b = parse::Vertex {
            id: 1,
            x: 3.0,
            y: 4.0,
            ..a.clone()
        };
        assert_eq!(truncated_distance(&a, &b, 1), 5.0);
        let c = parse::Vertex {
            id: 2,
            x: 1.0,
            y: 1.0,
            ..a.clone()
        };
        assert_eq!(truncated_distance(&a, &c, 1), 1.4);
        assert_eq!(truncated_distance(&a, &c, 2), 1.41);
    }
}
