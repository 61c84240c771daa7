//! Field-level encryption at rest (AES-256-GCM) for personal data such as phone numbers.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    #[error("key must be 32 bytes encoded as base64")]
    BadKey,
    #[error("ciphertext is malformed or was encrypted with another key")]
    BadCiphertext,
}

/// Encrypts short strings; output is `v1:` + base64(nonce ‖ ciphertext ‖ tag).
#[derive(Clone)]
pub struct FieldCipher {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(***)")
    }
}

impl FieldCipher {
    pub fn from_base64(key: &str) -> Result<Self, CipherError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| CipherError::BadKey)?;
        if bytes.len() != 32 {
            return Err(CipherError::BadKey);
        }
        let cipher = Aes256Gcm::new_from_slice(&bytes).map_err(|_| CipherError::BadKey)?;
        Ok(FieldCipher { cipher })
    }

    pub fn generate_key() -> String {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        STANDARD.encode(key)
    }

    pub fn encrypt(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and a 12-byte nonce cannot fail for short inputs.
        let ct = self
            .cipher
            .encrypt(&Nonce::from(nonce), plaintext.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("v1:{}", STANDARD.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, CipherError> {
        let b64 = stored
            .strip_prefix("v1:")
            .ok_or(CipherError::BadCiphertext)?;
        let raw = STANDARD
            .decode(b64)
            .map_err(|_| CipherError::BadCiphertext)?;
        if raw.len() < 12 + 16 {
            return Err(CipherError::BadCiphertext);
        }
        let (nonce, ct) = raw.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| CipherError::BadCiphertext)?;
        let pt = self
            .cipher
            .decrypt(&Nonce::from(nonce), ct)
            .map_err(|_| CipherError::BadCiphertext)?;
        String::from_utf8(pt).map_err(|_| CipherError::BadCiphertext)
    }
}

/// SHA-256 as lowercase hex: how refresh tokens and e-mail codes are stored (never raw).
pub fn sha256_hex(input: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(input.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A URL-safe random token with 256 bits of entropy.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let c = FieldCipher::from_base64(&FieldCipher::generate_key()).unwrap();
        let e1 = c.encrypt("010-1234-5678");
        let e2 = c.encrypt("010-1234-5678");
        assert_ne!(e1, e2, "random nonce");
        assert_eq!(c.decrypt(&e1).unwrap(), "010-1234-5678");
        let other = FieldCipher::from_base64(&FieldCipher::generate_key()).unwrap();
        assert!(other.decrypt(&e1).is_err());
        assert!(c.decrypt("v1:AAAA").is_err());
        assert!(FieldCipher::from_base64("c2hvcnQ=").is_err());
    }
}
