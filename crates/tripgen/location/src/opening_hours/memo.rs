//! Parsing is pure, and the same few hundred expressions recur across thousands of places
//! (`Mo-Fr 09:00-18:00`), while every catalogue read (a generation reads ~1,500 places
//! per city) deserialises its places again: a bounded process-wide memo by text keeps the
//! parser off that path. The parsed expression is shared (`Arc` inside), so a hit is a
//! cheap clone.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::OpeningHours;

/// Distinct texts kept; past it the memo starts over (a catalogue has far fewer).
const CAPACITY: usize = 50_000;

static MEMO: LazyLock<Mutex<HashMap<Box<str>, OpeningHours>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// `parse(raw)` from the memo, or parsed now and remembered.
pub(super) fn parsed(raw: &str, parse: impl FnOnce(&str) -> OpeningHours) -> OpeningHours {
    if let Some(hit) = MEMO.lock().ok().and_then(|m| m.get(raw).cloned()) {
        return hit;
    }
    let value = parse(raw);
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= CAPACITY {
            memo.clear();
        }
        memo.insert(raw.into(), value.clone());
    }
    value
}
