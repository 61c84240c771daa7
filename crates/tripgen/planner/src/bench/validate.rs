//! Independent TOPTW solution validator.
//!
//! Shares NO code with the solver or with `bench::parse`: it re-reads the raw file text with
//! its own fixed-point number parser, computes distances in exact integer arithmetic (integer
//! square root, then truncation to 1 or 2 decimals) and walks every route itself. A rounding
//! bug in the solver path therefore shows up as an infeasible route or a score mismatch.

/// Fixed-point unit: 1e-4 (the files use at most 3 decimals).
const SCALE_DIGITS: u32 = 4;
const SCALE: i64 = 10_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Validation {
    pub feasible: bool,
    /// Sum of profits of the visited vertices (0 if infeasible is NOT applied here: callers
    /// decide; the bench scores an infeasible solution 0).
    pub score: f64,
    pub errors: Vec<String>,
}

struct Point {
    x: i64,
    y: i64,
    service: i64,
    profit: i64,
    open: i64,
    close: i64,
}

/// Parses a decimal like `-12.345` into units of 1e-4, exactly.
fn fixed(tok: &str) -> Option<i64> {
    let (neg, body) = match tok.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, tok.strip_prefix('+').unwrap_or(tok)),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // Extra digits beyond our precision must be zeros, otherwise we cannot be exact.
    let (kept, rest) = if frac_part.len() > SCALE_DIGITS as usize {
        frac_part.split_at(SCALE_DIGITS as usize)
    } else {
        (frac_part, "")
    };
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let mut v: i64 = 0;
    for b in int_part.bytes() {
        v = v.checked_mul(10)?.checked_add((b - b'0') as i64)?;
    }
    for i in 0..SCALE_DIGITS as usize {
        let d = kept
            .as_bytes()
            .get(i)
            .map(|b| (b - b'0') as i64)
            .unwrap_or(0);
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(if neg { -v } else { v })
}

/// floor(sqrt(n)) for n >= 0, by Newton iteration on integers.
fn isqrt(n: u128) -> u128 {
    if n < 2 {
        return n;
    }
    let mut x = n;
    let mut y = x.div_ceil(2);
    while y < x {
        x = y;
        y = (x + n / x) / 2;
    }
    x
}

fn read_points(text: &str) -> Result<Vec<Point>, String> {
    let mut rows = text.lines().map(str::trim).filter(|l| !l.is_empty());
    rows.next().ok_or("empty file")?;
    rows.next().ok_or("missing second line")?;
    let mut pts = Vec::new();
    for (k, row) in rows.enumerate() {
        let f: Vec<&str> = row.split_whitespace().collect();
        if f.len() < 9 {
            return Err(format!("vertex row {k} has {} fields", f.len()));
        }
        let get = |i: usize| fixed(f[i]).ok_or(format!("vertex row {k}: bad number '{}'", f[i]));
        pts.push(Point {
            x: get(1)?,
            y: get(2)?,
            service: get(3)?,
            profit: get(4)?,
            open: get(f.len() - 2)?,
            close: get(f.len() - 1)?,
        });
    }
    if pts.is_empty() {
        return Err("no depot".into());
    }
    Ok(pts)
}

/// Truncated Euclidean distance in 1e-4 units.
fn dist(a: &Point, b: &Point, decimals: u32) -> i64 {
    let dx = (a.x - b.x) as i128;
    let dy = (a.y - b.y) as i128;
    let root = isqrt((dx * dx + dy * dy) as u128) as i64; // floor of the exact distance
    let step = 10i64.pow(SCALE_DIGITS.saturating_sub(decimals));
    (root / step) * step
}

