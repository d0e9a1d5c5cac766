//! Changes to an organization profile by its managers.

use super::*;

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
