//! One data line of an NHIS file: split, decoded, checked and normalised into a
//! [`CheckupRow`], or refused as a bad row with the column, value and reason.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::columns::{COLUMNS, Kind};
use super::encoding::Encoding;

/// Index of the 28 numeric item fields in [`CheckupRow::values`], in `COLUMNS` order.
pub const VALUE_COLUMNS: std::ops::Range<usize> = 5..33;

/// A normalised row as stored in `checkup_rows`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckupRow {
    pub reference_year: i64,
    pub member_serial: i64,
    pub region_code: Option<String>,
    pub sex: i64,
    pub age_band: i64,
    /// COLUMNS[5..33] in order; `None` = blank or implausible.
    pub values: [Option<f64>; 28],
    pub disclosed_on: Option<String>,
}

impl CheckupRow {
    /// First 8 bytes of SHA-256 over the normalised row: equal rows hash equal whatever the
    /// file's spelling of them (encoding, column order, "Y" vs "1").
    pub fn hash(&self) -> i64 {
        let mut h = Sha256::new();
        h.update(self.reference_year.to_be_bytes());
        h.update(self.member_serial.to_be_bytes());
        h.update(self.region_code.as_deref().unwrap_or("\u{0}").as_bytes());
        h.update([0xff]);
        h.update(self.sex.to_be_bytes());
        h.update(self.age_band.to_be_bytes());
        for v in &self.values {
            match v {
                Some(v) => h.update(v.to_be_bytes()),
                None => h.update([0xfe; 8]),
            }
        }
        h.update(self.disclosed_on.as_deref().unwrap_or("\u{0}").as_bytes());
        let digest = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(first)
    }
}

/// A refused line (header = line 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadRow {
    pub line: u64,
    /// The canonical column name, or `null` for a line-level fault (column count).
    pub column: Option<String>,
    pub value: String,
    pub reason: String,
}

/// What a good line also tells: which columns were blank or implausible.
#[derive(Debug, Default)]
pub struct CellNotes {
    pub blank: Vec<usize>,
    pub implausible: Vec<usize>,
}

/// Splits one line on commas; double-quoted fields (RFC 4180, no embedded line breaks)
/// are unquoted. Trailing CR/LF is dropped.
pub fn split_fields(line: &[u8]) -> Vec<Vec<u8>> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut fields = Vec::with_capacity(34);
    let mut field = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if quoted {
            if b == b'"' {
                if line.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    quoted = false;
                }
            } else {
                field.push(b);
            }
        } else if b == b'"' && field.is_empty() {
            quoted = true;
        } else if b == b',' {
            fields.push(std::mem::take(&mut field));
        } else {
            field.push(b);
        }
        i += 1;
    }
    fields.push(field);
    fields
}

fn bad(line: u64, column: usize, value: &str, reason: &str) -> BadRow {
    BadRow {
        line,
        column: Some(COLUMNS[column].name.to_string()),
        value: value.chars().take(64).collect(),
        reason: reason.to_string(),
    }
}

fn parse_int(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().or_else(|| {
        // "2020.0" from spreadsheet exports.
        let f = s.parse::<f64>().ok()?;
        (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
    })
}

/// Parses one data line. `mapping[i]` is the canonical column of the file's i-th field.
pub fn parse_line(
    raw: &[u8],
    line: u64,
    mapping: &[usize],
    encoding: Encoding,
    notes: &mut CellNotes,
) -> Result<CheckupRow, BadRow> {
    let fields = split_fields(raw);
    if fields.len() != mapping.len() {
        return Err(BadRow {
            line,
            column: None,
            value: format!("{} fields", fields.len()),
            reason: format!("COLUMN_COUNT: expected {} fields", mapping.len()),
        });
    }
    let mut row = CheckupRow {
        reference_year: 0,
        member_serial: 0,
        region_code: None,
        sex: 0,
        age_band: 0,
        values: [None; 28],
        disclosed_on: None,
    };
    let mut keys_seen = 0;
    notes.blank.clear();
    notes.implausible.clear();
    for (bytes, &column) in fields.iter().zip(mapping) {
        let text = encoding.decode(bytes).ok_or_else(|| {
            bad(
                line,
                column,
                &String::from_utf8_lossy(bytes),
                "INVALID_ENCODING",
            )
        })?;
        let cell = text.trim();
        let spec = &COLUMNS[column];
        match spec.kind {
            Kind::Year | Kind::Serial | Kind::Sex | Kind::AgeBand => {
                if cell.is_empty() {
                    return Err(bad(line, column, cell, "KEY_BLANK"));
                }
                let n = parse_int(cell).ok_or_else(|| bad(line, column, cell, "KEY_INVALID"))?;
                let valid = match spec.kind {
                    Kind::Year => (1990..=2100).contains(&n),
                    Kind::Serial => n > 0,
                    Kind::Sex => n == 1 || n == 2,
                    _ => (1..=18).contains(&n),
                };
                if !valid {
                    return Err(bad(line, column, cell, "KEY_INVALID"));
                }
                match spec.kind {
                    Kind::Year => row.reference_year = n,
                    Kind::Serial => row.member_serial = n,
                    Kind::Sex => row.sex = n,
                    _ => row.age_band = n,
                }
                keys_seen += 1;
            }
            Kind::Text => {
                let value = (!cell.is_empty()).then(|| cell.to_string());
                if value.is_none() {
                    notes.blank.push(column);
                }
                if spec.field == "region_code" {
                    row.region_code = value;
                } else {
                    row.disclosed_on = value;
                }
            }
            Kind::Measure { .. } | Kind::Flag => {
                let slot = column - VALUE_COLUMNS.start;
                if cell.is_empty() {
                    notes.blank.push(column);
                    continue;
                }
                let number = match (spec.kind, cell) {
                    (Kind::Flag, "Y" | "y") => 1.0,
                    (Kind::Flag, "N" | "n") => 0.0,
                    _ => cell
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| bad(line, column, cell, "NOT_A_NUMBER"))?,
                };
                if plausible(spec.kind, number) {
                    row.values[slot] = Some(number);
                } else {
                    notes.implausible.push(column);
                }
            }
        }
    }
    if keys_seen < 4 {
        // Unreachable with a matched header (all key columns are required); kept defensive.
        return Err(BadRow {
            line,
            column: None,
            value: String::new(),
            reason: "KEY_BLANK".into(),
        });
    }
    Ok(row)
}

