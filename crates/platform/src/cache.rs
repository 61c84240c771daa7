//! Cache-aside with two levels (PRODUCT.md §5): L1 in the process (moka), L2 in Redis when
//! one is configured. Values are JSON; keys follow `service:entity:id`
//! (e.g. `trip:detail:0190…`).
//!
//! Freshness across replicas: an L1 entry cannot see a write made on another replica, so
//! data that users change ([`Freshness::Strict`]) is kept in L1 **only when there is no L2**
//! — i.e. when this process is the only one (the embedded default), where every write
//! invalidates the same L1. With Redis, strict entries live in Redis only, and a write on
//! any replica deletes them there, so the next read on every replica sees it.
//! [`Freshness::Relaxed`] entries (external data cached by TTL: places, weather, routes)
//! also use L1 with Redis, for at most `l1_ttl`.
//!
//! Besides JSON values, the cache holds raw bytes ([`Cache::get_raw`], [`Cache::put_raw`]):
//! bodies stored ready to send (e.g. a schedule pre-serialised and pre-compressed), served
//! without decoding.
//!
//! Redis failures never fail a request: reads fall through to the loader, and a failed
//! delete is logged as an error (the entry then expires by its TTL).

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// How stale an entry may be after a write on another replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Never stale: L1 only in single-process mode (no Redis), otherwise Redis only.
    Strict,
    /// May lag a write on another replica by at most the L1 TTL.
    Relaxed,
}

#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// Upper bound on an L1 entry's life when Redis is configured (relaxed entries).
    pub l1_ttl: Duration,
    /// Maximum number of L1 entries.
    pub l1_capacity: u64,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions {
            l1_ttl: Duration::from_secs(3),
            l1_capacity: 10_000,
        }
    }
}

#[derive(Clone)]
struct Entry {
    /// JSON text for [`Cache::get`], or raw bytes for [`Cache::get_raw`].
    data: Bytes,
    ttl: Duration,
}

struct PerEntryTtl;

