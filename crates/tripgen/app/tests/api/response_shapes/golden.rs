//! The golden files: recording a session's responses as shapes, and checking them against
//! `golden/session.json` and `golden/openapi.json`.

use std::path::PathBuf;

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use super::shape::{conforms, merge, parse, render, shape};

fn golden(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/golden")
        .join(name)
}

fn updating() -> bool {
    std::env::var_os("TRIPGEN_UPDATE_GOLDEN").is_some()
}

/// Compares `actual` with the golden file `name` (or records it when updating).
pub fn check_golden(name: &str, actual: &Value) {
    let path = golden(name);
    let text = serde_json::to_string_pretty(actual).expect("JSON") + "\n";
    if updating() {
        std::fs::create_dir_all(path.parent().expect("golden dir")).expect("golden dir");
        std::fs::write(&path, text).expect("write golden");
        eprintln!("recorded {}", path.display());
        return;
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (record with TRIPGEN_UPDATE_GOLDEN=1)",
            path.display()
        )
    }))
    .expect("golden JSON");
    if &want != actual {
        let got = std::env::temp_dir().join(format!("actual-{name}"));
        let _ = std::fs::write(&got, &text);
        panic!(
            "{name} differs from {} (actual written to {})",
            path.display(),
            got.display()
        );
    }
}

/// Checks the session's steps against `golden/session.json`: the same steps with the same
/// statuses and media types, each body conforming to its recorded shape. Recording merges
/// this run into the file.
pub fn check_session(actual: &[Value]) {
    let path = golden("session.json");
    let recorded: Option<Vec<Value>> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let heading = |s: &Value| json!([s["step"], s["status"], s["contentType"]]);
    // Other media types are recorded as "<some bytes>" or "<no bytes>", kept as they are.
    let is_json = |s: &Value| {
        s["contentType"]
            .as_str()
            .is_some_and(|c| c.contains("json"))
    };
    let same_steps = |r: &[Value]| {
        r.len() == actual.len() && r.iter().zip(actual).all(|(r, a)| heading(r) == heading(a))
    };
    if updating() {
        let steps: Vec<Value> = match recorded {
            Some(r) if same_steps(&r) => r
                .iter()
                .zip(actual)
                .map(|(r, a)| {
                    let mut s = a.clone();
                    if is_json(a) {
                        s["body"] = render(&merge(parse(&r["body"]), parse(&a["body"])));
                    }
                    s
                })
                .collect(),
            _ => actual.to_vec(),
        };
        return check_golden("session.json", &Value::Array(steps));
    }
    let recorded = recorded.unwrap_or_else(|| {
        panic!(
            "{}: missing or not JSON (record with TRIPGEN_UPDATE_GOLDEN=1)",
            path.display()
        )
    });
    let got = std::env::temp_dir().join("actual-session.json");
    let _ = std::fs::write(
        &got,
        serde_json::to_string_pretty(actual).unwrap_or_default(),
    );
    let headings = |v: &[Value]| v.iter().map(heading).collect::<Vec<_>>();
    assert_eq!(
        headings(&recorded),
        headings(actual),
        "the session's steps differ from session.json (actual: {})",
        got.display()
    );
    for (r, a) in recorded.iter().zip(actual) {
        let conforming = if is_json(a) {
            conforms(&parse(&a["body"]), &parse(&r["body"]), "body")
        } else if r["body"] == a["body"] {
            Ok(())
        } else {
            Err(format!(
                "body: {} where the recording has {}",
                a["body"], r["body"]
            ))
        };
        if let Err(e) = conforming {
            panic!(
                "step {:?} does not conform to session.json: {e} (actual: {})",
                a["step"],
                got.display()
            );
        }
    }
}

/// Records each response of the session as `{step, status, contentType, body}`.
pub struct Recorder {
    pub steps: Vec<Value>,
}

impl Recorder {
    /// Records `resp` (which must have status `want`) and returns its JSON body
    /// (`Null` for other media types).
    pub async fn take(&mut self, step: &str, resp: Response, want: StatusCode) -> Value {
        let status = resp.status();
        let ct = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp.bytes().await.expect("body");
        let json_body = ct.contains("json");
        let body: Value = if json_body {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{step}: bad JSON: {e}"))
        } else {
            Value::Null
        };
        assert_eq!(status, want, "{step}: {}", String::from_utf8_lossy(&bytes));
        self.steps.push(json!({
            "step": step,
            "status": status.as_u16(),
            "contentType": ct,
            "body": if json_body { render(&shape(&body)) } else { json!(format!("<{} bytes>", if bytes.is_empty() { "no" } else { "some" })) },
        }));
        body
    }
}
