//! Caching of provider answers on the platform's two-level cache (moka L1, bounded, plus
//! Redis L2 when configured). External data is cached by TTL only (PRODUCT.md §5: routes
//! 7 days, weather 6 hours); nothing invalidates it ([`Freshness::Relaxed`]). Without Redis
//! L1 keeps entries for their whole TTL; with Redis, L1 copies live at most an hour.
//!
//! Keys: `location:route:<provider>:<mode>:<from>:<to>` (a matrix cell),
//! `location:route:<provider>:<mode>:<from>:<to>:path` (a route with its geometry) and
//! `location:weather:<provider>:<lat>,<lon>:<date>`. Coordinates in keys are integers in
//! units of 1e-4° for routes (≈ 11 m: the same doorway) and 1e-2° for weather (≈ 1 km: the
//! same city forecast cell).

use std::time::Duration;

use futures::future::join_all;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tripgen_platform::Platform;
use tripgen_platform::cache::{Cache, CacheOptions, Freshness};

use crate::geo::GeoPoint;
use crate::travel::TravelMode;

/// PRODUCT.md §5: routes 7 days.
pub const ROUTE_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// PRODUCT.md §5: weather 6 hours.
pub const WEATHER_TTL: Duration = Duration::from_secs(6 * 3600);

/// Longest life of an L1 entry when Redis holds the authoritative copy.
const L1_WITH_REDIS: Duration = Duration::from_secs(3600);

/// A key/value cache for one kind of provider data. Cheap to clone.
#[derive(Clone)]
pub struct ProviderCache {
    cache: Cache,
    ttl: Duration,
}

impl ProviderCache {
    /// L1 only (embedded default, tests).
    pub fn in_process(ttl: Duration, capacity: u64) -> Self {
        ProviderCache {
            cache: Cache::new(None, Self::options(ttl, capacity)),
            ttl,
        }
    }

    /// L1 plus the platform's Redis when one is configured.
    pub fn for_platform(platform: &Platform, ttl: Duration, capacity: u64) -> Self {
        ProviderCache {
            cache: Cache::new(platform.redis.clone(), Self::options(ttl, capacity)),
            ttl,
        }
    }

    fn options(ttl: Duration, capacity: u64) -> CacheOptions {
        CacheOptions {
            // Only used with Redis: an L1 copy of a Redis entry does not know the entry's
            // remaining life, so keep it at most an hour (staleness ≤ TTL + 1 h).
            l1_ttl: ttl.min(L1_WITH_REDIS),
            l1_capacity: capacity.max(1),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.cache.get(key, Freshness::Relaxed).await
    }

    /// Looks all keys up concurrently (Redis pipelines them on one connection).
    pub async fn get_many<T: DeserializeOwned>(&self, keys: &[String]) -> Vec<Option<T>> {
        join_all(keys.iter().map(|k| self.get::<T>(k))).await
    }

    pub async fn put<T: Serialize>(&self, key: &str, value: &T) {
        self.cache
            .put(key, value, self.ttl, Freshness::Relaxed)
            .await;
    }

    pub async fn put_many<T: Serialize>(&self, entries: &[(String, T)]) {
        join_all(entries.iter().map(|(k, v)| self.put(k, v))).await;
    }
}

fn grid(value: f64, scale: f64) -> i64 {
    // Validated coordinates are finite and within ±180, so this never saturates.
    (value * scale).round() as i64
}

fn route_point(p: GeoPoint) -> String {
    format!("{},{}", grid(p.lat(), 1e4), grid(p.lon(), 1e4))
}

/// Whether two points fall on the same route-key grid cell (their cached legs coincide).
pub fn same_route_cell(a: GeoPoint, b: GeoPoint) -> bool {
    route_point(a) == route_point(b)
}

/// `location:route:<provider>:<mode>:<from>:<to>`.
pub fn route_cell_key(provider: &str, mode: TravelMode, from: GeoPoint, to: GeoPoint) -> String {
    format!(
        "location:route:{provider}:{}:{}:{}",
        mode.as_str(),
        route_point(from),
        route_point(to)
    )
}

/// `location:route:<provider>:<mode>:<from>:<to>:path`.
pub fn route_path_key(provider: &str, mode: TravelMode, from: GeoPoint, to: GeoPoint) -> String {
    format!("{}:path", route_cell_key(provider, mode, from, to))
}

/// `location:weather:<provider>:<lat>,<lon>:<yyyy-mm-dd>`.
pub fn weather_key(provider: &str, point: GeoPoint, date: chrono::NaiveDate) -> String {
    format!(
        "location:weather:{provider}:{},{}:{date}",
        grid(point.lat(), 1e2),
        grid(point.lon(), 1e2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn keys_round_coordinates() {
        let a = p(48.137_149, 11.575_490);
        let b = p(-0.000_01, 11.558_81);
        assert_eq!(
            route_cell_key("osrm", TravelMode::Walk, a, b),
            "location:route:osrm:walk:481371,115755:0,115588"
        );
        assert_eq!(
            route_path_key("google", TravelMode::Car, a, b),
            "location:route:google:car:481371,115755:0,115588:path"
        );
        let d = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(
            weather_key("open-meteo", a, d),
            "location:weather:open-meteo:4814,1158:2025-07-01"
        );
        assert!(same_route_cell(a, p(48.137_14, 11.575_48)));
        assert!(!same_route_cell(a, p(48.137_16, 11.575_49)));
    }

    #[tokio::test]
    async fn get_many_sees_puts() {
        let c = ProviderCache::in_process(ROUTE_TTL, 10);
        c.put_many(&[("k:1".to_string(), 1u32), ("k:2".to_string(), 2)])
            .await;
        let got: Vec<Option<u32>> = c
            .get_many(&["k:1".into(), "k:3".into(), "k:2".into()])
            .await;
        assert_eq!(got, vec![Some(1), None, Some(2)]);
    }
}
