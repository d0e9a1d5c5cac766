//! What platform admins decide: organizations' verification, suspension and green channel,
//! and retrying mail that could not be sent. A decision locks the organization's row, is
//! made on its state as it is then, and is written by an update guarded by the same
//! verification table: of two admins deciding at once, the second decides on the first's
//! outcome (409 when its action is not allowed from there).

pub mod api;
pub mod oversight;

use diesel::prelude::*;

use crate::accounts::store::{self, Organization};
use crate::accounts::{org_transition, OrgAction};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::schema::outbox;
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{OrgKind, OrgStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::state::AppState;

/// An organization an admin may act on (not the platform operator itself).
pub fn managed_organization(conn: &mut AnyConnection, id: Id) -> AppResult<Organization> {
    store::find_organization(conn, id)?
        .filter(|o| o.kind != OrgKind::Operator.as_str())
        .ok_or_else(|| AppError::not_found("organization"))
}

fn current_status(org: &Organization) -> AppResult<OrgStatus> {
    OrgStatus::parse(&org.status)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored status: {e}")))
}

fn changed_meanwhile(conn: &mut AnyConnection, id: Id) -> AppError {
    match managed_organization(conn, id) {
        Ok(org) => AppError::InvalidTransition(format!(
            "the organization is {} now{}",
            org.status,
            if org.green_channel {
                ", with the green channel"
            } else {
                ""
            }
        )),
        Err(e) => e,
    }
}

/// Approves, rejects or suspends an organization: the transition, the audit entry and the
/// notices, in one transaction. Leaving `verified` also ends the green channel.
pub fn decide_organization(
    conn: &mut AnyConnection,
    state: &AppState,
    admin: &CurrentUser,
    id: Id,
    action: OrgAction,
    note: Option<&str>,
) -> AppResult<Organization> {
    write_transaction(conn, |conn| {
        // Decided on the organization as it is now, so the audit's `from` is true.
        lock_row(conn, Locked::Organizations, id)?;
        let org = managed_organization(conn, id)?;
        let next =
            org_transition(current_status(&org)?, action).map_err(AppError::InvalidTransition)?;
        let from = OrgStatus::names_where(|s| org_transition(s, action).is_ok());
        let now = state.clock.now_naive();
        if !store::set_organization_status(conn, id, &from, next, note, now)? {
            return Err(changed_meanwhile(conn, id));
        }
        let action_name = match action {
            OrgAction::Approve => "organization.verified",
            OrgAction::Reject => "organization.rejected",
            OrgAction::Suspend => "organization.suspended",
        };
        audit::record(
            conn,
            Actor::of(admin),
            action_name,
            "organization",
            id,
            serde_json::json!({"from": org.status, "to": next.as_str(), "note": note}),
            now,
        )?;
        let (title, body) = match next {
            OrgStatus::Verified => ("notice-org-verified-title", "notice-org-verified-body"),
            OrgStatus::Rejected => ("notice-org-rejected-title", "notice-org-rejected-body"),
            _ => ("notice-org-suspended-title", "notice-org-suspended-body"),
        };
        let kind = if next == OrgStatus::Suspended {
            "organization_suspended"
        } else {
            "verification_decided"
        };
        notify_organization(
            conn,
            state,
            org.id,
            Notice {
                kind,
                title: Text::new(title),
                body: Text::new(body).arg("org", org.name.as_str()).note(note),
                link: match next {
                    OrgStatus::Verified => Some("/".to_string()),
                    OrgStatus::Rejected => Some("/account/organization".to_string()),
                    _ => None,
                },
            },
        )?;
        managed_organization(conn, id)
    })
}

/// Grants (to a verified organization) or withdraws the green channel. Granting it to an
/// organization that has it, or withdrawing it from one that has not, is a 409.
pub fn set_green_channel(
    conn: &mut AnyConnection,
    state: &AppState,
    admin: &CurrentUser,
    id: Id,
    enabled: bool,
) -> AppResult<Organization> {
    write_transaction(conn, |conn| {
        lock_row(conn, Locked::Organizations, id)?;
        let org = managed_organization(conn, id)?;
        if enabled && org.status != OrgStatus::Verified.as_str() {
            return Err(AppError::InvalidTransition(format!(
                "only verified organizations get the green channel; this one is {}",
                org.status
            )));
        }
        if org.green_channel == enabled {
            return Err(AppError::InvalidTransition(format!(
                "{} {} the green channel already",
                org.name,
                if enabled { "has" } else { "does not have" }
            )));
        }
        let now = state.clock.now_naive();
        if !store::set_green_channel(conn, id, enabled, now)? {
            return Err(changed_meanwhile(conn, id));
        }
        audit::record(
            conn,
            Actor::of(admin),
            if enabled {
                "organization.green_channel_granted"
            } else {
                "organization.green_channel_revoked"
            },
            "organization",
            id,
            serde_json::json!({"enabled": enabled}),
            now,
        )?;
        let (title, body) = if enabled {
            ("notice-green-granted-title", "notice-green-granted-body")
        } else {
            (
                "notice-green-withdrawn-title",
                "notice-green-withdrawn-body",
            )
        };
        notify_organization(
            conn,
            state,
            org.id,
            Notice {
                kind: "green_channel_changed",
                title: Text::new(title),
                body: Text::new(body).arg("org", org.name.as_str()),
                link: Some("/requests".into()),
            },
        )?;
        managed_organization(conn, id)
    })
}

/// Queues a failed mail again; a mail that is not failed (any more) is a 409.
pub fn retry_mail(
    conn: &mut AnyConnection,
    state: &AppState,
    admin: &CurrentUser,
    id: Id,
) -> AppResult<()> {
    write_transaction(conn, |conn| {
        let now = state.clock.now_naive();
        let changed = diesel::update(
            outbox::table
                .filter(outbox::id.eq(id))
                .filter(outbox::status.eq("failed")),
        )
        .set((
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            let status: String = outbox::table
                .find(id)
                .select(outbox::status)
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("mail"))?;
            return Err(AppError::InvalidTransition(format!(
                "only failed mail is retried; this one is {status}"
            )));
        }
        audit::record(
            conn,
            Actor::of(admin),
            "mail.retried",
            "mail",
            id,
            serde_json::json!({}),
            now,
        )?;
        Ok(())
    })
}
