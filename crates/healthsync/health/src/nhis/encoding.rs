//! The two encodings NHIS files come in: UTF-8 (BOM optional) and CP949 (EUC-KR's
//! superset, what the public files use). The header decides: a BOM or a header that is
//! valid UTF-8 means UTF-8, anything else CP949. Both are ASCII-compatible and CP949's
//! trail bytes are ≥ 0x41, so lines and commas can be split on raw bytes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Cp949,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Cp949 => "CP949",
        }
    }

    /// Detects the encoding from the header line; returns it and the line without BOM.
    pub fn detect(header: &[u8]) -> (Encoding, &[u8]) {
        if let Some(rest) = header.strip_prefix(b"\xEF\xBB\xBF") {
            return (Encoding::Utf8, rest);
        }
        if std::str::from_utf8(header).is_ok() {
            (Encoding::Utf8, header)
        } else {
            (Encoding::Cp949, header)
        }
    }

    /// Decodes one field; `None` when its bytes are not valid in the encoding.
    pub fn decode(self, bytes: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes)
                .ok()
                .map(std::borrow::Cow::Borrowed),
            Encoding::Cp949 => {
                // WHATWG's EUC-KR is Windows-949 (CP949).
                let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
                (!had_errors).then_some(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_cp949() {
        let (e, rest) = Encoding::detect("\u{feff}기준년도".as_bytes());
        assert_eq!((e, rest), (Encoding::Utf8, "기준년도".as_bytes()));
        assert_eq!(Encoding::detect("기준년도".as_bytes()).0, Encoding::Utf8);
        let (cp, _, _) = encoding_rs::EUC_KR.encode("기준년도,성별코드");
        assert_eq!(Encoding::detect(&cp).0, Encoding::Cp949);
        assert_eq!(
            Encoding::Cp949.decode(&cp).as_deref(),
            Some("기준년도,성별코드")
        );
        assert_eq!(Encoding::Utf8.decode(b"\xff"), None);
    }
}
