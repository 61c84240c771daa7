//! Rendering of benchmark rows: a human table with summaries, or a JSON array.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::BenchRow;

/// Per-group summary over rows with a known best value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub instances: usize,
    pub mean_gap_pct: f64,
    pub max_gap_pct: f64,
    pub hits: usize,
}

/// Summarises the rows that have a best-known value (infeasible rows count as gap 100 %).
pub fn summarize<'a>(rows: impl Iterator<Item = &'a BenchRow>) -> Summary {
    let mut s = Summary::default();
    let mut total = 0.0;
    for row in rows {
        if let Some(g) = row.gap_pct {
            s.instances += 1;
            total += g;
            s.max_gap_pct = s.max_gap_pct.max(g);
            if g <= 1e-9 {
                s.hits += 1;
            }
        }
    }
    if s.instances > 0 {
        s.mean_gap_pct = total / s.instances as f64;
    }
    s
}

pub fn render_table(rows: &[BenchRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<9} {:<9} {:>2} {:>7} {:>7} {:>7} {:>7} {:>8}",
        "instance", "set", "m", "score", "best", "gap%", "ms", "feasible"
    );
    for r in rows {
        let best = r
            .best
            .map(|b| format!("{b:.0}"))
            .unwrap_or_else(|| "-".into());
        let gap = r
            .gap_pct
            .map(|g| format!("{g:.2}"))
            .unwrap_or_else(|| "-".into());
        let flag = if r.best.is_some_and(|b| r.score > b + 1e-9) {
            "  ABOVE BEST"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<9} {:<9} {:>2} {:>7.0} {:>7} {:>7} {:>7} {:>8}{}",
            r.instance,
            r.set,
            r.m,
            r.score,
            best,
            gap,
            r.ms,
            if r.feasible { "yes" } else { "NO" },
            flag
        );
    }
    let _ = writeln!(out);
    let line = |out: &mut String, label: String, s: &Summary| {
        let _ = writeln!(
            out,
            "{label:<17} n={:>3}  mean gap {:>6.3} %  max gap {:>6.2} %  hits {:>3}/{}",
            s.instances, s.mean_gap_pct, s.max_gap_pct, s.hits, s.instances
        );
    };
    let mut sets: BTreeMap<&str, Vec<&BenchRow>> = BTreeMap::new();
    let mut ms: BTreeMap<usize, Vec<&BenchRow>> = BTreeMap::new();
    for r in rows {
        sets.entry(r.set.as_str()).or_default().push(r);
        ms.entry(r.m).or_default().push(r);
    }
    for (set, rs) in &sets {
        line(
            &mut out,
            format!("set {set}"),
            &summarize(rs.iter().copied()),
        );
    }
    for (m, rs) in &ms {
        line(&mut out, format!("m = {m}"), &summarize(rs.iter().copied()));
    }
    line(&mut out, "all".into(), &summarize(rows.iter()));
    let infeasible = rows.iter().filter(|r| !r.feasible).count();
    let above = rows
        .iter()
        .filter(|r| r.best.is_some_and(|b| r.score > b + 1e-9))
        .count();
    let n = rows.len().max(1) as f64;
    let mean_ms = rows.iter().map(|r| r.ms as f64).sum::<f64>() / n;
    let max_ms = rows.iter().map(|r| r.ms).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "time: mean {mean_ms:.0} ms, max {max_ms} ms over {} runs; infeasible: {infeasible}; above best known: {above}",
        rows.len()
    );
    out
}

pub fn render_json(rows: &[BenchRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, set: &str, m: usize, score: f64, best: Option<f64>) -> BenchRow {
        BenchRow {
            instance: name.into(),
            set: set.into(),
            m,
            score,
            best,
            gap_pct: best.map(|b| (b - score) / b * 100.0),
            ms: 10,
            feasible: true,
            routes: vec![vec![3, 1, 2]],
        }
    }

    #[test]
    fn json_uses_the_contract_field_names() {
        let json = render_json(&[row("c101", "solomon", 1, 320.0, Some(320.0))]);
        for key in [
            "\"instance\"",
            "\"set\"",
            "\"m\"",
            "\"score\"",
            "\"best\"",
            "\"gapPct\"",
            "\"ms\"",
            "\"feasible\"",
            "\"routes\"",
        ] {
            assert!(json.contains(key), "{key} missing in {json}");
        }
        let back: Vec<BenchRow> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0].routes, vec![vec![3, 1, 2]]);
    }

    #[test]
    fn summary_skips_unknown_best_and_counts_hits() {
        let rows = [
            row("a", "solomon", 1, 100.0, Some(100.0)),
            row("b", "solomon", 1, 90.0, Some(100.0)),
            row("r104", "solomon", 1, 50.0, None),
        ];
        let s = summarize(rows.iter());
        assert_eq!((s.instances, s.hits), (2, 1));
        assert!((s.mean_gap_pct - 5.0).abs() < 1e-9);
        assert!((s.max_gap_pct - 10.0).abs() < 1e-9);
        let table = render_table(&rows);
        assert!(table.contains("set solomon") && table.contains("m = 1") && table.contains("mean"));
    }
}
