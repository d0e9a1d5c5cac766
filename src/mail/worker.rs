//! The outbox worker: claims one due message at a time with a lease, sends it, and retries
//! failures with exponential backoff until `mail_max_attempts`, after which a message is
//! `failed`. On PostgreSQL the claim uses `FOR UPDATE SKIP LOCKED`, so several app instances
//! share one outbox. A message is claimed just before it is sent, and the lease
//! (`mail_lease_secs`, 5 minutes) is far longer than one send can take (the SMTP timeout is
//! 20 seconds per step), so no other instance takes it over while it is being sent. Every
//! message carries a `Message-ID` made from its outbox row, the same on every attempt, so
//! a receiver can still drop a copy sent twice (a sender that crashed after sending).

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::transport::{Mailer, OutgoingMail};
use crate::db::schema::outbox;
use crate::db::{types::Uuid, AnyConnection, Id};
use crate::state::AppState;

/// Messages one pass sends at most before it looks at the shutdown signal again.
const PASS: usize = 50;

#[derive(QueryableByName, Debug)]
struct Claimed {
    #[diesel(sql_type = Uuid)]
    id: Id,
    #[diesel(sql_type = Text)]
    recipient: String,
    #[diesel(sql_type = Text)]
    subject: String,
    #[diesel(sql_type = Text)]
    body_text: String,
    #[diesel(sql_type = Text)]
    body_html: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

/// Claims the next due message for `lease_secs`, if any.
fn claim_next(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_secs: i64,
) -> QueryResult<Option<Claimed>> {
    let lease_until = now + Duration::seconds(lease_secs.max(1));
    let lock = match conn {
        AnyConnection::Postgresql(_) => "FOR UPDATE SKIP LOCKED",
        // SQLite has one writer at a time; the UPDATE itself is the lock.
        AnyConnection::Sqlite(_) => "",
    };
    let sql = format!(
        "UPDATE outbox SET locked_until = $1 WHERE id IN ( \
             SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
             AND (locked_until IS NULL OR locked_until <= $2) \
             ORDER BY next_attempt_at LIMIT 1 {lock}) \
         RETURNING id, recipient, subject, body_text, body_html, attempts"
    );
    let mut claimed: Vec<Claimed> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .load(conn)?;
    Ok(claimed.pop())
}

/// Exponential backoff: base, 2×base, 4×base … capped at six hours.
pub fn retry_delay(base_secs: i64, attempts_so_far: i32) -> Duration {
    let factor = 1i64 << attempts_so_far.clamp(0, 20);
    Duration::seconds((base_secs.max(1) * factor).min(6 * 3600))
}

/// One pass: sends due messages, one claim at a time, up to `PASS` of them. Returns how many
/// were handed to the transport.
pub fn run_once(state: &AppState, mailer: &Mailer) -> anyhow::Result<usize> {
    let mut conn = state.pool.get()?;
    let mut sent = 0;
    for _ in 0..PASS {
        let now = state.clock.now_naive();
        let lease = state.settings.mail_lease_secs;
        let Some(message) = crate::db::write_transaction(&mut conn, |c| claim_next(c, now, lease))?
        else {
            break;
        };
        let outgoing = OutgoingMail {
            id: message.id,
            recipient: message.recipient,
            subject: message.subject,
            body_text: message.body_text,
            body_html: message.body_html,
        };
        let result = mailer.send(&state.settings.mail_from, &outgoing);
        let now = state.clock.now_naive();
        let attempts = message.attempts + 1;
        match result {
            Ok(()) => {
                sent += 1;
                diesel::update(outbox::table.find(message.id))
                    .set((
                        outbox::status.eq("sent"),
                        outbox::attempts.eq(attempts),
                        outbox::sent_at.eq(now),
                        outbox::locked_until.eq(None::<NaiveDateTime>),
                        outbox::last_error.eq(None::<String>),
                    ))
                    .execute(&mut conn)?;
            }
            Err(error) => {
                let gave_up = attempts >= state.settings.mail_max_attempts;
                tracing::warn!(id = %message.id, attempts, gave_up, %error, "mail not sent");
                let next = now + retry_delay(state.settings.mail_retry_base_secs, attempts - 1);
                diesel::update(outbox::table.find(message.id))
                    .set((
                        outbox::status.eq(if gave_up { "failed" } else { "pending" }),
                        outbox::attempts.eq(attempts),
                        outbox::next_attempt_at.eq(next),
                        outbox::locked_until.eq(None::<NaiveDateTime>),
                        outbox::last_error.eq(Some(error)),
                    ))
                    .execute(&mut conn)?;
            }
        }
    }
    Ok(sent)
}

/// Runs until `shutdown` fires, polling every `outbox_poll_ms`.
pub async fn run(
    state: AppState,
    mailer: Mailer,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mailer = Arc::new(mailer);
    let poll = StdDuration::from_millis(state.settings.outbox_poll_ms.max(10));
    loop {
        let pass_state = state.clone();
        let pass_mailer = mailer.clone();
        let result = tokio::task::spawn_blocking(move || run_once(&pass_state, &pass_mailer)).await;
        match result {
            Ok(Err(error)) => tracing::warn!(%error, "outbox pass failed"),
            Err(error) => tracing::error!(%error, "outbox pass panicked"),
            Ok(Ok(_)) => {}
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_with_a_cap() {
        assert_eq!(retry_delay(30, 0), Duration::seconds(30));
        assert_eq!(retry_delay(30, 1), Duration::seconds(60));
        assert_eq!(retry_delay(30, 3), Duration::seconds(240));
        assert_eq!(retry_delay(30, 30), Duration::seconds(6 * 3600));
    }
}
