//! An organization's members: owners invite them by mail and change their roles. An
//! organization always keeps at least one owner: a role change locks the organization's row
//! before counting its owners, so two owners demoting each other at once cannot both win.

use super::registration::{email_taken, taken};
use super::store::{self, User};
use crate::audit::{self, Actor};
use crate::auth::sessions::{self, TokenPurpose};
use crate::auth::CurrentUser;
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{Email, Role};
use crate::error::ProblemCode;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Action, Message};
use crate::state::AppState;

/// The caller may manage `org_id` with one of the roles (admins may manage any).
pub fn require_manager_of(user: &CurrentUser, org_id: Id, roles: &[Role]) -> AppResult<()> {
    if user.is_admin() {
        return Ok(());
    }
    if !user.belongs_to(org_id) {
        return Err(AppError::forbidden(
            "you can only manage your own organization",
        ));
    }
    user.require_role(roles)
}

/// A role an invitation may give: managers and members (owners promote owners).
pub fn invited_role(raw: &str) -> Result<Role, crate::domain::Check> {
    match Role::parse(raw) {
        Ok(role @ (Role::Manager | Role::Member)) => Ok(role),
        _ => Err(crate::domain::Check::NotOneOf(vec!["manager", "member"])),
    }
}

/// A role a member may be given.
pub fn member_role(raw: &str) -> Result<Role, crate::domain::Check> {
    match Role::parse(raw) {
        Ok(role @ (Role::Owner | Role::Manager | Role::Member)) => Ok(role),
        _ => Err(crate::domain::Check::NotOneOf(vec![
            "owner", "manager", "member",
        ])),
    }
}

/// An invitation, checked.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: Email,
    pub name: String,
    pub role: Role,
}

/// An owner adds a member, who is mailed a link to set a password.
pub fn add_member(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    org_id: Id,
    input: &NewMember,
) -> AppResult<User> {
    require_manager_of(user, org_id, &[Role::Owner])?;
    write_transaction(conn, |conn| {
        let org = store::find_organization(conn, org_id)?
            .ok_or_else(|| AppError::not_found("organization"))?;
        if store::find_user_by_email(conn, input.email.as_str())?.is_some() {
            return Err(email_taken());
        }
        let now = state.clock.now_naive();
        let member = User {
            id: Id::new(),
            organization_id: org_id,
            email: input.email.as_str().into(),
            name: input.name.clone(),
            role: input.role.as_str().into(),
            password_hash: None,
            email_verified: false,
            created_at: now,
            updated_at: now,
            locale: None,
            credentials_version: 0,
        };
        store::insert_user(conn, &member).map_err(taken)?;
        let token =
            sessions::create_one_time_token(conn, member.id, TokenPurpose::Invitation, now)?;
        // The new member has not picked a language: the inviter's is the best guess.
        let locale = crate::i18n::Locale::of_user(user.user.locale.as_deref());
        mail::enqueue(
            conn,
            &Message {
                locale,
                to_email: member.email.clone(),
                to_name: member.name.clone(),
                subject: locale.t_with("mail-invite-subject", &[("org", org.name.as_str().into())]),
                paragraphs: vec![
                    locale.t_with(
                        "mail-invite-body",
                        &[
                            ("inviter", user.user.name.as_str().into()),
                            ("org", org.name.as_str().into()),
                            ("role", input.role.as_str().into()),
                        ],
                    ),
                    locale.t("mail-invite-ask"),
                ],
                action: Some(Action {
                    label: locale.t("mail-invite-button"),
                    url: crate::accounts::recovery::link(state, "accept-invitation", &token),
                }),
            },
            now,
        )?;
        audit::record(
            conn,
            Actor::of(user),
            "member.invited",
            "user",
            member.id,
            serde_json::json!({"email": member.email, "role": member.role}),
            now,
        )?;
        Ok(member)
    })
}

/// An owner gives a member another role. Setting the role a member has already is refused
/// (409), as is demoting the last owner.
pub fn change_member_role(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    org_id: Id,
    member_id: Id,
    role: Role,
) -> AppResult<User> {
    require_manager_of(user, org_id, &[Role::Owner])?;
    write_transaction(conn, |conn| {
        lock_row(conn, Locked::Organizations, org_id)?;
        // The caller's own role as it is now: an owner demoted a moment ago acts no more.
        if !user.is_admin() {
            let acting = store::find_user(conn, user.user.id)?
                .ok_or_else(|| AppError::Unauthorized("the account no longer exists".into()))?;
            if acting.role != Role::Owner.as_str() {
                return Err(AppError::forbidden("this needs the role owner"));
            }
        }
        let member = store::find_user(conn, member_id)?
            .filter(|m| m.organization_id == org_id)
            .ok_or_else(|| AppError::not_found("member"))?;
        if member.role == role.as_str() {
            return Err(AppError::InvalidTransition(format!(
                "{} is {} already",
                member.name, member.role
            )));
        }
        if member.role == Role::Owner.as_str()
            && store::users_with_roles(conn, org_id, &[Role::Owner.as_str()])?.len() <= 1
        {
            return Err(AppError::conflict(
                ProblemCode::LastOwner,
                "an organization keeps at least one owner: make another member owner first",
            ));
        }
        let now = state.clock.now_naive();
        if !store::set_role(conn, member.id, &member.role, role.as_str(), now)? {
            return Err(AppError::InvalidTransition(
                "the member's role changed meanwhile".into(),
            ));
        }
        audit::record(
            conn,
            Actor::of(user),
            "member.role_changed",
            "user",
            member.id,
            serde_json::json!({"from": member.role, "to": role.as_str()}),
            now,
        )?;
        store::find_user(conn, member_id)?.ok_or_else(|| AppError::not_found("member"))
    })
}
