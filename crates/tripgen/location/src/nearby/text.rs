//! Keyword matching: accent- and case-folded substring search over a place's names,
//! cuisines, category and kind.

use crate::place::PlaceSummary;

/// Lower-case and strip common Latin accents, so `cafe` finds `Café` and `munchen` `München`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] into a caller's buffer (cleared first), so a scan over many places reuses one
/// allocation.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' | 'č' | 'ć' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'š' | 'ś' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            _ => out.push(c),
        }
    }
}

pub(super) fn matches_keyword(
    place: &PlaceSummary,
    folded_keyword: &str,
    buf: &mut String,
) -> bool {
    let mut contains = |text: &str| {
        fold_into(text, buf);
        buf.contains(folded_keyword)
    };
    let names = [
        Some(&place.names.local),
        place.names.en.as_ref(),
        place.names.ko.as_ref(),
    ];
    names.into_iter().flatten().any(|n| contains(n))
        || place.cuisine.iter().any(|c| contains(c))
        || place.category.as_str().contains(folded_keyword)
        || contains(&place.kind)
}
