//! The opaque keyset cursor: the last sort key of a page, bound to its query by a
//! fingerprint so a cursor cannot be replayed against another search.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::{NearbyQuery, fold};
use crate::error::ValidationError;

/// Totally ordered sort key; what the cursor stores.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct SortKey {
    pub(super) a: i64,
    pub(super) b: i64,
    pub(super) t: String,
    pub(super) id: String,
}

#[derive(Serialize, Deserialize)]
struct Cursor {
    /// Fingerprint of the query the cursor belongs to.
    q: String,
    k: SortKey,
}

/// Stable (FNV-1a) fingerprint of everything that defines the result order and set.
fn fingerprint(q: &NearbyQuery) -> String {
    let text = format!(
        "{:.7}|{:.7}|{}|{}|{:?}|{}|{}",
        q.origin.lat(),
        q.origin.lon(),
        q.mode,
        q.budget.minutes(),
        q.filter,
        q.keyword.as_deref().map(fold).unwrap_or_default(),
        q.sort.as_str()
    );
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

pub(super) fn encode_cursor(query: &NearbyQuery, key: SortKey) -> Option<String> {
    let cursor = Cursor {
        q: fingerprint(query),
        k: key,
    };
    serde_json::to_vec(&cursor)
        .ok()
        .map(|json| URL_SAFE_NO_PAD.encode(json))
}

pub(super) fn decode_cursor(query: &NearbyQuery, raw: &str) -> Result<SortKey, ValidationError> {
    let invalid = || ValidationError::InvalidCursor {
        field: "cursor".to_owned(),
    };
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
    let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if cursor.q != fingerprint(query) {
        return Err(invalid());
    }
    Ok(cursor.k)
}
