//! `backup` / `restore` of a product's embedded SQLite store (`tripgen backup`,
//! `healthsync backup`, …): the configuration's [`Product`] names the store.
//!
//! Backup is online: `VACUUM INTO` reads one consistent snapshot of the live WAL database
//! (writers go on), into a temporary file that is checked (`PRAGMA integrity_check`)
//! before it is renamed to the destination. The generated keys of `<data_dir>/secrets/`
//! travel inside the file (table [`Product::backup_files_table`]): without the field key the
//! encrypted columns of a restored database could not be read.
//!
//! Restore needs the server stopped: it refuses while any process has the database open
//! (an exclusive SQLite lock cannot be taken), keeps the replaced files beside the new
//! ones (`*.before-restore-<time>`), and installs the keys of the backup.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::config::{PlatformConfig, Product};
use crate::progress::{Progress, Unit};
use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

/// Files of the data dir carried inside a backup.
const KEY_FILES: &[&str] = &["jwt.key", "field.key"];

/// What a backup or restore did, for the command's report.
#[derive(Debug)]
pub struct Report {
    pub database: PathBuf,
    pub file: PathBuf,
    pub bytes: u64,
    pub keys: Vec<String>,
    /// Applied migrations in the file.
    pub migrations: i64,
}

impl Report {
    /// The command's summary after a backup.
    pub fn backup_summary(&self) -> String {
        let mut s = format!(
            "backup of {} written to {} ({} bytes, {} migrations, integrity ok)",
            self.database.display(),
            self.file.display(),
            self.bytes,
            self.migrations
        );
        if !self.keys.is_empty() {
            s.push_str(&format!(
                "\nit holds the generated keys ({}): keep it as secret as they are",
                self.keys.join(", ")
            ));
        }
        s
    }

    /// The command's summary after a restore.
    pub fn restore_summary(&self) -> String {
        format!(
            "restored {} from {} ({} migrations; keys: {}); start the server to apply newer migrations",
            self.database.display(),
            self.file.display(),
            self.migrations,
            if self.keys.is_empty() {
                "none".into()
            } else {
                self.keys.join(", ")
            }
        )
    }
}

/// The SQLite file the configuration points at, or why there is none.
pub fn database_path(config: &PlatformConfig) -> anyhow::Result<PathBuf> {
    match config.database.url.as_deref() {
        None => Ok(config.embedded_db_path()),
        Some(url) if url.starts_with("sqlite:") => {
            let opts = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("database.url `{url}`"))?;
            let path = opts.get_filename().to_path_buf();
            if path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:") {
                bail!("database.url `{url}` is an in-memory database: nothing to back up");
            }
            Ok(path)
        }
        Some(_) => bail!(
            "the database is PostgreSQL: back it up with pg_dump or the managed server's point-in-time restore (docs/operations.md, \"Backup and restore\")"
        ),
    }
}

async fn open(path: &Path, read_only: bool) -> anyhow::Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await
        .with_context(|| format!("cannot open {}", path.display()))
}

/// `PRAGMA integrity_check` and the number of applied migrations of the product's database.
async fn verify(product: Product, path: &Path) -> anyhow::Result<i64> {
    let mut conn = open(path, true).await?;
    let check: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .with_context(|| format!("{} is not an SQLite database", path.display()))?;
    if check.len() != 1 || check[0].0 != "ok" {
        let problems: Vec<String> = check.into_iter().take(5).map(|(s,)| s).collect();
        bail!(
            "{} failed the integrity check: {}",
            path.display(),
            problems.join("; ")
        );
    }
    let migrations: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "{} is not a {} database (no migrations table)",
                path.display(),
                product.name
            )
        })?;
    Ok(migrations.0)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string()
}

/// Writes a consistent copy of the live database (and the generated keys) to `file`.
pub async fn backup(config: &PlatformConfig, file: &Path, force: bool) -> anyhow::Result<Report> {
    let product = config.product;
    let database = database_path(config)?;
    if !database.is_file() {
        bail!(
            "no database at {} (is --data-dir right? `{} serve` creates it)",
            database.display(),
            product.name
        );
    }
    if file.is_dir() {
        bail!("{} is a directory: give a file name", file.display());
    }
    if file.exists() && !force {
        bail!(
            "{} exists: choose another name or pass --force",
            file.display()
        );
    }
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        bail!("folder {} does not exist", parent.display());
    }
    let tmp = sibling(file, &format!(".tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = async {
        let mut conn = open(&database, true).await?;
        copy_with_progress(&mut conn, &database, &tmp, "backup").await?;
        drop(conn);
        let keys = embed_keys(product, &config.data_dir.join("secrets"), &tmp).await?;
        let migrations = verify(product, &tmp).await?;
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot sync {}", tmp.display()))?;
        std::fs::rename(&tmp, file)
            .with_context(|| format!("cannot move the backup to {}", file.display()))?;
        let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        Ok(Report {
            database: database.clone(),
            file: file.to_path_buf(),
            bytes,
            keys,
            migrations,
        })
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `VACUUM INTO dest`, showing the copy growing against the size of `source` (+ WAL).
async fn copy_with_progress(
    conn: &mut SqliteConnection,
    source: &Path,
    dest: &Path,
    label: &str,
) -> anyhow::Result<()> {
    let len = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let total = len(source).saturating_add(len(&sibling(source, "-wal")));
    let progress = Progress::new(label, Some(total), Unit::Bytes);
    let watcher = {
        let (progress, dest) = (progress.clone(), dest.to_path_buf());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if let Ok(m) = tokio::fs::metadata(&dest).await {
                    progress.set_position(m.len().min(total));
                }
            }
        })
    };
    let result = sqlx::query("VACUUM INTO $1")
        .bind(dest.to_string_lossy().as_ref())
        .execute(&mut *conn)
        .await;
    watcher.abort();
    match result {
        Ok(_) => {
            progress.set_position(total);
            progress.finish("copied");
            Ok(())
        }
        Err(e) => {
            progress.abandon();
            Err(anyhow::Error::new(e).context(format!("cannot write {}", dest.display())))
        }
    }
}

