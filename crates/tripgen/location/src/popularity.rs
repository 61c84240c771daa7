//! `tripgen import significance FILE.csv`: an optional external popularity table keyed by
//! Wikidata id (sitelink counts, page views, or Nominatim's Wikipedia importance) refines
//! the significance of the places linked to those items. The default needs none.
//!
//! Format: one `Q-id,value` per line (comma, tab or semicolon); a header line and lines
//! that are not such a pair are counted and skipped. Values in 0..=1 are taken as they
//! are (an importance); larger counts are scaled by `ln(1+v) / ln(1+max)` of the file.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::store::PlaceStore;

/// What the file held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PopularityTable {
    /// Wikidata id → popularity in 0..=1.
    pub by_wikidata: HashMap<String, f64>,
    pub skipped_lines: u64,
}

/// Parses the table (see the module docs).
pub fn parse_table(text: &str) -> PopularityTable {
    let mut raw: HashMap<String, f64> = HashMap::new();
    let mut skipped = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut parts = line.split([',', '\t', ';']).map(str::trim);
        let (Some(q), Some(v)) = (parts.next(), parts.next()) else {
            skipped += 1;
            continue;
        };
        let q = q.trim_matches('"');
        let valid_q =
            q.len() > 1 && q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit());
        match v.trim_matches('"').parse::<f64>() {
            Ok(v) if valid_q && v.is_finite() && v >= 0.0 => {
                let e = raw.entry(q.to_owned()).or_insert(v);
                *e = e.max(v);
            }
            _ => skipped += 1,
        }
    }
    let max = raw.values().copied().fold(0.0, f64::max);
    let by_wikidata = raw
        .into_iter()
        .map(|(q, v)| {
            let p = if max <= 1.0 {
                v
            } else {
                (1.0 + v).ln() / (1.0 + max).ln()
            };
            (q, p.clamp(0.0, 1.0))
        })
        .collect();
    PopularityTable {
        by_wikidata,
        skipped_lines: skipped,
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PopularityReport {
    pub rows: usize,
    pub skipped_lines: u64,
    pub places_updated: usize,
    pub catalogue_version: i64,
}

/// Reads `file` and refines the significance of every stored place linked to one of its items.
pub async fn import_popularity(
    store: &PlaceStore,
    file: &Path,
) -> anyhow::Result<PopularityReport> {
    let text = tokio::fs::read_to_string(file)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let table = parse_table(&text);
    let mut updated = Vec::new();
    for mut place in store.linked_places().await? {
        let Some(p) = place
            .wikidata
            .as_deref()
            .and_then(|q| table.by_wikidata.get(q))
        else {
            continue;
        };
        place.significance = place.significance.with_popularity(*p);
        updated.push(place);
    }
    let version = store.update_significance(&updated).await?;
    Ok(PopularityReport {
        rows: table.by_wikidata.len(),
        skipped_lines: table.skipped_lines,
        places_updated: updated.len(),
        catalogue_version: version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_scaled_and_junk_is_skipped() {
        let t = parse_table("qid,sitelinks\nQ1,99\nQ2\t9\nfoo,1\nQ3;-1\nQ1,0\n");
        assert_eq!(t.skipped_lines, 3);
        assert!((t.by_wikidata["Q1"] - 1.0).abs() < 1e-9);
        assert!((t.by_wikidata["Q2"] - 0.5).abs() < 1e-9);
        let importance = parse_table("Q5,0.25\n");
        assert!((importance.by_wikidata["Q5"] - 0.25).abs() < 1e-9);
    }
}
