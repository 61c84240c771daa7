//! Intent level of the request suite (`data/eval/requests.json`): every request yields
//! exactly the wishes written beside it, on ≥ 95 % of the tuned cases. The holdout cases
//! (never tuned on) are reported, with a lower bar.

use tripgen_ai::requests::suite::{Suite, intent_accuracy};

fn suite() -> Suite {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../data/eval/requests.json"
    );
    let text = std::fs::read_to_string(path).expect("data/eval/requests.json is in the repository");
    Suite::from_json(&text).expect("the suite parses")
}

#[test]
fn requests_yield_their_intents() {
    let s = suite();
    let places = s.places();
    let tuned: Vec<_> = s.cases.iter().filter(|c| !c.holdout).collect();
    assert!(tuned.len() >= 60, "at least 60 requests");
    for lang in ["en", "ko"] {
        assert!(
            tuned.iter().filter(|c| c.lang == lang).count() >= 25,
            "{lang}"
        );
    }
    let (acc, n, misses) = intent_accuracy(tuned.iter().copied(), &places);
    for (text, got, want) in &misses {
        eprintln!("MISS {text}\n  got  {got:?}\n  want {want:?}");
    }
    eprintln!("intent accuracy: {:.1} % of {n} requests", acc * 100.0);
    let (h_acc, h_n, h_misses) = intent_accuracy(s.cases.iter().filter(|c| c.holdout), &places);
    for (text, got, want) in &h_misses {
        eprintln!("HOLDOUT MISS {text}\n  got  {got:?}\n  want {want:?}");
    }
    eprintln!(
        "holdout intent accuracy: {:.1} % of {h_n} requests",
        h_acc * 100.0
    );
    assert!(acc >= 0.95, "intent accuracy {acc:.3} < 0.95");
    assert!(h_acc >= 0.75, "holdout intent accuracy {h_acc:.3} < 0.75");
}
