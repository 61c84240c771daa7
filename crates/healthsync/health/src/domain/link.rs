//! The stand-in rule `sex-ageband-hash/v1` (spec §4.4): public checkup data is anonymised
//! and cannot contain the user, so a user is linked to a person of the same sex and age
//! band from the dataset's latest year, chosen by a hash of the user's OIDC identity.

use chrono::{Datelike, NaiveDate};
use sha2::{Digest, Sha256};

use super::derived::age_band_of;

pub const RULE: &str = "sex-ageband-hash/v1";

/// The notice every health screen and the sync answer show for a stand-in link.
pub fn sample_notice(language: &str) -> &'static str {
    if language == "en" {
        "Sample data: these results belong to an anonymised person of your sex and age group from a national sample, not to you."
    } else {
        "샘플 데이터: 이 결과는 국가 표본에서 고른, 나와 성별·연령대가 같은 익명의 한 사람의 결과이며 본인의 결과가 아닙니다."
    }
}

/// Full years of age on 31 December of `year`; `None` when born after that day.
pub fn age_on_dec31(birth: NaiveDate, year: i32) -> Option<i64> {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31)?;
    if birth > dec31 {
        return None;
    }
    // Everyone born in `year` or earlier has had their birthday by 31 December.
    Some(i64::from(year - birth.year()))
}

/// The age band to link in: the user's own if it has candidates, else the nearest band
/// with candidates, the lower one first on a tie. `available` = bands with ≥ 1 person.
pub fn choose_band(own: i64, available: &[i64]) -> Option<i64> {
    available
        .iter()
        .copied()
        .min_by_key(|b| ((b - own).abs(), *b))
}

/// The age band of the user's age on 31 December of `year`.
pub fn band_for(birth: NaiveDate, year: i32) -> Option<i64> {
    age_on_dec31(birth, year).map(age_band_of)
}

/// Index among `count` candidates (ordered by member serial): first 8 bytes of
/// SHA-256(issuer + "|" + subject), unsigned big-endian, mod count.
pub fn stand_in_index(issuer: &str, subject: &str, count: u64) -> Option<u64> {
    if count == 0 {
        return None;
    }
    let digest = Sha256::digest(format!("{issuer}|{subject}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    Some(u64::from_be_bytes(first) % count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn age_and_band_on_december_31() {
        assert_eq!(age_on_dec31(date(1990, 12, 31), 2024), Some(34));
        assert_eq!(age_on_dec31(date(1990, 1, 1), 2024), Some(34));
        assert_eq!(age_on_dec31(date(2025, 1, 1), 2024), None);
        assert_eq!(band_for(date(1990, 6, 1), 2024), Some(7)); // 34 → 30–34
        assert_eq!(band_for(date(1989, 6, 1), 2024), Some(8)); // 35 → 35–39
    }

    #[test]
    fn nearest_band_lower_first() {
        assert_eq!(choose_band(7, &[5, 6, 7, 8]), Some(7));
        assert_eq!(choose_band(7, &[6, 8]), Some(6));
        assert_eq!(choose_band(7, &[8, 10]), Some(8));
        assert_eq!(choose_band(7, &[3, 10]), Some(10));
        assert_eq!(choose_band(7, &[]), None);
    }

    #[test]
    fn index_is_the_hash_mod_count() {
        let digest = Sha256::digest(b"https://accounts.google.com|1234");
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        let expected = u64::from_be_bytes(first) % 37;
        assert_eq!(
            stand_in_index("https://accounts.google.com", "1234", 37),
            Some(expected)
        );
        assert_eq!(stand_in_index("a", "b", 0), None);
        assert_eq!(stand_in_index("a", "b", 1), Some(0));
    }
}
