//! Organizations and their users: registration rules, the verification state machine,
//! profiles and members.

pub mod api;
pub mod members;
pub mod organizations;
pub mod profile;
pub mod recovery;
pub mod registration;
pub mod store;

pub use organizations::{resubmit, update_organization, Resubmission};
pub use registration::{
    create_admin, email_taken, platform_organization, register, taken, Registered,
};

use crate::domain::limits;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::to_utc;
use crate::db::Id;
use crate::domain::{
    name_text, optional_text, BuyerType, CreditCode, CustomsCode, Email, OrgKind, OrgStatus,
    Password, Province,
};
use crate::error::{AppError, AppResult, Violations};
use store::{Organization, User};

// ---- requests ------------------------------------------------------------------------------

#[derive(Deserialize, ToSchema, Debug)]
pub struct OrganizationInput {
    pub name: String,
    /// `exporter` or `buyer`.
    pub kind: String,
    /// Buyers only: `supermarket`, `department_store`, `hotel`, `catering`,
    /// `ecommerce_platform` or `wholesaler`.
    pub buyer_type: Option<String>,
    /// Unified social credit code (18 characters, GB 32100-2015).
    pub credit_code: String,
    /// English name of a province-level division, e.g. `Zhejiang`.
    pub province: String,
    /// Exporters only: customs registration code (10 characters).
    pub customs_code: Option<String>,
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct RegisterRequest {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub name: String,
    pub organization: OrganizationInput,
    /// `zh-CN` or `en`, for the user's mails and pages; optional.
    #[serde(default)]
    pub locale: Option<String>,
}

/// A registration whose every field has been checked.
pub struct Registration {
    pub email: Email,
    pub password: Password,
    pub name: String,
    pub org_name: String,
    pub kind: OrgKind,
    pub buyer_type: Option<BuyerType>,
    pub credit_code: CreditCode,
    pub province: Province,
    pub customs_code: Option<CustomsCode>,
    pub locale: Option<crate::i18n::Locale>,
}

pub fn validate_registration(req: &RegisterRequest) -> AppResult<Registration> {
    let mut v = Violations::new();
    let email = v.check("email", Email::parse(&req.email));
    let password = v.check("password", Password::parse(&req.password, &req.email));
    let name = v.check("name", name_text(&req.name, limits::SHORT_TEXT));
    let o = &req.organization;
    let org_name = v.check("organization.name", name_text(&o.name, limits::TITLE));
    let kind = v.check(
        "organization.kind",
        match OrgKind::parse(&o.kind) {
            Ok(OrgKind::Operator) | Err(_) => {
                Err(crate::domain::Check::NotOneOf(vec!["exporter", "buyer"]))
            }
            Ok(kind) => Ok(kind),
        },
    );
    let buyer_type = match (kind, o.buyer_type.as_deref()) {
        // With an unknown kind, whether a buyer type belongs is unknown too.
        (None, _) => None,
        (Some(OrgKind::Buyer), None) => {
            v.add("organization.buyer_type", "is required for buyers");
            None
        }
        (Some(OrgKind::Buyer), Some(raw)) => {
            v.check("organization.buyer_type", BuyerType::parse(raw))
        }
        (_, Some(_)) => {
            v.add("organization.buyer_type", "only buyers have a buyer type");
            None
        }
        (_, None) => None,
    };
    let credit_code = v.check(
        "organization.credit_code",
        CreditCode::parse(&o.credit_code),
    );
    let province = v.check("organization.province", Province::parse(&o.province));
    let customs_code = match (kind, o.customs_code.as_deref().map(str::trim)) {
        (Some(OrgKind::Exporter), None | Some("")) => {
            v.add("organization.customs_code", "is required for exporters");
            None
        }
        (_, None | Some("")) => None,
        (_, Some(raw)) => v.check("organization.customs_code", CustomsCode::parse(raw)),
    };
    let locale = req.locale.as_deref().and_then(|raw| {
        v.check(
            "locale",
            crate::i18n::Locale::parse(raw).ok_or_else(|| "must be zh-CN or en".to_string()),
        )
    });
    v.into_result()?;
    // Every field parsed when there were no violations.
    match (email, password, name, org_name, kind, credit_code, province) {
        (
            Some(email),
            Some(password),
            Some(name),
            Some(org_name),
            Some(kind),
            Some(credit_code),
            Some(province),
        ) => Ok(Registration {
            email,
            password,
            name,
            org_name,
            kind,
            buyer_type,
            credit_code,
            province,
            customs_code,
            locale,
        }),
        _ => Err(crate::error::AppError::Internal(anyhow::anyhow!(
            "registration parsed partially"
        ))),
    }
}

// ---- the verification state machine --------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    Approve,
    Reject,
    Suspend,
}

