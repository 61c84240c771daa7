//! Writing one import in one transaction (spec §4.3): SQLite gets batched multi-row upserts
//! inside one `BEGIN IMMEDIATE`; PostgreSQL gets `COPY` into a temporary staging table and
//! one merge. Either way the upsert only touches rows whose hash changed, so
//! inserted = rows after − rows before, updated = touched − inserted, the rest unchanged.

use sqlx::{Postgres, Sqlite, Transaction};
use tripgen_platform::Db;
use tripgen_platform::db::WritePool;
use uuid::Uuid;

use super::columns::COLUMNS;
use super::row::{CheckupRow, VALUE_COLUMNS};

/// Rows per SQLite statement: 37 parameters each, under SQLite's 32,766-variable limit.
const SQLITE_BATCH: usize = 400;
/// Page cache of the import's connection while it writes (KiB; SQLite's default is 2 MB).
/// The secondary indexes take rows in another order than the file: with the default
/// cache their pages were spilled and re-read all the time. 64 MB keeps a 1,000,000-row
/// year's index pages in memory, within the import's 256 MB budget (spec §10).
const IMPORT_CACHE_KIB: i64 = 64 * 1024;
/// Bytes of COPY text sent per round trip.
const COPY_CHUNK: usize = 1 << 20;

fn column_list() -> String {
    let mut cols = vec!["dataset"];
    cols.extend(COLUMNS[..VALUE_COLUMNS.end].iter().map(|c| c.field));
    cols.push("disclosed_on");
    cols.push("row_hash");
    cols.push("import_id");
    cols.join(", ")
}

fn upsert_tail() -> String {
    let mut set: Vec<String> = COLUMNS[3..VALUE_COLUMNS.end]
        .iter()
        .chain(std::iter::once(&COLUMNS[2]))
        .map(|c| format!("{0} = excluded.{0}", c.field))
        .collect();
    for c in ["disclosed_on", "row_hash", "import_id"] {
        set.push(format!("{c} = excluded.{c}"));
    }
    format!(
        " ON CONFLICT (dataset, reference_year, member_serial) DO UPDATE SET {} \
         WHERE checkup_rows.row_hash <> excluded.row_hash",
        set.join(", ")
    )
}

const PARAMS_PER_ROW: usize = 37;

/// An open import transaction.
pub enum ImportTx {
    Sqlite {
        tx: Transaction<'static, Sqlite>,
        batch: Vec<(String, CheckupRow)>,
        touched: u64,
        /// The statement of a full batch, built once.
        full_batch_sql: String,
    },
    Postgres {
        tx: Transaction<'static, Postgres>,
        buffer: String,
    },
}

/// What the transaction did, before commit.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteCounts {
    pub inserted: u64,
    pub updated: u64,
}

pub struct ImportWriter {
    pub tx: ImportTx,
    import_id: Uuid,
    rows_before: i64,
}

