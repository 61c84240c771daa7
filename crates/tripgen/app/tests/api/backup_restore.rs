//! The restore drill of docs/operations.md on the embedded SQLite store: serve, create
//! users and trips, back up while the server takes writes, restore into a fresh data dir,
//! serve again — every row written before the backup is there, and the generated keys
//! came along. Plus the refusals: a running server, bad paths, PostgreSQL.

use crate::common;

use std::time::Duration;

use chrono::Utc;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tripgen_platform::clock::ManualClock;

async fn new_trip(app: &TestApp, tok: &str, name: &str) -> String {
    let resp = app
        .post(
            "/api/v1/trips",
            json!({ "tripName": name, "transportMode": "public",
                    "members": [{ "name": "민지", "age": 34, "gender": "female",
                                  "healthStatus": "good", "preferences": ["culture"] }] }),
            Some(tok),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let t: Value = resp.json().await.unwrap();
    t["id"].as_str().unwrap().to_string()
}

async fn trip_names(app: &TestApp, tok: &str) -> Vec<String> {
    let resp = app.get("/api/v1/trips?size=50", Some(tok)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let list: Value = resp.json().await.unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tripName"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_then_restore_into_a_fresh_data_dir() {
    let Some(store) = Store::new(Backend::Sqlite).await else {
        return;
    };
    // The embedded default: keys generated into <data_dir>/secrets, not configured.
    let mut config = store.config();
    config.auth.jwt_secret = None;
    config.security.field_encryption_key = None;
    let app = TestApp::start(config.clone(), ManualClock::new(Utc::now())).await;
    let (tok, _) = app.user("drill").await;
    for i in 0..5 {
        new_trip(&app, &tok, &format!("before {i}")).await;
    }

    // Writes go on while the backup runs.
    let writer = {
        let base = app.base.clone();
        let tok = tok.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut n = 0;
            for i in 0..40 {
                let r = http
                    .post(format!("{base}/api/v1/trips"))
                    .bearer_auth(&tok)
                    .json(&json!({ "tripName": format!("during {i}"), "transportMode": "public",
                                   "members": [{ "name": "Jonas", "age": 36, "gender": "male",
                                                 "healthStatus": "good", "preferences": ["nature"] }] }))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(r.status(), StatusCode::CREATED);
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tripgen.backup");
    let report = tripgen::backup::backup(&config, &file, false)
        .await
        .expect("backup while serving");
    assert!(report.bytes > 0 && report.migrations > 0);
    assert_eq!(report.keys, vec!["secrets/jwt.key", "secrets/field.key"]);
    assert_eq!(writer.await.unwrap(), 40);

    // A second backup to the same name is refused; restore while serving is refused.
    let err = tripgen::backup::backup(&config, &file, false)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("exists"), "{err}");
    let err = tripgen::backup::restore(&config, &file).await.unwrap_err();
    assert!(err.to_string().contains("in use"), "{err}");
    app.stop().await;

    // Restore into a fresh data dir and serve again.
    let fresh = tempfile::tempdir().unwrap();
    let mut restored = config.clone();
    restored.data_dir = fresh.path().to_path_buf();
    let r = tripgen::backup::restore(&restored, &file)
        .await
        .expect("restore");
    assert_eq!(r.keys.len(), 2);
    assert_eq!(
        std::fs::read(fresh.path().join("secrets/field.key")).unwrap(),
        std::fs::read(store.data_dir.path().join("secrets/field.key")).unwrap()
    );
    let app = TestApp::start(restored.clone(), ManualClock::new(Utc::now())).await;
    // The old access token is still valid (same JWT key), and sign-in works.
    let names = trip_names(&app, &tok).await;
    for i in 0..5 {
        assert!(names.contains(&format!("before {i}")), "{names:?}");
    }
    // A consistent snapshot: the trips written during the backup are a prefix.
    let during = names.iter().filter(|n| n.starts_with("during")).count();
    for i in 0..during {
        assert!(names.contains(&format!("during {i}")), "prefix: {names:?}");
    }
    let login = app.login("drill", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    // The profile's encrypted fields read back with the restored field key.
    let me: Value = app
        .get("/api/v1/users/profile", Some(&tok))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["phone"], "010-1234-5678", "{me}");
    app.stop().await;

    // Restoring again over the data dir keeps the replaced database beside it.
    tripgen::backup::restore(&restored, &file)
        .await
        .expect("second restore");
    let kept = std::fs::read_dir(fresh.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .count();
    assert_eq!(kept, 1);
}

#[tokio::test]
async fn bad_paths_and_postgres_are_refused_with_clear_errors() {
    let store = Store::new(Backend::Sqlite).await.unwrap();
    let config = store.config();
    let err = tripgen::backup::backup(&config, &store.data_dir.path().join("x.db"), false)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no database at"), "{err}");
    // Create the database, then try bad destinations.
    let app = TestApp::start(config.clone(), ManualClock::new(Utc::now())).await;
    let err = tripgen::backup::backup(
        &config,
        std::path::Path::new("/nonexistent/dir/b.db"),
        false,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    let err = tripgen::backup::backup(&config, store.data_dir.path(), false)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    app.stop().await;
    let err = tripgen::backup::restore(&config, std::path::Path::new("/nonexistent.backup"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no backup file"), "{err}");
    let junk = store.data_dir.path().join("junk.backup");
    std::fs::write(&junk, b"not a database").unwrap();
    let err = tripgen::backup::restore(&config, &junk).await.unwrap_err();
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    let mut pg = config.clone();
    pg.database.url = Some("postgres://u@127.0.0.1:1/db".into());
    let err = tripgen::backup::backup(&pg, &junk, true).await.unwrap_err();
    assert!(err.to_string().contains("pg_dump"), "{err}");
}
