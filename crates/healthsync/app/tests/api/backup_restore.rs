//! `healthsync backup` / `restore` (spec §1) through the platform's online SQLite backup:
//! a snapshot taken while the server serves, restored into a fresh data dir, serves the
//! same users (same generated keys: old tokens and encrypted fields still work).

use std::path::Path;

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{Backend, TestApp};

/// The embedded default with generated keys (none given in the configuration), in `dir`.
async fn start_in(dir: &Path) -> TestApp {
    let dir = dir.to_path_buf();
    TestApp::start_with(Backend::Sqlite, move |c| {
        c.data_dir = dir;
        c.auth.jwt_secret = None;
        c.security.field_encryption_key = None;
    })
    .await
    .expect("SQLite is always available")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_then_restore_into_a_fresh_data_dir() {
    let original = tempfile::tempdir().expect("tempdir");
    let app = start_in(original.path()).await;
    let config = app.config.clone();
    let token = app
        .active_user("backup-drill", "female", "1988-04-02")
        .await;
    let resp = app
        .post(
            "/api/v1/health/checkups/sync",
            serde_json::json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let latest: Value = app
        .get("/api/v1/health/checkups/latest", Some(&token))
        .await
        .json()
        .await
        .expect("json");

    let backups = tempfile::tempdir().expect("tempdir");
    let file = backups.path().join("healthsync.backup");
    let report = healthsync::backup::backup(&config, &file, false)
        .await
        .expect("backup while serving");
    assert!(report.bytes > 0 && report.migrations > 0, "{report:?}");
    assert_eq!(report.keys, vec!["secrets/jwt.key", "secrets/field.key"]);
    assert!(report.backup_summary().contains("integrity ok"));

    let err = healthsync::backup::backup(&config, &file, false)
        .await
        .expect_err("the file exists");
    assert!(err.to_string().contains("exists"), "{err}");
    let err = healthsync::backup::restore(&config, &file)
        .await
        .expect_err("the server has the database open");
    assert!(err.to_string().contains("healthsync serve"), "{err}");
    app.stop().await;

    let fresh = tempfile::tempdir().expect("tempdir");
    let mut restored = config.clone();
    restored.data_dir = fresh.path().to_path_buf();
    let r = healthsync::backup::restore(&restored, &file)
        .await
        .expect("restore");
    assert_eq!(r.keys.len(), 2);
    assert!(fresh.path().join("healthsync.db").is_file());
    assert_eq!(
        std::fs::read(fresh.path().join("secrets/field.key")).expect("restored key"),
        std::fs::read(original.path().join("secrets/field.key")).expect("original key")
    );

    let app = start_in(fresh.path()).await;
    // The old access token is valid (same JWT key); the encrypted profile reads back.
    let me: Value = app
        .get("/api/v1/users/me", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["name"], "김하나", "{me}");
    let again: Value = app
        .get("/api/v1/health/checkups/latest", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["checkupId"], latest["checkupId"]);
    assert_eq!(again["healthScore"], latest["healthScore"]);
    app.stop().await;

    // A second restore keeps the replaced database beside the new one.
    healthsync::backup::restore(&restored, &file)
        .await
        .expect("second restore");
    let kept = std::fs::read_dir(fresh.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .count();
    assert_eq!(kept, 1);
}

#[tokio::test]
async fn bad_input_is_refused_with_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = healthsync::config::HealthSyncConfig {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let err = healthsync::backup::backup(&config, &dir.path().join("x.backup"), false)
        .await
        .expect_err("no database yet");
    assert!(err.to_string().contains("no database at"), "{err}");
    assert!(err.to_string().contains("healthsync serve"), "{err}");
    let err = healthsync::backup::restore(&config, Path::new("/nonexistent.backup"))
        .await
        .expect_err("no file");
    assert!(err.to_string().contains("no backup file"), "{err}");
    let junk = dir.path().join("junk.backup");
    std::fs::write(&junk, b"not a database").expect("write");
    let err = healthsync::backup::restore(&config, &junk)
        .await
        .expect_err("junk");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    let mut pg = config.clone();
    pg.database.url = Some("postgres://u@127.0.0.1:1/db".into());
    let err = healthsync::backup::backup(&pg, &junk, true)
        .await
        .expect_err("PostgreSQL");
    assert!(err.to_string().contains("pg_dump"), "{err}");
}
