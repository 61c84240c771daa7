//! Half-up rounding at an item's precision (spec §4.2: "values are rounded half-up to it
//! first"). Values travel as `f64`; a tiny relative nudge keeps decimal halves such as
//! 24.45 (stored as 24.4499999…) rounding up as a person reading the number expects.

/// Rounds `value` half-up (away from zero for negatives) to `decimals` places.
pub fn round_half_up(value: f64, decimals: u32) -> f64 {
    if !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(decimals as i32);
    let scaled = value.abs() * scale;
    // 1e-9 relative: far below any precision we use, far above f64's representation error.
    let rounded = (scaled + 0.5 + scaled.max(1.0) * 1e-9).floor() / scale;
    if value < 0.0 { -rounded } else { rounded }
}

#[cfg(test)]
mod tests {
    use super::round_half_up;

    #[test]
    fn halves_round_up_at_each_precision() {
        assert_eq!(round_half_up(24.45, 1), 24.5);
        assert_eq!(round_half_up(24.44, 1), 24.4);
        assert_eq!(round_half_up(119.5, 0), 120.0);
        assert_eq!(round_half_up(119.49, 0), 119.0);
        assert_eq!(round_half_up(1.005, 2), 1.01);
        assert_eq!(round_half_up(22.95, 1), 23.0);
        assert_eq!(round_half_up(-2.5, 0), -3.0);
        assert_eq!(round_half_up(0.0, 1), 0.0);
    }
}
