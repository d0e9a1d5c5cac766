//! Password hashing with argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::Password;

fn hasher() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password; slow on purpose, so call it off the async workers.
pub fn hash_password(password: &Password) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Checks a password against a stored hash. With no stored hash it still spends one hash,
/// so the answer's timing does not tell whether the account exists.
pub fn verify_password(password: &Password, stored: Option<&str>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1wbkxxsQ6J0pJSZsRfdvFJIfUDOwO8cR4JYIXJ3ebU8";
    let hash_text = stored.unwrap_or(DUMMY);
    let Ok(hash) = PasswordHash::new(hash_text) else {
        return false;
    };
    let matches = hasher()
        .verify_password(password.expose().as_bytes(), &hash)
        .is_ok();
    matches && stored.is_some()
}

/// Hashes a password on the blocking pool, off the async workers.
pub async fn hash_off_thread(password: Password) -> crate::error::AppResult<String> {
    Ok(actix_web::web::block(move || hash_password(&password)).await??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_use_owasp_parameters() {
        let password = Password::parse("correct horse battery", "").unwrap();
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password(&password, Some(&hash)));
        assert!(!verify_password(
            &Password::unchecked("wrong password"),
            Some(&hash)
        ));
        assert!(!verify_password(&password, None));
    }
}
