//! Loader for `best_known.csv` (`instance,set,m,score,status`).

use super::parse::InstanceSet;

#[derive(Clone, Debug, PartialEq)]
pub struct BestKnown {
    pub instance: String,
    pub set: InstanceSet,
    pub m: usize,
    /// `None` when the score column is empty (no known value).
    pub score: Option<f64>,
    /// `proven_optimal` or `best_known`.
    pub status: String,
}

impl BestKnown {
    pub fn is_proven_optimal(&self) -> bool {
        self.status == "proven_optimal"
    }
}

/// Parses the CSV text; errors name the line.
pub fn parse_best_known(text: &str) -> Result<Vec<BestKnown>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if i == 0
            && f.first()
                .is_some_and(|h| h.eq_ignore_ascii_case("instance"))
        {
            continue;
        }
        if f.len() < 4 {
            return Err(format!(
                "line {}: expected instance,set,m,score,status",
                i + 1
            ));
        }
        let set = InstanceSet::from_name(f[1])
            .ok_or_else(|| format!("line {}: unknown set '{}'", i + 1, f[1]))?;
        let m: usize = f[2]
            .parse()
            .map_err(|_| format!("line {}: m '{}' is not a count", i + 1, f[2]))?;
        if m == 0 {
            return Err(format!("line {}: m must be at least 1", i + 1));
        }
        let score = if f[3].is_empty() {
            None
        } else {
            let s: f64 = f[3]
                .parse()
                .map_err(|_| format!("line {}: score '{}' is not a number", i + 1, f[3]))?;
            if !s.is_finite() || s < 0.0 {
                return Err(format!("line {}: score '{}' is out of range", i + 1, f[3]));
            }
            Some(s)
        };
        if f[0].is_empty() {
            return Err(format!("line {}: empty instance name", i + 1));
        }
        out.push(BestKnown {
            instance: f[0].to_string(),
            set,
            m,
            score,
            status: f.get(4).map(|s| s.to_string()).unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_and_rejects_garbage() {
        let rows = parse_best_known(
            "instance,set,m,score,status\npr01,cordeau,1,308,proven_optimal\nr104,solomon,1,,\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].score, Some(308.0));
        assert!(rows[0].is_proven_optimal());
        assert_eq!(rows[1].score, None);
        assert!(parse_best_known("x,mars,1,3,a\n").is_err());
        assert!(parse_best_known("x,solomon,zero,3,a\n").is_err());
        assert!(parse_best_known("x,solomon,1\n").is_err());
    }
}
