//! The bundled synthetic NHIS sample (`data/healthsync/nhis_sample.csv`, written by
//! `scripts/healthsync/gen_nhis_sample.py --seed 20250620`), compiled in and imported as
//! dataset `sample` on first start into an empty checkup store.

use healthsync_health::nhis::{ImportOptions, import_reader};
use tripgen_platform::{Db, with_db};

pub const SAMPLE_CSV: &[u8] = include_bytes!("../../../../data/healthsync/nhis_sample.csv");

/// Imports the sample when no checkup row exists yet. Returns whether it did.
pub async fn import_if_empty(db: &Db) -> anyhow::Result<bool> {
    let any: Option<i64> = with_db!(db, |pool| sqlx::query_scalar(
        "SELECT 1 FROM checkup_rows LIMIT 1"
    )
    .fetch_optional(pool)
    .await)?;
    if any.is_some() {
        return Ok(false);
    }
    let options = ImportOptions {
        dataset: Some("sample".into()),
        max_bad_rows: 0,
    };
    let report = import_reader(
        db,
        "nhis_sample.csv (bundled)",
        SAMPLE_CSV,
        Some(SAMPLE_CSV.len() as u64),
        &options,
        &mut |_| {},
    )
    .await
    .map_err(|e| anyhow::anyhow!("bundled sample import failed: {e}"))?;
    tracing::info!(
        rows = report.rows,
        "imported the bundled NHIS sample (dataset `sample`)"
    );
    Ok(true)
}
