//! The response cache of `GET /goals/history` (HS-GOAL-040): the statistics read every
//! completion of up to 366 days, and the app asks for them on every visit of the history
//! screen, while they change only when the user completes, undoes, sets or resets.
//!
//! Invalidation by version: each user has a cache entry holding a random version, part of
//! every history key; every write of the user's goal data deletes the version (after its
//! commit), so the next read makes a new one and every older answer is unreachable (and
//! expires by TTL). A read takes the version before loading, so an answer computed from
//! data older than a write is always stored under a version that write deleted. Keys
//! also name the local day (today's row and streaks move at midnight) and the language.
//! Strict freshness: in-process only without Redis, Redis only with it (platform cache).

use std::time::Duration;

use sha2::{Digest, Sha256};
use tripgen_platform::cache::{Cache, Freshness};
use uuid::Uuid;

const TTL: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub struct HistoryCache {
    pub cache: Cache,
}

fn version_key(user: Uuid) -> String {
    format!("goal:history-version:{user}")
}

impl HistoryCache {
    /// The key of one history answer (`query`: the request's raw parameters).
    pub async fn key(
        &self,
        user: Uuid,
        day: &str,
        language: &str,
        query: &[Option<&str>],
    ) -> String {
        let vk = version_key(user);
        let version = match self.cache.get::<String>(&vk, Freshness::Strict).await {
            Some(v) => v,
            None => {
                let v = Uuid::now_v7().simple().to_string();
                // Outlives every entry made under it.
                self.cache.put(&vk, &v, TTL * 2, Freshness::Strict).await;
                v
            }
        };
        let mut h = Sha256::new();
        for q in query {
            h.update(q.unwrap_or("\u{0}"));
            h.update([0xff]);
        }
        let q: String = h
            .finalize()
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("goal:history:{user}:{version}:{day}:{language}:{q}")
    }

    pub fn ttl(&self) -> Duration {
        TTL
    }

    /// After every committed change of the user's goals, completions or ledger.
    pub async fn invalidate(&self, user: Uuid) {
        self.cache.invalidate(&version_key(user)).await;
    }
}
