//! The NHIS importer against real databases: SQLite always, PostgreSQL when
//! `HEALTHSYNC_TEST_PG_URL` (or `TRIPGEN_TEST_PG_URL`) is set (each test in its own schema).

use std::path::PathBuf;

use healthsync_health::domain::RangeTable;
use healthsync_health::nhis::{ImportError, ImportOptions, ImportReport, import_reader};
use tripgen_platform::{Db, with_db};

#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

struct TestDb {
    db: Db,
    _dir: tempfile::TempDir,
}

async fn open(backend: Backend) -> Option<TestDb> {
    let dir = tempfile::tempdir().ok()?;
    let db = match backend {
        Backend::Sqlite => Db::open_sqlite_file(&dir.path().join("t.db"), 4)
            .await
            .ok()?,
        Backend::Postgres => {
            let url = std::env::var("HEALTHSYNC_TEST_PG_URL")
                .or_else(|_| std::env::var("TRIPGEN_TEST_PG_URL"));
            let Ok(url) = url else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "TRIPGEN_TEST_PG_URL must be set in CI"
                );
                eprintln!(
                    "SKIPPED (PostgreSQL): set TRIPGEN_TEST_PG_URL to run this test on PostgreSQL"
                );
                return None;
            };
            let schema = format!("hs_{}", uuid::Uuid::now_v7().simple());
            let pool = sqlx::PgPool::connect(&url)
                .await
                .expect("connect to test PostgreSQL");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&pool)
                .await
                .expect("create schema");
            pool.close().await;
            let sep = if url.contains('?') { '&' } else { '?' };
            let mut config =
                tripgen_platform::PlatformConfig::new(tripgen_platform::Product::HEALTHSYNC);
            config.database.url = Some(format!(
                "{url}{sep}options=-c%20search_path%3D{schema},public"
            ));
            config.database.max_connections = 4;
            Db::connect(&config).await.expect("connect")
        }
    };
    db.migrate(&mut tripgen_platform::db::platform_migrations())
        .await
        .expect("platform migrations");
    db.migrate(&mut healthsync_health::migrations())
        .await
        .expect("health migrations");
    Some(TestDb { db, _dir: dir })
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../data/healthsync/nhis_sample.csv")
}

async fn import(
    db: &Db,
    path: &PathBuf,
    dataset: Option<&str>,
    max_bad_rows: u64,
) -> Result<ImportReport, ImportError> {
    let file = std::fs::File::open(path).expect("open fixture");
    let options = ImportOptions {
        dataset: dataset.map(str::to_string),
        max_bad_rows,
    };
    import_reader(
        db,
        &path.display().to_string(),
        file,
        None,
        &options,
        &mut |_| {},
    )
    .await
}

async fn count(db: &Db, sql: &str) -> i64 {
    with_db!(db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await)
    .expect("count")
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(super::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(super::Backend::Postgres).await;
                }
            }
        )*
    };
}

on_both_backends!(
    migration_seeds_the_v1_ranges,
    sample_imports_then_reimport_is_unchanged,
    changed_rows_are_updated,
    bad_rows_reported_and_all_or_nothing,
    cp949_and_implausible_values,
    aliases_bom_and_column_order,
    header_mismatch_writes_nothing,
    default_dataset_is_per_year,
);

async fn migration_seeds_the_v1_ranges(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let loaded = healthsync_health::ranges_repo::latest(&t.db)
        .await
        .expect("load");
    assert_eq!(loaded, Some(RangeTable::v1()));
}

async fn sample_imports_then_reimport_is_unchanged(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let r = import(&t.db, &sample(), Some("sample"), 0)
        .await
        .expect("import");
    assert_eq!(
        (r.rows, r.inserted, r.updated, r.unchanged),
        (5000, 5000, 0, 0)
    );
    assert_eq!(r.encoding, "UTF-8");
    assert!(r.bad_rows.is_empty());
    assert!(
        !r.implausible.is_empty(),
        "the sample carries 0.5 % implausible values"
    );
    assert_eq!(r.sha256.len(), 64);
    assert_eq!(
        count(&t.db, "SELECT COUNT(*) FROM checkup_rows").await,
        5000
    );
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(DISTINCT member_serial) FROM checkup_rows"
        )
        .await,
        1000
    );
    let again = import(&t.db, &sample(), Some("sample"), 0)
        .await
        .expect("again");
    assert_eq!(
        (again.rows, again.inserted, again.updated, again.unchanged),
        (5000, 0, 0, 5000)
    );
    assert_eq!(again.sha256, r.sha256);
    // Dataset summary and run records.
    assert_eq!(
        count(
            &t.db,
            "SELECT rows FROM checkup_datasets WHERE name = 'sample' AND source = 'sample'"
        )
        .await,
        5000
    );
    assert_eq!(
        count(
            &t.db,
            "SELECT version FROM checkup_datasets WHERE name = 'sample'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(*) FROM import_runs WHERE state = 'applied'"
        )
        .await,
        2
    );
}