/// Validates `routes` (vertex numbers, depot excluded) for `m` paths against the file text.
pub fn validate_solution(text: &str, decimals: u32, m: usize, routes: &[Vec<usize>]) -> Validation {
    let mut errors = Vec::new();
    let pts = match read_points(text) {
        Ok(p) => p,
        Err(e) => {
            return Validation {
                feasible: false,
                score: 0.0,
                errors: vec![e],
            };
        }
    };
    if routes.len() > m {
        errors.push(format!("{} routes for m = {m}", routes.len()));
    }
    let mut seen = vec![false; pts.len()];
    let mut profit: i64 = 0;
    let depot = &pts[0];
    for (ri, route) in routes.iter().enumerate() {
        let mut t = depot.open;
        let mut at = 0usize;
        for &v in route {
            if v == 0 || v >= pts.len() {
                errors.push(format!("route {ri}: vertex {v} does not exist"));
                continue;
            }
            if seen[v] {
                errors.push(format!("vertex {v} visited twice"));
            }
            seen[v] = true;
            t += dist(&pts[at], &pts[v], decimals);
            if t > pts[v].close {
                errors.push(format!(
                    "route {ri}: vertex {v} reached at {} after its close {}",
                    t as f64 / SCALE as f64,
                    pts[v].close as f64 / SCALE as f64
                ));
            }
            t = t.max(pts[v].open) + pts[v].service;
            profit += pts[v].profit;
            at = v;
        }
        t += dist(&pts[at], depot, decimals);
        if t > depot.close {
            errors.push(format!(
                "route {ri}: back at the depot at {} after the budget {}",
                t as f64 / SCALE as f64,
                depot.close as f64 / SCALE as f64
            ));
        }
    }
    Validation {
        feasible: errors.is_empty(),
        score: profit as f64 / SCALE as f64,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_is_exact() {
        assert_eq!(fixed("12.345"), Some(123_450));
        assert_eq!(fixed("-0.5"), Some(-5_000));
        assert_eq!(fixed("7"), Some(70_000));
        assert_eq!(fixed("1.00000"), Some(10_000));
        assert_eq!(fixed("1.00001"), None);
        assert_eq!(fixed("abc"), None);
        assert_eq!(fixed("-"), None);
    }

    #[test]
    fn isqrt_is_floor() {
        for n in 0u128..2000 {
            let r = isqrt(n);
            assert!(r * r <= n && (r + 1) * (r + 1) > n);
        }
    }

    #[test]
    fn truncates_not_rounds() {
        let a = Point {
            x: 0,
            y: 0,
            service: 0,
            profit: 0,
            open: 0,
            close: 0,
        };
        // distance sqrt(2) = 1.41421… → 1.4 with one decimal, 1.41 with two
        let b = Point {
            x: SCALE,
            y: SCALE,
            service: 0,
            profit: 0,
            open: 0,
            close: 0,
        };
        assert_eq!(dist(&a, &b, 1), 14_000);
        assert_eq!(dist(&a, &b, 2), 14_100);
        // 0.99 + rounding would give 1.0; truncation keeps 0.9
        let c = Point {
            x: 9_900,
            y: 0,
            service: 0,
            profit: 0,
            open: 0,
            close: 0,
        };
        assert_eq!(dist(&a, &c, 1), 9_000);
    }

    const FILE: &str = "1 1 2 1\n0 0\n0 0 0 0 0 0 0 0 10\n1 1.5 0 1 5 0 0 0 3\n2 3 0 0 7 0 0 0 4\n";

    #[test]
    fn walks_routes() {
        // depot → 1 (1.5, start 1.5, end 2.5) → 2 (arrive 4.0 ≤ 4) → depot at 7 ≤ 10
        let ok = validate_solution(FILE, 1, 1, &[vec![1, 2]]);
        assert!(ok.feasible, "{:?}", ok.errors);
        assert_eq!(ok.score, 12.0);
        let dup = validate_solution(FILE, 1, 2, &[vec![1], vec![1]]);
        assert!(!dup.feasible);
        let late = validate_solution(FILE, 1, 1, &[vec![2, 1]]);
        assert!(!late.feasible);
        let too_many = validate_solution(FILE, 1, 1, &[vec![1], vec![2]]);
        assert!(!too_many.feasible);
        let bad = validate_solution(FILE, 1, 1, &[vec![9]]);
        assert!(!bad.feasible);
    }
}