impl ImportWriter {
    pub async fn begin(db: &Db, import_id: Uuid) -> anyhow::Result<ImportWriter> {
        let count = "SELECT COUNT(*) FROM checkup_rows";
        let (tx, rows_before) = match db {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_write().await?;
                sqlx::query(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
                    .execute(&mut *tx)
                    .await?;
                let n: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await?;
                (
                    ImportTx::Sqlite {
                        tx,
                        batch: Vec::with_capacity(SQLITE_BATCH),
                        touched: 0,
                        full_batch_sql: sqlite_insert(SQLITE_BATCH),
                    },
                    n,
                )
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin_write().await?;
                // Concurrent imports would race on the counts; one at a time.
                sqlx::query("LOCK TABLE checkup_rows IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                let n: i64 = sqlx::query_scalar(count).fetch_one(&mut *tx).await?;
                sqlx::query(
                    "CREATE TEMP TABLE checkup_rows_staging \
                     (LIKE checkup_rows INCLUDING DEFAULTS) ON COMMIT DROP",
                )
                .execute(&mut *tx)
                .await?;
                (
                    ImportTx::Postgres {
                        tx,
                        buffer: String::with_capacity(COPY_CHUNK + 4096),
                    },
                    n,
                )
            }
        };
        Ok(ImportWriter {
            tx,
            import_id,
            rows_before,
        })
    }

    pub async fn push(&mut self, dataset: &str, row: CheckupRow) -> anyhow::Result<()> {
        match &mut self.tx {
            ImportTx::Sqlite {
                tx,
                batch,
                touched,
                full_batch_sql,
            } => {
                batch.push((dataset.to_string(), row));
                if batch.len() >= SQLITE_BATCH {
                    *touched += flush_sqlite(tx, full_batch_sql, batch, self.import_id).await?;
                }
            }
            ImportTx::Postgres { tx, buffer } => {
                copy_line(buffer, dataset, &row, self.import_id);
                if buffer.len() >= COPY_CHUNK {
                    flush_copy(tx, buffer).await?;
                }
            }
        }
        Ok(())
    }

    /// Writes what is buffered and merges; the transaction is still open.
    pub async fn finish(&mut self) -> anyhow::Result<WriteCounts> {
        let count = "SELECT COUNT(*) FROM checkup_rows";
        let (touched, rows_after) = match &mut self.tx {
            ImportTx::Sqlite {
                tx, batch, touched, ..
            } => {
                if !batch.is_empty() {
                    let sql = sqlite_insert(batch.len());
                    *touched += flush_sqlite(tx, &sql, batch, self.import_id).await?;
                }
                // Back to the pool's default for whoever gets this connection next.
                sqlx::query("PRAGMA cache_size = -2000")
                    .execute(&mut **tx)
                    .await?;
                let n: i64 = sqlx::query_scalar(count).fetch_one(&mut **tx).await?;
                (*touched, n)
            }
            ImportTx::Postgres { tx, buffer } => {
                flush_copy(tx, buffer).await?;
                let cols = column_list();
                let merged = sqlx::query(&format!(
                    "INSERT INTO checkup_rows ({cols}) SELECT {cols} FROM checkup_rows_staging{}",
                    upsert_tail()
                ))
                .execute(&mut **tx)
                .await?
                .rows_affected();
                let n: i64 = sqlx::query_scalar(count).fetch_one(&mut **tx).await?;
                (merged, n)
            }
        };
        let inserted = u64::try_from(rows_after - self.rows_before).unwrap_or(0);
        Ok(WriteCounts {
            inserted,
            updated: touched.saturating_sub(inserted),
        })
    }
}

/// The multi-row upsert of `rows` rows. Anonymous `?` parameters: SQLite numbers them in
/// order, where named ones (`$n`) are looked up by a linear scan per parameter while the
/// statement is prepared (quadratic in the 14,800 parameters of a batch).
fn sqlite_insert(rows: usize) -> String {
    let one = format!("({})", vec!["?"; PARAMS_PER_ROW].join(","));
    format!(
        "INSERT INTO checkup_rows ({}) VALUES {}{}",
        column_list(),
        vec![one; rows].join(","),
        upsert_tail()
    )
}

async fn flush_sqlite(
    tx: &mut Transaction<'static, Sqlite>,
    sql: &str,
    batch: &mut Vec<(String, CheckupRow)>,
    import_id: Uuid,
) -> anyhow::Result<u64> {
    let mut q = sqlx::query(sql);
    for (dataset, row) in batch.iter() {
        q = q
            .bind(dataset.as_str())
            .bind(row.reference_year)
            .bind(row.member_serial)
            .bind(row.region_code.as_deref())
            .bind(row.sex)
            .bind(row.age_band);
        for v in row.values {
            q = q.bind(v);
        }
        q = q
            .bind(row.disclosed_on.as_deref())
            .bind(row.hash())
            .bind(import_id);
    }
    let affected = q.execute(&mut **tx).await?.rows_affected();
    batch.clear();
    Ok(affected)
}

fn push_text(buffer: &mut String, value: Option<&str>) {
    match value {
        None => buffer.push_str("\\N"),
        Some(s) => {
            for c in s.chars() {
                match c {
                    '\\' => buffer.push_str("\\\\"),
                    '\t' => buffer.push_str("\\t"),
                    '\n' => buffer.push_str("\\n"),
                    '\r' => buffer.push_str("\\r"),
                    c => buffer.push(c),
                }
            }
        }
    }
}

/// One row in COPY's text format (tab-separated, `\N` for null).
fn copy_line(buffer: &mut String, dataset: &str, row: &CheckupRow, import_id: Uuid) {
    use std::fmt::Write;
    push_text(buffer, Some(dataset));
    let _ = write!(buffer, "\t{}\t{}\t", row.reference_year, row.member_serial);
    push_text(buffer, row.region_code.as_deref());
    let _ = write!(buffer, "\t{}\t{}", row.sex, row.age_band);
    for v in row.values {
        match v {
            Some(v) => {
                let _ = write!(buffer, "\t{v}");
            }
            None => buffer.push_str("\t\\N"),
        }
    }
    buffer.push('\t');
    push_text(buffer, row.disclosed_on.as_deref());
    let _ = writeln!(buffer, "\t{}\t{}", row.hash(), import_id);
}

async fn flush_copy(
    tx: &mut Transaction<'static, Postgres>,
    buffer: &mut String,
) -> anyhow::Result<()> {
    if buffer.is_empty() {
        return Ok(());
    }
    let mut copy = tx
        .copy_in_raw(&format!(
            "COPY checkup_rows_staging ({}) FROM STDIN",
            column_list()
        ))
        .await?;
    copy.send(buffer.as_bytes()).await?;
    copy.finish().await?;
    buffer.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_list_has_one_place_per_parameter() {
        assert_eq!(column_list().split(", ").count(), PARAMS_PER_ROW);
        assert_eq!(
            sqlite_insert(3).matches('?').count(),
            3 * PARAMS_PER_ROW,
            "one parameter per value"
        );
    }

    #[test]
    fn copy_text_escapes_and_nulls() {
        let row = CheckupRow {
            reference_year: 2022,
            member_serial: 7,
            region_code: Some("4\t1".into()),
            sex: 2,
            age_band: 9,
            values: [None; 28],
            disclosed_on: None,
        };
        let mut b = String::new();
        copy_line(&mut b, "sample", &row, Uuid::nil());
        let fields: Vec<&str> = b.trim_end().split('\t').collect();
        assert_eq!(fields.len(), PARAMS_PER_ROW);
        assert_eq!(fields[3], "4\\t1");
        assert_eq!(fields[6], "\\N");
    }
}
