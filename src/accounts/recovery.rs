//! What the mailed links do: confirm an email address, and set a password from a reset or
//! invitation link (which signs out every session). The JSON API and the web pages behind
//! the links call these same functions. Each token is used once: its claim is one guarded
//! update (`sessions::consume_one_time_token`).

use super::store;
use crate::audit::{self, Actor};
use crate::auth::password::hash_off_thread;
use crate::auth::sessions::{self, TokenPurpose};
use crate::db::{write_transaction, AnyConnection};
use crate::domain::{Email, Password};
use crate::error::{AppError, AppResult};
use crate::i18n::Text;
use crate::mail::{self, Action, Message};
use crate::notifications::{self, Notice};
use crate::state::AppState;

/// A link into the web front carrying a token.
pub fn link(state: &AppState, page: &str, token: &str) -> String {
    format!("{}/{page}?token={token}", state.settings.public_url())
}

/// Confirms the email address of the token's user.
pub async fn confirm_email(state: &AppState, token: String) -> AppResult<()> {
    state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                let now = state.clock.now_naive();
                let (user_id, _) = sessions::consume_one_time_token(
                    conn,
                    &token,
                    &[TokenPurpose::EmailVerification],
                    now,
                )?;
                store::mark_email_verified(conn, user_id, now)?;
                Ok(())
            })
        })
        .await
}

/// Asks for a reset link for `email`: the lookup and the mail happen after the caller has
/// answered, so the answer takes as long for an unknown address as for a registered one
/// (the lookup, the token and the outbox row cost measurably more than nothing, and told
/// which addresses have accounts). A failure is logged; the outbox keeps a mail once written.
pub fn request_password_reset(state: &AppState, raw_email: &str) {
    let Ok(email) = Email::parse(raw_email) else {
        return;
    };
    let state = state.clone();
    actix_web::rt::spawn(async move {
        let sent = state
            .db(move |conn, state| send_password_reset(conn, state, &email))
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, "a password reset link could not be prepared");
        }
    });
}

/// Mails a password reset link to the account of `email`, if there is one (the caller
/// answers the same either way).
fn send_password_reset(conn: &mut AnyConnection, state: &AppState, email: &Email) -> AppResult<()> {
    write_transaction(conn, |conn| {
        let Some(user) = store::find_user_by_email(conn, email.as_str())? else {
            return Ok(());
        };
        let now = state.clock.now_naive();
        let token =
            sessions::create_one_time_token(conn, user.id, TokenPurpose::PasswordReset, now)?;
        let locale = crate::i18n::Locale::of_user(user.locale.as_deref());
        mail::enqueue(
            conn,
            &Message {
                locale,
                to_email: user.email.clone(),
                to_name: user.name.clone(),
                subject: locale.t("mail-reset-subject"),
                paragraphs: vec![locale.t("mail-reset-body"), locale.t("mail-reset-ignore")],
                action: Some(Action {
                    label: locale.t("mail-reset-button"),
                    url: link(state, "reset-password", &token),
                }),
            },
            now,
        )?;
        Ok(())
    })
}

/// Sets a password from a reset or invitation token and signs out every session.
pub async fn set_password_with_token(
    state: &AppState,
    token: String,
    new_password: &str,
) -> AppResult<()> {
    let password =
        Password::parse(new_password, "").map_err(|m| AppError::validation("new_password", m))?;
    let hash = hash_off_thread(password.clone()).await?;
    state
        .db(move |conn, state| {
            write_transaction(conn, |conn| {
                let now = state.clock.now_naive();
                let (user_id, _) = sessions::consume_one_time_token(
                    conn,
                    &token,
                    &[TokenPurpose::PasswordReset, TokenPurpose::Invitation],
                    now,
                )?;
                let user =
                    store::find_user(conn, user_id)?.ok_or_else(|| AppError::not_found("user"))?;
                password
                    .check_not_named_after(&user.email)
                    .map_err(|m| AppError::validation("new_password", m))?;
                // Following a link from the mailbox proves the address, too.
                store::set_password(conn, user_id, &hash, true, now)?;
                sessions::end_all_sessions(conn, user_id, now)?;
                audit::record(
                    conn,
                    Actor::user(user.id, user.organization_id),
                    "user.password_set",
                    "user",
                    user.id,
                    serde_json::json!({}),
                    now,
                )?;
                notifications::notify(
                    conn,
                    state,
                    &user,
                    &Notice {
                        kind: "password_changed",
                        title: Text::new("notice-password-set-title"),
                        body: Text::new("notice-password-set-body"),
                        link: Some("/password-reset".into()),
                    },
                )?;
                Ok(())
            })
        })
        .await
}
