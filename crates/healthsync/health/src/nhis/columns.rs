//! The NHIS "건강검진정보" yearly file's columns (spec §4.3): canonical names in order, how
//! each is coded, its plausible range, and the alias table for spellings that vary by year.
//! Columns match by name: trimmed, BOM and every space removed, ASCII case ignored.

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Year,
    Serial,
    Sex,
    AgeBand,
    /// 시도코드 and 데이터공개일자: kept as given.
    Text,
    /// A number; outside `min..=max` (or not an integer when `integer`) it is implausible
    /// and stored as null. `special` is one more accepted value (vision 9.9 = blind).
    Measure {
        min: f64,
        max: f64,
        integer: bool,
        special: Option<f64>,
    },
    /// 0/1, also written N/Y.
    Flag,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// The `checkup_rows` column it is stored in.
    pub field: &'static str,
    pub required: bool,
    pub kind: Kind,
}

const fn measure(min: f64, max: f64, integer: bool) -> Kind {
    Kind::Measure {
        min,
        max,
        integer,
        special: None,
    }
}

const fn col(name: &'static str, field: &'static str, required: bool, kind: Kind) -> Column {
    Column {
        name,
        field,
        required,
        kind,
    }
}

const VISION: Kind = Kind::Measure {
    min: 0.1,
    max: 2.5,
    integer: false,
    special: Some(9.9),
};

/// The canonical header, in order. The first 27 are required.
pub const COLUMNS: [Column; 34] = [
    col("기준년도", "reference_year", true, Kind::Year),
    col("가입자일련번호", "member_serial", true, Kind::Serial),
    col("시도코드", "region_code", true, Kind::Text),
    col("성별코드", "sex", true, Kind::Sex),
    col("연령대코드(5세단위)", "age_band", true, Kind::AgeBand),
    col(
        "신장(5cm단위)",
        "height",
        true,
        measure(100.0, 230.0, false),
    ),
    col("체중(5kg단위)", "weight", true, measure(20.0, 250.0, false)),
    col("허리둘레", "waist", true, measure(40.0, 200.0, false)),
    col("시력(좌)", "vision_left", true, VISION),
    col("시력(우)", "vision_right", true, VISION),
    col("청력(좌)", "hearing_left", true, measure(1.0, 2.0, true)),
    col("청력(우)", "hearing_right", true, measure(1.0, 2.0, true)),
    col("수축기혈압", "sbp", true, measure(50.0, 300.0, false)),
    col("이완기혈압", "dbp", true, measure(30.0, 200.0, false)),
    col(
        "식전혈당(공복혈당)",
        "glucose",
        true,
        measure(30.0, 800.0, false),
    ),
    col(
        "총콜레스테롤",
        "total_chol",
        true,
        measure(50.0, 1000.0, false),
    ),
    col("트리글리세라이드", "tg", true, measure(10.0, 5000.0, false)),
    col("HDL콜레스테롤", "hdl", true, measure(5.0, 300.0, false)),
    col("LDL콜레스테롤", "ldl", true, measure(5.0, 1000.0, false)),
    col("혈색소", "hemoglobin", true, measure(3.0, 25.0, false)),
    col("요단백", "urine_protein", true, measure(1.0, 6.0, true)),
    col(
        "혈청크레아티닌",
        "creatinine",
        true,
        measure(0.1, 20.0, false),
    ),
    col("혈청지오티(AST)", "ast", true, measure(1.0, 5000.0, false)),
    col("혈청지피티(ALT)", "alt", true, measure(1.0, 5000.0, false)),
    col("감마지티피", "ggt", true, measure(1.0, 5000.0, false)),
    col("흡연상태", "smoking", true, measure(1.0, 3.0, true)),
    col("음주여부", "drinking", true, Kind::Flag),
    col("구강검진수검여부", "oral_exam", false, Kind::Flag),
    col("치아우식증유무", "caries", false, Kind::Flag),
    col("결손치유무", "missing_teeth", false, Kind::Flag),
    col("치아마모증유무", "tooth_wear", false, Kind::Flag),
    col("제3대구치(사랑니)이상", "wisdom_tooth", false, Kind::Flag),
    col("치석", "tartar", false, Kind::Flag),
    col("데이터공개일자", "disclosed_on", false, Kind::Text),
];

