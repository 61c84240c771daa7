//! The key city names are compared by: Unicode NFKD, combining marks removed, case folded,
//! only letters and digits kept. So `Munchen`, `MÜNCHEN` and `München` meet, `Sankt-Peterburg`
//! and `sankt peterburg` too, in every script (Hangul syllables decompose into jamo, so a
//! half-typed syllable still prefixes the name).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The folded key of a name (empty when it has no letters or digits).
pub fn name_key(text: &str) -> String {
    // Most names are ASCII, where NFKD is the identity: skip it (the world file's load).
    if text.is_ascii() {
        return text
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            // `to_lowercase` is simple case mapping; these are the full case foldings
            // (Unicode CaseFolding.txt status F/T) that occur in place names.
            match l {
                'ß' | 'ẞ' => out.push_str("ss"),
                'ς' => out.push('σ'),
                l if is_combining_mark(l) => {}
                l if l.is_alphanumeric() => out.push(l),
                _ => {}
            }
        }
    }
    out
}

/// The keys a city is found by: one per distinct folded name, marked primary when any of
/// its spellings is among the first `primary` names (main and Korean), sorted.
///
/// Shared with the crate's build script, which folds the shipped file's names once at build
/// time so the product does not at every start.
pub fn city_keys<'a>(names: impl Iterator<Item = &'a str>, primary: usize) -> Vec<(String, bool)> {
    let mut keys: Vec<(String, bool)> = names
        .enumerate()
        .map(|(i, name)| (name_key(name), i < primary))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    keys.dedup_by(|a, b| a.0 == b.0);
    keys
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn folds_accents_case_spacing_in_any_script() {
        assert_eq!(name_key("München"), "munchen");
        assert_eq!(name_key("MUNCHEN"), "munchen");
        assert_eq!(name_key("Straße"), "strasse");
        assert_eq!(name_key("Sankt-Peterburg"), name_key("sankt peterburg"));
        assert_eq!(name_key("Kraków"), "krakow");
        assert_eq!(name_key("Ἀθῆναι"), name_key("αθηναι"));
        assert_eq!(name_key("МОСКВА"), name_key("москва"));
        assert_eq!(name_key("İstanbul"), "istanbul");
        assert_eq!(name_key("Reykjavík"), "reykjavik");
        assert_eq!(name_key(" 서울 "), name_key("서울"));
        // A syllable still being typed prefixes the full name.
        assert!(name_key("모스크바").starts_with(&name_key("모스")));
        assert_eq!(name_key(" - "), "");
    }
}
