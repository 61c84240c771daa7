//! Profile rules (HS-USER-020): every invalid field reported at once.

use chrono::{Datelike, NaiveDate};
use tripgen_platform::FieldError;

use super::occupations::occupation;

/// The profile completion request as received (everything optional so that a missing
/// field is a field error, not a malformed body).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub name: Option<String>,
    /// `YYYY-MM-DD`; age 19–100.
    pub birth_date: Option<String>,
    /// `male` or `female`.
    pub sex: Option<String>,
    pub occupation_code: Option<String>,
    /// Must be `true`.
    pub health_data_consent: Option<bool>,
    pub ai_consent: Option<bool>,
}

/// A valid profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub occupation_code: String,
    pub ai_consent: bool,
}

/// Full years of age on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i64 {
    let mut age = i64::from(today.year() - birth.year());
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

pub fn validate(input: &ProfileInput, today: NaiveDate) -> Result<ValidProfile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.as_deref().map(str::trim).unwrap_or("");
    if name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "REQUIRED",
            "이름을 입력하세요. / Enter your name.",
        ));
    } else if name.chars().count() > 50 {
        errors.push(FieldError::new(
            "name",
            "TOO_LONG",
            "이름은 50자 이하입니다. / At most 50 characters.",
        ));
    } else if name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "name",
            "INVALID_CHARACTERS",
            "이름에 제어 문자를 쓸 수 없습니다. / No control characters.",
        ));
    }
    let birth = match input.birth_date.as_deref() {
        None | Some("") => {
            errors.push(FieldError::new(
                "birthDate",
                "REQUIRED",
                "생년월일을 입력하세요. / Enter your birth date.",
            ));
            None
        }
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if s.len() == 10 => {
                let age = age_on(d, today);
                if (19..=100).contains(&age) {
                    Some(d)
                } else {
                    errors.push(FieldError::new(
                        "birthDate",
                        "OUT_OF_RANGE",
                        "만 19–100세만 가입할 수 있습니다. / Age must be 19–100.",
                    ));
                    None
                }
            }
            _ => {
                errors.push(FieldError::new(
                    "birthDate",
                    "INVALID_FORMAT",
                    "YYYY-MM-DD 형식이어야 합니다. / Use YYYY-MM-DD.",
                ));
                None
            }
        },
    };
    let sex = match input.sex.as_deref() {
        Some(s @ ("male" | "female")) => Some(s.to_string()),
        None => {
            errors.push(FieldError::new(
                "sex",
                "REQUIRED",
                "성별을 선택하세요. / Choose male or female.",
            ));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(
                "sex",
                "INVALID_VALUE",
                "male 또는 female이어야 합니다. / Must be male or female.",
            ));
            None
        }
    };
    let occupation_code = match input.occupation_code.as_deref() {
        None | Some("") => {
            errors.push(FieldError::new(
                "occupationCode",
                "REQUIRED",
                "직군을 선택하세요. / Choose an occupation.",
            ));
            None
        }
        Some(c) if occupation(c).is_some() => Some(c.to_string()),
        Some(_) => {
            errors.push(FieldError::new(
                "occupationCode",
                "INVALID_VALUE",
                "목록에 있는 직군이어야 합니다. / Not in the list.",
            ));
            None
        }
    };
    if input.health_data_consent != Some(true) {
        errors.push(FieldError::new(
            "healthDataConsent",
            if input.health_data_consent.is_none() {
                "REQUIRED"
            } else {
                "MUST_BE_TRUE"
            },
            "건강 데이터 이용에 동의해야 합니다. / Health-data consent is required.",
        ));
    }
    let ai_consent = match input.ai_consent {
        Some(b) => Some(b),
        None => {
            errors.push(FieldError::new(
                "aiConsent",
                "REQUIRED",
                "AI 이용 동의 여부를 선택하세요. / Choose whether to allow AI.",
            ));
            None
        }
    };
    match (birth, sex, occupation_code, ai_consent) {
        (Some(birth_date), Some(sex), Some(occupation_code), Some(ai_consent))
            if errors.is_empty() =>
        {
            Ok(ValidProfile {
                name: name.to_string(),
                birth_date,
                sex,
                occupation_code,
                ai_consent,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap_or_default()
    }

    fn good() -> ProfileInput {
        ProfileInput {
            name: Some("  김민지 ".into()),
            birth_date: Some("1990-03-02".into()),
            sex: Some("female".into()),
            occupation_code: Some("developer".into()),
            health_data_consent: Some(true),
            ai_consent: Some(false),
        }
    }

    #[test]
    fn valid_profile_is_trimmed() {
        let p = validate(&good(), today()).ok();
        assert_eq!(p.as_ref().map(|p| p.name.as_str()), Some("김민지"));
        assert_eq!(p.map(|p| p.ai_consent), Some(false));
    }

    #[test]
    fn every_invalid_field_at_once() {
        let bad = ProfileInput {
            name: Some("a\u{7}".into()),
            birth_date: Some("2010-01-01".into()),
            sex: Some("x".into()),
            occupation_code: Some("astronaut".into()),
            health_data_consent: Some(false),
            ai_consent: None,
        };
        let errors = validate(&bad, today()).err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "birthDate",
                "sex",
                "occupationCode",
                "healthDataConsent",
                "aiConsent"
            ]
        );
    }

    #[test]
    fn age_limits_19_to_100() {
        let at = |b: &str| {
            validate(
                &ProfileInput {
                    birth_date: Some(b.into()),
                    ..good()
                },
                today(),
            )
            .is_ok()
        };
        assert!(at("2007-06-15")); // 19 today
        assert!(!at("2007-06-16")); // 18
        assert!(at("1925-06-16")); // 100
        assert!(!at("1925-06-15")); // 101
        assert!(!at("1990-02-30"));
        assert!(!at("1990-3-2"));
        assert_eq!(
            age_on(
                NaiveDate::from_ymd_opt(1990, 6, 16).unwrap_or_default(),
                today()
            ),
            35
        );
        let long = "가".repeat(51);
        assert!(
            validate(
                &ProfileInput {
                    name: Some(long),
                    ..good()
                },
                today()
            )
            .is_err()
        );
        assert!(
            validate(
                &ProfileInput {
                    name: Some("가".repeat(50)),
                    ..good()
                },
                today()
            )
            .is_ok()
        );
    }
}
