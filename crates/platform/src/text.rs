//! Text fields from outside (names, titles, messages) before any rule looks at them:
//! Unicode NFC (a composed and a decomposed 한 are the same name), no control characters
//! (NUL, escape sequences) and no bidirectional overrides (text that reads differently
//! from how it is stored), and edges trimmed of whitespace **and** invisible characters —
//! zero-width spaces, joiners, BOM, Hangul fillers — so a name made only of invisible
//! characters is empty, as it looks. Invisible characters inside the text stay: a
//! zero-width joiner holds emoji sequences and Persian words together.

use unicode_normalization::UnicodeNormalization;

/// Why a text was refused; `code` is the stable problem+json field code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character (U+0000–U+001F, U+007F–U+009F; a line break in a one-line field).
    ControlCharacter,
    /// A bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069).
    DirectionOverride,
}

impl TextProblem {
    pub fn code(self) -> &'static str {
        "INVALID_CHARACTERS"
    }

    pub fn message(self) -> &'static str {
        match self {
            TextProblem::ControlCharacter => {
                "Remove control characters (such as NUL or line breaks) from the text."
            }
            TextProblem::DirectionOverride => {
                "Remove text-direction override characters from the text."
            }
        }
    }
}

/// A one-line field (a name, a title): cleaned, or why not.
pub fn clean_line(raw: &str) -> Result<String, TextProblem> {
    clean(raw, false)
}

/// A multi-line field (a message, a note): line breaks and tabs allowed, `\r\n` read as `\n`.
pub fn clean_text(raw: &str) -> Result<String, TextProblem> {
    clean(&raw.replace("\r\n", "\n"), true)
}

fn clean(raw: &str, multi_line: bool) -> Result<String, TextProblem> {
    for c in raw.chars() {
        if c.is_control() && !(multi_line && matches!(c, '\n' | '\t')) {
            return Err(TextProblem::ControlCharacter);
        }
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            return Err(TextProblem::DirectionOverride);
        }
    }
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    Ok(trimmed.nfc().collect())
}

/// Characters that draw nothing (Unicode format characters and fillers).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_only_text_is_empty() {
        assert_eq!(clean_line("\u{200B}\u{200B}").as_deref(), Ok(""));
        assert_eq!(clean_line(" \u{FEFF}\u{3164} ").as_deref(), Ok(""));
        assert_eq!(clean_line("\u{115F}\u{1160}").as_deref(), Ok(""));
    }

    #[test]
    fn control_characters_and_overrides_are_refused() {
        assert_eq!(clean_line("Trip\0"), Err(TextProblem::ControlCharacter));
        assert_eq!(clean_line("a\nb"), Err(TextProblem::ControlCharacter));
        assert_eq!(
            clean_line("\u{1b}[31mred"),
            Err(TextProblem::ControlCharacter)
        );
        assert_eq!(
            clean_line("abc\u{202E}cba"),
            Err(TextProblem::DirectionOverride)
        );
        assert_eq!(
            clean_text("line one\r\nline two\tend").as_deref(),
            Ok("line one\nline two\tend")
        );
        assert_eq!(clean_text("nul\0"), Err(TextProblem::ControlCharacter));
    }

    #[test]
    fn text_is_composed_and_inner_joiners_stay() {
        // 한 as two jamo (U+1112 U+1161 U+11AB) composes to one syllable.
        assert_eq!(clean_line("\u{1112}\u{1161}\u{11AB}").as_deref(), Ok("한"));
        let family = "👩\u{200D}👩\u{200D}👧";
        assert_eq!(clean_line(family).as_deref(), Ok(family));
        assert_eq!(
            clean_line("  Seoul trip\u{200B} ").as_deref(),
            Ok("Seoul trip")
        );
    }
}
