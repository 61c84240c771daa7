//! Argon2id hashing (PHC strings), bounded. One hash takes tens of milliseconds of CPU and
//! `argon2_memory_kib` of memory by design, so a burst of sign-ins must neither queue
//! unbounded work nor allocate unbounded memory:
//! - at most `hash_concurrency` hashes run at once (a fair semaphore), each on the blocking
//!   pool; a request that cannot start within `hash_queue_ms` is refused as busy (503 +
//!   `Retry-After`) rather than waiting behind a flood;
//! - the hash's working memory is taken from a pool of at most `hash_concurrency` buffers and
//!   given back, so the allocator never sees a 19 MiB allocation per request (glibc keeps
//!   such freed blocks in per-thread arenas: 80 concurrent sign-ins grew RSS by 1.5 GB).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use tripgen_platform::error::ApiError;

use crate::config::AuthConfig;

/// No hashing slot became free within the queue deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HasherBusy;

impl std::fmt::Display for HasherBusy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("password hashing is saturated")
    }
}

impl std::error::Error for HasherBusy {}

impl From<HasherBusy> for ApiError {
    fn from(_: HasherBusy) -> Self {
        ApiError::busy(
            "SIGN_IN_BUSY",
            1,
            "Too many sign-ins are being checked right now; try again in a moment.",
        )
    }
}

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A real hash of a random password: verified against when the username is unknown
    /// so that a miss costs as much time as a wrong password.
    dummy: String,
    slots: Arc<Semaphore>,
    queue: Duration,
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
}

impl Hasher {
    pub fn new(cfg: &AuthConfig) -> anyhow::Result<Self> {
        let params = Params::new(
            cfg.argon2_memory_kib,
            cfg.argon2_iterations,
            cfg.argon2_parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("invalid argon2 parameters: {e}"))?;
        let slots = match cfg.hash_concurrency {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n as usize,
        };
        let mut h = Hasher {
            params,
            dummy: String::new(),
            slots: Arc::new(Semaphore::new(slots)),
            queue: Duration::from_millis(u64::from(cfg.hash_queue_ms)),
            memory: Arc::new(Mutex::new(Vec::with_capacity(slots))),
        };
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        h.dummy = h.hash_now(&tripgen_platform::crypto::random_token(), &salt)?;
        Ok(h)
    }

    /// A PHC string of `password` under the configured cost and a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let _slot = self.slot().await?;
        let me = self.clone();
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        match tokio::task::spawn_blocking(move || me.hash_now(&password, &salt)).await {
            Ok(Ok(phc)) => Ok(phc),
            Ok(Err(e)) => {
                tracing::error!(error = %e, "password hashing failed");
                Err(ApiError::internal())
            }
            Err(e) => {
                tracing::error!(error = %e, "password hashing task failed");
                Err(ApiError::internal())
            }
        }
    }

    /// Whether `password` matches `stored`; `stored = None` verifies against the dummy
    /// hash and answers false. Busy when no slot frees up within the queue deadline.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, HasherBusy> {
        let _slot = self.slot().await?;
        let me = self.clone();
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy.clone());
        let ok = tokio::task::spawn_blocking(move || me.verify_now(&password, &stored))
            .await
            .unwrap_or(false);
        Ok(ok && known)
    }

    async fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, HasherBusy> {
        match tokio::time::timeout(self.queue, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(HasherBusy),
        }
    }

    fn hash_now(&self, password: &str, salt: &SaltString) -> anyhow::Result<String> {
        let mut salt_bytes = [0u8; 64];
        let raw_salt = salt
            .as_salt()
            .decode_b64(&mut salt_bytes)
            .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        let len = self
            .params
            .output_len()
            .unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let output = self
            .compute(&self.params, password.as_bytes(), raw_salt, len)
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&self.params)
                .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    }

    fn verify_now(&self, password: &str, stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return false;
        };
        if Algorithm::try_from(parsed.algorithm) != Ok(Algorithm::Argon2id) {
            return false;
        }
        let Ok(params) = Params::try_from(&parsed) else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(raw_salt) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        // `Output`'s equality is constant-time.
        self.compute(&params, password.as_bytes(), raw_salt, expected.len())
            .is_ok_and(|computed| computed == expected)
    }

    /// Runs Argon2id with working memory from the pool (grown to the largest cost seen:
    /// hashes stored under an older, cheaper cost still verify).
    fn compute(
        &self,
        params: &Params,
        password: &[u8],
        salt: &[u8],
        len: usize,
    ) -> Result<Output, argon2::password_hash::Error> {
        let mut blocks = self
            .memory
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default();
        if blocks.len() < params.block_count() {
            blocks.resize(params.block_count(), Block::default());
        }
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let out = Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(
                    password,
                    salt,
                    out,
                    &mut blocks[..params.block_count()],
                )
                .map_err(argon2::password_hash::Error::from)
        });
        if let Ok(mut pool) = self.memory.lock() {
            pool.push(blocks);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    fn cheap() -> AuthConfig {
        AuthConfig {
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            hash_concurrency: 2,
            ..AuthConfig::default()
        }
    }

    #[tokio::test]
    async fn hashes_are_standard_phc_strings_both_ways() {
        let h = Hasher::new(&cheap()).unwrap();
        let ours = h.hash("correct horse".into()).await.unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{ours}");
        // The reference implementation verifies ours, and ours verifies its.
        let reference = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(64, 1, 1, None).unwrap(),
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(reference.verify_password(b"correct horse", &parsed).is_ok());
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let theirs = reference
            .hash_password(b"battery staple", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            h.verify("battery staple".into(), Some(theirs.clone()))
                .await,
            Ok(true)
        );
        assert_eq!(h.verify("wrong".into(), Some(theirs)).await, Ok(false));
        assert_eq!(
            h.verify("x".into(), Some("not a hash".into())).await,
            Ok(false)
        );
        assert_eq!(h.verify("x".into(), None).await, Ok(false));
    }

    #[tokio::test]
    async fn an_older_costlier_hash_still_verifies() {
        let h = Hasher::new(&cheap()).unwrap();
        let costlier = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(256, 2, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let stored = costlier.hash_password(b"pw", &salt).unwrap().to_string();
        assert_eq!(h.verify("pw".into(), Some(stored)).await, Ok(true));
    }

    #[tokio::test]
    async fn a_saturated_hasher_refuses_instead_of_queueing_forever() {
        let h = Hasher::new(&AuthConfig {
            hash_concurrency: 1,
            hash_queue_ms: 20,
            ..cheap()
        })
        .unwrap();
        let held = h.slots.clone().acquire_owned().await.unwrap();
        assert_eq!(h.verify("pw".into(), None).await, Err(HasherBusy));
        assert!(h.hash("pw".into()).await.is_err());
        drop(held);
        assert_eq!(h.verify("pw".into(), None).await, Ok(false));
    }

    #[tokio::test]
    async fn working_memory_is_reused_not_reallocated() {
        let h = Hasher::new(&cheap()).unwrap();
        let mut all = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let h = h.clone();
            all.spawn(async move { h.verify("pw".into(), None).await });
        }
        while let Some(r) = all.join_next().await {
            assert_eq!(r.unwrap(), Ok(false));
        }
        let pooled = h.memory.lock().unwrap().len();
        assert!((1..=2).contains(&pooled), "{pooled} buffers for 2 slots");
    }
}
