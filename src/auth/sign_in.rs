//! Signing in: an email and password checked under the login rate limits, and a session
//! started (API tokens or a browser session) in the transaction that records the attempt.

use crate::accounts::store;
use crate::auth::password::verify_password;
use crate::auth::sessions::{self};
use crate::db::{write_transaction, Id};
use crate::domain::{Email, Password};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::web;

fn bad_credentials() -> AppError {
    AppError::Unauthorized("wrong email or password".into())
}

/// Checks an email and password under the login rate limits and, when they match, starts a
/// session with `start` (API tokens or a browser session) in the transaction that records
/// the successful attempt. One answer for a wrong email and a wrong password.
pub async fn sign_in<T, F>(
    state: &AppState,
    email: &str,
    password: &str,
    ip: String,
    start: F,
) -> AppResult<T>
where
    T: Send + 'static,
    F: Fn(&mut crate::db::AnyConnection, &AppState, Id) -> AppResult<T> + Send + 'static,
{
    // Spelled as registration stores it (NFKC, lower case), so `ＡＢＣ@…` signs in as `abc@…`.
    let email = Email::parse(email)
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|_| email.trim().to_lowercase());
    if email.chars().any(char::is_control) {
        // No account has one in its email (and PostgreSQL stores no NUL).
        return Err(bad_credentials());
    }
    let password = Password::unchecked(password);
    let (attempt, user) = state
        .db(move |conn, state| {
            // Counted before the password is checked: a burst of guesses meets the limit.
            let attempt = sessions::begin_login_attempt(conn, state, &email, &ip)?;
            Ok((attempt, store::find_user_by_email(conn, &email)?))
        })
        .await?;
    let stored_hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let valid = web::block(move || verify_password(&password, stored_hash.as_deref())).await?;
    state
        .db(move |conn, state| match (valid, user) {
            (true, Some(user)) => write_transaction(conn, |conn| {
                // The password was checked against the hash read above; a reset committed
                // since then means it was the old one.
                if !sessions::credentials_unchanged(conn, user.id, user.credentials_version)? {
                    return Ok(None);
                }
                sessions::login_succeeded(conn, attempt)?;
                start(conn, state, user.id).map(Some)
            }),
            _ => Ok(None),
        })
        .await?
        .ok_or_else(bad_credentials)
}
