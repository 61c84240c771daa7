//! `import nhis` for one file: stream lines, match the header, parse rows, write them in
//! one transaction, record the run, report (spec §4.3).

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Read};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};
use tripgen_platform::Db;
use uuid::Uuid;

use super::columns::{COLUMNS, HeaderMismatch, match_header};
use super::encoding::Encoding;
use super::row::{BadRow, CellNotes, parse_line, split_fields};
use super::store::ImportWriter;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `None` = `nhis-<기준년도>` per row.
    pub dataset: Option<String>,
    pub max_bad_rows: u64,
}

/// The report of one file (printed with `--json`, stored in `import_runs.report`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub file: String,
    pub sha256: String,
    pub encoding: String,
    pub dataset: String,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub bad_rows: Vec<BadRow>,
    pub implausible: BTreeMap<String, u64>,
    pub blank: BTreeMap<String, u64>,
    pub duration_ms: u64,
    /// `applied`, or `rejected` (more bad rows than allowed: nothing written).
    pub state: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("HEADER_MISMATCH: {0}")]
    HeaderMismatch(HeaderMismatch),
    #[error("TOO_MANY_BAD_ROWS: {} bad rows, at most {max} allowed; nothing written", report.bad_rows.len())]
    TooManyBadRows { report: Box<ImportReport>, max: u64 },
    #[error("the file is empty (no header line)")]
    Empty,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl ImportError {
    /// The command's exit code: 2 for too many bad rows, 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            ImportError::TooManyBadRows { .. } => 2,
            _ => 1,
        }
    }
}

/// Where a running import is.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: Option<u64>,
    pub rows: u64,
}

/// Hashes every byte that passes through.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Bad rows kept in the report; beyond this only the count grows (constant memory).
const BAD_ROWS_LISTED: usize = 1000;

