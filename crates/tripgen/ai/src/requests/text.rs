//! Text handling of special requests: folding (case, accents), word matching, and the
//! split into clauses with the connector that opened each ("but", "말고" …), which decides
//! the scope of a negation.

pub fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c)
}

/// Lower case without accents (ä → a, é → e, ß → ss), whitespace collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' | 'č' | 'ć' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'š' | 'ś' => out.push('s'),
            'ž' | 'ź' | 'ż' => out.push('z'),
            'ř' => out.push('r'),
            'ł' => out.push('l'),
            'ß' => out.push_str("ss"),
            '’' | '‘' => out.push('\''),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `needle` in `hay` (both folded): Hangul anywhere (particles follow nouns); Latin as a
/// whole word, plural `s`/`es` allowed, `stems` as a word start.
pub fn mentions(hay: &str, needle: &str, stems: &[&str]) -> bool {
    if needle.chars().any(is_hangul) || needle.starts_with(' ') || needle.ends_with(' ') {
        return hay.contains(needle);
    }
    hay.match_indices(needle).any(|(i, _)| {
        let starts = hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let rest: String = hay[i + needle.len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        starts && (stems.contains(&needle) || matches!(rest.as_str(), "" | "s" | "es"))
    })
}

/// How a clause is tied to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// First clause of a sentence.
    Start,
    /// "and", a comma: the clause continues what the one before asked.
    And,
    /// "but", "except", "말고", "빼고": the clause turns the one before around.
    Contrast,
}

/// One clause in the traveller's own spelling and folded.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub raw: String,
    /// Folded and padded with a space on both sides.
    pub folded: String,
    pub link: Link,
}

/// "a.m." and "p.m." lose their dots so that sentence splitting leaves them alone.
fn without_dotted_meridiem(text: &str) -> String {
    let mut s = text.to_string();
    for (from, to) in [
        ("a.m.", "am"),
        ("p.m.", "pm"),
        ("A.M.", "am"),
        ("P.M.", "pm"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// Sentences: split at `. ! ? ; newline ·` (a dot between digits, "11.30", stays).
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let digit_dot = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if matches!(c, '.' | '!' | '?' | ';' | '\n' | '·' | '。') && !digit_dot {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// Where a clause ends inside a sentence: Latin connectors before them (lower-case,
/// space-padded), Korean connective endings after them.
const AND_BEFORE: &[&str] = &[" and ", " also ", " plus ", " then "];
const CONTRAST_BEFORE: &[&str] = &[" but ", " except ", " apart from ", " however ", " though "];
const AND_AFTER: &[&str] = &["그리고 ", "하고 나서 ", "고요 "];
const CONTRAST_AFTER: &[&str] = &[
    "빼고 ",
    "말고 ",
    "제외하고 ",
    "지만 ",
    "는데 ",
    "없이 ",
    "빼면 ",
];

/// Splits `text` into clauses. A comma is an "and" unless a contrast word follows it.
pub fn clauses(text: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    for sentence in sentences(&without_dotted_meridiem(text)) {
        let mut link = Link::Start;
        for part in sentence.split(',') {
            if !part.trim().is_empty() {
                split_part(part, link, &mut out);
            }
            link = Link::And;
        }
    }
    out
}

fn split_part(part: &str, first: Link, out: &mut Vec<Clause>) {
    // Cut points as (byte index where the next clause starts, its link, connector length to skip).
    let lower = format!(" {} ", part.to_lowercase());
    // Work on the lower-cased text; the raw text is cut at the same char offsets, which
    // hold because to_lowercase keeps char counts for the scripts we cut on.
    let chars_lower: Vec<char> = lower.chars().collect();
    let raw_padded: Vec<char> = format!(" {part} ").chars().collect();
    if chars_lower.len() != raw_padded.len() {
        push(out, part, first);
        return;
    }
    let mut cuts: Vec<(usize, usize, Link)> = Vec::new(); // (char start of connector, char len, link)
    let find_all =
        |words: &[&str], link: Link, before: bool, cuts: &mut Vec<(usize, usize, Link)>| {
            for w in words {
                let wc: Vec<char> = w.chars().collect();
                let mut i = 0;
                while i + wc.len() <= chars_lower.len() {
                    if chars_lower[i..i + wc.len()] == wc[..] {
                        if before {
                            cuts.push((i, wc.len(), link));
                        } else {
                            // After a Korean ending: the connector stays in the clause it ends.
                            cuts.push((i + wc.len(), 0, link));
                        }
                        i += wc.len();
                    } else {
                        i += 1;
                    }
                }
            }
        };
    find_all(AND_BEFORE, Link::And, true, &mut cuts);
    find_all(CONTRAST_BEFORE, Link::Contrast, true, &mut cuts);
    find_all(AND_AFTER, Link::And, false, &mut cuts);
    find_all(CONTRAST_AFTER, Link::Contrast, false, &mut cuts);
    cuts.sort_by_key(|c| c.0);
    let mut start = 0;
    let mut link = first;
    for (at, skip, next) in cuts {
        if at < start {
            continue;
        }
        let piece: String = raw_padded[start..at].iter().collect();
        if !piece.trim().is_empty() {
            push(out, &piece, link);
            link = next;
        } else if next == Link::Contrast {
            link = next;
        }
        start = at + skip;
    }
    let piece: String = raw_padded[start.min(raw_padded.len())..].iter().collect();
    if !piece.trim().is_empty() {
        push(out, &piece, link);
    }
}

fn push(out: &mut Vec<Clause>, raw: &str, link: Link) {
    let raw = raw.trim().to_string();
    let folded = format!(" {} ", fold(&raw));
    out.push(Clause { raw, folded, link });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Hofbräuhaus  am Platzl"), "hofbrauhaus am platzl");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn clause_scope() {
        let c = clauses("No museums but the Deutsches Museum. Start at 10.30 a.m.");
        let raws: Vec<_> = c.iter().map(|c| (c.raw.as_str(), c.link)).collect();
        assert_eq!(
            raws,
            vec![
                ("No museums", Link::Start),
                ("the Deutsches Museum", Link::Contrast),
                ("Start at 10.30 am", Link::Start),
            ]
        );
        let k = clauses("뮤지엄은 빼고 공원을 많이 보고 싶어요");
        assert_eq!(k.len(), 2);
        assert_eq!(k[0].raw, "뮤지엄은 빼고");
        assert_eq!(k[1].link, Link::Contrast);
    }
}
