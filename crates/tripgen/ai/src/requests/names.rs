//! Named places: finding what looks like a place name in a request (capitalised words in
//! Latin text; the noun before a particle in a Korean must/avoid clause), and matching a
//! name against a city's catalogue — accent- and case-folded, typo-tolerant, and across
//! scripts by a consonant skeleton ("호프브로이하우스" and "Hofbräuhaus" are both P-L-S).

use super::lexicon::{CATEGORIES, NOT_NAMES, NOT_NAMES_KO};
use super::text::{fold, is_hangul};

/// Capitalised runs of words in `raw` (a clause as written) that are not sentence words.
pub fn latin_names(raw: &str) -> Vec<String> {
    let words: Vec<&str> = raw.split_whitespace().collect();
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .to_string()
    };
    let is_cap = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().any(char::is_alphabetic)
            && !w.chars().any(is_hangul)
    };
    const LINKS: &[&str] = &[
        "de", "der", "des", "di", "la", "le", "of", "am", "im", "an", "von", "st", "del", "do",
        "da",
    ];
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut Vec<String>| {
        while run
            .last()
            .is_some_and(|w| LINKS.contains(&w.to_lowercase().as_str()))
        {
            run.pop();
        }
        // Leading sentence words ("We", "Definitely") are not part of the name.
        while run.first().is_some_and(|w| common(w)) {
            run.remove(0);
        }
        if !run.is_empty() {
            let name = run.join(" ");
            let all_common = run.iter().all(|w| common(w));
            if !all_common && name.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                out.push(name);
            }
        }
        run.clear();
    };
    for w in words {
        let w = clean(w);
        if w.is_empty() {
            flush(&mut run, &mut out);
            continue;
        }
        if is_cap(&w) || (!run.is_empty() && LINKS.contains(&w.to_lowercase().as_str())) {
            run.push(w);
        } else {
            // "the Olympic park": a kind of place after a name is part of it.
            if run.iter().any(|x| !common(x)) && NAME_TAILS.contains(&w.to_lowercase().as_str()) {
                run.push(w);
            }
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Kinds of place that complete a capitalised name written in lower case.
const NAME_TAILS: &[&str] = &[
    "park",
    "garden",
    "gardens",
    "palace",
    "castle",
    "museum",
    "church",
    "cathedral",
    "tower",
    "market",
    "square",
    "gallery",
    "hall",
    "bridge",
    "gate",
    "zoo",
    "abbey",
    "chapel",
];

/// Generic words of place names by what they mean, across languages: written "palace"
/// is a catalogue's "Schloss", "궁전" one too. Korean members match whole words only.
const GENERIC_CLASSES: &[&[&str]] = &[
    &[
        "palace", "castle", "schloss", "palais", "palast", "palazzo", "chateau", "residenz",
        "궁전", "궁", "성",
    ],
    &[
        "park", "garden", "gardens", "garten", "jardin", "giardino", "공원", "정원", "가든",
    ],
    &[
        "museum",
        "museo",
        "musee",
        "gallery",
        "galerie",
        "pinakothek",
        "박물관",
        "뮤지엄",
        "미술관",
        "갤러리",
    ],
    &[
        "church",
        "cathedral",
        "kirche",
        "dom",
        "basilica",
        "chapel",
        "kapelle",
        "eglise",
        "교회",
        "성당",
        "대성당",
    ],
    &["square", "platz", "plaza", "piazza", "광장"],
    &["market", "markt", "marche", "mercado", "시장", "마켓"],
    &["tower", "turm", "tour", "torre", "타워", "탑"],
];

/// The generic classes of a word: a written word is one of the members (or its plural);
/// a catalogue word may also contain a Latin member ("schlosspark": palace and park).
fn generic_classes(word: &str, in_catalogue: bool) -> Vec<usize> {
    GENERIC_CLASSES
        .iter()
        .enumerate()
        .filter(|(_, members)| {
            members.iter().any(|m| {
                word == *m
                    || word.strip_suffix('s') == Some(m)
                    || (in_catalogue && m.chars().count() >= 4 && m.is_ascii() && word.contains(m))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// Word by word: every distinctive written word is a catalogue word (typos, scripts and
/// accents tolerated) and every generic one means what one of the catalogue's does —
/// "님펜부르크 궁전" is "Schloss Nymphenburg", "Deutsches Museum" is not "Deutsches Theater".
fn words_match(written: &str, catalogue: &str) -> bool {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !["the", "of", "de", "der", "la"].contains(w))
            .map(str::to_string)
            .collect()
    };
    let (ws, cs) = (split(written), split(catalogue));
    let same = |a: &str, b: &str| {
        if a == b {
            return true;
        }
        let latin = !a.chars().any(is_hangul) && !b.chars().any(is_hangul);
        if latin {
            let limit = a.chars().count() / 6;
            if limit > 0 && levenshtein(a, b) <= limit {
                return true;
            }
        }
        let variants = |s: &str| [skeleton(s), skeleton(&without_coda_r(s))];
        let (va, vb) = (variants(a), variants(b));
        va.iter().any(|x| x.len() >= 3 && vb.contains(x))
    };
    let mut distinctive = 0;
    for w in &ws {
        let classes = generic_classes(w, false);
        if classes.is_empty() {
            distinctive += 1;
            if !cs.iter().any(|c| same(w, c)) {
                return false;
            }
        } else if !cs
            .iter()
            .any(|c| generic_classes(c, true).iter().any(|k| classes.contains(k)))
        {
            return false;
        }
    }
    distinctive > 0
}

/// A sentence word, also contracted ("We'd", "Let's"), or a lexicon word.
fn common(w: &str) -> bool {
    let f = fold(w);
    let head = f.split('\'').next().unwrap_or(&f);
    NOT_NAMES.contains(&f.as_str()) || NOT_NAMES.contains(&head) || is_lexicon(&f)
}

/// A word of the lexicon (a category word, singular or plural).
fn is_lexicon(w: &str) -> bool {
    CATEGORIES
        .iter()
        .any(|(k, _)| w == *k || w.strip_suffix('s') == Some(k) || w.strip_suffix("es") == Some(k))
}

/// Particles a Korean noun carries before a verb.
const PARTICLES: &[&str] = &[
    "에서는",
    "이랑은",
    "에서",
    "이랑",
    "까지",
    "은",
    "는",
    "을",
    "를",
    "이",
    "가",
    "도",
    "에",
    "랑",
    "과",
    "와",
    "만",
];

/// The nouns before a particle in a Korean clause that are not sentence or lexicon words:
/// "호프브로이하우스는 꼭" → "호프브로이하우스"; "독일 박물관은" → "독일 박물관" (a category word
/// after a modifier is a name).
pub fn hangul_names(clause: &str) -> Vec<String> {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !w.chars().all(is_hangul) {
            continue;
        }
        let Some(stem) = PARTICLES.iter().find_map(|p| {
            w.strip_suffix(p)
                .filter(|s| s.chars().count() >= 2)
                .map(str::to_string)
        }) else {
            continue;
        };
        let prev = i.checked_sub(1).and_then(|k| words.get(k)).filter(|p| {
            p.chars().all(is_hangul)
                && p.chars().count() >= 2
                && !NOT_NAMES_KO.contains(p)
                && !PARTICLES
                    .iter()
                    .any(|s| p.ends_with(s) && p.chars().count() > 2)
                && !super::lexicon::MUST.iter().any(|m| p.contains(m.trim()))
                && !adjectival(p)
        });
        // Verb and adjective forms end like this; nouns rarely do.
        let verbal = [
            "해", "하", "게", "고", "서", "요", "지", "면", "니", "던", "라", "며", "야",
        ]
        .iter()
        .any(|e| stem.ends_with(e));
        let lexical = |s: &str| {
            super::lexicon::DIETS.iter().any(|(k, _)| s.contains(k))
                || super::lexicon::SLOW.iter().any(|k| s.contains(k.trim()))
                || super::lexicon::STEP_FREE
                    .iter()
                    .any(|k| s.contains(k.trim()))
                || super::lexicon::KIDS.iter().any(|k| s.contains(k.trim()))
                || super::lexicon::SENIORS.iter().any(|k| s.contains(k.trim()))
        };
        let prev = prev.filter(|p| !lexical(p));
        let stem_common = verbal
            || lexical(&stem)
            || NOT_NAMES_KO.contains(&stem.as_str())
            || CATEGORIES.iter().any(|(k, _)| stem.contains(k))
            || super::lexicon::AVOID
                .iter()
                .any(|a| stem.contains(a.trim()))
            || super::lexicon::MUST.iter().any(|a| stem.contains(a.trim()));
        match prev {
            Some(p)
                if !CATEGORIES.iter().any(|(k, _)| p.contains(k))
                    && !verbal
                    && !NOT_NAMES_KO.contains(&stem.as_str()) =>
            {
                out.push(format!("{p} {stem}"))
            }
            _ if !stem_common && stem.chars().count() >= 3 => out.push(stem),
            _ => {}
        }
    }
    out
}

/// A Korean modifier that describes rather than names ("예쁜 공원", "유명한 성당"): it ends
/// like an adjective's or verb's noun-modifying form.
fn adjectival(word: &str) -> bool {
    const ENDINGS: &[char] = &[
        '한', '된', '운', '은', '는', '던', '쁜', '큰', '픈', '른', '진', '긴', '인', '난', '갈',
        '볼', '할', '쁠', '좋',
    ];
    word.chars().last().is_some_and(|c| ENDINGS.contains(&c))
}

/// Consonant skeleton: vowels, h, w and y dropped, similar sounds merged (b/p/f/v → P,
/// d/t → T, g/k/c/q → K, s/z/j/ch/sch/ts/x → S, l/r → L, ng → N), repeats collapsed.
pub fn skeleton(name: &str) -> String {
    let mut raw = String::new();
    for c in fold(name).chars() {
        if is_hangul(c) {
            hangul_consonants(c, &mut raw);
        } else if c.is_ascii_alphabetic() {
            raw.push(c);
        }
    }
    // Latin letters to classes (Hangul ones are already upper-case classes).
    let s: Vec<char> = raw.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        let rest: String = s[i..].iter().take(4).collect();
        let (class, len) = if rest.starts_with("tsch") {
            ("S", 4)
        } else if rest.starts_with("sch") {
            ("S", 3)
        } else if rest.starts_with("ch")
            || rest.starts_with("sh")
            || rest.starts_with("ts")
            || rest.starts_with("tz")
        {
            ("S", 2)
        } else if rest.starts_with("ph") {
            ("P", 2)
        } else if rest.starts_with("ng") {
            ("N", 2)
        } else if rest.starts_with("ck") || rest.starts_with("qu") {
            ("K", 2)
        } else {
            let c = s[i];
            let class = match c {
                'b' | 'p' | 'f' | 'v' | 'P' => "P",
                'd' | 't' | 'T' => "T",
                'g' | 'k' | 'q' | 'K' => "K",
                'c' => {
                    if s.get(i + 1).is_some_and(|n| matches!(n, 'e' | 'i' | 'y')) {
                        "S"
                    } else {
                        "K"
                    }
                }
                's' | 'z' | 'j' | 'S' => "S",
                'x' => "KS",
                'l' | 'r' | 'L' => "L",
                'm' | 'M' => "M",
                'n' | 'N' => "N",
                _ => "",
            };
            (class, 1)
        };
        if !class.is_empty() && !out.ends_with(class) {
            out.push_str(class);
        }
        i += len;
    }
    out
}

/// Latin text without an `r` before a consonant or at a word's end.
fn without_coda_r(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let vowel = |x: &char| "aeiouy".contains(*x);
    c.iter()
        .enumerate()
        .filter(|(i, ch)| **ch != 'r' || c.get(i + 1).is_some_and(vowel) || *i == 0)
        .map(|(_, ch)| *ch)
        .collect()
}

/// A Hangul syllable's consonants as classes (initial ㅇ and ㅎ silent, final ㅇ = N).
fn hangul_consonants(c: char, out: &mut String) {
    let code = c as u32;
    if !(0xAC00..=0xD7A3).contains(&code) {
        return;
    }
    let idx = code - 0xAC00;
    let (initial, fin) = (idx / (21 * 28), idx % 28);
    const INITIAL: [&str; 19] = [
        "K", "K", "N", "T", "T", "L", "M", "P", "P", "S", "S", "", "S", "S", "S", "K", "T", "P", "",
    ];
    const FINAL: [&str; 28] = [
        "", "K", "K", "K", "N", "N", "N", "T", "L", "L", "L", "L", "L", "L", "L", "L", "M", "P",
        "P", "S", "S", "N", "S", "S", "K", "T", "P", "",
    ];
    out.push_str(INITIAL[initial as usize]);
    out.push_str(FINAL[fin as usize]);
}

/// Edit distance (characters), for typos in Latin names.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// How well a written name matches a catalogue name (higher is better; 0 = no match).
pub fn match_quality(written: &str, catalogue: &str) -> u8 {
    let (w, c) = (fold(written), fold(catalogue));
    let w = w.strip_prefix("the ").unwrap_or(&w).to_string();
    if w.is_empty() || c.is_empty() {
        return 0;
    }
    if w == c {
        return 5;
    }
    let hangul = w.chars().any(is_hangul);
    let long = |s: &str| {
        if s.chars().any(is_hangul) {
            s.chars().count() >= 2
        } else {
            s.chars().count() >= 5
        }
    };
    // "Hofbräuhaus" in "Hofbräuhaus am Platzl": a whole-word prefix either way.
    if long(&w) && long(&c) && (c.starts_with(&format!("{w} ")) || w.starts_with(&format!("{c} ")))
    {
        return 4;
    }
    if !hangul {
        let limit = w.chars().count() / 6;
        if limit > 0 && levenshtein(&w, &c) <= limit {
            return 3;
        }
    }
    // Across scripts: Korean drops an r before a consonant ("park" → 파크).
    let variants = |s: &str| [skeleton(s), skeleton(&without_coda_r(s))];
    let (vw, vc) = (variants(&w), variants(&c));
    if vw.iter().any(|a| a.len() >= 3 && vc.contains(a)) {
        return 2;
    }
    if words_match(&w, &c) {
        return 1;
    }
    0
}

/// How well the best of `places` matches `written` (0: none does).
pub fn best_quality(written: &str, places: &[(String, Vec<String>)]) -> u8 {
    places
        .iter()
        .flat_map(|p| p.1.iter().map(|n| match_quality(written, n)))
        .max()
        .unwrap_or(0)
}

/// The catalogue place best matching `written`: `places` are `(id, names)`, in the
/// catalogue's order (most significant first wins a tie).
pub fn best_match<'a>(
    written: &str,
    places: &'a [(String, Vec<String>)],
) -> Option<&'a (String, Vec<String>)> {
    let mut best: Option<(u8, &(String, Vec<String>))> = None;
    for p in places {
        let q =
            p.1.iter()
                .map(|n| match_quality(written, n))
                .max()
                .unwrap_or(0);
        if q > 0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, p));
        }
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_text() {
        assert_eq!(
            latin_names("We must see the Viktualienmarkt and the Hofbräuhaus"),
            vec!["Viktualienmarkt", "Hofbräuhaus"]
        );
        assert_eq!(
            latin_names("the Deutsches Museum"),
            vec!["Deutsches Museum"]
        );
        assert!(latin_names("No museums please").is_empty());
        assert_eq!(
            hangul_names("호프브로이하우스는 꼭 가고 싶어요"),
            vec!["호프브로이하우스"]
        );
        assert_eq!(
            hangul_names("독일 박물관은 꼭 가고 싶어요"),
            vec!["독일 박물관"]
        );
        assert!(hangul_names("공원은 꼭 가고 싶어요").is_empty());
    }

    #[test]
    fn cross_script_and_typos() {
        assert_eq!(skeleton("Hofbräuhaus"), skeleton("호프브로이하우스"));
        assert_eq!(skeleton("Marienplatz"), skeleton("마리엔플라츠"));
        assert_eq!(skeleton("Deutsches Museum"), skeleton("도이체스 뮤지엄"));
        assert!(match_quality("hofbrauhaus", "Hofbräuhaus") >= 3);
        assert!(match_quality("Hofbrauhaus", "Hofbräuhaus am Platzl") > 0);
        assert!(match_quality("Nymphenberg Palace", "Nymphenburg Palace") >= 3);
        assert_eq!(match_quality("Viktualienmarkt", "Hofbräuhaus"), 0);
    }

    #[test]
    fn word_by_word_with_generic_words_by_meaning() {
        assert!(match_quality("님펜부르크 궁전", "Schloss Nymphenburg") > 0);
        assert!(match_quality("님펜부르크 궁전", "Schlosspark Nymphenburg") > 0);
        assert!(match_quality("Olympic park", "Olympiapark") > 0);
        assert_eq!(match_quality("Deutsches Museum", "Deutsches Theater"), 0);
        assert_eq!(match_quality("님펜부르크 궁전", "Nymphenburger Hof"), 0);
        assert_eq!(match_quality("palace", "Schloss Nymphenburg"), 0);
        assert_eq!(
            latin_names("We want to see the Olympic park"),
            vec!["Olympic park"]
        );
    }
}