/// Imports one file's bytes. `name` is what the report calls the file.
pub async fn import_reader<R: Read>(
    db: &Db,
    name: &str,
    reader: R,
    total_bytes: Option<u64>,
    options: &ImportOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let started_ms = chrono::Utc::now().timestamp_millis();
    let mut input = std::io::BufReader::with_capacity(
        1 << 16,
        Hashing {
            inner: reader,
            hasher: Sha256::new(),
            bytes: 0,
        },
    );
    let mut line = Vec::with_capacity(512);
    if input
        .read_until(b'\n', &mut line)
        .map_err(anyhow::Error::from)?
        == 0
    {
        return Err(ImportError::Empty);
    }
    let (encoding, header) = Encoding::detect(&line);
    let names: Vec<String> = split_fields(header)
        .iter()
        .map(|f| {
            encoding
                .decode(f)
                .map(|s| s.into_owned())
                .unwrap_or_else(|| String::from_utf8_lossy(f).into_owned())
        })
        .collect();
    let mapping = match_header(&names).map_err(ImportError::HeaderMismatch)?;

    let import_id = Uuid::now_v7();
    let mut writer = ImportWriter::begin(db, import_id).await?;
    let mut notes = CellNotes::default();
    let mut seen: HashSet<(u32, i64, i64)> = HashSet::new();
    let mut dataset_ids: BTreeMap<String, u32> = BTreeMap::new();
    let mut bad_rows: Vec<BadRow> = Vec::new();
    let mut bad_count: u64 = 0;
    let mut implausible = [0u64; COLUMNS.len()];
    let mut blank = [0u64; COLUMNS.len()];
    let mut good: u64 = 0;
    let mut line_no: u64 = 1;
    loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(anyhow::Error::from)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue; // a trailing empty line is not a row
        }
        let row = match parse_line(&line, line_no, &mapping, encoding, &mut notes) {
            Ok(row) => row,
            Err(bad) => {
                bad_count += 1;
                if bad_rows.len() < BAD_ROWS_LISTED {
                    bad_rows.push(bad);
                }
                continue;
            }
        };
        let dataset = options
            .dataset
            .clone()
            .unwrap_or_else(|| format!("nhis-{}", row.reference_year));
        let next_id = dataset_ids.len() as u32;
        let id = *dataset_ids.entry(dataset.clone()).or_insert(next_id);
        if !seen.insert((id, row.reference_year, row.member_serial)) {
            bad_count += 1;
            if bad_rows.len() < BAD_ROWS_LISTED {
                bad_rows.push(BadRow {
                    line: line_no,
                    column: Some(COLUMNS[1].name.to_string()),
                    value: row.member_serial.to_string(),
                    reason: "DUPLICATE_KEY: 기준년도 + 가입자일련번호 repeats within the import"
                        .into(),
                });
            }
            continue;
        }
        if bad_count > options.max_bad_rows {
            // Already rejected: keep counting bad rows, stop writing.
            continue;
        }
        for &c in &notes.implausible {
            implausible[c] += 1;
        }
        for &c in &notes.blank {
            blank[c] += 1;
        }
        writer.push(&dataset, row).await?;
        good += 1;
        if good.is_multiple_of(8192) {
            progress(Progress {
                bytes: input.get_ref().bytes,
                total_bytes,
                rows: good,
            });
        }
    }
    progress(Progress {
        bytes: input.get_ref().bytes,
        total_bytes,
        rows: good,
    });
    let sha256 = hex(&input.into_inner().hasher.finalize());
    let counts_by = |counts: &[u64]| -> BTreeMap<String, u64> {
        COLUMNS
            .iter()
            .zip(counts)
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| (c.name.to_string(), *n))
            .collect()
    };
    let mut report = ImportReport {
        file: name.to_string(),
        sha256,
        encoding: encoding.name().to_string(),
        dataset: dataset_ids.keys().cloned().collect::<Vec<_>>().join(","),
        rows: good,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        bad_rows,
        implausible: counts_by(&implausible),
        blank: counts_by(&blank),
        duration_ms: 0,
        state: "applied".into(),
    };
    if bad_count > options.max_bad_rows {
        drop(writer); // rolls back
        report.state = "rejected".into();
        report.rows = 0;
        report.duration_ms = started.elapsed().as_millis() as u64;
        record_rejected(db, import_id, &report, bad_count, started_ms).await?;
        return Err(ImportError::TooManyBadRows {
            report: Box::new(report),
            max: options.max_bad_rows,
        });
    }
    let counts = writer.finish().await?;
    report.inserted = counts.inserted;
    report.updated = counts.updated;
    report.unchanged = good.saturating_sub(counts.inserted + counts.updated);
    report.duration_ms = started.elapsed().as_millis() as u64;
    let changed = counts.inserted + counts.updated > 0;
    let datasets: Vec<String> = dataset_ids.into_keys().collect();
    match &mut writer.tx {
        super::store::ImportTx::Sqlite { tx, .. } => {
            finish_sqlite(
                tx, import_id, &report, bad_count, started_ms, &datasets, changed,
            )
            .await?
        }
        super::store::ImportTx::Postgres { tx, .. } => {
            finish_pg(
                tx, import_id, &report, bad_count, started_ms, &datasets, changed,
            )
            .await?
        }
    }
    match writer.tx {
        super::store::ImportTx::Sqlite { tx, .. } => {
            tx.commit().await.map_err(anyhow::Error::from)?
        }
        super::store::ImportTx::Postgres { tx, .. } => {
            tx.commit().await.map_err(anyhow::Error::from)?
        }
    }
    Ok(report)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The dataset summaries and the run record, on one connection (inside the import
/// transaction, or alone for a rejected run). One text for both backends.
macro_rules! summary_fns {
    ($finish:ident, $run:ident, $conn:ty) => {
        async fn $finish(
            conn: &mut $conn,
            import_id: Uuid,
            report: &ImportReport,
            bad_count: u64,
            started_ms: i64,
            datasets: &[String],
            changed: bool,
        ) -> anyhow::Result<()> {
            let now = chrono::Utc::now().timestamp_millis();
            for name in datasets {
                let years: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT reference_year, COUNT(*) FROM checkup_rows WHERE dataset = $1 \
                     GROUP BY reference_year ORDER BY reference_year",
                )
                .bind(name.as_str())
                .fetch_all(&mut *conn)
                .await?;
                let rows: i64 = years.iter().map(|(_, n)| n).sum();
                let year_list =
                    serde_json::to_string(&years.iter().map(|(y, _)| y).collect::<Vec<_>>())?;
                let source = if name == "sample" { "sample" } else { "nhis" };
                sqlx::query(
                    "INSERT INTO checkup_datasets (name, source, years, rows, version, updated_at) \
                     VALUES ($1, $2, $3, $4, 1, $5) \
                     ON CONFLICT (name) DO UPDATE SET years = excluded.years, rows = excluded.rows, \
                     version = checkup_datasets.version + $6, updated_at = excluded.updated_at",
                )
                .bind(name.as_str())
                .bind(source)
                .bind(year_list)
                .bind(rows)
                .bind(now)
                .bind(i64::from(changed))
                .execute(&mut *conn)
                .await?;
            }
            $run(conn, import_id, report, bad_count, started_ms, now).await
        }

        async fn $run(
            conn: &mut $conn,
            import_id: Uuid,
            report: &ImportReport,
            bad_count: u64,
            started_ms: i64,
            now: i64,
        ) -> anyhow::Result<()> {
            let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
            sqlx::query(
                "INSERT INTO import_runs (id, file, sha256, encoding, dataset, rows, inserted, updated, \
                 unchanged, bad_rows, report, state, started_at, finished_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(import_id)
            .bind(report.file.as_str())
            .bind(report.sha256.as_str())
            .bind(report.encoding.as_str())
            .bind(report.dataset.as_str())
            .bind(n(report.rows))
            .bind(n(report.inserted))
            .bind(n(report.updated))
            .bind(n(report.unchanged))
            .bind(n(bad_count))
            .bind(serde_json::to_string(report)?)
            .bind(report.state.as_str())
            .bind(started_ms)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    };
}

summary_fns!(finish_sqlite, run_sqlite, sqlx::SqliteConnection);
summary_fns!(finish_pg, run_pg, sqlx::PgConnection);

async fn record_rejected(
    db: &Db,
    import_id: Uuid,
    report: &ImportReport,
    bad_count: u64,
    started_ms: i64,
) -> anyhow::Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    match db {
        Db::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            run_sqlite(&mut conn, import_id, report, bad_count, started_ms, now).await
        }
        Db::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            run_pg(&mut conn, import_id, report, bad_count, started_ms, now).await
        }
    }
}
