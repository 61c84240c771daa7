//! The deny-list answered from memory (issue 29). Every authenticated request asks "has
//! this session ended?", almost always of a live session, so the store round trip is
//! repeated work. [`DenyListMemo`] remembers, per process:
//!
//! - ended sessions (until their tokens could have expired): a revocation made here is
//!   known here at once — window 0 for the local node;
//! - sessions found live ("negatives"), but only while it cannot miss a revocation made
//!   elsewhere:
//!   - with Redis, revocations are also published on [`CHANNEL`]; every process listens
//!     and forgets the session's negative. While the subscription is down (not yet up,
//!     reconnecting) negatives are neither used nor kept, and a reconnect forgets them
//!     all, since messages sent meanwhile are lost. Negatives also expire after
//!     [`NEGATIVE_TTL`] as a last guard.
//!   - without Redis, only when this process alone serves the embedded store (SQLite with
//!     the data-dir lock held, `data_dir_lock`): no other process can end a session then.
//!     Otherwise (PostgreSQL without Redis) every check goes to the store, as before.
//!
//! A check that raced a revocation (it read "live" from the store while the session was
//! being ended) must not store that stale negative: an epoch counter bumped by every
//! revocation, seen before the read and compared after it, drops such answers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use uuid::Uuid;

use crate::auth::DenyList;
use crate::clock::{from_millis, to_millis};

/// Redis channel of revocations: the payload is `<session id> <until, epoch ms>`.
pub const CHANNEL: &str = "auth:revoked-sessions";
/// Longest life of a remembered "live" answer (a guard; invalidation is by message).
pub const NEGATIVE_TTL: Duration = Duration::from_secs(60);
const NEGATIVES_MAX: u64 = 100_000;

/// How revocations elsewhere reach this process.
pub enum Reach {
    /// This process is the only one that can end sessions.
    Alone,
    /// Other processes publish on Redis (`client` subscribes, `conn` publishes).
    Redis {
        client: redis::Client,
        conn: redis::aio::ConnectionManager,
    },
}

struct State {
    ended: RwLock<HashMap<Uuid, i64>>,
    negatives: moka::future::Cache<Uuid, ()>,
    epoch: AtomicU64,
    /// Whether negatives may be used and kept (always when alone; when subscribed).
    trusted: AtomicBool,
}

impl State {
    fn ended_until(&self, sid: Uuid) -> Option<i64> {
        self.ended.read().ok()?.get(&sid).copied()
    }

    async fn learn_revoked(&self, sid: Uuid, until_ms: i64) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut ended) = self.ended.write() {
            let now = to_millis(Utc::now());
            // Keep the map as small as the set of tokens that can still be presented.
            if ended.len() > 1024 {
                ended.retain(|_, until| *until > now);
            }
            let e = ended.entry(sid).or_insert(until_ms);
            *e = (*e).max(until_ms);
        }
        self.negatives.invalidate(&sid).await;
    }

    async fn forget_negatives(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.negatives.invalidate_all();
    }
}

/// A [`DenyList`] that answers from memory where it safely can (see the module docs).
pub struct DenyListMemo {
    inner: Arc<dyn DenyList>,
    state: Arc<State>,
    publish: Option<redis::aio::ConnectionManager>,
}

impl DenyListMemo {
    /// Wraps `inner`; with [`Reach::Redis`] starts the listener (it ends with the memo).
    pub fn new(inner: Arc<dyn DenyList>, reach: Reach) -> DenyListMemo {
        let state = Arc::new(State {
            ended: RwLock::new(HashMap::new()),
            negatives: moka::future::Cache::builder()
                .max_capacity(NEGATIVES_MAX)
                .time_to_live(NEGATIVE_TTL)
                .build(),
            epoch: AtomicU64::new(0),
            trusted: AtomicBool::new(matches!(reach, Reach::Alone)),
        });
        let publish = match reach {
            Reach::Alone => None,
            Reach::Redis { client, conn } => {
                tokio::spawn(listen(client, Arc::downgrade(&state)));
                Some(conn)
            }
        };
        DenyListMemo {
            inner,
            state,
            publish,
        }
    }
}

#[async_trait]
impl DenyList for DenyListMemo {
    async fn revoke(&self, session_id: Uuid, until: DateTime<Utc>) -> anyhow::Result<()> {
        self.inner.revoke(session_id, until).await?;
        self.state.learn_revoked(session_id, to_millis(until)).await;
        if let Some(conn) = &self.publish {
            let mut conn = conn.clone();
            let payload = format!("{session_id} {}", to_millis(until));
            // The store holds the revocation already; a lost message leaves other nodes
            // checking the store once their negative expires (or at their reconnect).
            if let Err(e) = redis::cmd("PUBLISH")
                .arg(CHANNEL)
                .arg(payload)
                .query_async::<i64>(&mut conn)
                .await
            {
                tracing::error!(error = %e, "deny-list: cannot publish a revocation");
            }
        }
        Ok(())
    }

