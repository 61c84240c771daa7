//! Common real-world slips in `opening_hours` values that opening_hours.js (the reference)
//! corrects while reading, corrected the same way before the strict grammar sees them, so
//! that a value the reference reads is not *unknown* here. Comments (`"…"`) are left alone.
//! Each correction is checked against the reference by `make hours-diff`.

/// Weekday and holiday names the reference accepts in place of the grammar's.
const NAMES: &[(&str, &str)] = &[
    // German abbreviations (Mo, Fr, Sa are the same).
    ("Di", "Tu"),
    ("Mi", "We"),
    ("Do", "Th"),
    ("So", "Su"),
    // English three-letter names.
    ("Mon", "Mo"),
    ("Tue", "Tu"),
    ("Wed", "We"),
    ("Thu", "Th"),
    ("Fri", "Fr"),
    ("Sat", "Sa"),
    ("Sun", "Su"),
    // Wrong case.
    ("Ph", "PH"),
    ("Off", "off"),
];

const DAYS: &[&str] = &["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH"];

/// The value with the slips corrected: line breaks and tabs as spaces, dashes as `-`,
/// German/English day names as the grammar's, a missing space between days and hours
/// (`Mo-Su11:30`), doubled or trailing `;`, and an open end after a range that closes
/// before midnight (`11:00-23:00+`) written as the range and an open end from its close
/// (`11:00-23:00,23:00+`), which is what the reference means by it.
pub(super) fn correct(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    for (i, part) in raw.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&correct_outside_comment(part));
        }
    }
    let mut text = out.trim().to_owned();
    while text.contains(";;") {
        text = text.replace(";;", ";");
    }
    while let Some(t) = text.strip_suffix(';') {
        text = t.trim_end().to_owned();
    }
    text
}

fn correct_outside_comment(part: &str) -> String {
    let part: String = part
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '–' | '—' => '-',
            c => c,
        })
        .collect();
    let chars: Vec<char> = part.chars().collect();
    let mut out = String::with_capacity(part.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let word = NAMES
                .iter()
                .find(|(from, _)| *from == word)
                .map_or(word.clone(), |(_, to)| (*to).to_owned());
            let is_day = DAYS.contains(&word.as_str());
            out.push_str(&word);
            if is_day && chars.get(i).is_some_and(char::is_ascii_digit) {
                out.push(' ');
            }
            continue;
        }
        if let Some((text, used)) = open_end_after_range(&chars[i..]) {
            out.push_str(&text);
            i += used;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `HH:MM` at the start of `s`: (text, chars used).
fn time_at(s: &[char]) -> Option<(String, usize)> {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&digits) || s.get(digits) != Some(&':') {
        return None;
    }
    let minutes = s[digits + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if minutes != 2 {
        return None;
    }
    let used = digits + 3;
    Some((s[..used].iter().collect(), used))
}

/// `11:00-23:00+` at the start of `s` → (`11:00-23:00,23:00+`, chars used).
fn open_end_after_range(s: &[char]) -> Option<(String, usize)> {
    if s.first().is_none_or(|c| !c.is_ascii_digit()) {
        return None;
    }
    let (from, a) = time_at(s)?;
    if s.get(a) != Some(&'-') {
        return None;
    }
    let (to, b) = time_at(&s[a + 1..])?;
    let used = a + 1 + b;
    if s.get(used) != Some(&'+') {
        return None;
    }
    let minutes = |t: &str| {
        let (h, m) = t.split_once(':')?;
        Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
    };
    let (a, b) = (minutes(&from)?, minutes(&to)?);
    let text = if a < b && b < 24 * 60 {
        format!("{from}-{to},{to}+")
    } else if b == 24 * 60 {
        // The grammar writes `10:00+` as 10:00-24:00 with an open end, the same as
        // `10:00-24:00+`; the close is marked one minute later so that the reading can tell
        // them apart (reading.rs, `OPEN_END_AT_MIDNIGHT`).
        format!("{from}-24:01+")
    } else {
        // Past midnight (`17:00-01:00+`): the reading tells it by its close.
        return None;
    };
    Some((text, used + 1))
}

#[cfg(test)]
mod tests {
    use super::correct;

    #[test]
    fn slips_the_reference_corrects() {
        assert_eq!(
            correct("Mo–Th 17:00-00:00; Fr 17:00-01:00"),
            "Mo-Th 17:00-00:00; Fr 17:00-01:00"
        );
        assert_eq!(
            correct("Mi-Fr 17:00-23:00; So 10:00-18:00"),
            "We-Fr 17:00-23:00; Su 10:00-18:00"
        );
        assert_eq!(correct("Di-So 11:30-18:00"), "Tu-Su 11:30-18:00");
        assert_eq!(correct("Tu-Sun 17:00-21:30"), "Tu-Su 17:00-21:30");
        assert_eq!(
            correct("Mo-Fr 08:00-18:30; Sa,Su,Ph Off"),
            "Mo-Fr 08:00-18:30; Sa,Su,PH off"
        );
        assert_eq!(correct("Mo-Su11:30-01:00"), "Mo-Su 11:30-01:00");
        assert_eq!(correct("Sa-Su,PH17:30-23:00"), "Sa-Su,PH 17:30-23:00");
        assert_eq!(
            correct("Mo-Fr 10:00-21:00;\nSa 09:00-21:00;\nSu 09:00-20:00"),
            "Mo-Fr 10:00-21:00; Sa 09:00-21:00; Su 09:00-20:00"
        );
        assert_eq!(
            correct("Tu-Su 17:30-23:30;; Mo off"),
            "Tu-Su 17:30-23:30; Mo off"
        );
        assert_eq!(
            correct("Mo-Th 17:00-22:00; Su 16:00-21:00;"),
            "Mo-Th 17:00-22:00; Su 16:00-21:00"
        );
        assert_eq!(correct("Mo-Sa 11:00-23:00+"), "Mo-Sa 11:00-23:00,23:00+");
        assert_eq!(correct("Mo-Sa 18:00+"), "Mo-Sa 18:00+");
        assert_eq!(correct("Mo-Su 10:00-24:00+"), "Mo-Su 10:00-24:01+");
        assert_eq!(correct("Fr 17:00-01:00+"), "Fr 17:00-01:00+");
        // Comments and words that are not day names stay as written.
        assert_eq!(
            correct("Mo 10:00-12:00 \"Di, So\""),
            "Mo 10:00-12:00 \"Di, So\""
        );
        assert_eq!(correct("\"Sonntag\""), "\"Sonntag\"");
        assert_eq!(correct("Dec 25 off"), "Dec 25 off");
    }
}
