//! Password rules (≥ 8 characters with a letter, a digit and a special character) and the
//! strength the sign-up form shows. The server computes strength so every client agrees.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Weak,
    Medium,
    Strong,
}

/// Every rule the password breaks, as (code, message).
pub fn violations(password: &str) -> Vec<(&'static str, &'static str)> {
    let mut v = Vec::new();
    if password.is_empty() {
        v.push(("REQUIRED", "Choose a password."));
        return v;
    }
    if password.chars().count() < 8 {
        v.push(("TOO_SHORT", "A password has at least 8 characters."));
    }
    if password.chars().count() > 128 {
        v.push(("TOO_LONG", "A password has at most 128 characters."));
    }
    if !password.chars().any(|c| c.is_alphabetic()) {
        v.push(("MISSING_LETTER", "Include at least one letter."));
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        v.push(("MISSING_DIGIT", "Include at least one digit."));
    }
    if !password.chars().any(is_special) {
        v.push((
            "MISSING_SPECIAL",
            "Include at least one special character such as ! @ # $.",
        ));
    }
    v
}

fn is_special(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// Weak: breaks a rule or contains the username. Strong: ≥ 12 characters and all four
/// kinds (lower, upper, digit, special), or ≥ 16 characters with three. Else medium.
pub fn strength(password: &str, username: Option<&str>) -> Strength {
    if !violations(password).is_empty() {
        return Strength::Weak;
    }
    if let Some(u) = username
        && u.len() >= 3
        && password.to_lowercase().contains(&u.to_lowercase())
    {
        return Strength::Weak;
    }
    let len = password.chars().count();
    let kinds = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(is_special),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if (len >= 12 && kinds == 4) || (len >= 16 && kinds >= 3) {
        Strength::Strong
    } else {
        Strength::Medium
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(violations("abcdef1!").is_empty());
        let codes: Vec<_> = violations("abc").iter().map(|v| v.0).collect();
        assert_eq!(codes, ["TOO_SHORT", "MISSING_DIGIT", "MISSING_SPECIAL"]);
        assert_eq!(violations("")[0].0, "REQUIRED");
    }

    #[test]
    fn strengths() {
        assert_eq!(strength("abc", None), Strength::Weak);
        assert_eq!(strength("abcdef1!", None), Strength::Medium);
        assert_eq!(strength("Abcdef1!ghij", None), Strength::Strong);
        assert_eq!(strength("jimin01!xyz", Some("jimin01")), Strength::Weak);
    }
}
