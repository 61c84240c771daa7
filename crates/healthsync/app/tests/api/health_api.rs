//! HS-HEALTH-010…060 over HTTP on the bundled sample: sync with the stand-in link and its
//! notice, latest, by id, history with series and bands, ranges, checkup files, limits,
//! re-judging on a new range version or a changed source row.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tripgen_platform::with_db;

use crate::common::{Backend, Identity, TestApp, problem, profile};
use crate::on_both_backends;

on_both_backends!(
    sync_links_by_the_stand_in_rule,
    latest_by_id_and_history,
    ranges_per_sex,
    checkup_files_sniffing_limits_and_owner_only,
);

const SYNC: &str = "/api/v1/health/checkups/sync";

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    with_db!(&app.platform.db, |pool| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await)
    .expect("scalar")
}

async fn sync_links_by_the_stand_in_rule(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    // A pending profile cannot sync.
    let answer = app.sign_in(Identity::new("pending-user")).await;
    let pending = answer["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (status, body) = problem(app.post(SYNC, json!({}), Some(&pending)).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::CONFLICT, json!("PROFILE_INCOMPLETE"))
    );
    let missing: Vec<&str> = body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        missing,
        [
            "name",
            "birthDate",
            "sex",
            "occupationCode",
            "healthDataConsent"
        ]
    );

    let token = app.active_user("stand-in", "male", "1988-05-20").await;
    let resp = app.post(SYNC, json!({}), Some(&token)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let s: Value = resp.json().await.expect("json");
    assert_eq!(s["status"], "synced");
    assert_eq!(s["recordsSynced"], 5);
    assert_eq!(s["latestYear"], 2024);
    assert_eq!(s["readyForAnalysis"], true);
    assert_eq!(s["link"]["source"], "sample");
    assert_eq!(s["link"]["dataset"], "sample");
    assert_eq!(s["link"]["referenceYear"], 2024);
    assert_eq!(s["link"]["matchedSex"], "male");
    assert!(
        s["link"]["notice"]
            .as_str()
            .unwrap_or_default()
            .starts_with("샘플 데이터")
    );
    // The documented rule: 36 on 31 Dec 2024 → band 8; candidates of that sex and band
    // in 2024 ordered by serial; index = first 8 bytes of SHA-256(issuer|sub) mod count.
    assert_eq!(s["link"]["matchedAgeBand"], 8);
    let serials: Vec<i64> = with_db!(&app.platform.db, |pool| {
        sqlx::query_scalar(
        "SELECT member_serial FROM checkup_rows WHERE dataset = 'sample' AND reference_year = 2024 \
         AND sex = 1 AND age_band = 8 ORDER BY member_serial"
    )
    .fetch_all(pool)
    .await
    })
    .expect("candidates");
    let digest = Sha256::digest(format!("{}|stand-in", app.provider.issuer).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let expected = serials[(u64::from_be_bytes(first) % serials.len() as u64) as usize];
    assert_eq!(
        scalar(&app, "SELECT member_serial FROM checkup_links").await,
        expected
    );
    // Idempotent.
    let again: Value = app
        .post(SYNC, json!({}), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["status"], "unchanged");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkups").await, 5);
    // One health-synced event per sync that processed something.
    let events: Vec<String> = with_db!(&app.platform.db, |pool| sqlx::query_scalar(
        "SELECT payload FROM jobs WHERE kind = 'health-synced'"
    )
    .fetch_all(pool)
    .await)
    .expect("events");
    assert_eq!(events.len(), 1);
    let e: Value = serde_json::from_str(&events[0]).expect("envelope");
    assert_eq!(e["type"], "health-synced");
    assert_eq!(e["version"], 1);
    assert_eq!(e["data"]["latestYear"], 2024);
    assert_eq!(e["data"]["checkupIds"].as_array().map(|a| a.len()), Some(5));
    assert!(
        ["low", "moderate", "high"].contains(&e["data"]["riskLevel"].as_str().unwrap_or_default())
    );
    // English notice on request.
    let resp = app
        .http
        .post(app.url(SYNC))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .send()
        .await
        .expect("send");
    let en: Value = resp.json().await.expect("json");
    assert!(
        en["link"]["notice"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Sample data:")
    );
    app.stop().await;
}

fn penalty(group: &str, status: &str) -> i64 {
    let (w, d) = match group {
        "blood_pressure" | "blood_sugar" => (8, 20),
        "obesity" | "kidney" => (5, 15),
        "lipids" | "liver" => (5, 12),
        "anemia" => (3, 8),
        "smoking" => (3, 15),
        "drinking" => (5, 5),
        _ => (0, 0),
    };
    match status {
        "warning" => w,
        "danger" => d,
        _ => 0,
    }
}

async fn latest_by_id_and_history(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let token = app.active_user("history", "female", "1979-11-30").await;
    let (status, body) = problem(
        app.get("/api/v1/health/checkups/latest", Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("CHECKUP_NOT_FOUND"))
    );
    app.post(SYNC, json!({}), Some(&token)).await;
    let latest: Value = app
        .get("/api/v1/health/checkups/latest", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(latest["referenceYear"], 2024);
    assert_eq!(latest["source"], "sample");
    assert!(latest["link"]["notice"].is_string());
    // Score and risk exactly from the group statuses (§2.2).
    let groups = latest["groups"].as_object().cloned().unwrap_or_default();
    let total: i64 = groups
        .iter()
        .map(|(g, s)| penalty(g, s.as_str().unwrap_or("")))
        .sum();
    let score = (100 - total).max(0);
    assert_eq!(latest["healthScore"], score);
    let dangers = groups.values().filter(|s| *s == "danger").count();
    let risk = if score < 60 || dangers >= 2 {
        "high"
    } else if score < 80 || dangers == 1 {
        "moderate"
    } else {
        "low"
    };
    assert_eq!(latest["riskLevel"], risk);
    // Items carry unit, status, group and the women's bands.
    let items = latest["items"].as_array().cloned().unwrap_or_default();
    let waist = items.iter().find(|i| i["code"] == "waist");
    if let Some(w) = waist {
        assert_eq!(w["unit"], "cm");
        assert_eq!(w["group"], "obesity");
        assert_eq!(w["bands"]["normal"][0]["max"], 79.9);
    }
    let height = items.iter().find(|i| i["code"] == "height");
    if let Some(h) = height {
        assert!(h["status"].is_null());
    }
    // The sample row is drawn per user, and some rows lack height or weight:
    // BMI is derived exactly when both were measured.
    let measured = |code: &str| {
        items
            .iter()
            .any(|i| i["code"] == code && i["value"].is_number())
    };
    assert_eq!(
        latest["bmi"].is_number(),
        measured("height") && measured("weight"),
        "bmi {:?}",
        latest["bmi"]
    );
    assert!(latest["notMeasured"].is_array());
    // By id: mine → 200; someone else's → 404; garbage → 404.
    let id = latest["checkupId"].as_str().unwrap_or_default().to_string();
    let mine = app
        .get(&format!("/api/v1/health/checkups/{id}"), Some(&token))
        .await;
    assert_eq!(mine.status(), StatusCode::OK);
    let other = app.active_user("other", "male", "1990-01-01").await;
    let (status, _) = problem(
        app.get(&format!("/api/v1/health/checkups/{id}"), Some(&other))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = problem(
        app.get("/api/v1/health/checkups/not-a-uuid", Some(&token))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // History: oldest first, series per item, bands to shade.
    let h: Value = app
        .get("/api/v1/health/checkups?limit=3", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let years: Vec<i64> = h["records"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["referenceYear"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(years, [2022, 2023, 2024]);
    let sbp = h["series"]["sbp"].as_array().cloned().unwrap_or_default();
    assert!(!sbp.is_empty() && sbp.len() <= 3);
    assert!(
        sbp.windows(2)
            .all(|w| w[0]["year"].as_i64() < w[1]["year"].as_i64())
    );
    assert_eq!(h["bands"]["sbp"]["danger"][0]["min"], 140.0);
    let all: Value = app
        .get("/api/v1/health/checkups", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["records"].as_array().map(|a| a.len()), Some(5));
    for bad in ["0", "11", "x"] {
        let (status, body) = problem(
            app.get(
                &format!("/api/v1/health/checkups?limit={bad}"),
                Some(&token),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("limit"))
        );
    }
    app.stop().await;
}

async fn ranges_per_sex(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let men: Value = app
        .get("/api/v1/health/ranges?sex=male", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(men["version"], 1);
    let item = |v: &Value, code: &str| {
        v["items"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["code"] == code).cloned())
            .unwrap_or_default()
    };
    assert_eq!(item(&men, "waist")["normal"][0]["max"], 84.9);
    assert_eq!(item(&men, "waist")["sex"], "male");
    assert_eq!(item(&men, "sbp")["danger"][0]["min"], 140.0);
    assert_eq!(item(&men, "alt")["source"], "product rule");
    assert_eq!(item(&men, "alt")["group"], "liver");
    assert_eq!(item(&men, "vision_left")["group"], "shown");
    assert_eq!(item(&men, "sbp")["name"], "수축기 혈압");
    let women: Value = app
        .get("/api/v1/health/ranges?sex=female&lang=en", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(item(&women, "waist")["normal"][0]["max"], 79.9);
    assert_eq!(item(&women, "ggt")["danger"][0]["min"], 46.0);
    assert_eq!(item(&women, "sbp")["name"], "Systolic blood pressure");
    for q in ["", "?sex=other"] {
        let (status, body) =
            problem(app.get(&format!("/api/v1/health/ranges{q}"), None).await).await;
        assert_eq!(
            (status, body["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("sex"))
        );
    }
    app.stop().await;
}

async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    app.http
        .post(app.url("/api/v1/health/checkup-files"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload")
}

async fn checkup_files_sniffing_limits_and_owner_only(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.health.import_sample = false).await else {
        return;
    };
    let a = app.sign_in(Identity::new("files-a")).await["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let b = app.sign_in(Identity::new("files-b")).await["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let png = b"\x89PNG\r\n\x1a\nrest-of-image".to_vec();
    let resp = upload(&app, &a, "검진결과.png", png.clone()).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let f: Value = resp.json().await.expect("json");
    assert_eq!(f["contentType"], "image/png");
    assert_eq!(f["fileName"], "검진결과.png");
    assert_eq!(f["sizeBytes"], png.len());
    let id = f["fileId"].as_str().unwrap_or_default().to_string();
    // Type by content, not by name.
    let (status, body) = problem(upload(&app, &a, "fake.pdf", b"GIF89a....".to_vec()).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            json!("UNSUPPORTED_FILE_TYPE")
        )
    );
    // Over 10 MB.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'x');
    let (status, body) = problem(upload(&app, &a, "big.pdf", big).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::PAYLOAD_TOO_LARGE, json!("FILE_TOO_LARGE"))
    );
    // Owner only.
    let download = app
        .get(&format!("/api/v1/health/checkup-files/{id}"), Some(&a))
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "image/png");
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), png);
    assert_eq!(
        app.get(&format!("/api/v1/health/checkup-files/{id}"), Some(&b))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&format!("/api/v1/health/checkup-files/{id}"), Some(&b))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let list_b: Value = app
        .get("/api/v1/health/checkup-files", Some(&b))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list_b["items"], json!([]));
    // At most 20 per user.
    for i in 1..20 {
        assert_eq!(
            upload(
                &app,
                &a,
                &format!("{i}.jpg"),
                vec![0xFF, 0xD8, 0xFF, 0xE0, i as u8]
            )
            .await
            .status(),
            StatusCode::CREATED
        );
    }
    let (status, body) = problem(upload(&app, &a, "21.pdf", b"%PDF-1.4".to_vec()).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::CONFLICT, json!("FILE_LIMIT"))
    );
    let list: Value = app
        .get("/api/v1/health/checkup-files", Some(&a))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().map(|a| a.len()), Some(20));
    assert_eq!(
        app.delete(&format!("/api/v1/health/checkup-files/{id}"), Some(&a))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&format!("/api/v1/health/checkup-files/{id}"), Some(&a))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // No file field.
    let resp = app
        .http
        .post(app.url("/api/v1/health/checkup-files"))
        .bearer_auth(&a)
        .multipart(reqwest::multipart::Form::new().text("other", "x"))
        .send()
        .await
        .expect("send");
    let (status, body) = problem(resp).await;
    assert_eq!(
        (status, body["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("file"))
    );
    app.stop().await;
}

on_both_backends!(sync_limit_relink_and_rejudging);

async fn sync_limit_relink_and_rejudging(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let token = app.active_user("limits", "male", "1995-02-14").await;
    for _ in 0..10 {
        assert_eq!(
            app.post(SYNC, json!({}), Some(&token)).await.status(),
            StatusCode::OK
        );
    }
    let resp = app.post(SYNC, json!({}), Some(&token)).await;
    assert!(resp.headers().get("retry-after").is_some());
    let (status, body) = problem(resp).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::TOO_MANY_REQUESTS, json!("RATE_LIMITED"))
    );
    app.clock.advance(chrono::Duration::minutes(61));
    // The access token expired with the hour; sign in again (same account, still active).
    let again = app.sign_in(Identity::new("limits")).await;
    assert_eq!(again["profileComplete"], true);
    let token = again["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // A new range version re-judges every record at the next sync.
    with_db!(&app.platform.db, |pool| sqlx::query(
        "INSERT INTO normal_ranges (version, item_code, sex, unit, band, part, min_value, max_value, item_group, source) \
         SELECT 2, item_code, sex, unit, band, part, min_value, max_value, item_group, source FROM normal_ranges WHERE version = 1"
    )
    .execute(pool)
    .await
    .map(|_| ()))
    .expect("v2");
    let s: Value = app
        .post(SYNC, json!({}), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(s["status"], "synced");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM checkups WHERE ranges_version = 2"
        )
        .await,
        5
    );
    // A changed source row of the linked person is picked up (HS-HEALTH-060), through the importer.
    let serial = scalar(&app, "SELECT member_serial FROM checkup_links").await;
    let sample = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../data/healthsync/nhis_sample.csv"),
    )
    .expect("sample");
    let mut lines = sample.lines();
    let header = lines.next().unwrap_or_default();
    let row = lines
        .find(|l| l.starts_with(&format!("2024,{serial},")))
        .unwrap_or_default();
    let mut fields: Vec<String> = row.split(',').map(str::to_string).collect();
    fields[12] = "187".into(); // 수축기혈압
    let csv = format!("{header}\n{}\n", fields.join(","));
    let report = healthsync_health::nhis::import_reader(
        &app.platform.db,
        "changed.csv",
        csv.as_bytes(),
        None,
        &healthsync_health::nhis::ImportOptions {
            dataset: Some("sample".into()),
            max_bad_rows: 0,
        },
        &mut |_| {},
    )
    .await
    .expect("import");
    assert_eq!(report.updated, 1);
    let s: Value = app
        .post(SYNC, json!({}), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(s["status"], "synced");
    let latest: Value = app
        .get("/api/v1/health/checkups/latest", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let sbp = latest["items"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["code"] == "sbp").cloned())
        .unwrap_or_default();
    assert_eq!(
        (sbp["value"].clone(), sbp["status"].clone()),
        (json!(187.0), json!("danger"))
    );
    assert_eq!(latest["groups"]["blood_pressure"], "danger");
    // A change of sex re-links (and drops the derived records).
    let resp = app
        .put(
            "/api/v1/users/me/profile",
            profile("female", "1995-02-14"),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkups").await, 0);
    let s: Value = app
        .post(SYNC, json!({}), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(s["link"]["matchedSex"], "female");
    app.stop().await;
}
