//! The long-horizon benchmark (`tripgen bench toptw --long`): the [`generate`] sets, compared
//! with reference scores.
//!
//! No best-known values exist for these instances, so the reference is the best score a long
//! run of the solver found (`make_reference`, cached in `DIR/long_reference.csv` with the
//! command that produced it). A gap against it measures how much of the long-run quality the
//! default budget keeps; a negative gap means the default run beat the reference.

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use super::generate::{TextJob, generated, stretch};
use super::parse::{InstanceSet, parse_instance};
use super::{BenchError, BenchOptions, BenchRow, read, run_text};

/// File of reference scores inside the benchmark folder.
pub const REFERENCE_FILE: &str = "long_reference.csv";

/// Every long-horizon job: the generated set, then every file of `dir` stretched (m = 1).
pub fn long_jobs(dir: &Path) -> Result<Vec<TextJob>, BenchError> {
    let mut jobs = generated();
    for set in [InstanceSet::Solomon, InstanceSet::Cordeau] {
        let sub = dir.join(set.name());
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("txt"))
            .collect();
        paths.sort();
        for path in paths {
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let parsed = parse_instance(&read(&path)?).map_err(|e| BenchError::Parse {
                path: path.clone(),
                message: e.to_string(),
            })?;
            jobs.push(TextJob {
                name: format!("{stem}x3"),
                family: "stretched",
                set,
                m: 1,
                text: stretch(&parsed, set),
            });
        }
    }
    Ok(jobs)
}

/// `(family, instance, m) → score` from the reference CSV (empty if the file is missing).
pub fn read_reference(dir: &Path) -> Result<Vec<(String, String, usize, f64)>, BenchError> {
    let path = dir.join(REFERENCE_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("family,") {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = || BenchError::BestKnown(format!("{REFERENCE_FILE} line {}: {line}", i + 1));
        if f.len() != 4 {
            return Err(bad());
        }
        let m: usize = f[2].parse().map_err(|_| bad())?;
        let score: f64 = f[3].parse().map_err(|_| bad())?;
        if !score.is_finite() || score < 0.0 {
            return Err(bad());
        }
        out.push((f[0].to_string(), f[1].to_string(), m, score));
    }
    Ok(out)
}

fn reference_of(refs: &[(String, String, usize, f64)], job: &TextJob) -> Option<f64> {
    refs.iter()
        .find(|(fam, name, m, _)| fam == job.family && *name == job.name && *m == job.m)
        .map(|r| r.3)
}

fn selected(job: &TextJob, opts: &BenchOptions) -> bool {
    opts.filter
        .as_ref()
        .is_none_or(|f| job.name.contains(f.as_str()))
}

/// Runs the long-horizon sets with `opts`; `best` is the reference score.
pub fn run_long(dir: &Path, opts: &BenchOptions) -> Result<Vec<BenchRow>, BenchError> {
    let refs = read_reference(dir)?;
    let mut rows = Vec::new();
    for job in long_jobs(dir)?.iter().filter(|j| selected(j, opts)) {
        let path = dir.join(format!("<{}:{}>", job.family, job.name));
        rows.push(run_text(
            &job.text,
            &path,
            &job.name,
            job.family,
            job.set,
            job.m,
            reference_of(&refs, job),
            opts,
        )?);
    }
    Ok(rows)
}

/// Long runs for the reference: one solve per job annealing over the whole `budget` on the
/// clock (one long run beats several short ones on the big multi-route instances), keeping
/// the best validated score; the previous reference is kept when it is higher. Prints one progress line per job to stderr and returns the new
/// CSV text (the caller writes it).
pub fn make_reference(
    dir: &Path,
    budget: Duration,
    threads: usize,
    command: &str,
) -> Result<String, BenchError> {
    let refs = read_reference(dir)?;
    let jobs = long_jobs(dir)?;
    let mut csv = String::new();
    let _ = writeln!(
        csv,
        "# Reference scores of the long-horizon TOPTW sets: best validated score of long solver runs"
    );
    let _ = writeln!(
        csv,
        "# ({:.0} s per instance, {threads} threads), never lower than the previous reference.",
        budget.as_secs_f64()
    );
    let _ = writeln!(csv, "# Produced by: {command}");
    let _ = writeln!(csv, "family,instance,m,score");
    for (k, job) in jobs.iter().enumerate() {
        let t0 = Instant::now();
        let mut best = reference_of(&refs, job).unwrap_or(0.0);
        let path = dir.join(format!("<{}:{}>", job.family, job.name));
        {
            let opts = BenchOptions {
                time_limit: budget,
                max_iterations: u64::MAX,
                // The whole budget (the size scaling is for the default runs).
                ms_per_customer: f64::INFINITY,
                seed: 1001,
                threads,
                filter: None,
                include_unknown: false,
            };
            let row = run_text(
                &job.text, &path, &job.name, job.family, job.set, job.m, None, &opts,
            )?;
            best = best.max(row.score);
        }
        let _ = writeln!(csv, "{},{},{},{}", job.family, job.name, job.m, best);
        eprintln!(
            "[{}/{}] {} {} m={} reference {} ({:.1} s)",
            k + 1,
            jobs.len(),
            job.family,
            job.name,
            job.m,
            best,
            t0.elapsed().as_secs_f64()
        );
    }
    Ok(csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_file_is_read_and_checked() {
        let dir = std::env::temp_dir().join(format!("toptw-long-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(read_reference(&dir).unwrap().is_empty());
        std::fs::write(
            dir.join(REFERENCE_FILE),
            "# comment\nfamily,instance,m,score\ngenerated,gr100,1,1045\n",
        )
        .unwrap();
        let refs = read_reference(&dir).unwrap();
        assert_eq!(refs, vec![("generated".into(), "gr100".into(), 1, 1045.0)]);
        std::fs::write(dir.join(REFERENCE_FILE), "generated,gr100,x,1\n").unwrap();
        assert!(read_reference(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn budget_scales_with_size_unless_iterations_are_given() {
        let opts = BenchOptions::default();
        let small = opts.solver_config(100, 1).time_limit.unwrap();
        let big = opts.solver_config(300, 3).time_limit.unwrap();
        assert!(big > small && big <= opts.time_limit);
        let fixed = BenchOptions {
            max_iterations: 500,
            ..BenchOptions::default()
        };
        let cfg = fixed.solver_config(300, 3);
        assert_eq!(
            (cfg.max_iterations, cfg.time_limit),
            (500, Some(fixed.time_limit))
        );
    }
}
