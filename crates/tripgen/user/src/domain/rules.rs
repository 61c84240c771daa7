//! Sign-up and profile field rules (USER-010, USER-030). Each check returns the stable
//! code and an English message; the web app translates by code.

/// Display name: at least 2 letters, Hangul or Latin (accents allowed), with spaces,
/// hyphens, apostrophes or dots between words; at most 30 characters.
pub fn check_name(name: &str) -> Result<(), (&'static str, &'static str)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(("REQUIRED", "Enter your name."));
    }
    if name.chars().count() > 30 {
        return Err(("TOO_LONG", "A name has at most 30 characters."));
    }
    let mut letters = 0;
    for c in name.chars() {
        // A Hangul filler (U+3164 …) sits in the Jamo block but draws nothing.
        if (is_hangul(c) && !tripgen_platform::text::is_invisible(c)) || is_latin_letter(c) {
            letters += 1;
        } else if !matches!(c, ' ' | '-' | '\'' | '.') {
            return Err((
                "INVALID_CHARACTERS",
                "A name may only contain Hangul or Latin letters.",
            ));
        }
    }
    if letters < 2 {
        return Err(("TOO_SHORT", "A name has at least 2 letters."));
    }
    Ok(())
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (matches!(c, '\u{00C0}'..='\u{024F}') && c.is_alphabetic())
}

/// Username: 5–20 ASCII letters and digits. Compared case-insensitively.
pub fn check_username(username: &str) -> Result<(), (&'static str, &'static str)> {
    if username.is_empty() {
        return Err(("REQUIRED", "Choose a username."));
    }
    if !username.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err((
            "INVALID_CHARACTERS",
            "A username may only contain letters and digits.",
        ));
    }
    let n = username.chars().count();
    if n < 5 {
        return Err(("TOO_SHORT", "A username has at least 5 characters."));
    }
    if n > 20 {
        return Err(("TOO_LONG", "A username has at most 20 characters."));
    }
    Ok(())
}

pub fn username_key(username: &str) -> String {
    username.to_ascii_lowercase()
}

/// E-mail address: a pragmatic check (one `@`, a dotted domain of letters, digits and
/// hyphens, no spaces), ≤ 254 characters. Returned lower-cased for storage.
pub fn normalize_email(email: &str) -> Result<String, (&'static str, &'static str)> {
    let email = email.trim();
    if email.is_empty() {
        return Err(("REQUIRED", "Enter your e-mail address."));
    }
    let invalid = ("INVALID_FORMAT", "Enter a valid e-mail address.");
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid);
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(invalid);
    };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return Err(invalid);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.len() > 63
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    {
        return Err(invalid);
    }
    Ok(email.to_lowercase())
}

/// Mobile phone: Korean `01X-XXX(X)-XXXX` (dashes optional) or international E.164
/// (`+` and 8–15 digits). Returned in a canonical form: Korean numbers dashed.
pub fn normalize_phone(phone: &str) -> Result<String, (&'static str, &'static str)> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Err(("REQUIRED", "Enter your mobile phone number."));
    }
    let invalid = (
        "INVALID_FORMAT",
        "Enter a mobile number like 010-1234-5678 or +821012345678.",
    );
    if let Some(rest) = phone.strip_prefix('+') {
        let digits: String = rest.chars().filter(|c| *c != ' ' && *c != '-').collect();
        if digits.len() >= 8
            && digits.len() <= 15
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
        {
            return Ok(format!("+{digits}"));
        }
        return Err(invalid);
    }
    let parts: Vec<&str> = phone.split('-').collect();
    let (a, b, c) = match parts.as_slice() {
        [a, b, c] => (a.to_string(), b.to_string(), c.to_string()),
        [all] if all.len() == 10 || all.len() == 11 => {
            let mid = all.len() - 7;
            (
                all[..3].to_string(),
                all[3..3 + mid].to_string(),
                all[3 + mid..].to_string(),
            )
        }
        _ => return Err(invalid),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let prefix_ok =
        a.len() == 3 && a.starts_with("01") && matches!(&a[2..], "0" | "1" | "6" | "7" | "8" | "9");
    if prefix_ok && digits(&b) && digits(&c) && (b.len() == 3 || b.len() == 4) && c.len() == 4 {
        Ok(format!("{a}-{b}-{c}"))
    } else {
        Err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name("김민지").is_ok());
        assert!(check_name("Jo").is_ok());
        assert!(check_name("José María").is_ok());
        assert_eq!(check_name("J").unwrap_err().0, "TOO_SHORT");
        assert_eq!(check_name("R2D2").unwrap_err().0, "INVALID_CHARACTERS");
        assert_eq!(check_name("  ").unwrap_err().0, "REQUIRED");
        assert_eq!(
            check_name("\u{3164}\u{3164}").unwrap_err().0,
            "INVALID_CHARACTERS"
        );
    }

    #[test]
    fn usernames() {
        assert!(check_username("jimin01").is_ok());
        assert_eq!(check_username("jim").unwrap_err().0, "TOO_SHORT");
        assert_eq!(
            check_username("ji_min").unwrap_err().0,
            "INVALID_CHARACTERS"
        );
        assert_eq!(
            check_username("한글아이디다").unwrap_err().0,
            "INVALID_CHARACTERS"
        );
    }

    #[test]
    fn emails() {
        assert_eq!(normalize_email(" A@Example.COM ").unwrap(), "a@example.com");
        for bad in [
            "a",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "@b.com",
            "a@-b.com",
            "a@b..com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("010-1234-5678").unwrap(), "010-1234-5678");
        assert_eq!(normalize_phone("01012345678").unwrap(), "010-1234-5678");
        assert_eq!(normalize_phone("011-123-4567").unwrap(), "011-123-4567");
        assert_eq!(normalize_phone("+49 151 2345678").unwrap(), "+491512345678");
        for bad in [
            "02-123-4567",
            "010-12-5678",
            "+0123456789",
            "abc",
            "010-1234-567",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
    }
}