async fn changed_rows_are_updated(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    import(&t.db, &fixture("cp949.csv"), Some("x"), 0)
        .await
        .expect("first");
    // The same rows, one SBP changed, written as UTF-8 this time.
    let text = encoding_rs::EUC_KR
        .decode(&std::fs::read(fixture("cp949.csv")).expect("read"))
        .0
        .into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut f: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    f[12] = "181".into();
    lines[2] = f.join(",");
    let dir = tempfile::tempdir().expect("tmp");
    let changed = dir.path().join("changed.csv");
    std::fs::write(&changed, lines.join("\n")).expect("write");
    let r = import(&t.db, &changed, Some("x"), 0).await.expect("second");
    assert_eq!(r.encoding, "UTF-8");
    assert_eq!((r.inserted, r.updated, r.unchanged), (0, 1, 3));
    assert_eq!(
        count(
            &t.db,
            "SELECT CAST(sbp AS BIGINT) FROM checkup_rows WHERE sbp = 181"
        )
        .await,
        181
    );
    assert_eq!(
        count(
            &t.db,
            "SELECT version FROM checkup_datasets WHERE name = 'x'"
        )
        .await,
        2
    );
}

async fn bad_rows_reported_and_all_or_nothing(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let err = import(&t.db, &fixture("bad_rows.csv"), Some("b"), 4)
        .await
        .err();
    let Some(ImportError::TooManyBadRows { report, max }) = err else {
        panic!("expected TOO_MANY_BAD_ROWS, got {err:?}");
    };
    assert_eq!(max, 4);
    assert_eq!(report.bad_rows.len(), 5);
    assert_eq!(
        count(&t.db, "SELECT COUNT(*) FROM checkup_rows").await,
        0,
        "nothing written"
    );
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(*) FROM import_runs WHERE state = 'rejected'"
        )
        .await,
        1
    );
    let expected = [
        (8, Some("기준년도"), "KEY_BLANK"),
        (9, Some("성별코드"), "KEY_INVALID"),
        (10, Some("수축기혈압"), "NOT_A_NUMBER"),
        (11, None, "COLUMN_COUNT"),
        (12, Some("가입자일련번호"), "DUPLICATE_KEY"),
    ];
    for (bad, (line, column, reason)) in report.bad_rows.iter().zip(expected) {
        assert_eq!(bad.line, line);
        assert_eq!(bad.column.as_deref(), column);
        assert!(bad.reason.starts_with(reason), "{bad:?}");
    }
    assert_eq!(report.bad_rows[2].value, "12x");
    // Default --max-bad-rows 0 refuses too; 5 allowed writes the six good rows.
    assert!(matches!(
        import(&t.db, &fixture("bad_rows.csv"), Some("b"), 0).await,
        Err(ImportError::TooManyBadRows { .. })
    ));
    let ok = import(&t.db, &fixture("bad_rows.csv"), Some("b"), 5)
        .await
        .expect("tolerated");
    assert_eq!((ok.rows, ok.inserted, ok.bad_rows.len()), (6, 6, 5));
    assert_eq!(count(&t.db, "SELECT COUNT(*) FROM checkup_rows").await, 6);
}

async fn cp949_and_implausible_values(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let r = import(&t.db, &fixture("cp949.csv"), Some("cp"), 0)
        .await
        .expect("import");
    assert_eq!(r.encoding, "CP949");
    assert_eq!(r.rows, 4);
    assert_eq!(r.implausible.get("허리둘레"), Some(&1));
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(*) FROM checkup_rows WHERE waist IS NULL"
        )
        .await,
        1
    );
}

async fn aliases_bom_and_column_order(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let r = import(&t.db, &fixture("aliases.csv"), Some("a"), 0)
        .await
        .expect("import");
    assert_eq!((r.rows, r.inserted), (5, 5));
    // The same persons from the canonical sample hash the same: (혈청지오티)ALT is ALT and
    // Y/N drinking is 1/0, so re-importing canonical rows changes only the oral columns.
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(*) FROM checkup_rows WHERE glucose IS NOT NULL AND alt IS NOT NULL"
        )
        .await,
        5
    );
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(*) FROM checkup_rows WHERE drinking IN (0, 1)"
        )
        .await,
        5
    );
}

async fn header_mismatch_writes_nothing(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let err = import(&t.db, &fixture("header_mismatch.csv"), None, 100)
        .await
        .err();
    match &err {
        Some(e @ ImportError::HeaderMismatch(m)) => {
            assert_eq!(m.unknown, vec!["비고".to_string()]);
            assert_eq!(e.exit_code(), 1);
            assert!(e.to_string().starts_with("HEADER_MISMATCH"));
        }
        other => panic!("expected HEADER_MISMATCH, got {other:?}"),
    }
    assert_eq!(count(&t.db, "SELECT COUNT(*) FROM checkup_rows").await, 0);
    assert_eq!(count(&t.db, "SELECT COUNT(*) FROM import_runs").await, 0);
}

async fn default_dataset_is_per_year(backend: Backend) {
    let Some(t) = open(backend).await else { return };
    let r = import(&t.db, &fixture("cp949.csv"), None, 0)
        .await
        .expect("import");
    assert_eq!(r.dataset, "nhis-2020");
    assert_eq!(
        count(
            &t.db,
            "SELECT COUNT(*) FROM checkup_datasets WHERE name = 'nhis-2020' AND source = 'nhis'"
        )
        .await,
        1
    );
}
