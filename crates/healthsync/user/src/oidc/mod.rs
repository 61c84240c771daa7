//! OpenID Connect sign-in (spec §6): the relying party ([`client`]) and PKCE helpers.

pub mod client;
pub mod dev_issuer;

pub use client::{IdClaims, OidcClient, OidcConfig, OidcError};

use base64::Engine;
use sha2::{Digest, Sha256};

/// The S256 code challenge of a PKCE verifier: BASE64URL(SHA-256(verifier)), no padding.
pub fn code_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc7636_appendix_b_example() {
        assert_eq!(
            super::code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
