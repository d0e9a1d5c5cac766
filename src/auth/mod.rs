//! Who is calling: passwords, tokens, sessions and the extractors handlers declare
//! (`CurrentUser`, `AdminUser`). Permissions are read from the database on every request.

pub mod api;
pub mod password;
pub mod sessions;
pub mod sign_in;
pub mod tokens;

use crate::error::ProblemCode;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};

use crate::accounts::store::{self, Organization, User};
use crate::db::Id;
use crate::domain::{OrgKind, OrgStatus, Role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A signed-in user and their organization, as the database has them now.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub org: Organization,
}

impl CurrentUser {
    pub fn id(&self) -> Id {
        self.user.id
    }

    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.user.role).ok()
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    pub fn org_kind(&self) -> Option<OrgKind> {
        OrgKind::parse(&self.org.kind).ok()
    }

    /// Refuses unless the user holds one of the roles.
    pub fn require_role(&self, allowed: &[Role]) -> AppResult<()> {
        match self.role() {
            Some(role) if allowed.contains(&role) => Ok(()),
            _ => Err(AppError::forbidden(format!(
                "this needs the role {}",
                allowed
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))),
        }
    }

    /// The one check before any commercial action: the organization must be verified.
    pub fn require_verified(&self) -> AppResult<()> {
        require_verified(&self.org)
    }

    pub fn belongs_to(&self, org_id: Id) -> bool {
        self.org.id == org_id
    }

    /// Whose trade a list shows: the organization's, on the side its kind trades on (true:
    /// selling); `None` for admins, who see everyone's.
    pub fn party(&self) -> Option<(Id, bool)> {
        if self.is_admin() {
            None
        } else {
            Some((self.org.id, self.org_kind() == Some(OrgKind::Exporter)))
        }
    }
}

/// The refusal of a step a suspended organization may not take (or take part in).
pub fn suspended_refusal(whose: &str) -> AppError {
    AppError::Forbidden {
        code: ProblemCode::OrganizationSuspended,
        detail: format!("{whose} is suspended; it cannot trade until it is reinstated"),
    }
}

/// Refuses the step when the organization is suspended as of now (not as of the request's
/// start: a suspension committed meanwhile counts). Call it after the statement that locks
/// or key-share-locks the organization's row, so the answer holds until commit.
pub fn refuse_if_suspended(
    conn: &mut crate::db::AnyConnection,
    org_id: crate::db::Id,
    whose: &str,
) -> AppResult<()> {
    if store::is_suspended(conn, org_id)? {
        return Err(suspended_refusal(whose));
    }
    Ok(())
}

/// Only verified organizations may publish, post requests, quote or order.
pub fn require_verified(org: &Organization) -> AppResult<()> {
    if org.status == OrgStatus::Verified.as_str() {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: ProblemCode::OrganizationNotVerified,
            detail: format!(
                "your organization is {}; only verified organizations can do this",
                org.status
            ),
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
        Some(token.trim().to_string())
    } else {
        None
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no app state")))?;
            let token = token.ok_or_else(|| {
                AppError::Unauthorized("sign in: send Authorization: Bearer <access_token>".into())
            })?;
            let (user_id, version) = state
                .keys
                .verify_access_token(&token, state.clock.now())
                .ok_or_else(|| {
                    AppError::Unauthorized("the access token is invalid or expired".into())
                })?;
            let found = state
                .db(move |conn, _| Ok(store::user_with_organization(conn, user_id)?))
                .await?;
            let (user, org) = found
                .ok_or_else(|| AppError::Unauthorized("the account no longer exists".into()))?;
            if user.credentials_version != version {
                return Err(AppError::Unauthorized(
                    "the password was changed since this token was issued; sign in again".into(),
                ));
            }
            Ok(CurrentUser { user, org })
        })
    }
}

/// A platform admin.
pub struct AdminUser(pub CurrentUser);

impl FromRequest for AdminUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = CurrentUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            if !user.is_admin() {
                return Err(AppError::forbidden("only platform admins can do this"));
            }
            Ok(AdminUser(user))
        })
    }
}

impl crate::audit::Actor {
    /// The signed-in user as the audit log records them.
    pub fn of(current: &CurrentUser) -> Self {
        Self::user(current.user.id, current.org.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CreditCode;

    #[test]
    fn only_verified_organizations_pass_the_commercial_check() {
        let code = CreditCode::parse("91350100M000100Y43").unwrap();
        let now = chrono::Utc::now().naive_utc();
        for status in OrgStatus::ALL {
            let org = Organization::new(
                "Org".into(),
                OrgKind::Exporter,
                &code,
                "Fujian",
                *status,
                now,
            );
            let result = require_verified(&org);
            if *status == OrgStatus::Verified {
                assert!(result.is_ok());
            } else {
                let err = result.unwrap_err();
                assert_eq!(err.code().as_str(), "organization_not_verified", "{status}");
            }
        }
    }
}
