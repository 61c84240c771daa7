//! Long-horizon TOPTW instances for tuning and regression, written by code from a seed.
//!
//! The published long-horizon sets (Solomon c2/r2/rc2, Cordeau pr11–pr20) have few, long
//! routes: horizons of 960–3390 time units, wide windows and 40–100+ visits per route. Two
//! families imitate them without copying any file:
//!
//! * [`generated`]: new instances with the generator ideas of Solomon (1987) and Cordeau et
//!   al. (1997): random (`r`), clustered (`c`) and mixed (`rc`) customers on a 100 × 100 grid
//!   with Solomon's service times and horizons, and Cordeau-style (`p`) instances on a
//!   200 × 200 square with service 1–25 and profit 1–100; a share of the customers has a wide
//!   window, the rest none. 100–300 customers, m = 1–4.
//! * [`stretched`]: the files of `data/toptw` with every time value (depot horizon, windows)
//!   multiplied by 3 around the depot opening, travel and service unchanged: three times as
//!   many visits fit a route and windows become three times as wide.
//!
//! Both produce the standard file text (see FORMAT.txt), so the usual parser and the
//! independent validator apply unchanged.

use std::fmt::Write;

use super::parse::{InstanceSet, ParsedInstance};
use crate::rng::Rng;

/// One benchmark job whose file text lives in memory.
#[derive(Clone, Debug)]
pub struct TextJob {
    pub name: String,
    /// Family label shown in the report (`generated`, `stretched`).
    pub family: &'static str,
    /// Decides the distance truncation (1 or 2 decimals).
    pub set: InstanceSet,
    pub m: usize,
    pub text: String,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Random,
    Clustered,
    Mixed,
    Cordeau,
}

struct Point {
    x: f64,
    y: f64,
}