fn plausible(kind: Kind, v: f64) -> bool {
    match kind {
        Kind::Flag => v == 0.0 || v == 1.0,
        Kind::Measure {
            min,
            max,
            integer,
            special,
        } => special == Some(v) || ((min..=max).contains(&v) && (!integer || v.fract() == 0.0)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical() -> Vec<usize> {
        (0..34).collect()
    }

    const GOOD: &str = "2022,100001,41,1,9,170,70,85.5,1.0,9.9,1,2,142,88,101,,,,,15.1,1,0.9,25,30,40,2,Y,1,0,,0,0,1,2023-12-28\n";

    #[test]
    fn good_line_is_normalised() {
        let mut notes = CellNotes::default();
        let row = parse_line(GOOD.as_bytes(), 2, &canonical(), Encoding::Utf8, &mut notes);
        let row = row.ok();
        assert_eq!(
            row.as_ref()
                .map(|r| (r.reference_year, r.member_serial, r.sex, r.age_band)),
            Some((2022, 100001, 1, 9))
        );
        let row = row.unwrap_or_else(|| unreachable!());
        assert_eq!(row.values[0], Some(170.0));
        assert_eq!(row.values[4], Some(9.9));
        assert_eq!(row.values[21], Some(1.0)); // drinking "Y"
        assert_eq!(row.region_code.as_deref(), Some("41"));
        assert_eq!(notes.blank.len(), 5); // four lipids + 결손치유무
        assert!(notes.implausible.is_empty());
    }

    #[test]
    fn implausible_becomes_null_and_is_noted() {
        let line = GOOD.replace("85.5", "999").replace(",142,", ",310,");
        let mut notes = CellNotes::default();
        let row = parse_line(line.as_bytes(), 2, &canonical(), Encoding::Utf8, &mut notes).ok();
        assert_eq!(row.map(|r| (r.values[2], r.values[7])), Some((None, None)));
        assert_eq!(notes.implausible, vec![7, 12]);
    }

    #[test]
    fn bad_lines_name_column_value_and_reason() {
        let mut notes = CellNotes::default();
        let cases = [
            (GOOD.replacen("2022", "", 1), "기준년도", "KEY_BLANK"),
            (
                GOOD.replacen(",1,9,", ",3,9,", 1),
                "성별코드",
                "KEY_INVALID",
            ),
            (
                GOOD.replacen(",1,9,", ",1,19,", 1),
                "연령대코드(5세단위)",
                "KEY_INVALID",
            ),
            (
                GOOD.replacen(",142,", ",1x2,", 1),
                "수축기혈압",
                "NOT_A_NUMBER",
            ),
        ];
        for (line, column, reason) in cases {
            let err =
                parse_line(line.as_bytes(), 7, &canonical(), Encoding::Utf8, &mut notes).err();
            assert_eq!(err.as_ref().and_then(|e| e.column.as_deref()), Some(column));
            assert_eq!(err.as_ref().map(|e| e.reason.as_str()), Some(reason));
            assert_eq!(err.map(|e| e.line), Some(7));
        }
        let short = "2022,100001,41\n";
        let err = parse_line(
            short.as_bytes(),
            3,
            &canonical(),
            Encoding::Utf8,
            &mut notes,
        )
        .err();
        assert_eq!(
            err.map(|e| e.reason.starts_with("COLUMN_COUNT")),
            Some(true)
        );
    }

    #[test]
    fn quoted_fields_and_crlf() {
        assert_eq!(
            split_fields(b"a,\"b,c\",\"d\"\"e\"\r\n"),
            vec![b"a".to_vec(), b"b,c".to_vec(), b"d\"e".to_vec()]
        );
    }

    #[test]
    fn hash_ignores_spelling_but_not_values() {
        let mut notes = CellNotes::default();
        let a = parse_line(GOOD.as_bytes(), 2, &canonical(), Encoding::Utf8, &mut notes).ok();
        let b = parse_line(
            GOOD.replace(",Y,", ",1,").as_bytes(),
            2,
            &canonical(),
            Encoding::Utf8,
            &mut notes,
        )
        .ok();
        let c = parse_line(
            GOOD.replace(",142,", ",141,").as_bytes(),
            2,
            &canonical(),
            Encoding::Utf8,
            &mut notes,
        )
        .ok();
        assert_eq!(a.as_ref().map(|r| r.hash()), b.map(|r| r.hash()));
        assert_ne!(a.map(|r| r.hash()), c.map(|r| r.hash()));
    }
}
