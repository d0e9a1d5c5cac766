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

/// What a rejected organization corrects before it asks to be reviewed again; absent fields
/// stay as they are.
#[derive(serde::Deserialize, serde::Serialize, utoipa::ToSchema, Debug, Default)]
pub struct Resubmission {
    pub name: Option<String>,
    /// Checked like a registration's (GB 32100-2015), unique among organizations.
    pub credit_code: Option<String>,
    /// Exporters only.
    pub customs_code: Option<String>,
    pub province: Option<String>,
    /// Buyers only.
    pub buyer_type: Option<String>,
    /// What was corrected, for the platform (at most 2,000 characters).
    pub note: Option<String>,
}

/// A resubmission checked: the corrections and the note.
pub struct ValidResubmission {
    pub corrections: store::Corrections,
    pub note: Option<String>,
}

/// Checks a resubmission of an organization of `kind`, or answers 422 naming every bad field.
pub fn validate_resubmission(
    r: &Resubmission,
    kind: crate::domain::OrgKind,
) -> AppResult<ValidResubmission> {
    use crate::domain::{limits, name_text, optional_text, CustomsCode, OrgKind, Province};
    let mut v = Violations::new();
    let mut corrections = store::Corrections::default();
    if let Some(name) = &r.name {
        corrections.name = v.check("name", name_text(name, limits::TITLE));
    }
    if let Some(code) = &r.credit_code {
        corrections.credit_code = v
            .check("credit_code", crate::domain::CreditCode::parse(code))
            .map(|c| c.as_str().to_string());
    }
    if let Some(raw) = r.customs_code.as_deref().map(str::trim) {
        match (kind, raw) {
            (OrgKind::Exporter, "") => v.add("customs_code", "is required for exporters"),
            (OrgKind::Exporter, raw) => {
                corrections.customs_code = v
                    .check("customs_code", CustomsCode::parse(raw))
                    .map(|c| Some(c.as_str().to_string()))
            }
            (_, "") => {}
            (_, _) => v.add("customs_code", "only exporters have a customs code"),
        }
    }
    if let Some(province) = &r.province {
        corrections.province = v
            .check("province", Province::parse(province))
            .map(|p| p.as_str().to_string());
    }
    if let Some(raw) = r.buyer_type.as_deref() {
        if kind == OrgKind::Buyer {
            corrections.buyer_type = v
                .check("buyer_type", crate::domain::BuyerType::parse(raw))
                .map(|t| Some(t.as_str().to_string()));
        } else if !raw.trim().is_empty() {
            v.add("buyer_type", "only buyers have a buyer type");
        }
    }
    let note = v.check("note", optional_text(r.note.as_deref(), limits::NOTE));
    v.into_result()?;
    Ok(ValidResubmission {
        corrections,
        note: note.flatten(),
    })
}

/// A rejected organization's owner or manager corrects its details and sends it back to the
/// verification queue. Only from `rejected` (409 otherwise, also for the second of two at
/// once); a credit code another organization holds is 409 `credit_code_taken`.
pub fn resubmit(
    conn: &mut crate::db::AnyConnection,
    state: &crate::state::AppState,
    user: &CurrentUser,
    id: Id,
    r: &Resubmission,
) -> AppResult<Organization> {
    members::require_manager_of(
        user,
        id,
        &[crate::domain::Role::Owner, crate::domain::Role::Manager],
    )?;
    crate::db::write_transaction(conn, |conn| {
        crate::db::lock_row(conn, crate::db::Locked::Organizations, id)?;
        let org = store::find_organization(conn, id)?
            .filter(|o| o.kind != crate::domain::OrgKind::Operator.as_str())
            .ok_or_else(|| AppError::not_found("organization"))?;
        if org.status != OrgStatus::Rejected.as_str() {
            return Err(AppError::InvalidTransition(format!(
                "only a rejected organization is resubmitted; this one is {}",
                org.status
            )));
        }
        let kind = crate::domain::OrgKind::parse(&org.kind)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored kind: {e}")))?;
        let valid = validate_resubmission(r, kind)?;
        if let Some(code) = &valid.corrections.credit_code {
            if store::credit_code_held_by_other(conn, code, id)? {
                return Err(super::registration::taken_credit_code());
            }
        }
        let now = state.clock.now_naive();
        if !store::resubmit_organization(conn, id, &valid.corrections, now)
            .map_err(super::registration::taken)?
        {
            return Err(AppError::InvalidTransition(
                "the organization is not rejected any more".into(),
            ));
        }
        crate::audit::record(
            conn,
            crate::audit::Actor::of(user),
            "organization.resubmitted",
            "organization",
            id,
            serde_json::json!({
                "fields": crate::domain::named_fields([
                    ("name", valid.corrections.name.is_some()),
                    ("credit_code", valid.corrections.credit_code.is_some()),
                    ("customs_code", valid.corrections.customs_code.is_some()),
                    ("province", valid.corrections.province.is_some()),
                    ("buyer_type", valid.corrections.buyer_type.is_some()),
                ]),
                "note": valid.note,
            }),
            now,
        )?;
        store::find_organization(conn, id)?.ok_or_else(|| AppError::not_found("organization"))
    })
}
