//! Download names (PRODUCT.md TRIP-100): `<trip>_YYYYMMDD.pdf`,
//! `<trip>_Day<N>_YYYYMMDD.png`, and the same shape for `.zip`, `.ics`, `.gpx`. The trip
//! part is made safe on every common file system, and the `Content-Disposition` header
//! carries it as UTF-8 (RFC 6266 / RFC 8187) with an ASCII fallback for old clients.

use chrono::NaiveDate;

/// Longest trip part in bytes: with `_Day99_20270601.png` the name stays far below the
/// 255-byte limit of ext4, APFS and NTFS.
const TRIP_PART_MAX_BYTES: usize = 120;

const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Characters no file name may hold somewhere: path separators, Windows' reserved
/// punctuation, control characters and invisible direction/format marks (which can
/// disguise an extension).
fn forbidden(c: char) -> bool {
    matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The trip name as a safe file-name part (never empty).
pub fn sanitize(name: &str) -> String {
    let mut out = String::new();
    let mut last_sep = false;
    for c in name.chars() {
        let c = if c.is_whitespace() {
            ' '
        } else if forbidden(c) {
            '_'
        } else {
            c
        };
        let sep = c == '_' || c == ' ';
        if sep && last_sep {
            continue;
        }
        out.push(c);
        last_sep = sep;
    }
    // No hidden files (leading dot), no names Windows trims (trailing dots/spaces).
    let mut s = out
        .trim_matches(|c: char| c == '.' || c == ' ' || c == '_')
        .to_string();
    if s.len() > TRIP_PART_MAX_BYTES {
        let mut end = TRIP_PART_MAX_BYTES;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s = s.trim_end_matches(['.', ' ', '_']).to_string();
    }
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    if WINDOWS_RESERVED.contains(&stem.as_str()) {
        s = format!("_{s}");
    }
    if s.is_empty() { "trip".into() } else { s }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// `<trip>_YYYYMMDD.<ext>` (whole exports: PDF, ZIP, ICS, GPX).
pub fn trip_file(trip: &str, first_day: NaiveDate, ext: &str) -> String {
    format!("{}_{}.{ext}", sanitize(trip), ymd(first_day))
}

/// `<trip>_Day<N>_YYYYMMDD.<ext>` (one day: PNG).
pub fn day_file(trip: &str, day: usize, date: NaiveDate, ext: &str) -> String {
    format!("{}_Day{day}_{}.{ext}", sanitize(trip), ymd(date))
}

/// RFC 8187 `attr-char`s stay, every other byte is percent-encoded.
fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// ASCII stand-in for clients without `filename*`: the trip part loses its non-ASCII
/// characters (and becomes `trip` when nothing readable is left); our `_Day<N>_YYYYMMDD`
/// suffix and the extension stay.
fn ascii_fallback(file: &str) -> String {
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    // Our suffix: `_YYYYMMDD`, optionally preceded by `_Day<N>`.
    let mut cut = stem.len();
    if let Some((rest, date)) = stem.rsplit_once('_')
        && date.len() == 8
        && date.bytes().all(|b| b.is_ascii_digit())
    {
        cut = rest.len();
        if let Some((rest2, day)) = rest.rsplit_once('_')
            && day
                .strip_prefix("Day")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            cut = rest2.len();
        }
    }
    let (trip, suffix) = stem.split_at(cut);
    let trip: String = trip
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control() && !matches!(c, '"' | '\\' | '%'))
        .collect();
    let trip = trip.trim_matches([' ', '_', '.']);
    let trip = if trip.chars().any(|c| c.is_ascii_alphanumeric()) {
        trip
    } else {
        "trip"
    };
    if ext.is_empty() {
        format!("{trip}{suffix}")
    } else {
        format!("{trip}{suffix}.{ext}")
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`
pub fn content_disposition(file: &str) -> String {
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(file),
        percent_encode(file)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 6, 1).unwrap()
    }

    #[test]
    fn names_follow_the_product_pattern() {
        assert_eq!(
            trip_file("뮌헨과 포르투", d(), "pdf"),
            "뮌헨과 포르투_20270601.pdf"
        );
        assert_eq!(day_file("Porto", 3, d(), "png"), "Porto_Day3_20270601.png");
    }

    #[test]
    fn unsafe_names_are_made_safe() {
        assert_eq!(sanitize("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize("a/b\\c:d*e?f\"g<h>i|j"), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(sanitize(".hidden"), "hidden");
        assert_eq!(sanitize("v1.2 trip..."), "v1.2 trip");
        assert_eq!(sanitize("tab\there\nnew"), "tab here new");
        assert_eq!(sanitize("CON"), "_CON");
        assert_eq!(sanitize("nul.txt"), "_nul.txt");
        assert_eq!(sanitize("evil\u{202E}fdp.exe"), "evil_fdp.exe");
        assert_eq!(sanitize("///"), "trip");
        assert_eq!(sanitize(""), "trip");
        let long = sanitize(&"여".repeat(200));
        assert!(long.len() <= 120 && long.chars().all(|c| c == '여'));
    }

    #[test]
    fn content_disposition_has_utf8_and_ascii_forms() {
        let cd = content_disposition("뮌헨/포르투 v1.2_20270601.pdf");
        assert!(cd.starts_with("attachment; filename=\""), "{cd}");
        assert!(cd.contains("filename*=UTF-8''%EB%AE%8C%ED%97%A8"), "{cd}");
        assert!(cd.is_ascii());
        let cd = content_disposition("뮌헨과 포르투_Day1_20270601.png");
        assert!(cd.contains("filename=\"trip_Day1_20270601.png\""), "{cd}");
        let cd = content_disposition("Munich 뮌헨_20270601.zip");
        assert!(cd.contains("filename=\"Munich_20270601.zip\""), "{cd}");
        let cd = content_disposition("Munich & Porto_20270601.pdf");
        assert!(
            cd.contains("filename=\"Munich & Porto_20270601.pdf\""),
            "{cd}"
        );
        assert!(
            cd.contains("filename*=UTF-8''Munich%20&%20Porto_20270601.pdf"),
            "{cd}"
        );
    }
}
