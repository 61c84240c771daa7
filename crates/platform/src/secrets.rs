//! Secrets the process needs. Production supplies them (env or mounted files); the
//! embedded default generates them once into `<data_dir>/secrets/` so `tripgen serve`
//! works with zero setup and tokens survive restarts.

use std::path::Path;

use crate::config::PlatformConfig;
use crate::crypto::{FieldCipher, random_token};
use crate::db::Db;

pub struct Secrets {
    pub jwt_secret: String,
    pub cipher: FieldCipher,
}

impl Secrets {
    pub fn resolve(config: &PlatformConfig, db: &Db) -> anyhow::Result<Secrets> {
        let shared_db = matches!(db, Db::Postgres(_));
        let dir = config.data_dir.join("secrets");
        let var = |key: &str| config.product.env_var(key);
        let jwt_secret = match &config.tokens.jwt_secret {
            Some(s) => s.clone(),
            // Replicas sharing PostgreSQL must share keys: generating one per pod would
            // make tokens fail on every other replica.
            None if shared_db => anyhow::bail!(
                "invalid configuration `auth.jwt_secret`: required with PostgreSQL (set {0} or {0}_FILE)",
                var("auth.jwt_secret")
            ),
            None => load_or_create(&dir.join("jwt.key"), random_token)?,
        };
        let key = match &config.security.field_encryption_key {
            Some(k) => k.clone(),
            None if shared_db => anyhow::bail!(
                "invalid configuration `security.field_encryption_key`: required with PostgreSQL (32 bytes, base64; set {0} or {0}_FILE)",
                var("security.field_encryption_key")
            ),
            None => load_or_create(&dir.join("field.key"), FieldCipher::generate_key)?,
        };
        let cipher = FieldCipher::from_base64(&key).map_err(|e| {
            anyhow::anyhow!("invalid configuration `security.field_encryption_key`: {e}")
        })?;
        Ok(Secrets { jwt_secret, cipher })
    }
}

fn load_or_create(path: &Path, make: fn() -> String) -> anyhow::Result<String> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let trimmed = existing.trim();
        if !trimmed.is_empty() {
            return Ok(trimmed.to_string());
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
    }
    let value = make();
    write_private(path, &value)?;
    Ok(value)
}

#[cfg(unix)]
fn write_private(path: &Path, value: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    f.write_all(value.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, value: &str) -> anyhow::Result<()> {
    std::fs::write(path, value).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
