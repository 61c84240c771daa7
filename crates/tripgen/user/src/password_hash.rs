//! Argon2id hashing (PHC strings). Runs on the blocking pool: one hash takes tens of
//! milliseconds of CPU by design.

use crate::config::AuthConfig;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A real hash of a random password: verified against when the username is unknown
    /// so that a miss costs as much time as a wrong password.
    dummy: String,
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
        let mut h = Hasher {
            params,
            dummy: String::new(),
        };
        h.dummy = h.hash_now(&tripgen_platform::crypto::random_token())?;
        Ok(h)
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    fn hash_now(&self, password: &str) -> anyhow::Result<String> {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        self.argon()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.hash_now(&password)).await?
    }

    /// `stored = None` verifies against the dummy hash and returns false.
    pub async fn verify(&self, password: String, stored: Option<String>) -> bool {
        let me = self.clone();
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy.clone());
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&stored)
                .map(|parsed| {
                    me.argon()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        ok && known
    }
}
