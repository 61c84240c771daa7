//! Checks every model answer must pass before a user sees it (spec §7 Validation): the
//! language, single lines, no disease assertion, no medication or dosage advice, no URLs.
//! A failure names the check, never the content.

/// Phrases that assert a disease (ko/en); texts may describe bands only.
const DISEASE_ASSERTIONS: &[&str] = &[
    "you have diabetes",
    "you have hypertension",
    "you have cancer",
    "you have a disease",
    "you are diabetic",
    "diagnosed with",
    "diagnosis of",
    "당뇨병입니다",
    "고혈압입니다",
    "진단됩니다",
    "진단합니다",
    "질환입니다",
    "병입니다",
    "암입니다",
];

const MEDICATION: &[&str] = &[
    "medication",
    "medicine",
    "dosage",
    " mg ",
    "pill",
    "metformin",
    "statin",
    "복용",
    "처방",
    "약을 드",
    "약물",
];

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// `Err(check)` when `text` must not be shown.
pub fn check(text: &str, language: &str) -> Result<(), &'static str> {
    let lower = format!(" {} ", text.to_lowercase());
    if text.contains('\n') || text.contains('\r') {
        return Err("line_break");
    }
    if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") {
        return Err("url");
    }
    if DISEASE_ASSERTIONS.iter().any(|p| lower.contains(p)) {
        return Err("disease_assertion");
    }
    if MEDICATION.iter().any(|p| lower.contains(p)) {
        return Err("medication");
    }
    match (language, has_hangul(text)) {
        ("ko", false) => Err("language"),
        ("en", true) => Err("language"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_diagnoses_medication_urls_and_the_wrong_language() {
        assert_eq!(
            check("You have diabetes, sadly.", "en"),
            Err("disease_assertion")
        );
        assert_eq!(
            check("혈당이 높아 당뇨병입니다.", "ko"),
            Err("disease_assertion")
        );
        assert_eq!(
            check("Take 500 mg of metformin daily.", "en"),
            Err("medication")
        );
        assert_eq!(check("See https://example.com for more.", "en"), Err("url"));
        assert_eq!(check("Walk more every day please.", "ko"), Err("language"));
        assert_eq!(check("line one\nline two", "en"), Err("line_break"));
        assert_eq!(
            check("혈압이 주의 범위예요. 걷기를 늘려 보세요.", "ko"),
            Ok(())
        );
        assert_eq!(
            check("Blood pressure is in the warning band.", "en"),
            Ok(())
        );
    }
}