fn dist(a: &Point, b: &Point) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// A normal deviate (Box–Muller) for cluster spreads.
fn normal(rng: &mut Rng) -> f64 {
    let u = rng.f64().max(1e-12);
    let v = rng.f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn clustered_points(rng: &mut Rng, n: usize, clusters: usize, lo: f64, hi: f64) -> Vec<Point> {
    let centres: Vec<Point> = (0..clusters)
        .map(|_| Point {
            x: lo + 10.0 + rng.f64() * (hi - lo - 20.0),
            y: lo + 10.0 + rng.f64() * (hi - lo - 20.0),
        })
        .collect();
    (0..n)
        .map(|_| {
            let c = &centres[rng.below(clusters)];
            Point {
                x: (c.x + 5.0 * normal(rng)).clamp(lo, hi).round(),
                y: (c.y + 5.0 * normal(rng)).clamp(lo, hi).round(),
            }
        })
        .collect()
}

/// File text of one generated instance.
fn generate(kind: Kind, n: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    // (depot, horizon, service) per family, as in Solomon's type-2 sets / Cordeau's pr sets.
    let (depot, horizon) = match kind {
        Kind::Random => (Point { x: 35.0, y: 35.0 }, 1000.0),
        Kind::Clustered => (Point { x: 40.0, y: 50.0 }, 3390.0),
        Kind::Mixed => (Point { x: 40.0, y: 50.0 }, 960.0),
        Kind::Cordeau => (Point { x: 0.0, y: 0.0 }, 1000.0),
    };
    let pts: Vec<Point> = match kind {
        Kind::Random => (0..n)
            .map(|_| Point {
                x: rng.below(101) as f64,
                y: rng.below(101) as f64,
            })
            .collect(),
        Kind::Clustered => {
            let k = 8 + rng.below(5);
            clustered_points(&mut rng, n, k, 0.0, 100.0)
        }
        Kind::Mixed => {
            let mut p = clustered_points(&mut rng, n / 2, 8, 0.0, 100.0);
            p.extend((n / 2..n).map(|_| Point {
                x: rng.below(101) as f64,
                y: rng.below(101) as f64,
            }));
            p
        }
        Kind::Cordeau => (0..n)
            .map(|_| Point {
                x: ((rng.f64() * 200.0 - 100.0) * 1000.0).round() / 1000.0,
                y: ((rng.f64() * 200.0 - 100.0) * 1000.0).round() / 1000.0,
            })
            .collect(),
    };
    // Share of customers with a window and the window width range, drawn per instance
    // (Solomon varies the density 25–100 % across the instances of a set).
    let density = [0.25, 0.5, 0.75, 1.0][rng.below(4)];
    let (w_lo, w_hi) = match kind {
        Kind::Clustered => (160.0, 640.0),
        Kind::Cordeau => (150.0, 500.0),
        _ => (60.0, 480.0),
    };
    let mut text = String::new();
    let _ = writeln!(text, "0 1 {n} 0");
    let _ = writeln!(text, "0 0");
    let fmt_xy = |p: &Point| match kind {
        Kind::Cordeau => format!("{:.3} {:.3}", p.x, p.y),
        _ => format!("{:.0} {:.0}", p.x, p.y),
    };
    let _ = writeln!(text, "0 {} 0 0 0 0 0 {horizon:.0}", fmt_xy(&depot));
    for (i, p) in pts.iter().enumerate() {
        let (service, profit) = match kind {
            Kind::Random | Kind::Mixed => (10.0, 1 + rng.below(41)),
            Kind::Clustered => (90.0, 10 * (1 + rng.below(4))),
            Kind::Cordeau => ((1 + rng.below(25)) as f64, 1 + rng.below(100)),
        };
        let d0 = dist(&depot, p).ceil();
        // Latest start that still gets back to the depot in time.
        let latest = (horizon - d0 - service).floor();
        let (open, close) = if latest < d0 {
            (0.0, horizon)
        } else if rng.f64() < density {
            let width = (w_lo + rng.f64() * (w_hi - w_lo)).round();
            let centre = d0 + rng.f64() * (latest - d0);
            let open = (centre - width / 2.0).max(0.0).round();
            let close = (centre + width / 2.0).min(latest).round().max(open);
            (open, close)
        } else {
            (0.0, latest)
        };
        let _ = writeln!(
            text,
            "{} {} {service:.0} {profit} 0 0 {open:.0} {close:.0}",
            i + 1,
            fmt_xy(p)
        );
    }
    text
}

/// The generated long-horizon set: 12 instances of 100–300 customers, each at two values of
/// m (1 and 3, or 2 and 4).
pub fn generated() -> Vec<TextJob> {
    let specs = [
        (Kind::Random, "r", 100),
        (Kind::Random, "r", 200),
        (Kind::Random, "r", 300),
        (Kind::Clustered, "c", 100),
        (Kind::Clustered, "c", 200),
        (Kind::Clustered, "c", 300),
        (Kind::Mixed, "rc", 100),
        (Kind::Mixed, "rc", 200),
        (Kind::Mixed, "rc", 300),
        (Kind::Cordeau, "p", 144),
        (Kind::Cordeau, "p", 216),
        (Kind::Cordeau, "p", 288),
    ];
    let mut jobs = Vec::new();
    for (i, (kind, tag, n)) in specs.into_iter().enumerate() {
        let seed = 0x5eed_0000 + i as u64;
        let text = generate(kind, n, seed);
        let set = match kind {
            Kind::Cordeau => InstanceSet::Cordeau,
            _ => InstanceSet::Solomon,
        };
        for m in [1 + i % 2, 3 + i % 2] {
            jobs.push(TextJob {
                name: format!("g{tag}{n}"),
                family: "generated",
                set,
                m,
                text: text.clone(),
            });
        }
    }
    jobs
}

/// Time factor of the stretched set.
pub const STRETCH: f64 = 3.0;

/// The file text of `parsed` with every time value stretched by [`STRETCH`] around the depot
/// opening (other fields kept; the list fields are dropped, the format allows `a = 0`).
pub fn stretch(parsed: &ParsedInstance, set: InstanceSet) -> String {
    let t0 = parsed.vertices.first().map_or(0.0, |d| d.open);
    let s = |t: f64| t0 + (t - t0) * STRETCH;
    let mut text = String::new();
    let _ = writeln!(text, "0 1 {} 0", parsed.vertices.len().saturating_sub(1));
    let _ = writeln!(text, "0 0");
    // Times on the files' grid stay on it: at most 2 decimals in, at most 2 decimals out.
    let dec = set.decimals() as usize + 1;
    for v in &parsed.vertices {
        let _ = writeln!(
            text,
            "{} {:.3} {:.3} {} {} 0 0 {:.dec$} {:.dec$}",
            v.id,
            v.x,
            v.y,
            v.service,
            v.score,
            s(v.open),
            s(v.close)
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::parse::parse_instance;

    #[test]
    fn generated_files_parse_and_are_deterministic() {
        let a = generated();
        let b = generated();
        assert_eq!(a.len(), 24);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.text, y.text);
            let p = parse_instance(&x.text).unwrap();
            assert!((101..=301).contains(&p.vertices.len()));
            let depot = &p.vertices[0];
            assert!(depot.close >= 960.0);
            // Every window lies inside the horizon.
            assert!(
                p.vertices
                    .iter()
                    .all(|v| v.open >= 0.0 && v.close <= depot.close)
            );
        }
    }

    #[test]
    fn stretch_scales_times_only() {
        let text =
            "4 10 2 1\n0 200\n0 0 0 0 0 0 0 0 100\n1 3 4 1 10 1 1 1 10 50\n2 -1 0 2 7 1 0 20 30\n";
        let p = parse_instance(text).unwrap();
        let q = parse_instance(&stretch(&p, InstanceSet::Solomon)).unwrap();
        assert_eq!(q.vertices[0].close, 300.0);
        assert_eq!((q.vertices[1].open, q.vertices[1].close), (30.0, 150.0));
        assert_eq!((q.vertices[2].x, q.vertices[2].service), (-1.0, 2.0));
    }
}