async fn embed_keys(product: Product, dir: &Path, backup: &Path) -> anyhow::Result<Vec<String>> {
    let mut conn = open(backup, false).await?;
    sqlx::query(&format!(
        "CREATE TABLE {} (name TEXT PRIMARY KEY NOT NULL, content BLOB NOT NULL)",
        product.backup_files_table()
    ))
    .execute(&mut conn)
    .await?;
    let mut keys = Vec::new();
    for name in KEY_FILES {
        let path = dir.join(name);
        let Ok(content) = std::fs::read(&path) else {
            continue;
        };
        sqlx::query(&format!(
            "INSERT INTO {} (name, content) VALUES ($1, $2)",
            product.backup_files_table()
        ))
        .bind(format!("secrets/{name}"))
        .bind(content)
        .execute(&mut conn)
        .await?;
        keys.push(format!("secrets/{name}"));
    }
    Ok(keys)
}

/// Replaces the database (and the generated keys) with the backup in `file`.
pub async fn restore(config: &PlatformConfig, file: &Path) -> anyhow::Result<Report> {
    let product = config.product;
    let database = database_path(config)?;
    if !file.is_file() {
        bail!("no backup file at {}", file.display());
    }
    let migrations = verify(product, file).await?;
    if let Some(parent) = database.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    // A clean copy next to the database (same file system: the final rename is atomic).
    let tmp = sibling(&database, &format!(".restore-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    {
        let mut conn = open(file, true).await?;
        copy_with_progress(&mut conn, file, &tmp, "restore").await?;
    }
    let keys: Vec<(String, Vec<u8>)> = {
        let mut conn = open(&tmp, false).await?;
        let keys = sqlx::query_as(&format!(
            "SELECT name, content FROM {}",
            product.backup_files_table()
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
        sqlx::query(&format!(
            "DROP TABLE IF EXISTS {}",
            product.backup_files_table()
        ))
        .execute(&mut conn)
        .await?;
        keys
    };
    let stamp = stamp();
    if database.exists()
        && let Err(e) = take_over(product, &database).await
    {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if database.exists() {
        std::fs::rename(
            &database,
            sibling(&database, &format!(".before-restore-{stamp}")),
        )
        .with_context(|| format!("cannot move {} aside", database.display()))?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(&database, suffix));
    }
    std::fs::rename(&tmp, &database).with_context(|| {
        format!(
            "cannot move the restored database to {}",
            database.display()
        )
    })?;
    let dir = config.data_dir.join("secrets");
    let mut installed = Vec::new();
    for (name, content) in keys {
        let Some(base) = name
            .strip_prefix("secrets/")
            .filter(|b| KEY_FILES.contains(b))
        else {
            continue;
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(base);
        if std::fs::read(&path).ok().as_deref() == Some(content.as_slice()) {
            installed.push(name);
            continue;
        }
        if path.exists() {
            std::fs::rename(&path, sibling(&path, &format!(".before-restore-{stamp}")))
                .with_context(|| format!("cannot move {} aside", path.display()))?;
        }
        write_private(&path, &content)?;
        installed.push(name);
    }
    let bytes = std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0);
    Ok(Report {
        database,
        file: file.to_path_buf(),
        bytes,
        keys: installed,
        migrations,
    })
}

/// Fails while another process has the database open; else folds its WAL into the file
/// so nothing of it is left behind.
async fn take_over(product: Product, database: &Path) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(database)
        .busy_timeout(Duration::ZERO)
        .connect()
        .await
        .with_context(|| format!("cannot open {}", database.display()))?;
    let in_use = async {
        sqlx::query("PRAGMA locking_mode = EXCLUSIVE")
            .execute(&mut conn)
            .await?;
        sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await?;
        sqlx::query("COMMIT").execute(&mut conn).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
        Ok::<_, sqlx::Error>(())
    }
    .await;
    let _ = conn.close().await;
    if in_use.is_err() {
        bail!(
            "{} is in use (a `{} serve` or another program has it open): stop the server, then restore",
            database.display(),
            product.name
        );
    }
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(content)
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))
}
