//! Parser for the TOPTW instance files (Righini & Salani / Montemanni format, see
//! FORMAT.txt) into floating-point data for the solver. Never panics: malformed input gives a
//! [`ParseError`] with the line number.

use std::fmt;

/// Which benchmark family a file belongs to; decides the distance truncation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceSet {
    Solomon,
    Cordeau,
}

impl InstanceSet {
    pub fn name(self) -> &'static str {
        match self {
            InstanceSet::Solomon => "solomon",
            InstanceSet::Cordeau => "cordeau",
        }
    }
    pub fn from_name(s: &str) -> Option<InstanceSet> {
        match s.trim().to_ascii_lowercase().as_str() {
            "solomon" => Some(InstanceSet::Solomon),
            "cordeau" => Some(InstanceSet::Cordeau),
            _ => None,
        }
    }
    /// Decimals kept when truncating Euclidean distances.
    pub fn decimals(self) -> u32 {
        match self {
            InstanceSet::Solomon => 1,
            InstanceSet::Cordeau => 2,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Vertex {
    pub id: usize,
    pub x: f64,
    pub y: f64,
    pub service: f64,
    pub score: f64,
    pub open: f64,
    pub close: f64,
}

/// Vertex 0 is the depot.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedInstance {
    pub vertices: Vec<Vertex>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

fn num(tok: &str, line: usize, what: &str) -> Result<f64, ParseError> {
    let v: f64 = tok
        .parse()
        .map_err(|_| err(line, format!("{what}: '{tok}' is not a number")))?;
    if !v.is_finite() {
        return Err(err(line, format!("{what}: '{tok}' is not finite")));
    }
    Ok(v)
}

/// Parses one instance file.
pub fn parse_instance(text: &str) -> Result<ParsedInstance, ParseError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let (hl, header) = lines.next().ok_or_else(|| err(1, "empty file"))?;
    let head: Vec<&str> = header.split_whitespace().collect();
    if head.len() < 3 {
        return Err(err(hl, "first line must be 'k v N t'"));
    }
    let n_f = num(head[2], hl, "N")?;
    if n_f < 0.0 || n_f.fract() != 0.0 || n_f > 1_000_000.0 {
        return Err(err(hl, format!("N = {} is not a vertex count", head[2])));
    }
    let n = n_f as usize;
    let (l2, second) = lines
        .next()
        .ok_or_else(|| err(hl + 1, "missing second line 'D Q'"))?;
    if second.split_whitespace().count() < 2 {
        return Err(err(l2, "second line must be 'D Q'"));
    }
    let mut vertices = Vec::with_capacity(n + 1);
    for (ln, line) in lines {
        if vertices.len() > n {
            return Err(err(ln, format!("more than N + 1 = {} vertex lines", n + 1)));
        }
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.len() < 9 {
            return Err(err(
                ln,
                format!("vertex line needs at least 9 fields, got {}", t.len()),
            ));
        }
        let id = num(t[0], ln, "vertex number")?;
        if id != vertices.len() as f64 {
            return Err(err(
                ln,
                format!("expected vertex {}, found {}", vertices.len(), t[0]),
            ));
        }
        let a = num(t[6], ln, "list length a")?;
        if a < 0.0 || a.fract() != 0.0 || 7 + a as usize + 2 != t.len() {
            return Err(err(
                ln,
                format!(
                    "list length a = {} does not match the {} fields of the line",
                    t[6],
                    t.len()
                ),
            ));
        }
        let v = Vertex {
            id: vertices.len(),
            x: num(t[1], ln, "x")?,
            y: num(t[2], ln, "y")?,
            service: num(t[3], ln, "service duration")?,
            score: num(t[4], ln, "profit")?,
            open: num(t[t.len() - 2], ln, "opening time")?,
            close: num(t[t.len() - 1], ln, "closing time")?,
        };
        if v.service < 0.0 {
            return Err(err(ln, "negative service duration"));
        }
        if v.close < v.open {
            return Err(err(ln, "time window closes before it opens"));
        }
        vertices.push(v);
    }
    if vertices.len() != n + 1 {
        return Err(err(
            text.lines().count(),
            format!("expected {} vertex lines, found {}", n + 1, vertices.len()),
        ));
    }
    Ok(ParsedInstance { vertices })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "4 10 2 1\n0 200\n  0 0.00 0.00 0.00 0.00 0 0 0 100\n  1 3.00 4.00 1.00 10.00 1 1 1 0 50\n 2 -1 0 2 7 1 4 1 2 4 8 10 20\n";

    #[test]
    fn parses_tiny_file() {
        let p = parse_instance(TINY).unwrap();
        assert_eq!(p.vertices.len(), 3);
        assert_eq!(p.vertices[1].score, 10.0);
        assert_eq!(p.vertices[2].open, 10.0);
        assert_eq!(p.vertices[2].close, 20.0);
        assert_eq!(p.vertices[0].close, 100.0);
    }

    #[test]
    fn malformed_inputs_are_errors() {
        assert!(parse_instance("").is_err());
        assert!(parse_instance("4 10 x 1\n0 200\n").is_err());
        let missing = "4 10 2 1\n0 200\n0 0 0 0 0 0 0 0 100\n";
        assert!(
            parse_instance(missing)
                .unwrap_err()
                .message
                .contains("expected 3")
        );
        let bad_a = "4 10 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 1 1 1 1 3 1 0 50\n";
        assert_eq!(parse_instance(bad_a).unwrap_err().line, 4);
        let bad_num = "4 10 1 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 1 y 1 1 1 1 1 0 50\n";
        assert!(parse_instance(bad_num).unwrap_err().message.contains("'y'"));
    }
}