    async fn is_revoked(&self, session_id: Uuid, now: DateTime<Utc>) -> anyhow::Result<bool> {
        if let Some(until) = self.state.ended_until(session_id)
            && from_millis(until) > now
        {
            return Ok(true);
        }
        let trusted = self.state.trusted.load(Ordering::SeqCst);
        if trusted && self.state.negatives.contains_key(&session_id) {
            metrics::counter!("deny_list_checks_total", "answer" => "memory").increment(1);
            return Ok(false);
        }
        let epoch = self.state.epoch.load(Ordering::SeqCst);
        let revoked = self.inner.is_revoked(session_id, now).await?;
        metrics::counter!("deny_list_checks_total", "answer" => "store").increment(1);
        if !revoked
            && trusted
            && self.state.trusted.load(Ordering::SeqCst)
            && self.state.epoch.load(Ordering::SeqCst) == epoch
        {
            self.state.negatives.insert(session_id, ()).await;
        }
        Ok(revoked)
    }

    fn answers_from_memory(&self) -> bool {
        self.state.trusted.load(Ordering::SeqCst)
    }
}

fn parse_message(payload: &str) -> Option<(Uuid, i64)> {
    let (sid, until) = payload.split_once(' ')?;
    Some((Uuid::parse_str(sid).ok()?, until.trim().parse().ok()?))
}

/// Listens for revocations for as long as the memo lives, reconnecting with a backoff.
async fn listen(client: redis::Client, state: Weak<State>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => match pubsub.subscribe(CHANNEL).await {
                Ok(()) => {
                    let Some(s) = state.upgrade() else { return };
                    // Messages sent while unsubscribed are lost: start from nothing.
                    s.forget_negatives().await;
                    s.trusted.store(true, Ordering::SeqCst);
                    drop(s);
                    backoff = Duration::from_millis(100);
                    let mut messages = pubsub.on_message();
                    while let Some(msg) = messages.next().await {
                        let Some(s) = state.upgrade() else { return };
                        let payload: String = msg.get_payload().unwrap_or_default();
                        match parse_message(&payload) {
                            Some((sid, until)) => s.learn_revoked(sid, until).await,
                            // Unknown message: be safe, forget every negative.
                            None => s.forget_negatives().await,
                        }
                    }
                    tracing::warn!("deny-list: revocation channel closed; reconnecting");
                }
                Err(e) => tracing::warn!(error = %e, "deny-list: cannot subscribe; retrying"),
            },
            Err(e) => tracing::warn!(error = %e, "deny-list: cannot reach Redis; retrying"),
        }
        let Some(s) = state.upgrade() else { return };
        s.trusted.store(false, Ordering::SeqCst);
        s.forget_negatives().await;
        drop(s);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// The store: counts lookups, answers from its own set.
    #[derive(Default)]
    struct CountingStore {
        ended: RwLock<HashMap<Uuid, i64>>,
        lookups: AtomicUsize,
    }

    #[async_trait]
    impl DenyList for CountingStore {
        async fn revoke(&self, sid: Uuid, until: DateTime<Utc>) -> anyhow::Result<()> {
            self.ended.write().unwrap().insert(sid, to_millis(until));
            Ok(())
        }
        async fn is_revoked(&self, sid: Uuid, now: DateTime<Utc>) -> anyhow::Result<bool> {
            self.lookups.fetch_add(1, Ordering::SeqCst);
            let until = self.ended.read().unwrap().get(&sid).copied();
            Ok(until.is_some_and(|u| from_millis(u) > now))
        }
    }

    #[tokio::test]
    async fn alone_live_sessions_are_answered_from_memory_and_a_revocation_counts_at_once() {
        let store = Arc::new(CountingStore::default());
        let memo = DenyListMemo::new(store.clone(), Reach::Alone);
        let sid = Uuid::now_v7();
        let now = Utc::now();
        for _ in 0..5 {
            assert!(!memo.is_revoked(sid, now).await.unwrap());
        }
        assert_eq!(store.lookups.load(Ordering::SeqCst), 1, "one store lookup");
        memo.revoke(sid, now + chrono::Duration::minutes(31))
            .await
            .unwrap();
        assert!(memo.is_revoked(sid, now).await.unwrap());
        assert!(
            !memo
                .is_revoked(sid, now + chrono::Duration::minutes(32))
                .await
                .unwrap(),
            "remembered only as long as a token can live"
        );
    }

    #[tokio::test]
    async fn a_revocation_during_a_lookup_leaves_no_stale_live_answer() {
        let store = Arc::new(CountingStore::default());
        let memo = DenyListMemo::new(store.clone(), Reach::Alone);
        let sid = Uuid::now_v7();
        let epoch = memo.state.epoch.load(Ordering::SeqCst);
        memo.state.learn_revoked(Uuid::now_v7(), 0).await;
        assert_ne!(memo.state.epoch.load(Ordering::SeqCst), epoch);
        // A lookup that saw the old epoch would not insert; a fresh one does.
        assert!(!memo.is_revoked(sid, Utc::now()).await.unwrap());
        assert!(memo.state.negatives.contains_key(&sid));
    }

    #[test]
    fn messages_name_a_session_and_an_instant() {
        let sid = Uuid::now_v7();
        assert_eq!(parse_message(&format!("{sid} 1700")), Some((sid, 1700)));
        assert_eq!(parse_message("nonsense"), None);
        assert_eq!(parse_message(&format!("{sid} soon")), None);
    }
}
