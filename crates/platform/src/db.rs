//! Relational storage: SQLite (WAL) in the data dir by default, PostgreSQL by URL.
//!
//! Repositories write one SQL text for both (`$1` placeholders work in both; instants are
//! epoch milliseconds, ids are UUIDs, integers BIGINT) and run it on whichever pool is
//! configured through [`with_db!`]. Only DDL differs, so each context keeps two migration
//! folders.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::config::PlatformConfig;

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool, whichever backend is configured.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Starting a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`, which takes the
/// write lock up front and so waits out the busy timeout like any single statement; a
/// deferred `BEGIN` that reads first and writes later fails at once with "database is
/// locked" when another connection committed in between (WAL cannot upgrade a stale read
/// snapshot), which is what job workers and imports hit under load. PostgreSQL: `BEGIN`.
pub trait WritePool {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>,
    > + Send;
}

impl WritePool for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>,
    > + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl WritePool for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>,
    > + Send {
        self.begin()
    }
}

/// The migrations of one bounded context, one folder per backend. Version numbers are
/// disjoint between contexts (platform 1xx, user 1xxx, trip 2xxx, location 3xxx, ai 4xxx)
/// so all contexts share the one `_sqlx_migrations` table.
pub struct ContextMigrations {
    pub context: &'static str,
    pub sqlite: Migrator,
    pub postgres: Migrator,
}

impl Db {
    pub async fn connect(config: &PlatformConfig) -> anyhow::Result<Db> {
        match config.database.url.as_deref() {
            Some(url) if url.starts_with("postgres") => {
                let opts = PgConnectOptions::from_str(url)
                    .map_err(|e| anyhow::anyhow!("database.url: {e}"))?;
                let pool = PgPoolOptions::new()
                    .max_connections(config.database.max_connections)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(opts)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL: {e}"))?;
                Ok(Db::Postgres(pool))
            }
            Some(url) => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|e| anyhow::anyhow!("database.url: {e}"))?;
                Self::open_sqlite(opts, config.database.max_connections).await
            }
            None => {
                std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                    anyhow::anyhow!("cannot create data dir {}: {e}", config.data_dir.display())
                })?;
                Self::open_sqlite_file(&config.embedded_db_path(), config.database.max_connections)
                    .await
            }
        }
    }

    pub async fn open_sqlite_file(path: &Path, max_connections: u32) -> anyhow::Result<Db> {
        let opts = SqliteConnectOptions::new().filename(path);
        Self::open_sqlite(opts, max_connections).await
    }

    async fn open_sqlite(opts: SqliteConnectOptions, max_connections: u32) -> anyhow::Result<Db> {
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections.clamp(1, 8))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open SQLite database: {e}"))?;
        Ok(Db::Sqlite(pool))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_db!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ()))
    }

    /// Applies one context's pending migrations. Other contexts' versions are ignored.
    pub async fn migrate(&self, migrations: &mut ContextMigrations) -> anyhow::Result<()> {
        let context = migrations.context;
        match self {
            Db::Sqlite(pool) => {
                migrations.sqlite.set_ignore_missing(true);
                migrations.sqlite.run(pool).await
            }
            Db::Postgres(pool) => {
                migrations.postgres.set_ignore_missing(true);
                migrations.postgres.run(pool).await
            }
        }
        .map_err(|e| anyhow::anyhow!("migrations of the {context} context failed: {e}"))
    }

    pub async fn close(&self) {
        with_db!(self, |pool| pool.close().await)
    }
}

/// Whether an error is a unique-constraint violation (e.g. a duplicate username).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

/// The platform's own tables (token deny-list).
pub fn platform_migrations() -> ContextMigrations {
    ContextMigrations {
        context: "platform",
        sqlite: sqlx::migrate!("./migrations/sqlite"),
        postgres: sqlx::migrate!("./migrations/postgres"),
    }
}
