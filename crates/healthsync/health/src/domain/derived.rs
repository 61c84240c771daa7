//! Values derived from a checkup row: BMI from the 5 cm / 5 kg bins and eGFR (CKD-EPI 2021)
//! from serum creatinine, sex and the age band's midpoint (spec §2.2).

use super::ranges::Sex;
use super::rounding::round_half_up;

/// Width of the NHIS height and weight bins; their values are the lower bounds.
const BIN: f64 = 5.0;

/// BMI from binned height (cm) and weight (kg): the bins' midpoints, rounded half-up to one
/// decimal. `None` when either is missing or not positive.
pub fn bmi(height_bin_cm: Option<f64>, weight_bin_kg: Option<f64>) -> Option<f64> {
    let height_m = (height_bin_cm? + BIN / 2.0) / 100.0;
    let weight = weight_bin_kg? + BIN / 2.0;
    if height_m <= 0.0 || weight <= 0.0 {
        return None;
    }
    Some(round_half_up(weight / (height_m * height_m), 1))
}

/// The midpoint age of an NHIS 5-year age band (code k = ages 5k−5 … 5k−1; 18 = 85+,
/// taken as 85–89). `None` outside 1–18.
pub fn age_band_midpoint(age_band: i64) -> Option<i64> {
    (1..=18).contains(&age_band).then(|| 5 * age_band - 3)
}

/// The age band code of an age in full years (20 → 5, 85 and over → 18).
pub fn age_band_of(age: i64) -> i64 {
    (age / 5 + 1).clamp(1, 18)
}

/// eGFR in mL/min/1.73 m² by CKD-EPI 2021 (race-free), unrounded.
pub fn egfr(creatinine_mg_dl: Option<f64>, sex: Sex, age: i64) -> Option<f64> {
    let scr = creatinine_mg_dl?;
    if scr <= 0.0 || !scr.is_finite() {
        return None;
    }
    let (kappa, alpha, factor) = match sex {
        Sex::Female => (0.7, -0.241, 1.012),
        Sex::Male => (0.9, -0.302, 1.0),
    };
    let ratio = scr / kappa;
    let age = i32::try_from(age).ok()?;
    Some(
        142.0
            * ratio.min(1.0).powf(alpha)
            * ratio.max(1.0).powf(-1.200)
            * 0.9938f64.powi(age)
            * factor,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bmi_uses_bin_midpoints() {
        // 170 cm / 65 kg bins → 172.5 cm, 67.5 kg → 22.68… → 22.7.
        assert_eq!(bmi(Some(170.0), Some(65.0)), Some(22.7));
        // 160 / 60 → 162.5, 62.5 → 23.67 → 23.7.
        assert_eq!(bmi(Some(160.0), Some(60.0)), Some(23.7));
        assert_eq!(bmi(None, Some(60.0)), None);
        assert_eq!(bmi(Some(170.0), None), None);
    }

    #[test]
    fn age_bands() {
        assert_eq!(age_band_midpoint(5), Some(22));
        assert_eq!(age_band_midpoint(9), Some(42));
        assert_eq!(age_band_midpoint(18), Some(87));
        assert_eq!(age_band_midpoint(0), None);
        assert_eq!(age_band_midpoint(19), None);
        assert_eq!(age_band_of(20), 5);
        assert_eq!(age_band_of(24), 5);
        assert_eq!(age_band_of(25), 6);
        assert_eq!(age_band_of(100), 18);
    }

    #[test]
    fn egfr_ckd_epi_2021_reference_values() {
        // As the NKF CKD-EPI 2021 calculator: male, 50 y, Scr 1.0 → 92; female, 50 y,
        // Scr 0.8 → 90; male, 60 y, Scr 2.0 → 38 (37.5).
        let r = |v: Option<f64>| v.map(|x| x.round() as i64);
        assert_eq!(r(egfr(Some(1.0), Sex::Male, 50)), Some(92));
        assert_eq!(r(egfr(Some(0.8), Sex::Female, 50)), Some(90));
        assert_eq!(r(egfr(Some(2.0), Sex::Male, 60)), Some(38));
        assert_eq!(egfr(Some(0.0), Sex::Male, 60), None);
        assert_eq!(egfr(None, Sex::Male, 60), None);
    }
}