/// The status an admin action leads to, or why it is not allowed from `from`.
pub fn org_transition(from: OrgStatus, action: OrgAction) -> Result<OrgStatus, String> {
    use OrgAction::*;
    use OrgStatus::*;
    match (from, action) {
        (Pending | Rejected | Suspended, Approve) => Ok(Verified),
        (Pending, Reject) => Ok(Rejected),
        (Pending | Verified, Suspend) => Ok(Suspended),
        (from, action) => {
            Err(format!("cannot {action:?} an organization that is {from}").to_lowercase())
        }
    }
}

// ---- views -------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Debug)]
pub struct UserView {
    pub id: Id,
    pub email: String,
    pub name: String,
    /// `owner`, `manager`, `member`, or `admin` (platform admins).
    pub role: String,
    pub email_verified: bool,
    /// `zh-CN` or `en`: the language of the user's pages, mails and notifications; null
    /// until the user picks one (pages then follow the browser, mail goes out in Chinese).
    pub locale: Option<String>,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.clone(),
            email_verified: u.email_verified,
            locale: u.locale.clone(),
        }
    }
}

/// An organization as its own users and admins see it.
#[derive(Serialize, ToSchema, Debug)]
pub struct OrganizationView {
    pub id: Id,
    pub name: String,
    pub kind: String,
    pub buyer_type: Option<String>,
    pub province: String,
    /// `pending`, `verified`, `rejected` or `suspended`.
    pub status: String,
    pub green_channel: bool,
    /// Average review rating (1-5), null before the first review.
    pub rating: Option<f64>,
    pub review_count: i32,
    pub credit_code: String,
    pub customs_code: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub contact_phone: Option<String>,
    /// Why it was last rejected or suspended (null once verified or resubmitted).
    pub status_note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<&Organization> for OrganizationView {
    fn from(o: &Organization) -> Self {
        OrganizationView {
            id: o.id,
            name: o.name.clone(),
            kind: o.kind.clone(),
            buyer_type: o.buyer_type.clone(),
            province: o.province.clone(),
            status: o.status.clone(),
            green_channel: o.green_channel,
            rating: o.rating,
            review_count: o.review_count,
            credit_code: o.credit_code.clone(),
            customs_code: o.customs_code.clone(),
            description: o.description.clone(),
            website: o.website.clone(),
            contact_phone: o.contact_phone.clone(),
            status_note: o.status_note.clone(),
            created_at: to_utc(o.created_at),
        }
    }
}

/// What anyone may see of a verified organization.
#[derive(Serialize, ToSchema, Debug)]
pub struct PublicOrganization {
    pub id: Id,
    pub name: String,
    pub kind: String,
    pub buyer_type: Option<String>,
    pub province: String,
    pub status: String,
    pub rating: Option<f64>,
    pub review_count: i32,
    pub green_channel: bool,
    pub description: Option<String>,
    pub website: Option<String>,
}

impl From<&Organization> for PublicOrganization {
    fn from(o: &Organization) -> Self {
        PublicOrganization {
            id: o.id,
            name: o.name.clone(),
            kind: o.kind.clone(),
            buyer_type: o.buyer_type.clone(),
            province: o.province.clone(),
            status: o.status.clone(),
            rating: o.rating,
            review_count: o.review_count,
            green_channel: o.green_channel,
            description: o.description.clone(),
            website: o.website.clone(),
        }
    }
}

/// Profile fields of PATCH /organizations/{id}; absent fields stay as they are.
#[derive(Deserialize, ToSchema, Debug)]
pub struct OrganizationPatch {
    pub name: Option<String>,
    pub province: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub contact_phone: Option<String>,
}

impl OrganizationPatch {
    /// The fields the patch sets (for the audit log).
    pub fn field_names(&self) -> Vec<&'static str> {
        crate::domain::named_fields([
            ("name", self.name.is_some()),
            ("province", self.province.is_some()),
            ("description", self.description.is_some()),
            ("website", self.website.is_some()),
            ("contact_phone", self.contact_phone.is_some()),
        ])
    }
}

