//! Access tokens (short-lived JWTs) and the random tokens stored only as hashes (refresh,
//! email verification, password reset, invitation).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::Id;

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// The user's `credentials_version` when the token was issued: a password change since
    /// ends the token (tokens issued before the claim existed carry 0).
    #[serde(default)]
    pub ver: i32,
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue_access_token(
        &self,
        user_id: Id,
        credentials_version: i32,
        now: DateTime<Utc>,
        ttl_secs: i64,
    ) -> anyhow::Result<String> {
        self.sign(&Claims {
            sub: user_id.to_string(),
            iat: now.timestamp(),
            exp: now.timestamp() + ttl_secs,
            ver: credentials_version,
        })
    }

    /// The user id and credentials version of a valid, unexpired access token. Expiry is
    /// checked against the app's clock, not the system's.
    pub fn verify_access_token(&self, token: &str, now: DateTime<Utc>) -> Option<(Id, i32)> {
        let claims: Claims = self.verify(token, now)?;
        Some((claims.sub.parse().ok()?, claims.ver))
    }
}

impl TokenKeys {
    /// Claims signed with the service's key (HS256), for a cookie the browser only carries.
    pub fn sign<T: Serialize>(&self, claims: &T) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }

    /// Claims this service signed, unless their `exp` is past `now` (the app's clock).
    pub fn verify<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Option<T> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp"].iter().map(|s| s.to_string()).collect();
        let data =
            jsonwebtoken::decode::<serde_json::Value>(token, &self.decoding, &validation).ok()?;
        if data.claims["exp"].as_i64()? <= now.timestamp() {
            return None;
        }
        serde_json::from_value(data.claims).ok()
    }
}

/// 256 random bits, URL-safe, to hand to a client once.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a random token: its SHA-256, hex-encoded.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn access_tokens_expire_by_the_given_clock() {
        let keys = TokenKeys::from_secret(b"test secret");
        let now = Utc::now();
        let user = Id::new();
        let token = keys.issue_access_token(user, 3, now, 900).unwrap();
        assert_eq!(keys.verify_access_token(&token, now), Some((user, 3)));
        assert_eq!(
            keys.verify_access_token(&token, now + Duration::seconds(901)),
            None
        );
        let other = TokenKeys::from_secret(b"other secret");
        assert_eq!(other.verify_access_token(&token, now), None);
    }

    #[test]
    fn random_tokens_are_url_safe_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a).len(), 64);
    }
}