/// Spellings seen in the yearly files (after normalisation) → canonical name.
/// Documented in docs/healthsync/nhis-import.md.
const ALIASES: &[(&str, &str)] = &[
    ("식전혈당", "식전혈당(공복혈당)"),
    ("공복혈당", "식전혈당(공복혈당)"),
    ("연령대코드", "연령대코드(5세단위)"),
    ("신장", "신장(5cm단위)"),
    ("체중", "체중(5kg단위)"),
    ("성별", "성별코드"),
    ("(혈청지오티)ast", "혈청지오티(AST)"),
    ("혈청지오티", "혈청지오티(AST)"),
    ("(혈청지오티)alt", "혈청지피티(ALT)"),
    ("(혈청지피티)alt", "혈청지피티(ALT)"),
    ("혈청지피티", "혈청지피티(ALT)"),
    ("감마지티피(γ-gtp)", "감마지티피"),
    ("γ-gtp", "감마지티피"),
    ("트리글리세라이드(중성지방)", "트리글리세라이드"),
    ("hdl-콜레스테롤", "HDL콜레스테롤"),
    ("ldl-콜레스테롤", "LDL콜레스테롤"),
    ("요단백(요검사)", "요단백"),
    ("제3대구치이상", "제3대구치(사랑니)이상"),
    ("치석유무", "치석"),
    ("데이터기준일자", "데이터공개일자"),
];

/// Trim, drop a BOM and every whitespace, lower-case ASCII.
pub fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The canonical column a header name stands for.
pub fn resolve(name: &str) -> Option<usize> {
    let key = normalise(name);
    let canonical = ALIASES
        .iter()
        .find(|(alias, _)| normalise(alias) == key)
        .map(|(_, c)| normalise(c))
        .unwrap_or(key);
    COLUMNS.iter().position(|c| normalise(c.name) == canonical)
}

/// Why a header is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMismatch {
    pub unknown: Vec<String>,
    pub missing: Vec<String>,
    pub duplicate: Vec<String>,
}

impl std::fmt::Display for HeaderMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if !self.unknown.is_empty() {
            parts.push(format!("unknown column(s): {}", self.unknown.join(", ")));
        }
        if !self.missing.is_empty() {
            parts.push(format!("missing column(s): {}", self.missing.join(", ")));
        }
        if !self.duplicate.is_empty() {
            parts.push(format!("repeated column(s): {}", self.duplicate.join(", ")));
        }
        write!(f, "{}", parts.join("; "))
    }
}

/// For each file position, the canonical column index; every required column present once.
pub fn match_header(names: &[String]) -> Result<Vec<usize>, HeaderMismatch> {
    let mut mapping = Vec::with_capacity(names.len());
    let mut unknown = Vec::new();
    let mut duplicate = Vec::new();
    let mut seen = [false; COLUMNS.len()];
    for name in names {
        match resolve(name) {
            Some(i) if seen[i] => duplicate.push(name.trim().to_string()),
            Some(i) => {
                seen[i] = true;
                mapping.push(i);
            }
            None => unknown.push(name.trim().to_string()),
        }
    }
    let missing: Vec<String> = COLUMNS
        .iter()
        .zip(seen)
        .filter(|(c, s)| c.required && !s)
        .map(|(c, _)| c.name.to_string())
        .collect();
    if unknown.is_empty() && missing.is_empty() && duplicate.is_empty() {
        Ok(mapping)
    } else {
        Err(HeaderMismatch {
            unknown,
            missing,
            duplicate,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn canonical_header_matches_in_order() {
        let all: Vec<String> = COLUMNS.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(match_header(&all), Ok((0..34).collect()));
        // Only the 27 required ones, shuffled, with BOM and spaces.
        let mut req: Vec<String> = COLUMNS[..27]
            .iter()
            .map(|c| format!(" {} ", c.name))
            .collect();
        req.swap(0, 5);
        req[1] = format!("\u{feff}{}", req[1]);
        let m = match_header(&req).map(|m| m[0]);
        assert_eq!(m, Ok(5));
    }

    #[test]
    fn aliases_resolve() {
        assert_eq!(resolve("식전혈당"), Some(14));
        assert_eq!(resolve("신장(5Cm단위)"), Some(5));
        assert_eq!(resolve("체중(5Kg단위)"), Some(6));
        assert_eq!(resolve("(혈청지오티)AST"), Some(22));
        assert_eq!(resolve("(혈청지오티)ALT"), Some(23));
        assert_eq!(resolve("연령대 코드(5세단위)"), Some(4));
        assert_eq!(resolve("키"), None);
    }

    #[test]
    fn unknown_missing_and_repeated_columns_are_refused() {
        let mut list: Vec<&str> = COLUMNS[..27].iter().map(|c| c.name).collect();
        list.push("비고");
        let err = match_header(&names(&list)).err();
        assert_eq!(err.map(|e| e.unknown), Some(vec!["비고".to_string()]));
        let list: Vec<&str> = COLUMNS[..26].iter().map(|c| c.name).collect();
        let err = match_header(&names(&list)).err();
        assert_eq!(err.map(|e| e.missing), Some(vec!["음주여부".to_string()]));
        let mut list: Vec<&str> = COLUMNS[..27].iter().map(|c| c.name).collect();
        list.push("식전혈당");
        let err = match_header(&names(&list)).err();
        assert_eq!(err.map(|e| e.duplicate), Some(vec!["식전혈당".to_string()]));
    }
}