pub fn validate_patch(
    patch: &OrganizationPatch,
    now: chrono::NaiveDateTime,
) -> AppResult<store::OrganizationChanges> {
    let mut v = Violations::new();
    let mut changes = store::OrganizationChanges {
        updated_at: Some(now),
        ..Default::default()
    };
    if let Some(name) = &patch.name {
        changes.name = v.check("name", name_text(name, limits::TITLE));
    }
    if let Some(province) = &patch.province {
        changes.province = v
            .check("province", Province::parse(province))
            .map(|p| p.as_str().to_string());
    }
    if patch.description.is_some() {
        changes.description = v.check(
            "description",
            optional_text(patch.description.as_deref(), limits::ABOUT),
        );
    }
    if let Some(website) = &patch.website {
        let checked = optional_text(Some(website), limits::WEBSITE).and_then(|w| match w {
            Some(w) if !(w.starts_with("http://") || w.starts_with("https://")) => {
                Err("must start with http:// or https://".into())
            }
            other => Ok(other),
        });
        changes.website = v.check("website", checked);
    }
    if patch.contact_phone.is_some() {
        changes.contact_phone = v.check(
            "contact_phone",
            crate::domain::phone_number(patch.contact_phone.as_deref()),
        );
    }
    v.into_result()?;
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_transitions() {
        use OrgAction::*;
        use OrgStatus::*;
        let table = [
            (Pending, Approve, Some(Verified)),
            (Pending, Reject, Some(Rejected)),
            (Pending, Suspend, Some(Suspended)),
            (Verified, Approve, None),
            (Verified, Reject, None),
            (Verified, Suspend, Some(Suspended)),
            (Rejected, Approve, Some(Verified)),
            (Rejected, Reject, None),
            (Rejected, Suspend, None),
            (Suspended, Approve, Some(Verified)),
            (Suspended, Reject, None),
            (Suspended, Suspend, None),
        ];
        for (from, action, expected) in table {
            assert_eq!(
                org_transition(from, action).ok(),
                expected,
                "{from} {action:?}"
            );
        }
    }

    fn request(kind: &str) -> RegisterRequest {
        RegisterRequest {
            email: "a@b.cn".into(),
            password: "long enough password".into(),
            name: "Li".into(),
            organization: OrganizationInput {
                name: "Ningbo Homeware".into(),
                kind: kind.into(),
                buyer_type: None,
                credit_code: "91350100M000100Y43".into(),
                province: "Zhejiang".into(),
                customs_code: Some("3302960ABC".into()),
            },
            locale: None,
        }
    }

    #[test]
    fn registration_names_every_bad_field() {
        let mut req = request("buyer");
        req.email = "nope".into();
        req.password = "short".into();
        req.organization.credit_code = "91350100M000100Y44".into();
        let Err(crate::error::AppError::Validation(errors)) = validate_registration(&req) else {
            panic!("expected validation errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "email",
                "password",
                "organization.buyer_type",
                "organization.credit_code"
            ]
        );
    }

    #[test]
    fn exporters_need_a_customs_code() {
        let mut req = request("exporter");
        assert!(validate_registration(&req).is_ok());
        req.organization.customs_code = None;
        assert!(validate_registration(&req).is_err());
    }
}