impl moka::Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, value: &Entry, _now: Instant) -> Option<Duration> {
        Some(value.ttl)
    }
    fn expire_after_update(
        &self,
        _key: &String,
        value: &Entry,
        _now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// A two-level JSON cache. Cheap to clone.
#[derive(Clone)]
pub struct Cache {
    l1: moka::future::Cache<String, Entry>,
    l2: Option<redis::aio::ConnectionManager>,
    options: CacheOptions,
}

impl Cache {
    pub fn new(redis: Option<redis::aio::ConnectionManager>, options: CacheOptions) -> Cache {
        let l1 = moka::future::Cache::builder()
            .max_capacity(options.l1_capacity)
            .expire_after(PerEntryTtl)
            .build();
        Cache {
            l1,
            l2: redis,
            options,
        }
    }

    /// Whether a second level (Redis) is configured.
    pub fn is_shared(&self) -> bool {
        self.l2.is_some()
    }

    fn l1_ttl(&self, ttl: Duration, freshness: Freshness) -> Option<Duration> {
        match (freshness, self.l2.is_some()) {
            (_, false) => Some(ttl),
            (Freshness::Strict, true) => None,
            (Freshness::Relaxed, true) => Some(ttl.min(self.options.l1_ttl)),
        }
    }

    /// The cached value, if any (and decodable as `T`).
    pub async fn get<T: DeserializeOwned>(&self, key: &str, freshness: Freshness) -> Option<T> {
        let data = self.get_raw(key, freshness).await?;
        match serde_json::from_slice(&data) {
            Ok(v) => Some(v),
            Err(_) => {
                self.l1.invalidate(key).await;
                None
            }
        }
    }

    /// The cached bytes, if any (L1 first, then Redis; a Redis hit refills L1 where the
    /// freshness allows it).
    pub async fn get_raw(&self, key: &str, freshness: Freshness) -> Option<Bytes> {
        if self.l1_ttl(Duration::MAX, freshness).is_some()
            && let Some(e) = self.l1.get(key).await
        {
            metrics::counter!("cache_requests_total", "level" => "l1", "result" => "hit")
                .increment(1);
            return Some(e.data);
        }
        let conn = self.l2.as_ref()?;
        let mut conn = conn.clone();
        let res: redis::RedisResult<Option<Vec<u8>>> =
            redis::cmd("GET").arg(key).query_async(&mut conn).await;
        match res {
            Ok(Some(data)) => {
                metrics::counter!("cache_requests_total", "level" => "l2", "result" => "hit")
                    .increment(1);
                let data = Bytes::from(data);
                if let Some(ttl) = self.l1_ttl(self.options.l1_ttl, freshness) {
                    self.l1
                        .insert(
                            key.to_string(),
                            Entry {
                                data: data.clone(),
                                ttl,
                            },
                        )
                        .await;
                }
                Some(data)
            }
            Ok(None) => {
                metrics::counter!("cache_requests_total", "level" => "l2", "result" => "miss")
                    .increment(1);
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "cache: Redis read failed; loading from the source");
                None
            }
        }
    }

    /// Stores `value` under `key` for `ttl`.
    pub async fn put<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        ttl: Duration,
        freshness: Freshness,
    ) {
        let Ok(json) = serde_json::to_vec(value) else {
            return;
        };
        self.put_raw(key, Bytes::from(json), ttl, freshness).await;
    }

    /// Stores bytes under `key` for `ttl`.
    pub async fn put_raw(&self, key: &str, data: Bytes, ttl: Duration, freshness: Freshness) {
        if let Some(conn) = &self.l2 {
            let mut conn = conn.clone();
            let ms = ttl.as_millis().clamp(1, u64::MAX as u128) as u64;
            let res: redis::RedisResult<()> = redis::cmd("SET")
                .arg(key)
                .arg(data.as_ref())
                .arg("PX")
                .arg(ms)
                .query_async(&mut conn)
                .await;
            if let Err(e) = res {
                tracing::warn!(error = %e, "cache: Redis write failed");
            }
        }
        if let Some(ttl) = self.l1_ttl(ttl, freshness) {
            self.l1.insert(key.to_string(), Entry { data, ttl }).await;
        }
    }

    /// Cache-aside: the cached value, or `load()`'s result, which is then cached.
    /// Errors of the loader are returned and not cached.
    pub async fn get_or_load<T, E, F, Fut>(
        &self,
        key: &str,
        ttl: Duration,
        freshness: Freshness,
        load: F,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(v) = self.get(key, freshness).await {
            return Ok(v);
        }
        metrics::counter!("cache_requests_total", "level" => "all", "result" => "miss")
            .increment(1);
        let v = load().await?;
        self.put(key, &v, ttl, freshness).await;
        Ok(v)
    }

    /// Removes `key` from both levels (call after every write that changes it).
    pub async fn invalidate(&self, key: &str) {
        self.invalidate_many(&[key.to_string()]).await;
    }

    /// Removes several keys from both levels in one Redis round trip.
    pub async fn invalidate_many(&self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        for k in keys {
            self.l1.invalidate(k).await;
        }
        if let Some(conn) = &self.l2 {
            let mut conn = conn.clone();
            let res: redis::RedisResult<()> =
                redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
            if let Err(e) = res {
                tracing::error!(error = %e, "cache: Redis invalidation failed; entries expire by TTL");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn l1_only_roundtrip_and_invalidate() {
        let c = Cache::new(None, CacheOptions::default());
        assert!(!c.is_shared());
        let mut loads = 0;
        let v: Result<u32, ()> = c
            .get_or_load("t:x:1", Duration::from_secs(60), Freshness::Strict, || {
                loads += 1;
                async { Ok(7) }
            })
            .await;
        assert_eq!(v, Ok(7));
        let v: Result<u32, ()> = c
            .get_or_load(
                "t:x:1",
                Duration::from_secs(60),
                Freshness::Strict,
                || async { Ok(8) },
            )
            .await;
        assert_eq!(v, Ok(7), "served from L1");
        assert_eq!(loads, 1);
        c.invalidate("t:x:1").await;
        assert_eq!(c.get::<u32>("t:x:1", Freshness::Strict).await, None);
    }

    #[tokio::test]
    async fn entries_expire_by_their_ttl() {
        let c = Cache::new(None, CacheOptions::default());
        c.put("t:x:2", &"v", Duration::from_millis(30), Freshness::Strict)
            .await;
        assert_eq!(
            c.get::<String>("t:x:2", Freshness::Strict).await.as_deref(),
            Some("v")
        );
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(c.get::<String>("t:x:2", Freshness::Strict).await, None);
    }

    #[tokio::test]
    async fn raw_bytes_roundtrip_and_invalidate() {
        let c = Cache::new(None, CacheOptions::default());
        let body = Bytes::from_static(b"\x1f\x8b not JSON");
        c.put_raw(
            "t:raw:1",
            body.clone(),
            Duration::from_secs(60),
            Freshness::Strict,
        )
        .await;
        assert_eq!(c.get_raw("t:raw:1", Freshness::Strict).await, Some(body));
        assert_eq!(c.get::<u32>("t:raw:1", Freshness::Strict).await, None);
        c.invalidate("t:raw:1").await;
        assert_eq!(c.get_raw("t:raw:1", Freshness::Strict).await, None);
    }

    #[tokio::test]
    async fn loader_errors_are_not_cached() {
        let c = Cache::new(None, CacheOptions::default());
        let v: Result<u32, &str> = c
            .get_or_load(
                "t:x:3",
                Duration::from_secs(60),
                Freshness::Strict,
                || async { Err("down") },
            )
            .await;
        assert_eq!(v, Err("down"));
        assert_eq!(c.get::<u32>("t:x:3", Freshness::Strict).await, None);
    }
}
