//! Changes to an organization profile by its managers.

use super::*;
use crate::accounts::members::{self};
use crate::accounts::{store, OrganizationPatch};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::domain::OrgStatus;
use crate::error::{AppError, AppResult};

/// Writes the profile fields a patch names (owners and managers of the organization, or
/// admins); the others stay as they are.
pub fn update_organization(
    conn: &mut crate::db::AnyConnection,
    state: &crate::state::AppState,
    user: &crate::auth::CurrentUser,
    id: Id,
    patch: &OrganizationPatch,
) -> AppResult<Organization> {
    members::require_manager_of(
        user,
        id,
        &[crate::domain::Role::Owner, crate::domain::Role::Manager],
    )?;
    let now = state.clock.now_naive();
    let changes = validate_patch(patch, now)?;
    crate::db::write_transaction(conn, |conn| {
        store::find_organization(conn, id)?.ok_or_else(|| AppError::not_found("organization"))?;
        store::update_organization(conn, id, &changes)?;
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "organization.updated",
            "organization",
            id,
            serde_json::json!({"fields": patch.field_names()}),
            now,
        )?;
        store::find_organization(conn, id)?.ok_or_else(|| AppError::not_found("organization"))
    })
}

/// An organization whose profile the viewer may see: verified exporters and buyers for
/// everyone, and any for its own users and admins (zone operators have no public profile).
pub fn public_organization(
    conn: &mut crate::db::AnyConnection,
    viewer: Option<&CurrentUser>,
    id: Id,
) -> AppResult<store::Organization> {
    let org = store::find_organization(conn, id)?
        .filter(|o| o.kind != "operator")
        .ok_or_else(|| AppError::not_found("organization"))?;
    let insider = viewer.is_some_and(|u| u.is_admin() || u.belongs_to(org.id));
    if org.status != OrgStatus::Verified.as_str() && !insider {
        return Err(AppError::not_found("organization"));
    }
    Ok(org)
}
