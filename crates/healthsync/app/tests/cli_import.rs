//! `healthsync import nhis` as a user runs it: the real binary, exit codes, JSON report.

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../health/tests/fixtures")
        .join(name)
}

fn run(data_dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_healthsync"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["import", "nhis"])
        .args(args)
        .env_remove("HEALTHSYNC_DATABASE__URL")
        .output()
        .expect("run healthsync");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_and_json_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |n: &str| fixture(n).display().to_string();

    let (code, stdout, stderr) = run(dir.path(), &[&path("header_mismatch.csv"), "--json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("HEADER_MISMATCH"), "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json");
    assert_eq!(v["code"], "HEADER_MISMATCH");
    assert_eq!(v["unknown"][0], "비고");

    let (code, stdout, stderr) = run(dir.path(), &[&path("bad_rows.csv"), "--dataset", "t"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("TOO_MANY_BAD_ROWS"), "{stderr}");
    assert!(stdout.contains("line 10: 수축기혈압 = \"12x\""), "{stdout}");

    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            &path("bad_rows.csv"),
            &path("cp949.csv"),
            "--dataset",
            "t",
            "--max-bad-rows",
            "5",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let reports: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON report per line"))
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(
        (
            reports[0]["rows"].clone(),
            reports[0]["badRows"].as_array().map(|a| a.len())
        ),
        (serde_json::json!(6), Some(5))
    );
    assert_eq!(reports[1]["encoding"], "CP949");
    for key in [
        "file",
        "sha256",
        "encoding",
        "dataset",
        "rows",
        "inserted",
        "updated",
        "unchanged",
        "badRows",
        "implausible",
        "blank",
        "durationMs",
    ] {
        assert!(reports[1].get(key).is_some(), "report lacks {key}");
    }
    // Progress goes to stderr, the report to stdout; a missing file is exit 1.
    let (code, _, stderr) = run(dir.path(), &["/nonexistent.csv"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open"));
}
